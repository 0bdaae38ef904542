"""A one-stage grid detector in the manner of YOLO: target grids, decoding, detection.

The image is cut into an S x S grid. The cell that holds an object's centre is *responsible*
for it and predicts, in its own vector of 5 + C numbers:

    [objectness, x, y, w, h, p_0 ... p_{C-1}]

objectness: 1 for a responsible cell, 0 elsewhere; x, y: the centre's position inside the cell,
in [0, 1) (0 = the cell's left / top edge); w, h: the box's width and height divided by the
image side, in [0, 1]; p: the class, one-hot. A grid is (S, S, 5 + C), rows first (y), then
columns (x). The model predicts the same layout: sigmoids for the first five, a softmax for the
classes, so decoding a target grid or a predicted one is the same code.

These are the course's reference versions: notebook 06's exercises ask for ``encode`` and
``decode``; the checks compare a student's answers with these. The model and its loss are
``course.models.grid_detector``.
"""

from __future__ import annotations

import numpy as np

from course.boxes import center_to_xywh, xywh_to_center
from course.datasets.scenes import CLASS_NAMES
from course.detection.nms import non_max_suppression_per_class

IMAGE_SIZE = 64
"""Side of the scenes of ``course_scenes/multi``, in pixels."""

GRID_SIZE = 8
"""S: cells per side; a cell is IMAGE_SIZE / GRID_SIZE = 8 pixels wide."""

NUM_CLASSES = len(CLASS_NAMES)
"""C: circle, square, triangle."""


def channels(num_classes: int = NUM_CLASSES) -> int:
    """Numbers per cell: objectness, x, y, w, h, then one per class."""
    return 5 + num_classes


def encode(
    boxes: np.ndarray,
    labels: np.ndarray,
    image_size: int = IMAGE_SIZE,
    grid_size: int = GRID_SIZE,
    num_classes: int = NUM_CLASSES,
) -> np.ndarray:
    """One scene's objects -> its target grid (S, S, 5 + C) float32.

    boxes: (n, 4) (x, y, w, h) pixels, top-left corner; labels: (n,) ints (n may be 0). The
    object's centre picks the cell: column floor(cx / cell), row floor(cy / cell), with
    cell = image_size / grid_size (a centre on the far edge goes to the last cell). When two
    centres fall in one cell, the later object in the list wins.
    """
    grid = np.zeros((grid_size, grid_size, channels(num_classes)), dtype=np.float32)
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    cell = image_size / grid_size
    for (cx, cy, w, h), label in zip(xywh_to_center(boxes), np.ravel(labels), strict=True):
        col = min(int(cx // cell), grid_size - 1)
        row = min(int(cy // cell), grid_size - 1)
        grid[row, col] = 0.0
        grid[row, col, :5] = (1.0, cx / cell - col, cy / cell - row, w / image_size, h / image_size)
        grid[row, col, 5 + int(label)] = 1.0
    return grid


def encode_batch(
    boxes: np.ndarray,
    labels: np.ndarray,
    image_size: int = IMAGE_SIZE,
    grid_size: int = GRID_SIZE,
    num_classes: int = NUM_CLASSES,
) -> np.ndarray:
    """Padded scenes (``make_scenes``: boxes (N, M, 4), labels (N, M), -1 = no object) ->
    target grids (N, S, S, 5 + C) float32."""
    return np.stack(
        [
            encode(b[lab >= 0], lab[lab >= 0], image_size, grid_size, num_classes)
            for b, lab in zip(np.asarray(boxes), np.asarray(labels), strict=True)
        ]
    )


def decode(
    grid: np.ndarray, image_size: int = IMAGE_SIZE, score_threshold: float = 0.5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One grid (S, S, 5 + C) -> the boxes of the cells whose objectness > score_threshold.

    Returns boxes (K, 4) float (x, y, w, h) pixels, scores (K,) float (the objectness) and
    labels (K,) int (argmax of the class part), in row-major cell order.
    """
    grid = np.asarray(grid, dtype=np.float64)
    grid_size = grid.shape[0]
    cell = image_size / grid_size
    rows, cols = np.nonzero(grid[..., 0] > score_threshold)
    found = grid[rows, cols]
    centres = np.stack(
        [
            (cols + found[:, 1]) * cell,
            (rows + found[:, 2]) * cell,
            found[:, 3] * image_size,
            found[:, 4] * image_size,
        ],
        axis=-1,
    ).reshape(-1, 4)
    return center_to_xywh(centres), found[:, 0], np.argmax(found[:, 5:], axis=-1)


def detect(
    model, x: np.ndarray, score_threshold: float = 0.1, iou_threshold: float = 0.5
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Run a grid model on images x (N, H, W, 3): decode each grid, then NMS per class.

    A low score threshold keeps the less sure boxes too, so that mean average precision sees
    the whole precision-recall curve. Returns one (boxes, scores, labels) per image."""
    grids = np.asarray(model.predict(x, batch_size=256, verbose=0))
    image_size = int(np.shape(x)[1])
    return [
        non_max_suppression_per_class(*decode(g, image_size, score_threshold), iou_threshold)
        for g in grids
    ]


def truths(boxes: np.ndarray, labels: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Padded scenes (boxes (N, M, 4), labels (N, M), -1 = none) -> one (boxes, labels) each."""
    return [(b[lab >= 0], lab[lab >= 0]) for b, lab in zip(boxes, labels, strict=True)]
