"""course.instances: instance matching at IoU 0.5 and masks from boxes, on masks drawn by hand."""

from __future__ import annotations

import numpy as np
import pytest

from course import instances


def _mask(*rects, shape=(8, 8)):
    mask = np.zeros(shape, int)
    for ident, (r0, r1, c0, c1) in rects:
        mask[r0:r1, c0:c1] = ident
    return mask


def test_exact_merged_and_half_matches():
    """Exact instances match; one prediction over two touching objects matches neither; a
    prediction covering half an object (IoU exactly 0.5) does not match (strictly above)."""
    two = _mask((1, (0, 4, 0, 4)), (2, (0, 4, 4, 8)))
    assert instances.match_counts(two, two) == (2, 0, 0)
    assert instances.match_counts(two, _mask((9, (0, 4, 0, 8)))) == (0, 1, 2)
    assert instances.match_counts(_mask((1, (0, 4, 0, 4))), _mask((1, (0, 4, 0, 2)))) == (0, 1, 1)


def test_ids_are_arbitrary_and_empty_masks():
    """Do ids 3 and 7 against 2 and 9 match as well as 1..n, and are empty masks handled?"""
    true = _mask((3, (0, 4, 0, 4)), (7, (4, 8, 0, 8)))
    pred = _mask((2, (0, 4, 0, 4)), (9, (4, 8, 0, 8)))
    assert instances.match_counts(true, pred) == (2, 0, 0)
    empty = np.zeros((8, 8), int)
    assert instances.match_counts(empty, empty) == (0, 0, 0)
    assert instances.match_counts(true, empty) == (0, 0, 2)
    assert instances.f1(0, 0, 0) == 1.0 and instances.f1(2, 1, 1) == pytest.approx(4 / 6)


def test_mask_shapes_must_agree():
    with pytest.raises(ValueError, match="same"):
        instances.match_counts(np.zeros((4, 4), int), np.zeros((4, 5), int))


def test_masks_from_boxes_split_touching_objects():
    """Two touching squares, one foreground region: their two boxes give two instances that
    match the truth exactly."""
    true = _mask((1, (0, 4, 0, 4)), (2, (0, 4, 4, 8)))
    boxes = np.array([[0.0, 0.0, 4.0, 4.0], [4.0, 0.0, 4.0, 4.0]])
    got = instances.masks_from_boxes(true > 0, boxes, np.array([0.9, 0.8]))
    assert instances.match_counts(true, got) == (2, 0, 0)


def test_total_counts_add_the_scenes_counts():
    two = _mask((1, (0, 4, 0, 4)), (2, (0, 4, 4, 8)))
    merged = _mask((9, (0, 4, 0, 8)))
    assert instances.total_counts(np.stack([two, two]), np.stack([two, merged])) == (2, 1, 2)


def test_touching_scenes_are_those_with_fewer_parts_than_objects():
    """Side by side (also corner to corner) is touching; one pixel apart is not."""
    side = _mask((1, (0, 4, 0, 4)), (2, (0, 4, 4, 8)))
    corner = _mask((1, (0, 2, 0, 2)), (2, (2, 4, 2, 4)))
    apart = _mask((1, (0, 4, 0, 3)), (2, (0, 4, 4, 8)))
    assert instances.touching(np.stack([side, corner, apart])).tolist() == [True, True, False]


def test_colour_foreground_and_connected_parts():
    """On a plain background, do two touching squares of other colours make one foreground part,
    and a far square a second?"""
    image = np.full((1, 8, 8, 3), 0.2, np.float32)
    image[0, 0:3, 0:3] = (1.0, 0.0, 0.0)
    image[0, 0:3, 3:6] = (0.0, 0.0, 1.0)
    image[0, 6:8, 6:8] = (1.0, 1.0, 1.0)
    foreground = instances.colour_foreground(image)
    assert foreground.sum() == 9 + 9 + 4
    parts = instances.connected_instances(foreground)
    assert parts.shape == (1, 8, 8) and parts.max() == 2
    assert len(np.unique(parts[0, 0:3, 0:6])) == 1
