"""Data for notebook 03 (compilation), made offline: scikit-learn's 8x8 digits and course scenes.

The digits split is fixed (it does not depend on the notebook's seed), so that the graded
early-stopping model is measured on the same validation images whatever the student does.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import tensorflow as tf

SPLIT_SEED = 0
"""Seed of the digits' train / validation / test split (60% / 20% / 20%, stratified)."""

NUM_CLASSES = 10
"""Digits 0 to 9."""


@functools.cache
def _digits_split() -> dict[str, np.ndarray]:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[..., None]  # pixel values are 0..16
    y = digits.target.astype(np.int64)
    x_train, x_rest, y_train, y_rest = train_test_split(
        x, y, test_size=0.4, stratify=y, random_state=SPLIT_SEED
    )
    x_val, x_test, y_val, y_test = train_test_split(
        x_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=SPLIT_SEED
    )
    arrays = {
        "x_train": x_train,
        "y_train": y_train,
        "x_val": x_val,
        "y_val": y_val,
        "x_test": x_test,
        "y_test": y_test,
    }
    for array in arrays.values():
        array.setflags(write=False)
    return arrays


def digits(n_train: int | None = None) -> dict[str, np.ndarray]:
    """scikit-learn's 1,797 handwritten digits, split 60/20/20 into train, validation and test.

    n_train: keep only this many training images (a stratified subset: the same number of
    each digit, give or take one), to make a small training set; default all 1,078.
    Returns copies: x_train (N, 8, 8, 1) float32 in [0, 1], y_train (N,) int64 in 0..9,
    and x_val, y_val (359 images), x_test, y_test (360 images) in the same form.
    """
    arrays = {name: array.copy() for name, array in _digits_split().items()}
    if n_train is not None:
        total = len(arrays["y_train"])
        if not 10 <= n_train <= total:
            raise ValueError(f"n_train must be between 10 and {total}, got {n_train}.")
        if n_train < total:
            from sklearn.model_selection import train_test_split

            keep, _ = train_test_split(
                np.arange(total),
                train_size=n_train,
                stratify=arrays["y_train"],
                random_state=SPLIT_SEED,
            )
            keep = np.sort(keep)
            arrays["x_train"], arrays["y_train"] = arrays["x_train"][keep], arrays["y_train"][keep]
    return arrays


def batches(
    x: np.ndarray, y: np.ndarray, batch_size: int = 32, shuffle: bool = False, seed: int = 0
) -> tf.data.Dataset:
    """A cached ``tf.data.Dataset`` of (x, y) batches, reshuffled every epoch if ``shuffle``.

    Keras's ``fit`` on NumPy arrays re-slices them every epoch; a pipeline made once is several
    times faster for small models like the notebook's. x: (N, ...); y: (N, ...) (or a dict of
    arrays for a model with several outputs).
    """
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((x, y)).cache()
    if shuffle:
        dataset = dataset.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)
