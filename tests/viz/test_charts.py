"""Tests for course.viz.charts: every layer with weights is drawn, and the legend covers no bar
(issue #12: 02's chart left out fc1, fc2 and predictions; 04's legend covered the fc1/fc2 bars)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import viz  # noqa: E402
from course.models import vgg  # noqa: E402


@pytest.fixture(scope="module")
def vgg16():
    return vgg.build_vgg16()


def _layer_rows(model):
    """Notebook 04's table: (name, output values, weights, multiply-adds) per layer."""
    rows = []
    for layer in model.layers[1:]:
        values = int(np.prod(layer.output.shape[1:]))
        weights = layer.count_params()
        config = layer.get_config()
        if "kernel_size" in config:
            madds = values * math.prod(config["kernel_size"]) * layer.input.shape[-1]
        elif "units" in config:
            madds = weights - config["units"]
        else:
            madds = 0
        rows.append((layer.name, values, weights, madds))
    return rows


def _bar_heights(ax, label):
    container = next(c for c in ax.containers if c.get_label() == label)
    return [patch.get_height() for patch in container.patches]


def _covered_bars(fig):
    """The bars (and line points) of the figure's axes that its legend overlaps."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent(renderer)
    covered = [
        patch
        for patch in ax.patches
        if np.isfinite(patch.get_height()) and legend.overlaps(patch.get_window_extent(renderer))
    ]
    for line in ax.lines:
        points = ax.transData.transform(np.column_stack(line.get_data()))
        covered += [p for p in points if legend.contains(*p)]
    return covered, legend


def test_plot_shapes_draws_the_dense_layers(vgg16):
    """Are fc1, fc2 and predictions on the chart, with all the model's weights in its bars?"""
    fig = viz.plot_shapes(vgg16)
    ax = fig.axes[0]
    names = [tick.get_text() for tick in ax.get_xticklabels()]
    assert names[-3:] == ["fc1", "fc2", "predictions"]
    assert names == [layer.name for layer in vgg16.layers[1:]]
    weights = _bar_heights(ax, "weights of the layer")
    assert np.nansum(weights) == vgg16.count_params()
    dense = sum(vgg16.get_layer(n).count_params() for n in ("fc1", "fc2", "predictions"))
    share = f"{dense / vgg16.count_params():.0%}"
    assert share == "89%"  # the fact the notebook states, from Keras's own counts
    assert f"fc1, fc2, predictions: {share} of the weights" in ax.get_title()
    plt.close(fig)


def test_plot_shapes_of_a_model_without_dense_layers():
    """A convolutional base alone: a map for every layer and no share in the title."""
    base = vgg.build_vgg16(input_shape=(32, 32, 3), include_top=False)
    fig = viz.plot_shapes(base)
    ax = fig.axes[0]
    assert len(ax.get_xticklabels()) == len(base.layers) - 1
    assert np.all(np.isfinite(_bar_heights(ax, "feature-map pixels H*W")))
    assert "of the weights" not in ax.get_title()
    plt.close(fig)


@pytest.mark.parametrize("chart", ["02 shapes", "04 costs"])
def test_legend_covers_no_bar(vgg16, chart):
    """Does the legend of 02's and 04's VGG16 charts stay clear of every bar and point?"""
    if chart == "02 shapes":
        fig = viz.plot_shapes(vgg16)
    else:
        rows = _layer_rows(vgg16)
        fig = viz.plot_layer_bars(
            [r[0] for r in rows],
            {
                "output values (per image)": [r[1] for r in rows],
                "weights": [r[2] for r in rows],
                "multiply-adds (per image)": [r[3] for r in rows],
            },
            title="VGG16: the first layers hold the largest maps, the last ones the weights",
        )
    covered, legend = _covered_bars(fig)
    assert covered == []
    assert fig.bbox.contains(legend.x0, legend.y0) and fig.bbox.contains(legend.x1, legend.y1)
    plt.close(fig)


def test_the_overlap_check_sees_04s_old_legend(vgg16):
    """(The control) 04's chart as it was drawn before (legend placed "best"): covered bars."""
    rows = _layer_rows(vgg16)
    fig, ax = plt.subplots(figsize=(10, 3.8))
    x = np.arange(len(rows))
    ax.bar(x - 0.27, [r[1] for r in rows], width=0.27, label="output values (per image)")
    ax.bar(x, [max(r[2], 1) for r in rows], width=0.27, label="weights")
    ax.bar(x + 0.27, [max(r[3], 1) for r in rows], width=0.27, label="multiply-adds (per image)")
    ax.set_yscale("log")
    ax.set_xticks(x, [r[0] for r in rows], rotation=70, fontsize=7)
    ax.legend(fontsize=8)
    fig.tight_layout()
    covered, _ = _covered_bars(fig)
    assert covered
    plt.close(fig)


def test_plot_layer_bars_leaves_zeros_out():
    """Layers without weights get no bar (log scale), the others their value."""
    fig = viz.plot_layer_bars(["conv", "pool", "dense"], {"weights": [10, 0, 1000]})
    heights = _bar_heights(fig.axes[0], "weights")
    assert heights[0] == 10 and math.isnan(heights[1]) and heights[2] == 1000
    plt.close(fig)
