"""Tests for course.datasets.scenes: synthetic scenes, their boxes and masks, and the splits."""

from __future__ import annotations

import time

import numpy as np
import pytest

from course.boxes import box_iou, xywh_to_corners
from course.datasets import scenes

SIZE = 64


@pytest.fixture(scope="module")
def single() -> dict[str, np.ndarray]:
    return scenes.make_scenes(300, seed=11)


@pytest.fixture(scope="module")
def multi() -> dict[str, np.ndarray]:
    return scenes.make_scenes(300, seed=12, num_objects=(1, 4))


def _extent(mask: np.ndarray) -> np.ndarray:
    """(x, y, w, h) of the True pixels of a (H, W) bool mask."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return np.array([cols[0], rows[0], cols[-1] - cols[0] + 1, rows[-1] - rows[0] + 1])


@pytest.mark.parametrize("num_objects", [1, (1, 4)])
def test_same_seed_same_arrays(num_objects):
    """Does the same seed give identical arrays, and another seed different ones?"""
    a = scenes.make_scenes(20, seed=3, num_objects=num_objects)
    b = scenes.make_scenes(20, seed=3, num_objects=num_objects)
    c = scenes.make_scenes(20, seed=4, num_objects=num_objects)
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    assert not np.array_equal(a["images"], c["images"])


@pytest.mark.parametrize("num_objects", [1, (1, 4)])
def test_make_scenes_stacks_iter_scenes(num_objects):
    """Is make_scenes exactly the scenes iter_scenes yields for the same arguments?"""
    arrays = scenes.make_scenes(15, seed=5, num_objects=num_objects)
    for i, scene in enumerate(scenes.iter_scenes(15, seed=5, num_objects=num_objects)):
        np.testing.assert_array_equal(arrays["images"][i], scene.image)
        np.testing.assert_array_equal(arrays["semantic_masks"][i], scene.semantic_mask)
        if num_objects == 1:
            assert arrays["labels"][i] == scene.labels[0]
            np.testing.assert_array_equal(arrays["boxes"][i], scene.boxes[0])
        else:
            k = arrays["counts"][i]
            np.testing.assert_array_equal(arrays["labels"][i, :k], scene.labels)
            np.testing.assert_array_equal(arrays["boxes"][i, :k], scene.boxes)
            np.testing.assert_array_equal(arrays["instance_masks"][i], scene.instance_mask)


def test_make_scene_accepts_a_seed():
    """Does make_scene(seed) equal make_scene(np.random.default_rng(seed))?"""
    a = scenes.make_scene(9, num_objects=3)
    b = scenes.make_scene(np.random.default_rng(9), num_objects=3)
    np.testing.assert_array_equal(a.image, b.image)
    np.testing.assert_array_equal(a.instance_mask, b.instance_mask)


def test_single_object_shapes_and_dtypes(single):
    """Are single-object arrays shaped (N, H, W, 3), (N,), (N, 4), (N, H, W) as documented?"""
    assert set(single) == {"images", "labels", "boxes", "semantic_masks"}
    assert single["images"].shape == (300, SIZE, SIZE, 3)
    assert single["images"].dtype == np.float32
    assert single["labels"].shape == (300,)
    assert single["boxes"].shape == (300, 4)
    assert single["boxes"].dtype == np.float32
    assert single["semantic_masks"].shape == (300, SIZE, SIZE)
    assert single["semantic_masks"].dtype == np.uint8


def test_multi_object_shapes_and_padding(multi):
    """Are multi-object arrays padded to the most objects, with -1 labels and zero boxes?"""
    assert multi["labels"].shape == (300, 4)
    assert multi["boxes"].shape == (300, 4, 4)
    assert multi["instance_masks"].shape == (300, SIZE, SIZE)
    assert multi["instance_masks"].dtype == np.int32
    counts = multi["counts"]
    assert counts.min() >= 1 and counts.max() <= 4
    assert set(np.unique(counts)) == {1, 2, 3, 4}
    slot = np.arange(4)[None, :]
    assert np.all((multi["labels"] >= 0) == (slot < counts[:, None]))
    assert np.all(multi["boxes"][slot >= counts[:, None]] == 0)


def test_images_in_unit_range(single, multi):
    """Are pixel values within [0, 1]?"""
    for images in (single["images"], multi["images"]):
        assert images.min() >= 0.0 and images.max() <= 1.0


def test_every_class_appears(single):
    """Do all classes appear, each reasonably often?"""
    counts = np.bincount(single["labels"], minlength=len(scenes.CLASS_NAMES))
    assert len(counts) == len(scenes.CLASS_NAMES)
    assert counts.min() > 50


def test_exact_object_count_for_an_int(multi):
    """Does num_objects=3 give 3 objects in every 64x64 scene?"""
    arrays = scenes.make_scenes(50, seed=2, num_objects=3)
    assert np.all(arrays["counts"] == 3)
    assert np.all(arrays["labels"] >= 0)


def _all_boxes(single, multi):
    valid = multi["labels"] >= 0
    return np.concatenate([single["boxes"], multi["boxes"][valid]])


def test_boxes_inside_image(single, multi):
    """Are boxes inside the image, with positive whole-pixel sizes?"""
    boxes = _all_boxes(single, multi)
    x, y, w, h = boxes.T
    assert np.all(x >= 0) and np.all(y >= 0)
    assert np.all(x + w <= SIZE) and np.all(y + h <= SIZE)
    assert np.all(w >= 1) and np.all(h >= 1)
    np.testing.assert_array_equal(boxes, np.round(boxes))


def test_single_box_is_mask_extent(single):
    """Is each single object's box the extent of its mask pixels (within 1 pixel)?"""
    for mask, box in zip(single["semantic_masks"], single["boxes"], strict=True):
        np.testing.assert_allclose(_extent(mask > 0), box, atol=1)


