"""Checks for notebook 04, transfer learning: ground truth comes from Keras itself.

Weight counts are compared with ``keras.applications.VGG16(weights=None)`` layer by layer,
trainable counts with the ``trainable_weights`` of the slide's model after its freezing loops,
the new classifier with the shapes and weights Keras reports, and the fine-tuned model with
its accuracy on held-out target images and with what happened to the pretrained weights.
Each ``check_*`` raises ``AssertionError`` with the student's value (never the answer);
``q1 ... q4`` wrap them for ``check()/hint()/solution()``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from course.checking import Question
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
# (base name, num_classes): bases are built by ``make_base``
CLASSIFIER_CASES: tuple[tuple[str, int], ...] = (("vgg16_64x64", 10),)

FINE_TUNE_MIN_ACCURACY = 0.60
"""Accuracy the fine-tuned model must reach on held-out target images (4 classes, chance 25%).

Measured over 12 seeds each (0-11; 10 images per class, 800 held-out images of test seed
10,000), min / median / max:

- recipes the text allows: the reference (Flatten, Adam 1e-2 x 10 epochs, then Adam 1e-3 x 10)
  0.759 / 0.811 / 0.861; GlobalAveragePooling2D head 0.729 / 0.807 / 0.839; GlobalMaxPooling2D
  head 0.861 / 0.896 / 0.922; Adam 1e-3 x 20 then 1e-4 x 10 0.771 / 0.797 / 0.833; 5 + 5 epochs
  0.703 / 0.794 / 0.839; batches of 32 0.755 / 0.788 / 0.855; GAP, Adam 1e-2 x 20 then 1e-4 x 10
  0.659 / 0.731 / 0.756; SGD (momentum 0.9) 1e-2 then 1e-3: Flatten 0.705 / 0.764 / 0.836,
  GlobalMaxPooling2D 0.694 / 0.769 / 0.812, GlobalAveragePooling2D 0.635 / 0.692 / 0.719;
- models that learned nothing or the wrong thing: the untrained head 0.089 / 0.209 / 0.448; the
  base trainable while the head trains 0.251 / 0.296 / 0.502 (block1 moves too); a random base
  instead of the pretrained one 0.276 / 0.337 / 0.356 (and it is not the given base).

