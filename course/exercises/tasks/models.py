"""Notebook 01's model checks: ``check_build_*`` checks the untrained model's inputs, outputs,
compilation (and a U-Net's skip connections) in a second; ``check_*_accuracy`` / ``check_*_iou``
grade the model the notebook trained against a threshold that the reference model passes on
every seed tried and that a model predicting the majority class or a fixed box fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from course import metrics
from course.checking.asserts import call_answer as _call
from course.checking.asserts import describe as _describe
from course.checking.asserts import to_numpy as _to_numpy
from course.checking.crashes import student_check

CLASSIFIER_MIN_ACCURACY = 0.80
"""Accuracy the trained classifier must reach on held-out scenes (majority class: about 0.35)."""

LOCALIZER_MIN_IOU = 0.50
"""Mean box IoU the trained localiser must reach on held-out scenes (best fixed box: 0.15)."""

UNET_MIN_MEAN_IOU = 0.80
"""keras.metrics.MeanIoU (background, object) the U-Net must reach (all background: 0.41)."""

UNET_MIN_PEAK = 1.5
"""How much more a U-Net's untrained output must change next to one changed input pixel than
3-4 pixels away from it (``pixel_peak``). Skip connections at full resolution make the change
peak at the pixel; without them every change goes through the pooled maps and spreads evenly
over the pooling cell and beyond. Measured on 20 random initialisations each, min / max:
U-Nets with both skip connections 1.75 / 16.8 (the reference, Add skips, Conv2DTranspose,
two convolutions per level, three levels, BatchNormalization with 5x5 kernels: the lowest);
encoder-decoders without skip connections 0.93 / 1.35 (UpSampling2D or Conv2DTranspose or
bilinear, one or two convolutions per level). A U-Net with only the deep skip (none at full
resolution) straddles the bar (1.32 / 1.77): not reliably caught. Trained, the encoder-decoders
reach a mean IoU of 0.85-0.87, as high as some U-Nets: an IoU bar cannot tell them apart.
benchmarks/sweeps/unet_skip_probe.py and tasks_sweep.py measure both."""


def _build(name: str, fn: Callable, **kwargs: Any):
    import keras

    call = f"{name}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
    model = _call(fn, **kwargs)
    assert isinstance(model, keras.Model), (
        f"{call} returned {_describe(model)}; expected a keras.Model (functional or Sequential)."
    )
    assert model.compiled, (
        f"{call} returned a model that is not compiled: compile it, with an optimizer and a "
        "loss, before returning it."
    )
    return call, model


def _outputs(call: str, model, x: np.ndarray):
    try:
        out = model.predict(x, verbose=0)
    except Exception as error:  # the student's model cannot take the input
        raise AssertionError(
            f"{call}: the model fails on a batch of shape {x.shape}: {type(error).__name__}: "
            f"{error}"
        ) from None
    if isinstance(out, dict):
        return {key: _to_numpy(value) for key, value in out.items()}
    if isinstance(out, list | tuple):
        return [_to_numpy(value) for value in out]
    return _to_numpy(out)


def _evaluates(call: str, model, x: np.ndarray, y: Any, what: str) -> None:
    try:
        model.evaluate(x, y, verbose=0)
    except Exception as error:  # the loss does not fit the targets
        raise AssertionError(
            f"{call}: model.evaluate fails with {what}: {type(error).__name__}: "
            f"{str(error).splitlines()[0][:200]}. Check the loss you compiled with."
        ) from None


def _assert_probabilities(call: str, probs: Any, n: int, classes: int, what: str) -> None:
    assert isinstance(probs, np.ndarray) and probs.shape == (n, classes), (
        f"{call}: {what} is {_describe(probs)} for {n} images; expected shape ({n}, {classes})."
    )
    sums = probs.sum(axis=-1)
    assert np.all(probs >= 0) and np.allclose(sums, 1.0, atol=1e-3), (
        f"{call}: {what} rows sum to {np.round(sums[:3], 3)}...; expected probabilities that "
        "sum to 1 (one class out of N: a softmax)."
    )


@student_check
def check_build_classifier(fn: Callable, cases: Iterable = (((32, 32, 3), 3),)) -> None:
    """The untrained model of ``fn(input_shape, num_classes)``: softmax over the classes,
    compiled with a loss that takes integer labels."""
    rng = np.random.default_rng(0)
    for input_shape, num_classes in cases:
        call, model = _build(
            "build_classifier", fn, input_shape=input_shape, num_classes=num_classes
        )
        x = rng.normal(size=(4, *input_shape)).astype("float32")
        probs = _outputs(call, model, x)
        _assert_probabilities(call, probs, 4, num_classes, "the output")
        y = np.arange(4) % num_classes
        _evaluates(call, model, x, y, "integer labels of shape (4,)")


@student_check
def check_build_localizer(fn: Callable, cases: Iterable = (((32, 32, 3), 3),)) -> None:
    """The untrained model of ``fn(input_shape, num_classes)``: outputs {"label": softmax,
    "box": 4 numbers in [0, 1]}, compiled with a loss for each."""
    rng = np.random.default_rng(0)
    for input_shape, num_classes in cases:
        call, model = _build(
            "build_localizer", fn, input_shape=input_shape, num_classes=num_classes
        )
        x = rng.normal(size=(4, *input_shape)).astype("float32")
        out = _outputs(call, model, x)
        got = sorted(out) if isinstance(out, dict) else _describe(out)
        assert isinstance(out, dict) and set(out) == {"label", "box"}, (
            f'{call}: the model outputs {got}; expected a dict with two outputs, "label" and '
            '"box": keras.Model(inputs, {"label": ..., "box": ...}).'
        )
        _assert_probabilities(call, out["label"], 4, num_classes, 'output "label"')
        box = out["box"]
        assert isinstance(box, np.ndarray) and box.shape == (4, 4), (
            f'{call}: output "box" is {_describe(box)} for 4 images; expected shape (4, 4).'
        )
        assert np.all((box >= 0) & (box <= 1)), (
            f'{call}: output "box" has values from {box.min():.3g} to {box.max():.3g}; expected '
            "(x, y, w, h) divided by the image side, in [0, 1] (a sigmoid)."
        )
        y = {"label": np.arange(4) % num_classes, "box": rng.uniform(0, 1, (4, 4))}
        _evaluates(call, model, x, y, '{"label": (4,) integer labels, "box": (4, 4) boxes}')


@student_check
def check_build_unet(fn: Callable, cases: Iterable = ((32, 32, 3),)) -> None:
    """The untrained model of ``fn(input_shape)``: (N, H, W, 3) -> (N, H, W, 1) in [0, 1],
    with skip connections (``pixel_peak``), compiled with a loss that takes 0/1 masks."""
    rng = np.random.default_rng(0)
    for input_shape in cases:
        call, model = _build("build_unet", fn, input_shape=input_shape)
        x = rng.normal(size=(2, *input_shape)).astype("float32")
        out = _outputs(call, model, x)
        expected = (2, input_shape[0], input_shape[1], 1)
        assert isinstance(out, np.ndarray) and out.shape == expected, (
            f"{call}: the model outputs {_describe(out)} for 2 images; expected shape {expected}: "
            "one value per pixel, at the input's size."
        )
        assert np.all((out >= 0) & (out <= 1)), (
            f"{call}: the outputs go from {out.min():.3g} to {out.max():.3g}; expected the "
            "probability that each pixel is an object, in [0, 1] (a sigmoid)."
        )
        assert out.std() > 1e-6, (
            f"{call}: every pixel of every image gets the same output, {out.flat[0]:.3g}; a "
            "softmax over a single channel is always 1: use a sigmoid."
        )
        _assert_skip_connections(call, model, input_shape)
        y = (rng.random(expected) < 0.3).astype("float32")
        _evaluates(call, model, x, y, f"0/1 masks of shape {expected}")


def pixel_peak(model, size: tuple[int, int] = (32, 32), n: int = 64, seed: int = 0) -> float:
    """How a model's output responds to one changed input pixel: mean over ``n`` random pixels
    p of (mean |change| of the output in the 3x3 pixels around p) / (mean |change| in the ring
    3 to 4 pixels from p). About 1 when the change spreads evenly (no full-resolution path).

    model: (N, H, W, 3) -> (N, H, W, 1), called only through ``predict``; size: (H, W) >= 9."""
    rng = np.random.default_rng(seed)
    height, width = size
    base = (0.3 * rng.normal(size=(1, height, width, 3))).astype("float32")
    pixels = [(int(rng.integers(4, height - 4)), int(rng.integers(4, width - 4))) for _ in range(n)]
    batch = np.repeat(base, n + 1, axis=0)
    for k, (i, j) in enumerate(pixels, 1):
        batch[k, i, j, :] += 0.5 * np.sign(rng.normal(size=3))
    out = np.asarray(model.predict(batch, verbose=0), dtype=np.float64)
    out = out.reshape(n + 1, height, width)
    ratios = []
    for change, (i, j) in zip(np.abs(out[1:] - out[:1]), pixels, strict=True):
        ring = change[i - 4 : i + 5, j - 4 : j + 5].copy()
        ring[2:7, 2:7] = np.nan  # keep the pixels 3 to 4 away from p
        ratios.append(change[i - 1 : i + 2, j - 1 : j + 2].mean() / (np.nanmean(ring) + 1e-12))
    return float(np.mean(ratios))


def _assert_skip_connections(call: str, model, input_shape) -> None:
    """The untrained U-Net's response to one changed pixel peaks at that pixel (skips)."""
    height, width = input_shape[:2]
    if min(height, width) < 16:
        return
    peak = pixel_peak(model, (height, width))
    assert peak >= UNET_MIN_PEAK, (
        f"{call}: changing one input pixel changes the output about as much 4 pixels away as at "
        f"that pixel (peak ratio {peak:.2f}; a U-Net reaches {UNET_MIN_PEAK}): the output only "
        "sees the pooled maps. Skip connections are missing: concatenate each upsampled map with "
        "the encoder's maps of the same size, the last one at the input's full resolution."
    )


