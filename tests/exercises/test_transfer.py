"""Notebook 04 (transfer learning): what its checks add to the common grade-cell tests
(tests/exercises/test_grade_cells.py).

The ground truths are Keras's own counts; a wrong VGG16 count is never answered with the
right one; the fine-tuning check is tested on models trained here: a model that learned
nothing, one on another base, one whose first blocks moved, one whose top block never
changed, and fine-tuned models left in the wrong phase (their last compile trains the head
only, or has a high learning rate).
"""

from __future__ import annotations

import numpy as np
import pytest

from course.checking import Outcome
from course.exercises import transfer as checks
from course.exercises.transfer.fine_tuning import _one_more_step
from course.grading.direct import DirectGrading
from course.mistakes.transfer import ASSIGNMENT, MISTAKES

NOTEBOOK = DirectGrading(ASSIGNMENT)


HIDDEN_ONLY = {"pooling rounds up (ceil), not down"}  # the visible cases divide exactly by 32


@pytest.mark.parametrize("label", sorted(set(MISTAKES["vgg16_layer_params"]) - HIDDEN_ONLY))
def test_wrong_vgg16_counts_do_not_give_the_counts_away(label):
    """Does a wrong vgg16_layer_params hear "incorrect" without any count it got wrong?"""
    fn = NOTEBOOK.namespace(MISTAKES["vgg16_layer_params"][label])["vgg16_layer_params"]
    feedback = checks.q1.evaluate(fn)
    assert feedback.outcome is Outcome.INCORRECT, feedback
    for shape, classes, top in checks.VGG16_CASES:
        _, counts, _ = checks.keras_vgg16_counts(shape, classes, top)
        mine = fn(shape, classes, include_top=top)
        for right, wrong in zip(counts, mine, strict=False):
            if right != wrong:
                assert f"{right:,}" not in feedback.message


# --- ground truth ---------------------------------------------------------------------------


def test_keras_counts_are_the_slides_numbers():
    """Does the checks' ground truth give VGG16's 138,357,544 and 14,714,688 weights?"""
    assert checks.keras_vgg16_counts()[2] == 138_357_544
    names, counts, total = checks.keras_vgg16_counts((224, 224, 3), 1000, False)
    assert total == 14_714_688 and len(counts) == 13 and names[0] == "block1_conv1"


def test_trainable_counts_follow_the_three_loops():
    """Do the three strategies leave all, only the head, and all but 3 convolutions trainable?"""
    counts = checks.keras_trainable_counts((224, 224, 3), 10)
    head = 7 * 7 * 512 * 10 + 10
    assert counts["all"] == 14_714_688 + head
    assert counts["head"] == head
    assert counts["all"] - counts["first5"] == 1_792 + 36_928 + 73_856
    with pytest.raises(ValueError, match="strategy"):
        checks.apply_strategy(checks.slide_model((32, 32, 3), 2), "everything")


# --- the fine-tuning check, on models trained here ------------------------------------------


@pytest.fixture(scope="module")
def target():
    """Preprocessed target data: 10 images per class (seed 0) and 800 held-out ones."""
    from course.datasets import scenes, shapes

    data = shapes.target_data(n_per_class=10, seed=0)
    return (
        scenes.center_colours(data["x_train"]),
        data["y_train"],
        scenes.center_colours(data["x_test"]),
        data["y_test"],
    )


def _nudged(base, block: str = "block3", by: float = 1e-3) -> None:
    """Move every kernel of ``block`` a little (as a fine-tuning would)."""
    for layer in base.layers:
        if layer.name.startswith(f"{block}_") and layer.get_weights():
            kernel, bias = layer.get_weights()
            layer.set_weights([kernel + by, bias])


def test_an_untrained_head_fails(target):
    """Does the pretrained base with an untrained head (a model that learned nothing) fail the
    accuracy bar, even with its top block moved?"""
    import keras

    from course import transfer
    from course.models.vgg import load_pretrained

    _, _, x_test, y_test = target
    base = load_pretrained()
    _nudged(base)
    model = transfer.add_classifier(base, checks.NUM_CLASSES)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    with pytest.raises(AssertionError, match="accuracy"):
        checks.assess_fine_tuned(model, load_pretrained(), x_test, y_test)


