"""Notebook 04's new-classifier check: a head on a pretrained base, read through the shapes and
weights Keras reports and through what the model does with the base's own weights.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

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
