"""Notebook 01 (tasks): what its checks add to the common grade-cell tests
(tests/exercises/test_grade_cells.py).

The four model questions are graded after training, on notebook state: the common tests run
their untrained checks (``check_build_*``, ``check_sample_digits``) against every planted
mistake, and tests/test_tasks_models.py trains the reference models against the graded
thresholds. Here: an incorrect function's feedback shows the student's value, never the
expected one.
"""

from __future__ import annotations

import numpy as np
import pytest

from course.checking import Outcome
from course.exercises import tasks
from course.grading.direct import DirectGrading
from course.mistakes.tasks import ASSIGNMENT, MISTAKES

NOTEBOOK = DirectGrading(ASSIGNMENT)
QUESTIONS = {q.name: q for q in (tasks.q2, tasks.q4, tasks.q7)}


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
    namespace = NOTEBOOK.namespace(MISTAKES[grade_id][label])
    feedback = QUESTIONS[grade_id].evaluate(namespace[grade_id])
    assert feedback.outcome is Outcome.INCORRECT
    assert "returned" in feedback.message or "is off by" in feedback.message
    assert _first_expected(grade_id) not in feedback.message, feedback.message
