"""Checks for notebook 04, transfer learning: ground truth comes from Keras itself.

Weight counts are compared with ``keras.applications.VGG16(weights=None)`` layer by layer,
trainable counts with the ``trainable_weights`` of the slide's model after its freezing loops,
the new classifier with the shapes and weights Keras reports, and the fine-tuned model with
its accuracy on held-out target images, with what happened to the pretrained weights, and
with what one more training step of its last compile changes (the phase it was left in).
Each ``check_*`` raises ``AssertionError`` with the student's value (never the answer);
``q1 ... q4`` wrap them for ``check()/hint()/solution()``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from course.checking import Question, space
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

NUM_CLASSES = 4  # the target task's classes (course.datasets.shapes.TARGET_CLASSES)


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

    from course.models.vgg import build_small_vgg

    if name == "small_vgg":
        return build_small_vgg()
    height, width = (int(v) for v in name.removeprefix("vgg16_").split("x"))
    return keras.applications.VGG16(weights=None, include_top=False, input_shape=(height, width, 3))


def _probabilities(model: Any, x: np.ndarray) -> np.ndarray:
    """The model's outputs on ``x`` (inference mode), as a NumPy array: works for Sequential,
    functional and subclassed models alike."""
    outputs = model.predict(x, verbose=0)
    if isinstance(outputs, list | tuple) and len(outputs) == 1:
        outputs = outputs[0]
    assert not isinstance(outputs, list | tuple | dict), (
        f"the model returns {type(outputs).__name__} of outputs; expected one (N, classes) tensor."
    )
    return np.asarray(outputs)


def _base_kernels_in(model: Any, base: keras.Model) -> list[int] | None:
    """Index in ``model.get_weights()`` of each convolution kernel of ``base``, matched by value
    (a rebuilt or copied base has other random weights), or None when one is missing."""
    weights = [np.asarray(w) for w in model.get_weights()]
    found = []
    for layer in base.layers:
        kernel = layer.get_weights()[0] if layer.get_weights() else None
        if kernel is None or np.ndim(kernel) != 4:
            continue
        same = [i for i, w in enumerate(weights) if w.shape == kernel.shape]
        same = [i for i in same if np.array_equal(weights[i], kernel)]
        if not same:
            return None
        found.append(same[0])
    return found


def _uses_base(model: Any, last_kernel: int, x: np.ndarray, before: np.ndarray) -> bool:
    """Does the model's output change when its copy of the base's last kernel changes (through
    get_weights / set_weights)? Puts the weights back."""
    weights = [np.asarray(w) for w in model.get_weights()]
    changed = list(weights)
    changed[last_kernel] = weights[last_kernel] * -3.0 + 0.1
    model.set_weights(changed)
    try:
        return not np.allclose(_probabilities(model, x), before, atol=1e-6)
    finally:
        model.set_weights(weights)


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
        kernels = _base_kernels_in(model, base)
        assert kernels is not None, (
            f"{text}: the model does not use the base's own weights (it rebuilt or copied the "
            f"base?). Call `base` itself, or start from base.input and base.output, so that the "
            f"pretrained weights are the ones trained."
        )
        sums = probabilities.sum(axis=-1)
        assert np.all(probabilities >= 0) and np.allclose(sums, 1.0, atol=1e-4), (
            f"{text}: on two images the outputs sum to {np.round(sums, 3).tolist()}; a classifier "
            f"of exclusive classes outputs probabilities that sum to 1 (softmax)."
        )
        assert _uses_base(model, kernels[-1], x, probabilities), (
            f"{text}: the model's outputs do not change when the base's weights do: the new "
            f"classifier must be computed from the base's feature maps."
        )


# --- fine-tuning --------------------------------------------------------------------

FINE_TUNE_MAX_LEARNING_RATE = 1e-3
"""Highest learning rate of the last compile (the fine-tuning phase): the text suggests 1e-2
for the head, then 10 times lower; the head's own 1e-2 for the top block fails."""


