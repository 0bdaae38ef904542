"""Mean average precision at one IoU threshold (PASCAL VOC style), for notebook 06.

Keras 3 has no detection mAP metric and keras_hub / keras_cv are not part of the course, so it
is written here and tested against hand-computed cases (tests/detection/test_mean_ap.py).

Per class: all detections of all images, best score first; each is a true positive when the
true box of that class in the same image it overlaps most has IoU >= the threshold and was not
found by a better detection already, else a false positive (a miss, or a duplicate). Average
precision is the area under the precision-recall curve with precision made non-increasing
(all-point interpolation, VOC 2010 on). mAP is the mean over the classes that have at least
one true box.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from course.boxes import box_iou


def average_precision(recall: np.ndarray, precision: np.ndarray) -> float:
    """Area under a precision-recall curve (points in detection order), all-point interpolated."""
    r = np.concatenate([[0.0], np.asarray(recall, float), [1.0]])
    p = np.concatenate([[0.0], np.asarray(precision, float), [0.0]])
    p = np.maximum.accumulate(p[::-1])[::-1]  # precision at recall r: the best at recall >= r
    steps = np.flatnonzero(r[1:] != r[:-1])
    return float(np.sum((r[steps + 1] - r[steps]) * p[steps + 1]))


def mean_average_precision(
    detections: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    truths: Sequence[tuple[np.ndarray, np.ndarray]],
    iou_threshold: float = 0.5,
) -> float:
    """mAP@iou_threshold over a set of images.

    detections: per image (boxes (K, 4) xywh, scores (K,), labels (K,)); truths: per image
    (boxes (n, 4) xywh, labels (n,)). Returns a float in [0, 1] (0 if there is no true box).
    """
    if len(detections) != len(truths):
        raise ValueError(f"{len(detections)} images of detections but {len(truths)} of truths.")
    classes = sorted({int(c) for _, labels in truths for c in np.ravel(labels)})
    aps = [_class_ap(detections, truths, c, iou_threshold) for c in classes]
    return float(np.mean(aps)) if aps else 0.0


def _class_ap(detections, truths, cls: int, iou_threshold: float) -> float:
    found = []  # (score, image, box)
    for image, (boxes, scores, labels) in enumerate(detections):
        boxes = np.asarray(boxes, float).reshape(-1, 4)
        mine = np.ravel(labels) == cls
        for box, score in zip(boxes[mine], np.ravel(scores)[mine], strict=True):
            found.append((float(score), image, box))
    found.sort(key=lambda item: -item[0])
    true_boxes = [np.asarray(b, float).reshape(-1, 4)[np.ravel(lab) == cls] for b, lab in truths]
    matched = [np.zeros(len(b), bool) for b in true_boxes]
    total = sum(len(b) for b in true_boxes)
    hits = np.zeros(len(found))
    for i, (_, image, box) in enumerate(found):
        candidates = true_boxes[image]
        if len(candidates) == 0:
            continue
        ious = box_iou(box[None], candidates)
        best = int(np.argmax(ious))
        if ious[best] >= iou_threshold and not matched[image][best]:
            matched[image][best] = True
            hits[i] = 1.0  # else: a miss, or a duplicate of a box already found
    tp = np.cumsum(hits)
    recall = tp / total
    precision = tp / np.arange(1, len(found) + 1)
    return average_precision(recall, precision)
