"""Run nbgrader's own commands on a course workspace, and fail loudly where nbgrader only logs.

A workspace is an nbgrader course root (submitted/, autograded/, feedback/,
gradebook.db); the source (solutions/) and the release (notebooks/) are the
repository's, as set in ``autograder/nbgrader_config.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from course.grading.paths import AUTOGRADER_DIR


class NbgraderError(RuntimeError):
    """An nbgrader step failed; the message says which and shows the end of its log."""


@dataclass(frozen=True)
class StepResult:
    """What one nbgrader command printed."""

    args: tuple[str, ...]
    returncode: int
    log: str

    @property
    def errors(self) -> list[str]:
        """nbgrader's ERROR lines (it logs them and still exits 0)."""
        return [line for line in self.log.splitlines() if "| ERROR]" in line]


def run_nbgrader(
    command: str, *args: str, workspace: Path, extra: tuple[str, ...] = (), check: bool = True
) -> StepResult:
    """Run ``nbgrader COMMAND ARGS`` with the course's config and ``workspace`` as root.

    Raises NbgraderError if nbgrader exits non-zero or logs an ERROR and ``check`` is true.
    """
    Path(workspace).mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    # nbgrader runs `alembic` as a subprocess: it must be found next to this Python.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    full = (
        sys.executable,
        "-m",
        "nbgrader",
        command,
        *args,
        f"--CourseDirectory.root={Path(workspace).resolve()}",
        *extra,
    )
    proc = subprocess.run(
        full, cwd=AUTOGRADER_DIR, env=env, capture_output=True, text=True, check=False
    )
    result = StepResult(tuple(full[3:]), proc.returncode, proc.stdout + proc.stderr)
    if check and (proc.returncode != 0 or result.errors):
        tail = "\n".join(result.log.splitlines()[-25:])
        raise NbgraderError(
            f"`nbgrader {command} {' '.join(args)}` failed (exit {proc.returncode}):\n{tail}"
        )
    return result


def generate_assignment(
    assignment: str, workspace: Path, release_dir: Path | None = None, use_db: bool = True
) -> StepResult:
    """Build the student version of ``assignment`` from solutions/ (into notebooks/ by default)."""
    extra: tuple[str, ...] = ()
    if release_dir is not None:
        extra += (f"--CourseDirectory.release_directory={Path(release_dir).resolve()}",)
    if not use_db:
        extra += ("--no-db",)
    return run_nbgrader(
        "generate_assignment", assignment, "--force", workspace=workspace, extra=extra
    )
