"""Training curves: one run, several runs, several seeds per network, and any named series.

A *history* is the dict ``model.fit(...).history`` returns (``"loss"``, ``"val_loss"``,
``"accuracy"``, ... -> one value per epoch); a ``keras.callbacks.History`` is accepted too.
Used by notebooks 01 (``plot_history``), 02 and 04 (``plot_curves``), 03 (every one but
``plot_seeds``) and 05 (``plot_seeds``, ``plot_curves``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def as_dict(history: Any) -> dict[str, list[float]]:
    """The per-epoch values of a History or of its ``.history`` dict."""
    return dict(getattr(history, "history", history))


def _epochs(values: Sequence[float]) -> np.ndarray:
    return np.arange(1, len(values) + 1)


def plot_history(history: Any, keys: Sequence[str] = ("loss", "accuracy"), title: str = ""):
    """One run's curves, one panel per key: training and validation ("val_" + key, if
    recorded); the epoch of the lowest validation loss is marked. Keys not recorded are
    skipped. Returns the figure."""
    h = as_dict(history)
    return plot_fits({title: h}, keys=[key for key in keys if key in h])


def plot_fits(histories: Mapping[str, Any], keys: Sequence[str] = ("loss", "accuracy")) -> Figure:
    """One column per run, one row per key: training vs validation.

    The epoch of the lowest validation loss is marked, so a rising validation loss shows.
    """
    import matplotlib.pyplot as plt

    columns, rows = len(histories), len(keys)
    fig, axes = plt.subplots(
        rows, columns, figsize=(4.2 * columns, 2.6 * rows), squeeze=False, sharex="col"
    )
    for column, (name, history) in enumerate(histories.items()):
        h = as_dict(history)
        for row, key in enumerate(keys):
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
        axes[-1, column].set_xlabel("epoch")
        axes[0, column].legend(fontsize=8)
    fig.tight_layout()
    return fig


def _panels(keys: Sequence[str], width: float = 5.2) -> tuple[Figure, list[Axes]]:
    """A row of panels, one per key, each with its epoch and key labels and a light grid."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(keys), figsize=(width * len(keys), 3.6), squeeze=False)
    for ax, key in zip(axes[0], keys, strict=True):
        ax.set(xlabel="epoch", ylabel=key)
        ax.grid(alpha=0.3)
    return fig, list(axes[0])


def plot_runs(
    histories: Mapping[str, Any], keys: Sequence[str] = ("loss", "val_accuracy"), logy=False
) -> Figure:
    """Several runs on shared axes, one panel per key (e.g. training loss, val. accuracy)."""
    fig, axes = _panels(keys)
    for ax, key in zip(axes, keys, strict=True):
        for name, history in histories.items():
            values = as_dict(history)[key]
            ax.plot(_epochs(values), values, marker=".", markersize=4, label=name)
        if logy and "loss" in key:
            ax.set_yscale("log")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_seeds(histories: Mapping[str, Sequence[Any]], keys: Sequence[str] = ("loss",)) -> Figure:
    """Several seeds per network: the mean curve and the min-max band, one panel per key.

    histories: network name -> one history per seed (e.g. ``SeedTrainer.histories``).
    """
    fig, axes = _panels(keys, width=5.0)
    for ax, key in zip(axes, keys, strict=True):
        for name, runs in histories.items():
            values = np.array([as_dict(run)[key] for run in runs])
            epochs = _epochs(values[0])
            line = ax.plot(
                epochs, values.mean(axis=0), marker="o", label=f"{name} ({len(runs)} seeds)"
            )
            ax.fill_between(
                epochs, values.min(axis=0), values.max(axis=0), alpha=0.2, color=line[0].get_color()
            )
            ax.set_xticks(epochs)
        ax.legend()
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
