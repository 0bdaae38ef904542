"""Bounding boxes in NumPy: the course's (x, y, w, h) form, its conversions, and IoU.

A box is (x, y, w, h) in pixels: x the column and y the row of its top-left corner, w and h its
width and height (the form of ``course.datasets.scenes``). The conversions go to and from
corners (x_min, y_min, x_max, y_max), centres (cx, cy, w, h) and the (y_min, x_min, y_max,
x_max) form of TensorFlow Datasets, in [0, 1].

Used by notebooks 01 (detection, IoU) and 06 (the grid detector, through
``course.detection``), by ``course.metrics`` and by the scene datasets (``course.datasets``).
"""

from __future__ import annotations

import numpy as np


def _as_boxes(boxes: np.ndarray) -> np.ndarray:
    boxes = np.asarray(boxes)
    if boxes.shape[-1:] != (4,):
        raise ValueError(
            f"boxes must have shape (..., 4), got {boxes.shape}; put the 4 coordinates last."
        )
    if not np.issubdtype(boxes.dtype, np.floating):
        boxes = boxes.astype(np.float32)
    return boxes


def xywh_to_corners(boxes: np.ndarray) -> np.ndarray:
    """(..., 4) boxes (x, y, w, h) -> (..., 4) corners (x_min, y_min, x_max, y_max), same units."""
    b = _as_boxes(boxes)
    x, y, w, h = np.moveaxis(b, -1, 0)
    return np.stack([x, y, x + w, y + h], axis=-1)


def corners_to_xywh(boxes: np.ndarray) -> np.ndarray:
    """(..., 4) corners (x_min, y_min, x_max, y_max) -> (..., 4) boxes (x, y, w, h)."""
    b = _as_boxes(boxes)
    x0, y0, x1, y1 = np.moveaxis(b, -1, 0)
    return np.stack([x0, y0, x1 - x0, y1 - y0], axis=-1)


def xywh_to_center(boxes: np.ndarray) -> np.ndarray:
    """(..., 4) boxes (x, y, w, h) -> (..., 4) (center_x, center_y, w, h), same units."""
    b = _as_boxes(boxes)
    x, y, w, h = np.moveaxis(b, -1, 0)
    return np.stack([x + w / 2, y + h / 2, w, h], axis=-1)


def center_to_xywh(boxes: np.ndarray) -> np.ndarray:
    """(..., 4) (center_x, center_y, w, h) -> (..., 4) boxes (x, y, w, h), same units."""
    b = _as_boxes(boxes)
    cx, cy, w, h = np.moveaxis(b, -1, 0)
    return np.stack([cx - w / 2, cy - h / 2, w, h], axis=-1)


def xywh_to_tfds(boxes: np.ndarray, size: int) -> np.ndarray:
    """(..., 4) pixel boxes (x, y, w, h) in a size x size image -> (..., 4) float32 boxes in the
    TensorFlow Datasets ``BBoxFeature`` form (y_min, x_min, y_max, x_max), divided by ``size``
    so each coordinate is in [0, 1]."""
    x0, y0, x1, y1 = np.moveaxis(xywh_to_corners(boxes), -1, 0)
    return (np.stack([y0, x0, y1, x1], axis=-1) / size).astype(np.float32)


def tfds_to_xywh(boxes: np.ndarray, size: int) -> np.ndarray:
    """Inverse of ``xywh_to_tfds``: (..., 4) (y_min, x_min, y_max, x_max) in [0, 1] -> (..., 4)
    float32 pixel boxes (x, y, w, h) in a size x size image."""
    y0, x0, y1, x1 = np.moveaxis(_as_boxes(boxes), -1, 0)
    corners = np.stack([x0, y0, x1, y1], axis=-1) * size
    return corners_to_xywh(corners).astype(np.float32)


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over union of (..., 4) boxes a and b in (x, y, w, h) form (broadcast).

    Returns (...) float32 in [0, 1]; 0 where both boxes are empty.
    """
    ax0, ay0, ax1, ay1 = np.moveaxis(xywh_to_corners(a), -1, 0)
    bx0, by0, bx1, by1 = np.moveaxis(xywh_to_corners(b), -1, 0)
    iw = np.clip(np.minimum(ax1, bx1) - np.maximum(ax0, bx0), 0, None)
    ih = np.clip(np.minimum(ay1, by1) - np.maximum(ay0, by0), 0, None)
    inter = iw * ih
    union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0).astype(np.float32)
