"""course.detection.nms: non-maximum suppression, over all boxes and per class."""

from __future__ import annotations

import numpy as np
import pytest

from course import detection


def test_non_max_suppression_keeps_the_best_of_each_cluster():
    """Does NMS keep the best box of each overlapping group and drop low scores?"""
    boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [50, 50, 10, 10], [80, 0, 10, 10]], float)
    scores = np.array([0.8, 0.95, 0.7, 0.3])
    kept = detection.non_max_suppression(boxes, scores, iou_threshold=0.3, score_threshold=0.5)
    assert kept.tolist() == [1, 2]


def test_per_class_nms_removes_same_class_duplicates_only():
    """Does NMS drop a same-class box overlapping a better one by IoU > 0.5, and keep an equally
    overlapping box of another class?"""
    boxes = np.array([[0, 0, 10, 10], [1, 0, 10, 10], [1, 1, 10, 10], [30, 30, 5, 5]], float)
    scores = np.array([0.9, 0.8, 0.7, 0.6])
    labels = np.array([0, 0, 1, 0])
    kept = detection.non_max_suppression_per_class(boxes, scores, labels)
    kept_boxes, kept_scores, kept_labels = kept
    assert kept_scores.tolist() == pytest.approx([0.9, 0.7, 0.6])
    assert kept_labels.tolist() == [0, 1, 0]
    assert len(kept_boxes) == 3
