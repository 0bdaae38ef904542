"""Notebook 02 (CNN layers): what its checks add to the common grade-cell tests
(tests/exercises/test_grade_cells.py): an incorrect weight count is never answered with the
right one."""

from __future__ import annotations

import pytest

from course import formulas
from course.checking import Outcome
from course.exercises import cnn_layers
from course.grading.direct import DirectGrading
from course.mistakes.cnn_layers import ASSIGNMENT, MISTAKES

NOTEBOOK = DirectGrading(ASSIGNMENT)


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [(g, label) for g in ("conv_params", "dense_params") for label in MISTAKES[g]],
)
def test_wrong_weight_counts_do_not_give_the_count_away(grade_id, label):
    """Does a wrong conv_params/dense_params hear "incorrect" without the right count?"""
    namespace = NOTEBOOK.namespace(MISTAKES[grade_id][label])
    question = {"conv_params": cnn_layers.q5, "dense_params": cnn_layers.q6}[grade_id]
    assert question.name == grade_id
    feedback = question.evaluate(namespace[grade_id])
    assert feedback.outcome is Outcome.INCORRECT, feedback
    cases = (
        cnn_layers.CONV_PARAMS_CASES if grade_id == "conv_params" else cnn_layers.DENSE_PARAMS_CASES
    )
    right = getattr(formulas, grade_id)(*cases[0])
    assert f"{right:,}" not in feedback.message and str(right) not in feedback.message
