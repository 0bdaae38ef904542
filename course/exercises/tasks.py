"""Checks for notebook 01, the four vision tasks: ground truth comes from Keras itself.

Each ``check_*`` function raises ``AssertionError`` with the student's value and what was
expected of its type or shape (never the answer) when it is wrong, and returns None when it is
right. ``q1 ... q9`` wrap them for ``check()/hint()/solution()``; the nbgrader grade cells call
the same functions, with hidden cases.

Two kinds of checks:
- functions (box conversions, IoU, pixel accuracy, Dice): compared with Keras on many cases;
- models: ``check_build_*`` checks the untrained model's inputs, outputs and compilation in a
  second; ``check_*_accuracy`` / ``check_*_iou`` / ``check_generated_digits`` grade the model
  the notebook trained against a threshold that the reference model passes on every seed tried
  and that a model predicting the majority class or a fixed box fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from course import metrics
from course.checking import Question, ensure_attempted
from course.checking.asserts import describe as _describe
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

SAMPLES_MIN_DISTANCE = 0.01
"""Every generated digit must be at least this far (Euclidean, pixels in [0, 1]) from every
training image: a copy is at distance 0."""

SAMPLES_MIN_PRECISION = 0.60
"""Fraction of generated digits that must look like real digits (``manifold_precision``; real
held-out digits: about 0.9; noise, blank or average images: 0)."""

SAMPLES_MIN_DIGITS = 6
"""Distinct digits (0-9) a nearest-neighbour recogniser must see among 100 samples."""

BOX_CASES: tuple[tuple[Any, str], ...] = (
    ([10.0, 20.0, 30.0, 60.0], "one box as a list"),
    (np.array([[0, 0, 4, 4], [2, 3, 7, 10], [1, 1, 1, 1]]), "three integer boxes, (3, 4)"),
    (np.array([[[0.5, 1.5, 2.0, 3.0]], [[5.0, 5.0, 6.0, 9.0]]]), "a (2, 1, 4) array of boxes"),
)
CENTER_CASES: tuple[tuple[Any, str], ...] = (
    ([25.0, 50.0, 30.0, 60.0], "one box as a list"),
    (np.array([[2, 2, 4, 4], [5, 6, 3, 7], [1, 1, 0, 0]]), "three integer boxes, (3, 4)"),
    (np.array([[[1.0, 2.0, 1.0, 2.0]], [[8.0, 8.0, 6.0, 2.0]]]), "a (2, 1, 4) array of boxes"),
)
IOU_CASES: tuple[tuple[tuple[float, ...], tuple[float, ...], str], ...] = (
    ((0, 0, 4, 4), (2, 2, 4, 4), "two boxes overlapping at a corner"),
    ((0, 0, 4, 4), (0, 0, 4, 4), "identical boxes"),
    ((0, 0, 10, 10), (2, 3, 4, 5), "one box inside the other"),
    ((0, 0, 2, 2), (5, 5, 2, 2), "boxes apart in both x and y"),
    ((0, 0, 2, 2), (5, 0, 2, 2), "boxes side by side with a gap"),
    ((0, 0, 2, 2), (2, 0, 2, 2), "boxes touching along an edge"),
    ((1, 1, 0, 0), (0, 0, 4, 4), "a zero-area box inside another box"),
    ((3, 3, 0, 0), (3, 3, 0, 0), "two identical zero-area boxes"),
)
MASK_CASES: tuple[tuple[tuple[int, ...], float], ...] = (
    # (shape of the masks, fraction of object pixels)
    ((2, 6, 6), 0.2),
    ((3, 5, 7), 0.5),
    ((1, 8, 8), 0.1),
)



def _call(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """fn(*args, **kwargs) for a student's answer (a crash is reported by ``student_check``)."""
    name = getattr(fn, "__name__", "your answer")
    ensure_attempted(fn, name)
    assert callable(fn), f"expected a function, got {_describe(fn)}."
    return fn(*args, **kwargs)


