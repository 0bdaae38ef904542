"""Every notebook's grade cells, run directly on planted answers (no kernel, no nbgrader).

For each assignment: the solution passes every grade cell (hidden tests included), the
untouched stubs fail every one as not implemented, each typical mistake of
``course.mistakes`` fails its own question's grade cell and no other, and ``qN.check()``
says correct, not attempted or incorrect accordingly, without showing the solution. What is
particular to one notebook is in ``tests/exercises/test_<notebook>.py``.
"""

from __future__ import annotations

import ast
import functools
import gc
import importlib
import inspect
import textwrap
import warnings
from dataclasses import dataclass

import pytest

from course.alternatives import ALTERNATIVES
from course.cells import grade_cells, read
from course.checking import Outcome, Question
from course.grading.direct import DirectGrading
from course.judge.grade_cells import split_hidden
from course.mistakes import DEMO, MISTAKES
from course.paths import SOLUTIONS_DIR, assignments, notebook_names


@dataclass(frozen=True)
class Settings:
    """How one notebook's grade cells are run here.

    slow: questions whose grade cell takes seconds (trains or builds large models): it runs
    only for that question's own mistakes. trains: questions whose visible check trains a
    model: it is the grade cell's check function, so it is not run again per mistake.
    stateful: questions graded on a model the notebook trains: their grade cells need the
    notebook's state and are tested through their check functions (test_<notebook>.py).
    hidden_only: (question, mistake) pairs that only the hidden tests catch.
    judged: the grade cells run as ``course grade`` runs them, in a judge that reaches the
    answers only through probes answered as data (course.judge), not beside them.
    """

    exercises: str
    points: int
    slow: frozenset[str] = frozenset()
    trains: frozenset[str] = frozenset()
    stateful: frozenset[str] = frozenset()
    hidden_only: frozenset[tuple[str, str]] = frozenset()
    judged: bool = True


SETTINGS = {
    "01-tasks": Settings(
        "tasks",
        14,
        stateful=frozenset({"build_classifier", "build_localizer", "build_unet", "sample_digits"}),
    ),
    "02-cnn-layers": Settings(
        "cnn_layers",
        11,
        slow=frozenset({"build_vgg16"}),
        hidden_only=frozenset(
            {
                ("build_vgg16", "ignores include_top"),
                ("build_vgg16", "pooling with padding 'same'"),
            }
        ),
    ),
    "03-compilation": Settings(
        "compilation",
        16,
        slow=frozenset({"fit_with_early_stopping"}),
        trains=frozenset({"fit_with_early_stopping"}),
        hidden_only=frozenset(
            {
                ("losses_for", "task names only as written in the table"),
                ("losses_for", "keeps the spaces around the name"),
                ("diagnose", "ignores target (always 0.9)"),
            }
        ),
    ),
    "04-transfer": Settings(
        "transfer",
        9,
        slow=frozenset({"add_classifier", "fine_tune"}),
        trains=frozenset({"fine_tune"}),
        hidden_only=frozenset(
            {
                ("vgg16_layer_params", "pooling rounds up (ceil), not down"),
                ("trainable_params", "the head on 7x7 maps whatever the input size"),
            }
        ),
    ),
    "05-architectures": Settings("architectures", 10, slow=frozenset({"residual_block"})),
    "06-detection-and-generation": Settings(
        "detection_generation",
        12,
        stateful=frozenset({"build_detector", "build_generator"}),
        hidden_only=frozenset(
            {
                ("encode_targets", "a later object keeps the earlier one's class"),
            }
        ),
    ),
}


@functools.cache
def grading(assignment: str) -> DirectGrading:
    return DirectGrading(assignment)


def questions(assignment: str) -> dict[str, Question]:
    """name -> Question of the notebook's exercises module (its q1, q2, ...)."""
    module = importlib.import_module(f"course.exercises.{SETTINGS[assignment].exercises}")
    found = (value for value in vars(module).values() if isinstance(value, Question))
    return {question.name: question for question in found}


