"""Shared fixtures: the demo class graded once per test session (it executes each notebook)."""

from __future__ import annotations

import os
import time

import pytest

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture(scope="session")
def graded_demo(tmp_path_factory):
    """The demo class (good, untouched, mistaken, hostile) graded by `course` in a fresh workspace.

    Returns (ClassGrades, what each student must get, workspace path).
    """
    from course.grading.demo import PERFECT, build_demo_class
    from course.grading.grade import grade_class

    workspace = tmp_path_factory.mktemp("demo-workspace")
    expected = build_demo_class(workspace / "class")
    start = time.perf_counter()
    grades = grade_class(workspace / "class", workspace, jobs=2, every_cell={PERFECT})
    print(f"\n[graded the demo class in {time.perf_counter() - start:.1f} s]")
    return grades, expected, workspace
