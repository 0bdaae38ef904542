"""Checks of notebook 06's grid exercises: encoding a scene's boxes into a target grid, and
decoding a grid back into boxes, scores and labels.

Ground truth: the course's reference ``course.detection.grid.encode`` and ``decode``, themselves
tested against grids worked out by hand (tests/detection/test_grid.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from course import detection
from course.checking.asserts import call_answer as _call
from course.checking.asserts import describe
from course.checking.asserts import to_numpy as _to_numpy
from course.checking.crashes import student_check


def scene_objects(seed: int, size: int = 64, count: tuple[int, int] = (1, 4)):
    """The boxes (n, 4) and labels (n,) of one scene of ``make_scenes``, drawn with seed."""
    from course.datasets import scenes

    data = scenes.make_scenes(1, seed=seed, size=size, num_objects=count)
    k = int(data["counts"][0])
    return data["boxes"][0, :k], data["labels"][0, :k]


def _encode_cases():
    boxes, labels = scene_objects(11)
    return (
        (
            np.array([[4.0, 6.0, 20.0, 12.0], [30.0, 33.0, 16.0, 22.0]]),
            np.array([1, 2]),
            {},
            "two boxes in a 64x64 scene",
        ),
        (boxes, labels, {}, "a scene of course.datasets.scenes"),
        (
            [[0.0, 0.0, 16.0, 16.0]],
            [0],
            {"image_size": 32, "grid_size": 4},
            "one box as lists, 32x32 image, 4x4 grid",
        ),
    )


def encode_hidden_cases():
    """The hidden cases of the encoding (built from scenes the student never sees)."""
    cases = []
    for seed in (21, 22, 23):
        boxes, labels = scene_objects(seed, count=(3, 4))
        cases.append((boxes, labels, {}, f"a hidden scene ({len(labels)} objects)"))
    boxes, labels = scene_objects(24, size=32)
    cases += [
        (boxes, labels, {"image_size": 32, "grid_size": 4}, "a hidden 32x32 scene, 4x4 grid"),
        (
            np.array([[8.0, 8.0, 16.0, 16.0]]),
            np.array([4]),
            {"num_classes": 5},
            "a centre on a cell corner (16, 16), 5 classes",
        ),
        (
            np.array([[1.0, 1.0, 10.0, 10.0], [3.0, 2.0, 7.0, 9.0]]),
            np.array([0, 2]),
            {},
            "two centres in one cell: the later object wins",
        ),
        (np.zeros((0, 4)), np.zeros((0,), int), {}, "a scene with no object"),
        (np.array([[10.0, 20.0, 30.0, 40.0]]), np.array([1]), {"grid_size": 16}, "a 16x16 grid"),
    ]
    return tuple(cases)


def extra_arguments(kwargs: dict) -> str:
    """Keyword arguments as they follow the positional ones in a message: ", image_size=32"."""
    return "".join(f", {k}={v}" for k, v in kwargs.items())


@student_check
def check_encode_targets(fn: Callable, cases: Iterable | None = None) -> None:
    """``fn(boxes, labels, image_size=64, grid_size=8, num_classes=3)`` equals the reference
    target grid on every case; messages say which part (cells, offsets, sizes, classes) is off."""
    for boxes, labels, kwargs, what in _encode_cases() if cases is None else cases:
        expected = detection.grid.encode(boxes, labels, **kwargs)
        call = f"encode_targets(boxes, labels{extra_arguments(kwargs)}) for {what}"
        got = _to_numpy(_call(fn, np.array(boxes, float), np.array(labels), **kwargs))
        assert isinstance(got, np.ndarray) and got.shape == expected.shape, (
            f"{call} returned {describe(got)}; expected a grid of shape {expected.shape}: "
            "(grid_size, grid_size, 5 + num_classes)."
        )
        got = got.astype(float)
        cells = np.argwhere(got[..., 0] > 0.5).tolist()
        wanted = np.argwhere(expected[..., 0] > 0.5).tolist()
        assert np.allclose(got[..., 0], expected[..., 0]), (
            f"{call}: objectness is 1 in cells (row, column) {cells}; the scene's objects have "
            f"their centres in {len(wanted)} cell(s). Row = floor(cy / cell), column = "
            "floor(cx / cell), objectness 0 elsewhere."
        )
        for part, channels, hint in (
            ("x, y (channels 1, 2)", slice(1, 3), "the centre's position inside its cell, 0 to 1"),
            ("w, h (channels 3, 4)", slice(3, 5), "width and height divided by the image side"),
            ("classes (channels 5...)", slice(5, None), "one-hot: 1 for the object's class"),
        ):
            error = float(np.max(np.abs(got[..., channels] - expected[..., channels])))
            assert error < 1e-4, (
                f"{call}: {part} differ from the expected grid by up to {error:.3g}; expected "
                f"{hint} in the responsible cells, 0 elsewhere."
            )


def _decode_cases():
    rng = np.random.default_rng(5)
    boxes, labels = scene_objects(12)
    noisy = rng.uniform(0, 1, (8, 8, 8))
    return (
        (detection.grid.encode(boxes, labels), {}, "the target grid of a scene"),
        (noisy, {}, "a random 8x8 grid"),
        (
            noisy[:4, :4],
            {"image_size": 32, "score_threshold": 0.3},
            "a random 4x4 grid, 32x32 image, threshold 0.3",
        ),
    )


def decode_hidden_cases():
    """The hidden cases of the decoding."""
    rng = np.random.default_rng(9)
    cases = []
    for seed in (31, 32):
        boxes, labels = scene_objects(seed, count=(3, 4))
        cases.append((detection.grid.encode(boxes, labels), {}, "a hidden scene's target grid"))
    logits = rng.normal(size=(6, 6, 10))
    probs = np.exp(logits[..., 5:]) / np.exp(logits[..., 5:]).sum(-1, keepdims=True)
    grid = np.concatenate([1 / (1 + np.exp(-logits[..., :5])), probs], axis=-1)
    cases += [
        (grid, {"image_size": 48}, "a 6x6 grid of 5 classes, 48x48 image"),
        (grid, {"image_size": 48, "score_threshold": 0.8}, "the same grid, threshold 0.8"),
        (np.zeros((8, 8, 8)), {}, "a grid with no object"),
    ]
    return tuple(cases)


def _sorted(boxes, scores, labels):
    table = np.column_stack([np.round(boxes, 3), np.round(scores, 4), labels]).reshape(-1, 6)
    return table[np.lexsort(table.T[::-1])] if len(table) else table


@student_check
def check_decode_grid(fn: Callable, cases: Iterable | None = None) -> None:
    """``fn(grid, image_size=64, score_threshold=0.5)`` returns the reference (boxes, scores,
    labels), in any order."""
    for grid, kwargs, what in _decode_cases() if cases is None else cases:
        boxes, scores, labels = detection.grid.decode(grid, **kwargs)
        call = f"decode_grid(grid{extra_arguments(kwargs)}) for {what}"
        got = _call(fn, np.array(grid, float), **kwargs)
        assert isinstance(got, tuple | list) and len(got) == 3, (
            f"{call} returned {describe(got)}; expected a tuple (boxes, scores, labels)."
        )
        got_boxes, got_scores, got_labels = (np.asarray(_to_numpy(v), float) for v in got)
        k = len(scores)
        if k == 0 and got_boxes.size == 0:
            got_boxes = got_boxes.reshape(0, 4)  # np.array([]) for "no box" is fine
        shapes = tuple(v.shape for v in (got_boxes, got_scores, got_labels))
        assert shapes == ((k, 4), (k,), (k,)), (
            f"{call} returned boxes, scores, labels of shapes {shapes}; this grid has {k} cells "
            f"with objectness above the threshold: expected ({k}, 4), ({k},), ({k},)."
        )
        got_table = _sorted(got_boxes, got_scores, got_labels)
        expected = _sorted(boxes, scores, labels)
        for part, columns, hint in (
            ("scores", [4], "each cell's objectness"),
            ("labels", [5], "the class with the highest probability"),
            (
                "boxes",
                [0, 1, 2, 3],
                "(x, y, w, h) in pixels, top-left corner: the cell's "
                "position plus the offset, times the cell's side; w, h times the image side",
            ),
        ):
            error = float(np.max(np.abs(got_table[:, columns] - expected[:, columns]))) if k else 0
            assert error < 1e-2, f"{call}: the {part} differ by up to {error:.3g}; expected {hint}."
