"""Tests for course.datasets.pipeline: arrays into a tf.data pipeline of batches."""

from __future__ import annotations

import numpy as np

from course import datasets


def test_batches_cover_the_data_once_per_epoch():
    """Do the batches hold every example once, reshuffled with shuffle=True?"""
    x = np.arange(50, dtype="float32")[:, None]
    y = np.arange(50)
    data = datasets.batches(x, y, batch_size=16, shuffle=True, seed=1)
    epoch1 = np.concatenate([b.numpy() for _, b in data])
    epoch2 = np.concatenate([b.numpy() for _, b in data])
    assert sorted(epoch1.tolist()) == list(range(50)) == sorted(epoch2.tolist())
    assert not np.array_equal(epoch1, epoch2)
    assert len(datasets.batches(x, y, batch_size=16)) == 4
