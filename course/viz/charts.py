"""Charts of numbers about models: values per layer (feature-map sizes, weights), measured
times, a confusion matrix.

Every function returns the figure. Used by notebooks 02 and 04 (``plot_layer_bars``,
``plot_shapes``), 03 (``plot_confusion_matrix``) and 05 (``plot_times``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import keras
    from matplotlib.figure import Figure


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
    line: at most one label -> values drawn as a line over the bars.
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


def plot_times(names: Sequence[str], seconds: Sequence[float], title: str):
    """Horizontal bar chart of measured times (milliseconds) per named model or layer."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 0.5 + 0.45 * len(names)))
    ax.barh(list(names), [1000 * s for s in seconds])
    ax.invert_yaxis()
    ax.set(xlabel="milliseconds (measured on this CPU)", title=title)
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    return fig


def plot_confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, labels: Sequence[str] | None = None
) -> Figure:
    """Confusion matrix of (N,) true and (N,) predicted class indices: row = true class."""
    from sklearn.metrics import ConfusionMatrixDisplay

    display = ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, display_labels=labels, colorbar=False, cmap="Blues"
    )
    display.ax_.set_title("confusion matrix (rows: true class, columns: predicted)", fontsize=10)
    display.figure_.set_size_inches(5, 4.6)
    display.figure_.tight_layout()
    return display.figure_
