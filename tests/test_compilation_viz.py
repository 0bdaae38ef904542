"""Smoke tests for course.compilation_viz: each figure draws, with the expected axes."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from course import compilation_histories, compilation_viz

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


HISTORY = compilation_histories.HISTORIES[compilation_histories.VISIBLE[0]]["history"]


def test_plot_fits_one_column_per_run():
    """Does plot_fits draw loss and accuracy for each run, side by side?"""
    fig = compilation_viz.plot_fits({"a": HISTORY, "b": HISTORY})
    assert len(fig.axes) == 4
    assert len(compilation_viz.plot_history(HISTORY, "one").axes) == 2


def test_plot_runs_one_line_per_run():
    """Does plot_runs draw one line per run in each panel?"""
    fig = compilation_viz.plot_runs({"a": HISTORY, "b": HISTORY}, keys=("loss", "val_loss"))
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]


def test_plot_learning_rates_schedules_and_constants():
    """Does plot_learning_rates draw a Keras schedule and a constant over the steps?"""
    import keras

    schedule = keras.optimizers.schedules.CosineDecay(0.1, 20)
    fig = compilation_viz.plot_learning_rates({"cosine": schedule, "constant": 0.05}, 20)
    lines = fig.axes[0].lines
    assert len(lines) == 2 and lines[0].get_ydata()[0] == pytest.approx(0.1)
    assert lines[0].get_ydata()[-1] < 0.01 and set(lines[1].get_ydata()) == {0.05}


def test_plot_confusion_matrix_and_boxes():
    """Do the confusion matrix and the box figure draw?"""
    y = np.array([0, 1, 2, 2, 1])
    assert compilation_viz.plot_confusion_matrix(y, np.array([0, 2, 2, 2, 1])).axes
    image = np.zeros((32, 32, 3), dtype="float32")
    boxes = np.array([[2, 2, 10, 10], [5, 5, 10, 10]], dtype="float32")
    fig = compilation_viz.plot_boxes(image, boxes[0], boxes, ["same", "shifted"])
    assert len(fig.axes) == 2 and len(fig.axes[0].patches) == 2
