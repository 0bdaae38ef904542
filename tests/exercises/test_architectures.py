"""Notebook 05 (architectures): what its checks add to the common grade-cell tests
(tests/exercises/test_grade_cells.py): an incorrect answer is never answered with the right
one; the residual check accepts a right block written another way and rejects a block
without its shortcut; the Inception ground truths equal the closed-form counts.
"""

from __future__ import annotations

import numpy as np
import pytest

from course import formulas
from course.checking import Outcome
from course.exercises import architectures as checks
from course.grading.direct import DirectGrading
from course.mistakes.architectures import ASSIGNMENT, MISTAKES
from course.models import classic

NOTEBOOK = DirectGrading(ASSIGNMENT)
QUESTIONS = {q.name: q for q in (checks.q1, checks.q2, checks.q3, checks.q4, checks.q5, checks.q6)}


def _right_answers(grade_id: str) -> list[str]:
    """The right answer to the first visible case, as it could appear in a message."""
    if grade_id == "inception_output_shape":
        (shape, filters) = checks.INCEPTION_SHAPE_CASES[0]
        return [str(checks.keras_inception(shape, filters)[0][2])]
    if grade_id == "inception_params":
        depth, filters = checks.INCEPTION_PARAMS_CASES[0]
        count = checks.keras_inception((8, 8, depth), filters)[1]
        return [f"{count:,}", str(count)]
    if grade_id == "separable_conv_params":
        count = checks.keras_separable_params(*checks.SEPARABLE_PARAMS_CASES[0])
        return [f"{count:,}", str(count)]
    if grade_id == "separable_cost_ratio":
        kernel, depth, filters = checks.COST_RATIO_CASES[0]
        ratio = (kernel**2 * depth + depth * filters) / (kernel**2 * depth * filters)
        return [f"{ratio:.6g}", f"{ratio:.3f}"]
    if grade_id == "compound_scaling":
        return [f"{value:.6g}" for value in classic.compound_multipliers(3)]
    return []


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [(grade_id, label) for grade_id, mistakes in MISTAKES.items() for label in mistakes],
)
def test_feedback_does_not_give_the_answer_away(grade_id, label):
    """Does qN.check() call a mistake incorrect without giving the answer away?"""
    namespace = NOTEBOOK.namespace(MISTAKES[grade_id][label])
    feedback = QUESTIONS[grade_id].evaluate(namespace[grade_id])
    assert feedback.outcome is Outcome.INCORRECT, feedback
    for answer in _right_answers(grade_id):
        assert answer not in feedback.message, (answer, feedback.message)


def test_residual_check_accepts_a_right_block_written_differently():
    """Is a right block accepted whatever its style (shortcut first, ops.add, Activation)?"""
    namespace = NOTEBOOK.namespace()
    exec(
        """
def residual_block(x, filters, stride=1):
    if stride == 1 and x.shape[-1] == filters:
        shortcut = x
    else:
        shortcut = layers.BatchNormalization()(
            layers.Conv2D(filters, kernel_size=(1, 1), strides=(stride, stride), use_bias=False)(x)
        )
    y = layers.Conv2D(filters, (3, 3), strides=stride, padding="same", use_bias=False)(x)
    y = layers.Activation("relu")(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same", use_bias=False)(y))
    return keras.ops.relu(keras.ops.add(shortcut, y))
""",
        namespace,
    )
    checks.check_residual_block(namespace["residual_block"])


def test_residual_check_rejects_a_block_without_shortcut():
    """Does a plain block (no shortcut at all, same weights) fail the residual check?"""
    namespace = NOTEBOOK.namespace()
    exec(
        """
def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    y = layers.ReLU()(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same", use_bias=False)(y))
    if stride != 1 or x.shape[-1] != filters:
        layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x))
    return layers.ReLU()(y)
""",
        namespace,
    )
    with pytest.raises(AssertionError, match="shortcut"):
        checks.check_residual_block(namespace["residual_block"], cases=[((8, 8, 16), 16, 1)])


def test_inception_checks_agree_with_the_formulas():
    """Do the Keras ground truths of the Inception checks equal the closed-form counts?"""
    shape, count = checks.keras_inception((28, 28, 192), classic.INCEPTION_3A)
    f1, f3r, f3, f5r, f5, fp = classic.INCEPTION_3A
    assert shape == (28, 28, f1 + f3 + f5 + fp) == (28, 28, 256)
    assert (
        count
        == 163_696
        == sum(
            formulas.conv_params(k, d, f)
            for k, d, f in [(1, 192, f1), (1, 192, f3r), (3, f3r, f3), (1, 192, f5r), (5, f5r, f5)]
            + [(1, 192, fp)]
        )
    )


def test_residual_check_finds_the_kernels_in_any_order():
    """Is a right block accepted when Keras lists its second 3x3 kernel first (a custom Layer
    that builds its convolutions in reverse order, input depth == filters)?"""
    namespace = NOTEBOOK.namespace()
    exec(
        """
class Block(layers.Layer):
    def __init__(self, filters, stride):
        super().__init__()
        self.conv2 = layers.Conv2D(filters, 3, padding="same", use_bias=False)
        self.conv1 = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)
        self.bn1, self.bn2 = layers.BatchNormalization(), layers.BatchNormalization()

    def build(self, input_shape):
        self.conv2.build((*input_shape[:-1], self.conv2.filters))
        self.conv1.build(input_shape)
        self.bn1.build((*input_shape[:-1], self.conv1.filters))
        self.bn2.build((*input_shape[:-1], self.conv2.filters))

    def call(self, x, training=None):
        y = keras.ops.relu(self.bn1(self.conv1(x), training=training))
        return keras.ops.relu(self.bn2(self.conv2(y), training=training) + x)


def residual_block(x, filters, stride=1):
    return Block(filters, stride)(x)
""",
        namespace,
    )
    import keras

    block = namespace["residual_block"]
    inputs = keras.Input(shape=(8, 8, 16))
    three, _ = checks._kernels(keras.Model(inputs, block(inputs, 16)))
    assert [tuple(k.shape) for k in three] == [(3, 3, 16, 16)] * 2
    checks.check_residual_block(block, cases=[((8, 8, 16), 16, 1)])


@pytest.mark.parametrize("value", [163_696.5, True, "163696", None])
def test_a_count_must_be_an_integral_number(value):
    """Are a fractional float, a bool, a string and None rejected as weight counts, while
    NumPy ints and integral floats are accepted?"""
    assert checks._is_count(np.int64(3)) and checks._is_count(np.float64(112.0))
    with pytest.raises(AssertionError, match="expected an int"):
        checks.check_inception_params(lambda d, f: value, cases=[(192, classic.INCEPTION_3A)])
