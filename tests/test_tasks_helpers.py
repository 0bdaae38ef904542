"""Tests for notebook 01's helpers: data, metrics, sliding-window detection and figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import scenes, tasks_data, tasks_detect, tasks_metrics, tasks_viz  # noqa: E402
from course.exercises import tasks  # noqa: E402

# --- data ----------------------------------------------------------------------------


def test_center_colours_removes_each_images_mean():
    """Does center_colours give every image and channel a mean of 0, keeping the shape?"""
    images = scenes.make_scenes(5, seed=1, size=32)["images"]
    x = tasks_data.center_colours(images)
    assert x.shape == images.shape and x.dtype == np.float32
    np.testing.assert_allclose(x.mean(axis=(1, 2)), 0, atol=1e-6)


def test_scene_split_is_make_scenes_plus_x():
    """Is a split make_scenes with its seed plus the centred images; are bad names refused?"""
    split = tasks_data.scene_split("test", 20)
    again = scenes.make_scenes(20, seed=tasks_data.SCENE_SEEDS["test"], size=32)
    np.testing.assert_array_equal(split["images"], again["images"])
    np.testing.assert_array_equal(split["x"], tasks_data.center_colours(again["images"]))
    multi = tasks_data.scene_split("test", 20, num_objects=(1, 3))
    assert multi["labels"].shape == (20, 3) and "instance_masks" in multi
    with pytest.raises(ValueError, match="unknown split"):
        tasks_data.scene_split("training", 5)


def test_digits_are_split_without_overlap():
    """Are the digits in [0, 1], 8x8, split 80/20 with no image in both halves?"""
    x_train, y_train, x_test, y_test = tasks_data.digits()
    assert x_train.shape[1:] == (8, 8) and len(x_train) + len(x_test) == 1797
    assert len(x_test) == round(0.2 * 1797) and x_train.min() == 0 and x_train.max() == 1
    assert set(y_train) == set(range(10))
    assert tasks_metrics.nearest_distances(x_test[:50], x_train).shape == (50,)


def test_face_data_is_balanced_enough_and_standardised():
    """Do the face windows hold the 600 faces and many more non-faces, each standardised?"""
    data = tasks_data.face_data(seed=0)
    assert data["x"].shape[1:] == (25, 25, 1) and len(data["x"]) == len(data["y"])
    assert data["y"].sum() == 600 and len(data["y"]) > 3 * 600
    np.testing.assert_allclose(data["x"].mean(axis=(1, 2, 3)), 0, atol=1e-4)
    assert data["pool"].shape[1:] == (25, 25) and len(data["pool"]) > 1000


def test_photo_windows_boxes_match_the_windows():
    """Does each window of photo_windows show the part of the photo its box says?"""
    image = np.zeros((100, 120), dtype=np.float32)
    image[40:60, 50:70] = 1.0  # a bright 20x20 square
    windows, boxes = tasks_data.photo_windows(image, window=20, step=2, size=10)
    assert windows.shape[1:] == (10, 10) and boxes.shape == (len(windows), 4)
    best = boxes[np.argmax(windows.mean(axis=(1, 2)))]
    np.testing.assert_allclose(best, [50, 40, 20, 20], atol=2)
    too_big = tasks_data.photo_windows(image, window=500)
    assert too_big[0].shape == (0, 25, 25) and too_big[1].shape == (0, 4)


# --- metrics -------------------------------------------------------------------------


def test_nearest_distance_is_zero_for_copies_and_positive_otherwise():
    """Is the nearest-neighbour distance 0 for a training image and > 0 for a new one?"""
    reference = np.random.default_rng(0).random((30, 8, 8))
    d = tasks_metrics.nearest_distances(
        np.concatenate([reference[:3], reference[:3] + 0.1]), reference
    )
    np.testing.assert_allclose(d[:3], 0, atol=1e-6)
    assert np.all(d[3:] > 0.1)


def test_manifold_precision_separates_real_digits_from_junk():
    """Do real held-out digits score high and noise, blanks and the mean digit score 0?"""
    x_train, _, x_test, _ = tasks_data.digits()
    rng = np.random.default_rng(0)
    assert tasks_metrics.manifold_precision(x_test[:200], x_train) > 0.8
    junk = [
        rng.uniform(0, 1, (50, 8, 8)),
        np.zeros((50, 8, 8)),
        np.repeat(x_train.mean(0)[None], 50, 0),
    ]
    for samples in junk:
        assert tasks_metrics.manifold_precision(samples, x_train) < 0.1


def test_mask_mean_iou_is_keras_mean_iou():
    """Is mask_mean_iou keras.metrics.MeanIoU over background and object, by hand?"""
    truth = np.zeros((1, 4, 4), int)
    truth[0, :2, :2] = 1  # 4 object pixels
    probs = np.zeros((1, 4, 4))
    probs[0, :2, :3] = 0.9  # 6 predicted, 4 right
    # object: 4 right of 6 predicted -> 4/6; background: 10 predicted, all right, of 12 -> 10/12
    expected = (4 / 6 + 10 / 12) / 2
    assert abs(tasks_metrics.mask_mean_iou(probs, truth) - expected) < 1e-6
    assert abs(tasks_metrics.mask_mean_iou(probs[..., None], truth) - expected) < 1e-6


def test_accuracy_box_iou_and_psnr():
    """Do accuracy, mean_box_iou and psnr give the values worked out by hand?"""
    assert (
        tasks_metrics.accuracy(np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]), [0, 1, 1]) == 2 / 3
    )
    boxes = np.array([[0, 0, 2, 2], [0, 0, 4, 4]], float)
    assert (
        abs(
            tasks_metrics.mean_box_iou(boxes, np.array([[1, 0, 2, 2], [0, 0, 4, 4]]))
            - (2 / 6 + 1) / 2
        )
        < 1e-6
    )
    a = np.zeros((2, 4, 4))
    assert abs(tasks_metrics.psnr(a + 0.1, a) - 20.0) < 1e-6


@pytest.mark.parametrize(("box_a", "box_b", "_"), tasks.IOU_CASES)
def test_keras_iou_agrees_with_the_scenes_reference(box_a, box_b, _):
    """Does the ground truth of the IoU check (Keras) agree with course.scenes.box_iou?"""
    assert (
        abs(tasks.keras_iou(box_a, box_b) - float(scenes.box_iou(np.array(box_a), np.array(box_b))))
        < 1e-5
    )


def test_keras_conversions_agree_with_the_scenes_helpers():
    """Do the conversion checks' ground truths agree with course.scenes's box helpers?"""
    boxes = np.array([[1.0, 2.0, 5.0, 9.0], [0.0, 0.0, 3.0, 1.0]])  # corners
    centre = tasks.keras_convert_boxes(boxes, "xyxy", "center_xywh")
    np.testing.assert_allclose(centre, scenes.xywh_to_center(scenes.corners_to_xywh(boxes)))
    back = tasks.keras_convert_boxes(centre, "center_xywh", "xyxy")
    np.testing.assert_allclose(back, boxes, atol=1e-6)


# --- detection -----------------------------------------------------------------------


def test_non_max_suppression_keeps_the_best_of_each_cluster():
    """Does NMS keep the best box of each overlapping group and drop low scores?"""
    boxes = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [50, 50, 10, 10], [80, 0, 10, 10]], float)
    scores = np.array([0.8, 0.95, 0.7, 0.3])
    kept = tasks_detect.non_max_suppression(boxes, scores, iou_threshold=0.3, score_threshold=0.5)
    assert kept.tolist() == [1, 2]


def test_scan_scores_every_window_at_every_size():
    """Does scan score one window per position and size, with boxes inside the photo?"""
    image = np.random.default_rng(0).random((60, 80)).astype(np.float32)
    model = keras.Sequential(
        [
            keras.Input((25, 25, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    boxes, scores = tasks_detect.scan(model, image, windows=(30, 50), step=3)
    counts = [len(tasks_data.photo_windows(image, w, step=3)[0]) for w in (30, 50)]
    assert boxes.shape == (sum(counts), 4) and scores.shape == (sum(counts),)
    assert np.all(boxes[:, 0] + boxes[:, 2] <= 80 + 1e-3) and np.all(
        boxes[:, 1] + boxes[:, 3] <= 60 + 1e-3
    )
    hard = tasks_detect.hard_negatives(
        model, np.random.default_rng(1).random((20, 25, 25)), threshold=-1
    )
    assert hard.shape == (20, 25, 25, 1)


# --- figures -------------------------------------------------------------------------


def test_figures_draw_without_error():
    """Do all of notebook 01's plotting helpers draw a figure from typical inputs?"""
    data = tasks_data.scene_split("test", 6, num_objects=(2, 3))
    single = tasks_data.scene_split("test", 4)
    probs = np.random.default_rng(0).random((6, 32, 32, 1))
    figures = [
        tasks_viz.plot_scenes(single["images"], ["a"] * 4, single["boxes"], single["boxes"] + 1),
        tasks_viz.plot_scenes(data["images"], boxes=data["boxes"]),
        tasks_viz.plot_masks(data["images"], data["semantic_masks"] > 0, probs, columns=3),
        tasks_viz.plot_semantic_vs_instance(
            data["images"][:2],
            data["semantic_masks"][:2],
            data["instance_masks"][:2],
            data["instance_masks"][:2],
        ),
        tasks_viz.plot_detections(
            data["images"][0], single["boxes"], np.array([0.9, 0.2, 0.95, 0.6]), np.array([2, 0])
        ),
        tasks_viz.plot_digits(
            {"a": np.zeros((10, 8, 8)), "b": np.ones((3, 8, 8))}, titles=["x"] * 10
        ),
    ]
    history = keras.callbacks.History()
    history.history = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}
    figures.append(tasks_viz.plot_history(history, ["loss", "accuracy"]))
    assert all(isinstance(f, matplotlib.figure.Figure) for f in figures)
    truth = np.eye(3)
    predicted = np.zeros((3, 3))
    predicted[0] = 1  # right at (0, 0), wrong at (0, 1), (0, 2), (1, 1), (2, 2)
    errors = tasks_viz.error_map(truth, predicted)
    np.testing.assert_allclose(errors[0, 0], 1)
    np.testing.assert_allclose(errors[0, 1], (0.9, 0.1, 0.1))
    np.testing.assert_allclose(errors[1, 1], (0.9, 0.1, 0.1))
    np.testing.assert_allclose(errors[1, 0], 0)
    plt.close("all")
