"""The demo class: good, untouched, mistaken, and a few broken or hostile submissions.

Built from the repository's notebooks each time, so it never drifts from them.
``build_demo_class`` returns what each student must score and which flags the
instructor must see; ``compare`` checks the graded class against it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.cells import fill, grade_cells, read, solution_cells
from course.mistakes import DEMO, MISTAKES
from course.paths import NOTEBOOKS_DIR, SOLUTIONS_DIR, assignments, notebook_names

PERFECT, UNTOUCHED, MISTAKEN = "ada-perfect", "ben-untouched", "cleo-mistakes"
TAMPERER, BROKEN, CRASHER = "dan-tampers", "eve-broken-file", "finn-crashes"

# dan: a wrong conv_params that replaces its check function with a no-op, and an edited test
# cell: the grade is decided outside the kernel, so neither changes it.
_TAMPER = """
import course.exercises.cnn_layers as _checks
_checks.check_conv_params = lambda *args, **kwargs: None  # "passes" every test
"""
_EDITED_TEST = "pass  # tests removed by the student\n"
# finn: kills the kernel in one answer cell.
_CRASH = "import os\nos._exit(1)\n"


@dataclass
class Expected:
    """What one demo student must get."""

    scores: dict[tuple[str, str, str], float] = field(default_factory=dict)
    flags: tuple[str, ...] = ()  # substrings that must appear among the notebook's flags


def _write(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


def _hostile(student_nb, answers, expected, key_prefix, tests, dest, name):
    """The hostile students, on the CNN-layers notebook only (each costs a notebook run)."""
    assignment = key_prefix[0]
    wrong = next(iter(MISTAKES[assignment]["conv_params"].values()))
    tampered = fill(student_nb, {**answers, "conv_params": wrong + _TAMPER})
    for cell in tampered.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "conv2d_tests":
            cell.source = _EDITED_TEST
    _write(tampered, dest / TAMPERER / assignment / f"{name}.ipynb")
    crashed = fill(student_nb, {**answers, "dense_params": _CRASH})
    _write(crashed, dest / CRASHER / assignment / f"{name}.ipynb")
    broken = dest / BROKEN / assignment / f"{name}.ipynb"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text('{"cells": [ this is not JSON')
    for test_id, (_, points) in tests.items():
        key = (*key_prefix, test_id)
        expected[TAMPERER].scores[key] = 0.0 if test_id == "conv_params_tests" else points
        expected[CRASHER].scores[key] = 0.0 if test_id == "dense_params_tests" else points
        expected[BROKEN].scores[key] = 0.0
    expected[TAMPERER].flags = ("locked cell conv2d_tests edited",)
    expected[CRASHER].flags = ("kernel died",)
    expected[BROKEN].flags = ("invalid notebook file",)


def build_demo_class(dest: Path) -> dict[str, Expected]:
    """Write the demo submissions under ``dest/<student>/<assignment>/``; student -> Expected."""
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    students = (PERFECT, UNTOUCHED, MISTAKEN, TAMPERER, BROKEN, CRASHER)
    expected = {who: Expected() for who in students}
    for assignment in assignments():
        wrong = dict(DEMO.get(assignment, ()))
        for name in notebook_names(assignment):
            solution = read(SOLUTIONS_DIR / assignment / f"{name}.ipynb")
            student = read(NOTEBOOKS_DIR / assignment / f"{name}.ipynb")
            answers = solution_cells(solution)
            mistaken = {**answers, **{g: MISTAKES[assignment][g][lab] for g, lab in wrong.items()}}
            _write(fill(student, answers), dest / PERFECT / assignment / f"{name}.ipynb")
            _write(student, dest / UNTOUCHED / assignment / f"{name}.ipynb")
            _write(fill(student, mistaken), dest / MISTAKEN / assignment / f"{name}.ipynb")
            tests = grade_cells(solution)
            for test_id, (_, points) in tests.items():
                key = (assignment, name, test_id)
                expected[PERFECT].scores[key] = points
                expected[UNTOUCHED].scores[key] = 0.0
                answered_wrong = test_id.removesuffix("_tests") in wrong
                expected[MISTAKEN].scores[key] = 0.0 if answered_wrong else points
            if assignment == "02-cnn-layers":
                _hostile(student, answers, expected, (assignment, name), tests, dest, name)
    return expected


def compare(results, expected: dict[str, Expected]) -> list[str]:
    """Where the graded demo class differs from what is expected (empty when it matches)."""
    differences = []
    flags: dict[str, list[str]] = {}
    for result in results:
        flags.setdefault(result.student, []).extend(result.flags)
        want_scores = expected.get(result.student, Expected()).scores
        for q in result.questions:
            key = (result.assignment, result.notebook, q.grade_id)
            want = want_scores.get(key)
            if want is not None and q.score != want:
                differences.append(
                    f"{result.student} {key[0]}/{key[1]} {q.grade_id}: scored {q.score:g}, "
                    f"expected {want:g} ({q.reason or 'no error recorded'})"
                )
    for student, spec in expected.items():
        got = flags.get(student, [])
        for flag in spec.flags:
            if not any(flag in f for f in got):
                differences.append(f"{student}: expected a flag '{flag}', got {got}")
        if not spec.flags and got:
            differences.append(f"{student}: unexpected flags {got}")
    return differences
