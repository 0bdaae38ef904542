"""Non-maximum suppression (NMS): the best box of each group of overlapping boxes.

A detector finds most objects several times (neighbouring windows, neighbouring grid cells);
NMS keeps the best-scoring box, drops every box that overlaps it too much, and repeats. Boxes
are (x, y, w, h) pixels (``course.boxes``); the work is TensorFlow's
``tf.image.non_max_suppression``. Used by notebooks 01 (the sliding-window face detector) and
06 (the grid detector, one class at a time).
"""

from __future__ import annotations

import numpy as np


def non_max_suppression(
    boxes: np.ndarray, scores: np.ndarray, iou_threshold: float = 0.2, score_threshold: float = 0.5
) -> np.ndarray:
    """Indices of the boxes NMS keeps, best first, with ``tf.image.non_max_suppression``.

    Repeatedly keep the best-scoring box left and drop every box that overlaps it by IoU >
    iou_threshold; boxes scoring below score_threshold are never kept.
    boxes: (M, 4) (x, y, w, h); scores: (M,). Returns (K,) int64 indices into boxes.
    """
    import tensorflow as tf

    boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 4)
    x, y, w, h = boxes.T
    corners = np.stack([y, x, y + h, x + w], axis=-1)  # TensorFlow's (y_min, x_min, y_max, x_max)
    keep = tf.image.non_max_suppression(
        corners,
        np.asarray(scores, dtype=np.float32).reshape(-1),
        max_output_size=len(boxes),
        iou_threshold=iou_threshold,
        score_threshold=score_threshold,
    )
    return keep.numpy().astype(np.int64)


def non_max_suppression_per_class(
    boxes: np.ndarray, scores: np.ndarray, labels: np.ndarray, iou_threshold: float = 0.5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Non-maximum suppression per class (a box only suppresses boxes of its own class), best
    first. boxes (K, 4) xywh, scores (K,), labels (K,) -> the kept (boxes, scores, labels)."""
    boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 4)
    scores, labels = np.asarray(scores, np.float32), np.asarray(labels, np.int64)
    kept = [
        np.flatnonzero(labels == c)[
            non_max_suppression(boxes[labels == c], scores[labels == c], iou_threshold, -np.inf)
        ]
        for c in np.unique(labels)
    ]
    order = np.concatenate(kept) if kept else np.empty(0, np.int64)
    order = order[np.argsort(-scores[order], kind="stable")]
    return boxes[order], scores[order], labels[order]
