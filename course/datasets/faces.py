"""Faces and non-faces for a sliding-window face detector (notebook 01, detection).

Windows of 25x25 grey pixels: the faces of scikit-image's ``lfw_subset``, mirrored and shifted,
against its non-faces and windows cut at several scales from photos without a face
(``course.datasets.photos``). ``course.detection`` scans a photo with the same windows.
"""

from __future__ import annotations

import numpy as np

from course.datasets.photos import grey_photo

FACE_SIZE = 25
"""Side of the lfw_subset images (and of the detector's window), in pixels."""

_NEGATIVE_PHOTOS = (
    "brick",
    "camera",
    "chelsea",
    "clock",
    "coffee",
    "coins",
    "grass",
    "gravel",
    "immunohistochemistry",
    "moon",
    "page",
    "rocket",
    "text",
)  # photos shipped with scikit-image that hold no human face (the astronaut is kept for testing)


def standardise_windows(windows: np.ndarray, floor: float = 0.1) -> np.ndarray:
    """Remove each window's mean and divide by its standard deviation (plus ``floor``, so that
    flat windows are not blown up into noise). windows: (..., H, W) -> same shape, float32.

    This makes the face detector insensitive to lighting: the same face, brighter or darker,
    gives the same input.
    """
    windows = np.asarray(windows, dtype=np.float32)
    mean = windows.mean(axis=(-2, -1), keepdims=True)
    std = windows.std(axis=(-2, -1), keepdims=True)
    return (windows - mean) / (std + floor)


def photo_windows(
    image: np.ndarray, window: int, step: int = 2, size: int = FACE_SIZE
) -> tuple[np.ndarray, np.ndarray]:
    """Every window of ``window`` x ``window`` pixels of a grey image, each shrunk to size x size.

    The image is rescaled by size / window once, then cut into size x size windows every
    ``step`` pixels of the rescaled image. image: (H, W) float.
    Returns (windows (M, size, size) float32, boxes (M, 4) float32 (x, y, w, h) in the original
    image's pixels).
    """
    from skimage.transform import rescale
    from skimage.util import view_as_windows

    scale = size / window
    small = rescale(image, scale, anti_aliasing=True).astype(np.float32)
    if min(small.shape) < size:
        return np.empty((0, size, size), np.float32), np.empty((0, 4), np.float32)
    grid = view_as_windows(small, (size, size), step=step)
    rows, cols = np.meshgrid(np.arange(grid.shape[0]), np.arange(grid.shape[1]), indexing="ij")
    # the rescaled side is rounded: map back with the scale actually applied on each axis
    scale_y, scale_x = small.shape[0] / image.shape[0], small.shape[1] / image.shape[1]
    x = cols.ravel() * step / scale_x
    y = rows.ravel() * step / scale_y
    w = np.full_like(x, size / scale_x)
    h = np.full_like(y, size / scale_y)
    boxes = np.stack([x, y, w, h], axis=-1).astype(np.float32)
    return grid.reshape(-1, size, size), boxes


def face_data(seed: int = 0, negatives_per_scale: int = 30) -> dict[str, np.ndarray]:
    """Training windows for a face / not-face classifier, all 25x25 grey.

    positives: the 100 faces of ``skimage.data.lfw_subset()``, their mirror images, and copies
    shifted by one pixel (600 windows); negatives: the 100 non-faces of lfw_subset and random
    windows, at several scales, of scikit-image photos without faces (not the astronaut).
    Returns {"x": (N, 25, 25, 1) float32 standardised, "y": (N,) float32 (1 = face), shuffled,
    "pool": (M, 25, 25) float32 unused raw windows of the face-free photos (for hard negatives)}.
    """
    import skimage.data

    rng = np.random.default_rng(seed)
    lfw = skimage.data.lfw_subset().astype(np.float32)
    faces, non_faces = lfw[:100], lfw[100:]
    mirrored = faces[:, :, ::-1]
    shifted = [np.roll(f, s, axis=a) for f in (faces, mirrored) for s in (-1, 1) for a in (1, 2)]
    positives = np.concatenate([faces, mirrored, *shifted[:4]])
    negatives, pool = [non_faces], []
    for name in _NEGATIVE_PHOTOS:
        photo = grey_photo(name)
        for window in (40, 60, 80, 100, 140):
            windows, _ = photo_windows(photo, window, step=3)
            order = rng.permutation(len(windows))
            negatives.append(windows[order[:negatives_per_scale]])
            pool.append(windows[order[negatives_per_scale : negatives_per_scale + 300]])
    negatives = np.concatenate(negatives)
    x = standardise_windows(np.concatenate([positives, negatives]))[..., None]
    y = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))]).astype(np.float32)
    order = rng.permutation(len(x))
    return {"x": x[order], "y": y[order], "pool": np.concatenate(pool)}
