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

from course.checking import Question
from course.checking.asserts import assert_close, call, describe, is_int, signature

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
)
POOL_SIZE_CASES: tuple[tuple[tuple[int, int], int, int | None, str], ...] = (
    ((224, 224), 2, None, "valid"),
    ((7, 9), 2, None, "valid"),
    ((13, 13), 3, 2, "valid"),
    ((7, 7), 2, None, "same"),
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
VGG16_CASES: tuple[dict[str, Any], ...] = ({},)


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


def _check_lengths(name, fn, input_hw, kernel, expected_hw, **kwargs) -> None:
    kernels = kernel if isinstance(kernel, tuple) else (kernel, kernel)
    for axis, size, k, expected in zip(
        ("height", "width"), input_hw, kernels, expected_hw, strict=True
    ):
        call_text = signature(name, size, k, **kwargs)
        got = call(fn, name, size, k, **kwargs)
        assert is_int(got), (
            f"{call_text} returned {describe(got)}; expected an int, the {axis} of the output."
        )
        assert got == expected, (
            f"{call_text} returned {got}, which is not the output {axis} Keras computes for an "
            f"input of {input_hw[0]}x{input_hw[1]} pixels."
        )


def check_conv_output_size(fn: Callable, cases: Iterable[ConvCase] = CONV_SIZE_CASES) -> None:
    """Compare ``fn(size, kernel_size, stride, padding)`` with Keras's Conv2D."""
    for input_hw, kernel, stride, padding in cases:
        expected = keras_conv_output_hw(input_hw, kernel, stride, padding)
        _check_lengths(
            "conv_output_size", fn, input_hw, kernel, expected, stride=stride, padding=padding
        )


def check_pool_output_size(fn: Callable, cases: Iterable = POOL_SIZE_CASES) -> None:
    """Compare ``fn(size, pool_size, stride, padding)`` with Keras's MaxPooling2D."""
    for input_hw, pool, stride, padding in cases:
        expected = keras_pool_output_hw(input_hw, pool, stride, padding)
        kwargs = {"padding": padding} if stride is None else {"stride": stride, "padding": padding}
        _check_lengths("pool_output_size", fn, input_hw, pool, expected, **kwargs)


# --- weight counts ----------------------------------------------------------------


def check_conv_params(fn: Callable, cases: Iterable = CONV_PARAMS_CASES) -> None:
    """Compare ``fn(kernel_size, in_channels, filters, use_bias)`` with Conv2D.count_params()."""
    from keras import layers

    for kernel, depth, filters, use_bias in cases:
        layer = layers.Conv2D(filters, kernel, use_bias=use_bias)
        layer.build((None, 16, 16, depth))
        expected = layer.count_params()
        call_text = signature("conv_params", kernel, depth, filters, use_bias=use_bias)
        got = call(fn, "conv_params", kernel, depth, filters, use_bias=use_bias)
        assert is_int(got), f"{call_text} returned {describe(got)}; expected an int."
        assert got == expected, (
            f"{call_text} returned {got:,}, but keras.layers.Conv2D({filters}, {kernel!r}, "
            f"use_bias={use_bias}) on a {depth}-channel input has a different number of weights."
        )


def check_dense_params(fn: Callable, cases: Iterable = DENSE_PARAMS_CASES) -> None:
    """Compare ``fn(in_features, units, use_bias)`` with Dense.count_params()."""
    from keras import layers

    for in_features, units, use_bias in cases:
        layer = layers.Dense(units, use_bias=use_bias)
        layer.build((None, in_features))
        expected = layer.count_params()
        call_text = signature("dense_params", in_features, units, use_bias=use_bias)
        got = call(fn, "dense_params", in_features, units, use_bias=use_bias)
        assert is_int(got), f"{call_text} returned {describe(got)}; expected an int."
        assert got == expected, (
            f"{call_text} returned {got:,}, but keras.layers.Dense({units}, use_bias={use_bias}) "
            f"on {in_features} inputs has a different number of weights."
        )


# --- layers by hand ---------------------------------------------------------------


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


@functools.lru_cache(maxsize=8)
def keras_vgg16_layers(input_shape=(224, 224, 3), num_classes=1000, include_top=True):
    """(name, weight count, output shape) of each weighted layer of keras.applications.VGG16."""
    import keras

    model = keras.applications.VGG16(
        weights=None, include_top=include_top, input_shape=input_shape, classes=num_classes
    )
    return tuple(
        (layer.name, layer.count_params(), tuple(layer.output.shape[1:]))
        for layer in model.layers
        if layer.count_params()
    ), tuple(model.output.shape[1:])


def check_vgg16(fn: Callable, cases: Sequence[dict[str, Any]] = VGG16_CASES) -> None:
    """Compare the model ``fn(**case)`` with keras.applications.VGG16(weights=None)."""
    import keras

    for case in cases:
        call_text = signature("build_vgg16", **case)
        model = call(fn, "build_vgg16", **case)
        assert isinstance(model, keras.Model), (
            f"{call_text} returned {describe(model)}; expected a keras.Model."
        )
        case = {"input_shape": (224, 224, 3), "num_classes": 1000, "include_top": True, **case}
        expected_layers, expected_output = keras_vgg16_layers(**case)
        total = sum(count for _, count, _ in expected_layers)
        weighted = [layer for layer in model.layers if layer.count_params()]
        for index, (layer, (name, count, shape)) in enumerate(
            zip(weighted, expected_layers, strict=False), 1
        ):
            got_shape = tuple(layer.output.shape[1:])
            assert (layer.count_params(), got_shape) == (count, shape), (
                f"{call_text}: weighted layer {index} ('{layer.name}') has "
                f"{layer.count_params():,} weights and output shape {got_shape}; VGG16's layer "
                f"{index} ('{name}') has "
                f"{count:,} weights and output shape {shape}."
            )
        assert len(weighted) == len(expected_layers), (
            f"{call_text} has {len(weighted)} layers with weights; VGG16 here has "
            f"{len(expected_layers)} (13 convolutions, plus 3 dense layers with the top)."
        )
        got_output = tuple(model.output.shape[1:])
        assert got_output == expected_output, (
            f"{call_text} outputs shape {got_output}; expected {expected_output}."
        )
        assert model.count_params() == total, (
            f"{call_text} has {model.count_params():,} parameters; expected {total:,}."
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
    "Flatten, Dense(4096) twice and Dense(num_classes, softmax). Start from keras.Input.",
)