def _trained(model, name: str):
    import keras

    assert isinstance(model, keras.Model), (
        f"`{name}` is {_describe(model)}; expected the trained keras.Model: run the training "
        "cell above first."
    )
    return model


@student_check
def check_classifier_accuracy(
    model, x: np.ndarray, labels: np.ndarray, threshold: float = CLASSIFIER_MIN_ACCURACY
) -> float:
    """Accuracy of a trained classifier on held-out images; returns it. x: (N, H, W, 3)."""
    model = _trained(model, "classifier")
    probs = metrics.predict(model, x)
    assert np.shape(probs) == (len(x), int(np.max(labels)) + 1) or np.ndim(probs) == 2, (
        f"the classifier outputs {_describe(probs)}; expected (N, classes) probabilities."
    )
    value = metrics.accuracy(probs, labels)
    assert value >= threshold, (
        f"the trained classifier is right on {value:.1%} of {len(x)} held-out scenes; it should "
        f"reach {threshold:.0%}."
    )
    return value


@student_check
def check_localizer_iou(
    model, x: np.ndarray, boxes: np.ndarray, threshold: float = LOCALIZER_MIN_IOU
) -> float:
    """Mean IoU of a trained localiser's boxes on held-out scenes; returns it.

    x: (N, S, S, 3) images; boxes: (N, 4) true (x, y, w, h) in pixels; the model's "box" output
    is (x, y, w, h) divided by S."""
    model = _trained(model, "localizer")
    out = metrics.predict(model, x)
    assert isinstance(out, dict) and "box" in out, (
        f'the localiser outputs {_describe(out)}; expected a dict with a "box" output.'
    )
    value = metrics.mean_box_iou(np.asarray(out["box"]) * x.shape[2], boxes)
    assert value >= threshold, (
        f"the trained localiser's boxes have a mean IoU of {value:.3f} with the true boxes of "
        f"{len(x)} held-out scenes; it should reach {threshold}."
    )
    return value


@student_check
def check_unet_iou(
    model, x: np.ndarray, masks: np.ndarray, threshold: float = UNET_MIN_MEAN_IOU
) -> float:
    """keras.metrics.MeanIoU (background / object) of a trained U-Net on held-out scenes.

    x: (N, H, W, 3); masks: (N, H, W), 0 = background. Returns the mean IoU."""
    model = _trained(model, "unet")
    probs = np.asarray(metrics.predict(model, x))
    assert probs.size == np.size(masks), (
        f"the U-Net outputs {_describe(probs)}; expected one value per pixel, {np.shape(masks)}."
    )
    value = metrics.mask_mean_iou(probs, masks)
    assert value >= threshold, (
        f"the trained U-Net's masks have a mean IoU (keras.metrics.MeanIoU) of {value:.3f} on "
        f"{len(x)} held-out scenes; it should reach {threshold}."
    )
    return value
