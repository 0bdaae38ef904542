"""Tests for course.datasets.faces: the face detector's windows."""

from __future__ import annotations

import numpy as np

from course.datasets import faces


def test_face_data_is_balanced_enough_and_standardised():
    """Do the face windows hold the 600 faces and many more non-faces, each standardised?"""
    data = faces.face_data(seed=0)
    assert data["x"].shape[1:] == (25, 25, 1) and len(data["x"]) == len(data["y"])
    assert data["y"].sum() == 600 and len(data["y"]) > 3 * 600
    np.testing.assert_allclose(data["x"].mean(axis=(1, 2, 3)), 0, atol=1e-4)
    assert data["pool"].shape[1:] == (25, 25) and len(data["pool"]) > 1000


def test_photo_windows_boxes_match_the_windows():
    """Does each window of photo_windows show the part of the photo its box says?"""
    image = np.zeros((100, 120), dtype=np.float32)
    image[40:60, 50:70] = 1.0  # a bright 20x20 square
    windows, boxes = faces.photo_windows(image, window=20, step=2, size=10)
    assert windows.shape[1:] == (10, 10) and boxes.shape == (len(windows), 4)
    best = boxes[np.argmax(windows.mean(axis=(1, 2)))]
    np.testing.assert_allclose(best, [50, 40, 20, 20], atol=2)
    too_big = faces.photo_windows(image, window=500)
    assert too_big[0].shape == (0, 25, 25) and too_big[1].shape == (0, 4)
