"""Tests for course.viz.curves: one plot_history, runs, seeds, learning rates."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")
import keras

from course import viz
from course.datasets import histories


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


HISTORY = histories.HISTORIES[histories.VISIBLE[0]]["history"]


def test_plot_fits_one_column_per_run():
    """Does plot_fits draw loss and accuracy for each run, side by side?"""
    fig = viz.plot_fits({"a": HISTORY, "b": HISTORY})
    assert len(fig.axes) == 4
    assert len(viz.plot_history(HISTORY, title="one").axes) == 2


def test_plot_history_one_panel_per_recorded_key():
    """Does plot_history draw one panel per key the history recorded, training and validation
    in each, the lowest validation loss marked, from a History or its dict?"""
    import keras

    history = keras.callbacks.History()
    history.history = {"loss": [1.0, 0.5, 0.6], "val_loss": [1.1, 0.7, 0.9]}
    fig = viz.plot_history(history, ["loss", "accuracy"], "one key recorded")
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 3  # two curves and the marker
    assert fig.axes[0].lines[2].get_xdata()[0] == 2  # the lowest val_loss: epoch 2


def test_plot_runs_one_line_per_run():
    """Does plot_runs draw one line per run in each panel?"""
    fig = viz.plot_runs({"a": HISTORY, "b": HISTORY}, keys=("loss", "val_loss"))
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]


def test_plot_learning_rates_schedules_and_constants():
    """Does plot_learning_rates draw a Keras schedule and a constant over the steps?"""

    schedule = keras.optimizers.schedules.CosineDecay(0.1, 20)
    fig = viz.plot_learning_rates({"cosine": schedule, "constant": 0.05}, 20)
    lines = fig.axes[0].lines
    assert len(lines) == 2 and lines[0].get_ydata()[0] == pytest.approx(0.1)
    assert lines[0].get_ydata()[-1] < 0.01 and set(lines[1].get_ydata()) == {0.05}


def test_figures():
    """Do the two plotting helpers draw one panel per metric and one bar per name?"""
    runs = [{"loss": [2.0, 1.0], "val_accuracy": [0.5, 0.7]}] * 2
    fig = viz.plot_seeds({"a": runs, "b": runs}, keys=("loss", "val_accuracy"))
    assert len(fig.axes) == 2
    fig = viz.plot_times(["x", "y"], [0.1, 0.2], "title")
    assert len(fig.axes[0].patches) == 2
