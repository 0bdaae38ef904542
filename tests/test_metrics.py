"""Tests for course.metrics: the scores notebooks and checks share, worked out by hand."""

from __future__ import annotations

import numpy as np

from course import datasets, metrics


def test_nearest_distance_is_zero_for_copies_and_positive_otherwise():
    """Is the nearest-neighbour distance 0 for a training image and > 0 for a new one?"""
    reference = np.random.default_rng(0).random((30, 8, 8))
    d = metrics.nearest_distances(np.concatenate([reference[:3], reference[:3] + 0.1]), reference)
    np.testing.assert_allclose(d[:3], 0, atol=1e-6)
    assert np.all(d[3:] > 0.1)


def test_manifold_precision_separates_real_digits_from_junk():
    """Do real held-out digits score high and noise, blanks and the mean digit score 0?"""
    x_train, _, x_test, _ = datasets.digits()
    rng = np.random.default_rng(0)
    assert metrics.manifold_precision(x_test[:200], x_train) > 0.8
    junk = [
        rng.uniform(0, 1, (50, 8, 8)),
        np.zeros((50, 8, 8)),
        np.repeat(x_train.mean(0)[None], 50, 0),
    ]
    for samples in junk:
        assert metrics.manifold_precision(samples, x_train) < 0.1


def test_mask_mean_iou_is_keras_mean_iou():
    """Is mask_mean_iou keras.metrics.MeanIoU over background and object, by hand?"""
    truth = np.zeros((1, 4, 4), int)
    truth[0, :2, :2] = 1  # 4 object pixels
    probs = np.zeros((1, 4, 4))
    probs[0, :2, :3] = 0.9  # 6 predicted, 4 right
    # object: 4 right of 6 predicted -> 4/6; background: 10 predicted, all right, of 12 -> 10/12
    expected = (4 / 6 + 10 / 12) / 2
    assert abs(metrics.mask_mean_iou(probs, truth) - expected) < 1e-6
    assert abs(metrics.mask_mean_iou(probs[..., None], truth) - expected) < 1e-6


def test_accuracy_box_iou_and_psnr():
    """Do accuracy, mean_box_iou and psnr give the values worked out by hand?"""
    assert metrics.accuracy(np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]), [0, 1, 1]) == 2 / 3
    boxes = np.array([[0, 0, 2, 2], [0, 0, 4, 4]], float)
    assert (
        abs(metrics.mean_box_iou(boxes, np.array([[1, 0, 2, 2], [0, 0, 4, 4]])) - (2 / 6 + 1) / 2)
        < 1e-6
    )
    a = np.zeros((2, 4, 4))
    assert abs(metrics.psnr(a + 0.1, a) - 20.0) < 1e-6
