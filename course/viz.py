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


def _legend_above(ax, count: int) -> None:
    """The legend in one row above the axes, where it covers no bar (title above it)."""
    ax.legend(fontsize=8, ncol=count, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)


def plot_layer_bars(
    names: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str = "",
    line: Mapping[str, Sequence[float]] | None = None,
) -> Figure:
    """Grouped bars per layer on a log scale, e.g. output values, weights and multiply-adds.

    names: one per layer; series: label -> one value per layer (0 or NaN: no bar);
    line: at most one label -> values drawn as a line over the bars. Used in notebooks 02, 04.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 4.2))
    x = np.arange(len(names))
    width = 0.8 / max(len(series), 1)
    for index, (label, values) in enumerate(series.items()):
        heights = np.asarray(values, dtype=float)
        heights[~(heights > 0)] = np.nan  # log scale: a layer without any has no bar
        offset = (index - (len(series) - 1) / 2) * width
        ax.bar(x + offset, heights, width=width, label=label)
    for label, values in (line or {}).items():
        ax.plot(x, np.asarray(values, dtype=float), "k.-", label=label)
    ax.set_yscale("log")
    ax.set_xticks(x, names, rotation=70, fontsize=7)
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.grid(axis="y", alpha=0.3)
    _legend_above(ax, len(series) + len(line or {}))
    ax.set_title(title, pad=24)
    fig.tight_layout()
    return fig


def plot_shapes(model: keras.Model) -> Figure:
    """Feature-map size (H*W), depth and weights of every layer of a model, log scale.

    Convolution and pooling layers have an (N, H, W, C) output: H*W pixels of depth C;
    flatten and dense layers an (N, units) one: depth = units, no map. The title gives the
    dense layers' share of the weights (VGG16: fc1, fc2 and predictions hold 89%).
    """
    layers = [layer for layer in model.layers if len(layer.output.shape) >= 2]
    layers = [layer for layer in layers if type(layer).__name__ != "InputLayer"]
    shapes = [tuple(layer.output.shape[1:]) for layer in layers]
    area = [s[0] * s[1] if len(s) == 3 else np.nan for s in shapes]
    depth = [s[-1] for s in shapes]
    weights = [layer.count_params() for layer in layers]
    flat = [(layer.name, w) for layer, w, s in zip(layers, weights, shapes, strict=True)]
    flat = [(name, w) for (name, w), s in zip(flat, shapes, strict=True) if len(s) == 1 and w]
    share = ""
    if flat:
        held = sum(w for _, w in flat) / max(sum(weights), 1)
        share = f"\n{', '.join(name for name, _ in flat)}: {held:.0%} of the weights"
    return plot_layer_bars(
        [layer.name for layer in layers],
        {"feature-map pixels H*W": area, "weights of the layer": weights},
        title=f"{model.name}: shapes and weights through the network" + share,
        line={"depth (channels or units)": depth},
    )
