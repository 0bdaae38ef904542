"""Notebook 02 (CNN layers): what its checks add to the common grade-cell tests
(tests/exercises/test_grade_cells.py): an incorrect weight count is never answered with the
right one."""

from __future__ import annotations

import numpy as np
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


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (112, True),
        (np.int64(112), True),
        (np.float64(112.0), True),
        (112.0, True),
        (np.float64(112.5), False),
        (True, False),
        (float("nan"), False),
        ("112", False),
    ],
)
def test_a_whole_number_of_any_numeric_type_counts_as_a_size(value, expected):
    """Is np.float64(112.0) a valid output size, while 112.5, a bool or a string is not?"""
    assert cnn_layers.is_integral(value) is expected


def test_pool_output_size_may_return_an_integral_float():
    """Does a pool_output_size returning np.float64 (e.g. np.floor(...) + 1) pass its check?"""

    def pool_output_size(size, pool_size, stride=None, padding="valid"):
        stride = stride or pool_size
        if padding == "same":
            return np.ceil(size / stride)
        return np.floor((size - pool_size) / stride) + 1

    assert cnn_layers.q4.evaluate(pool_output_size).outcome is Outcome.CORRECT
    assert pool_output_size(224, 2) == np.float64(112.0)


def test_a_fractional_size_is_incorrect_and_shows_the_students_value():
    """Is (W - F) / S + 1 without floor incorrect, its message showing the student's 3.5?"""
    feedback = cnn_layers.q4.evaluate(lambda size, pool, stride=None, padding="valid": 3.5)
    assert feedback.outcome is Outcome.INCORRECT
    assert "3.5" in feedback.message