The bar sits between the best wrong model (0.502) and the worst allowed recipe (0.635). (A
first bar of 0.68 failed the SGD + global pooling and the GAP + 1e-4 recipes on some seeds.)"""

NUM_CLASSES = 4  # the target task's classes (course.pretrained.TARGET_CLASSES)


# --- weight counts ------------------------------------------------------------------


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


# --- freezing strategies ------------------------------------------------------------


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


# --- a new classifier ---------------------------------------------------------------


def make_base(name: str) -> keras.Model:
    """A convolutional base without its classifier: "vgg16_64x64", "vgg16_96x64" (randomly
    initialised VGG16 at those sizes) or "small_vgg" (the course's, 32x32)."""
    import keras

    from course.models import build_small_vgg

    if name == "small_vgg":
        return build_small_vgg()
    height, width = (int(v) for v in name.removeprefix("vgg16_").split("x"))
    return keras.applications.VGG16(weights=None, include_top=False, input_shape=(height, width, 3))


def _probabilities(model: Any, x: np.ndarray) -> np.ndarray:
    """The model's outputs on ``x`` (inference mode), as a NumPy array: works for Sequential,
    functional and subclassed models alike."""
    import keras

    outputs = model(x, training=False)
    if isinstance(outputs, list | tuple) and len(outputs) == 1:
        outputs = outputs[0]
    assert not isinstance(outputs, list | tuple | dict), (
        f"the model returns {type(outputs).__name__} of outputs; expected one (N, classes) tensor."
    )
    return keras.ops.convert_to_numpy(outputs)


def _uses_base(model: Any, base: keras.Model, x: np.ndarray, before: np.ndarray) -> bool:
    """Does the model's output change when the base's last kernel changes? (It reads the base.)"""
    import keras

    kernels = [w for w in base.weights if len(w.shape) == 4]
    last = kernels[-1]
    last.assign(keras.ops.convert_to_numpy(last) * -3.0 + 0.1)
    return not np.allclose(_probabilities(model, x), before, atol=1e-6)


@student_check
def check_add_classifier(fn: Callable, cases: Iterable = CLASSIFIER_CASES, seed: int = 0) -> None:
    """``fn(base, num_classes)`` must return a model from the base's input to (N, num_classes)
    probabilities that uses the base's own weights. Read by calling the model on images of the
    base's input shape, so Sequential, functional and subclassed models all work."""
    import keras

    rng = np.random.default_rng(seed)
    for base_name, num_classes in cases:
        base = make_base(base_name)
        base_input = tuple(base.input_shape)
        text = f"add_classifier(<{base.name}, output {tuple(base.output_shape)}>, {num_classes})"
        model = call(fn, "add_classifier", base, num_classes)
        assert isinstance(model, keras.Model), (
            f"{text} returned {describe(model)}; expected a keras.Model."
        )
        x = rng.uniform(0, 1, (2, *base_input[1:])).astype("float32")
        probabilities = _probabilities(model, x)
        assert probabilities.shape == (2, num_classes), (
            f"{text}: on 2 images of the base's input shape {base_input[1:]} the model outputs "
            f"shape {probabilities.shape}; expected (2, {num_classes}). A Dense layer acts on "
            f"the last axis only: on (None, H, W, C) feature maps it gives (None, H, W, units). "
            f"Flatten (or pool) the maps first."
        )
        own = {id(w) for w in model.weights}
        assert all(id(w) in own for w in base.weights), (
            f"{text}: the model does not use the base's own weights (it rebuilt or copied the "
            f"base?). Call `base` itself, or start from base.input and base.output, so that the "
            f"pretrained weights are the ones trained."
        )
        sums = probabilities.sum(axis=-1)
        assert np.all(probabilities >= 0) and np.allclose(sums, 1.0, atol=1e-4), (
            f"{text}: on two images the outputs sum to {np.round(sums, 3).tolist()}; a classifier "
            f"of exclusive classes outputs probabilities that sum to 1 (softmax)."
        )
        assert _uses_base(model, base, x, probabilities), (
            f"{text}: the model's outputs do not change when the base's weights do: the new "
            f"classifier must be computed from the base's feature maps."
        )


# --- fine-tuning --------------------------------------------------------------------


def _block_weights(base: keras.Model, block: str) -> list[np.ndarray]:
    return [
        w
        for layer in base.layers
        if layer.name.startswith(f"{block}_")
        for w in layer.get_weights()
    ]


def assess_fine_tuned(
    model: Any,
    base: keras.Model,
    pretrained: keras.Model,
    x_test: np.ndarray,
    y_test: np.ndarray,
    threshold: float = FINE_TUNE_MIN_ACCURACY,
) -> float:
    """Assert ``model`` (built on ``base``) reaches ``threshold`` accuracy on preprocessed
    (x_test, y_test), kept block1 of the base at its pretrained values (``pretrained``: the
    untouched base) and changed its top block. Returns the accuracy."""
    import keras

    assert isinstance(model, keras.Model), (
        f"fine_tune returned {describe(model)}; expected the trained keras.Model."
    )
    probabilities = _probabilities(model, x_test)  # (N, classes)
    assert probabilities.shape == (len(x_test), NUM_CLASSES), (
        f"the fine-tuned model's output shape on {len(x_test)} images is "
        f"{probabilities.shape}; expected ({len(x_test)}, {NUM_CLASSES}), one probability per "
        "target class."
    )
    own = {id(w) for w in model.weights}
    assert all(id(w) in own for w in base.weights), (
        "the model returned does not use the pretrained `base` passed to fine_tune (a new or "
        "copied base starts from other weights): build the classifier on `base` itself."
    )
    accuracy = float(np.mean(np.argmax(probabilities, axis=-1) == y_test))
    assert accuracy >= threshold, (
        f"the fine-tuned model's accuracy on {len(y_test)} held-out images is {accuracy:.3f}; "
        f"it should reach {threshold:.2f}. Keep the pretrained base frozen while the new head "
        f"trains, then fine-tune only the top block with a low learning rate."
    )
    top = max(int(layer.name[5]) for layer in base.layers if layer.name.startswith("block"))
    for block, kept in (("block1", True), (f"block{top}", False)):
        now, before = _block_weights(base, block), _block_weights(pretrained, block)
        same = all(np.array_equal(a, b) for a, b in zip(now, before, strict=True))
        if kept:
            assert same, (
                f"the base's {block} changed during training: the first layers must stay frozen "
                f"(pretrained) from start to end; unfreeze only the top block for fine-tuning."
            )
        else:
            assert not same, (
                f"the base's top block ({block}) still has its pretrained weights: it was never "
                f"fine-tuned. After setting `trainable`, recompile the model before fit (Keras "
                f"uses the trainable weights of the last compile)."
            )
    return accuracy


class FineTuned(NamedTuple):
    """What ``check_fine_tune`` trained: the student's model and the base it was given."""

    model: Any
    base: Any


@student_check
def check_fine_tune(fn: Callable, seed: int = 0, test_seed: int = 10_000) -> FineTuned:
    """Run ``fn(base, x_train, y_train, num_classes)`` on the pretrained base and 10 target
    images per class (``seed``), assess it on 800 held-out images (``test_seed``).

    Returns the model and the base, for ``check_fine_tuned_again``."""
    import keras

    from course import pretrained
    from course.models import load_pretrained

    data = pretrained.target_data(n_per_class=10, seed=seed, test_seed=test_seed)
    x_train = pretrained.preprocess_input(data["x_train"])
    x_test = pretrained.preprocess_input(data["x_test"])
    base, untouched = load_pretrained(), load_pretrained()
    keras.utils.set_random_seed(seed)
    model = call(fn, "fine_tune", base, x_train, data["y_train"].copy(), NUM_CLASSES)
    assess_fine_tuned(model, base, untouched, x_test, data["y_test"])
    return FineTuned(model, base)


@student_check
def check_fine_tuned_again(tuned: FineTuned, test_seed: int, n_test: int = 800) -> None:
    """Assess the model ``check_fine_tune`` returned on another held-out target set."""
    from course import pretrained
    from course.models import load_pretrained

    images, labels = pretrained.target_shapes(n_test, test_seed)
    x_test = pretrained.preprocess_input(images)
    assess_fine_tuned(tuned.model, tuned.base, load_pretrained(), x_test, labels)


# --- the questions of the notebook -------------------------------------------------

q1 = Question(
    "vgg16_layer_params",
    check_vgg16_layer_params,
    "Follow the depth D and the size H x W through the five blocks: each 3x3 convolution has "
    "3*3*D*K + K weights and sets D = K; each pooling halves H and W (floor division) and has no "
    "weights. With the top, the first dense layer sees (H/32)*(W/32)*512 inputs (floored), not "
    "7*7 or 512; each dense layer has inputs*units + units weights.",
)
q2 = Question(
    "add_classifier",
    check_add_classifier,
    "Start from base.input (or a new keras.Input called through `base`), flatten base.output "
    "with layers.Flatten() (or pool it with GlobalAveragePooling2D), then "
    "layers.Dense(num_classes, activation='softmax'); return keras.Model(inputs, outputs).",
)
q3 = Question(
    "trainable_params",
    check_trainable_params,
    "Count the base (13 convolutions) and the head (Flatten: no weights; Dense on "
    "(H//32)*(W//32)*512 inputs). 'all': everything; 'head': the head only; 'first5': "
    "new_model.layers[:5] is InputLayer, block1_conv1, block1_conv2, block1_pool, "
    "block2_conv1: three convolutions are frozen, not five.",
)
q4 = Question(
    "fine_tune",
    check_fine_tune,
    "1) base.trainable = False; inputs -> base(inputs, training=False) -> Flatten -> "
    "Dense(num_classes, softmax); compile (Adam(1e-2)) and fit the head (~10 epochs, "
    "batch_size=16). 2) base.trainable = True, then set trainable = False on every layer of "
    "base.layers whose name does not start with 'block3_'; compile AGAIN with a 10x lower "
    "learning rate (Adam(1e-3)) and fit ~10 more epochs.",
)
