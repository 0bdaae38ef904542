"""Checks of notebook 06's instance matching: (TP, FP, FN) of two instance masks at mask IoU
above a threshold, against ``course.metrics.match_counts`` (mask IoUs counted pixel by pixel).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from course import metrics
from course.checking.asserts import call_answer as _call
from course.checking.asserts import describe
from course.checking.asserts import to_numpy as _to_numpy
from course.checking.crashes import student_check
from course.exercises.detection_generation.grid import extra_arguments


def _blocks(*rects, shape=(8, 8)) -> np.ndarray:
    mask = np.zeros(shape, int)
    for ident, (r0, r1, c0, c1) in rects:
        mask[r0:r1, c0:c1] = ident
    return mask


MATCH_CASES = (
    (
        _blocks((1, (0, 4, 0, 4)), (2, (4, 8, 4, 8))),
        _blocks((1, (0, 4, 0, 4)), (2, (4, 8, 4, 8))),
        {},
        "two objects, both found exactly",
    ),
    (
        _blocks((1, (0, 4, 0, 4)), (2, (0, 4, 4, 8))),
        _blocks((5, (0, 4, 0, 8))),
        {},
        "two touching objects predicted as one",
    ),
    (
        _blocks((1, (0, 4, 0, 4))),
        _blocks((1, (0, 4, 1, 5)), (2, (6, 8, 6, 8))),
        {},
        "one object found shifted by a column, and a false alarm",
    ),
)


def match_hidden_cases():
    """The hidden cases of the instance matching."""
    rng = np.random.default_rng(3)
    return (
        (
            _blocks((1, (0, 4, 0, 4))),
            _blocks((1, (0, 4, 0, 2))),
            {},
            "a prediction covering half of the object: IoU exactly 0.5",
        ),
        (
            _blocks((3, (0, 4, 0, 4)), (7, (4, 8, 0, 8))),
            _blocks((2, (0, 4, 0, 4)), (9, (4, 8, 0, 8))),
            {},
            "ids that are not 1..n",
        ),
        (_blocks((1, (0, 4, 0, 4))), np.zeros((8, 8), int), {}, "nothing predicted"),
        (np.zeros((8, 8), int), _blocks((1, (2, 5, 2, 5))), {}, "nothing to find"),
        (np.zeros((8, 8), int), np.zeros((8, 8), int), {}, "two empty masks"),
        (
            _blocks((1, (0, 4, 0, 4)), (2, (0, 4, 4, 8))),
            _blocks((1, (0, 4, 0, 3)), (2, (0, 4, 3, 8))),
            {"iou_threshold": 0.7},
            "two objects found with a shifted border, threshold 0.7",
        ),
        (
            _blocks((1, (0, 6, 0, 6)), (2, (6, 10, 6, 10)), shape=(10, 12)),
            _blocks((1, (0, 6, 0, 5)), (2, (6, 10, 6, 9)), (3, (0, 2, 10, 12)), shape=(10, 12)),
            {},
            "a 10x12 mask, two found and one false alarm",
        ),
        (rng.integers(0, 4, (6, 6)), rng.integers(0, 3, (6, 6)), {}, "random masks"),
    )


@student_check
def check_match_instances(fn: Callable, cases: Iterable = MATCH_CASES) -> None:
    """``fn(true_mask, pred_mask, iou_threshold=0.5)`` returns (TP, FP, FN) as counted here."""
    for true_mask, pred_mask, kwargs, what in cases:
        expected = metrics.match_counts(true_mask, pred_mask, **kwargs)
        call = f"match_instances(true_mask, pred_mask{extra_arguments(kwargs)}) for {what}"
        got = _call(fn, np.array(true_mask), np.array(pred_mask), **kwargs)
        got = _to_numpy(got)
        ok = isinstance(got, tuple | list | np.ndarray) and np.shape(got) == (3,)
        assert ok, f"{call} returned {describe(got)}; expected a tuple (tp, fp, fn) of 3 ints."
        values = [float(v) for v in np.ravel(got)]
        assert values == [float(v) for v in expected], (
            f"{call} returned (tp, fp, fn) = {tuple(int(v) for v in values)}; that is not the "
            "count of matched pairs (mask IoU above the threshold), unmatched predictions and "
            "unmatched true objects."
        )
