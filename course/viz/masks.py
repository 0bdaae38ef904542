"""Masks: a predicted mask's outline on its image and its wrong pixels, semantic against
instance masks, instance masks side by side, a mask head's crops.

Every function returns the figure. Used by notebooks 01 (segmentation) and 06 (instance
segmentation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from course.viz.images import axes_grid

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

INSTANCE_COLOURS = (
    "#222222",
    "#f58231",
    "#911eb4",
    "#46f0f0",
    "#f032e6",
    "#bcf60c",
    "#fabebe",
    "#e6194b",
    "#3cb44b",
)
"""Colours of instance masks: the background (id 0), then one per object id."""


def outline(ax: Axes, mask: np.ndarray) -> None:
    """Draw the boundary of a (H, W) mask on an axis showing an image, black under white so that
    it shows on any colour."""
    mask = np.asarray(mask, dtype=float)
    if mask.min() == mask.max():
        return
    ax.contour(mask, levels=[0.5], colors="k", linewidths=2.2)
    ax.contour(mask, levels=[0.5], colors="w", linewidths=1.0)


def error_map(true_mask: np.ndarray, predicted_mask: np.ndarray) -> np.ndarray:
    """(H, W, 3) picture of a predicted mask: white object, black background, red where the
    prediction differs from the true mask."""
    true_mask, predicted_mask = np.asarray(true_mask) > 0, np.asarray(predicted_mask) > 0
    picture = np.repeat(predicted_mask[..., None].astype(float), 3, axis=-1)
    picture[true_mask != predicted_mask] = (0.9, 0.1, 0.1)
    return picture


def plot_masks(
    images: np.ndarray,
    true_masks: np.ndarray,
    probabilities: np.ndarray,
    columns: int = 6,
    threshold: float = 0.5,
) -> Figure:
    """Three rows: each image with the predicted mask's outline, the true mask, and the
    predicted mask (probability > threshold) with its wrong pixels in red.
    images: (N, H, W, 3); true_masks: (N, H, W); probabilities: (N, H, W) or (N, H, W, 1)."""
    predicted = np.asarray(probabilities).reshape(np.shape(true_masks)) > threshold
    columns = min(columns, len(images))
    fig, axes = axes_grid(3 * columns, columns)
    rows = ("image, predicted outline", "true mask", "predicted (red: wrong)")
    for column in range(columns):
        top, middle, bottom = (axes[row * columns + column] for row in range(3))
        top.imshow(np.clip(images[column], 0, 1))
        outline(top, predicted[column])
        middle.imshow(np.asarray(true_masks[column]) > 0, cmap="gray", vmin=0, vmax=1)
        bottom.imshow(error_map(true_masks[column], predicted[column]))
        if column == 0:
            for ax, title in zip((top, middle, bottom), rows, strict=True):
                ax.set_title(title, fontsize=8, loc="left")
    fig.tight_layout()
    return fig


def plot_semantic_vs_instance(
    images: np.ndarray,
    semantic_masks: np.ndarray,
    instance_masks: np.ndarray,
    components: np.ndarray | None = None,
    class_names: Sequence[str] = ("circle", "square", "triangle"),
) -> Figure:
    """For each multi-object scene: the image, its semantic mask (one colour per class), its
    instance mask (one colour per object) and, optionally, the connected components of a
    predicted object mask. images: (N, H, W, 3); masks: (N, H, W) ints."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    class_cmap = ListedColormap(["#222222", "#e6194b", "#3cb44b", "#4363d8"])
    instance_cmap = ListedColormap(list(INSTANCE_COLOURS[:7]))
    columns = 3 if components is None else 4
    fig, axes = plt.subplots(len(images), columns, figsize=(2.1 * columns, 2.1 * len(images)))
    axes = np.atleast_2d(axes)
    legend = ", ".join(
        f"{n} {c}" for n, c in zip(class_names, ("red", "green", "blue"), strict=False)
    )
    titles = ["image", f"semantic: a class per pixel\n({legend})", "instance: an object per pixel"]
    if components is not None:
        titles.append("U-Net mask, connected parts")
    for row in range(len(images)):
        panels = [
            (np.clip(images[row], 0, 1), None, None),
            (semantic_masks[row], class_cmap, (0, 3)),
            (instance_masks[row], instance_cmap, (0, 6)),
        ]
        if components is not None:
            panels.append((components[row], instance_cmap, (0, 6)))
        for column, (panel, cmap, limits) in enumerate(panels):
            ax = axes[row, column]
            if cmap is None:
                ax.imshow(panel)
            else:
                ax.imshow(panel, cmap=cmap, vmin=limits[0], vmax=limits[1], interpolation="nearest")
            ax.axis("off")
            if row == 0:
                ax.set_title(titles[column], fontsize=8)
    fig.tight_layout()
    return fig


def plot_instances(images: np.ndarray, panels: dict[str, np.ndarray]) -> Figure:
    """One row per scene: the image, then each named (N, H, W) instance mask (0 = background)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(list(INSTANCE_COLOURS))
    columns = 1 + len(panels)
    fig, axes = plt.subplots(
        len(images), columns, figsize=(2.1 * columns, 2.1 * len(images)), squeeze=False
    )
    for row, image in enumerate(images):
        axes[row, 0].imshow(np.clip(image, 0, 1))
        for column, (name, masks) in enumerate(panels.items(), start=1):
            axes[row, column].imshow(masks[row], cmap=cmap, vmin=0, vmax=8, interpolation="nearest")
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
    fig, axes = plt.subplots(
        rows, len(crops), figsize=(1.1 * len(crops), 1.15 * rows), squeeze=False
    )
    for column, crop in enumerate(crops):
        axes[0, column].imshow(np.clip(crop, 0, 1), interpolation="nearest")
        for row, values in enumerate(panels.values(), start=1):
            axes[row, column].imshow(
                np.squeeze(values[column]), cmap="gray", vmin=0, vmax=1, interpolation="nearest"
            )
    for row, name in enumerate(("crop", *panels)):
        axes[row, 0].set_ylabel(name, fontsize=8)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig
