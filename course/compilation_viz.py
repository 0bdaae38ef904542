"""Figures of notebook 03 (compilation): training curves, learning rates, confusion matrices,
predicted boxes. All matplotlib.

A *history* is the dict ``model.fit(...).history`` returns (``"loss"``, ``"val_loss"``,
``"accuracy"``, ... -> one value per epoch); a ``keras.callbacks.History`` is accepted too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


def as_dict(history: Any) -> dict[str, list[float]]:
    """The per-epoch values of a History or of its ``.history`` dict."""
    return dict(getattr(history, "history", history))


def _epochs(values: Sequence[float]) -> np.ndarray:
    return np.arange(1, len(values) + 1)


def plot_history(history: Any, title: str = "", metric: str = "accuracy") -> Figure:
    """Training and validation loss (left) and ``metric`` (right) per epoch, for one run."""
    return plot_fits({title: history}, metric=metric)


def plot_fits(histories: Mapping[str, Any], metric: str = "accuracy") -> Figure:
    """One column per run: training vs validation loss on top, ``metric`` below.

    The epoch of the lowest validation loss is marked, so a rising validation loss shows.
    """
    import matplotlib.pyplot as plt

    columns = len(histories)
    fig, axes = plt.subplots(2, columns, figsize=(4.2 * columns, 5.2), squeeze=False, sharex="col")
    for column, (name, history) in enumerate(histories.items()):
        h = as_dict(history)
        for row, key in enumerate(("loss", metric)):
            ax = axes[row, column]
            ax.plot(_epochs(h[key]), h[key], label="training")
            if f"val_{key}" in h:
                ax.plot(_epochs(h[f"val_{key}"]), h[f"val_{key}"], label="validation")
            if key == "loss" and "val_loss" in h:
                best = int(np.argmin(h["val_loss"]))
                ax.axvline(best + 1, color="grey", ls=":", lw=1, label="lowest val. loss")
            ax.set_ylabel(key)
            ax.grid(alpha=0.3)
        axes[0, column].set_title(name, fontsize=10)
        axes[1, column].set_xlabel("epoch")
        axes[0, column].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_runs(
    histories: Mapping[str, Any], keys: Sequence[str] = ("loss", "val_accuracy"), logy=False
) -> Figure:
    """Several runs on shared axes, one panel per key (e.g. training loss, val. accuracy)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(keys), figsize=(5.2 * len(keys), 3.6), squeeze=False)
    for ax, key in zip(axes[0], keys, strict=True):
        for name, history in histories.items():
            values = as_dict(history)[key]
            ax.plot(_epochs(values), values, marker=".", markersize=4, label=name)
        ax.set(xlabel="epoch", ylabel=key)
        if logy and "loss" in key:
            ax.set_yscale("log")
        ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_learning_rates(schedules: Mapping[str, Any], steps: int) -> Figure:
    """Learning rate against the training step for each schedule (a callable step -> rate,
    such as a ``keras.optimizers.schedules.LearningRateSchedule``, or a constant)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.2))
    step = np.arange(steps)
    for name, schedule in schedules.items():
        if callable(schedule):
            rates = [float(np.asarray(schedule(int(s)))) for s in step]
        else:
            rates = np.full(steps, float(schedule))
        ax.plot(step, rates, label=name)
    ax.set(xlabel="training step (batch)", ylabel="learning rate")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
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


def _draw_box(ax, box: np.ndarray, colour: str) -> None:
    from matplotlib.patches import Rectangle

    x, y, w, h = (float(v) for v in box)
    ax.add_patch(Rectangle((x - 0.5, y - 0.5), w, h, fill=False, edgecolor=colour, lw=1.5))


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
        _draw_box(ax, true_box, "lime")
        _draw_box(ax, box, "red")
        ax.set_title(title, fontsize=8)
        ax.axis("off")
    fig.tight_layout()
    return fig