def _to_numpy(value: Any) -> Any:
    """NumPy view of a tensor or a list (other values unchanged)."""
    if isinstance(value, np.ndarray | list | tuple):
        return np.asarray(value)
    if hasattr(value, "shape") and hasattr(value, "dtype"):  # a TensorFlow / Keras tensor
        import keras

        return keras.ops.convert_to_numpy(value)
    return value


def _as_number(call: str, got: Any) -> float:
    value = _to_numpy(got)
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    assert ok, f"{call} returned {_describe(got)}; expected one number (a float)."
    value = float(value)
    assert np.isfinite(value), f"{call} returned {value}; expected a finite number, not nan/inf."
    return value


# --- boxes ------------------------------------------------------------------------


def keras_convert_boxes(boxes: Any, source: str, target: str) -> np.ndarray:
    """``keras.utils.bounding_boxes.convert_format`` on (..., 4) boxes, as float32 NumPy."""
    import keras

    array = np.asarray(boxes, dtype=np.float32)
    flat = array.reshape(-1, 4)
    converted = keras.utils.bounding_boxes.convert_format(flat, source=source, target=target)
    return keras.ops.convert_to_numpy(converted).reshape(array.shape)


def _check_conversion(name: str, fn: Callable, cases, source: str, target: str, what: str):
    for boxes, description in cases:
        expected = keras_convert_boxes(boxes, source, target)
        call = f"{name}({description})"
        given = np.array(boxes, copy=True) if isinstance(boxes, np.ndarray) else list(boxes)
        got = _to_numpy(_call(fn, given))
        assert isinstance(got, np.ndarray), (
            f"{call} returned {_describe(got)}; expected a NumPy array of shape {expected.shape}."
        )
        assert got.shape == expected.shape, (
            f"{call} returned an array of shape {got.shape}; expected shape {expected.shape} "
            "(the same boxes, the 4 coordinates on the last axis)."
        )
        assert np.issubdtype(got.dtype, np.floating), (
            f"{call} returned dtype {got.dtype}; expected floats (a centre can fall on a "
            "half pixel)."
        )
        error = float(np.max(np.abs(got - expected)))
        assert np.allclose(got, expected, atol=1e-4), (
            f"{call} is off by up to {error:.3g} from {what} "
            f"(keras.utils.bounding_boxes.convert_format(boxes, {source!r}, {target!r}))."
        )


@student_check
def check_corners_to_center(fn: Callable, cases: Iterable = BOX_CASES) -> None:
    """Compare ``fn(boxes)``, (x_min, y_min, x_max, y_max) -> (cx, cy, w, h), with Keras."""
    _check_conversion(
        "corners_to_center", fn, cases, "xyxy", "center_xywh", "the centre form Keras computes"
    )


@student_check
def check_center_to_corners(fn: Callable, cases: Iterable = CENTER_CASES) -> None:
    """Compare ``fn(boxes)``, (cx, cy, w, h) -> (x_min, y_min, x_max, y_max), with Keras."""
    _check_conversion(
        "center_to_corners", fn, cases, "center_xywh", "xyxy", "the corners Keras computes"
    )


def keras_iou(box_a: Sequence[float], box_b: Sequence[float]) -> float:
    """IoU of two (x, y, w, h) boxes by ``keras.utils.bounding_boxes.compute_iou``."""
    import keras

    a = np.asarray([box_a], dtype=np.float32)
    b = np.asarray([box_b], dtype=np.float32)
    table = keras.utils.bounding_boxes.compute_iou(a, b, bounding_box_format="xywh")
    return float(keras.ops.convert_to_numpy(table)[0, 0])


@student_check
def check_iou(fn: Callable, cases: Iterable = IOU_CASES) -> None:
    """Compare ``fn(box_a, box_b)`` on (x, y, w, h) boxes with Keras's compute_iou."""
    for box_a, box_b, description in cases:
        expected = keras_iou(box_a, box_b)
        call = f"iou({tuple(box_a)}, {tuple(box_b)})"
        got = _as_number(call, _call(fn, tuple(box_a), tuple(box_b)))
        assert 0.0 <= got <= 1.0, (
            f"{call} returned {got:.4g} for {description}; an IoU is a fraction in [0, 1]. "
            "(The boxes are (x, y, w, h): top-left corner, width, height.)"
        )
        assert abs(got - expected) <= 1e-4, (
            f"{call} returned {got:.4g} for {description}, which is not the IoU "
            "keras.utils.bounding_boxes.compute_iou gives (boxes as x, y, w, h)."
        )


# --- masks ------------------------------------------------------------------------


def _mask_case(shape: tuple[int, ...], fraction: float, rng: np.random.Generator):
    """A 0/1 (N, H, W) mask and soft predictions (N, H, W) in [0, 1], none exactly 0.5."""
    y_true = (rng.random(shape) < fraction).astype(np.float32)
    noise = rng.uniform(0.05, 0.45, shape)
    flip = rng.random(shape) < 0.2  # a fifth of the pixels predicted wrong
    y_pred = np.where((y_true > 0) != flip, 0.5 + noise, 0.5 - noise).astype(np.float32)
    return y_true, y_pred


def keras_pixel_accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """``keras.metrics.BinaryAccuracy(threshold=0.5)`` of soft predictions."""
    import keras

    metric = keras.metrics.BinaryAccuracy(threshold=0.5)
    metric.update_state(y_true.reshape(-1, 1), y_pred.reshape(-1, 1))
    return float(metric.result())


def keras_dice(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Dice coefficient = 1 - ``keras.losses.Dice()(y_true, y_pred)`` over all pixels."""
    import keras

    return 1.0 - float(keras.ops.convert_to_numpy(keras.losses.Dice()(y_true, y_pred)))


def _check_mask_metric(name, fn, reference, cases, seed, extra=()):
    rng = np.random.default_rng(seed)
    data = [
        (*_mask_case(shape, fraction, rng), f"masks of shape {shape}") for shape, fraction in cases
    ]
    for y_true, y_pred, description in [*data, *extra]:
        expected = reference(y_true, y_pred)
        call = f"{name}(y_true, y_pred) on {description}"
        got = _as_number(call, _call(fn, y_true.copy(), y_pred.copy()))
        assert abs(got - expected) <= 1e-4, (
            f"{call} returned {got:.4g}, which is not what {reference.__doc__.split(chr(10))[0]} "
            "gives."
        )


@student_check
def check_pixel_accuracy(fn: Callable, cases: Iterable = MASK_CASES, seed: int = 0) -> None:
    """Compare ``fn(y_true, y_pred)`` with keras.metrics.BinaryAccuracy (threshold 0.5)."""
    half = np.full((1, 4, 4), 0.5, np.float32)
    truth = np.zeros((1, 4, 4), np.float32)
    truth[0, 0] = 1  # a quarter of the pixels are object
    mixed = np.where(np.arange(16).reshape(1, 4, 4) % 2 == 0, 0.5, 0.9).astype(np.float32)
    extra = (
        (truth, half, "probabilities all exactly 0.5 (not > 0.5: background)"),
        (truth, mixed, "probabilities 0.5 and 0.9 (0.5 is not > 0.5: background)"),
    )
    _check_mask_metric("pixel_accuracy", fn, keras_pixel_accuracy, cases, seed, extra)


@student_check
def check_dice(fn: Callable, cases: Iterable = MASK_CASES, seed: int = 0) -> None:
    """Compare ``fn(y_true, y_pred)`` with 1 - keras.losses.Dice, soft and hard predictions."""
    square = np.zeros((1, 6, 6), np.float32)
    square[0, 1:4, 1:4] = 1
    shifted = np.roll(square, 1, axis=2)
    extra = (
        (square, square.copy(), "a mask predicted exactly"),
        (square, shifted, "a 3x3 square predicted one pixel to the right"),
        (square, np.roll(square, 3, axis=1), "a prediction that misses the object"),
    )
    _check_mask_metric("dice", fn, keras_dice, cases, seed, extra)


# --- models -----------------------------------------------------------------------


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


# --- generation -------------------------------------------------------------------


def probe_decoder(latent_dim: int = 64):
    """A 'decoder' that returns its latent code reshaped to 8x8: shows what was sampled."""
    import keras

    return keras.Sequential([keras.Input(shape=(latent_dim,)), keras.layers.Reshape((8, 8))])


def _samples(fn: Callable, decoder, n: int, latent_dim: int, seed: int) -> np.ndarray:
    call = f"sample_digits(decoder, n={n}, latent_dim={latent_dim}, seed={seed})"
    got = _to_numpy(_call(fn, decoder, n, latent_dim=latent_dim, seed=seed))
    assert isinstance(got, np.ndarray) and got.shape == (n, 8, 8), (
        f"{call} returned {_describe(got)}; expected a NumPy array of shape ({n}, 8, 8)."
    )
    return got.astype(np.float64)


@student_check
def check_sample_digits(fn: Callable, n: int = 200, seed: int = 0) -> None:
    """Does ``fn(decoder, n, latent_dim, seed)`` decode n codes drawn from N(0, I)?

    Uses a probe decoder that returns its input, so the codes themselves are checked: mean 0,
    standard deviation 1, a normal shape, reproducible with the seed, different across seeds."""
    decoder = probe_decoder(64)
    call = f"sample_digits(decoder, n={n}, latent_dim=64, seed={seed})"
    z = _samples(fn, decoder, n, 64, seed)
    mean, std, within = z.mean(), z.std(), np.mean(np.abs(z) < 1)
    assert abs(mean) < 0.1 and 0.9 < std < 1.1 and 0.63 < within < 0.73, (
        f"{call}: with a decoder that returns its input, the codes have mean {mean:.3f}, standard "
        f"deviation {std:.3f}, and {within:.1%} of them within (-1, 1); codes drawn from the "
        "VAE's prior N(0, I) have mean 0, standard deviation 1 and 68% within (-1, 1)."
    )
    again = _samples(fn, decoder, n, 64, seed)
    assert np.array_equal(z, again), f"{call} gives different samples when called twice."
    other = _samples(fn, decoder, n, 64, seed + 1)
    assert not np.allclose(z, other), f"{call} gives the same samples for seed={seed + 1}."


@student_check
def check_generated_digits(
    fn: Callable,
    decoder,
    latent_dim: int,
    x_train: np.ndarray,
    y_train: np.ndarray,
    n: int = 100,
    seed: int = 0,
) -> dict[str, float]:
    """Are the digits ``fn(decoder, n, latent_dim, seed)`` new, plausible and varied?

    new: none is a copy of a training image (nearest-neighbour distance >= SAMPLES_MIN_DISTANCE);
    plausible: at least SAMPLES_MIN_PRECISION of them lie among the real digits
    (``manifold_precision``); varied: a nearest-neighbour recogniser sees at least
    SAMPLES_MIN_DIGITS different digits. Returns the three measures.
    """
    samples = _samples(fn, decoder, n, latent_dim, seed)
    distance = float(metrics.nearest_distances(samples, x_train).min())
    precision = metrics.manifold_precision(samples, x_train)
    recognised = metrics.digit_recogniser(x_train, y_train).predict(samples.reshape(n, -1))
    digits = len(set(recognised.tolist()))
    assert distance >= SAMPLES_MIN_DISTANCE, (
        f"one of the {n} samples is {distance:.3g} away from a training image: a copy, not a new "
        "image."
    )
    assert precision >= SAMPLES_MIN_PRECISION, (
        f"only {precision:.0%} of the {n} samples look like real digits (manifold precision); "
        f"expected at least {SAMPLES_MIN_PRECISION:.0%}."
    )
    assert digits >= SAMPLES_MIN_DIGITS, (
        f"the {n} samples show only {digits} different digits; expected at least "
        f"{SAMPLES_MIN_DIGITS}: sample different codes for different images."
    )
    return {"min_distance": distance, "precision": precision, "digits": digits}


# --- the questions of the notebook -------------------------------------------------

q1 = Question(
    "build_classifier",
    check_build_classifier,
    "Start with keras.Input(shape=input_shape); a few Conv2D(relu) + MaxPooling2D blocks; "
    "GlobalMaxPooling2D (not an average: it dilutes the small shapes); then "
    "Dense(num_classes, activation='softmax'). Compile "
    "with optimizer keras.optimizers.Adam(3e-3), loss 'sparse_categorical_crossentropy' (the "
    "labels are integers) and metrics=['accuracy'].",
)
q2 = Question(
    "corners_to_center",
    check_corners_to_center,
    "Work on the last axis so that any number of boxes works: x_min = boxes[..., 0], etc. "
    "The width is x_max - x_min and the centre is halfway: x_min + w / 2. Start with "
    "boxes = np.asarray(boxes, dtype=float) and put the four results back with "
    "np.stack([...], axis=-1).",
)
q3 = Question(
    "center_to_corners",
    check_center_to_corners,
    "The box reaches half its width on each side of the centre: x_min = cx - w / 2, "
    "x_max = cx + w / 2. Use boxes[..., i] and np.stack([...], axis=-1), with float arithmetic.",
)
q4 = Question(
    "iou",
    check_iou,
    "Turn each (x, y, w, h) into corners: x_max = x + w. The overlap's width is "
    "min(x_max_a, x_max_b) - max(x_a, x_b), clamped at 0 with max(0, ...) (two boxes apart "
    "give a negative width), same for the height. union = area_a + area_b - intersection; "
    "return 0.0 when the union is 0.",
)
q5 = Question(
    "build_localizer",
    check_build_localizer,
    "Same convolutional blocks as the classifier, but Flatten (global pooling forgets where "
    "things are), a Dense(64, relu), then two heads on it: Dense(num_classes, softmax, "
    "name='label') and Dense(4, sigmoid, name='box'). Return keras.Model(inputs, {'label': ..., "
    "'box': ...}) compiled with loss={'label': 'sparse_categorical_crossentropy', 'box': 'mse'} "
    "and loss_weights={'label': 1.0, 'box': 20.0} (box errors are small numbers).",
)
q6 = Question(
    "pixel_accuracy",
    check_pixel_accuracy,
    "Threshold the probabilities first: predicted = y_pred > 0.5. Then compare with "
    "y_true == 1 and average over all pixels of all images.",
)
q7 = Question(
    "dice",
    check_dice,
    "Dice = 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred)), summed over all pixels of "
    "all images, with the probabilities as they are (no threshold): the factor 2 makes a "
    "perfect prediction score 1.",
)
q8 = Question(
    "build_unet",
    check_build_unet,
    "Encoder: Conv2D(8, relu) -> keep it as skip1 -> MaxPooling2D -> Conv2D(16, relu) -> skip2 "
    "-> MaxPooling2D -> Conv2D(32, relu). Decoder: UpSampling2D -> Concatenate([x, skip2]) -> "
    "Conv2D(16, relu) -> UpSampling2D -> Concatenate([x, skip1]) -> Conv2D(8, relu). Output: "
    "Conv2D(1, 1, activation='sigmoid'). padding='same' everywhere. Compile with Adam(3e-3) and "
    "'binary_crossentropy'.",
)
q9 = Question(
    "sample_digits",
    check_sample_digits,
    "rng = np.random.default_rng(seed); z = rng.standard_normal((n, latent_dim)) draws the codes "
    "from the prior N(0, I); the decoder turns them into images: "
    "keras.ops.convert_to_numpy(decoder(z.astype('float32'))).",
)
