"""Instance segmentation for notebook 06: matching instances, and masks from boxes.

An instance mask is an (H, W) int array: 0 = background, and one id > 0 per object (any
ids, not necessarily 1..n). A predicted instance *matches* a true one when their masks have
an IoU above the threshold (strictly; 0.5 by default). Above 0.5 a predicted instance can
match at most one true instance and the other way round, so counting the pairs is a one-to-one
matching (as in the Data Science Bowl 2018 and StarDist evaluations).
"""

from __future__ import annotations

import numpy as np


def mask_ious(true_mask: np.ndarray, pred_mask: np.ndarray) -> tuple[np.ndarray, list, list]:
    """IoU of every (true, predicted) pair of instances.

    true_mask, pred_mask: (H, W) ints. Returns (ious (T, P) float, true ids, predicted ids)."""
    true_mask, pred_mask = np.asarray(true_mask), np.asarray(pred_mask)
    if true_mask.shape != pred_mask.shape:
        raise ValueError(f"masks of shapes {true_mask.shape} and {pred_mask.shape}: give both "
                         "the same (H, W).")
    true_ids = [int(i) for i in np.unique(true_mask) if i != 0]
    pred_ids = [int(i) for i in np.unique(pred_mask) if i != 0]
    ious = np.zeros((len(true_ids), len(pred_ids)))
    for a, t in enumerate(true_ids):
        on_t = true_mask == t
        for b, p in enumerate(pred_ids):
            on_p = pred_mask == p
            union = np.logical_or(on_t, on_p).sum()
            ious[a, b] = np.logical_and(on_t, on_p).sum() / union
    return ious, true_ids, pred_ids


def match_counts(
    true_mask: np.ndarray, pred_mask: np.ndarray, iou_threshold: float = 0.5
) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives): matched pairs (IoU > threshold),
    predicted instances left unmatched, true instances left unmatched (for threshold >= 0.5)."""
    ious, true_ids, pred_ids = mask_ious(true_mask, pred_mask)
    tp = int(np.sum(ious > iou_threshold))
    return tp, len(pred_ids) - tp, len(true_ids) - tp


def f1(tp: int, fp: int, fn: int) -> float:
    """2 TP / (2 TP + FP + FN): 1 when every instance is found once, and nothing else."""
    total = 2 * tp + fp + fn
    return 2 * tp / total if total else 1.0


def total_counts(
    true_masks: np.ndarray, pred_masks: np.ndarray, iou_threshold: float = 0.5
) -> tuple[int, int, int]:
    """``match_counts`` summed over a batch of instance masks (N, H, W) -> (tp, fp, fn)."""
    totals = np.zeros(3, int)
    for true_mask, pred_mask in zip(true_masks, pred_masks, strict=True):
        totals += match_counts(true_mask, pred_mask, iou_threshold)
    return int(totals[0]), int(totals[1]), int(totals[2])


def touching(instance_masks: np.ndarray) -> np.ndarray:
    """(N, H, W) instance masks -> (N,) bool: whether some objects touch or overlap, i.e. the
    scene's foreground has fewer connected parts (8-connected) than objects."""
    from skimage.measure import label

    return np.array([label(m > 0).max() < len(np.unique(m[m > 0])) for m in instance_masks],
                    dtype=bool)


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
