"""A tiny course (one assignment of two questions, no TensorFlow) for grading tests.

Each submission of it grades in seconds, so whole classes can be graded by the `course`
command as an instructor runs it: ``make_tiny_course(repo)`` writes and releases it in a
temporary checkout, which ``course_cli`` points the command at (``COURSE_REPO``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course.paths import AUTOGRADER_DIR

ASSIGNMENT, NOTEBOOK = "99-tiny", "tiny"
DOUBLE = "def double(x):\n    return 2 * x\n"
SQUARE = "def square(x):\n    return x * x\n"
WRONG_DOUBLE = "def double(x):\n    return x + 2\n"


def _meta(grade_id, **kwargs):
    meta = {
        "grade": False,
        "grade_id": grade_id,
        "locked": False,
        "schema_version": 3,
        "solution": False,
        "task": False,
        **kwargs,
    }
    return {"nbgrader": meta}


def solution_notebook():
    """The instructor's notebook: a setup cell, then double (2 points) and square (1)."""
    cells = [
        new_markdown_cell("# Tiny assignment"),
        new_code_cell("import math"),
        new_code_cell(
            "### BEGIN SOLUTION\n" + DOUBLE + "### END SOLUTION",
            metadata=_meta("double", solution=True),
        ),
        new_code_cell(
            '"""Is double right?"""\nassert double(2) == 4\n### BEGIN HIDDEN TESTS\n'
            "assert double(-3) == -6\n### END HIDDEN TESTS",
            metadata=_meta("double_tests", grade=True, locked=True, points=2),
        ),
        new_code_cell(
            "### BEGIN SOLUTION\n" + SQUARE + "### END SOLUTION",
            metadata=_meta("square", solution=True),
        ),
        new_code_cell(
            '"""Is square right?"""\nassert square(3) == 9',
            metadata=_meta("square_tests", grade=True, locked=True, points=1),
        ),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def course_cli(args, repo, check=True, env=None):
    """Run ``course ARGS`` on the tiny course in ``repo``; exit 0 or 1 (graded) expected."""
    env = {**(os.environ if env is None else env), "COURSE_REPO": str(repo)}
    proc = subprocess.run(
        [sys.executable, "-m", "course.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=repo,
    )
    if check and proc.returncode not in (0, 1):
        raise AssertionError(proc.stdout + proc.stderr)
    return proc


def edit(nb, grade_id, source=None, **meta):
    """``nb`` with the cell ``grade_id``'s source and nbgrader metadata changed."""
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            if source is not None:
                cell.source = source
            cell.metadata["nbgrader"].update(meta)
    return nb


class TinyCourse:
    """The tiny course written and released in ``repo``."""

    def __init__(self, repo: Path):
        self.repo = Path(repo)
        (self.repo / "autograder").mkdir(parents=True)
        shutil.copy(AUTOGRADER_DIR / "nbgrader_config.py", self.repo / "autograder")
        self.source = self.repo / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        self.source.parent.mkdir(parents=True)
        nbformat.write(solution_notebook(), str(self.source))
        assert course_cli(["release"], self.repo).returncode == 0
        released = self.repo / "notebooks" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        self.student_nb = nbformat.read(str(released), 4)

    def answered(self, **answers):
        """The student notebook with these answers (grade_id -> source)."""
        nb = nbformat.from_dict(self.student_nb)
        for grade_id, source in answers.items():
            edit(nb, grade_id, source)
        return nb

    def write(self, folder: Path, student: str, nb) -> Path:
        """Save ``nb`` as ``student``'s submission under ``folder``."""
        path = Path(folder) / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(path))
        return path
