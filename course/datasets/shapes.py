"""The two tasks notebook 04 transfers between: shapes the pretrained base knows, and new ones.

ImageNet weights cannot be downloaded offline (and weigh 528 MB), so the course pretrains a
small VGG (``course.models.vgg.build_small_vgg``) itself (``course.transfer.pretrain``):

- **source task**: the course's synthetic scenes (``course.datasets.scenes``), 32x32 pixels,
  one circle, square or triangle per image; thousands of labelled images;
- **target task**: four *new* shapes (ring, cross, diamond, x) drawn the same way (random
  colours, position and size, noise) but larger; only a few labelled images per class.

Both are centred with ``course.datasets.scenes.center_colours`` before a network sees them.
"""

from __future__ import annotations

import functools

import numpy as np

from course.datasets import scenes

IMAGE_SIZE = 32
"""Side of every image of both tasks, in pixels."""

SOURCE_CLASSES: tuple[str, ...] = scenes.CLASS_NAMES
"""The source task's classes: ("circle", "square", "triangle")."""

TARGET_CLASSES: tuple[str, ...] = ("ring", "cross", "diamond", "x")
"""The target task's classes: shapes the pretrained network has never seen."""

TARGET_SIDE = (0.4, 0.8)
"""Target shapes' side, as a fraction of the image side (source scenes use 0.2 to 0.5)."""


def source_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n source-task scenes: images (n, 32, 32, 3) float32 in [0, 1], labels (n,) int64
    indexing ``SOURCE_CLASSES``."""
    data = scenes.make_scenes(n, seed=seed, size=IMAGE_SIZE)
    return data["images"], data["labels"]


@functools.cache
def _target_template(label: int, side: int) -> np.ndarray:
    """(side, side) bool: the pixels of target shape ``label`` drawn in a side x side square."""
    c = np.arange(side) + 0.5 - side / 2
    u, v = c[None, :], c[:, None]  # column and row offsets from the centre
    r = side / 2
    name = TARGET_CLASSES[label]
    if name == "ring":
        inside = (u**2 + v**2 <= r**2) & (u**2 + v**2 >= (0.55 * r) ** 2)
    elif name == "cross":
        inside = (np.abs(u) <= r / 3) | (np.abs(v) <= r / 3)
    elif name == "diamond":
        inside = np.abs(u) + np.abs(v) <= r
    else:  # "x", the cross turned by 45 degrees
        inside = (np.abs(u - v) <= r / 2.5) | (np.abs(u + v) <= r / 2.5)
    inside.setflags(write=False)
    return inside


def target_shapes(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n target-task images, each one shape of ``TARGET_CLASSES`` of random colour, side
    (``TARGET_SIDE``) and position on a random background, with ``scenes.NOISE`` noise.

    Returns images (n, 32, 32, 3) float32 in [0, 1] and labels (n,) int64 (class drawn
    uniformly). The same seed always gives the same arrays.
    """
    rng = np.random.default_rng(seed)
    size = IMAGE_SIZE
    lo, hi = (round(f * size) for f in TARGET_SIDE)
    images = np.empty((n, size, size, 3), dtype=np.float32)
    labels = rng.integers(len(TARGET_CLASSES), size=n)
    for i, label in enumerate(labels):
        background = rng.uniform(0.0, 1.0, 3)
        colour = scenes.contrasting_colour(rng, background)
        side = int(rng.integers(lo, hi + 1))
        x, y = (int(v) for v in rng.integers(0, size - side + 1, size=2))
        images[i] = background
        images[i, y : y + side, x : x + side][_target_template(int(label), side)] = colour
        images[i] += rng.uniform(-scenes.NOISE, scenes.NOISE, (size, size, 3))
    np.clip(images, 0.0, 1.0, out=images)
    return images, labels.astype(np.int64)


def target_data(
    n_per_class: int = 10, seed: int = 0, n_test: int = 800, test_seed: int = 10_000
) -> dict[str, np.ndarray]:
    """The target task's small labelled budget and a held-out test set.

    x_train: (n_per_class * 4, 32, 32, 3) float32 in [0, 1], exactly n_per_class images of each
    class (drawn with ``seed``); y_train: (n_per_class * 4,) int64. x_test, y_test: ``n_test``
    images from ``test_seed`` (a separate stream: never the same images as the training ones
    for seeds below 10,000).
    """
    k = len(TARGET_CLASSES)
    images, labels = target_shapes(8 * n_per_class * k, seed)
    index = np.concatenate([np.flatnonzero(labels == c)[:n_per_class] for c in range(k)])
    if len(index) < n_per_class * k:  # pragma: no cover - 8x oversampling suffices
        raise RuntimeError("not enough images of each class were drawn")
    index = np.sort(index)
    x_test, y_test = target_shapes(n_test, test_seed)
    return {
        "x_train": images[index],
        "y_train": labels[index],
        "x_test": x_test,
        "y_test": y_test,
    }
