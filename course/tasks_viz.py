"""Figures of notebook 01 (the four tasks): boxes on images, mask outlines, sample grids.

All drawn with matplotlib; every function returns the figure (``plt.show()`` displays it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BOX_COLOURS = ("#ffdd00", "#00e5ff", "#ff3df0", "#7dff4d", "#ff8c1a")
"""Colours of the boxes, one per box in order (the first one for single boxes)."""


def _grid(count: int, columns: int, size: float = 2.0):
    import matplotlib.pyplot as plt

    columns = max(1, min(columns, count))
    rows = int(np.ceil(count / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    return fig, list(axes.flat)


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
    fig, axes = _grid(len(images), columns)
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
    fig, axes = _grid(3 * columns, columns)
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
    instance_cmap = ListedColormap(
        ["#222222", "#f58231", "#911eb4", "#46f0f0", "#f032e6", "#bcf60c", "#fabebe"]
    )
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


def plot_digits(
    rows: Mapping[str, np.ndarray], columns: int = 10, titles: Sequence[str] = ()
) -> Figure:
    """Rows of (N, 8, 8) grey images in [0, 1], one named row per entry (first ``columns``)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        len(rows), columns, figsize=(0.9 * columns, 1.0 * len(rows)), squeeze=False
    )
    for r, (name, images) in enumerate(rows.items()):
        for c in range(columns):
            ax = axes[r, c]
            ax.axis("off")
            if c < len(images):
                ax.imshow(np.clip(images[c], 0, 1), cmap="gray_r", vmin=0, vmax=1)
            if r == 0 and c < len(titles):
                ax.set_title(titles[c], fontsize=7)
        axes[r, 0].annotate(
            name, xy=(-0.1, 0.5), xycoords="axes fraction", ha="right", va="center", fontsize=8
        )
    fig.tight_layout()
    return fig


def plot_history(history, keys: Sequence[str] = ("loss",), title: str = "") -> Figure:
    """Training curves from ``model.fit``'s History: each key and its "val_" twin if present."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3))
    for key in keys:
        values = history.history.get(key)
        if values is None:
            continue
        epochs = np.arange(1, len(values) + 1)
        ax.plot(epochs, values, marker="o", markersize=3, label=key)
        if f"val_{key}" in history.history:
            val = history.history[f"val_{key}"]
            ax.plot(epochs, val, marker="o", markersize=3, linestyle="--", label=f"val_{key}")
    ax.set(xlabel="epoch", title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
