"""One student's autograding in a sandbox: a kernel that never came up is retried once."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.grading import sandbox
from course.grading.nbgrader_steps import StepResult

NO_KERNEL = "[AutogradeApp | ERROR] Kernel didn't respond in 60 seconds"
STUDENT_ERROR = "[AutogradeApp | ERROR] There was an error processing assignment"


@pytest.fixture
def workspace(tmp_path):
    submitted = tmp_path / "submitted" / "ann" / "01-x"
    submitted.mkdir(parents=True)
    (submitted / "x.ipynb").write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    (tmp_path / "template.db").write_bytes(b"")
    return tmp_path


def _fake_nbgrader(logs: list[str], calls: list[Path]):
    """run_nbgrader stand-in: the n-th call logs logs[n]; an executed notebook only without
    an error."""

    def run(command, assignment, *args, workspace, **kwargs):
        log = logs[len(calls)]
        calls.append(workspace)
        if not log:
            out = Path(workspace, "autograded", "ann", assignment)
            out.mkdir(parents=True, exist_ok=True)
            (out / "x.ipynb").write_text("{}")
        return StepResult((command, assignment, *args), 0, log)

    return run


def _grade(workspace):
    return sandbox.autograde_in_sandbox(
        workspace, "ann", "01-x", workspace / "template.db", sandbox.Limits(), wall_seconds=60
    )


def test_a_kernel_that_never_came_up_is_retried_once(workspace, monkeypatch):
    """Is a submission whose kernel did not start graded again, and then graded?"""
    calls: list[Path] = []
    monkeypatch.setattr(sandbox, "run_nbgrader", _fake_nbgrader([NO_KERNEL, ""], calls))
    result = _grade(workspace)
    assert len(calls) == 2 and result.executed and result.problem == ""
    assert (workspace / ".executed" / "ann" / "01-x" / "x.ipynb").is_file()


def test_a_kernel_that_never_comes_up_is_reported(workspace, monkeypatch):
    """Does a second failure to start stop there, with the reason, and nothing executed?"""
    calls: list[Path] = []
    monkeypatch.setattr(sandbox, "run_nbgrader", _fake_nbgrader([NO_KERNEL, NO_KERNEL], calls))
    result = _grade(workspace)
    assert len(calls) == 2 and not result.executed
    assert "Kernel didn't respond" in result.problem


def test_other_failures_are_not_retried(workspace, monkeypatch):
    """Is a failure of the submission itself graded once (retrying would only repeat it)?"""
    calls: list[Path] = []
    monkeypatch.setattr(sandbox, "run_nbgrader", _fake_nbgrader([STUDENT_ERROR, ""], calls))
    result = _grade(workspace)
    assert len(calls) == 1 and not result.executed and "error processing" in result.problem
