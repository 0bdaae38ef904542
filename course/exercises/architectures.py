"""Checks for notebook 05, architectures: ground truth comes from Keras itself.

Each ``check_*`` function takes the student's answer, raises ``AssertionError``
with the student's value and what was expected of its type or shape (never the
answer) when it is wrong, and returns None when it is right. ``q1 ... q6`` wrap
them for ``check()/hint()/solution()``; the nbgrader grade cells call the same
functions with hidden ``cases``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from course import architectures
from course.checking import Question, ensure_attempted

# ((H, W, D), (#1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj))
INCEPTION_SHAPE_CASES: tuple[tuple[tuple[int, int, int], tuple[int, ...]], ...] = (
    ((28, 28, 192), architectures.INCEPTION_3A),
    ((14, 14, 480), (192, 96, 208, 16, 48, 64)),
    ((9, 7, 3), (4, 2, 5, 1, 3, 2)),
)
# (D, filters)
INCEPTION_PARAMS_CASES: tuple[tuple[int, tuple[int, ...]], ...] = (
    (192, architectures.INCEPTION_3A),
    (3, (4, 2, 5, 1, 3, 2)),
    (256, (128, 128, 192, 32, 96, 64)),
)
# (kernel_size, in_channels, filters, use_bias)
SEPARABLE_PARAMS_CASES: tuple[tuple[Any, int, int, bool], ...] = (
    (3, 32, 64, True),
    (3, 128, 128, False),
    (5, 16, 24, True),
    ((3, 1), 8, 4, True),
)
# (kernel_size, in_channels, filters)
COST_RATIO_CASES: tuple[tuple[int, int, int], ...] = ((3, 32, 64), (3, 256, 256), (5, 16, 8))
# ((H, W, D), filters, stride)
RESIDUAL_CASES: tuple[tuple[tuple[int, int, int], int, int], ...] = (
    ((8, 8, 16), 16, 1),  # identity shortcut
    ((8, 8, 16), 32, 2),  # projection: fewer pixels, more channels
    ((6, 6, 8), 16, 1),  # projection: more channels only
)
# (phi, alpha, beta, gamma); None means the function's default
COMPOUND_CASES: tuple[tuple[float, float | None, float | None, float | None], ...] = (
    (1, None, None, None),
    (3, None, None, None),
    (0, None, None, None),
    (2, 1.3, 1.05, 1.2),
)


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{value!r} ({type(value).__name__})"


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _call(fn: Callable, name: str, *args: Any, **kwargs: Any) -> Any:
    ensure_attempted(fn, name)
    assert callable(fn), f"expected a function, got {_describe(fn)}."
    return fn(*args, **kwargs)


def _signature(name: str, *args: Any, **kwargs: Any) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


# --- Inception ------------------------------------------------------------------------


def keras_inception(input_shape: tuple[int, int, int], filters: Iterable[int]):
    """The reference Inception module built by Keras: (output shape (H, W, C), parameters)."""
    return _keras_inception(tuple(input_shape), tuple(filters))


@functools.lru_cache(maxsize=64)
def _keras_inception(input_shape: tuple[int, int, int], filters: tuple[int, ...]):
    import keras

    inputs = keras.Input(shape=input_shape)
    model = keras.Model(inputs, architectures.inception_module(inputs, filters))
    return tuple(int(d) for d in model.output.shape[1:]), model.count_params()


def check_inception_output_shape(fn: Callable, cases: Iterable = INCEPTION_SHAPE_CASES) -> None:
    """Compare ``fn(input_shape, filters)`` with the output shape of the module Keras builds."""
    for input_shape, filters in cases:
        expected, _ = keras_inception(input_shape, filters)
        call = _signature("inception_output_shape", input_shape, tuple(filters))
        got = _call(fn, "inception_output_shape", input_shape, tuple(filters))
        assert isinstance(got, tuple | list) and len(got) == 3 and all(map(_is_int, got)), (
            f"{call} returned {_describe(got)}; expected a tuple of three ints (H, W, C)."
        )
        got = tuple(int(d) for d in got)
        assert got[:2] == expected[:2], (
            f"{call} returned height x width {got[0]}x{got[1]}, which is not what Keras gives: "
            "every branch is 'same' with stride 1 (the pooling too)."
        )
        assert got[2] == expected[2], (
            f"{call} returned {got[2]} channels, which is not the depth of the concatenated "
            "output Keras builds: which branches' outputs are concatenated?"
        )


def check_inception_params(fn: Callable, cases: Iterable = INCEPTION_PARAMS_CASES) -> None:
    """Compare ``fn(in_channels, filters)`` with the module's ``count_params()`` in Keras."""
    for depth, filters in cases:
        _, expected = keras_inception((8, 8, depth), filters)
        call = _signature("inception_params", depth, tuple(filters))
        got = _call(fn, "inception_params", depth, tuple(filters))
        assert _is_int(got), f"{call} returned {_describe(got)}; expected an int."
        assert got == expected, (
            f"{call} returned {got:,}, but the Inception module Keras builds on a {depth}-channel "
            "input has a different number of weights (six convolutions, each with biases)."
        )


