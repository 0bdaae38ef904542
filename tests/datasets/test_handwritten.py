"""Tests for course.datasets.handwritten: one digits loader, split the course's three ways."""

from __future__ import annotations

import numpy as np
import pytest

from course import datasets, metrics

PARTS = ("train", "val", "test")


def _three_way(**kwargs) -> dict[str, np.ndarray]:
    arrays = datasets.digits("train/val/test", channel=True, **kwargs)
    names = [f"{xy}_{part}" for part in PARTS for xy in ("x", "y")]
    return dict(zip(names, arrays, strict=True))


def test_random_split_without_overlap():
    """Are the digits in [0, 1], 8x8, split 80/20 with no image in both halves?"""
    x_train, y_train, x_test, y_test = datasets.digits()
    assert x_train.shape[1:] == (8, 8) and len(x_train) + len(x_test) == 1797
    assert len(x_test) == round(0.2 * 1797) and x_train.min() == 0 and x_train.max() == 1
    assert set(y_train) == set(range(10)) and y_train.dtype == y_test.dtype == np.int64
    assert metrics.nearest_distances(x_test[:50], x_train).shape == (50,)


def test_stratified_split_sizes_shapes_and_ranges():
    """Is the stratified split 1,078 / 359 / 360 images of (8, 8, 1) float32 in [0, 1],
    labels 0-9?"""
    data = _three_way()
    sizes = {name: len(data[f"y_{name}"]) for name in PARTS}
    assert sizes == {"train": 1078, "val": 359, "test": 360}
    for name in PARTS:
        x, y = data[f"x_{name}"], data[f"y_{name}"]
        assert x.shape[1:] == (8, 8, 1) and x.dtype == np.float32
        assert x.min() >= 0.0 and x.max() <= 1.0
        assert set(np.unique(y)) == set(range(10))


def test_stratified_split_is_fixed_and_disjoint():
    """Does every call give the same split, with no image in two parts?"""
    a, b = _three_way(), _three_way()
    for name in a:
        assert np.array_equal(a[name], b[name])
    flat = {name: a[f"x_{name}"].reshape(len(a[f"x_{name}"]), -1) for name in ("train", "val")}
    train_rows = {row.tobytes() for row in flat["train"]}
    shared = sum(row.tobytes() in train_rows for row in flat["val"])
    assert shared <= 2  # a couple of digits appear twice in scikit-learn's set itself


def test_returns_copies():
    """Can a notebook change the arrays it gets without changing the next call's?"""
    for split in datasets.handwritten.SPLITS:
        datasets.digits(split)[0][:] = 0
        assert datasets.digits(split)[0].max() == 1.0


def test_small_training_set_is_stratified():
    """Does n_train=100 keep 10 images of each digit, and leave validation untouched?"""
    small = _three_way(n_train=100)
    assert np.bincount(small["y_train"]).tolist() == [10] * 10
    assert np.array_equal(small["x_val"], _three_way()["x_val"])


@pytest.mark.parametrize("n_train", [5, 5000])
def test_impossible_sizes_raise(n_train):
    """Does an impossible training-set size raise a ValueError naming the range?"""
    with pytest.raises(ValueError, match="between 10 and 1078"):
        datasets.digits("train/val/test", n_train=n_train)


def test_lenet_sizes_shapes_and_range():
    """Are all the digits (1797, 32, 32, 1) or (1797, 8, 8, 1) in [0, 1], with 2-pixel zero
    borders at 32x32?"""
    x32, y = datasets.digits("all", size=32, channel=True)
    x8, y8 = datasets.digits("all", size=8, channel=True)
    assert x32.shape == (1797, 32, 32, 1) and x8.shape == (1797, 8, 8, 1)
    assert x32.dtype == x8.dtype == np.float32
    assert x32.min() >= 0 and x32.max() <= 1 and x8.max() == 1
    assert np.array_equal(y, y8) and set(y) == set(range(10))
    assert not x32[:, :2].any() and not x32[:, :, -2:].any()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"size": 16}, "size"),
        ({"split": "train/validation"}, "unknown split"),
        ({"split": "all", "n_train": 100}, "n_train"),
    ],
)
def test_bad_options_raise(kwargs, message):
    """Does an unknown split or size, or n_train without a training part, raise ValueError?"""
    with pytest.raises(ValueError, match=message):
        datasets.digits(**kwargs)
