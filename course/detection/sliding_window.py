"""A sliding-window detector: every window of a photo scored by a classifier.

The oldest way to detect objects with a classifier: cut the photo into overlapping windows at
several scales, score every window with a "face / not face" classifier, keep the windows that
score above a threshold, then remove the duplicates around each object with non-maximum
suppression (``course.detection.nms``). Hard negative mining retrains the classifier on the
windows it wrongly calls faces. Used by notebook 01 (a face detector on
``course.datasets.faces``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from course.datasets.faces import FACE_SIZE, photo_windows, standardise_windows


def scan(
    classifier,
    image: np.ndarray,
    windows: Iterable[int] = (75, 90, 110),
    step: int = 2,
    batch_size: int = 4096,
) -> tuple[np.ndarray, np.ndarray]:
    """Score every window of a grey image, at every window size, with a face classifier.

    classifier: a Keras model (N, 25, 25, 1) -> (N, 1) probabilities; image: (H, W) float in
    [0, 1]; windows: window sides in the image's pixels; step: in pixels of the rescaled image.
    Returns (boxes (M, 4) float32 (x, y, w, h) in pixels, scores (M,) float32).
    """
    all_boxes, all_scores = [], []
    for window in windows:
        patches, boxes = photo_windows(image, window, step=step, size=FACE_SIZE)
        if len(patches) == 0:
            continue
        inputs = standardise_windows(patches)[..., None]
        scores = classifier.predict(inputs, batch_size=batch_size, verbose=0).reshape(-1)
        all_boxes.append(boxes)
        all_scores.append(scores.astype(np.float32))
    return np.concatenate(all_boxes), np.concatenate(all_scores)


def hard_negatives(classifier, pool: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """The windows of ``pool`` (face-free, (M, 25, 25) raw grey) that the classifier calls faces.

    Adding them to the negatives and training again ("hard negative mining", Dalal & Triggs,
    2005) removes many false detections. Returns (K, 25, 25, 1) float32 standardised windows.
    """
    inputs = standardise_windows(pool)[..., None]
    scores = classifier.predict(inputs, batch_size=4096, verbose=0).reshape(-1)
    return inputs[scores > threshold]
