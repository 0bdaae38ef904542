"""Arrays into a ``tf.data`` pipeline of batches, made once (notebook 03, compilation).

Keras's ``fit`` on NumPy arrays re-slices them every epoch; a pipeline made once is several
times faster for small models like the notebook's. ``course.datasets.batches`` is ``batches``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import tensorflow as tf


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
