"""Tests for course.metrics: the scores notebooks and checks share, worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

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


def _mask(*rects, shape=(8, 8)):
    mask = np.zeros(shape, int)
    for ident, (r0, r1, c0, c1) in rects:
        mask[r0:r1, c0:c1] = ident
    return mask


def test_instance_matching_exact_merged_and_half_matches():
    """Exact instances match; one prediction over two touching objects matches neither; a
    prediction covering half an object (IoU exactly 0.5) does not match (strictly above)."""
    two = _mask((1, (0, 4, 0, 4)), (2, (0, 4, 4, 8)))
    assert metrics.match_counts(two, two) == (2, 0, 0)
    assert metrics.match_counts(two, _mask((9, (0, 4, 0, 8)))) == (0, 1, 2)
    assert metrics.match_counts(_mask((1, (0, 4, 0, 4))), _mask((1, (0, 4, 0, 2)))) == (0, 1, 1)


def test_instance_ids_are_arbitrary_and_empty_masks():
    """Do ids 3 and 7 against 2 and 9 match as well as 1..n, and are empty masks handled?"""
    true = _mask((3, (0, 4, 0, 4)), (7, (4, 8, 0, 8)))
    pred = _mask((2, (0, 4, 0, 4)), (9, (4, 8, 0, 8)))
    assert metrics.match_counts(true, pred) == (2, 0, 0)
    empty = np.zeros((8, 8), int)
    assert metrics.match_counts(empty, empty) == (0, 0, 0)
    assert metrics.match_counts(true, empty) == (0, 0, 2)
    assert metrics.f1(0, 0, 0) == 1.0 and metrics.f1(2, 1, 1) == pytest.approx(4 / 6)


def test_instance_mask_shapes_must_agree():
    """Are instance masks of different shapes an error that says to give the same (H, W)?"""
    with pytest.raises(ValueError, match="same"):
        metrics.match_counts(np.zeros((4, 4), int), np.zeros((4, 5), int))


def test_total_counts_add_the_scenes_counts():
    """Do the counts of a batch add up those of its scenes?"""
    two = _mask((1, (0, 4, 0, 4)), (2, (0, 4, 4, 8)))
    merged = _mask((9, (0, 4, 0, 8)))
    assert metrics.total_counts(np.stack([two, two]), np.stack([two, merged])) == (2, 1, 2)
