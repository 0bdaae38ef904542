"""Checks of notebook 06's detector: the untrained model's outputs, and the trained model's
mean average precision on held-out scenes.

The trained model is graded against a threshold that the reference passes on every seed tried
(benchmarks/sweeps/detection_detector.py) and that an untrained model fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from course import detection
from course.checking.asserts import call_answer as _call
from course.checking.asserts import describe
from course.checking.asserts import to_numpy as _to_numpy
from course.checking.crashes import student_check
from course.exercises.detection_generation.grid import scene_objects

DETECTOR_MIN_MAP = 0.60
"""mAP@0.5 the trained detector must reach on held-out scenes. Over 10 seeds the reference
reaches 0.770 to 0.853 (test split) and 0.779 to 0.856 (hidden scenes), the allowed alternatives
0.679 at worst; an untrained detector 0.002 to 0.011 (benchmarks/sweeps/detection_detector.py)."""


def predict_batch(call: str, model, x: np.ndarray) -> np.ndarray:
    """``model.predict(x)`` as NumPy; AssertionError (saying what ``call`` made) if it fails."""
    try:
        out = model.predict(x, verbose=0)
    except Exception as error:  # the student's model cannot take the input
        raise AssertionError(
            f"{call}: model.predict fails on a batch of shape {x.shape}: "
            f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
        ) from None
    return np.asarray(_to_numpy(out))


def assert_keras_model(call: str, model, compiled: bool = True):
    """``model``, once it is a keras.Model (compiled, unless ``compiled`` is False)."""
    import keras

    assert isinstance(model, keras.Model), (
        f"{call} returned {describe(model)}; expected a keras.Model."
    )
    assert model.compiled or not compiled, (
        f"{call} returned a model that is not compiled: compile it with "
        "loss=models.grid_detector.grid_loss and an optimizer."
    )
    return model


@student_check
def check_build_detector(fn: Callable, cases: Iterable = ((64, 8, 3), (32, 4, 5))) -> None:
    """The untrained model of ``fn(image_size, grid_size, num_classes)``: (N, S, S, 5 + C) with
    objectness and box in [0, 1] and class probabilities summing to 1; it evaluates on grids."""
    rng = np.random.default_rng(0)
    for index, (image_size, grid_size, num_classes) in enumerate(cases):
        call = (
            f"build_detector(image_size={image_size}, grid_size={grid_size}, "
            f"num_classes={num_classes})"
        )
        model = assert_keras_model(
            call, _call(fn, image_size=image_size, grid_size=grid_size, num_classes=num_classes)
        )
        x = rng.normal(size=(4, image_size, image_size, 3)).astype("float32")
        out = predict_batch(call, model, x)
        expected = (4, grid_size, grid_size, 5 + num_classes)
        assert out.shape == expected, (
            f"{call}: the model outputs {describe(out)} for 4 images; expected {expected}: "
            "one vector of 5 + num_classes numbers per cell of the grid."
        )
        first, classes = out[..., :5], out[..., 5:]
        assert np.all((first >= 0) & (first <= 1)), (
            f"{call}: objectness and box (channels 0-4) go from {first.min():.3g} to "
            f"{first.max():.3g}; expected numbers in [0, 1] (a sigmoid)."
        )
        sums = classes.sum(-1)
        assert np.all(classes >= 0) and np.allclose(sums, 1.0, atol=1e-3), (
            f"{call}: the class channels (5...) of a cell sum to {np.round(sums.flat[:3], 3)}...; "
            "expected probabilities over the classes of each cell (a softmax on those channels "
            "only)."
        )
        if index > 0:
            continue  # the loss does not depend on the sizes: model.evaluate on the first case
        boxes, labels = scene_objects(3, size=image_size)
        y = np.stack([detection.grid.encode(boxes, labels, image_size, grid_size, num_classes)] * 4)
        try:
            loss = model.evaluate(x, y, verbose=0)
        except Exception as error:
            raise AssertionError(
                f"{call}: model.evaluate fails on target grids of shape {y.shape}: "
                f"{type(error).__name__}: {str(error).splitlines()[0][:200]}. Compile with "
                "loss=models.grid_detector.grid_loss."
            ) from None
        loss = float(np.ravel(loss)[0])
        assert np.isfinite(loss), f"{call}: the loss on target grids is {loss}; expected a number."


@student_check
def check_detector_map(
    model, x: np.ndarray, boxes: np.ndarray, labels: np.ndarray, threshold: float = DETECTOR_MIN_MAP
) -> float:
    """mAP@0.5 of a trained grid detector on held-out scenes, with the course's decoding and
    NMS; returns it. x: (N, 64, 64, 3); boxes (N, M, 4) xywh; labels (N, M), -1 = none."""
    model = assert_keras_model("the detector", model, compiled=False)
    detections = detection.grid.detect(model, x)
    value = detection.mean_average_precision(detections, detection.grid.truths(boxes, labels))
    assert value >= threshold, (
        f"the trained detector's mAP@0.5 on {len(x)} held-out scenes is {value:.3f}; it should "
        f"reach {threshold}."
    )
    return value
