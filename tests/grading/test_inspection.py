"""Tests for course.grading.inspection: what a submitted notebook shows before it runs."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.grading.inspection import inspect_notebook


def _meta(grade_id, **kwargs):
    base = {
        "grade": False,
        "grade_id": grade_id,
        "locked": False,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    return {"nbgrader": {**base, **kwargs}}


def _pasted(cell):
    copy = nbformat.from_dict(cell)
    copy["id"] = "pasted"
    return copy


def _release(tmp_path):
    nb = new_notebook(
        cells=[
            new_code_cell("import math"),
            new_code_cell("raise NotImplementedError()", metadata=_meta("f", solution=True)),
            new_code_cell(
                "assert f() == 1", metadata=_meta("f_tests", grade=True, locked=True, points=1)
            ),
        ]
    )
    path = tmp_path / "release.ipynb"
    nbformat.write(nb, str(path))
    return path, nb


def _submit(tmp_path, nb):
    path = tmp_path / "sub" / "release.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def test_clean_submission_has_no_flags(tmp_path):
    """Does an honest answer raise no flag?"""
    release, nb = _release(tmp_path)
    nb.cells[1].source = "def f():\n    return 1"
    intake = inspect_notebook(_submit(tmp_path, nb), release, "ann", "a1")
    assert intake.gradable and intake.flags == []


@pytest.mark.parametrize(
    ("change", "flag"),
    [
        (lambda nb: nb.cells.pop(2), "test cell f_tests deleted"),
        (lambda nb: setattr(nb.cells[2], "source", "pass"), "locked cell f_tests edited"),
        (lambda nb: nb.cells[2].metadata.nbgrader.update(points=9), "metadata of f_tests changed"),
        (lambda nb: nb.cells.append(_pasted(nb.cells[1])), "duplicated grade_id f"),
        (
            lambda nb: setattr(nb.cells[1], "source", "import sys\nsys.modules['x'] = 1"),
            "review: code that edits sys.modules",
        ),
    ],
)
def test_tampering_is_flagged(tmp_path, change, flag):
    """Is each kind of change to the notebook's structure reported?"""
    release, nb = _release(tmp_path)
    change(nb)
    intake = inspect_notebook(_submit(tmp_path, nb), release, "ann", "a1")
    assert any(flag in f for f in intake.flags), intake.flags


def test_invalid_and_missing_notebooks_are_not_gradable(tmp_path):
    """Are unreadable and missing notebooks reported, with a renamed file named?"""
    release, nb = _release(tmp_path)
    path = _submit(tmp_path, nb)
    path.write_text("{not json")
    assert not inspect_notebook(path, release, "ann", "a1").gradable
    path.rename(path.with_name("copy.ipynb"))
    intake = inspect_notebook(path, release, "ann", "a1")
    assert not intake.gradable and "found copy.ipynb: renamed?" in intake.flags[0]
