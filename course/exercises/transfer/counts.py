"""Notebook 04's weight-count checks: VGG16's weights layer by layer against
``keras.applications.VGG16(weights=None)``, and what each freezing strategy leaves trainable
against the ``trainable_weights`` of the slide's model after its freezing loops.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from course.checking.asserts import call, describe, is_int, signature
from course.checking.crashes import student_check

if TYPE_CHECKING:  # pragma: no cover
    import keras


# ((H, W, C), num_classes, include_top)
VGG16_CASES: tuple[tuple[tuple[int, int, int], int, bool], ...] = (
    ((224, 224, 3), 1000, True),
    ((224, 224, 3), 1000, False),
    ((64, 64, 3), 10, True),
)

STRATEGIES: tuple[str, ...] = ("all", "head", "first5")

# (strategy, (H, W, C), num_classes)
TRAINABLE_CASES: tuple[tuple[str, tuple[int, int, int], int], ...] = tuple(
    (strategy, (224, 224, 3), 10) for strategy in STRATEGIES
)


def is_count(value: Any) -> bool:
    """A number of weights: a Python or NumPy int, or an integral float (not a bool)."""
    if is_int(value):
        return True
    if not isinstance(value, float | np.floating) or not np.isfinite(value):
        return False
    return value == int(value)


@functools.lru_cache(maxsize=16)
def keras_vgg16_counts(
    input_shape: tuple[int, int, int] = (224, 224, 3),
    num_classes: int = 1000,
    include_top: bool = True,
) -> tuple[tuple[str, ...], tuple[int, ...], int]:
    """(layer names, weights per layer, total) of ``keras.applications.VGG16(weights=None)``,
    for the layers that have weights, in order."""
    import keras

    model = keras.applications.VGG16(
        weights=None, include_top=include_top, input_shape=input_shape, classes=num_classes
    )
    weighted = [layer for layer in model.layers if layer.count_params()]
    return (
        tuple(layer.name for layer in weighted),
        tuple(layer.count_params() for layer in weighted),
        model.count_params(),
    )


@student_check
def check_vgg16_layer_params(fn: Callable, cases: Iterable = VGG16_CASES) -> None:
    """Compare ``fn(input_shape, num_classes, include_top)`` with the weights of each layer of
    keras.applications.VGG16(weights=None)."""
    for input_shape, num_classes, include_top in cases:
        text = signature("vgg16_layer_params", input_shape, num_classes, include_top=include_top)
        got = call(fn, "vgg16_layer_params", input_shape, num_classes, include_top=include_top)
        names, counts, total = keras_vgg16_counts(input_shape, num_classes, include_top)
        assert isinstance(got, list | tuple | np.ndarray) and all(is_count(c) for c in got), (
            f"{text} returned {describe(got)}; expected a list of ints, one per layer with weights."
        )
        got = [int(c) for c in got]
        what = "13 convolutions" + (" and 3 dense layers" if include_top else " (no top)")
        assert len(got) == len(counts), (
            f"{text} returned {len(got)} counts; VGG16 here has {len(counts)} layers with "
            f"weights ({what}); pooling and flatten layers have none."
        )
        for index, (name, count, mine) in enumerate(zip(names, counts, got, strict=True), 1):
            assert mine == count, (
                f"{text}: your count for layer {index} ('{name}') is {mine:,}, but Keras's "
                f"{name}.count_params() differs. Check the formula: input depth, biases, and "
                f"for the first dense layer the size of the flattened feature maps."
            )
        assert sum(got) == total, f"{text} sums to {sum(got):,}, not count_params()."


def slide_model(input_shape: tuple[int, int, int], num_classes: int) -> keras.Model:
    """The slide's ``new_model``, fixed: VGG16 without its top, Flatten, Dense(softmax), as one
    functional model whose ``layers`` are InputLayer, block1_conv1, block1_conv2, ..."""
    import keras
    from keras import layers

    base = keras.applications.VGG16(weights=None, include_top=False, input_shape=input_shape)
    x = layers.Flatten()(base.output)
    predictions = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs=base.input, outputs=predictions)


def apply_strategy(model: keras.Model, strategy: str) -> None:
    """The slide's three loops on ``slide_model``: "all" trainable; "head": the base frozen
    and the new classifier (its last two layers) trainable; "first5": ``model.layers[:5]``
    frozen, the rest trainable."""
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, got {strategy!r}.")
    for layer in model.layers:
        layer.trainable = True
    frozen = {"all": [], "head": model.layers[:-2], "first5": model.layers[:5]}[strategy]
    for layer in frozen:
        layer.trainable = False


def count_weights(weights) -> int:
    """Number of values in a list of Keras variables."""
    return int(sum(np.prod(w.shape) for w in weights))


@functools.lru_cache(maxsize=8)
def keras_trainable_counts(input_shape: tuple[int, int, int], num_classes: int) -> dict[str, int]:
    """strategy -> ``sum of sizes of model.trainable_weights`` of ``slide_model`` after it."""
    model = slide_model(input_shape, num_classes)
    counts = {}
    for strategy in STRATEGIES:
        apply_strategy(model, strategy)
        counts[strategy] = count_weights(model.trainable_weights)
    return counts


@student_check
def check_trainable_params(fn: Callable, cases: Iterable = TRAINABLE_CASES) -> None:
    """Compare ``fn(strategy, input_shape, num_classes)`` with the trainable weights Keras
    counts after the slide's freezing loop."""
    for strategy, input_shape, num_classes in cases:
        text = signature("trainable_params", strategy, input_shape, num_classes)
        got = call(fn, "trainable_params", strategy, input_shape, num_classes)
        assert is_count(got), f"{text} returned {describe(got)}; expected an int."
        got = int(got)
        expected = keras_trainable_counts(input_shape, num_classes)[strategy]
        assert got == expected, (
            f"{text} returned {got:,}, but Keras counts a different number of trainable "
            f"weights after that strategy (sum of the sizes of new_model.trainable_weights)."
        )
