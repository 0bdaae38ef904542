"""course.judge.submission on a tiny synthetic notebook (no TensorFlow): real kernels."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.judge.bubblewrap import bwrap_path
from course.judge.grade_cells import HIDDEN_FAILED
from course.judge.limits import Limits
from course.judge.submission import GradingTask, _Sandbox, judge_notebook


def _meta(grade_id, **kwargs):
    base = {"grade": False, "locked": False, "solution": False, "schema_version": 3}
    return {"nbgrader": {**base, "grade_id": grade_id, **kwargs}}


def _notebook(answer: str, test_source: str | None = None):
    """setup, an answer cell, its test cell (the student's copy of it: ``test_source``)."""
    cells = [
        new_code_cell("import math", metadata=_meta("setup", locked=True)),
        new_code_cell(answer, metadata=_meta("double", solution=True)),
        new_code_cell(
            test_source
            or "assert double(2) == 4\n### BEGIN HIDDEN TESTS\nassert double(-3) == -6\n"
            "### END HIDDEN TESTS",
            metadata=_meta("double_tests", grade=True, locked=True, points=2),
        ),
        new_code_cell("print('after', double(1))"),
    ]
    return new_notebook(cells=cells)


SOLUTION = _notebook("def double(x):\n    return 2 * x")
ISOLATIONS = ["none"] + (["bubblewrap"] if bwrap_path() else [])


def _judge(answer: str, isolation="none", test_source=None, timeout=5):
    task = GradingTask("ann", {}, Limits(cell_timeout=timeout), isolation)
    home = Path(tempfile.mkdtemp())
    sandbox = _Sandbox(task, home, ["math"])
    try:
        return judge_notebook(
            _notebook(answer, test_source), SOLUTION, sandbox, "99-tiny", time.monotonic() + 300
        )
    finally:
        sandbox.close()
        shutil.rmtree(home)


def _test_outputs(nb):
    return nb.cells[2].outputs


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_a_right_answer_passes_and_its_cells_ran(isolation):
    nb, problems = _judge("def double(x):\n    return x * 2", isolation)
    assert problems == [] and _test_outputs(nb) == []
    assert nb.cells[3].outputs[0]["text"] == "after 2\n"


def test_the_students_copy_of_a_test_cell_is_never_run():
    """Is the instructor's test run whatever the student wrote in the test cell?"""
    nb, _ = _judge("def double(x):\n    return x + 2", test_source="print('all passed')")
    assert _test_outputs(nb)[0]["ename"] == "AssertionError"
    assert "all passed" not in str(nb.cells[2])


def test_a_hidden_failure_hides_its_case():
    nb, _ = _judge("def double(x):\n    return abs(2 * x)")
    assert _test_outputs(nb)[0]["evalue"] == HIDDEN_FAILED


def test_patching_the_kernel_changes_nothing():
    """Do AST transformers, tracers and builtins patched in the kernel leave the grade alone?"""
    attack = (
        "import builtins, sys\n"
        "get_ipython().ast_transformers.clear()\n"
        "sys.settrace(lambda *a: None)\n"
        "builtins.AssertionError = type('Nope', (Exception,), {})\n"
        "def double(x):\n    return 0\n"
    )
    nb, _ = _judge(attack)
    assert _test_outputs(nb)[0]["ename"] == "AssertionError"


def test_a_cell_that_kills_the_kernel_is_skipped_and_grading_goes_on():
    nb, problems = _judge("def double(x):\n    return 2 * x\nimport os\nos._exit(1)")
    assert nb.cells[1].outputs[-1]["ename"] == "DeadKernelError"
    assert _test_outputs(nb)[0]["ename"] == "NameError"  # double never got defined
    assert nb.cells[3].outputs[-1]["ename"] == "NameError"
    assert any("kernel died" in p for p in problems)


def test_an_endless_cell_times_out_and_the_rest_is_graded():
    nb, _ = _judge("while True:\n    pass", timeout=3)
    assert nb.cells[1].outputs[-1]["ename"] == "CellTimeoutError"
    assert _test_outputs(nb)[0]["ename"] == "NameError"


def test_an_answer_that_hangs_under_test_fails_that_cell_only():
    nb, problems = _judge("def double(x):\n    while True:\n        pass", timeout=3)
    assert _test_outputs(nb)[0]["ename"] == "KernelGone"
    assert problems and "3 s" in problems[0]


def test_demonstration_cells_are_skipped_and_a_missing_name_regrades_in_full(monkeypatch):
    """Are cells no test needs skipped, and is a student who needed one graded in full?"""
    import nbformat

    from course.judge import submission
    from course.judge.skipping import skippable_cells

    solution = _notebook("def double(x):\n    return 2 * x")
    solution.cells.insert(1, new_code_cell("helper = 2\nprint('a demonstration')"))
    solution.cells.append(new_code_cell("import time\ntime.sleep(0.1)"))
    demonstrations = {solution.cells[i].id for i in (1, 4, 5)}  # nothing after them needs them
    assert skippable_cells(solution) == demonstrations
    monkeypatch.setattr(submission, "read", lambda path: solution)

    def grade(nb):
        raw = nbformat.writes(nb).encode()
        task = GradingTask("ann", {"99-tiny": {"tiny": raw}}, Limits(cell_timeout=5), "none")
        [outcome] = submission.judge_student(task)
        return nbformat.reads(outcome.executed["tiny"].decode(), 4), outcome

    fast, outcome = grade(solution)
    assert fast.cells[1].outputs == [] and fast.cells[3].outputs == [] and not outcome.notes
    uses_helper = nbformat.from_dict(solution)
    uses_helper.cells[2].source = "def double(x):\n    return helper * x"
    full, outcome = grade(uses_helper)
    assert full.cells[3].outputs == [] and "graded again with every cell" in outcome.notes[0]
    assert full.cells[1].outputs[0]["text"] == "a demonstration\n"


def test_import_quietly_imports_what_it_can_and_leaves_the_rest_to_the_cells():
    import sys

    from course.judge.submission import import_quietly

    import_quietly(["course.no_such_module", "course.formulas", "course.exercises.tasks.q1"])
    assert "course.formulas" in sys.modules
