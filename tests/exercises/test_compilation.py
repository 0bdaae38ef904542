"""Notebook 03 (compilation): what its checks add to the common grade-cell tests
(tests/exercises/test_grade_cells.py).

The early-stopping grade cell trains the student's function (seconds); its check is tested
here on runs made here: a model that learned nothing fails, and so does a callback that can
never stop within the budget, a run without validation data, or one whose callback watched the
training loss; a well-set run that used its whole budget passes. The alternatives' recipes are
trained under the check's own seeds.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from course import datasets
from course.exercises import compilation


def test_losses_match_keras_on_a_one_hot_batch():
    """Do the checks' ground truths agree: categorical on one-hot == sparse on indices?"""
    import keras

    labels = np.array([2, 0, 1])
    probs = np.array([[0.1, 0.2, 0.7], [0.0, 0.5, 0.5], [0.3, 0.3, 0.4]], dtype="float32")
    one_hot = keras.utils.to_categorical(labels, 3)
    cce = float(keras.losses.CategoricalCrossentropy()(one_hot, probs))
    scce = float(keras.losses.SparseCategoricalCrossentropy()(labels, probs))
    expected = np.mean(-np.log(np.clip([0.7, 0.0, 0.3], 1e-7, 1 - 1e-7)))
    assert cce == pytest.approx(scce, rel=1e-5) and cce == pytest.approx(expected, rel=1e-5)


# --- early stopping's check, on runs made here -----------------------------------------------


def _run(epochs: int, patience: int, learning_rate: float, validation: bool = True, **stopping):
    """(model, history, early_stopping) of a 10-way softmax regression trained with SGD."""
    import keras

    x_train, y_train, x_val, y_val, _, _ = datasets.digits("train/val/test", channel=True)
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    early_stopping = keras.callbacks.EarlyStopping(
        patience=patience, restore_best_weights=True, **stopping
    )
    train = datasets.batches(x_train, y_train, 256)
    val = datasets.batches(x_val, y_val, 512) if validation else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = model.fit(
            train, validation_data=val, epochs=epochs, callbacks=[early_stopping], verbose=0
        )
    return model, history, early_stopping


def test_a_model_that_learned_nothing_fails():
    """Does a model trained with a zero learning rate fail, even though early stopping ended it?"""
    run = _run(epochs=100, patience=2, learning_rate=0.0)
    assert run[2].stopped_epoch > 0
    with pytest.raises(AssertionError, match="validation digits correctly"):
        compilation.check_early_stopping(run)


def test_a_callback_that_can_never_stop_fails():
    """Does a callback whose patience is as long as the fit fail, whatever the accuracy?"""
    run = _run(epochs=3, patience=3, learning_rate=0.1)
    with pytest.raises(AssertionError, match="can never stop"):
        compilation.check_early_stopping(run, budget=3, threshold=0.0)


def test_a_run_that_used_the_whole_budget_passes():
    """Is a well-set callback that did not need to stop (still improving) accepted?"""
    run = _run(epochs=3, patience=2, learning_rate=0.1)
    assert run[2].stopped_epoch == 0 and len(run[1].epoch) == 3
    compilation.check_early_stopping(run, budget=3, threshold=0.2)


def test_a_run_without_validation_data_fails():
    """Does a fit without validation_data fail (nothing to watch)?"""
    run = _run(epochs=2, patience=1, learning_rate=0.1, validation=False)
    with pytest.raises(AssertionError, match="validation_data"):
        compilation.check_early_stopping(run, budget=2, threshold=0.0)


def test_mismatched_or_badly_set_runs_fail():
    """Do a callback watching the training loss, or not the one of this fit, fail?"""
    import keras

    model, history, _ = _run(epochs=2, patience=1, learning_rate=0.1)
    watching_loss = keras.callbacks.EarlyStopping(monitor="loss", restore_best_weights=True)
    with pytest.raises(AssertionError, match="training quantity"):
        compilation.check_early_stopping((model, history, watching_loss), budget=2)
    unused = keras.callbacks.EarlyStopping(restore_best_weights=True)
    with pytest.raises(AssertionError, match="do not both come"):
        compilation.check_early_stopping((model, history, unused), budget=2)
    with pytest.raises(AssertionError, match="expected a tuple"):
        compilation.check_early_stopping(model)


def test_the_same_function_trains_once():
    """Do the visible check and the grade cell share one training run of the same function?"""
    calls = []

    def fake(train, val, max_epochs):
        calls.append(max_epochs)
        return None

    assert compilation.train_early_stopping(fake) is None
    compilation.train_early_stopping(fake)
    assert calls == [compilation.MAX_EPOCHS]
    compilation.train_early_stopping(lambda train, val, max_epochs: calls.append(0))
    assert calls == [compilation.MAX_EPOCHS, 0]


def test_the_check_fixes_its_own_seeds():
    """Does the function under check see the same random state whatever ran before it?"""
    import keras

    def draw(train, val, max_epochs):
        return float(np.random.rand()), float(keras.random.uniform(()))

    seen = []
    for noise in (1, 2):
        keras.utils.set_random_seed(noise)
        np.random.rand(noise)
        seen.append(compilation.train_early_stopping(lambda t, v, m: draw(t, v, m)))
    assert seen[0] == seen[1]
