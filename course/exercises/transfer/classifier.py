"""Notebook 04's new-classifier check: a head on a pretrained base, read through the shapes and
weights Keras reports and through what the model does with the base's own weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from course.checking import space
from course.checking.asserts import call, describe
from course.checking.crashes import student_check

if TYPE_CHECKING:  # pragma: no cover
    import keras


# (base name, num_classes): bases are built by ``make_base``
CLASSIFIER_CASES: tuple[tuple[str, int], ...] = (("vgg16_64x64", 10),)


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


def _holds_base_weights(model: Any, base: Any) -> bool:
    """Are all of ``base``'s weights, the very variables (not copies), among ``model``'s? A
    rebuilt or copied base has variables of its own. Compared by identity, so in grading no
    weight values cross between the judge and the kernel."""
    held = list(model.weights)
    return all(any(weight is other for other in held) for weight in base.weights)


def _uses_base(model: Any, base: Any, x: np.ndarray, before: np.ndarray) -> bool:
    """Does the model's output change when the base's first weight (its first kernel)
    changes? Puts the weight back."""
    weight = base.weights[0]
    original = np.asarray(weight)
    weight.assign(original * -3.0 + 0.1)
    try:
        return not np.allclose(_probabilities(model, x), before, atol=1e-6)
    finally:
        weight.assign(original)


@student_check
def check_add_classifier(fn: Callable, cases: Iterable = CLASSIFIER_CASES, seed: int = 0) -> None:
    """``fn(base, num_classes)`` must return a model from the base's input to (N, num_classes)
    probabilities that uses the base's own weights. Read by calling the model on images of the
    base's input shape, so Sequential, functional and subclassed models all work."""
    import keras

    rng = np.random.default_rng(seed)
    for base_name, num_classes in cases:
        local_base = make_base(base_name)
        base_input = tuple(local_base.input_shape)
        text = (
            f"add_classifier(<{local_base.name}, output {tuple(local_base.output_shape)}>, "
            f"{num_classes})"
        )
        base = space.put(fn, local_base)  # in grading, the base the student's kernel holds
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
        assert _holds_base_weights(model, base), (
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
