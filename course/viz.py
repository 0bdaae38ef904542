"""Figures of the course, all drawn with matplotlib (introduced in notebook 02)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import keras
    from matplotlib.figure import Figure


def _grid(count: int, columns: int):
    import matplotlib.pyplot as plt

    rows = int(np.ceil(count / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(2.2 * columns, 2.2 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    return fig, axes.flat


def plot_images(images: Sequence[np.ndarray], titles: Sequence[str] = (), columns: int = 4):
    """Show images side by side. images: each (H, W) or (H, W, 3) in [0, 1]."""
    fig, axes = _grid(len(images), min(columns, len(images)))
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
    fig, axes = _grid(count, min(columns, count))
    for index, ax in zip(range(count), axes, strict=False):
        ax.imshow(maps[..., index], cmap="viridis")
        ax.set_title(titles[index] if index < len(titles) else f"channel {index}", fontsize=9)
    fig.tight_layout()
    return fig


def plot_filters(kernel: np.ndarray, columns: int = 8, limit: int = 32) -> Figure:
    """Show conv filters. kernel: (F, F, D, K) as in Conv2D; shown averaged over D."""
    count = min(kernel.shape[-1], limit)
    fig, axes = _grid(count, min(columns, count))
    for index, ax in zip(range(count), axes, strict=False):
        ax.imshow(kernel[:, :, :, index].mean(axis=2), cmap="coolwarm")
        ax.set_title(f"filter {index}", fontsize=8)
    fig.tight_layout()
    return fig


def plot_curves(curves: Mapping[str, Sequence[float]], xlabel: str, ylabel: str, logy=False):
    """Line plot of named series sharing an x axis (e.g. activation std per layer)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name, values in curves.items():
        ax.plot(np.arange(1, len(values) + 1), values, marker="o", markersize=3, label=name)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if logy:
        ax.set_yscale("log")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_shapes(model: keras.Model) -> Figure:
    """Feature-map size (H*W) and depth through a model, with weights per layer, log scale."""
    import matplotlib.pyplot as plt

    layers = [layer for layer in model.layers if len(layer.output.shape) == 4]
    names = [layer.name for layer in layers]
    area = [layer.output.shape[1] * layer.output.shape[2] for layer in layers]
    depth = [layer.output.shape[3] for layer in layers]
    weights = [max(layer.count_params(), 1) for layer in layers]
    fig, ax = plt.subplots(figsize=(9, 3.8))
    x = np.arange(len(layers))
    ax.bar(x - 0.2, area, width=0.4, label="feature-map pixels H*W")
    ax.bar(x + 0.2, weights, width=0.4, label="weights of the layer")
    ax.plot(x, depth, "k.-", label="depth (channels)")
    ax.set_yscale("log")
    ax.set_xticks(x, names, rotation=70, fontsize=7)
    ax.legend(fontsize=8)
    ax.set_title(f"{model.name}: shapes and weights through the network")
    fig.tight_layout()
    return fig
