"""Photos shipped with scikit-image, offline: colour as they are, or grey.

Used by notebooks 01 (the face detector's test photo and its face-free photos,
``course.datasets.faces``), 02 (a convolution on a photo) and 04 (the optional ImageNet cell).
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


def grey_photo(name: str) -> np.ndarray:
    """A scikit-image photo as a (H, W) float32 grey image in [0, 1]."""
    import skimage.data
    from skimage.color import rgb2gray

    image = getattr(skimage.data, name)()
    image = rgb2gray(image) if image.ndim == 3 else image / 255.0
    return image.astype(np.float32)
