"""Notebook 01's box checks: corners <-> centre conversions and IoU, against Keras's
``keras.utils.bounding_boxes`` on many cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from course.checking.asserts import as_number as _as_number
from course.checking.asserts import call_answer as _call
from course.checking.asserts import describe as _describe
from course.checking.asserts import to_numpy as _to_numpy
from course.checking.crashes import student_check

BOX_CASES: tuple[tuple[Any, str], ...] = (
    ([10.0, 20.0, 30.0, 60.0], "one box as a list"),
    (np.array([[0, 0, 4, 4], [2, 3, 7, 10], [1, 1, 1, 1]]), "three integer boxes, (3, 4)"),
    (np.array([[[0.5, 1.5, 2.0, 3.0]], [[5.0, 5.0, 6.0, 9.0]]]), "a (2, 1, 4) array of boxes"),
)

CENTER_CASES: tuple[tuple[Any, str], ...] = (
    ([25.0, 50.0, 30.0, 60.0], "one box as a list"),
    (np.array([[2, 2, 4, 4], [5, 6, 3, 7], [1, 1, 0, 0]]), "three integer boxes, (3, 4)"),
    (np.array([[[1.0, 2.0, 1.0, 2.0]], [[8.0, 8.0, 6.0, 2.0]]]), "a (2, 1, 4) array of boxes"),
)

IOU_CASES: tuple[tuple[tuple[float, ...], tuple[float, ...], str], ...] = (
    ((0, 0, 4, 4), (2, 2, 4, 4), "two boxes overlapping at a corner"),
    ((0, 0, 4, 4), (0, 0, 4, 4), "identical boxes"),
    ((0, 0, 10, 10), (2, 3, 4, 5), "one box inside the other"),
    ((0, 0, 2, 2), (5, 5, 2, 2), "boxes apart in both x and y"),
    ((0, 0, 2, 2), (5, 0, 2, 2), "boxes side by side with a gap"),
    ((0, 0, 2, 2), (2, 0, 2, 2), "boxes touching along an edge"),
    ((1, 1, 0, 0), (0, 0, 4, 4), "a zero-area box inside another box"),
    ((3, 3, 0, 0), (3, 3, 0, 0), "two identical zero-area boxes"),
)


def keras_convert_boxes(boxes: Any, source: str, target: str) -> np.ndarray:
    """``keras.utils.bounding_boxes.convert_format`` on (..., 4) boxes, as float32 NumPy."""
    import keras

    array = np.asarray(boxes, dtype=np.float32)
    flat = array.reshape(-1, 4)
    converted = keras.utils.bounding_boxes.convert_format(flat, source=source, target=target)
    return keras.ops.convert_to_numpy(converted).reshape(array.shape)


def _check_conversion(name: str, fn: Callable, cases, source: str, target: str, what: str):
    for boxes, description in cases:
        expected = keras_convert_boxes(boxes, source, target)
        call = f"{name}({description})"
        given = np.array(boxes, copy=True) if isinstance(boxes, np.ndarray) else list(boxes)
        got = _to_numpy(_call(fn, given))
        assert isinstance(got, np.ndarray), (
            f"{call} returned {_describe(got)}; expected a NumPy array of shape {expected.shape}."
        )
        assert got.shape == expected.shape, (
            f"{call} returned an array of shape {got.shape}; expected shape {expected.shape} "
            "(the same boxes, the 4 coordinates on the last axis)."
        )
        assert np.issubdtype(got.dtype, np.floating), (
            f"{call} returned dtype {got.dtype}; expected floats (a centre can fall on a "
            "half pixel)."
        )
        error = float(np.max(np.abs(got - expected)))
        assert np.allclose(got, expected, atol=1e-4), (
            f"{call} is off by up to {error:.3g} from {what} "
            f"(keras.utils.bounding_boxes.convert_format(boxes, {source!r}, {target!r}))."
        )


@student_check
def check_corners_to_center(fn: Callable, cases: Iterable = BOX_CASES) -> None:
    """Compare ``fn(boxes)``, (x_min, y_min, x_max, y_max) -> (cx, cy, w, h), with Keras."""
    _check_conversion(
        "corners_to_center", fn, cases, "xyxy", "center_xywh", "the centre form Keras computes"
    )


@student_check
def check_center_to_corners(fn: Callable, cases: Iterable = CENTER_CASES) -> None:
    """Compare ``fn(boxes)``, (cx, cy, w, h) -> (x_min, y_min, x_max, y_max), with Keras."""
    _check_conversion(
        "center_to_corners", fn, cases, "center_xywh", "xyxy", "the corners Keras computes"
    )


def keras_iou(box_a: Sequence[float], box_b: Sequence[float]) -> float:
    """IoU of two (x, y, w, h) boxes by ``keras.utils.bounding_boxes.compute_iou``."""
    import keras

    a = np.asarray([box_a], dtype=np.float32)
    b = np.asarray([box_b], dtype=np.float32)
    table = keras.utils.bounding_boxes.compute_iou(a, b, bounding_box_format="xywh")
    return float(keras.ops.convert_to_numpy(table)[0, 0])


@student_check
def check_iou(fn: Callable, cases: Iterable = IOU_CASES) -> None:
    """Compare ``fn(box_a, box_b)`` on (x, y, w, h) boxes with Keras's compute_iou."""
    for box_a, box_b, description in cases:
        expected = keras_iou(box_a, box_b)
        call = f"iou({tuple(box_a)}, {tuple(box_b)})"
        got = _as_number(call, _call(fn, tuple(box_a), tuple(box_b)))
        assert 0.0 <= got <= 1.0, (
            f"{call} returned {got:.4g} for {description}; an IoU is a fraction in [0, 1]. "
            "(The boxes are (x, y, w, h): top-left corner, width, height.)"
        )
        assert abs(got - expected) <= 1e-4, (
            f"{call} returned {got:.4g} for {description}, which is not the IoU "
            "keras.utils.bounding_boxes.compute_iou gives (boxes as x, y, w, h)."
        )
