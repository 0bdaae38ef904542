"""Notebook 02's grade cells, run directly on planted answers (no kernel, no nbgrader).

Every grade cell must pass on the solution, fail on the untouched stub, and each
typical mistake must fail its own question's grade cell and no other.
"""

from __future__ import annotations

import pytest

from course import formulas
from course.checking import Outcome
from course.exercises import cnn_layers
from course.grading.cells import grade_cells, read, solution_cells
from course.grading.direct import failing_grade_cells, setup_namespace
from course.grading.paths import NOTEBOOKS_DIR, SOLUTIONS_DIR
from course.mistakes.cnn_layers import ASSIGNMENT as ASSIGNMENT_DIR
from course.mistakes.cnn_layers import MISTAKES

ASSIGNMENT = f"{ASSIGNMENT_DIR}/cnn_layers.ipynb"
SOLUTION = read(SOLUTIONS_DIR / ASSIGNMENT)
STUDENT = read(NOTEBOOKS_DIR / ASSIGNMENT)
SOLUTIONS = solution_cells(SOLUTION)
GRADE_CELLS = grade_cells(SOLUTION)  # with the hidden tests
QUESTIONS = {
    q.name: q
    for q in (
        cnn_layers.q1,
        cnn_layers.q2,
        cnn_layers.q3,
        cnn_layers.q4,
        cnn_layers.q5,
        cnn_layers.q6,
        cnn_layers.q7,
    )
}
SLOW = {"build_vgg16_tests"}  # builds VGG16 several times: run only where it matters
#: Mistakes that the visible check cannot see: only the hidden tests catch them.
HIDDEN_ONLY = {("build_vgg16", "ignores include_top")}


def _failing_grade_cells(answers: dict[str, str], only=None) -> set[str]:
    return set(failing_grade_cells(SOLUTION, answers, only=only))


def test_every_solution_cell_has_a_grade_cell_and_mistakes():
    """Does each exercise have its grade cell and at least three planted mistakes?"""
    assert {f"{grade_id}_tests" for grade_id in SOLUTIONS} == set(GRADE_CELLS)
    assert set(MISTAKES) == set(SOLUTIONS)
    for grade_id, mistakes in MISTAKES.items():
        assert len(mistakes) >= 3, grade_id
    assert sum(points for _, points in GRADE_CELLS.values()) == 11


def test_solution_passes_every_grade_cell():
    """Does the reference solution pass every grade cell, hidden tests included?"""
    assert _failing_grade_cells(SOLUTIONS) == set()


def test_untouched_stubs_fail_every_grade_cell():
    """Does every grade cell fail on nbgrader's `raise NotImplementedError()` stubs?"""
    stubs = solution_cells(STUDENT)
    assert all("raise NotImplementedError()" in source for source in stubs.values())
    assert _failing_grade_cells(stubs) == set(GRADE_CELLS)


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [(grade_id, label) for grade_id, mistakes in MISTAKES.items() for label in mistakes],
)
def test_each_mistake_loses_exactly_its_questions_points(grade_id, label):
    """Does a typical mistake fail its own grade cell and leave every other one passing?"""
    answers = {**SOLUTIONS, grade_id: MISTAKES[grade_id][label]}
    target = f"{grade_id}_tests"
    only = None if target in SLOW else set(GRADE_CELLS) - SLOW
    assert _failing_grade_cells(answers, only=only) == {target}


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [(grade_id, label) for grade_id, mistakes in MISTAKES.items() for label in mistakes],
)
def test_visible_check_says_incorrect_without_the_answer(grade_id, label):
    """Does qN.check() call a mistake incorrect without giving the answer away?"""
    namespace = setup_namespace(SOLUTION)
    exec(MISTAKES[grade_id][label], namespace)
    feedback = QUESTIONS[grade_id].evaluate(namespace[grade_id])
    if (grade_id, label) in HIDDEN_ONLY:
        assert feedback.outcome is Outcome.CORRECT
        return
    assert feedback.outcome is Outcome.INCORRECT, feedback
    if grade_id in ("conv_params", "dense_params"):
        first = (
            cnn_layers.CONV_PARAMS_CASES
            if grade_id == "conv_params"
            else cnn_layers.DENSE_PARAMS_CASES
        )[0]
        right = {"conv_params": formulas.conv_params, "dense_params": formulas.dense_params}[
            grade_id
        ](*first)
        assert f"{right:,}" not in feedback.message and str(right) not in feedback.message


def test_visible_checks_on_solution_and_stub():
    """Does qN.check() say correct for the solution and not attempted for the stub?"""
    solved = setup_namespace(SOLUTION)
    stubbed = setup_namespace(SOLUTION)
    for source in SOLUTIONS.values():
        exec(source, solved)
    for source in solution_cells(STUDENT).values():
        exec(source, stubbed)
    for name, question in QUESTIONS.items():
        if name == "build_vgg16":
            continue  # covered by the grade cell test above; building VGG16 is slow
        assert question.evaluate(solved[name]).outcome is Outcome.CORRECT, name
        assert question.evaluate(stubbed[name]).outcome is Outcome.NOT_ATTEMPTED, name
