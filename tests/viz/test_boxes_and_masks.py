"""Tests for course.viz.boxes and course.viz.masks: the figures draw; wrong pixels are red."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from course import viz  # noqa: E402
from course.datasets import scenes  # noqa: E402


def test_figures_draw_without_error():
    """Do the box and mask figures, the digits and a history draw from typical inputs?"""
    data = scenes.split("test", 6, num_objects=(2, 3))
    single = scenes.split("test", 4)
    probs = np.random.default_rng(0).random((6, 32, 32, 1))
    figures = [
        viz.plot_scenes(single["images"], ["a"] * 4, single["boxes"], single["boxes"] + 1),
        viz.plot_scenes(data["images"], boxes=data["boxes"]),
        viz.plot_masks(data["images"], data["semantic_masks"] > 0, probs, columns=3),
        viz.plot_semantic_vs_instance(
            data["images"][:2],
            data["semantic_masks"][:2],
            data["instance_masks"][:2],
            data["instance_masks"][:2],
        ),
        viz.plot_detections(
            data["images"][0], single["boxes"], np.array([0.9, 0.2, 0.95, 0.6]), np.array([2, 0])
        ),
        viz.plot_digits({"a": np.zeros((10, 8, 8)), "b": np.ones((3, 8, 8))}, titles=["x"] * 10),
    ]
    history = keras.callbacks.History()
    history.history = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}
    figures.append(viz.plot_history(history, ["loss", "accuracy"]))
    assert all(isinstance(f, matplotlib.figure.Figure) for f in figures)
    truth = np.eye(3)
    predicted = np.zeros((3, 3))
    predicted[0] = 1  # right at (0, 0), wrong at (0, 1), (0, 2), (1, 1), (2, 2)
    errors = viz.error_map(truth, predicted)
    np.testing.assert_allclose(errors[0, 0], 1)
    np.testing.assert_allclose(errors[0, 1], (0.9, 0.1, 0.1))
    np.testing.assert_allclose(errors[1, 1], (0.9, 0.1, 0.1))
    np.testing.assert_allclose(errors[1, 0], 0)
    plt.close("all")


def test_plot_confusion_matrix_and_boxes():
    """Do the confusion matrix and the box figure draw?"""
    y = np.array([0, 1, 2, 2, 1])
    assert viz.plot_confusion_matrix(y, np.array([0, 2, 2, 2, 1])).axes
    image = np.zeros((32, 32, 3), dtype="float32")
    boxes = np.array([[2, 2, 10, 10], [5, 5, 10, 10]], dtype="float32")
    fig = viz.plot_boxes(image, boxes[0], boxes, ["same", "shifted"])
    assert len(fig.axes) == 2 and len(fig.axes[0].patches) == 2


def test_notebook_06_figures_draw():
    """Do the grid over a scene, the detections on scenes, the instance masks and the mask head's
    crops draw, with one panel per scene and mask (or crop and row)?"""
    from course.detection import grid

    data = scenes.make_scenes(3, seed=0, size=64, num_objects=(1, 3))
    k = int(data["counts"][0])
    targets = grid.encode(data["boxes"][0, :k], data["labels"][0, :k])
    fig = viz.plot_grid_targets(data["images"][0], data["boxes"][0, :k], targets)
    assert len(fig.axes) == 2 and len(fig.axes[0].patches) == 2 * k  # shaded cells, boxes
    detections = [grid.decode(grid.encode(b[:n], lab[:n]))
                  for b, lab, n in zip(data["boxes"], data["labels"], data["counts"], strict=True)]
    fig = viz.plot_scene_detections(data["images"], detections, data["boxes"], columns=3)
    assert sum(len(ax.patches) for ax in fig.axes) == 2 * data["counts"].sum()
    masks = data["instance_masks"]
    assert viz.plot_instances(data["images"], {"true": masks, "again": masks}).axes[5].images
    crops = np.random.default_rng(0).random((4, 16, 16, 3))
    fig = viz.plot_mask_crops(crops, {"object": crops[..., 0] > 0.5, "head": crops[..., :1]})
    assert len(fig.axes) == 3 * 4
    plt.close("all")
