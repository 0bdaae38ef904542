"""Synthetic scenes of simple shapes, for the four vision tasks, made offline with NumPy.

Each scene is a (H, W, 3) float32 image in [0, 1] (H = W = ``size`` pixels) with a random
background colour, mild uniform noise and one or several objects: a "circle", a "square" or a
"triangle" of random colour, size and position, always fully inside the image. Alongside the image
come the answers each task needs:

- classification: ``labels``, the class index of each object (see ``CLASS_NAMES``);
- detection: ``boxes`` in (x, y, w, h) form, in pixels: x is the column and y the row of the
  box's top-left corner, w and h its width and height. A box is the tight extent of the object's
  pixels (before any later object covers part of it);
- segmentation: a semantic mask (0 = background, class index + 1 for objects) and an instance
  mask (0 = background, 1..n for the objects in drawing order). Later objects cover earlier ones,
  and the masks show exactly what is drawn;
- generation: the images themselves.

The same seed always gives the same arrays. ``split`` gives notebook 01's fixed splits (a seed
per split, so no image is in two), ready for a network (``center_colours``).

Used by notebooks 01 (the four tasks), 03 (losses per task), 04 (the pretrained base's source
task, ``course.datasets.shapes``) and 06 (``course.datasets.multi_scenes``), and by the TFDS builder
``course.datasets.course_scenes``. Boxes are (x, y, w, h) in pixels (``course.boxes``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

CLASS_NAMES: tuple[str, ...] = ("circle", "square", "triangle")
"""Object classes; a label is an index into this tuple."""

MIN_SIZE = 16
"""Smallest image side, in pixels."""

MAX_OBJECTS = 10
"""Most objects a scene may be asked to hold."""

MAX_IOU = 0.3
"""Two objects' boxes never overlap by more than this intersection over union."""

MAX_COVER = 0.5
"""No box covers more than this fraction of another (so no object is hidden entirely)."""

NOISE = 0.05
"""Every pixel value gets uniform noise in [-NOISE, NOISE] (then is clipped to [0, 1])."""

_TRIES = 100  # placements tried per object before it is left out
_MIN_CONTRAST = 0.5  # smallest Euclidean RGB distance between an object and the background


@dataclass(frozen=True)
class Scene:
    """One image and its annotations, for n objects.

    image: (H, W, 3) float32 in [0, 1].
    labels: (n,) int64 class indices into ``CLASS_NAMES``.
    boxes: (n, 4) float32 (x, y, w, h) in pixels, top-left corner form.
    semantic_mask: (H, W) uint8, 0 = background, class index + 1 on each object's visible pixels.
    instance_mask: (H, W) int32, 0 = background, i + 1 on the visible pixels of object i.
    """

    image: np.ndarray
    labels: np.ndarray
    boxes: np.ndarray
    semantic_mask: np.ndarray
    instance_mask: np.ndarray


# --------------------------------------------------------------------------- input checks


