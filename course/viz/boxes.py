"""Boxes on images: (x, y, w, h) boxes drawn on scenes, a detector's windows before and after
non-maximum suppression, predicted boxes against the true one, a detector's grid and its
detections on scenes of several objects.

Every function returns the figure. Used by notebooks 01 (scenes, detections), 03 (IoU and
smooth L1 of predicted boxes) and 06 (scenes, the grid over a scene, detections).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from course.boxes import xywh_to_center
from course.datasets.scenes import CLASS_NAMES
from course.viz.images import axes_grid

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BOX_COLOURS = ("#ffdd00", "#00e5ff", "#ff3df0", "#7dff4d", "#ff8c1a")
"""Colours of the boxes, one per box in order (the first one for single boxes)."""


def draw_boxes(
    ax: Axes,
    boxes: np.ndarray,
    labels: Sequence[str] = (),
    colours: Sequence[str] | str | None = None,
    linewidth: float = 1.5,
    linestyle: str = "-",
) -> None:
    """Draw (x, y, w, h) boxes (top-left corner, pixels) on an axis showing an image.

    boxes: (K, 4) or (4,); labels: optional text written above each box.
    """
    from matplotlib.patches import Rectangle

    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    if colours is None:
        colours = BOX_COLOURS
    if isinstance(colours, str):
        colours = [colours] * len(boxes)
    labels = list(labels) + [""] * (len(boxes) - len(labels))
    for index, ((x, y, w, h), label) in enumerate(zip(boxes, labels, strict=False)):
        colour = colours[index % len(colours)]
        # imshow puts pixel (r, c) at [c - 0.5, c + 0.5]: pixel edges are at half-integers
        ax.add_patch(
            Rectangle(
                (x - 0.5, y - 0.5),
                w,
                h,
                fill=False,
                edgecolor=colour,
                linewidth=linewidth,
                linestyle=linestyle,
            )
        )
        if label:
            ax.text(x - 0.5, y - 1, label, color=colour, fontsize=7, va="bottom")


def plot_scenes(
    images: np.ndarray,
    titles: Sequence[str] = (),
    boxes: np.ndarray | None = None,
    predicted_boxes: np.ndarray | None = None,
    columns: int = 8,
) -> Figure:
    """A grid of (N, H, W, 3) images in [0, 1], with optional true boxes (solid, (N, 4) or
    (N, K, 4)) and predicted boxes (dashed, (N, 4))."""
    fig, axes = axes_grid(len(images), columns)
    titles = list(titles) + [""] * len(images)
    for index, (ax, image) in enumerate(zip(axes, images, strict=False)):
        ax.imshow(np.clip(image, 0, 1))
        ax.set_title(titles[index], fontsize=8)
        if boxes is not None:
            draw_boxes(ax, boxes[index], colours=BOX_COLOURS[0])
        if predicted_boxes is not None:
            draw_boxes(ax, predicted_boxes[index], colours=BOX_COLOURS[1], linestyle="--")
    fig.tight_layout()
    return fig


def plot_detections(
    image: np.ndarray,
    boxes: np.ndarray,
    scores: np.ndarray,
    kept: np.ndarray,
    threshold: float = 0.5,
) -> Figure:
    """Side by side: every window scoring above ``threshold`` (thin), and the boxes
    non-maximum suppression keeps (thick, with their scores). boxes: (M, 4) (x, y, w, h);
    scores: (M,); kept: indices into boxes."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 5))
    above = scores > threshold
    panels = (
        (boxes[above], [], 0.6, f"{above.sum()} windows score > {threshold}"),
        (boxes[kept], [f"{s:.2f}" for s in scores[kept]], 2.0, f"after NMS: {len(kept)} boxes"),
    )
    for ax, (shown, labels, width, title) in zip(axes, panels, strict=True):
        ax.imshow(image, cmap="gray" if np.ndim(image) == 2 else None)
        draw_boxes(ax, shown, labels, colours=BOX_COLOURS[0], linewidth=width)
        ax.set_title(title, fontsize=10)
        ax.axis("off")
    fig.tight_layout()
    return fig


def plot_boxes(
    image: np.ndarray, true_box: np.ndarray, boxes: np.ndarray, titles: Sequence[str]
) -> Figure:
    """One image per predicted box: the true box in green, the prediction in red.

    image: (H, W, 3) in [0, 1]; true_box: (4,) and boxes: (n, 4), (x, y, w, h) pixels.
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(boxes), figsize=(2.6 * len(boxes), 2.8), squeeze=False)
    for ax, box, title in zip(axes[0], boxes, titles, strict=True):
        ax.imshow(np.clip(image, 0, 1))
        draw_boxes(ax, true_box, colours="lime")
        draw_boxes(ax, box, colours="red")
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    fig.tight_layout()
    return fig


def plot_grid_targets(image: np.ndarray, boxes: np.ndarray, grid: np.ndarray) -> Figure:
    """A scene with the S x S grid, its true boxes and centres, and the responsible cells
    shaded; beside it the objectness channel. image (H, W, 3); boxes (n, 4); grid (S, S, 5 + C)."""
    import matplotlib.pyplot as plt

    size, cells = image.shape[0], grid.shape[0]
    cell = size / cells
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3.5))
    left.imshow(np.clip(image, 0, 1))
    for k in range(1, cells):
        for line in (left.axhline, left.axvline):
            line(k * cell - 0.5, color="white", linewidth=0.5, alpha=0.7)
    for row, col in np.argwhere(grid[..., 0] > 0.5):
        left.add_patch(
            plt.Rectangle(
                (col * cell - 0.5, row * cell - 0.5), cell, cell, color="white", alpha=0.35
            )
        )
    draw_boxes(left, boxes, colours=BOX_COLOURS[0])
    centres = xywh_to_center(np.asarray(boxes).reshape(-1, 4))
    left.plot(centres[:, 0] - 0.5, centres[:, 1] - 0.5, "r+", markersize=10)
    left.set_title("grid, boxes, centres (+), responsible cells", fontsize=9)
    right.imshow(grid[..., 0], cmap="gray", vmin=0, vmax=1)
    right.set_title(f"objectness channel ({cells}x{cells})", fontsize=9)
    for ax in (left, right):
        ax.axis("off")
    fig.tight_layout()
    return fig


def plot_scene_detections(
    images: np.ndarray,
    detections: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    true_boxes: np.ndarray | None = None,
    min_score: float = 0.5,
    columns: int = 6,
) -> Figure:
    """Scenes with their detections scoring >= min_score (dashed, "class score") and the true
    boxes (solid, optional: (N, M, 4), zero rows ignored)."""
    fig, axes = axes_grid(len(images), columns, size=2.2)
    for index, (ax, image) in enumerate(zip(axes, images, strict=False)):
        ax.imshow(np.clip(image, 0, 1))
        if true_boxes is not None:
            truth = true_boxes[index]
            draw_boxes(ax, truth[truth[:, 2] > 0], colours=BOX_COLOURS[0], linewidth=1.0)
        boxes, scores, labels = detections[index]
        sure = scores >= min_score
        names = [
            f"{CLASS_NAMES[c]} {s:.2f}" for c, s in zip(labels[sure], scores[sure], strict=True)
        ]
        draw_boxes(ax, boxes[sure], names, colours=BOX_COLOURS[1], linestyle="--")
    fig.tight_layout()
    return fig
