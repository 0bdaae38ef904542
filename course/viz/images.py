"""Images in a grid: photos and scenes, feature maps, convolution filters, digits.

Every function returns the figure (``plt.show()`` displays it). Used by notebooks 01 and 06
(``plot_digits``), 02 (photos, feature maps, filters), 04 and 05 (``plot_images``), and by the
other ``course.viz`` modules (``axes_grid``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


def axes_grid(count: int, columns: int, size: float = 2.0):
    """A figure of ``count`` square panels, ``columns`` a row (at most ``count``), each ``size``
    inches, axes hidden. Returns (figure, list of the axes, row by row)."""
    import matplotlib.pyplot as plt

    columns = max(1, min(columns, count))
    rows = int(np.ceil(count / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    return fig, list(axes.flat)


def plot_images(images: Sequence[np.ndarray], titles: Sequence[str] = (), columns: int = 4):
    """Show images side by side. images: each (H, W) or (H, W, 3) in [0, 1]."""
    fig, axes = axes_grid(len(images), columns, size=2.2)
    for ax, image, title in zip(axes, images, list(titles) + [""] * len(images), strict=False):
        ax.imshow(np.clip(image, 0, 1), cmap="gray" if np.ndim(image) == 2 else None)
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig


def plot_feature_maps(
    maps: np.ndarray, titles: Sequence[str] = (), columns: int = 4, limit: int = 16
) -> Figure:
    """Show the channels of one feature-map tensor. maps: (H, W, C); at most ``limit``."""
    count = min(maps.shape[-1], limit)
    fig, axes = axes_grid(count, columns, size=2.2)
    for index, ax in zip(range(count), axes, strict=False):
        ax.imshow(maps[..., index], cmap="viridis")
        ax.set_title(titles[index] if index < len(titles) else f"channel {index}", fontsize=9)
    fig.tight_layout()
    return fig


def plot_filters(kernel: np.ndarray, columns: int = 8, limit: int = 32) -> Figure:
    """Show conv filters. kernel: (F, F, D, K) as in Conv2D; shown averaged over D."""
    count = min(kernel.shape[-1], limit)
    fig, axes = axes_grid(count, columns, size=2.2)
    for index, ax in zip(range(count), axes, strict=False):
        ax.imshow(kernel[:, :, :, index].mean(axis=2), cmap="coolwarm")
        ax.set_title(f"filter {index}", fontsize=8)
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
