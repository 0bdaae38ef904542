"""course.detection.mean_ap: mean average precision at IoU 0.5, against cases computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from course import detection

BOX_A, BOX_B = [0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 10.0, 10.0]


def _det(boxes, scores, labels):
    return np.array(boxes, float).reshape(-1, 4), np.array(scores, float), np.array(labels)


def _truth(boxes, labels):
    return np.array(boxes, float).reshape(-1, 4), np.array(labels)


def test_perfect_detections_score_one_and_none_score_zero():
    """Do exact boxes give mAP 1, and no detection at all give 0?"""
    truths = [_truth([BOX_A, BOX_B], [0, 1])]
    assert detection.mean_average_precision([_det([BOX_A, BOX_B], [0.9, 0.8], [0, 1])],
                                                truths) == pytest.approx(1.0)
    assert detection.mean_average_precision([_det([], [], [])], truths) == 0.0


def test_a_false_positive_ranked_first_costs_half_the_precision():
    """One true box, a wrong box scored 0.9 then the right one 0.8: precision 1/2 at recall 1,
    so AP = 0.5 (by hand)."""
    dets = [_det([BOX_B, BOX_A], [0.9, 0.8], [0, 0])]
    assert detection.mean_average_precision(dets, [_truth([BOX_A], [0])]) == pytest.approx(0.5)


def test_a_false_positive_ranked_last_costs_nothing():
    """The right box first, then a wrong one: recall 1 is reached at precision 1: AP = 1."""
    dets = [_det([BOX_A, BOX_B], [0.9, 0.8], [0, 0])]
    assert detection.mean_average_precision(dets, [_truth([BOX_A], [0])]) == pytest.approx(1.0)


def test_a_duplicate_is_a_false_positive_and_iou_at_the_threshold_counts():
    """Two true boxes in two images; image 1: the box (IoU 1, 0.9) and a duplicate (0.8); image 2:
    a box at IoU exactly 0.5 (0.7). TP, FP, TP: precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1:
    AP = 1/2 * 1 + 1/2 * 2/3 = 5/6 (interpolated)."""
    half = [0.0, 0.0, 20.0, 10.0]  # IoU with BOX_A: 100 / 200 = 0.5
    dets = [_det([BOX_A, BOX_A], [0.9, 0.8], [0, 0]), _det([half], [0.7], [0])]
    truths = [_truth([BOX_A], [0]), _truth([BOX_A], [0])]
    assert detection.mean_average_precision(dets, truths) == pytest.approx(5 / 6)


def test_wrong_class_misses_and_classes_are_averaged():
    """Class 0 found perfectly (AP 1), class 1's box detected as class 0 (class 1 AP 0, and a
    false positive for class 0 ranked last): mAP = (1 + 0) / 2."""
    dets = [_det([BOX_A, BOX_B], [0.9, 0.8], [0, 0])]
    truths = [_truth([BOX_A, BOX_B], [0, 1])]
    assert detection.mean_average_precision(dets, truths) == pytest.approx(0.5)


def test_ranking_across_images_and_a_higher_threshold():
    """Scores are ranked over all images; at IoU 0.75 a box at IoU 0.5 is a miss."""
    half = [0.0, 0.0, 20.0, 10.0]
    dets = [_det([half], [0.9], [0]), _det([BOX_B], [0.8], [0])]
    truths = [_truth([BOX_A], [0]), _truth([BOX_B], [0])]
    # IoU 0.5: TP, TP -> 1; IoU 0.75: FP, TP -> precision 1/2 at recall 1/2 -> 0.25
    assert detection.mean_average_precision(dets, truths) == pytest.approx(1.0)
    assert detection.mean_average_precision(dets, truths, 0.75) == pytest.approx(0.25)


def test_average_precision_interpolates_the_precision_envelope():
    """Precision 1, 0.5, 2/3 at recall 1/3, 1/3, 2/3, then nothing: AP = 1/3 + 1/3 * 2/3."""
    ap = detection.average_precision([1 / 3, 1 / 3, 2 / 3], [1.0, 0.5, 2 / 3])
    assert ap == pytest.approx(1 / 3 + 2 / 9)


def test_mismatched_lengths_are_an_error():
    """Is a detections list of the wrong length refused with a clear message?"""
    with pytest.raises(ValueError, match="images"):
        detection.mean_average_precision([], [_truth([BOX_A], [0])])
