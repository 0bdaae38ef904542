"""Notebook 03's loss checks: each loss by hand (categorical and sparse cross-entropy, MSE,
Huber / smooth L1, 1 - IoU, Dice) against Keras's own, on random and edge cases.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from course.checking.asserts import call as _call
from course.checking.asserts import describe as _describe
from course.checking.crashes import student_check

RTOL, ATOL = 1e-4, 1e-5
"""Tolerance of the comparison with Keras (Keras computes in float32)."""

# A cross-entropy case: (batch size N, classes C, kind). kind: "softmax" (ordinary
# predictions), "confident" (some probabilities exactly 0 or 1) or "soft" (soft labels).
CCE_CASES: tuple[tuple[int, int, str], ...] = ((4, 3, "softmax"), (6, 5, "confident"))

SCCE_CASES: tuple[tuple[int, int, str], ...] = ((4, 3, "softmax"), (5, 4, "confident"))

# An MSE case: the shape of y_true and y_pred, (N, D) targets or (N, H, W, C) images.
MSE_CASES: tuple[tuple[int, ...], ...] = ((8, 4), (3, 6, 5, 2))

# A Huber case: (shape, delta).
HUBER_CASES: tuple[tuple[tuple[int, ...], float], ...] = (((8, 4), 1.0), ((6, 4), 2.0))

# An IoU case: a kind of box pairs (see _box_pairs).
IOU_CASES: tuple[str, ...] = ("overlapping", "mixed")

# A Dice case: (mask shape (N, H, W, 1), axis, kind). kind: "soft" (probabilities),
# "empty" (one image with an empty mask, predicted empty).
DICE_CASES: tuple[tuple[tuple[int, ...], Any, str], ...] = (
    ((2, 8, 8, 1), None, "soft"),
    ((3, 6, 6, 1), (1, 2, 3), "soft"),
    ((2, 6, 6, 1), (1, 2, 3), "empty"),
)


def _to_numpy(value: Any) -> Any:
    """A NumPy value for NumPy input, Keras/TensorFlow tensors converted; anything else as is."""
    if isinstance(value, np.ndarray | np.generic | float | int):
        return np.asarray(value)
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        import keras

        return np.asarray(keras.ops.convert_to_numpy(value))
    return value


def _scalar(call: str, got: Any) -> float:
    """The student's loss as a float, or an AssertionError saying why it is not one number."""
    value = _to_numpy(got)
    assert isinstance(value, np.ndarray) and not isinstance(got, bool), (
        f"{call} returned {_describe(got)}; expected one number (a float), the loss averaged "
        "over the batch."
    )
    assert value.size == 1, (
        f"{call} returned {_describe(value)}; expected one number: Keras's default reduction "
        "'sum_over_batch_size' averages the per-sample losses over the batch."
    )
    assert np.issubdtype(value.dtype, np.number), f"{call} returned {_describe(got)}."
    return float(value.reshape(()))


def _assert_loss_close(
    call: str, got: Any, expected: float, reference: str, finite: str = ""
) -> None:
    value = _scalar(call, got)
    assert math.isfinite(value), f"{call} returned {value}; {reference} is finite here.{finite}"
    if not math.isclose(value, expected, rel_tol=RTOL, abs_tol=ATOL):
        ratio = f"{value / expected:.4g} times" if expected else "not equal to"
        raise AssertionError(
            f"{call} returned {value:.6g}, {ratio} the value of {reference} "
            f"(tolerance {RTOL:g} relative)."
        )


_LOG_ZERO = " A predicted probability of exactly 0 gives log(0) unless it is clipped first."


def _float(value: Any) -> float:
    import keras

    return float(keras.ops.convert_to_numpy(value))


