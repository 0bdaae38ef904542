"""Checks for notebook 02, CNN layers: ground truth comes from Keras itself.

Each ``check_*`` function takes the student's answer, raises ``AssertionError``
with the student's value and what was expected of its type or shape (never the
answer) when it is wrong, and returns None when it is right. ``q1 ... q7`` wrap
them for ``check()/hint()/solution()``; the nbgrader grade cells call the same
functions with hidden ``cases``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from course.checking import Question, space, weights
from course.checking.asserts import assert_close, call, describe, is_int, signature
from course.checking.crashes import student_check

# A convolution case: ((H, W), kernel, stride, padding); kernel is F or (F_h, F_w).
ConvCase = tuple[tuple[int, int], Any, int, Any]

CONV2D_CASES: tuple[tuple[tuple[int, int, int], int, int, int, int], ...] = (
    # ((H, W, D), F, K, stride, padding)
    ((5, 5, 1), 3, 1, 1, 0),
    ((7, 6, 3), 3, 4, 1, 1),
    ((9, 8, 2), 3, 2, 2, 0),
)
CONV_SIZE_CASES: tuple[ConvCase, ...] = (
    ((32, 32), 3, 1, 0),
    ((32, 32), 3, 1, 1),
    ((32, 28), 5, 2, 0),
    ((28, 28), 3, 2, "same"),
    ((224, 224), 7, 2, 3),
    ((15, 20), 3, 2, "valid"),
    ((7, 9), 3, 2, "same"),
)
POOL_SIZE_CASES: tuple[tuple[tuple[int, int], int, int | None, str], ...] = (
    ((224, 224), 2, None, "valid"),
    ((7, 9), 2, None, "valid"),
    ((13, 13), 3, 2, "valid"),
    ((7, 7), 2, None, "same"),
    ((10, 10), 3, 1, "valid"),
)
BATCH_NORM_CASES: tuple[tuple[tuple[int, int, int, int], float], ...] = (
    ((8, 4, 4, 3), 1e-3),
    ((2, 5, 3, 4), 0.5),
)
CONV_PARAMS_CASES: tuple[tuple[Any, int, int, bool], ...] = (
    (3, 3, 64, True),
    (3, 64, 64, True),
    (5, 16, 32, False),
    ((1, 7), 8, 8, True),
)
DENSE_PARAMS_CASES: tuple[tuple[int, int, bool], ...] = (
    (3136, 128, True),
    (128, 10, True),
    (256, 10, False),
)
VGG16_CASES: tuple[dict[str, Any], ...] = ({}, {"input_shape": (32, 32, 3), "num_classes": 10})
# Behaviour (weights copied from keras.applications.VGG16, outputs compared) is checked on
# inputs up to this many pixels; larger cases are compared by weights and shapes only.
BEHAVIOUR_MAX_PIXELS = 64 * 96


# --- output sizes -----------------------------------------------------------------


def keras_conv_output_hw(input_hw: tuple[int, int], kernel: Any, stride: int, padding: Any):
    """(H', W') that Keras computes for Conv2D; an int padding is a ZeroPadding2D before it."""
    from keras import layers

    shape = (1, *input_hw, 1)
    if isinstance(padding, int):
        shape = layers.ZeroPadding2D(padding).compute_output_shape(shape)
        padding = "valid"
    out = layers.Conv2D(1, kernel, strides=stride, padding=padding).compute_output_shape(shape)
    return tuple(out[1:3])


def keras_pool_output_hw(input_hw: tuple[int, int], pool: int, stride: int | None, padding: str):
    """(H', W') that Keras computes for MaxPooling2D."""
    from keras import layers

    layer = layers.MaxPooling2D(pool_size=pool, strides=stride, padding=padding)
    return tuple(layer.compute_output_shape((1, *input_hw, 1))[1:3])


def is_integral(value: Any) -> bool:
    """An int, a NumPy integer or an integral float such as np.float64(112.0) (not a bool)."""
    if is_int(value):
        return True
    return (
        isinstance(value, float | np.floating)
        and not isinstance(value, bool)
        and bool(np.isfinite(value))
        and float(value).is_integer()
    )


def _check_lengths(name, fn, input_hw, kernel, expected_hw, **kwargs) -> None:
    kernels = kernel if isinstance(kernel, tuple) else (kernel, kernel)
    for axis, size, k, expected in zip(
        ("height", "width"), input_hw, kernels, expected_hw, strict=True
    ):
        call_text = signature(name, size, k, **kwargs)
        got = call(fn, name, size, k, **kwargs)
        assert is_integral(got), (
            f"{call_text} returned {describe(got)}; expected a whole number, the {axis} of the "
            "output."
        )
        assert got == expected, (
            f"{call_text} returned {got}, which is not the output {axis} Keras computes for an "
            f"input of {input_hw[0]}x{input_hw[1]} pixels."
        )


@student_check
def check_conv_output_size(fn: Callable, cases: Iterable[ConvCase] = CONV_SIZE_CASES) -> None:
    """Compare ``fn(size, kernel_size, stride, padding)`` with Keras's Conv2D."""
    for input_hw, kernel, stride, padding in cases:
        expected = keras_conv_output_hw(input_hw, kernel, stride, padding)
        _check_lengths(
            "conv_output_size", fn, input_hw, kernel, expected, stride=stride, padding=padding
        )


@student_check
def check_pool_output_size(fn: Callable, cases: Iterable = POOL_SIZE_CASES) -> None:
    """Compare ``fn(size, pool_size, stride, padding)`` with Keras's MaxPooling2D."""
    for input_hw, pool, stride, padding in cases:
        expected = keras_pool_output_hw(input_hw, pool, stride, padding)
        kwargs = {"padding": padding} if stride is None else {"stride": stride, "padding": padding}
        _check_lengths("pool_output_size", fn, input_hw, pool, expected, **kwargs)


# --- weight counts ----------------------------------------------------------------


@student_check
def check_conv_params(fn: Callable, cases: Iterable = CONV_PARAMS_CASES) -> None:
    """Compare ``fn(kernel_size, in_channels, filters, use_bias)`` with Conv2D.count_params()."""
    from keras import layers

    for kernel, depth, filters, use_bias in cases:
        layer = layers.Conv2D(filters, kernel, use_bias=use_bias)
        layer.build((None, 16, 16, depth))
        expected = layer.count_params()
        call_text = signature("conv_params", kernel, depth, filters, use_bias=use_bias)
        got = call(fn, "conv_params", kernel, depth, filters, use_bias=use_bias)
        assert is_integral(got), f"{call_text} returned {describe(got)}; expected a whole number."
        assert got == expected, (
            f"{call_text} returned {got:,}, but keras.layers.Conv2D({filters}, {kernel!r}, "
            f"use_bias={use_bias}) on a {depth}-channel input has a different number of weights."
        )


@student_check
def check_dense_params(fn: Callable, cases: Iterable = DENSE_PARAMS_CASES) -> None:
    """Compare ``fn(in_features, units, use_bias)`` with Dense.count_params()."""
    from keras import layers

    for in_features, units, use_bias in cases:
        layer = layers.Dense(units, use_bias=use_bias)
        layer.build((None, in_features))
        expected = layer.count_params()
        call_text = signature("dense_params", in_features, units, use_bias=use_bias)
        got = call(fn, "dense_params", in_features, units, use_bias=use_bias)
        assert is_integral(got), f"{call_text} returned {describe(got)}; expected a whole number."
        assert got == expected, (
            f"{call_text} returned {got:,}, but keras.layers.Dense({units}, use_bias={use_bias}) "
            f"on {in_features} inputs has a different number of weights."
        )


# --- layers by hand ---------------------------------------------------------------


@student_check
def check_conv2d(fn: Callable, cases: Iterable = CONV2D_CASES, seed: int = 0) -> None:
    """Compare ``fn(x, kernel, bias, stride, padding)`` on one (H, W, D) image with Conv2D."""
    import keras
    from keras import layers

    rng = np.random.default_rng(seed)
    for (h, w, d), f, k, stride, padding in cases:
        x = rng.normal(size=(h, w, d)).astype("float32")
        kernel = rng.normal(size=(f, f, d, k)).astype("float32")
        bias = rng.normal(size=(k,)).astype("float32")
        conv = layers.Conv2D(k, f, strides=stride, padding="valid")
        conv.build((None, h + 2 * padding, w + 2 * padding, d))
        conv.set_weights([kernel, bias])
        padded = layers.ZeroPadding2D(padding)(x[None])
        expected = keras.ops.convert_to_numpy(conv(padded))[0]
        call_text = (
            f"conv2d(x of shape {x.shape}, kernel of shape {kernel.shape}, stride={stride}, "
            f"padding={padding})"
        )
        got = call(
            fn, "conv2d", x.copy(), kernel.copy(), bias.copy(), stride=stride, padding=padding
        )
        assert_close(call_text, got, expected, "keras.layers.Conv2D's output")


@student_check
def check_batch_norm(fn: Callable, cases: Iterable = BATCH_NORM_CASES, seed: int = 0) -> None:
    """Compare ``fn(x, gamma, beta, eps)`` with training-mode BatchNormalization. x: (N,H,W,C)."""
    import keras
    from keras import layers

    rng = np.random.default_rng(seed)
    for shape, eps in cases:
        channels = shape[-1]
        x = rng.normal(size=shape) * rng.uniform(0.1, 3, channels) + rng.normal(size=channels)
        x = x.astype("float32")
        gamma = rng.uniform(0.5, 2, channels).astype("float32")
        beta = rng.normal(size=channels).astype("float32")
        layer = layers.BatchNormalization(epsilon=eps)
        layer.build(shape)
        layer.gamma.assign(gamma)
        layer.beta.assign(beta)
        expected = keras.ops.convert_to_numpy(layer(x, training=True))
        call_text = f"batch_norm(x of shape {shape}, gamma, beta, eps={eps})"
        got = call(fn, "batch_norm", x.copy(), gamma.copy(), beta.copy(), eps=eps)
        assert_close(call_text, got, expected, "keras.layers.BatchNormalization(training=True)")


# --- VGG16 ------------------------------------------------------------------------


def _full_case(case: dict[str, Any]) -> tuple[tuple[int, ...], int, bool]:
    full = {"input_shape": (224, 224, 3), "num_classes": 1000, "include_top": True, **case}
    return tuple(full["input_shape"]), int(full["num_classes"]), bool(full["include_top"])


def _keras_vgg16(input_shape, num_classes, include_top):
    import keras

    return keras.applications.VGG16(
        weights=None, include_top=include_top, input_shape=input_shape, classes=num_classes
    )


@functools.lru_cache(maxsize=8)
def keras_vgg16_summary(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    """(weight shapes, parameter count, output shape) of keras.applications.VGG16.

    The convolutional part comes from keras.applications.VGG16(include_top=False); its top
    (Flatten, Dense 4096 relu, Dense 4096 relu, Dense classes softmax) is added by shape, so the
    102-million-weight first dense layer is never initialised just to read its shape."""
    model = _keras_vgg16(input_shape, num_classes, False)
    shapes = [tuple(w.shape) for w in model.weights]
    output = tuple(model.outputs[0].shape[1:])
    if include_top:
        flat = int(np.prod(output))
        for fan_in, units in ((flat, 4096), (4096, 4096), (4096, num_classes)):
            shapes += [(fan_in, units), (units,)]
        output = (num_classes,)
    count = sum(int(np.prod(shape)) for shape in shapes)
    return tuple(shapes), count, output


def _output_shape(model: Any, input_shape: tuple[int, ...]) -> tuple:
    """The model's output shape without the batch axis, through public structure-agnostic API."""
    outputs = None
    try:
        outputs = model.outputs
    except (AttributeError, ValueError):  # a Sequential model without an Input has no outputs
        outputs = None
    if outputs:
        assert len(outputs) == 1, f"the model has {len(outputs)} outputs; expected one."
        return tuple(outputs[0].shape[1:])
    try:
        shape = model.compute_output_shape((1, *input_shape))
    except (NotImplementedError, AttributeError, TypeError, ValueError):
        import keras  # a subclassed model may not compute shapes: run it on one blank image

        shape = keras.ops.shape(model(keras.ops.zeros((1, *input_shape))))
    return tuple(shape[1:])


@student_check
def check_vgg16(fn: Callable, cases: Sequence[dict[str, Any]] = VGG16_CASES, seed: int = 0) -> None:
    """Compare the model ``fn(**case)`` with keras.applications.VGG16(weights=None): weight
    shapes, parameter count and output shape, then (for small inputs) the outputs on random
    images once keras.applications' weights are copied into the student's model."""
    import keras

    for case in cases:
        call_text = signature("build_vgg16", **case)
        model = call(fn, "build_vgg16", **case)
        assert isinstance(model, keras.Model), (
            f"{call_text} returned {describe(model)}; expected a keras.Model."
        )
        input_shape, num_classes, include_top = _full_case(case)
        if not model.built:  # e.g. a Sequential model started without keras.Input
            model.build((None, *input_shape))
        expected_shapes, total, expected_output = keras_vgg16_summary(
            input_shape, num_classes, include_top
        )
        got_shapes = [tuple(w.shape) for w in model.weights]
        for index, (got, shape) in enumerate(zip(got_shapes, expected_shapes, strict=False), 1):
            assert tuple(got) == shape, (
                f"{call_text}: weight tensor {index} (in model.weights order) has shape {got}; "
                f"VGG16's weight tensor {index} has shape {shape}."
            )
        assert len(got_shapes) == len(expected_shapes), (
            f"{call_text} has {len(got_shapes)} weight tensors; VGG16 here has "
            f"{len(expected_shapes)} (a kernel and a bias for each of its 13 convolutions, plus "
            "3 dense layers with the top)."
        )
        assert model.count_params() == total, (
            f"{call_text} has {model.count_params():,} parameters; expected {total:,}."
        )
        got_output = _output_shape(model, input_shape)
        assert got_output == expected_output, (
            f"{call_text} outputs shape {got_output}; expected {expected_output}."
        )
        if input_shape[0] * input_shape[1] > BEHAVIOUR_MAX_PIXELS:
            continue
        reference = _keras_vgg16(input_shape, num_classes, include_top)
        # He-scaled kernels and non-zero biases keep the activations of order 1 through all 16
        # layers, so a missing ReLU or softmax changes the outputs clearly. The same seeded
        # weights are made where each model is (the weight shapes agree, checked above).
        weights.set_he_weights(reference, seed)
        space.module_for(fn, "course.checking.weights").set_he_weights(model, seed)
        rng = np.random.default_rng(seed)
        images = rng.normal(size=(2, *input_shape)).astype("float32")
        expected = keras.ops.convert_to_numpy(reference(images, training=False))
        del reference
        got = keras.ops.convert_to_numpy(model(images, training=False))
        scale = float(np.max(np.abs(expected))) or 1.0
        assert got.shape == expected.shape, (
            f"{call_text} on 2 images returned shape {got.shape}; expected {expected.shape}."
        )
        error = float(np.max(np.abs(got - expected))) / scale
        assert error < 1e-3, (
            f"{call_text}: with the same weights as keras.applications.VGG16, its outputs on "
            f"random images differ from VGG16's by up to {error:.2g} of their largest value: "
            "check the activations (ReLU after every convolution and hidden dense layer, "
            "softmax at the end), the pooling and the order of the layers."
        )


# --- the questions of the notebook -------------------------------------------------

q1 = Question(
    "conv2d",
    check_conv2d,
    "Pad x with np.pad on the two spatial axes only. Output pixel (i, j) of filter k is "
    "np.sum(x_padded[i*stride : i*stride + F, j*stride : j*stride + F, :] * kernel[..., k]) "
    "+ bias[k]. Keras does not flip the kernel (it computes a cross-correlation).",
)
q2 = Question(
    "conv_output_size",
    check_conv_output_size,
    "For an int padding P (pixels on each side): (W - F + 2P) // S + 1, with floor division. "
    "'valid' is P = 0; 'same' pads just enough that the output is ceil(W / S).",
)
q3 = Question(
    "batch_norm",
    check_batch_norm,
    "Average over the batch and both spatial axes, axis=(0, 1, 2), one mean and one (biased, "
    "ddof=0) variance per channel; then gamma * (x - mean) / np.sqrt(var + eps) + beta.",
)
q4 = Question(
    "pool_output_size",
    check_pool_output_size,
    "Pooling is a window without weights: (W - F) // S + 1 for 'valid', ceil(W / S) for 'same'. "
    "Keras's default stride is the pool size.",
)
q5 = Question(
    "conv_params",
    check_conv_params,
    "Each of the K filters is F x F x D: it spans the whole depth D of its input. "
    "Add one bias per filter when use_bias is True. kernel_size may be an int or a pair.",
)
q6 = Question(
    "dense_params",
    check_dense_params,
    "One weight per (input, unit) pair, plus one bias per unit when use_bias is True.",
)
q7 = Question(
    "build_vgg16",
    check_vgg16,
    "Five blocks of 3x3 'same' convolutions with ReLU (2, 2, 3, 3, 3 of them; 64, 128, 256, "
    "512, 512 filters), each followed by MaxPooling2D(2, strides=2); then, with the top, "
    "Flatten, Dense(4096) twice and Dense(num_classes, softmax). keras.Sequential and the "
    "functional API (from keras.Input) both work.",
)
