"""course.detection.sliding_window: a scan of every window, and hard negatives."""

from __future__ import annotations

import keras
import numpy as np

from course import detection
from course.datasets import faces


def test_scan_scores_every_window_at_every_size():
    """Does scan score one window per position and size, with boxes inside the photo?"""
    image = np.random.default_rng(0).random((60, 80)).astype(np.float32)
    model = keras.Sequential(
        [
            keras.Input((25, 25, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    boxes, scores = detection.scan(model, image, windows=(30, 50), step=3)
    counts = [len(faces.photo_windows(image, w, step=3)[0]) for w in (30, 50)]
    assert boxes.shape == (sum(counts), 4) and scores.shape == (sum(counts),)
    assert np.all(boxes[:, 0] + boxes[:, 2] <= 80 + 1e-3) and np.all(
        boxes[:, 1] + boxes[:, 3] <= 60 + 1e-3
    )
    hard = detection.hard_negatives(
        model, np.random.default_rng(1).random((20, 25, 25)), threshold=-1
    )
    assert hard.shape == (20, 25, 25, 1)