def _probabilities(rng: np.random.Generator, n: int, c: int, kind: str) -> np.ndarray:
    """(n, c) float32 rows summing to 1: a softmax, or some rows exactly one-hot."""
    logits = rng.normal(scale=2.0, size=(n, c))
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    if kind == "confident":
        p[: n // 2 + 1] = 0.0
        p[: n // 2 + 1, 0] = 1.0  # rows sure of class 0: right for some labels, wrong for others
    return p.astype(np.float32)


def _labels(rng: np.random.Generator, n: int, c: int, kind: str) -> np.ndarray:
    labels = rng.integers(c, size=n)
    if kind == "confident":
        labels[0], labels[1] = 0, 1 + rng.integers(c - 1)  # one sure and right, one sure and wrong
    return labels.astype(np.int64)


def _cce_inputs(rng, n, c, kind):
    labels = _labels(rng, n, c, kind)
    y_true = np.eye(c, dtype=np.float32)[labels]
    if kind == "soft":
        y_true = 0.8 * y_true + 0.2 * rng.dirichlet(np.ones(c), size=n).astype(np.float32)
    return y_true, _probabilities(rng, n, c, kind)


def _kind_note(kind: str) -> str:
    return {
        "confident": " (some predicted probabilities exactly 0 or 1)",
        "soft": " (soft labels)",
    }.get(kind, "")


@student_check
def check_categorical_crossentropy(
    fn: Callable, cases: Iterable = CCE_CASES, seed: int = 0
) -> None:
    """Compare ``fn(y_true, y_pred)`` with keras.losses.CategoricalCrossentropy().

    y_true: (N, C) one-hot (or soft) labels; y_pred: (N, C) probabilities.
    """
    import keras

    rng = np.random.default_rng(seed)
    for n, c, kind in cases:
        y_true, y_pred = _cce_inputs(rng, n, c, kind)
        expected = _float(keras.losses.CategoricalCrossentropy()(y_true, y_pred))
        call = (
            f"categorical_crossentropy(y_true {y_true.shape}, y_pred {y_pred.shape}"
            f"{_kind_note(kind)})"
        )
        got = _call(fn, "categorical_crossentropy", y_true.copy(), y_pred.copy())
        _assert_loss_close(call, got, expected, "keras.losses.CategoricalCrossentropy()", _LOG_ZERO)


@student_check
def check_sparse_categorical_crossentropy(
    fn: Callable, cases: Iterable = SCCE_CASES, seed: int = 1
) -> None:
    """Compare ``fn(labels, y_pred)`` with keras.losses.SparseCategoricalCrossentropy().

    labels: (N,) int class indices; y_pred: (N, C) probabilities.
    """
    import keras

    rng = np.random.default_rng(seed)
    for n, c, kind in cases:
        labels = _labels(rng, n, c, kind)
        y_pred = _probabilities(rng, n, c, kind)
        expected = _float(keras.losses.SparseCategoricalCrossentropy()(labels, y_pred))
        call = (
            f"sparse_categorical_crossentropy(labels {labels.shape}, y_pred {y_pred.shape}"
            f"{_kind_note(kind)})"
        )
        got = _call(fn, "sparse_categorical_crossentropy", labels.copy(), y_pred.copy())
        _assert_loss_close(
            call, got, expected, "keras.losses.SparseCategoricalCrossentropy()", _LOG_ZERO
        )


@student_check
def check_mean_squared_error(fn: Callable, cases: Iterable = MSE_CASES, seed: int = 2) -> None:
    """Compare ``fn(y_true, y_pred)`` with keras.losses.MeanSquaredError() (any shape (N, ...))."""
    import keras

    rng = np.random.default_rng(seed)
    for shape in cases:
        y_true = rng.uniform(size=shape).astype(np.float32)
        y_pred = (y_true + rng.normal(scale=0.3, size=shape)).astype(np.float32)
        expected = _float(keras.losses.MeanSquaredError()(y_true, y_pred))
        call = f"mean_squared_error(y_true {shape}, y_pred {shape})"
        got = _call(fn, "mean_squared_error", y_true.copy(), y_pred.copy())
        _assert_loss_close(call, got, expected, "keras.losses.MeanSquaredError()")


@student_check
def check_huber(fn: Callable, cases: Iterable = HUBER_CASES, seed: int = 3) -> None:
    """Compare ``fn(y_true, y_pred, delta)`` with keras.losses.Huber(delta)."""
    import keras

    rng = np.random.default_rng(seed)
    for shape, delta in cases:
        y_true = rng.uniform(0, 10, size=shape).astype(np.float32)
        # errors on both sides of delta: small ones (quadratic part), large ones (linear part)
        errors = rng.normal(scale=delta, size=shape) * rng.choice([0.3, 3.0], size=shape)
        y_pred = (y_true + errors).astype(np.float32)
        expected = _float(keras.losses.Huber(delta=delta)(y_true, y_pred))
        call = f"huber(y_true {shape}, y_pred {shape}, delta={delta})"
        got = _call(fn, "huber", y_true.copy(), y_pred.copy(), delta=delta)
        _assert_loss_close(call, got, expected, f"keras.losses.Huber(delta={delta})")


def _box_pairs(rng: np.random.Generator, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(N, 4) true and predicted boxes (x, y, w, h) in pixels, x, y the top-left corner."""
    if kind == "overlapping":  # predictions near the truth
        true = np.column_stack([rng.uniform(0, 40, (6, 2)), rng.uniform(5, 20, (6, 2))])
        pred = true + rng.normal(scale=3.0, size=true.shape)
        pred[:, 2:] = np.abs(pred[:, 2:]) + 1
    else:  # identical, nested, apart on one axis, apart on both axes, touching, overlapping
        true = np.array(
            [
                [10, 10, 20, 10],
                [0, 0, 30, 30],
                [0, 0, 10, 10],
                [0, 0, 10, 10],
                [5, 5, 10, 10],
                [12, 8, 16, 20],
                [40, 2, 6, 9],
            ],
            dtype=float,
        )
        pred = np.array(
            [
                [10, 10, 20, 10],
                [5, 10, 10, 5],
                [20, 2, 10, 10],
                [20, 30, 5, 8],
                [15, 5, 10, 10],
                [14, 4, 10, 18],
                [37, 5, 7, 4],
            ],
            dtype=float,
        )
        order = rng.permutation(len(true))
        true, pred = true[order], pred[order]
    return true.astype(np.float32), pred.astype(np.float32)


def keras_box_iou(boxes_true: np.ndarray, boxes_pred: np.ndarray) -> np.ndarray:
    """IoU of each pair of (N, 4) boxes (x, y, w, h), by keras.utils.bounding_boxes. -> (N,)."""
    import keras

    table = keras.utils.bounding_boxes.compute_iou(boxes_true, boxes_pred, "xywh")
    return np.diagonal(keras.ops.convert_to_numpy(table)).astype(np.float64)


@student_check
def check_iou_loss(fn: Callable, cases: Iterable = IOU_CASES, seed: int = 4) -> None:
    """Compare ``fn(boxes_true, boxes_pred)`` with the mean of 1 - IoU from Keras's compute_iou.

    Boxes: (N, 4) float32 (x, y, w, h) in pixels, (x, y) the top-left corner (``course.boxes``).
    """
    rng = np.random.default_rng(seed)
    for kind in cases:
        boxes_true, boxes_pred = _box_pairs(rng, kind)
        expected = float(np.mean(1.0 - keras_box_iou(boxes_true, boxes_pred)))
        note = " (identical, nested, disjoint and overlapping pairs)" if kind == "mixed" else ""
        call = f"iou_loss(boxes_true {boxes_true.shape}, boxes_pred {boxes_pred.shape}{note})"
        got = _call(fn, "iou_loss", boxes_true.copy(), boxes_pred.copy())
        _assert_loss_close(
            call, got, expected, "1 - IoU averaged over the batch, IoU by Keras's compute_iou"
        )


def _masks(rng: np.random.Generator, shape: tuple[int, ...], kind: str):
    """(N, H, W, 1) float32 true masks (0/1 blobs) and predicted probabilities."""
    n, h, w = shape[:3]
    rows, cols = np.mgrid[:h, :w]
    y_true = np.zeros(shape, dtype=np.float32)
    for i in range(n):
        cy, cx, r = rng.uniform(1, h - 1), rng.uniform(1, w - 1), rng.uniform(1.5, h / 2.5)
        y_true[i, ..., 0] = ((rows - cy) ** 2 + (cols - cx) ** 2 <= r**2).astype(np.float32)
    noise = rng.uniform(-0.4, 0.4, size=shape)
    y_pred = np.clip(0.15 + 0.7 * y_true + noise, 0.0, 1.0).astype(np.float32)
    if kind == "empty":
        y_true[0] = 0.0
        y_pred[0] = 0.0
    return y_true, y_pred


@student_check
def check_dice_loss(fn: Callable, cases: Iterable = DICE_CASES, seed: int = 5) -> None:
    """Compare ``fn(y_true, y_pred, axis)`` with keras.losses.Dice(axis=axis).

    y_true: (N, H, W, 1) 0/1 masks; y_pred: (N, H, W, 1) probabilities.
    """
    import keras

    rng = np.random.default_rng(seed)
    for shape, axis, kind in cases:
        y_true, y_pred = _masks(rng, shape, kind)
        expected = _float(keras.losses.Dice(axis=axis)(y_true, y_pred))
        note = " (the first image's mask is empty, and predicted empty)" if kind == "empty" else ""
        call = f"dice_loss(y_true {shape}, y_pred {shape}, axis={axis}{note})"
        got = _call(fn, "dice_loss", y_true.copy(), y_pred.copy(), axis=axis)
        _assert_loss_close(
            call,
            got,
            expected,
            f"keras.losses.Dice(axis={axis})",
            " An empty mask predicted "
            "empty gives 0 / 0 unless something keeps the denominator above 0.",
        )
