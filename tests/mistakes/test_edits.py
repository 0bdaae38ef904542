"""Tests for course.mistakes.edits: mistakes written as edits of the solution cells."""

from __future__ import annotations

import ast

import pytest

from course.mistakes import DEMO, MISTAKES
from course.mistakes.edits import Edit, MistakeDoesNotApply, replace, resolve, solutions_of

SOURCE = "def f(x):\n    y = x + 1\n    return y * 2\n"


def test_an_edit_replaces_each_old_text_once():
    """Are all the replacements made, wherever they are in the cell?"""
    edit = replace("x + 1", "x - 1", "y * 2", "y * 3")
    assert edit.apply(SOURCE) == "def f(x):\n    y = x - 1\n    return y * 3\n"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (replace("x + 2", "x - 1"), "not found"),
        (replace("y", "z"), "found 2 times"),
        (replace("y = x + 1", "y = 0", "x + 1", "x"), "overlap"),
    ],
)
def test_an_edit_that_no_longer_applies_raises(edit, message):
    """Does a replacement whose old text is gone, repeated or overlapping another raise, naming
    the mistake, instead of planting something else?"""
    with pytest.raises(MistakeDoesNotApply, match=message):
        edit.apply(SOURCE, "01-tasks iou 'a mistake'")


def test_replace_takes_pairs():
    """Is an odd number of texts refused?"""
    with pytest.raises(ValueError, match="pairs"):
        replace("a", "b", "c")


def test_resolve_refuses_an_unknown_cell_and_an_edit_that_changes_nothing():
    """Does resolve refuse a grade_id with no solution cell, and an edit that leaves the
    solution as it is?"""
    assignment = next(iter(MISTAKES))
    grade_id, solution = next(iter(solutions_of(assignment).items()))
    with pytest.raises(MistakeDoesNotApply, match="no solution cell"):
        resolve(assignment, {"not_a_cell": {"x": "pass"}})
    line = solution.splitlines()[0]
    with pytest.raises(MistakeDoesNotApply, match="changes nothing"):
        resolve(assignment, {grade_id: {"x": replace(line, line)}})


@pytest.mark.parametrize("assignment", sorted(MISTAKES))
def test_every_mistake_is_valid_python_other_than_the_solution(assignment):
    """Does every mistake, edit or full source, parse, define its cell's function and differ
    from the solution?"""
    solutions = solutions_of(assignment)
    for grade_id, labels in MISTAKES[assignment].items():
        for label, source in labels.items():
            tree = ast.parse(source)
            defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
            assert grade_id in defined, (grade_id, label)
            assert source.strip() != solutions[grade_id].strip(), (grade_id, label)


def test_edits_make_most_mistakes():
    """Are most mistakes written as edits (the full sources are the structural ones)?"""
    import importlib

    written = [
        mistake
        for name in ("tasks", "cnn_layers", "compilation", "transfer", "architectures")
        for labels in importlib.import_module(f"course.mistakes.{name}").WRITTEN.values()
        for mistake in labels.values()
    ]
    edits = sum(isinstance(mistake, Edit) for mistake in written)
    assert edits > 3 * (len(written) - edits)


def test_demo_mistakes_are_planted_ones():
    """Is every demo student's mistake one of the resolved mistakes?"""
    for assignment, pairs in DEMO.items():
        for grade_id, label in pairs:
            assert label in MISTAKES[assignment][grade_id]


def test_edit_is_a_value():
    """Are two edits with the same replacements equal (a mistake is data)?"""
    assert replace("a", "b") == Edit((("a", "b"),))
