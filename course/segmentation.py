"""Instance segmentation: one mask per object, from boxes (notebook 06).

Mask R-CNN's idea, small. Each box is cut out of its image and resampled to CROP x CROP pixels
(``crop_boxes``: the role of Mask R-CNN's RoIAlign, here on the image rather than on feature
maps); a small fully convolutional network (``course.models.mask_head``) gives, for each pixel
of the crop, the probability that it belongs to the object the box was drawn around;
``paste_masks`` resamples those probabilities back into the image. A pixel claimed by two masks
goes to the surer one, and a mask left with less than half of its pixels is dropped (a second
detection of an object already taken), as when panoptic segmentation merges instances. The head
is trained on crops of the true boxes, moved and resized a little at random (``jitter_boxes``,
``head_data``) so that it also copes with a detector's imperfect boxes.

The baselines without learning: the scenes whose objects touch (``touching``), the foreground of
a scene on a plain background (``colour_foreground``), one instance per connected part
(``connected_instances``) or per detected box (``masks_from_boxes``).

An instance mask is an (H, W) int array: 0 = background, and one id > 0 per object (any ids,
not necessarily 1..n). Instance masks are scored by matching (``course.metrics.match_counts``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.ndimage import map_coordinates

if TYPE_CHECKING:  # pragma: no cover
    import keras

CROP = 16
"""Side of a crop, in pixels: a box of 13 to 32 pixels is resampled to 16 x 16."""

MARGIN = 0.1
"""Context kept around a box, on each side, as a fraction of its width or height."""

JITTER = 0.1
"""Training boxes move by up to this fraction of their size, and their size changes by up to
this fraction (on a log scale)."""

MIN_KEPT = 0.5
"""A pasted mask that keeps less than this fraction of its pixels is dropped."""


def windows(boxes: np.ndarray, margin: float = MARGIN) -> np.ndarray:
    """(K, 4) boxes (x, y, w, h) -> (K, 4) the windows cropped: each box grown by margin x its
    width (height) on the left and right (top and bottom)."""
    x, y, w, h = np.asarray(boxes, np.float64).reshape(-1, 4).T
    return np.stack(
        [x - margin * w, y - margin * h, (1 + 2 * margin) * w, (1 + 2 * margin) * h], axis=-1
    )


def crop_boxes(
    images: np.ndarray,
    boxes: np.ndarray,
    image_index: np.ndarray,
    crop: int = CROP,
    margin: float = MARGIN,
) -> np.ndarray:
    """Cut the window of each box out of its image and resample it to crop x crop (bilinear).

    images: (N, H, W, C); boxes: (K, 4) xywh pixels; image_index: (K,) which image each box is
    in. Returns (K, crop, crop, C) float32. Crop pixel (i, j) samples the image at the centre of
    the window's cell (i, j); outside the image, the nearest edge pixel is repeated."""
    images = np.asarray(images, np.float32)
    steps = (np.arange(crop) + 0.5) / crop
    out = np.empty((len(np.atleast_1d(image_index)), crop, crop, images.shape[-1]), np.float32)
    for k, ((x, y, w, h), index) in enumerate(
        zip(windows(boxes, margin), image_index, strict=True)
    ):
        rows, cols = np.meshgrid(y + steps * h - 0.5, x + steps * w - 0.5, indexing="ij")
        for channel in range(images.shape[-1]):
            out[k, ..., channel] = map_coordinates(
                images[index, ..., channel], [rows, cols], order=1, mode="nearest"
            )
    return out


def jitter_boxes(boxes: np.ndarray, rng: np.random.Generator, amount: float = JITTER) -> np.ndarray:
    """(K, 4) boxes xywh -> (K, 4) boxes whose centres move by up to amount x (w, h) and whose
    sides are multiplied by exp(u), u uniform in [-amount, amount]."""
    x, y, w, h = np.asarray(boxes, np.float64).reshape(-1, 4).T
    shift = rng.uniform(-amount, amount, (2, len(x)))
    scale = np.exp(rng.uniform(-amount, amount, (2, len(x))))
    cx, cy = x + w / 2 + shift[0] * w, y + h / 2 + shift[1] * h
    w, h = w * scale[0], h * scale[1]
    return np.stack([cx - w / 2, cy - h / 2, w, h], axis=-1)


