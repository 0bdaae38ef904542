"""Tests for course.datasets.shapes: notebook 04's source and target tasks."""

from __future__ import annotations

import numpy as np

from course.datasets import shapes


def test_target_data_is_balanced_deterministic_and_held_out():
    """Exactly n images per class, the same for a seed, other images for another seed, and a
    test set never equal to a training image?"""
    first = shapes.target_data(n_per_class=5, seed=1, n_test=200)
    again = shapes.target_data(n_per_class=5, seed=1, n_test=200)
    other = shapes.target_data(n_per_class=5, seed=2, n_test=200)
    assert first["x_train"].shape == (20, 32, 32, 3) and first["x_test"].shape == (200, 32, 32, 3)
    assert np.bincount(first["y_train"]).tolist() == [5, 5, 5, 5]
    assert np.array_equal(first["x_train"], again["x_train"])
    assert not np.array_equal(first["x_train"], other["x_train"])
    assert np.array_equal(first["x_test"], other["x_test"])  # one held-out set for all seeds
    train = first["x_train"].reshape(20, -1)
    test = first["x_test"].reshape(200, -1)
    distances = ((train[:, None, :] - test[None, :, :]) ** 2).sum(axis=-1)
    assert distances.min() > 0
    assert first["x_train"].min() >= 0.0 and first["x_train"].max() <= 1.0


def test_target_shapes_are_new_to_the_base():
    """Are the target classes other shapes than the source ones, each drawn as a distinct mask?"""
    assert not set(shapes.TARGET_CLASSES) & set(shapes.SOURCE_CLASSES)
    masks = [shapes._target_template(label, 16) for label in range(4)]
    for i in range(4):
        assert masks[i].any() and not masks[i].all()
        for j in range(i):
            assert not np.array_equal(masks[i], masks[j])
