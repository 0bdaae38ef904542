"""Figures of notebook 06: the grid over a scene, detections, instance masks.

Built on ``course.tasks_viz`` (boxes, grids of axes); every function returns the figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from course.datasets import scenes
from course.viz import BOX_COLOURS, draw_boxes
from course.viz import axes_grid as _grid

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


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
        left.add_patch(plt.Rectangle((col * cell - 0.5, row * cell - 0.5), cell, cell,
                                     color="white", alpha=0.35))
    draw_boxes(left, boxes, colours=BOX_COLOURS[0])
    centres = scenes.xywh_to_center(np.asarray(boxes).reshape(-1, 4))
    left.plot(centres[:, 0] - 0.5, centres[:, 1] - 0.5, "r+", markersize=10)
    left.set_title("grid, boxes, centres (+), responsible cells", fontsize=9)
    right.imshow(grid[..., 0], cmap="gray", vmin=0, vmax=1)
    right.set_title(f"objectness channel ({cells}x{cells})", fontsize=9)
    for ax in (left, right):
        ax.axis("off")
    fig.tight_layout()
    return fig


def plot_detections(
    images: np.ndarray,
    detections: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    true_boxes: np.ndarray | None = None,
    min_score: float = 0.5,
    columns: int = 6,
) -> Figure:
    """Scenes with their detections scoring >= min_score (dashed, "class score") and the true
    boxes (solid, optional: (N, M, 4), zero rows ignored)."""
    fig, axes = _grid(len(images), columns, size=2.2)
    for index, (ax, image) in enumerate(zip(axes, images, strict=False)):
        ax.imshow(np.clip(image, 0, 1))
        if true_boxes is not None:
            truth = true_boxes[index]
            draw_boxes(ax, truth[truth[:, 2] > 0], colours=BOX_COLOURS[0], linewidth=1.0)
        boxes, scores, labels = detections[index]
        sure = scores >= min_score
        names = [f"{scenes.CLASS_NAMES[c]} {s:.2f}" for c, s in zip(labels[sure], scores[sure],
                                                                     strict=True)]
        draw_boxes(ax, boxes[sure], names, colours=BOX_COLOURS[1], linestyle="--")
    fig.tight_layout()
    return fig


def plot_instances(images: np.ndarray, panels: dict[str, np.ndarray]) -> Figure:
    """One row per scene: the image, then each named (N, H, W) instance mask (0 = background)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(["#222222", "#f58231", "#911eb4", "#46f0f0", "#f032e6", "#bcf60c",
                           "#fabebe", "#e6194b", "#3cb44b"])
    columns = 1 + len(panels)
    fig, axes = plt.subplots(len(images), columns, figsize=(2.1 * columns, 2.1 * len(images)),
                             squeeze=False)
    for row, image in enumerate(images):
        axes[row, 0].imshow(np.clip(image, 0, 1))
        for column, (name, masks) in enumerate(panels.items(), start=1):
            axes[row, column].imshow(masks[row], cmap=cmap, vmin=0, vmax=8,
                                     interpolation="nearest")
            if row == 0:
                axes[row, column].set_title(name, fontsize=8)
        for ax in axes[row]:
            ax.axis("off")
    fig.tight_layout()
    return fig


def plot_mask_crops(crops: np.ndarray, panels: dict[str, np.ndarray]) -> Figure:
    """One column per crop: the crop (K, c, c, 3) in [0, 1] on top, then one row per named
    (K, c, c) or (K, c, c, 1) array of masks or probabilities in [0, 1]."""
    import matplotlib.pyplot as plt

    rows = 1 + len(panels)
    fig, axes = plt.subplots(rows, len(crops), figsize=(1.1 * len(crops), 1.15 * rows),
                             squeeze=False)
    for column, crop in enumerate(crops):
        axes[0, column].imshow(np.clip(crop, 0, 1), interpolation="nearest")
        for row, values in enumerate(panels.values(), start=1):
            axes[row, column].imshow(np.squeeze(values[column]), cmap="gray", vmin=0, vmax=1,
                                     interpolation="nearest")
    for row, name in enumerate(("crop", *panels)):
        axes[row, 0].set_ylabel(name, fontsize=8)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig
