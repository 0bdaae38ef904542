"""Scenes of several objects, as NumPy arrays ready for the grid detector (notebook 06).

The train and test splits are the course's TensorFlow Datasets ``course_scenes/multi`` (64x64,
1 to 4 objects, made locally); extra held-out scenes (for hidden tests, and with instance
masks) come straight from ``course.datasets.scenes.make_scenes`` with other seeds. Importing
this module imports neither TensorFlow nor TensorFlow Datasets; ``tfds_split`` does.
"""

from __future__ import annotations

import numpy as np

from course.boxes import tfds_to_xywh
from course.datasets import scenes
from course.datasets.scenes import center_colours

SIZE = 64
"""Side of the scenes of ``course_scenes/multi`` (``course_scenes.SIZE``), in pixels."""

MAX_OBJECTS = 4
"""Most objects in a scene of ``course_scenes/multi``."""

EXTRA_SEEDS = {"hidden": 601, "instances": 602, "masks": 603}
"""Seeds of the scenes drawn directly (none is a seed of the TFDS splits, 3 and 4): hidden tests,
instance segmentation's test scenes, and the mask head's training scenes."""


def _padded(objects: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    boxes = np.zeros((len(objects), MAX_OBJECTS, 4), np.float32)
    labels = np.full((len(objects), MAX_OBJECTS), -1, np.int64)
    for i, found in enumerate(objects):
        k = len(found["label"])
        boxes[i, :k] = tfds_to_xywh(found["bbox"], SIZE)
        labels[i, :k] = found["label"]
    return boxes, labels


def tfds_split(split: str, n: int | None = None) -> dict[str, np.ndarray]:
    """``course_scenes/multi`` split "train" (2,000) or "test" (500), its first n scenes.

    Returns images (n, 64, 64, 3) float32 in [0, 1], x (the images minus their mean colour, for
    the network), boxes (n, 4, 4) float32 (x, y, w, h) pixels (zeros after the last object),
    labels (n, 4) int64 (-1 after the last object)."""
    import tensorflow_datasets as tfds

    from course.datasets import load

    name = split if n is None else f"{split}[:{n}]"
    rows = list(tfds.as_numpy(load("course_scenes/multi", split=name)))
    images = np.stack([row["image"] for row in rows]).astype(np.float32) / 255.0
    boxes, labels = _padded([row["objects"] for row in rows])
    return {"images": images, "x": center_colours(images), "boxes": boxes, "labels": labels}


def drawn_split(split: str, n: int, size: int = SIZE) -> dict[str, np.ndarray]:
    """n scenes drawn by ``scenes.make_scenes`` (1 to 4 objects) for split "hidden",
    "instances" or "masks": the arrays of ``make_scenes`` (with instance_masks) plus x."""
    if split not in EXTRA_SEEDS:
        raise ValueError(f"unknown split {split!r}; choose one of {tuple(EXTRA_SEEDS)}.")
    data = scenes.make_scenes(n, seed=EXTRA_SEEDS[split], size=size, num_objects=(1, MAX_OBJECTS))
    data["x"] = center_colours(data["images"])
    return data
