"""notebooks/ is generated from solutions/ and committed without outputs or answers."""

from __future__ import annotations

import pytest

from course.cells import nbgrader_meta, read
from course.grading.release import release_drift
from course.paths import NOTEBOOKS_DIR, SOLUTIONS_DIR, assignments

ALL_NOTEBOOKS = sorted(SOLUTIONS_DIR.glob("*/*.ipynb")) + sorted(NOTEBOOKS_DIR.glob("*/*.ipynb"))


def test_notebooks_are_in_sync_with_solutions():
    """Does notebooks/ equal what nbgrader generates from solutions/ right now?"""
    assert release_drift() == []


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_notebooks_saved_without_outputs(path):
    """Is every notebook committed without outputs or execution counts?"""
    for cell in read(path).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("assignment", assignments())
def test_student_notebooks_hold_no_answers(assignment):
    """Are solution regions replaced by the stub and hidden tests removed in the student version?"""
    for path in (NOTEBOOKS_DIR / assignment).glob("*.ipynb"):
        text = path.read_text()
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
        for cell in read(path).cells:
            meta = nbgrader_meta(cell)
            if meta.get("solution") and cell.cell_type == "code":
                assert "raise NotImplementedError()" in cell.source


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_grade_cells_let_run_all_go_on(path):
    """Does every grade cell carry the raises-exception tag, so Run All on an untouched
    notebook reads it to the end instead of stopping at the first failing test?"""
    for cell in read(path).cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade") and not meta.get("solution"):
            assert "raises-exception" in cell.metadata.get("tags", []), meta["grade_id"]