# --- MobileNet ------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def keras_separable_params(kernel: Any, depth: int, filters: int, use_bias: bool = True) -> int:
    """``SeparableConv2D(filters, kernel, use_bias=use_bias).count_params()`` on D channels."""
    from keras import layers

    layer = layers.SeparableConv2D(filters, kernel, use_bias=use_bias)
    layer.build((None, 16, 16, depth))
    return layer.count_params()


@functools.lru_cache(maxsize=64)
def keras_conv_params(kernel: Any, depth: int, filters: int, use_bias: bool = True) -> int:
    """``Conv2D(filters, kernel, use_bias=use_bias).count_params()`` on D channels."""
    from keras import layers

    layer = layers.Conv2D(filters, kernel, use_bias=use_bias)
    layer.build((None, 16, 16, depth))
    return layer.count_params()


def check_separable_conv_params(fn: Callable, cases: Iterable = SEPARABLE_PARAMS_CASES) -> None:
    """Compare ``fn(kernel_size, in_channels, filters, use_bias)`` with SeparableConv2D."""
    for kernel, depth, filters, use_bias in cases:
        expected = keras_separable_params(kernel, depth, filters, use_bias)
        call = _signature("separable_conv_params", kernel, depth, filters, use_bias=use_bias)
        got = _call(fn, "separable_conv_params", kernel, depth, filters, use_bias=use_bias)
        assert _is_int(got), f"{call} returned {_describe(got)}; expected an int."
        assert got == expected, (
            f"{call} returned {got:,}, but keras.layers.SeparableConv2D({filters}, {kernel!r}, "
            f"use_bias={use_bias}) on a {depth}-channel input has a different number of weights "
            "(a depthwise part, then a pointwise part)."
        )


def check_separable_cost_ratio(fn: Callable, cases: Iterable = COST_RATIO_CASES) -> None:
    """Compare ``fn(kernel_size, in_channels, filters)`` with Keras's weight counts (no bias).

    With stride 1 and 'same' padding, each weight is used once per output pixel, so the ratio
    of multiplications is the ratio of SeparableConv2D's to Conv2D's weights without biases.
    """
    for kernel, depth, filters in cases:
        expected = keras_separable_params(kernel, depth, filters, False) / keras_conv_params(
            kernel, depth, filters, False
        )
        call = _signature("separable_cost_ratio", kernel, depth, filters)
        got = _call(fn, "separable_cost_ratio", kernel, depth, filters)
        assert _is_number(got), f"{call} returned {_describe(got)}; expected a float."
        assert math.isclose(float(got), expected, rel_tol=1e-6), (
            f"{call} returned {float(got):.6g}, which is not the ratio of the multiplications of "
            "a depthwise separable convolution to those of a standard one (Keras's weight counts, "
            "without biases). It should be below 1 when the separable one is cheaper."
        )


# --- ResNet ---------------------------------------------------------------------------


