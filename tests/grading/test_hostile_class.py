"""Grading a class with broken and hostile submissions among good ones (issue: class scale).

A tiny course (two questions, no TensorFlow) is built in a temporary checkout so
that each submission grades in seconds; the `course` command runs on it as an
instructor would, once per session, with a 5 s cell timeout and a 2 GB memory limit.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from tests.grading.tiny_course import (
    ASSIGNMENT,
    DOUBLE,
    NOTEBOOK,
    SQUARE,
    WRONG_DOUBLE,
    TinyCourse,
)
from tests.grading.tiny_course import course_cli as _course
from tests.grading.tiny_course import edit as _edit


def _pasted(cell):
    """A copy of ``cell`` as JupyterLab pastes it: same metadata (grade_id), a new cell id."""
    copy = nbformat.from_dict(cell)
    copy["id"] = "pasted-" + cell["id"]
    return copy


_AST_ATTACK = """
import ast
class _Pass(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
get_ipython().ast_transformers.append(_Pass())
"""
_PATCH_ATTACK = """
import sys
import numpy as np
sys.settrace(lambda *args: None)
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
"""
# A submission that breaks its own kernel's imports can no longer answer anything: it loses
# the questions it can no longer answer, and nobody else's.
_IMPORT_ATTACK = """
import builtins
_real_import = builtins.__import__
builtins.__import__ = lambda name, *args, **kwargs: _real_import("math")
"""
_SLY_ANSWER = """
class _Sly(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__
def double(x):
    return _Sly(0)
"""
_STAND_IN = """
import os
os.makedirs("course/exercises", exist_ok=True)
open("course/__init__.py", "w").write("raise SystemExit")
"""
_READ_SOLUTIONS = """
import json
source = json.load(open("{REPO}/solutions/99-tiny/tiny.ipynb"))
exec("".join(source["cells"][2]["source"]))
"""
_EDIT_OTHERS = """
import glob, os
for path in glob.glob("{REPO}/w/**/*.ipynb", recursive=True) + glob.glob("/proc/*/cwd/**/*.ipynb"):
    try:
        open(path, "w").write("{}")
    except OSError:
        pass
for target in ("{REPO}/w/gradebook.db", "{REPO}/solutions/99-tiny/tiny.ipynb"):
    try:
        open(target, "w").write("owned")
    except OSError:
        pass
"""
_PTH = """
import site, sys, os
for folder in site.getsitepackages() + [sys.prefix]:
    try:
        open(os.path.join(folder, "course_owned.pth"), "w").write("import os")
    except OSError:
        pass
"""
_KILL_ALL = """
import os, signal
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) != os.getpid():
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            try:
                os.kill(int(pid), sig)
            except OSError:
                pass
"""
_OUTLIVE = """
import subprocess
subprocess.Popen(["sh", "-c", "(sleep 120; echo course-orphan > {REPO}/w/forged.txt) &"])
"""

HOSTILE = {
    # student: (how the notebook is changed, expected scores (double, square), flag substrings)
    "syntax-error": (
        lambda nb: _edit(nb, "double", "def double(x)\n    return 2 * x"),
        (0, 1),
        ("error outside the graded cells",),
    ),
    "first-cell-raises": (
        lambda nb: nb.cells[1].update(source="raise RuntimeError('boom')") or nb,
        (2, 1),
        ("error outside the graded cells",),
    ),
    "infinite-loop": (
        lambda nb: _edit(nb, "square", "while True:\n    pass\n" + SQUARE),
        (2, 0),
        ("timeout",),
    ),
    "os-exit": (lambda nb: _edit(nb, "double", "import os\nos._exit(3)"), (0, 1), ("kernel died",)),
    "segfault": (
        lambda nb: _edit(nb, "double", "import ctypes\nctypes.string_at(0)"),
        (0, 1),
        ("kernel died",),
    ),
    "memory-bomb": (
        lambda nb: _edit(nb, "double", "blob = bytearray(50 * 1024**3)\n" + DOUBLE),
        (0, 1),
        ("error outside the graded cells",),
    ),
    "huge-print": (
        lambda nb: _edit(nb, "double", "print('x' * 100_000_000)\n" + DOUBLE),
        (2, 1),
        (),
    ),
    "deleted-tests": (
        lambda nb: (
            nb.update(
                cells=[
                    c
                    for c in nb.cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") != "double_tests"
                ]
            )
            or nb
        ),
        (0, 1),
        ("test cell double_tests deleted",),
    ),
    "edited-tests": (
        lambda nb: _edit(_edit(nb, "double", WRONG_DOUBLE), "double_tests", "pass"),
        (0, 1),
        ("locked cell double_tests edited",),
    ),
    "copied-cell": (
        lambda nb: nb.update(cells=nb.cells[:3] + [_pasted(nb.cells[2])] + nb.cells[3:]) or nb,
        (2, 1),
        ("duplicated grade_id",),
    ),
    "metadata-changed": (
        lambda nb: _edit(nb, "double_tests", points=100),
        (2, 1),
        ("metadata of double_tests changed",),
    ),
    "hides-tests": (
        lambda nb: _edit(
            nb,
            "double",
            WRONG_DOUBLE + "get_ipython()."
            "input_transformers_post.append(lambda lines: ['pass\\n'])",
        ),
        (0, 0),
        ("review: code that rewrites cells",),
    ),
    "reads-gradebook": (
        lambda nb: _edit(nb, "double", "open('gradebook.db').read()\n" + DOUBLE),
        (0, 1),
        ("review: code that looks for the gradebook",),
    ),
    "network-call": (
        lambda nb: (
            nb.cells.insert(
                2,
                new_code_cell(
                    "import urllib.request\n"
                    "urllib.request.urlopen('http://course-grading.invalid/', timeout=5)"
                ),
            )
            or nb
        ),
        (2, 1),
        ("error outside the graded cells",),
    ),
    # --- issue #11: attacks on the grade itself, all decided outside the kernel now ---
    "ast-transformer": (
        lambda nb: _edit(nb, "double", WRONG_DOUBLE + _AST_ATTACK),
        (0, 1),
        (),
    ),
    "settrace-and-patches": (
        lambda nb: _edit(nb, "double", WRONG_DOUBLE + _PATCH_ATTACK),
        (0, 1),
        (),
    ),
    "patches-import": (
        lambda nb: _edit(nb, "double", WRONG_DOUBLE + _IMPORT_ATTACK),
        (0, 0),
        (),
    ),
    "equal-to-anything": (
        lambda nb: _edit(nb, "double", _SLY_ANSWER),
        (0, 1),
        (),
    ),
    "stand-in-course-package": (
        lambda nb: _edit(nb, "double", _STAND_IN + WRONG_DOUBLE),
        (0, 1),
        (),
    ),
    "reads-the-solutions": (
        lambda nb: _edit(nb, "double", _READ_SOLUTIONS),
        (0, 1),
        ("error outside the graded cells",),
    ),
    "edits-other-students": (
        lambda nb: _edit(nb, "double", _EDIT_OTHERS + DOUBLE),
        (2, 1),
        (),
    ),
    "writes-a-pth-file": (
        lambda nb: _edit(nb, "double", _PTH + DOUBLE),
        (2, 1),
        (),
    ),
    "kills-every-process": (
        lambda nb: _edit(nb, "double", _KILL_ALL + DOUBLE),
        (0, 1),
        ("kernel died",),
    ),
    "outlives-its-kernel": (
        lambda nb: _edit(nb, "double", _OUTLIVE + DOUBLE),
        (2, 1),
        (),
    ),
    "prints-its-environment": (
        lambda nb: _edit(nb, "double", "import os\nprint(dict(os.environ))\n" + DOUBLE),
        (2, 1),
        (),
    ),
}
GOOD = ("good-1", "good-2", "good-3", "good-4", "good-5")
SECRET_ENV, SECRET = "COURSE_INSTRUCTOR_SECRET", "instructor-secret-4f2a"


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """The tiny course released; a class of 5 good and 17 broken or hostile submissions graded."""
    tiny = TinyCourse(tmp_path_factory.mktemp("tiny-course"))
    repo, source, answered = tiny.repo, tiny.source, tiny.answered

    folder = repo / "class" / "lms-export"
    for student in GOOD:
        path = folder / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(answered(double=DOUBLE, square=SQUARE), str(path))
    for student, (change, _, _) in HOSTILE.items():
        path = folder / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        path.parent.mkdir(parents=True)
        nb = change(answered(double=DOUBLE, square=SQUARE))
        for cell in nb.cells:
            cell.source = cell.source.replace("{REPO}", str(repo))
        nbformat.write(nb, str(path))
    renamed = folder / "renamed" / ASSIGNMENT / "tiny (1).ipynb"
    renamed.parent.mkdir(parents=True)
    nbformat.write(answered(double=DOUBLE, square=SQUARE), str(renamed))
    (folder / "missing" / ASSIGNMENT).mkdir(parents=True)
    broken = folder / "invalid-json" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text('{"cells": [')
    archive = repo / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.rglob("*"):
            zf.write(path, path.relative_to(repo / "class"))
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    os.environ[SECRET_ENV] = SECRET
    proc = _course(
        [
            "grade",
            str(archive),
            "--workspace",
            str(repo / "w"),
            "--jobs",
            "2",
            "--cell-timeout",
            "5",
            "--memory-gb",
            "2",
        ],
        repo,
    )
    del os.environ[SECRET_ENV]
    print(proc.stdout[-3000:])
    return repo, proc, before


def _rows(repo):
    import csv

    rows = list(csv.DictReader((repo / "w" / "grades.csv").open()))
    return {(r["student"], r["question"]): r for r in rows}


def test_the_whole_class_is_graded_and_flags_need_attention(graded_class):
    """Does the run finish for the whole class and exit 1 because some need attention?"""
    repo, proc, _ = graded_class
    assert proc.returncode == 1, proc.stdout + proc.stderr
    students = {s for s, _ in _rows(repo)}
    assert students == set(GOOD) | set(HOSTILE) | {"renamed", "missing", "invalid-json"}


def test_good_students_get_full_marks_and_no_flags(graded_class):
    """Are the good students' grades unaffected by the hostile ones in the same class?"""
    repo, _, _ = graded_class
    rows = _rows(repo)
    for student in GOOD:
        assert rows[(student, "double_tests")]["score"] == "2.0"
        assert rows[(student, "square_tests")]["score"] == "1.0"
        assert rows[(student, "double_tests")]["flags"] == ""


@pytest.mark.parametrize("student", sorted(HOSTILE))
def test_hostile_submission_scores_and_flags(graded_class, student):
    """Does each broken or hostile notebook lose exactly the affected points, with a reason?"""
    repo, _, _ = graded_class
    rows = _rows(repo)
    _, (double, square), flags = HOSTILE[student]
    assert float(rows[(student, "double_tests")]["score"]) == double
    assert float(rows[(student, "square_tests")]["score"]) == square
    for flag in flags:
        assert flag in rows[(student, "double_tests")]["flags"], rows[(student, "double_tests")]
    for question in ("double_tests", "square_tests"):
        row = rows[(student, question)]
        if float(row["score"]) < float(row["max_score"]):
            assert row["reason"], row


@pytest.mark.parametrize(
    ("student", "flag"),
    [
        ("renamed", "found tiny (1).ipynb: renamed?"),
        ("missing", "missing notebook"),
        ("invalid-json", "invalid notebook file"),
    ],
)
def test_missing_renamed_and_invalid_notebooks_score_zero(graded_class, student, flag):
    """Are missing, renamed and unreadable notebooks scored 0 with the reason shown?"""
    repo, _, _ = graded_class
    rows = _rows(repo)
    for question in ("double_tests", "square_tests"):
        assert float(rows[(student, question)]["score"]) == 0
        assert flag in rows[(student, question)]["reason"]


def test_gradebook_and_sources_intact(graded_class):
    """Are the source notebook unchanged and the gradebook readable with every student?"""
    from nbgrader.api import Gradebook

    repo, _, before = graded_class
    source = repo / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    with Gradebook(f"sqlite:///{repo / 'w' / 'gradebook.db'}") as gradebook:
        names = {s.id for s in gradebook.students}
    assert set(GOOD) <= names and "hides-tests" in names


def test_feedback_hides_hidden_tests(graded_class):
    """Does no feedback file contain the hidden tests' source or the grader's tokens?"""
    repo, _, _ = graded_class
    pages = list((repo / "w" / "feedback").glob("*/*/*.html"))
    assert len(pages) >= len(GOOD)
    for page in pages:
        text = page.read_text()
        assert "double(-3)" not in text and "HIDDEN TESTS" not in text.replace(
            "hidden tests ran here", ""
        )
        assert "course-integrity" not in text


def test_progress_was_shown(graded_class):
    """Did the command report each submission as it was graded?"""
    _, proc, _ = graded_class
    # every readable submission is graded: all but the missing, renamed and invalid ones
    graded = len(GOOD) + len(HOSTILE)
    # one assignment: one task per student
    assert f"Autograding {graded} submission(s) of {graded} student(s), 2 student(s) at a time" in (
        proc.stdout
    ), proc.stdout[-2000:]
    assert all(f"[{n}/{graded}]" in proc.stdout for n in range(1, graded + 1))


def test_clean_class_exits_zero(graded_class, tmp_path):
    """Does a class with only good submissions grade with exit status 0 and no flags?"""
    repo, _, _ = graded_class
    clean = tmp_path / "clean"
    for student in GOOD[:2]:
        src = repo / "w" / "submitted" / student / ASSIGNMENT
        shutil.copytree(src, clean / student / ASSIGNMENT)
    proc = _course(["grade", str(clean), "--workspace", str(tmp_path / "w"), "--jobs", "2"], repo)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    assert "need your attention" not in proc.stdout


def test_no_submission_reached_outside_its_sandbox(graded_class):
    """Are other students, the sources, the environment and the process table untouched?"""
    import site

    repo, _, _ = graded_class
    assert not (repo / "w" / "forged.txt").exists()
    for folder in [*site.getsitepackages(), sys.prefix]:
        assert not os.path.exists(os.path.join(folder, "course_owned.pth"))
    for student in GOOD:  # byte for byte what the class export holds
        submitted = repo / "w" / "submitted" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        exported = repo / "class" / "lms-export" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
        assert submitted.read_bytes() == exported.read_bytes()
    release = repo / "notebooks" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    assert "owned" not in release.read_text()
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert "sleep 120" not in ps and "course.judge.runner" not in ps


def test_no_secret_of_the_instructor_in_any_feedback(graded_class):
    """Does no feedback or graded notebook show the grader's environment?"""
    repo, _, _ = graded_class
    feedback, graded = repo / "w" / "feedback", repo / "w" / "autograded"
    files = [*feedback.rglob("*.html"), *graded.rglob("*.ipynb")]
    assert files
    for path in files:
        assert SECRET not in path.read_text(errors="replace"), path
