"""Notebook 03's grade cells, run directly on planted answers (no kernel, no nbgrader).

Every grade cell must pass on the solution, fail on the untouched stub, and each typical
mistake must fail its own question's grade cell and no other. The early-stopping grade cell
trains the student's function (a few seconds), so it runs only where it matters; its check is
also tested on its own: a model that learned nothing fails, and so does a run that early
stopping did not end before the budget.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from course import compilation_data
from course.checking import Outcome
from course.exercises import compilation
from course.grading.cells import grade_cells, read, solution_cells
from course.grading.direct import failing_grade_cells, setup_namespace
from course.grading.paths import NOTEBOOKS_DIR, SOLUTIONS_DIR
from course.mistakes.compilation import ASSIGNMENT as ASSIGNMENT_DIR
from course.mistakes.compilation import DEMO, MISTAKES

ASSIGNMENT = f"{ASSIGNMENT_DIR}/compilation.ipynb"
SOLUTION = read(SOLUTIONS_DIR / ASSIGNMENT)
STUDENT = read(NOTEBOOKS_DIR / ASSIGNMENT)
SOLUTIONS = solution_cells(SOLUTION)
GRADE_CELLS = grade_cells(SOLUTION)  # with the hidden tests
QUESTIONS = {
    q.name: q
    for q in (
        compilation.q1,
        compilation.q2,
        compilation.q3,
        compilation.q4,
        compilation.q5,
        compilation.q6,
        compilation.q7,
        compilation.q8,
        compilation.q9,
    )
}
#: Its grade cell trains a model (a few seconds): run only where it matters.
TRAINED = "fit_with_early_stopping"
CHEAP_CELLS = set(GRADE_CELLS) - {f"{TRAINED}_tests"}
#: Mistakes that the visible check cannot see: only the hidden tests catch them.
HIDDEN_ONLY = {
    ("losses_for", "task names only as written in the table"),
    ("diagnose", "ignores target (always 0.9)"),
}


def _failing_grade_cells(answers: dict[str, str], only=None) -> set[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # log(0) and 0 / 0 of the mistakes
        return set(failing_grade_cells(SOLUTION, answers, only=only))


def test_every_solution_cell_has_a_grade_cell_and_mistakes():
    """Does each exercise have its grade cell and at least three planted mistakes?"""
    assert {f"{grade_id}_tests" for grade_id in SOLUTIONS} == set(GRADE_CELLS)
    assert set(MISTAKES) == set(SOLUTIONS)
    for grade_id, mistakes in MISTAKES.items():
        assert len(mistakes) >= 3, grade_id
    assert sum(points for _, points in GRADE_CELLS.values()) == 16
    assert set(QUESTIONS) == set(SOLUTIONS)


def test_demo_mistakes_are_in_function_exercises():
    """Are the demo student's mistakes in exercises whose grading depends on nothing else?"""
    assert len(DEMO) >= 2
    for grade_id, label in DEMO:
        assert grade_id != TRAINED and label in MISTAKES[grade_id]
        assert (grade_id, label) not in HIDDEN_ONLY


def test_solution_passes_every_grade_cell():
    """Does the reference solution pass every grade cell, hidden tests included?"""
    assert _failing_grade_cells(SOLUTIONS) == set()


def test_untouched_stubs_fail_every_grade_cell():
    """Does every grade cell fail on nbgrader's `raise NotImplementedError()` stubs?"""
    stubs = solution_cells(STUDENT)
    assert all("raise NotImplementedError()" in source for source in stubs.values())
    assert _failing_grade_cells(stubs) == set(GRADE_CELLS)


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [(grade_id, label) for grade_id, mistakes in MISTAKES.items() for label in mistakes],
)
def test_each_mistake_loses_exactly_its_questions_points(grade_id, label):
    """Does a typical mistake fail its own grade cell and leave every other one passing?"""
    answers = {**SOLUTIONS, grade_id: MISTAKES[grade_id][label]}
    target = f"{grade_id}_tests"
    only = {target} if grade_id == TRAINED else CHEAP_CELLS
    assert _failing_grade_cells(answers, only=only) == {target}


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [
        (grade_id, label)
        for grade_id, mistakes in MISTAKES.items()
        for label in mistakes
        if grade_id != TRAINED  # the same check function as its grade cell, tested above
    ],
)
def test_visible_check_says_incorrect_without_the_answer(grade_id, label):
    """Does qN.check() call a mistake incorrect, without showing the solution?"""
    namespace = setup_namespace(SOLUTION)
    exec(MISTAKES[grade_id][label], namespace)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        feedback = QUESTIONS[grade_id].evaluate(namespace[grade_id])
    if (grade_id, label) in HIDDEN_ONLY:
        assert feedback.outcome is Outcome.CORRECT
        return
    assert feedback.outcome is Outcome.INCORRECT, feedback
    solution_lines = [line.strip() for line in QUESTIONS[grade_id].solution_code.splitlines()]
    assert not any(line in feedback.message for line in solution_lines if len(line) > 12)


def test_visible_checks_on_solution_and_stub():
    """Does qN.check() say correct for the solution and not attempted for the stub?"""
    solved = setup_namespace(SOLUTION)
    stubbed = setup_namespace(SOLUTION)
    for source in SOLUTIONS.values():
        exec(source, solved)
    for source in solution_cells(STUDENT).values():
        exec(source, stubbed)
    for name in QUESTIONS:
        assert QUESTIONS[name].evaluate(stubbed[name]).outcome is Outcome.NOT_ATTEMPTED, name
        if name != TRAINED:  # trains for seconds: its grade cell is run on the solution above
            assert QUESTIONS[name].evaluate(solved[name]).outcome is Outcome.CORRECT, name


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

    data = compilation_data.digits()
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
    train = compilation_data.batches(data["x_train"], data["y_train"], 256)
    val = compilation_data.batches(data["x_val"], data["y_val"], 512) if validation else None
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


def test_a_run_not_stopped_before_the_budget_fails():
    """Does a run that used its whole epoch budget fail the 'stopped before budget' check?"""
    run = _run(epochs=3, patience=10, learning_rate=0.1)
    with pytest.raises(AssertionError, match="never stopped"):
        compilation.check_early_stopping(run, budget=3, threshold=0.0)


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