def _build_block(fn: Callable, input_shape: tuple[int, int, int], filters: int, stride: int):
    import keras

    shape = ", ".join(map(str, input_shape))
    call = f"residual_block(x of shape (None, {shape}), {filters}, stride={stride})"
    inputs = keras.Input(shape=input_shape)
    try:
        outputs = _call(fn, "residual_block", inputs, filters, stride=stride)
    except (NotImplementedError, AssertionError):
        raise
    except Exception as error:  # e.g. Add() of two different shapes
        raise AssertionError(f"{call} raised {type(error).__name__}: {error}") from error
    assert isinstance(outputs, keras.KerasTensor), (
        f"{call} returned {_describe(outputs)}; expected the block's output tensor (a KerasTensor)."
    )
    return keras.Model(inputs, outputs), call


def _convs(model) -> tuple[list, list]:
    """The model's Conv2D layers, split into 3x3 ones (in graph order) and 1x1 ones."""
    from keras import layers

    convs = [layer for layer in model.layers if isinstance(layer, layers.Conv2D)]
    three = [c for c in convs if tuple(c.kernel.shape[:2]) == (3, 3)]
    one = [c for c in convs if tuple(c.kernel.shape[:2]) == (1, 1)]
    return three, one


def _outputs(model, x: np.ndarray) -> np.ndarray:
    import keras

    return keras.ops.convert_to_numpy(model(x, training=False))


def check_residual_block(fn: Callable, cases: Iterable = RESIDUAL_CASES, seed: int = 0) -> None:
    """Check ``fn(x, filters, stride)`` against the reference block built by Keras.

    For each case: the output shape and ``count_params()``; then, with both 3x3 kernels set to
    zero (so the main branch outputs 0), that the block outputs ReLU(shortcut(x)); then, with
    the same random kernels in the student's and the reference block, that the outputs agree
    (BatchNormalization in inference mode with its initial statistics).
    """
    import keras

    rng = np.random.default_rng(seed)
    for input_shape, filters, stride in cases:
        model, call = _build_block(fn, input_shape, filters, stride)
        inputs = keras.Input(shape=input_shape)
        reference = keras.Model(inputs, architectures.residual_block(inputs, filters, stride))
        got_shape, want_shape = tuple(model.output.shape[1:]), tuple(reference.output.shape[1:])
        assert got_shape == want_shape, (
            f"{call} gives an output of shape {got_shape}, not the specified block's: {filters} "
            "channels, and the stride applied once, by the first 3x3 convolution (and by the "
            "projection)."
        )
        assert model.count_params() == reference.count_params(), (
            f"{call} has {model.count_params():,} weights, which is not the specified block's "
            "count: check which convolutions have a bias, the BatchNormalization layers, and when "
            "the shortcut needs a 1x1 projection."
        )
        three, one = _convs(model)
        ref_three, ref_one = _convs(reference)
        assert len(three) == 2 and len(one) == len(ref_one), (
            f"{call} has {len(three)} 3x3 and {len(one)} 1x1 Conv2D layers; the specified block "
            f"has 2 and {len(ref_one)}."
        )
        x = rng.normal(size=(2, *input_shape)).astype("float32")

        # 1. Main branch silenced: the block must output ReLU(shortcut(x)).
        for conv in three:
            conv.kernel.assign(np.zeros(conv.kernel.shape, dtype="float32"))
        for ref in ref_three:
            ref.kernel.assign(np.zeros(ref.kernel.shape, dtype="float32"))
        projection = [rng.normal(size=c.kernel.shape).astype("float32") for c in ref_one]
        for conv, ref, kernel in zip(one, ref_one, projection, strict=True):
            conv.kernel.assign(kernel)
            ref.kernel.assign(kernel)
        got, want = _outputs(model, x), _outputs(reference, x)
        assert np.allclose(got, want, atol=1e-4), (
            f"{call} with its 3x3 kernels set to zero (a main branch that outputs 0) does not "
            "return ReLU(shortcut(x)): is the shortcut added to the main branch *before* the "
            f"final ReLU? (largest difference {np.abs(got - want).max():.3g})"
        )

        # 2. Same random kernels everywhere: the outputs must agree.
        for conv, ref in zip(three, ref_three, strict=True):
            kernel = rng.normal(scale=0.3, size=ref.kernel.shape).astype("float32")
            assert tuple(conv.kernel.shape) == kernel.shape, (
                f"{call}: a 3x3 convolution has kernel shape {tuple(conv.kernel.shape)}; "
                f"expected {kernel.shape} (first conv: input depth -> filters; second: "
                "filters -> filters)."
            )
            conv.kernel.assign(kernel)
            ref.kernel.assign(kernel)
        got, want = _outputs(model, x), _outputs(reference, x)
        assert np.allclose(got, want, atol=1e-3, rtol=1e-3), (
            f"{call} with the same kernels as the specified block computes something else "
            f"(largest difference {np.abs(got - want).max():.3g}): check the order "
            "conv3x3(stride)-BN-ReLU-conv3x3-BN, add the shortcut, then ReLU."
        )