def _conv_kernels(base: keras.Model) -> list[tuple[str, np.ndarray]]:
    """(layer name, kernel) of each convolution of the pretrained base, in order."""
    return [
        (layer.name, np.asarray(layer.get_weights()[0]))
        for layer in base.layers
        if layer.get_weights() and np.ndim(layer.get_weights()[0]) == 4
    ]


def _find(arrays: list[np.ndarray], shape: tuple[int, ...]) -> list[int]:
    return [i for i, a in enumerate(arrays) if a.shape == shape]


def _last_learning_rate(model: Any) -> float | None:
    """The learning rate of the model's last compile (``get_compile_config``), or None when
    it cannot be read (a schedule's initial rate is used)."""
    import keras

    try:
        optimizer = model.get_compile_config()["optimizer"]
    except Exception:  # no compile config: reported by the training probe below
        return None
    if isinstance(optimizer, str):
        return float(keras.optimizers.get(optimizer).learning_rate)
    rate = optimizer.get("config", {}).get("learning_rate") if isinstance(optimizer, dict) else None
    if isinstance(rate, dict):  # a schedule
        rate = rate.get("config", {}).get("initial_learning_rate")
    return float(rate) if isinstance(rate, int | float) else None


def _one_more_step(model: Any, x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """The model's weights after one more training step with its last compile (the weights are
    then put back). Integer labels first, one-hot labels if the loss wants them."""
    before = [np.asarray(w) for w in model.get_weights()]
    errors = []
    for labels in (y, np.eye(NUM_CLASSES, dtype="float32")[y]):
        try:
            model.fit(x, labels, epochs=1, batch_size=len(x), verbose=0)
            break
        except Exception as error:  # the loss does not take these labels
            errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:160]}")
    else:
        raise AssertionError(
            "one more epoch of fit(x, integer labels) on the model returned fails "
            f"({errors[0]}): return the model compiled for its last (fine-tuning) phase."
        )
    after = [np.asarray(w) for w in model.get_weights()]
    model.set_weights(before)
    return after


def _moved(after: list[np.ndarray], before: list[np.ndarray], i: int) -> bool:
    return not np.array_equal(after[i], before[i])


