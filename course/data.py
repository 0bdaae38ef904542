"""Data the notebooks use, all available offline (introduced in notebook 02).

Images come from packages the course installs (scikit-image ships photos), so
no cell downloads anything.
"""

from __future__ import annotations

import numpy as np

_SKIMAGE_PHOTOS = ("astronaut", "chelsea", "coffee", "rocket")


def sample_image(name: str = "chelsea", size: tuple[int, int] | None = None) -> np.ndarray:
    """A colour photo shipped with scikit-image, as float32 in [0, 1].

    name: one of "astronaut", "chelsea" (the cat), "coffee", "rocket".
    size: optional (H, W) to resize to. Returns (H, W, 3) float32.
    """
    import skimage.data
    from skimage.transform import resize

    if name not in _SKIMAGE_PHOTOS:
        raise ValueError(f"unknown sample image {name!r}; choose one of {_SKIMAGE_PHOTOS}.")
    image = getattr(skimage.data, name)().astype("float32") / 255.0
    if size is not None:
        image = resize(image, size, anti_aliasing=True).astype("float32")
    return image


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