def test_unoccluded_boxes_are_mask_extents(multi):
    """Does each object that no later box overlaps have its box = its mask's extent (1 px)?"""
    checked = 0
    for instance, boxes, count in zip(
        multi["instance_masks"], multi["boxes"], multi["counts"], strict=True
    ):
        for i in range(count):
            later = boxes[i + 1 : count]
            if len(later) and np.any(box_iou(boxes[i], later) > 0):
                continue  # possibly covered in part by a later object
            np.testing.assert_allclose(_extent(instance == i + 1), boxes[i], atol=1)
            checked += 1
    assert checked > 300


def test_instance_pixels_lie_in_their_boxes(multi):
    """Are all of an instance's pixels inside its box, and is every instance visible?"""
    for instance, boxes, count in zip(
        multi["instance_masks"], multi["boxes"], multi["counts"], strict=True
    ):
        assert instance.min() == 0 and instance.max() <= count
        for i in range(count):
            pixels = instance == i + 1
            assert pixels.any(), "an object is hidden entirely"
            x, y, w, h = _extent(pixels)
            bx, by, bw, bh = boxes[i]
            assert bx <= x and by <= y and x + w <= bx + bw and y + h <= by + bh


def test_semantic_mask_matches_labels(single, multi):
    """Does the semantic mask hold label + 1 on each object's pixels and 0 elsewhere?"""
    for mask, label in zip(single["semantic_masks"], single["labels"], strict=True):
        assert set(np.unique(mask)) == {0, label + 1}
    for semantic, instance, labels in zip(
        multi["semantic_masks"], multi["instance_masks"], multi["labels"], strict=True
    ):
        lut = np.concatenate([[0], labels + 1])  # instance id -> semantic value
        np.testing.assert_array_equal(semantic, lut[instance])


def test_masks_agree_with_the_image(multi):
    """Is each mask region (background or one object) a single colour, up to the noise?"""
    for image, instance, count in zip(
        multi["images"][:100], multi["instance_masks"][:100], multi["counts"][:100], strict=True
    ):
        means = []
        for k in range(count + 1):
            pixels = image[instance == k]
            spread = pixels.max(axis=0) - pixels.min(axis=0)
            assert np.all(spread <= 2 * scenes.NOISE + 1e-6)
            means.append(pixels.mean(axis=0))
        contrast = np.linalg.norm(np.array(means[1:]) - means[0], axis=1)
        assert np.all(contrast > 0.4), "an object barely differs from the background"


