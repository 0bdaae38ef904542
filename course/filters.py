"""Hand-designed convolution filters: what a CNN's first layer learns, written by hand.

Used by notebook 02 (feature extraction: a convolution of a photo with edge detectors).
"""

from __future__ import annotations

import numpy as np


def edge_filters() -> tuple[np.ndarray, list[str]]:
    """Hand-designed 3x3 filters for a 3-channel image, in Keras's kernel layout.

    Returns (kernel of shape (3, 3, 3, 4) float32, names): vertical and
    horizontal Sobel edges, a Laplacian and a box blur, each applied to the
    mean of the three colour channels.
    """
    sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype="float32")
    laplacian = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype="float32")
    blur = np.full((3, 3), 1 / 9, dtype="float32")
    filters = [sobel_x, sobel_x.T, laplacian, blur]
    kernel = np.stack([np.repeat(f[:, :, None] / 3, 3, axis=2) for f in filters], axis=-1)
    return kernel.astype("float32"), ["vertical edges", "horizontal edges", "Laplacian", "blur"]
