"""course.segmentation: crops, pasting, the mask head's training data and instance masks without
learning (notebook 06)."""

from __future__ import annotations

import numpy as np
import pytest

from course import datasets, metrics
from course import segmentation as seg
from course.models.mask_head import build_mask_head


def _mask(*rects, shape=(8, 8)):
    mask = np.zeros(shape, int)
    for ident, (r0, r1, c0, c1) in rects:
        mask[r0:r1, c0:c1] = ident
    return mask


def _ramp(size=32):
    """(1, size, size, 2) image whose channels are the row and the column index."""
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float32)
    return np.stack([rows, cols], axis=-1)[None]


def test_windows_grow_each_side_by_the_margin():
    """Does a 10x20 box at (5, 6) with margin 0.1 become the window (4, 4, 12, 24)?"""
    assert np.allclose(seg.windows([[5, 6, 10, 20]], 0.1), [[4, 4, 12, 24]])


def test_a_crop_the_size_of_its_box_is_the_box_pixels():
    """With no margin and crop = box side, does crop pixel (i, j) sample image pixel (y + i, x + j)
    exactly?"""
    image = _ramp()
    got = seg.crop_boxes(image, np.array([[4.0, 8.0, 16.0, 16.0]]), np.array([0]), crop=16,
                         margin=0.0)
    assert got.shape == (1, 16, 16, 2)
    assert np.allclose(got[0], image[0, 8:24, 4:20])


def test_crops_take_each_box_from_its_own_image():
    images = np.stack([np.zeros((16, 16, 1)), np.ones((16, 16, 1))]).astype(np.float32)
    boxes = np.array([[2.0, 2.0, 8.0, 8.0]] * 3)
    got = seg.crop_boxes(images, boxes, np.array([1, 0, 1]), crop=4)
    assert got.shape == (3, 4, 4, 1)
    assert np.all(got[[0, 2]] == 1) and np.all(got[1] == 0)


def test_pasting_a_crop_back_gives_the_mask():
    """Is pasting the inverse of cropping (crop = box side, no margin)?"""
    mask = np.zeros((32, 32))
    mask[10:20, 6:14] = 1
    box = np.array([[4.0, 8.0, 16.0, 16.0]])
    probs = seg.crop_boxes(mask[None, ..., None], box, np.array([0]), crop=16, margin=0.0)
    pasted = seg.paste_masks(probs, box, (32, 32), margin=0.0)
    assert np.array_equal(pasted, mask.astype(np.int32))


def test_a_pixel_claimed_twice_goes_to_the_surer_mask_and_a_duplicate_is_dropped():
    """Two side-by-side boxes share a column: the surer mask takes it. A third box, a copy of the
    first with lower probabilities, keeps no pixel and is dropped."""
    left = np.full((1, 8, 8), 0.9)
    right = np.full((1, 8, 8), 0.8)
    copy = np.full((1, 8, 8), 0.7)
    boxes = np.array([[0.0, 0.0, 8.0, 8.0], [7.0, 0.0, 8.0, 8.0], [0.0, 0.0, 8.0, 8.0]])
    pasted = seg.paste_masks(np.concatenate([left, right, copy]), boxes, (8, 16), margin=0.0)
    assert set(np.unique(pasted)) == {0, 1, 2}
    assert np.all(pasted[:, :8] == 1) and np.all(pasted[:, 8:15] == 2)
    assert np.all(pasted[:, 15] == 0)


def test_a_mask_that_keeps_most_of_its_pixels_stays():
    """A mask that loses a quarter of its pixels to a surer neighbour keeps the rest."""
    first = np.full((1, 4, 4), 0.9)
    second = np.full((1, 4, 4), 0.6)
    boxes = np.array([[0.0, 0.0, 4.0, 4.0], [3.0, 0.0, 4.0, 4.0]])
    pasted = seg.paste_masks(np.concatenate([first, second]), boxes, (4, 8), margin=0.0)
    assert np.sum(pasted == 2) == 12


def test_jitter_moves_and_resizes_boxes_by_at_most_the_amount():
    rng = np.random.default_rng(0)
    boxes = np.tile([[10.0, 20.0, 16.0, 8.0]], (500, 1))
    moved = seg.jitter_boxes(boxes, rng, 0.1)
    centres = moved[:, :2] + moved[:, 2:] / 2
    assert np.all(np.abs(centres - [18, 24]) <= 0.1 * np.array([16, 8]) + 1e-9)
    assert np.all(np.abs(np.log(moved[:, 2:] / [16, 8])) <= 0.1 + 1e-9)
    assert np.ptp(moved, axis=0).min() > 0


