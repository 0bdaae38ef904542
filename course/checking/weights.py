"""Seeded weights for behaviour checks: the same numbers wherever they are made.

A check that compares a student's model with Keras's on the same weights makes them on
both sides from a seed (``set_he_weights``) instead of sending millions of numbers to the
student's kernel: in grading, the judge calls this module in the kernel for the student's
model and in itself for the reference (introduced in notebook 02, ``check_vgg16``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def he_weights(shapes: Sequence[tuple[int, ...]], seed: int) -> list[np.ndarray]:
    """He-scaled normal kernels and 0.1-scaled biases of the given shapes (float32): they keep
    the activations of order 1 through many ReLU layers."""
    rng = np.random.default_rng(seed)
    return [
        rng.standard_normal(size=shape, dtype=np.float32)
        * np.float32(np.sqrt(2 / np.prod(shape[:-1])) if len(shape) > 1 else 0.1)
        for shape in shapes
    ]


def set_he_weights(model, seed: int) -> None:
    """Give ``model`` the ``he_weights`` of its own weight shapes, in ``model.weights`` order."""
    model.set_weights(he_weights([tuple(w.shape) for w in model.weights], seed))
