"""course.datasets.multi_scenes: notebook 06's scenes of several objects, as arrays."""

from __future__ import annotations

import numpy as np
import pytest

from course.datasets import course_scenes, multi_scenes


def test_the_side_is_the_tfds_builders():
    """Is multi_scenes.SIZE (kept here so that importing it imports no TFDS) the builder's?"""
    assert multi_scenes.SIZE == course_scenes.SIZE


def test_drawn_scenes_have_the_network_input_and_one_to_four_objects():
    """Do drawn scenes carry x (the images minus their mean colour) and 1 to 4 objects, and is
    an unknown split an error that names the known ones?"""
    data = multi_scenes.drawn_split("hidden", 5)
    assert data["images"].shape == data["x"].shape == (5, 64, 64, 3)
    assert np.all((data["counts"] >= 1) & (data["counts"] <= multi_scenes.MAX_OBJECTS))
    np.testing.assert_allclose(data["x"].mean(axis=(1, 2)), 0, atol=1e-5)
    with pytest.raises(ValueError, match="hidden"):
        multi_scenes.drawn_split("train", 5)


def test_tfds_split_pads_boxes_and_labels_to_four_objects():
    """Are a TFDS split's boxes back in (x, y, w, h) pixels inside the image, padded with zero
    boxes and label -1 after the last object?"""
    data = multi_scenes.tfds_split("test", 20)
    assert data["boxes"].shape == (20, 4, 4) and data["labels"].shape == (20, 4)
    present = data["labels"] >= 0
    assert np.all(data["boxes"][~present] == 0)
    boxes = data["boxes"][present]
    assert np.all(boxes[:, 2:] > 0) and np.all(boxes[:, :2] + boxes[:, 2:] <= 64 + 1e-3)
