"""Tests for course.compilation_data: the digits split and the tf.data batches."""

from __future__ import annotations

import numpy as np
import pytest

from course import compilation_data


def test_split_sizes_shapes_and_ranges():
    """Is the split 1,078 / 359 / 360 images of (8, 8, 1) float32 in [0, 1], labels 0-9?"""
    data = compilation_data.digits()
    sizes = {name: len(data[f"y_{name}"]) for name in ("train", "val", "test")}
    assert sizes == {"train": 1078, "val": 359, "test": 360}
    for name in ("train", "val", "test"):
        x, y = data[f"x_{name}"], data[f"y_{name}"]
        assert x.shape[1:] == (8, 8, 1) and x.dtype == np.float32
        assert x.min() >= 0.0 and x.max() <= 1.0
        assert set(np.unique(y)) == set(range(10))


def test_split_is_fixed_and_disjoint():
    """Does every call give the same split, with no image in two parts?"""
    a, b = compilation_data.digits(), compilation_data.digits()
    for name in a:
        assert np.array_equal(a[name], b[name])
    flat = {name: a[f"x_{name}"].reshape(len(a[f"x_{name}"]), -1) for name in ("train", "val")}
    train_rows = {row.tobytes() for row in flat["train"]}
    shared = sum(row.tobytes() in train_rows for row in flat["val"])
    assert shared <= 2  # a couple of digits appear twice in scikit-learn's set itself


def test_returns_copies():
    """Can a notebook change the arrays it gets without changing the next call's?"""
    data = compilation_data.digits()
    data["x_train"][:] = 0
    assert compilation_data.digits()["x_train"].max() == 1.0


def test_small_training_set_is_stratified():
    """Does n_train=100 keep 10 images of each digit, and leave validation untouched?"""
    small = compilation_data.digits(n_train=100)
    assert np.bincount(small["y_train"]).tolist() == [10] * 10
    assert np.array_equal(small["x_val"], compilation_data.digits()["x_val"])


@pytest.mark.parametrize("n_train", [5, 5000])
def test_impossible_sizes_raise(n_train):
    """Does an impossible training-set size raise a ValueError naming the range?"""
    with pytest.raises(ValueError, match="between 10 and 1078"):
        compilation_data.digits(n_train=n_train)


def test_batches_cover_the_data_once_per_epoch():
    """Do the batches hold every example once, reshuffled with shuffle=True?"""
    x = np.arange(50, dtype="float32")[:, None]
    y = np.arange(50)
    data = compilation_data.batches(x, y, batch_size=16, shuffle=True, seed=1)
    epoch1 = np.concatenate([b.numpy() for _, b in data])
    epoch2 = np.concatenate([b.numpy() for _, b in data])
    assert sorted(epoch1.tolist()) == list(range(50)) == sorted(epoch2.tolist())
    assert not np.array_equal(epoch1, epoch2)
    assert len(compilation_data.batches(x, y, batch_size=16)) == 4
