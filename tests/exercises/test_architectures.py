"""Notebook 05's grade cells, run directly on planted answers (no kernel, no nbgrader).

Every grade cell must pass on the solution, fail on the untouched stub, and each
typical mistake must fail its own question's grade cell and no other.
"""

from __future__ import annotations

import pytest

from course import architectures, formulas
from course.checking import Outcome
from course.exercises import architectures as checks
from course.grading.cells import grade_cells, read, solution_cells
from course.grading.direct import failing_grade_cells, setup_namespace
from course.grading.paths import NOTEBOOKS_DIR, SOLUTIONS_DIR
from course.mistakes.architectures import ASSIGNMENT as ASSIGNMENT_DIR
from course.mistakes.architectures import DEMO, MISTAKES

ASSIGNMENT = f"{ASSIGNMENT_DIR}/architectures.ipynb"
SOLUTION = read(SOLUTIONS_DIR / ASSIGNMENT)
STUDENT = read(NOTEBOOKS_DIR / ASSIGNMENT)
SOLUTIONS = solution_cells(SOLUTION)
GRADE_CELLS = grade_cells(SOLUTION)  # with the hidden tests
QUESTIONS = {q.name: q for q in (checks.q1, checks.q2, checks.q3, checks.q4, checks.q5, checks.q6)}
SLOW = {"residual_block_tests"}  # builds a dozen small models: run only where it matters


def _failing_grade_cells(answers: dict[str, str], only=None) -> set[str]:
    return set(failing_grade_cells(SOLUTION, answers, only=only))


def test_every_solution_cell_has_a_grade_cell_and_mistakes():
    """Does each exercise have its grade cell, its question and at least three planted mistakes?"""
    assert {f"{grade_id}_tests" for grade_id in SOLUTIONS} == set(GRADE_CELLS)
    assert set(MISTAKES) == set(SOLUTIONS) == set(QUESTIONS)
    for grade_id, mistakes in MISTAKES.items():
        assert len(mistakes) >= 3, grade_id
    assert sum(points for _, points in GRADE_CELLS.values()) == 10
    assert all(label in MISTAKES[grade_id] for grade_id, label in DEMO)


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
    only = None if target in SLOW else set(GRADE_CELLS) - SLOW
    assert _failing_grade_cells(answers, only=only) == {target}


def _right_answers(grade_id: str) -> list[str]:
    """The right answer to the first visible case, as it could appear in a message."""
    if grade_id == "inception_output_shape":
        (shape, filters) = checks.INCEPTION_SHAPE_CASES[0]
        return [str(checks.keras_inception(shape, filters)[0][2])]
    if grade_id == "inception_params":
        depth, filters = checks.INCEPTION_PARAMS_CASES[0]
        count = checks.keras_inception((8, 8, depth), filters)[1]
        return [f"{count:,}", str(count)]
    if grade_id == "separable_conv_params":
        count = checks.keras_separable_params(*checks.SEPARABLE_PARAMS_CASES[0])
        return [f"{count:,}", str(count)]
    if grade_id == "separable_cost_ratio":
        kernel, depth, filters = checks.COST_RATIO_CASES[0]
        ratio = (kernel**2 * depth + depth * filters) / (kernel**2 * depth * filters)
        return [f"{ratio:.6g}", f"{ratio:.3f}"]
    if grade_id == "compound_scaling":
        return [f"{value:.6g}" for value in architectures.compound_multipliers(3)]
    return []


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [(grade_id, label) for grade_id, mistakes in MISTAKES.items() for label in mistakes],
)
def test_visible_check_says_incorrect_without_the_answer(grade_id, label):
    """Does qN.check() call a mistake incorrect without giving the answer away?"""
    namespace = setup_namespace(SOLUTION)
    exec(MISTAKES[grade_id][label], namespace)
    feedback = QUESTIONS[grade_id].evaluate(namespace[grade_id])
    assert feedback.outcome is Outcome.INCORRECT, feedback
    for answer in _right_answers(grade_id):
        assert answer not in feedback.message, (answer, feedback.message)


def test_visible_checks_on_solution_and_stub():
    """Does qN.check() say correct for the solution and not attempted for the stub?"""
    solved = setup_namespace(SOLUTION)
    stubbed = setup_namespace(SOLUTION)
    for source in SOLUTIONS.values():
        exec(source, solved)
    for source in solution_cells(STUDENT).values():
        exec(source, stubbed)
    for name, question in QUESTIONS.items():
        assert question.evaluate(solved[name]).outcome is Outcome.CORRECT, name
        assert question.evaluate(stubbed[name]).outcome is Outcome.NOT_ATTEMPTED, name


def test_residual_check_accepts_a_right_block_written_differently():
    """Is a right block accepted whatever its style (shortcut first, ops.add, Activation)?"""
    namespace = setup_namespace(SOLUTION)
    exec(
        """
def residual_block(x, filters, stride=1):
    if stride == 1 and x.shape[-1] == filters:
        shortcut = x
    else:
        shortcut = layers.BatchNormalization()(
            layers.Conv2D(filters, kernel_size=(1, 1), strides=(stride, stride), use_bias=False)(x)
        )
    y = layers.Conv2D(filters, (3, 3), strides=stride, padding="same", use_bias=False)(x)
    y = layers.Activation("relu")(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same", use_bias=False)(y))
    return keras.ops.relu(keras.ops.add(shortcut, y))
""",
        namespace,
    )
    checks.check_residual_block(namespace["residual_block"])


def test_residual_check_rejects_a_block_without_shortcut():
    """Does a plain block (no shortcut at all, same weights) fail the residual check?"""
    namespace = setup_namespace(SOLUTION)
    exec(
        """
def residual_block(x, filters, stride=1):
    y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    y = layers.ReLU()(layers.BatchNormalization()(y))
    y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same", use_bias=False)(y))
    if stride != 1 or x.shape[-1] != filters:
        layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x))
    return layers.ReLU()(y)
""",
        namespace,
    )
    with pytest.raises(AssertionError, match="shortcut"):
        checks.check_residual_block(namespace["residual_block"], cases=[((8, 8, 16), 16, 1)])


def test_inception_checks_agree_with_the_formulas():
    """Do the Keras ground truths of the Inception checks equal the closed-form counts?"""
    shape, count = checks.keras_inception((28, 28, 192), architectures.INCEPTION_3A)
    f1, f3r, f3, f5r, f5, fp = architectures.INCEPTION_3A
    assert shape == (28, 28, f1 + f3 + f5 + fp) == (28, 28, 256)
    assert (
        count
        == 163_696
        == sum(
            formulas.conv_params(k, d, f)
            for k, d, f in [(1, 192, f1), (1, 192, f3r), (3, f3r, f3), (1, 192, f5r), (5, f5r, f5)]
            + [(1, 192, fp)]
        )
    )