def _failing(assignment: str, answers=None, only=None) -> dict[str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # log(0) and 0 / 0 of some mistakes
        try:
            return grading(assignment).failing(
                answers, only=only, judged=SETTINGS[assignment].judged
            )
        finally:
            gc.collect()  # the models a check built (VGG16: 0.5 GB each) go now, not later


def _cheap_cells(assignment: str) -> set[str]:
    """The grade cells run for every answer: neither slow nor graded on notebook state."""
    settings = SETTINGS[assignment]
    skipped = {f"{g}_tests" for g in settings.slow | settings.stateful}
    return set(grading(assignment).grade_cells) - skipped


def _planted(bank, keep) -> list[tuple[str, str, str]]:
    return [
        (assignment, grade_id, label)
        for assignment, by_question in bank.items()
        for grade_id, labels in by_question.items()
        if keep(SETTINGS[assignment], grade_id)
        for label in labels
    ]


def _mistakes(keep) -> list[tuple[str, str, str]]:
    return _planted(MISTAKES, keep)


def _alternatives(keep) -> list[tuple[str, str, str]]:
    return _planted(ALTERNATIVES, keep)


def test_every_assignment_has_settings():
    """Is every notebook of solutions/ (and every mistakes module) covered here?"""
    assert set(SETTINGS) == set(assignments()) == set(MISTAKES) == set(ALTERNATIVES)


@pytest.mark.parametrize("assignment", sorted(SETTINGS))
def test_every_exercise_has_a_grade_cell_a_question_and_mistakes(assignment):
    """Does each exercise have its grade cell, its qN, at least three planted mistakes and three
    independent correct answers, and
    are the demo student's mistakes planted ones graded without notebook state?"""
    nb, settings = grading(assignment), SETTINGS[assignment]
    assert {f"{grade_id}_tests" for grade_id in nb.answers} == set(nb.grade_cells)
    assert set(MISTAKES[assignment]) == set(nb.answers) == set(questions(assignment))
    assert all(len(labels) >= 3 for labels in MISTAKES[assignment].values())
    assert set(ALTERNATIVES[assignment]) == set(nb.answers)
    assert all(len(labels) >= 3 for labels in ALTERNATIVES[assignment].values())
    assert sum(points for _, points in nb.grade_cells.values()) == settings.points
    assert DEMO[assignment]
    for grade_id, label in DEMO[assignment]:
        assert label in MISTAKES[assignment][grade_id] and grade_id not in settings.stateful


@pytest.mark.parametrize("assignment", sorted(SETTINGS))
def test_solution_passes_every_grade_cell(assignment):
    """Does the reference solution pass every grade cell, hidden tests included (those graded
    on the notebook's trained models aside)?"""
    stateful = {f"{g}_tests" for g in SETTINGS[assignment].stateful}
    assert _failing(assignment, only=set(grading(assignment).grade_cells) - stateful) == {}


@pytest.mark.parametrize("assignment", sorted(SETTINGS))
def test_untouched_stubs_fail_every_grade_cell_as_not_implemented(assignment):
    """Does every grade cell fail on nbgrader's `raise NotImplementedError()` stubs, as not
    implemented?"""
    nb = grading(assignment)
    assert all("raise NotImplementedError()" in source for source in nb.stubs.values())
    failing = _failing(assignment, nb.stubs)
    assert set(failing) == set(nb.grade_cells)
    assert all(error.startswith("NotImplementedError") for error in failing.values()), failing


@pytest.mark.parametrize(
    ("assignment", "grade_id", "label"),
    _mistakes(lambda settings, grade_id: grade_id not in settings.stateful),
)
def test_each_mistake_loses_exactly_its_questions_points(assignment, grade_id, label):
    """Does a typical mistake fail its own grade cell and leave every other one passing?"""
    target = f"{grade_id}_tests"
    answers = grading(assignment).with_answer(grade_id, MISTAKES[assignment][grade_id][label])
    assert set(_failing(assignment, answers, only=_cheap_cells(assignment) | {target})) == {target}


@pytest.mark.parametrize(
    ("assignment", "grade_id", "label"),
    _alternatives(lambda settings, grade_id: grade_id not in settings.stateful),
)
def test_each_alternative_gets_full_marks(assignment, grade_id, label):
    """Does an independent correct answer pass its own grade cell (hidden tests included) and
    leave every other one passing?"""
    target = f"{grade_id}_tests"
    answers = grading(assignment).with_answer(grade_id, ALTERNATIVES[assignment][grade_id][label])
    assert _failing(assignment, answers, only=_cheap_cells(assignment) | {target}) == {}


@pytest.mark.parametrize(
    ("assignment", "grade_id", "label"),
    _alternatives(lambda settings, grade_id: grade_id not in settings.trains),
)
def test_visible_check_says_correct_for_each_alternative(assignment, grade_id, label):
    """Does qN.check() call an independent correct answer correct?"""
    namespace = grading(assignment).namespace(ALTERNATIVES[assignment][grade_id][label])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        feedback = questions(assignment)[grade_id].evaluate(namespace[grade_id])
    assert feedback.outcome is Outcome.CORRECT, feedback


@pytest.mark.parametrize(
    ("assignment", "grade_id", "label"),
    _mistakes(lambda settings, grade_id: grade_id not in settings.trains),
)
def test_visible_check_says_incorrect_without_the_solution(assignment, grade_id, label):
    """Does qN.check() call a mistake incorrect (models: before any training), without
    showing the solution? Mistakes that only hidden tests catch are called correct."""
    namespace = grading(assignment).namespace(MISTAKES[assignment][grade_id][label])
    question = questions(assignment)[grade_id]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        feedback = question.evaluate(namespace[grade_id])
    if (grade_id, label) in SETTINGS[assignment].hidden_only:
        assert feedback.outcome is Outcome.CORRECT
        return
    assert feedback.outcome is Outcome.INCORRECT, feedback
    solution_lines = [line.strip() for line in question.solution_code.splitlines()]
    assert not any(line in feedback.message for line in solution_lines if len(line) > 12)


@pytest.mark.parametrize("assignment", sorted(SETTINGS))
def test_visible_checks_on_solution_and_stub(assignment):
    """Does qN.check() say correct for the solution and not attempted for the stub? (Checks
    that train a model run on the solution in the grade-cell test above.)"""
    nb = grading(assignment)
    solved = nb.namespace(*nb.answers.values())
    stubbed = nb.namespace(*nb.stubs.values())
    for name, question in questions(assignment).items():
        assert question.evaluate(stubbed[name]).outcome is Outcome.NOT_ATTEMPTED, name
        if name not in SETTINGS[assignment].trains:
            assert question.evaluate(solved[name]).outcome is Outcome.CORRECT, name


@pytest.mark.parametrize("assignment", sorted(SETTINGS))
def test_every_check_function_turns_a_crash_into_incorrect(assignment):
    """Is every check_* function of the notebook (its exercises module, or the modules of its
    exercises package) wrapped by student_check, so a crash in the student's code fails the
    grade cell as an assertion with the student's line?"""
    module = importlib.import_module(f"course.exercises.{SETTINGS[assignment].exercises}")
    unwrapped = [
        name
        for name, value in vars(module).items()
        if name.startswith("check_") and callable(value)
        and getattr(value, "__module__", "").startswith(module.__name__)
        and not hasattr(value, "__wrapped_check__")
    ]
    assert unwrapped == [], f"wrap these with @student_check: {unwrapped}"


@pytest.mark.parametrize("assignment", sorted(SETTINGS))
def test_a_crashing_answer_is_incorrect_in_check_and_grade_cell(assignment):
    """Does an answer that raises ZeroDivisionError read as incorrect in qN.check() (with the
    exception named) and fail its grade cell as an AssertionError, not a raw crash?"""
    nb, settings = grading(assignment), SETTINGS[assignment]
    for name, question in questions(assignment).items():
        crashing = f"def {name}(*args, **kwargs):\n    return 1 / 0\n"
        feedback = question.evaluate(nb.namespace(crashing)[name])
        assert feedback.outcome is Outcome.INCORRECT, (name, feedback)
        assert "ZeroDivisionError" in feedback.message, (name, feedback)
        if name in settings.stateful | settings.slow:
            continue
        failing = _failing(assignment, nb.with_answer(name, crashing), only={f"{name}_tests"})
        assert failing[f"{name}_tests"].startswith("AssertionError: Your answer crashed"), failing


def _returns_a_value(check) -> bool:
    """Whether a check function's own body (not a nested function's) returns something."""
    source = textwrap.dedent(inspect.getsource(getattr(check, "__wrapped_check__", check)))
    body = ast.parse(source).body[0].body
    found, todo = False, list(body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(node, ast.Return) and node.value is not None:
            found = found or not (isinstance(node.value, ast.Constant) and node.value.value is None)
        todo.extend(ast.iter_child_nodes(node))
    return found


@pytest.mark.parametrize("assignment", sorted(SETTINGS))
def test_no_grade_cell_ends_in_a_value_nbgrader_reads_as_partial_credit(assignment):
    """Does every grade cell, as released (visible tests) and as graded (hidden tests too), end
    in something other than a call to a check that returns a value? nbgrader reads a number
    shown under a grade cell as its partial score: a passing cell ending in
    ``check_detector_map(...)`` (which returns the mAP) was "Partial credit" in validate."""
    module = importlib.import_module(f"course.exercises.{SETTINGS[assignment].exercises}")
    for name in notebook_names(assignment):
        notebook = read(SOLUTIONS_DIR / assignment / f"{name}.ipynb")
        for grade_id, (source, _) in grade_cells(notebook, raw=True).items():
            visible, hidden = split_hidden(source)
            for code in (visible, f"{visible}\n{hidden}"):
                last = ast.parse(code).body[-1]
                if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
                    continue
                called = last.value.func
                check = getattr(module, called.id, None) if isinstance(called, ast.Name) else None
                assert check is None or not _returns_a_value(check), (
                    f"{grade_id} ends in {ast.unparse(last)[:60]}..., whose value nbgrader reads "
                    "as a partial score: assign it (_ = ...)."
                )
