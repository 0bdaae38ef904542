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

from course.checking import Question, space
from course.checking.asserts import call as _call
from course.checking.asserts import describe as _describe
from course.checking.asserts import is_int as _is_int
from course.checking.asserts import is_number as _is_number
from course.checking.asserts import signature as _signature
from course.checking.crashes import student_check
from course.models import classic

# ((H, W, D), (#1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj))
INCEPTION_SHAPE_CASES: tuple[tuple[tuple[int, int, int], tuple[int, ...]], ...] = (
    ((28, 28, 192), classic.INCEPTION_3A),
    ((14, 14, 480), (192, 96, 208, 16, 48, 64)),
    ((9, 7, 3), (4, 2, 5, 1, 3, 2)),
)
# (D, filters)
INCEPTION_PARAMS_CASES: tuple[tuple[int, tuple[int, ...]], ...] = (
    (192, classic.INCEPTION_3A),
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


def _is_count(value: Any) -> bool:
    """An int (Python or NumPy) or an integral float: the text asks for a number of weights."""
    if _is_int(value):
        return True
    return isinstance(value, float | np.floating) and math.isfinite(value) and value == int(value)


def _triple(value: Any, is_item: Callable[[Any], bool]) -> bool:
    """A tuple, list or 1-D array of three items that pass ``is_item``."""
    if isinstance(value, np.ndarray):
        value = value.tolist() if value.ndim == 1 else None
        value = value if value is None else [np.asarray(v)[()] for v in value]
    return isinstance(value, tuple | list) and len(value) == 3 and all(map(is_item, value))


# --- Inception ------------------------------------------------------------------------


def keras_inception(input_shape: tuple[int, int, int], filters: Iterable[int]):
    """The reference Inception module built by Keras: (output shape (H, W, C), parameters)."""
    return _keras_inception(tuple(input_shape), tuple(filters))


@functools.lru_cache(maxsize=64)
def _keras_inception(input_shape: tuple[int, int, int], filters: tuple[int, ...]):
    import keras

    inputs = keras.Input(shape=input_shape)
    model = keras.Model(inputs, classic.inception_module(inputs, filters))
    return tuple(int(d) for d in model.outputs[0].shape[1:]), model.count_params()


@student_check
def check_inception_output_shape(fn: Callable, cases: Iterable = INCEPTION_SHAPE_CASES) -> None:
    """Compare ``fn(input_shape, filters)`` with the output shape of the module Keras builds."""
    for input_shape, filters in cases:
        expected, _ = keras_inception(input_shape, filters)
        call = _signature("inception_output_shape", input_shape, tuple(filters))
        got = _call(fn, "inception_output_shape", input_shape, tuple(filters))
        assert _triple(got, _is_int), (
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


@student_check
def check_inception_params(fn: Callable, cases: Iterable = INCEPTION_PARAMS_CASES) -> None:
    """Compare ``fn(in_channels, filters)`` with the module's ``count_params()`` in Keras."""
    for depth, filters in cases:
        _, expected = keras_inception((8, 8, depth), filters)
        call = _signature("inception_params", depth, tuple(filters))
        got = _call(fn, "inception_params", depth, tuple(filters))
        assert _is_count(got), f"{call} returned {_describe(got)}; expected an int."
        got = int(got)
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


@student_check
def check_separable_conv_params(fn: Callable, cases: Iterable = SEPARABLE_PARAMS_CASES) -> None:
    """Compare ``fn(kernel_size, in_channels, filters, use_bias)`` with SeparableConv2D."""
    for kernel, depth, filters, use_bias in cases:
        expected = keras_separable_params(kernel, depth, filters, use_bias)
        call = _signature("separable_conv_params", kernel, depth, filters, use_bias=use_bias)
        got = _call(fn, "separable_conv_params", kernel, depth, filters, use_bias=use_bias)
        assert _is_count(got), f"{call} returned {_describe(got)}; expected an int."
        got = int(got)
        assert got == expected, (
            f"{call} returned {got:,}, but keras.layers.SeparableConv2D({filters}, {kernel!r}, "
            f"use_bias={use_bias}) on a {depth}-channel input has a different number of weights "
            "(a depthwise part, then a pointwise part)."
        )


@student_check
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
    there = space.keras_for(fn)  # the block is built where the answer runs
    inputs = there.Input(shape=input_shape)
    outputs = _call(fn, "residual_block", inputs, filters, stride=stride)
    assert isinstance(outputs, keras.KerasTensor), (
        f"{call} returned {_describe(outputs)}; expected the block's output tensor (a KerasTensor)."
    )
    return there.Model(inputs, outputs), call


def _kernels(model) -> tuple[list, list]:
    """The model's convolution kernels (4-D weights, found through ``model.weights`` whatever
    the layers that hold them: functional layers, a custom Layer or a nested Model), split into
    3x3 ones (in the order Keras lists them) and 1x1 ones."""
    kernels = [w for w in model.weights if len(w.shape) == 4]
    three = [w for w in kernels if tuple(w.shape[:2]) == (3, 3)]
    one = [w for w in kernels if tuple(w.shape[:2]) == (1, 1)]
    return three, one


def _outputs(model, x: np.ndarray) -> np.ndarray:
    import keras

    return keras.ops.convert_to_numpy(model(x, training=False))


def _assign(variables, values) -> None:
    for variable, value in zip(variables, values, strict=True):
        variable.assign(value)


@student_check
def check_residual_block(fn: Callable, cases: Iterable = RESIDUAL_CASES, seed: int = 0) -> None:
    """Check ``fn(x, filters, stride)`` against the reference block built by Keras.

    For each case: the output shape and ``count_params()``; then, with both 3x3 kernels set to
    zero (so the main branch outputs 0), that the block outputs ReLU(shortcut(x)); then, with
    the same random kernels in the student's and the reference block, that the outputs agree
    (BatchNormalization in inference mode with its initial statistics); then with the same
    random statistics in every BatchNormalization, that they still agree (BN before ReLU). The
    kernels are found by shape among ``model.weights``, so any way of building the block
    passes.
    """
    import keras

    rng = np.random.default_rng(seed)
    for input_shape, filters, stride in cases:
        model, call = _build_block(fn, input_shape, filters, stride)
        inputs = keras.Input(shape=input_shape)
        reference = keras.Model(inputs, classic.residual_block(inputs, filters, stride))
        got_shape = tuple(model.outputs[0].shape[1:])
        want_shape = tuple(reference.outputs[0].shape[1:])
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
        three, one = _kernels(model)
        ref_three, ref_one = _kernels(reference)
        assert len(three) == 2 and len(one) == len(ref_one), (
            f"{call} has {len(three)} 3x3 and {len(one)} 1x1 convolution kernels; the specified "
            f"block has 2 and {len(ref_one)}."
        )
        shapes = sorted(tuple(k.shape) for k in three)
        assert shapes == sorted(tuple(k.shape) for k in ref_three), (
            f"{call}: its 3x3 kernels have shapes {shapes}; the first convolution maps the input "
            "depth to `filters`, the second `filters` to `filters`."
        )
        x = rng.normal(size=(2, *input_shape)).astype("float32")

        # 1. Main branch silenced: the block must output ReLU(shortcut(x)).
        zeros = [np.zeros(k.shape, dtype="float32") for k in ref_three]
        _assign(three, zeros)
        _assign(ref_three, zeros)
        projection = [rng.normal(size=k.shape).astype("float32") for k in ref_one]
        _assign(one, projection)
        _assign(ref_one, projection)
        got, want = _outputs(model, x), _outputs(reference, x)
        assert np.allclose(got, want, atol=1e-4), (
            f"{call} with its 3x3 kernels set to zero (a main branch that outputs 0) does not "
            "return ReLU(shortcut(x)): is the shortcut added to the main branch, *before* the "
            f"final ReLU? (largest difference {np.abs(got - want).max():.3g})"
        )

        # 2. Same random kernels everywhere: the outputs must agree. When both 3x3 kernels have
        # the same shape (input depth == filters), either could be the first: try both orders.
        kernels = [rng.normal(scale=0.3, size=k.shape).astype("float32") for k in ref_three]
        _assign(ref_three, kernels)
        want = _outputs(reference, x)
        orders = [kernels, kernels[::-1]]
        differences = []
        for order in orders:
            if [tuple(k.shape) for k in three] != [k.shape for k in order]:
                continue
            _assign(three, order)
            got = _outputs(model, x)
            differences.append(float(np.abs(got - want).max()))
            if np.allclose(got, want, atol=1e-3, rtol=1e-3):
                break
        else:
            raise AssertionError(
                f"{call} with the same kernels as the specified block computes something else "
                f"(largest difference {min(differences):.3g}): check the order "
                "conv3x3(stride)-BN-ReLU-conv3x3-BN, add the shortcut, then ReLU."
            )

        # 3. The same random BatchNormalization statistics in every BatchNormalization layer of
        # both blocks (so which is which does not matter): BN no longer commutes with ReLU, so
        # the order of BatchNormalization and ReLU shows.
        size = (filters,)
        statistics = {
            "gamma": rng.uniform(0.5, 1.5, size),
            "beta": rng.normal(0.0, 0.5, size),
            "moving_mean": rng.normal(0.0, 0.5, size),
            "moving_variance": rng.uniform(0.5, 2.0, size),
        }
        for block in (model, reference):
            for variable in block.weights:
                name = variable.name.split("/")[-1]
                if len(variable.shape) == 1 and name in statistics:
                    variable.assign(statistics[name].astype("float32"))
        got, want = _outputs(model, x), _outputs(reference, x)
        assert np.allclose(got, want, atol=1e-3, rtol=1e-3), (
            f"{call} with the same kernels and BatchNormalization statistics as the specified "
            f"block computes something else (largest difference {np.abs(got - want).max():.3g}): "
            "is each BatchNormalization right after its convolution, before the ReLU?"
        )


# --- EfficientNet ---------------------------------------------------------------------


@student_check
def check_compound_scaling(fn: Callable, cases: Iterable = COMPOUND_CASES) -> None:
    """Compare ``fn(phi, alpha, beta, gamma)`` with EfficientNet's (alpha**phi, beta**phi,
    gamma**phi); ``None`` in a case means "use the function's default"."""
    defaults = {"alpha": 1.2, "beta": 1.1, "gamma": 1.15}
    for phi, alpha, beta, gamma in cases:
        given = {k: v for k, v in zip(defaults, (alpha, beta, gamma), strict=True) if v is not None}
        coefficients = {**defaults, **given}
        expected = classic.compound_multipliers(phi, **coefficients)
        call = _signature("compound_scaling", phi, **given)
        got = _call(fn, "compound_scaling", phi, **given)
        assert _triple(got, _is_number), (
            f"{call} returned {_describe(got)}; expected a tuple of three floats "
            "(depth, width, resolution)."
        )
        got = [float(value) for value in got]
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