def assess_fine_tuned(
    model: Any,
    pretrained: keras.Model,
    x_test: np.ndarray,
    y_test: np.ndarray,
    threshold: float = FINE_TUNE_MIN_ACCURACY,
) -> float:
    """Assert that ``model`` (what fine_tune returned) followed the two phases, read through
    its public API only (predict, get_weights, get_compile_config, one more fit step):

    - it reaches ``threshold`` accuracy on preprocessed (x_test, y_test);
    - it holds the convolutions of ``pretrained`` (the untouched base): every block but the
      top one at exactly its pretrained values, the top block changed (fine-tuned);
    - it is left in the fine-tuning phase: one more training step with its last compile moves
      the top block and no other block, at a learning rate of at most
      ``FINE_TUNE_MAX_LEARNING_RATE``.

    Returns the accuracy."""
    import keras

    assert isinstance(model, keras.Model), (
        f"fine_tune returned {describe(model)}; expected the trained keras.Model."
    )
    probabilities = np.asarray(model.predict(x_test, verbose=0, batch_size=256))
    assert probabilities.shape == (len(x_test), NUM_CLASSES), (
        f"the fine-tuned model's output shape on {len(x_test)} images is "
        f"{probabilities.shape}; expected ({len(x_test)}, {NUM_CLASSES}), one probability per "
        "target class."
    )
    weights = [np.asarray(w) for w in model.get_weights()]
    kernels = _conv_kernels(pretrained)
    top = kernels[-1][0].split("_")[0]  # "block3"
    found = {name: _find(weights, kernel.shape) for name, kernel in kernels}
    same = {name: [i for i in found[name] if np.array_equal(weights[i], k)] for name, k in kernels}
    missing = [name for name, _ in kernels if not found[name]]
    assert not missing, (
        f"the model returned has no weights of the shape of the base's {missing[0]}: build the "
        "classifier on the pretrained `base` passed to fine_tune."
    )
    frozen = [name for name, _ in kernels if not name.startswith(f"{top}_")]
    assert same[frozen[0]], (
        "the model returned does not hold the pretrained base's first convolution "
        f"({frozen[0]}): either it is built on a new or copied base (use the `base` passed to "
        "fine_tune), or block1 was trained; the first blocks must stay frozen from start to end."
    )
    moved = [name for name in frozen if not same[name]]
    assert not moved, (
        f"the base's {moved[0]} changed during training: only the top block ({top}) may be "
        "fine-tuned; the other blocks must stay frozen (pretrained) from start to end."
    )
    unchanged = [name for name, _ in kernels if name.startswith(f"{top}_") and same[name]]
    assert not unchanged, (
        f"the base's top block ({top}) still has its pretrained weights ({unchanged[0]}): it "
        "was never fine-tuned. After setting `trainable`, recompile the model before fit (Keras "
        "uses the trainable weights of the last compile)."
    )
    accuracy = float(np.mean(np.argmax(probabilities, axis=-1) == y_test))
    assert accuracy >= threshold, (
        f"the fine-tuned model's accuracy on {len(y_test)} held-out images is {accuracy:.3f}; "
        f"it should reach {threshold:.2f}. Keep the pretrained base frozen while the new head "
        f"trains, then fine-tune only the top block with a low learning rate."
    )
    rate = _last_learning_rate(model)
    assert rate is None or rate <= FINE_TUNE_MAX_LEARNING_RATE * (1 + 1e-4), (
        f"the model returned was last compiled with a learning rate of {rate:.3g}; fine-tuning "
        f"(the last phase) needs a low one, at most {FINE_TUNE_MAX_LEARNING_RATE:g}, or it "
        "destroys what the pretrained block learnt."
    )
    after = _one_more_step(model, x_test[:16], np.asarray(y_test[:16]))
    index = {name: same[name][0] for name in frozen}
    trains = [name for name in frozen if _moved(after, weights, index[name])]
    assert not trains, (
        f"one more training step of the model returned (its last compile) changes {trains[0]}: "
        "in the fine-tuning phase only the top block and the head are trainable."
    )
    top_indices = {i for name, _ in kernels if name.startswith(f"{top}_") for i in found[name]}
    assert any(_moved(after, weights, i) for i in top_indices), (
        f"one more training step of the model returned (its last compile) leaves the top block "
        f"({top}) as it is: the phases ran in the wrong order, or the model was recompiled with "
        "the base frozen after fine-tuning. Return the model as the fine-tuning phase left it: "
        "head first on a frozen base, then the top block unfrozen and recompiled."
    )
    return accuracy


class FineTuned(NamedTuple):
    """What ``check_fine_tune`` trained: the student's model (and the base it was given)."""

    model: Any
    base: Any


@student_check
def check_fine_tune(fn: Callable, seed: int = 0, test_seed: int = 10_000) -> FineTuned:
    """Run ``fn(base, x_train, y_train, num_classes)`` on the pretrained base and 10 target
    images per class (``seed``, also the seed of the random generators), assess it on 800
    held-out images (``test_seed``) with ``assess_fine_tuned``.

    Returns the model and the base, for ``check_fine_tuned_again``."""

    from course.datasets import shapes
    from course.datasets.scenes import center_colours
    from course.models.vgg import load_pretrained

    data = shapes.target_data(n_per_class=10, seed=seed, test_seed=test_seed)
    x_train = center_colours(data["x_train"])
    x_test = center_colours(data["x_test"])
    base = load_pretrained()
    space.seed(fn, seed)  # where the answer trains: in grading, the student's kernel
    model = call(fn, "fine_tune", base, x_train, data["y_train"].copy(), NUM_CLASSES)
    assess_fine_tuned(model, load_pretrained(), x_test, data["y_test"])
    return FineTuned(model, base)


@student_check
def check_fine_tuned_again(tuned: FineTuned, test_seed: int, n_test: int = 800) -> None:
    """Assess the model ``check_fine_tune`` returned on another held-out target set."""
    from course.datasets import shapes
    from course.datasets.scenes import center_colours
    from course.models.vgg import load_pretrained

    images, labels = shapes.target_shapes(n_test, test_seed)
    x_test = center_colours(images)
    assess_fine_tuned(tuned.model, load_pretrained(), x_test, labels)


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