def test_frozen_top_block_and_moved_first_blocks_fail(target):
    """Do a model whose top block kept its pretrained weights, or whose block1 or block2
    moved, fail?"""
    import keras

    from course import transfer
    from course.models.vgg import load_pretrained

    x_train, y_train, x_test, y_test = target
    base = load_pretrained()
    base.trainable = False
    keras.utils.set_random_seed(0)
    model = transfer.add_classifier(base, checks.NUM_CLASSES)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    untouched = load_pretrained()
    with pytest.raises(AssertionError, match="never fine-tuned"):
        checks.assess_fine_tuned(model, untouched, x_test, y_test, threshold=0.0)
    _nudged(base, "block2")
    with pytest.raises(AssertionError, match="block2_conv1 changed"):
        checks.assess_fine_tuned(model, untouched, x_test, y_test, threshold=0.0)
    _nudged(base, "block1", 0.01)
    with pytest.raises(AssertionError, match="block1 was trained"):
        checks.assess_fine_tuned(model, untouched, x_test, y_test, threshold=0.0)


def test_model_on_another_base_or_with_wrong_outputs_fails(target):
    """Does a model that does not use the given base, or has the wrong outputs, fail?"""
    from course import transfer
    from course.models.vgg import build_small_vgg, load_pretrained

    _, _, x_test, y_test = target
    other = transfer.add_classifier(build_small_vgg(), checks.NUM_CLASSES)
    with pytest.raises(AssertionError, match="new or copied base"):
        checks.assess_fine_tuned(other, load_pretrained(), x_test, y_test)
    wrong = transfer.add_classifier(load_pretrained(), 3)
    with pytest.raises(AssertionError, match="output shape"):
        checks.assess_fine_tuned(wrong, load_pretrained(), x_test, y_test)
    with pytest.raises(AssertionError, match="expected the trained keras.Model"):
        checks.assess_fine_tuned(None, load_pretrained(), x_test, y_test)


@pytest.fixture(scope="module")
def tuned(target):
    """The course's reference recipe, fine-tuned on the target data (seed 0)."""
    import keras

    from course import transfer
    from course.models.vgg import load_pretrained

    x_train, y_train, _, _ = target
    keras.utils.set_random_seed(0)
    model, _ = transfer.fine_tune(load_pretrained(), x_train, y_train, checks.NUM_CLASSES)
    return model


def test_the_recipe_passes_and_keeps_its_weights(target, tuned):
    """Does the reference recipe pass, and does the extra training step leave the model's
    weights as they were?"""
    from course.models.vgg import load_pretrained

    _, _, x_test, y_test = target
    before = tuned.get_weights()
    assert checks.assess_fine_tuned(tuned, load_pretrained(), x_test, y_test) >= 0.6
    after = tuned.get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))


@pytest.mark.parametrize(
    ("last_phase", "message"),
    [
        ("head", "wrong order"),  # recompiled with the base frozen after fine-tuning
        ("high rate", "learning rate of 0.01"),
    ],
)
def test_a_model_left_in_the_wrong_phase_fails(target, tuned, last_phase, message):
    """Does a fine-tuned model whose last compile trains the head only, or has a high learning
    rate, fail (its weights are those of a good fine-tuning)?"""
    import keras

    from course.models.vgg import load_pretrained

    _, _, x_test, y_test = target
    model = keras.models.clone_model(tuned)
    model.set_weights(tuned.get_weights())
    for layer in model.layers:  # the clone: InputLayer, the base, Flatten, Dense
        if isinstance(layer, keras.Model):
            layer.trainable = last_phase != "head"
            for inner in layer.layers:
                inner.trainable = last_phase != "head" and inner.name.startswith("block3_")
    rate = 1e-2 if last_phase == "high rate" else 1e-3
    model.compile(optimizer=keras.optimizers.Adam(rate), loss="sparse_categorical_crossentropy")
    with pytest.raises(AssertionError, match=message):
        checks.assess_fine_tuned(model, load_pretrained(), x_test, y_test)


def test_an_uncompiled_model_cannot_take_one_more_step():
    """Is a model that cannot be trained further (never compiled) reported as incorrect?"""
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(checks.NUM_CLASSES)])
    with pytest.raises(AssertionError, match="compiled for its last"):
        _one_more_step(model, np.zeros((4, 2), "float32"), np.arange(4))
