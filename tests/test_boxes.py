"""Tests for course.boxes: box formats and IoU, by hand and against Keras."""

from __future__ import annotations

import numpy as np
import pytest

from course.boxes import (
    box_iou,
    center_to_xywh,
    corners_to_xywh,
    tfds_to_xywh,
    xywh_to_center,
    xywh_to_corners,
    xywh_to_tfds,
)
from course.exercises import tasks


def test_conversions_on_a_hand_computed_box():
    """Does box (x=10, y=20, w=30, h=40) convert to the corners and centre worked out by hand?"""
    box = np.array([10.0, 20.0, 30.0, 40.0], dtype=np.float32)
    np.testing.assert_array_equal(xywh_to_corners(box), [10, 20, 40, 60])
    np.testing.assert_array_equal(corners_to_xywh([10, 20, 40, 60]), box)
    np.testing.assert_array_equal(xywh_to_center(box), [25, 40, 30, 40])
    np.testing.assert_array_equal(center_to_xywh([25, 40, 30, 40]), box)
    np.testing.assert_allclose(xywh_to_tfds(box, 64), [20 / 64, 10 / 64, 60 / 64, 40 / 64])
    np.testing.assert_allclose(tfds_to_xywh([20 / 64, 10 / 64, 60 / 64, 40 / 64], 64), box)


def test_conversions_round_trip():
    """Do the conversions invert each other on any (..., 4) array, keeping its shape?"""
    rng = np.random.default_rng(0)
    boxes = rng.uniform(0, 50, (5, 3, 4)).astype(np.float32)
    pairs = [
        (xywh_to_corners, corners_to_xywh),
        (xywh_to_center, center_to_xywh),
        (lambda b: xywh_to_tfds(b, 64), lambda b: tfds_to_xywh(b, 64)),
    ]
    for forward, back in pairs:
        there = forward(boxes)
        assert there.shape == boxes.shape
        np.testing.assert_allclose(back(there), boxes, rtol=1e-5, atol=1e-4)


def test_integer_boxes_convert_to_floats():
    """Do integer boxes come back as floats, so centres like 2.5 are kept?"""
    center = xywh_to_center(np.array([0, 0, 5, 5]))
    assert np.issubdtype(center.dtype, np.floating)
    np.testing.assert_array_equal(center, [2.5, 2.5, 5, 5])


def test_box_iou_by_hand():
    """Is the IoU of (0, 0, 2, 2) and (1, 1, 2, 2) equal to 1/7, and 0 for disjoint boxes?"""
    assert box_iou([0, 0, 2, 2], [1, 1, 2, 2]) == pytest.approx(1 / 7)
    assert box_iou([0, 0, 2, 2], [0, 0, 2, 2]) == pytest.approx(1.0)
    assert box_iou([0, 0, 2, 2], [5, 5, 2, 2]) == 0.0


def test_conversion_rejects_a_wrong_last_axis():
    """Does a box array whose last axis is not 4 raise a ValueError?"""
    with pytest.raises(ValueError, match=r"\(\.\.\., 4\)"):
        xywh_to_corners(np.zeros((3, 5)))


@pytest.mark.parametrize(("box_a", "box_b", "_"), tasks.IOU_CASES)
def test_keras_iou_agrees_with_box_iou(box_a, box_b, _):
    """Does the ground truth of the IoU check (Keras) agree with course.box_iou?"""
    assert (
        abs(tasks.keras_iou(box_a, box_b) - float(box_iou(np.array(box_a), np.array(box_b)))) < 1e-5
    )


def test_keras_conversions_agree_with_the_box_helpers():
    """Do the conversion checks' ground truths agree with course.boxes?"""
    boxes = np.array([[1.0, 2.0, 5.0, 9.0], [0.0, 0.0, 3.0, 1.0]])  # corners
    centre = tasks.keras_convert_boxes(boxes, "xyxy", "center_xywh")
    np.testing.assert_allclose(centre, xywh_to_center(corners_to_xywh(boxes)))
    back = tasks.keras_convert_boxes(centre, "center_xywh", "xyxy")
    np.testing.assert_allclose(back, boxes, atol=1e-6)