def test_overlap_is_limited(multi):
    """Do no two objects' boxes overlap by more than MAX_IOU?"""
    for boxes, count in zip(multi["boxes"], multi["counts"], strict=True):
        iou = box_iou(boxes[:count, None], boxes[None, :count])
        np.fill_diagonal(iou, 0)
        assert iou.max() <= scenes.MAX_IOU


def test_other_image_sizes():
    """Do small and non-default sizes work and keep objects inside?"""
    for size in (16, 40, 100):
        arrays = scenes.make_scenes(20, seed=1, size=size, num_objects=(1, 3))
        assert arrays["images"].shape == (20, size, size, 3)
        corners = xywh_to_corners(arrays["boxes"][arrays["labels"] >= 0])
        assert corners.min() >= 0 and corners.max() <= size


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: scenes.make_scene(0, size=8), "size"),
        (lambda: scenes.make_scene(0, size=64.0), "size"),
        (lambda: scenes.make_scene(0, num_objects=0), "num_objects"),
        (lambda: scenes.make_scene(0, num_objects=scenes.MAX_OBJECTS + 1), "num_objects"),
        (lambda: scenes.make_scene("seed"), "rng"),
        (lambda: scenes.make_scene(-1), "rng"),
        (lambda: scenes.make_scenes(0), "n "),
        (lambda: scenes.make_scenes(5, seed=-3), "seed"),
        (lambda: scenes.make_scenes(5, size=15), "size"),
        (lambda: scenes.make_scenes(5, num_objects=(3, 2)), "min <= max"),
        (lambda: scenes.make_scenes(5, num_objects=(0, 2)), "num_objects"),
        (lambda: scenes.make_scenes(5, num_objects=(1, 2, 3)), "pair"),
        (lambda: scenes.make_scenes(5, num_objects=True), "num_objects"),
        (lambda: scenes.iter_scenes(0), "n "),
    ],
)
def test_bad_input_raises_value_error(call, match):
    """Does bad input raise a ValueError that names the culprit, straight away?"""
    with pytest.raises(ValueError, match=match):
        call()


def test_4000_scenes_in_under_5_seconds():
    """Are 4,000 single-object 64x64 scenes made in under 5 seconds?"""
    start = time.perf_counter()
    arrays = scenes.make_scenes(4000, seed=0)
    seconds = time.perf_counter() - start
    assert arrays["images"].shape == (4000, SIZE, SIZE, 3)
    assert seconds < 5, f"4,000 scenes took {seconds:.1f} s"


def test_center_colours_removes_each_images_mean():
    """Does center_colours give every image and channel a mean of 0, keeping the shape?"""
    images = scenes.make_scenes(5, seed=1, size=32)["images"]
    x = scenes.center_colours(images)
    assert x.shape == images.shape and x.dtype == np.float32
    np.testing.assert_allclose(x.mean(axis=(1, 2)), 0, atol=1e-6)


def test_scene_split_is_make_scenes_plus_x():
    """Is a split make_scenes with its seed plus the centred images; are bad names refused?"""
    split = scenes.split("test", 20)
    again = scenes.make_scenes(20, seed=scenes.SPLIT_SEEDS["test"], size=32)
    np.testing.assert_array_equal(split["images"], again["images"])
    np.testing.assert_array_equal(split["x"], scenes.center_colours(again["images"]))
    multi = scenes.split("test", 20, num_objects=(1, 3))
    assert multi["labels"].shape == (20, 3) and "instance_masks" in multi
    with pytest.raises(ValueError, match="unknown split"):
        scenes.split("training", 5)


def test_scene_splits_never_share_an_image():
    """Are the train, validation, test and hidden scenes all different images?"""
    images = [scenes.split(s, 50)["images"] for s in scenes.SPLIT_SEEDS]
    flat = np.concatenate([i.reshape(50, -1) for i in images])
    assert len(np.unique(flat, axis=0)) == len(flat)
    assert scenes.CLASS_NAMES == ("circle", "square", "triangle")
