"""Notebook 01's mask checks: pixel accuracy and Dice, against ``keras.metrics.BinaryAccuracy``
and ``keras.losses.Dice`` on random and hand-made masks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from course.checking.asserts import as_number as _as_number
from course.checking.asserts import call_answer as _call
from course.checking.crashes import student_check

MASK_CASES: tuple[tuple[tuple[int, ...], float], ...] = (
    # (shape of the masks, fraction of object pixels)
    ((2, 6, 6), 0.2),
    ((3, 5, 7), 0.5),
    ((1, 8, 8), 0.1),
)


def _mask_case(shape: tuple[int, ...], fraction: float, rng: np.random.Generator):
    """A 0/1 (N, H, W) mask and soft predictions (N, H, W) in [0, 1], none exactly 0.5."""
    y_true = (rng.random(shape) < fraction).astype(np.float32)
    noise = rng.uniform(0.05, 0.45, shape)
    flip = rng.random(shape) < 0.2  # a fifth of the pixels predicted wrong
    y_pred = np.where((y_true > 0) != flip, 0.5 + noise, 0.5 - noise).astype(np.float32)
    return y_true, y_pred


def keras_pixel_accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """``keras.metrics.BinaryAccuracy(threshold=0.5)`` of soft predictions."""
    import keras

    metric = keras.metrics.BinaryAccuracy(threshold=0.5)
    metric.update_state(y_true.reshape(-1, 1), y_pred.reshape(-1, 1))
    return float(metric.result())


def keras_dice(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Dice coefficient = 1 - ``keras.losses.Dice()(y_true, y_pred)`` over all pixels."""
    import keras

    return 1.0 - float(keras.ops.convert_to_numpy(keras.losses.Dice()(y_true, y_pred)))


def _check_mask_metric(name, fn, reference, cases, seed, extra=()):
    rng = np.random.default_rng(seed)
    data = [
        (*_mask_case(shape, fraction, rng), f"masks of shape {shape}") for shape, fraction in cases
    ]
    for y_true, y_pred, description in [*data, *extra]:
        expected = reference(y_true, y_pred)
        call = f"{name}(y_true, y_pred) on {description}"
        got = _as_number(call, _call(fn, y_true.copy(), y_pred.copy()))
        assert abs(got - expected) <= 1e-4, (
            f"{call} returned {got:.4g}, which is not what {reference.__doc__.split(chr(10))[0]} "
            "gives."
        )


@student_check
def check_pixel_accuracy(fn: Callable, cases: Iterable = MASK_CASES, seed: int = 0) -> None:
    """Compare ``fn(y_true, y_pred)`` with keras.metrics.BinaryAccuracy (threshold 0.5)."""
    half = np.full((1, 4, 4), 0.5, np.float32)
    truth = np.zeros((1, 4, 4), np.float32)
    truth[0, 0] = 1  # a quarter of the pixels are object
    mixed = np.where(np.arange(16).reshape(1, 4, 4) % 2 == 0, 0.5, 0.9).astype(np.float32)
    extra = (
        (truth, half, "probabilities all exactly 0.5 (not > 0.5: background)"),
        (truth, mixed, "probabilities 0.5 and 0.9 (0.5 is not > 0.5: background)"),
    )
    _check_mask_metric("pixel_accuracy", fn, keras_pixel_accuracy, cases, seed, extra)


@student_check
def check_dice(fn: Callable, cases: Iterable = MASK_CASES, seed: int = 0) -> None:
    """Compare ``fn(y_true, y_pred)`` with 1 - keras.losses.Dice, soft and hard predictions."""
    square = np.zeros((1, 6, 6), np.float32)
    square[0, 1:4, 1:4] = 1
    shifted = np.roll(square, 1, axis=2)
    extra = (
        (square, square.copy(), "a mask predicted exactly"),
        (square, shifted, "a 3x3 square predicted one pixel to the right"),
        (square, np.roll(square, 3, axis=1), "a prediction that misses the object"),
    )
    _check_mask_metric("dice", fn, keras_dice, cases, seed, extra)