# --- EfficientNet ---------------------------------------------------------------------


def check_compound_scaling(fn: Callable, cases: Iterable = COMPOUND_CASES) -> None:
    """Compare ``fn(phi, alpha, beta, gamma)`` with EfficientNet's (alpha**phi, beta**phi,
    gamma**phi); ``None`` in a case means "use the function's default"."""
    defaults = {"alpha": 1.2, "beta": 1.1, "gamma": 1.15}
    for phi, alpha, beta, gamma in cases:
        given = {k: v for k, v in zip(defaults, (alpha, beta, gamma), strict=True) if v is not None}
        coefficients = {**defaults, **given}
        expected = architectures.compound_multipliers(phi, **coefficients)
        call = _signature("compound_scaling", phi, **given)
        got = _call(fn, "compound_scaling", phi, **given)
        assert isinstance(got, tuple | list) and len(got) == 3 and all(map(_is_number, got)), (
            f"{call} returned {_describe(got)}; expected a tuple of three floats "
            "(depth, width, resolution)."
        )
        for what, value, want in zip(("depth", "width", "resolution"), got, expected, strict=True):
            assert math.isclose(float(value), want, rel_tol=1e-9), (
                f"{call} returned a {what} multiplier of {float(value):.6g}, which is not "
                "EfficientNet's compound scaling of that dimension."
            )


# --- the questions of the notebook -------------------------------------------------

q1 = Question(
    "inception_output_shape",
    check_inception_output_shape,
    "Every branch keeps H and W ('same' padding, stride 1, the max pooling too). The output "
    "concatenates the last layer of each of the four branches; the 1x1 reductions are inside "
    "their branches, and the pooling branch ends with its own 1x1 projection.",
)
q2 = Question(
    "inception_params",
    check_inception_params,
    "Six convolutions, each F*F*D*K + K with D its own input depth: 1x1 on the input; 1x1 "
    "reduce on the input then 3x3 on the reduced maps; same for 5x5; 1x1 projection after the "
    "pooling (which has no weights). `formulas.conv_params` does one convolution.",
)
q3 = Question(
    "separable_conv_params",
    check_separable_conv_params,
    "Depthwise part: one F x F filter per input channel (F*F*D weights, no bias in Keras). "
    "Pointwise part: a 1x1 convolution from D to K channels (D*K weights, plus K biases when "
    "use_bias is True). kernel_size may be an int or a pair.",
)
q4 = Question(
    "separable_cost_ratio",
    check_separable_cost_ratio,
    "Per output pixel, a standard convolution does F*F*D*K multiplications; a separable one "
    "F*F*D (depthwise) + D*K (pointwise). Divide separable by standard: it simplifies to "
    "1/K + 1/F**2.",
)
q5 = Question(
    "residual_block",
    check_residual_block,
    "Main branch: Conv2D(filters, 3, strides=stride, padding='same', use_bias=False), "
    "BatchNormalization(), ReLU, Conv2D(filters, 3, padding='same', use_bias=False), "
    "BatchNormalization(). Shortcut: x if stride == 1 and x.shape[-1] == filters, else "
    "Conv2D(filters, 1, strides=stride, use_bias=False) then BatchNormalization(). "
    "Then layers.Add()([main, shortcut]) and only then the last ReLU.",
)
q6 = Question(
    "compound_scaling",
    check_compound_scaling,
    "Each dimension has its own base coefficient raised to the power phi: depth alpha**phi, "
    "width beta**phi, resolution gamma**phi (phi = 0 gives B0: all 1).",
)
