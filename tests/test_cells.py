"""Tests for course.cells: the nbgrader cells of a notebook, read by role."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from course.cells import drop_duplicate_ids, fill, grade_cells, solution_cells


def _meta(grade_id, **kwargs):
    base = {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3}
    return {"nbgrader": {**base, "solution": False, **kwargs}}


def _notebook():
    return new_notebook(
        cells=[
            new_code_cell("import math"),
            new_code_cell(
                "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION",
                metadata=_meta("f", solution=True),
            ),
            new_code_cell(
                "assert f() == 1\n### BEGIN HIDDEN TESTS\nassert f() + 1 == 2\n"
                "### END HIDDEN TESTS",
                metadata=_meta("f_tests", grade=True, locked=True, points=1),
            ),
        ]
    )


def test_cells_are_read_by_role_without_markers():
    """Are solution and grade cells found by grade_id, with nbgrader's markers removed?"""
    nb = _notebook()
    assert solution_cells(nb) == {"f": "def f():\n    return 1"}
    assert grade_cells(nb) == {"f_tests": ("assert f() == 1\nassert f() + 1 == 2", 1)}
    assert "### BEGIN HIDDEN TESTS" in grade_cells(nb, raw=True)["f_tests"][0]


def test_fill_replaces_only_named_solution_cells():
    """Does fill replace a solution cell, and refuse a grade_id that is not one?"""
    filled = fill(_notebook(), {"f": "def f():\n    return 2"})
    assert filled.cells[1].source == "def f():\n    return 2"
    try:
        fill(_notebook(), {"f_tests": "pass"})
    except KeyError as error:
        assert "f_tests" in str(error)
    else:  # pragma: no cover
        raise AssertionError("a grade cell was filled")


def test_duplicates_are_dropped_keeping_the_first():
    """Does the repair keep the first cell of a duplicated grade_id and unmark the copy?"""
    nb = _notebook()
    nb.cells.append(nbformat.from_dict(nb.cells[1]))
    nb.cells[-1]["id"] = "copy"
    repaired = nbformat.from_dict(nb)
    assert drop_duplicate_ids(repaired) and not drop_duplicate_ids(repaired)
    assert "nbgrader" in repaired.cells[1].metadata
    assert "nbgrader" not in repaired.cells[-1].metadata
