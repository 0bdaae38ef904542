"""Notebook 04's grade cells, run directly on planted answers (no kernel, no nbgrader).

Every grade cell must pass on the solution, fail on the untouched stub, and each typical
mistake must fail its own question's grade cell and no other. The fine-tuning grade cell trains
the student's function (seconds), so it runs only where it matters; its check is also tested
on models trained here: a model that learned nothing, one on a random base, one whose first
block moved, one whose top block never changed.
"""

from __future__ import annotations

import pytest

from course.checking import Outcome
from course.exercises import transfer
from course.grading.cells import grade_cells, read, solution_cells
from course.grading.direct import failing_grade_cells, setup_namespace
from course.grading.paths import NOTEBOOKS_DIR, SOLUTIONS_DIR
from course.mistakes.transfer import ASSIGNMENT as ASSIGNMENT_DIR
from course.mistakes.transfer import DEMO, MISTAKES

ASSIGNMENT = f"{ASSIGNMENT_DIR}/transfer.ipynb"
SOLUTION = read(SOLUTIONS_DIR / ASSIGNMENT)
STUDENT = read(NOTEBOOKS_DIR / ASSIGNMENT)
SOLUTIONS = solution_cells(SOLUTION)
GRADE_CELLS = grade_cells(SOLUTION)  # with the hidden tests
QUESTIONS = {q.name: q for q in (transfer.q1, transfer.q2, transfer.q3, transfer.q4)}
#: Its grade cell fine-tunes the student's function (seconds): run only where it matters.
TRAINED = "fine_tune"
CHEAP_CELLS = set(GRADE_CELLS) - {f"{TRAINED}_tests"}


def _failing_grade_cells(answers: dict[str, str], only=None) -> set[str]:
    return set(failing_grade_cells(SOLUTION, answers, only=only))


def test_every_solution_cell_has_a_grade_cell_and_mistakes():
    """Does each exercise have its grade cell, a question and at least three planted mistakes?"""
    assert {f"{grade_id}_tests" for grade_id in SOLUTIONS} == set(GRADE_CELLS)
    assert set(MISTAKES) == set(SOLUTIONS) == set(QUESTIONS)
    for grade_id, mistakes in MISTAKES.items():
        assert len(mistakes) >= 3, grade_id
    assert sum(points for _, points in GRADE_CELLS.values()) == 9


def test_demo_mistakes_are_planted_mistakes():
    """Is every mistake the demo student submits one of the planted ones?"""
    assert len(DEMO) >= 2
    for grade_id, label in DEMO:
        assert label in MISTAKES[grade_id]


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
    feedback = QUESTIONS[grade_id].evaluate(namespace[grade_id])
    assert feedback.outcome is Outcome.INCORRECT, feedback
    solution_lines = [line.strip() for line in QUESTIONS[grade_id].solution_code.splitlines()]
    assert not any(line in feedback.message for line in solution_lines if len(line) > 12)
    if grade_id == "vgg16_layer_params":  # no right count that the student got wrong
        fn = namespace[grade_id]
        for shape, classes, top in transfer.VGG16_CASES:
            mine = fn(shape, classes, include_top=top)
            _, counts, _ = transfer.keras_vgg16_counts(shape, classes, top)
            for right, wrong in zip(counts, mine, strict=False):
                if right != wrong:
                    assert f"{right:,}" not in feedback.message


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
