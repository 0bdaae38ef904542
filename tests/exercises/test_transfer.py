"""Notebook 04 (transfer learning): what its checks add to the common grade-cell tests
(tests/exercises/test_grade_cells.py).

The ground truths are Keras's own counts; a wrong VGG16 count is never answered with the
right one; the fine-tuning check is tested on models trained here: a model that learned
nothing, one on another base, one whose first block moved, one whose top block never
changed.
"""

from __future__ import annotations

import pytest

from course.checking import Outcome
from course.exercises import transfer
from course.grading.direct import DirectGrading
from course.mistakes.transfer import ASSIGNMENT, MISTAKES

NOTEBOOK = DirectGrading(ASSIGNMENT)


HIDDEN_ONLY = {"pooling rounds up (ceil), not down"}  # the visible cases divide exactly by 32


@pytest.mark.parametrize("label", sorted(set(MISTAKES["vgg16_layer_params"]) - HIDDEN_ONLY))
def test_wrong_vgg16_counts_do_not_give_the_counts_away(label):
    """Does a wrong vgg16_layer_params hear "incorrect" without any count it got wrong?"""
    fn = NOTEBOOK.namespace(MISTAKES["vgg16_layer_params"][label])["vgg16_layer_params"]
    feedback = transfer.q1.evaluate(fn)
    assert feedback.outcome is Outcome.INCORRECT, feedback
    for shape, classes, top in transfer.VGG16_CASES:
        _, counts, _ = transfer.keras_vgg16_counts(shape, classes, top)
        mine = fn(shape, classes, include_top=top)
        for right, wrong in zip(counts, mine, strict=False):
            if right != wrong:
                assert f"{right:,}" not in feedback.message


# --- ground truth ---------------------------------------------------------------------------


def test_keras_counts_are_the_slides_numbers():
    """Does the checks' ground truth give VGG16's 138,357,544 and 14,714,688 weights?"""
    assert transfer.keras_vgg16_counts()[2] == 138_357_544
    names, counts, total = transfer.keras_vgg16_counts((224, 224, 3), 1000, False)
    assert total == 14_714_688 and len(counts) == 13 and names[0] == "block1_conv1"


def test_trainable_counts_follow_the_three_loops():
    """Do the three strategies leave all, only the head, and all but 3 convolutions trainable?"""
    counts = transfer.keras_trainable_counts((224, 224, 3), 10)
    head = 7 * 7 * 512 * 10 + 10
    assert counts["all"] == 14_714_688 + head
    assert counts["head"] == head
    assert counts["all"] - counts["first5"] == 1_792 + 36_928 + 73_856
    with pytest.raises(ValueError, match="strategy"):
        transfer.apply_strategy(transfer.slide_model((32, 32, 3), 2), "everything")


# --- the fine-tuning check, on models trained here ------------------------------------------


@pytest.fixture(scope="module")
def target():
    """Preprocessed target data: 10 images per class (seed 0) and 800 held-out ones."""
    from course import pretrained

    data = pretrained.target_data(n_per_class=10, seed=0)
    return (
        pretrained.preprocess_input(data["x_train"]),
        data["y_train"],
        pretrained.preprocess_input(data["x_test"]),
        data["y_test"],
    )


def test_an_untrained_head_fails(target):
    """Does the pretrained base with an untrained head (a model that learned nothing) fail?"""
    from course import pretrained
    from course.models import load_pretrained

    _, _, x_test, y_test = target
    base = load_pretrained()
    model = pretrained.add_classifier(base, transfer.NUM_CLASSES)
    with pytest.raises(AssertionError, match="accuracy"):
        transfer.assess_fine_tuned(model, base, load_pretrained(), x_test, y_test)


def test_frozen_top_block_and_moved_first_block_fail(target):
    """Do a model whose top block kept its pretrained weights, or whose block1 moved, fail?"""
    import keras

    from course import pretrained
    from course.models import load_pretrained

    x_train, y_train, x_test, y_test = target
    base = load_pretrained()
    base.trainable = False
    keras.utils.set_random_seed(0)
    model = pretrained.add_classifier(base, transfer.NUM_CLASSES)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=10, batch_size=16, verbose=0)
    untouched = load_pretrained()
    with pytest.raises(AssertionError, match="never fine-tuned"):
        transfer.assess_fine_tuned(model, base, untouched, x_test, y_test, threshold=0.0)
    kernel, bias = base.get_layer("block1_conv1").get_weights()
    base.get_layer("block1_conv1").set_weights([kernel + 0.01, bias])
    with pytest.raises(AssertionError, match="block1 changed"):
        transfer.assess_fine_tuned(model, base, untouched, x_test, y_test, threshold=0.0)


def test_model_on_another_base_or_with_wrong_outputs_fails(target):
    """Does a model that does not use the given base, or has the wrong outputs, fail?"""
    from course import pretrained
    from course.models import load_pretrained

    _, _, x_test, y_test = target
    base = load_pretrained()
    other = pretrained.add_classifier(load_pretrained(), transfer.NUM_CLASSES)
    with pytest.raises(AssertionError, match="does not use the pretrained"):
        transfer.assess_fine_tuned(other, base, load_pretrained(), x_test, y_test)
    wrong = pretrained.add_classifier(base, 3)
    with pytest.raises(AssertionError, match="output shape"):
        transfer.assess_fine_tuned(wrong, base, load_pretrained(), x_test, y_test)
    with pytest.raises(AssertionError, match="expected the trained keras.Model"):
        transfer.assess_fine_tuned(None, base, load_pretrained(), x_test, y_test)
