"""Notebook 01's grade cells, run directly on planted answers (no kernel, no nbgrader).

The function exercises (box conversions, IoU, pixel accuracy, Dice) are graded by cells that
need only the answers: the solution passes them, the stubs fail them, and each typical mistake
fails its own cell and no other. The four model questions are graded after training, on
notebook state; here their untrained checks (``check_build_*``, ``check_sample_digits``) must
reject every planted mistake, and tests/test_tasks_models.py trains the reference models
against the graded thresholds.
"""

from __future__ import annotations

import numpy as np
import pytest

from course.checking import Outcome
from course.exercises import tasks
from course.grading.cells import grade_cells, read, solution_cells
from course.grading.direct import failing_grade_cells, setup_namespace
from course.grading.paths import NOTEBOOKS_DIR, SOLUTIONS_DIR
from course.mistakes.tasks import ASSIGNMENT as ASSIGNMENT_DIR
from course.mistakes.tasks import DEMO, MISTAKES

ASSIGNMENT = f"{ASSIGNMENT_DIR}/tasks.ipynb"
SOLUTION = read(SOLUTIONS_DIR / ASSIGNMENT)
STUDENT = read(NOTEBOOKS_DIR / ASSIGNMENT)
SOLUTIONS = solution_cells(SOLUTION)
GRADE_CELLS = grade_cells(SOLUTION)  # with the hidden tests
QUESTIONS = {
    q.name: q
    for q in (
        tasks.q1,
        tasks.q2,
        tasks.q3,
        tasks.q4,
        tasks.q5,
        tasks.q6,
        tasks.q7,
        tasks.q8,
        tasks.q9,
    )
}
#: Questions graded on a model the notebook trains: their grade cells need notebook state.
TRAINED = {"build_classifier", "build_localizer", "build_unet", "sample_digits"}
CHEAP = {f"{grade_id}_tests" for grade_id in SOLUTIONS} - {f"{g}_tests" for g in TRAINED}


def _failing_grade_cells(answers: dict[str, str], only=CHEAP) -> dict[str, str]:
    return failing_grade_cells(SOLUTION, answers, only=only)


def test_every_solution_cell_has_a_grade_cell_and_mistakes():
    """Does each exercise have its grade cell, its question and at least three planted mistakes?"""
    assert {f"{grade_id}_tests" for grade_id in SOLUTIONS} == set(GRADE_CELLS)
    assert set(MISTAKES) == set(SOLUTIONS) == set(QUESTIONS)
    for grade_id, mistakes in MISTAKES.items():
        assert len(mistakes) >= 3, grade_id
    assert sum(points for _, points in GRADE_CELLS.values()) == 14


def test_demo_mistakes_are_in_cells_graded_on_their_own():
    """Are the demo class's mistakes all in function exercises, never in a trained model?"""
    assert DEMO and all(grade_id not in TRAINED for grade_id, _ in DEMO)
    assert all(label in MISTAKES[grade_id] for grade_id, label in DEMO)


def test_solution_passes_every_cheap_grade_cell():
    """Does the solution pass every grade cell that needs no training, hidden tests included?"""
    assert _failing_grade_cells(SOLUTIONS) == {}


def test_untouched_stubs_fail_every_grade_cell_as_not_implemented():
    """Does every grade cell, trained-model ones included, fail on the stubs as not implemented?"""
    stubs = solution_cells(STUDENT)
    assert all("raise NotImplementedError()" in source for source in stubs.values())
    failing = _failing_grade_cells(stubs, only=None)
    assert set(failing) == set(GRADE_CELLS)
    assert all(error.startswith("NotImplementedError") for error in failing.values()), failing


CHEAP_MISTAKES = [
    (grade_id, label)
    for grade_id, mistakes in MISTAKES.items()
    if grade_id not in TRAINED
    for label in mistakes
]
MODEL_MISTAKES = [
    (grade_id, label)
    for grade_id, mistakes in MISTAKES.items()
    if grade_id in TRAINED
    for label in mistakes
]


@pytest.mark.parametrize(("grade_id", "label"), CHEAP_MISTAKES)
def test_each_mistake_loses_exactly_its_questions_points(grade_id, label):
    """Does a typical mistake fail its own grade cell and leave every other one passing?"""
    answers = {**SOLUTIONS, grade_id: MISTAKES[grade_id][label]}
    assert set(_failing_grade_cells(answers)) == {f"{grade_id}_tests"}


@pytest.mark.parametrize(("grade_id", "label"), CHEAP_MISTAKES + MODEL_MISTAKES)
def test_visible_check_says_incorrect(grade_id, label):
    """Does qN.check() call each typical mistake incorrect (models: before any training)?

    For the models, qN.check() runs the same untrained check as the first line of the grade cell.
    """
    namespace = setup_namespace(SOLUTION)
    exec(MISTAKES[grade_id][label], namespace)
    feedback = QUESTIONS[grade_id].evaluate(namespace[grade_id])
    assert feedback.outcome is Outcome.INCORRECT, feedback


def _first_expected(grade_id: str) -> str:
    """The right answer to the first visible case of a question, as the feedback would print it."""
    if grade_id == "iou":
        box_a, box_b, _ = tasks.IOU_CASES[0]
        return f"{tasks.keras_iou(box_a, box_b):.4g}"
    if grade_id == "corners_to_center":
        return str(tasks.keras_convert_boxes(tasks.BOX_CASES[0][0], "xyxy", "center_xywh"))
    rng = np.random.default_rng(0)
    y_true, y_pred = tasks._mask_case(*tasks.MASK_CASES[0], rng)
    return f"{tasks.keras_dice(y_true, y_pred):.4g}"


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [
        ("iou", "union without subtracting the intersection"),
        ("dice", "no factor 2"),
        ("corners_to_center", "forgets to halve the width (centre = x_min + w)"),
    ],
)
def test_feedback_does_not_give_the_answer_away(grade_id, label):
    """Does an incorrect answer's feedback show the student's value but not the expected one?"""
    namespace = setup_namespace(SOLUTION)
    exec(MISTAKES[grade_id][label], namespace)
    feedback = QUESTIONS[grade_id].evaluate(namespace[grade_id])
    assert feedback.outcome is Outcome.INCORRECT
    assert "returned" in feedback.message or "is off by" in feedback.message
    assert _first_expected(grade_id) not in feedback.message, feedback.message


def test_visible_checks_on_solution_and_stub():
    """Does qN.check() say correct for the solution and not attempted for the stub?"""
    solved = setup_namespace(SOLUTION)
    stubbed = setup_namespace(SOLUTION)
    for source in SOLUTIONS.values():
        exec(source, solved)
    for source in solution_cells(STUDENT).values():
        exec(source, stubbed)
    for name, question in QUESTIONS.items():
        assert question.evaluate(solved[name]).outcome is Outcome.CORRECT, name
        assert question.evaluate(stubbed[name]).outcome is Outcome.NOT_ATTEMPTED, name
