"""Notebook 03's training checks: ``diagnose`` against recorded histories
(``course.datasets.histories``), and a model trained with early stopping on the digits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from course.checking import ensure_attempted, space
from course.checking.asserts import call as _call
from course.checking.asserts import describe as _describe
from course.checking.crashes import student_check
from course.datasets import histories
from course.exercises.compilation.losses import _to_numpy

DIAGNOSES: tuple[str, ...] = ("underfitting", "overfitting", "good fit")

DIAGNOSE_CASES: tuple[str, ...] = histories.VISIBLE
"""Names of recorded histories in course.datasets.histories.HISTORIES."""


@student_check
def check_diagnose(fn: Callable, cases: Iterable[str] = DIAGNOSE_CASES) -> None:
    """Compare ``fn(history, target=...)`` with the label of each recorded history."""
    for name in cases:
        record = histories.HISTORIES[name]
        history = {key: list(values) for key, values in record["history"].items()}
        epochs = len(history["loss"])
        call = f"diagnose(history {name!r} ({epochs} epochs), target={record['target']})"
        got = _call(fn, "diagnose", history, target=record["target"])
        assert got in DIAGNOSES, (
            f"{call} returned {_describe(got)}; expected one of {list(DIAGNOSES)}."
        )
        assert got == record["label"], (
            f"{call} returned {got!r}, which is not the diagnosis of that run "
            f"({record['description']}). Plot it: viz.plot_history("
            f"histories.HISTORIES[{name!r}]['history'])."
        )


MAX_EPOCHS = 100
"""The epoch budget of the early-stopping exercise: fit(..., epochs=MAX_EPOCHS)."""

VAL_ACCURACY = 0.95
"""The validation accuracy the early-stopped model must reach (digits' validation split)."""

TEST_ACCURACY = 0.93
"""The test accuracy the hidden tests ask of the early-stopped model (digits' test split)."""

_LAST_RUN: dict[str, Any] = {}


def digits_accuracy(model: Any, split: str = "val") -> float:
    """Accuracy of ``model`` on the digits' "val" or "test" split: (N, 8, 8, 1) -> (N, 10)."""
    from course import datasets

    _, _, x_val, y_val, x_test, y_test = datasets.digits("train/val/test", channel=True)
    x, y = {"val": (x_val, y_val), "test": (x_test, y_test)}[split]
    scores = _to_numpy(model.predict(x, verbose=0, batch_size=512))
    assert isinstance(scores, np.ndarray) and scores.shape == (len(y), 10), (
        f"the model maps {len(y)} digit images of shape (8, 8, 1) to {_describe(scores)}; "
        f"expected one score per digit, shape ({len(y)}, 10)."
    )
    return float(np.mean(scores.argmax(axis=1) == y))


def train_early_stopping(fn: Callable, seed: int = 0) -> Any:
    """Call ``fn(train, val, MAX_EPOCHS)`` on the digits (batches of 32, reshuffled with
    ``seed``) and return what it returns. The last run is kept: checking the same function
    again (the visible check, then the grade cell) does not train it again."""
    from course import datasets

    name = "fit_with_early_stopping"
    ensure_attempted(fn, name)
    assert callable(fn), f"`{name}` should be a function; it is {_describe(fn)}."
    key = (fn, seed)
    if _LAST_RUN.get("key") != key:
        _LAST_RUN.clear()
        space.seed(fn, seed)  # the verdict must not depend on what ran before
        x_train, y_train, x_val, y_val, _, _ = datasets.digits("train/val/test", channel=True)
        # The batches are tf.data pipelines: built where the answer trains (in grading, the
        # student's kernel); the accuracy is measured here, on the judge's own digits.
        batches = space.module_for(fn, "course.datasets").batches
        train = batches(x_train, y_train, 32, shuffle=True, seed=seed)
        val = batches(x_val, y_val, 256)
        _LAST_RUN.update(key=key, run=fn(train, val, MAX_EPOCHS))
    return _LAST_RUN["run"]


@student_check
def check_early_stopping(
    run: Any, budget: int = MAX_EPOCHS, threshold: float = VAL_ACCURACY, split: str = "val"
) -> None:
    """Check a (model, history, early_stopping) run: the callback watched validation data,
    restored the best weights and could stop within the budget (patience < epochs), ``fit`` was
    given ``budget`` epochs with that callback, and the model reaches ``threshold`` accuracy on
    the digits' ``split``. Whether the validation quantity stopped improving before the budget
    depends on the recipe and the seed, not on the code: a run that used the whole budget is
    not failed for it (measured: dense 64 with Adam 1e-3 ran all 100 epochs for 1 seed of 10)."""
    import keras

    call = "fit_with_early_stopping(train, val, max_epochs)"
    assert isinstance(run, tuple | list) and len(run) == 3, (
        f"{call} returned {_describe(run)}; expected a tuple (model, history, early_stopping)."
    )
    model, history, early_stopping = run
    for value, kind, what in [
        (model, keras.Model, "model: a keras.Model"),
        (history, keras.callbacks.History, "history: what model.fit returns"),
        (early_stopping, keras.callbacks.EarlyStopping, "early_stopping: the callback"),
    ]:
        assert isinstance(value, kind), (
            f"{call} returned {_describe(value)} as {what.split(':')[0]}; expected {what}."
        )
    assert early_stopping.monitor.startswith("val_"), (
        f"early_stopping monitors {early_stopping.monitor!r}, a training quantity; it should "
        "watch the validation data (a name starting with 'val_')."
    )
    assert early_stopping.restore_best_weights, (
        "early_stopping has restore_best_weights=False: the model keeps the weights of the "
        "last epoch, not of the best one."
    )
    assert early_stopping.model is model and history.model is model, (
        "the returned history and early_stopping do not both come from the returned model's "
        "fit: pass callbacks=[early_stopping] to model.fit and return what it returns."
    )
    assert any(key.startswith("val_") for key in history.history), (
        f"the fit recorded {sorted(history.history)}: no validation values. Pass "
        "validation_data=val to fit."
    )
    planned = history.params.get("epochs")
    assert planned is not None and planned >= budget, (
        f"the fit was given epochs={planned}; give it the whole budget, epochs=max_epochs "
        f"({budget}), and let early stopping end it."
    )
    ran = len(history.epoch)
    assert early_stopping.patience < planned, (
        f"early_stopping has patience={early_stopping.patience} for a fit of {planned} epochs: "
        "it can never stop the training. Give it a patience of a few epochs."
    )
    assert ran == planned or early_stopping.stopped_epoch == history.epoch[-1], (
        f"the returned fit ran {ran} of its {planned} epochs and ended at epoch "
        f"{history.epoch[-1]}, but early stopping stopped at epoch "
        f"{early_stopping.stopped_epoch}."
    )
    accuracy = digits_accuracy(model, split)
    name = {"val": "validation", "test": "test"}[split]
    assert accuracy >= threshold, (
        f"the early-stopped model classifies {accuracy:.1%} of the {name} digits correctly "
        f"(after {ran} epochs); it should reach {threshold:.0%}."
    )


@student_check
def check_fit_with_early_stopping(
    fn: Callable, budget: int = MAX_EPOCHS, threshold: float = VAL_ACCURACY, split: str = "val"
) -> None:
    """Train ``fn`` once (see train_early_stopping), then check_early_stopping on its run."""
    check_early_stopping(train_early_stopping(fn), budget, threshold, split)
