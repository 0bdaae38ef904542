"""scikit-learn's 1,797 handwritten digits (8x8 pixels), offline, split the course's ways.

One loader, ``digits``, for every notebook that uses them:

- notebook 01 (generation) and 06 (the GAN): ``digits()``, a random 80/20 train/test split;
- notebook 03 (compilation): ``digits("train/val/test", channel=True)``, a stratified 60/20/20
  split, fixed whatever the notebook's seed (the graded early-stopping model is measured on the
  same validation images whatever the student does), and ``n_train`` for a small training set;
- notebook 05 (LeNet-5): ``digits("all", size=32, channel=True)``, upsampled and padded to 32x32
  as MNIST's digits were for LeNet-5.

``course.datasets.digits`` is this function.
"""

from __future__ import annotations

import functools

import numpy as np

SPLITS: tuple[str, ...] = ("all", "train/test", "train/val/test")
"""The splits ``digits`` makes: none, random 80/20, stratified 60/20/20."""

SIZES: tuple[int, ...] = (8, 32)
"""Image sides ``digits`` gives: the original 8x8, or LeNet-5's 32x32 (28x28 padded by 2)."""


@functools.cache
def _images(size: int) -> tuple[np.ndarray, np.ndarray]:
    """All the digits, read-only: images (1797, size, size) float32 in [0, 1] (the original
    0..16 grey levels divided by 16), labels (1797,) int64."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = (bunch.images / 16.0).astype(np.float32)
    if size == 32:
        from skimage.transform import resize

        images = resize(images, (len(images), 28, 28), order=1, anti_aliasing=False)
        images = np.pad(images, ((0, 0), (2, 2), (2, 2))).astype(np.float32)
    labels = bunch.target.astype(np.int64)
    for array in (images, labels):
        array.setflags(write=False)
    return images, labels


@functools.cache
def _indices(split: str, seed: int, n_train: int | None) -> tuple[np.ndarray, ...]:
    """Row indices of each part of a split (train, [validation,] test), read-only."""
    from sklearn.model_selection import train_test_split

    _, labels = _images(8)
    everything = np.arange(len(labels))
    if split == "train/test":
        order = np.random.default_rng(seed).permutation(len(labels))
        n_test = round(0.2 * len(labels))
        parts = [order[n_test:], order[:n_test]]
    else:
        train, rest = train_test_split(
            everything, test_size=0.4, stratify=labels, random_state=seed
        )
        val, test = train_test_split(rest, test_size=0.5, stratify=labels[rest], random_state=seed)
        parts = [train, val, test]
    if n_train is not None:
        total = len(parts[0])
        if not 10 <= n_train <= total:
            raise ValueError(f"n_train must be between 10 and {total}, got {n_train}.")
        if n_train < total:
            keep, _ = train_test_split(
                np.arange(total),
                train_size=n_train,
                stratify=labels[parts[0]],
                random_state=seed,
            )
            parts[0] = parts[0][np.sort(keep)]
    for part in parts:
        part.setflags(write=False)
    return tuple(parts)


def digits(
    split: str = "train/test",
    *,
    n_train: int | None = None,
    size: int = 8,
    channel: bool = False,
    seed: int = 0,
) -> tuple[np.ndarray, ...]:
    """scikit-learn's handwritten digits as arrays, split into parts.

    split: "all" (no split), "train/test" (at random, 80/20: 1,438 and 359 images) or
    "train/val/test" (stratified, 60/20/20: 1,078, 359 and 360 images, the same number of each
    digit in each part, give or take one). n_train: keep only this many training images (a
    stratified subset), to make a small training set. size: 8 (the original pixels) or 32
    (resized to 28x28, bilinear, and padded with 2 pixels of zeros on each side, as MNIST's
    digits were for LeNet-5). channel: add a last axis of 1 (Keras's (N, H, W, C) layout).
    seed: of the split (the same seed always gives the same parts).

    Returns the images and labels of each part, in order, as new arrays: (x, y) for "all",
    (x_train, y_train, x_test, y_test), or (x_train, y_train, x_val, y_val, x_test, y_test).
    Images are (N, size, size) float32 in [0, 1], or (N, size, size, 1) with ``channel``;
    labels (N,) int64 in 0..9.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {SPLITS}.")
    if size not in SIZES:
        raise ValueError(f"size must be 8 (original) or 32 (LeNet-5's input), got {size!r}.")
    images, labels = _images(size)
    if channel:
        images = images[..., None]
    if split == "all":
        if n_train is not None:
            raise ValueError('n_train needs a split with a training part, not "all".')
        return images.copy(), labels.copy()
    arrays: list[np.ndarray] = []
    for rows in _indices(split, seed, n_train):
        arrays += [images[rows], labels[rows]]
    return tuple(arrays)