def object_boxes(scenes: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every object of scenes of ``make_scenes`` (counts, boxes): boxes (K, 4) xywh, the index of
    its scene (K,) and its id in the scene's instance mask (K,), scene by scene."""
    counts = np.asarray(scenes["counts"])
    boxes = np.concatenate([b[:k] for b, k in zip(scenes["boxes"], counts, strict=True)])
    ids = np.concatenate([np.arange(1, k + 1) for k in counts])
    return boxes.astype(np.float64), np.repeat(np.arange(len(counts)), counts), ids


def head_data(
    scenes: dict[str, np.ndarray],
    seed: int = 0,
    jitter: float = JITTER,
    crop: int = CROP,
    margin: float = MARGIN,
) -> tuple[np.ndarray, np.ndarray]:
    """Training crops for the mask head from scenes of ``course.datasets.scenes.make_scenes``
    (with "x", e.g. ``course.datasets.multi_scenes.drawn_split``): one per object, around its
    true box jittered by ``jitter_boxes`` (rng seeded by seed; jitter=0 keeps the true boxes).

    Returns x (K, crop, crop, 3) float32 (crops of scenes["x"]) and y (K, crop, crop, 1) float32:
    1 where the crop shows that object (the instance mask resampled, then thresholded at 0.5)."""
    boxes, image_index, ids = object_boxes(scenes)
    boxes = jitter_boxes(boxes, np.random.default_rng(seed), jitter)
    x = crop_boxes(scenes["x"], boxes, image_index, crop, margin)
    objects = (scenes["instance_masks"][image_index] == ids[:, None, None])[..., None]
    y = crop_boxes(objects.astype(np.float32), boxes, np.arange(len(ids)), crop, margin)
    return x, (y > 0.5).astype(np.float32)


def paste_masks(
    probs: np.ndarray,
    boxes: np.ndarray,
    shape: tuple[int, int],
    margin: float = MARGIN,
    min_kept: float = MIN_KEPT,
) -> np.ndarray:
    """One instance mask from the head's crops of one image.

    probs: (K, crop, crop) or (K, crop, crop, 1) the head's probabilities for boxes (K, 4) xywh
    (in score order, best first); shape: (H, W). Each image pixel inside a window gets that
    crop's probability (bilinear); it goes to the box with the highest probability, if above 0.5.
    Masks that keep fewer than min_kept of their pixels above 0.5 are dropped. Returns (H, W)
    int32: k + 1 for box k, 0 = background."""
    probs = np.asarray(probs, np.float64).reshape(
        len(np.asarray(boxes).reshape(-1, 4)), *np.shape(probs)[1:3]
    )
    height, width = shape
    best = np.full(shape, 0.5)
    out = np.zeros(shape, np.int32)
    areas = np.zeros(len(probs) + 1)
    crop = probs.shape[1] if len(probs) else 0
    for k, (x, y, w, h) in enumerate(windows(boxes, margin)):
        u = (np.arange(height) + 0.5 - y) / h * crop - 0.5  # image rows in crop coordinates
        v = (np.arange(width) + 0.5 - x) / w * crop - 0.5
        rows, cols = (
            np.flatnonzero(np.abs(u - (crop - 1) / 2) <= crop / 2),
            np.flatnonzero(np.abs(v - (crop - 1) / 2) <= crop / 2),
        )
        if len(rows) == 0 or len(cols) == 0:
            continue
        grid = np.meshgrid(u[rows], v[cols], indexing="ij")
        p = map_coordinates(probs[k], grid, order=1, mode="nearest")
        region = np.ix_(rows, cols)
        wins = p > best[region]
        best[region] = np.where(wins, p, best[region])
        out[region] = np.where(wins, k + 1, out[region])
        areas[k + 1] = np.sum(p > 0.5)
    kept = np.bincount(out.ravel(), minlength=len(areas))
    dropped = kept < min_kept * np.maximum(areas, 1)
    dropped[0] = False
    out[dropped[out]] = 0
    return out


def segment(
    head: keras.Model,
    x: np.ndarray,
    detections: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    margin: float = MARGIN,
) -> np.ndarray:
    """Instance masks of a batch, from a trained ``course.models.mask_head`` (head): x (N, H, W, 3)
    images as the head was trained on; detections:
    one (boxes (K, 4) xywh, scores (K,), labels (K,)) per image (``course.detection.grid.detect``).
    Returns (N, H, W) int32 instance masks (0 = background)."""
    order = [np.argsort(-np.asarray(s), kind="stable") for _, s, _ in detections]
    boxes = [
        np.asarray(b, np.float64).reshape(-1, 4)[o]
        for (b, _, _), o in zip(detections, order, strict=True)
    ]
    counts = [len(b) for b in boxes]
    out = np.zeros(np.shape(x)[:3], np.int32)
    if sum(counts) == 0:
        return out
    crop = int(head.input_shape[1])
    crops = crop_boxes(
        x, np.concatenate(boxes), np.repeat(np.arange(len(boxes)), counts), crop, margin
    )
    probs = np.asarray(head.predict(crops, batch_size=512, verbose=0))
    for index, part in enumerate(np.split(probs, np.cumsum(counts)[:-1])):
        out[index] = paste_masks(part, boxes[index], out.shape[1:], margin)
    return out


# --- instance masks without learning ---------------------------------------------


def touching(instance_masks: np.ndarray) -> np.ndarray:
    """(N, H, W) instance masks -> (N,) bool: whether some objects touch or overlap, i.e. the
    scene's foreground has fewer connected parts (8-connected) than objects."""
    from skimage.measure import label

    return np.array(
        [label(m > 0).max() < len(np.unique(m[m > 0])) for m in instance_masks], dtype=bool
    )


def colour_foreground(images: np.ndarray, distance: float = 0.3) -> np.ndarray:
    """(N, H, W, 3) scenes on a plain background -> (N, H, W) bool: the pixels whose colour is
    farther than distance (RGB, 0 to 1) from the image's median colour (its background's)."""
    images = np.asarray(images, np.float32)
    background = np.median(images, axis=(1, 2), keepdims=True)
    return np.linalg.norm(images - background, axis=-1) > distance


def connected_instances(foreground: np.ndarray) -> np.ndarray:
    """(N, H, W) bool -> (N, H, W) int32: one instance per 8-connected part of the foreground
    (right while no two objects touch)."""
    from skimage.measure import label

    return np.stack([label(f) for f in foreground]).astype(np.int32)


def masks_from_boxes(foreground: np.ndarray, boxes: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Instance masks from a foreground mask and detected boxes, best box first.

    foreground: (H, W) bool; boxes (K, 4) xywh pixels; scores (K,). Each foreground pixel goes
    to the box that holds it whose centre is nearest (so touching objects are split where their
    boxes meet). Returns (H, W) int32, i + 1 for box i in score order, 0 elsewhere."""
    height, width = np.shape(foreground)
    boxes = np.asarray(boxes, float).reshape(-1, 4)[np.argsort(-np.asarray(scores))]
    rows, cols = np.mgrid[0:height, 0:width] + 0.5  # pixel centres
    best = np.full((height, width), np.inf)
    out = np.zeros((height, width), np.int32)
    for i, (x, y, w, h) in enumerate(boxes):
        inside = (cols >= x) & (cols <= x + w) & (rows >= y) & (rows <= y + h) & foreground
        distance = ((cols - x - w / 2) / max(w, 1)) ** 2 + ((rows - y - h / 2) / max(h, 1)) ** 2
        closer = inside & (distance < best)
        out[closer], best[closer] = i + 1, distance[closer]
    return out