def test_head_data_has_one_crop_per_object_showing_that_object():
    """Is each target the object of its own box (not its neighbours'), mostly in the middle?"""
    scenes = datasets.multi_scenes.drawn_split("masks", 20)
    x, y = seg.head_data(scenes, seed=0)
    assert x.shape == (scenes["counts"].sum(), seg.CROP, seg.CROP, 3) == y.shape[:3] + (3,)
    assert set(np.unique(y)) == {0.0, 1.0}
    middle = y[:, 6:10, 6:10, 0].mean(axis=(1, 2))
    assert np.median(middle) == 1.0
    assert 0.3 < y.mean() < 0.8


def test_segment_with_no_detection_gives_background():
    head = build_mask_head()
    x = np.zeros((2, 64, 64, 3), np.float32)
    empty = (np.zeros((0, 4)), np.zeros(0), np.zeros(0, int))
    assert np.all(seg.segment(head, x, [empty, empty]) == 0)


def test_masks_from_boxes_split_touching_objects():
    """Two touching squares, one foreground region: their two boxes give two instances that
    match the truth exactly."""
    true = _mask((1, (0, 4, 0, 4)), (2, (0, 4, 4, 8)))
    boxes = np.array([[0.0, 0.0, 4.0, 4.0], [4.0, 0.0, 4.0, 4.0]])
    got = seg.masks_from_boxes(true > 0, boxes, np.array([0.9, 0.8]))
    assert metrics.match_counts(true, got) == (2, 0, 0)


def test_touching_scenes_are_those_with_fewer_parts_than_objects():
    """Side by side (also corner to corner) is touching; one pixel apart is not."""
    side = _mask((1, (0, 4, 0, 4)), (2, (0, 4, 4, 8)))
    corner = _mask((1, (0, 2, 0, 2)), (2, (2, 4, 2, 4)))
    apart = _mask((1, (0, 4, 0, 3)), (2, (0, 4, 4, 8)))
    assert seg.touching(np.stack([side, corner, apart])).tolist() == [True, True, False]


def test_colour_foreground_and_connected_parts():
    """On a plain background, do two touching squares of other colours make one foreground part,
    and a far square a second?"""
    image = np.full((1, 8, 8, 3), 0.2, np.float32)
    image[0, 0:3, 0:3] = (1.0, 0.0, 0.0)
    image[0, 0:3, 3:6] = (0.0, 0.0, 1.0)
    image[0, 6:8, 6:8] = (1.0, 1.0, 1.0)
    foreground = seg.colour_foreground(image)
    assert foreground.sum() == 9 + 9 + 4
    parts = seg.connected_instances(foreground)
    assert parts.shape == (1, 8, 8) and parts.max() == 2
    assert len(np.unique(parts[0, 0:3, 0:6])) == 1


@pytest.fixture(scope="module")
def trained_head():
    """The mask head trained as notebook 06 trains it (seed 0)."""
    import keras

    keras.utils.set_random_seed(0)
    head = build_mask_head()
    x, y = seg.head_data(datasets.multi_scenes.drawn_split("masks", 1000), seed=0)
    head.fit(x, y, epochs=5, batch_size=32, verbose=0)
    return head


def test_trained_head_splits_touching_objects_that_connected_parts_merge(trained_head):
    """On the notebook's test scenes where objects touch, with the true boxes, does the trained
    head find the instances (F1 >= 0.9), where connected parts of the foreground do not, nor a
    head that learned nothing and keeps each whole window (both below 0.5)?"""
    test = datasets.multi_scenes.drawn_split("instances", 200)
    touching = seg.touching(test["instance_masks"])
    truth = test["instance_masks"][touching]
    boxes = [b[:k] for b, k in zip(test["boxes"][touching], test["counts"][touching], strict=True)]
    detections = [(b, np.ones(len(b)), np.zeros(len(b), int)) for b in boxes]
    parts = seg.connected_instances(seg.colour_foreground(test["images"][touching]))
    learned = seg.segment(trained_head, test["x"][touching], detections)
    windows = np.stack([seg.paste_masks(np.ones((len(b), seg.CROP, seg.CROP)), b, (64, 64))
                        for b in boxes])
    assert metrics.f1(*metrics.total_counts(truth, parts)) < 0.5
    assert metrics.f1(*metrics.total_counts(truth, windows)) < 0.5
    assert metrics.f1(*metrics.total_counts(truth, learned)) >= 0.9
