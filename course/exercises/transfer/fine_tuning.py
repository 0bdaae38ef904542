"""Notebook 04's fine-tuning check: the fine-tuned model's accuracy on held-out target images,
what happened to the pretrained weights, and what one more step of its last compile changes
(the phase it was left in).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from course.checking import space
from course.checking.asserts import call, describe
from course.checking.crashes import student_check

if TYPE_CHECKING:  # pragma: no cover
    import keras


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