def _check_int(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be a whole number, got {value!r}.")
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise ValueError(f"{name} must be at least {minimum}{upper}, got {value}.")
    return int(value)


def _check_size(size: object) -> int:
    return _check_int("size (the image side, in pixels)", size, MIN_SIZE)


def _count_range(num_objects: object) -> tuple[int, int]:
    """num_objects as an int or a (min, max) pair -> (min, max), both in 1..MAX_OBJECTS."""
    if isinstance(num_objects, tuple | list) and len(num_objects) == 2:
        lo = _check_int("num_objects[0] (the fewest objects)", num_objects[0], 1, MAX_OBJECTS)
        hi = _check_int("num_objects[1] (the most objects)", num_objects[1], 1, MAX_OBJECTS)
        if lo > hi:
            raise ValueError(f"num_objects must be (min, max) with min <= max, got {num_objects}.")
        return lo, hi
    if isinstance(num_objects, tuple | list):
        raise ValueError(f"num_objects must be an int or a (min, max) pair, got {num_objects!r}.")
    count = _check_int("num_objects", num_objects, 1, MAX_OBJECTS)
    return count, count


def _as_generator(rng: object) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng(int(rng))
    raise ValueError(
        f"rng must be a numpy Generator (np.random.default_rng(seed)) or a seed >= 0, got {rng!r}."
    )


# --------------------------------------------------------------------------- drawing


def _side_range(size: int) -> tuple[int, int]:
    """Smallest and largest object side, in pixels, for a size x size image."""
    return max(4, round(0.2 * size)), round(0.5 * size)


@functools.cache
def _template(label: int, side: int) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The pixels of a shape drawn in a side x side square, and their tight box.

    Returns ((side, side) bool, (dx, dy, w, h)): the box is relative to the square's corner.
    A pixel belongs to the shape when its centre does.
    """
    c = np.arange(side) + 0.5  # pixel centres, from the square's corner
    u = c[None, :] - side / 2  # column offset from the middle
    v = c[:, None]  # row offset from the top
    name = CLASS_NAMES[label]
    if name == "circle":
        inside = u**2 + (v - side / 2) ** 2 <= (side / 2) ** 2
    elif name == "square":
        inside = np.ones((side, side), dtype=bool)
    else:  # triangle, apex up, base along the bottom edge
        inside = np.abs(u) <= v / 2
    inside.setflags(write=False)
    rows = np.flatnonzero(inside.any(axis=1))
    cols = np.flatnonzero(inside.any(axis=0))
    box = (int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1))
    return inside, box


def _fits(box: tuple[int, int, int, int], boxes: list[tuple[int, int, int, int]]) -> bool:
    """Whether an (x, y, w, h) box overlaps none of boxes by IoU > MAX_IOU, and neither covers
    more than MAX_COVER of the other's area (plain Python: faster than NumPy for a few boxes)."""
    x, y, w, h = box
    for bx, by, bw, bh in boxes:
        iw = min(x + w, bx + bw) - max(x, bx)
        ih = min(y + h, by + bh) - max(y, by)
        if iw <= 0 or ih <= 0:
            continue
        inter, area, other = iw * ih, w * h, bw * bh
        if inter > MAX_IOU * (area + other - inter) or inter > MAX_COVER * min(area, other):
            return False
    return True


def contrasting_colour(rng: np.random.Generator, background: np.ndarray) -> np.ndarray:
    """A random RGB colour at least _MIN_CONTRAST away from the background (also the shapes of
    ``course.datasets.shapes``)."""
    for _ in range(20):
        colour = rng.uniform(0.0, 1.0, 3)
        if ((colour - background) ** 2).sum() >= _MIN_CONTRAST**2:
            return colour
    return (background < 0.5).astype(np.float64)  # opposite corner of the colour cube


def make_scene(rng: np.random.Generator | int, size: int = 64, num_objects: int = 1) -> Scene:
    """One random scene of size x size pixels with num_objects objects (1..MAX_OBJECTS).

    rng: a numpy Generator (advanced in place) or a seed. Objects are drawn in order, each later
    one over the earlier ones; no two boxes overlap by IoU > MAX_IOU. If no such place is found
    for an object in 100 tries (only likely with many objects in a small image), it is left out,
    so the scene may hold fewer objects than asked. Returns a ``Scene``.
    """
    size = _check_size(size)
    count = _check_int("num_objects", num_objects, 1, MAX_OBJECTS)
    rng = _as_generator(rng)
    image = np.empty((size, size, 3), dtype=np.float32)
    semantic = np.empty((size, size), dtype=np.uint8)
    instance = np.zeros((size, size), dtype=np.int32)
    labels, boxes = _draw(rng, count, image, semantic, instance)
    return Scene(image, labels, boxes, semantic, instance)


def _draw(
    rng: np.random.Generator,
    count: int,
    image: np.ndarray,
    semantic: np.ndarray,
    instance: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw a scene of up to count objects into the given (H, W, 3) float32 image, (H, W) uint8
    semantic and (H, W) int32 instance arrays (instance must be all 0 on entry).

    Returns labels (n,) int64 and boxes (n, 4) float32 xywh. The objects are drawn into the
    instance mask first; the image and the semantic mask are then read off it, so all three agree.
    """
    size = instance.shape[0]
    lo, hi = _side_range(size)
    palette = [rng.uniform(0.0, 1.0, 3)]  # colour of background, object 1, object 2, ...
    lut = [0]  # semantic value of background, object 1, object 2, ...
    boxes: list[tuple[int, int, int, int]] = []
    for _ in range(count):
        label = int(rng.integers(len(CLASS_NAMES)))
        colour = contrasting_colour(rng, palette[0])
        for _ in range(_TRIES):
            side = int(rng.integers(lo, hi + 1))
            x, y = (int(v) for v in rng.integers(0, size - side + 1, size=2))
            inside, (dx, dy, w, h) = _template(label, side)
            box = (x + dx, y + dy, w, h)
            if _fits(box, boxes):
                break
        else:
            continue  # no room: leave this object out
        boxes.append(box)
        instance[y : y + side, x : x + side][inside] = len(boxes)
        palette.append(colour)
        lut.append(label + 1)

    np.take(np.array(palette, dtype=np.float32), instance, axis=0, out=image)
    np.take(np.array(lut, dtype=np.uint8), instance, out=semantic)
    noise = rng.random(image.shape, dtype=np.float32)
    noise *= 2 * NOISE
    noise -= NOISE
    image += noise
    np.clip(image, 0.0, 1.0, out=image)
    labels = np.array(lut[1:], dtype=np.int64) - 1
    return labels, np.array(boxes, dtype=np.float32).reshape(-1, 4)


def iter_scenes(
    n: int, seed: int = 0, size: int = 64, num_objects: int | tuple[int, int] = 1
) -> Iterator[Scene]:
    """Yield n scenes from ``np.random.default_rng(seed)``, one at a time (little memory).

    num_objects: an int, or a (min, max) pair: each scene then holds a count drawn uniformly
    from min..max. The scenes are exactly those ``make_scenes`` stacks for the same arguments.
    """
    n = _check_int("n (the number of scenes)", n, 1)
    size = _check_size(size)
    lo, hi = _count_range(num_objects)
    rng = np.random.default_rng(_check_int("seed", seed, 0))

    def scenes() -> Iterator[Scene]:  # checks above run now, not on the first next()
        for _ in range(n):
            count = lo if lo == hi else int(rng.integers(lo, hi + 1))
            yield make_scene(rng, size, count)

    return scenes()


def make_scenes(
    n: int, seed: int = 0, size: int = 64, num_objects: int | tuple[int, int] = 1
) -> dict[str, np.ndarray]:
    """n random scenes stacked into arrays; the same seed always gives the same arrays.

    With num_objects=1 (one object per image) the dict holds:
      images: (n, H, W, 3) float32 in [0, 1]; labels: (n,) int64; boxes: (n, 4) float32
      (x, y, w, h) pixels; semantic_masks: (n, H, W) uint8.
    With any other num_objects (an int, or a (min, max) pair) it is padded to M = the most
    objects a scene may hold:
      images, semantic_masks as above; labels: (n, M) int64, -1 after the last object;
      boxes: (n, M, 4) float32, 0 after the last object; counts: (n,) int64 objects per scene;
      instance_masks: (n, H, W) int32, 0 = background, i + 1 on object i.
    """
    n = _check_int("n (the number of scenes)", n, 1)
    size = _check_size(size)
    lo, hi = _count_range(num_objects)
    rng = np.random.default_rng(_check_int("seed", seed, 0))
    single = not isinstance(num_objects, tuple | list) and num_objects == 1
    out = {
        "images": np.empty((n, size, size, 3), dtype=np.float32),
        "semantic_masks": np.empty((n, size, size), dtype=np.uint8),
    }
    if single:
        out["labels"] = np.empty((n,), dtype=np.int64)
        out["boxes"] = np.empty((n, 4), dtype=np.float32)
        scratch = np.zeros((size, size), dtype=np.int32)
    else:
        out["labels"] = np.full((n, hi), -1, dtype=np.int64)
        out["boxes"] = np.zeros((n, hi, 4), dtype=np.float32)
        out["counts"] = np.empty((n,), dtype=np.int64)
        out["instance_masks"] = np.zeros((n, size, size), dtype=np.int32)
    for i in range(n):  # the same draws, in the same order, as iter_scenes
        count = lo if lo == hi else int(rng.integers(lo, hi + 1))
        if single:
            scratch[:] = 0
            labels, boxes = _draw(rng, count, out["images"][i], out["semantic_masks"][i], scratch)
            out["labels"][i], out["boxes"][i] = labels[0], boxes[0]
        else:
            masks = out["images"][i], out["semantic_masks"][i], out["instance_masks"][i]
            labels, boxes = _draw(rng, count, *masks)
            k = len(labels)
            out["labels"][i, :k], out["boxes"][i, :k], out["counts"][i] = labels, boxes, k
    return out


# --------------------------------------------------------------------------- splits

SPLIT_SIZE = 32
"""Side of the notebook's scenes, in pixels (small, so that every model trains in seconds)."""

SPLIT_SEEDS = {"train": 101, "validation": 102, "test": 103, "hidden": 104}
"""Seed of each split of the scenes: different seeds, so no image is in two splits."""


def center_colours(images: np.ndarray) -> np.ndarray:
    """Subtract each image's mean colour. images: (N, H, W, C) -> (N, H, W, C) float32.

    The scenes' background has a random colour; once each image's mean colour is removed, the
    background is near 0 whatever its colour, and the networks learn much faster.
    """
    images = np.asarray(images, dtype=np.float32)
    return images - images.mean(axis=(1, 2), keepdims=True)


def split(
    name: str, n: int, num_objects: int | tuple[int, int] = 1, size: int = SPLIT_SIZE
) -> dict[str, np.ndarray]:
    """``make_scenes`` for one split ("train", "validation", "test", "hidden").

    Returns the dict of ``make_scenes`` (images (n, size, size, 3) float32 in [0, 1], labels,
    boxes (x, y, w, h) in pixels, semantic_masks, ...) plus "x": the images after
    ``center_colours``, ready for a network.
    """
    if name not in SPLIT_SEEDS:
        raise ValueError(f"unknown split {name!r}; choose one of {tuple(SPLIT_SEEDS)}.")
    seed = SPLIT_SEEDS[name] + (0 if num_objects == 1 else 10)
    data = make_scenes(n, seed=seed, size=size, num_objects=num_objects)
    data["x"] = center_colours(data["images"])
    return data
