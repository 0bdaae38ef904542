"""Run nbgrader's own commands on a course workspace, and fail loudly where nbgrader only logs.

A workspace is an nbgrader course root (submitted/, autograded/, feedback/,
gradebook.db); the source (solutions/) and the release (notebooks/) are the
repository's, as set in ``autograder/nbgrader_config.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from course.paths import AUTOGRADER_DIR


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
    command: str,
    *args: str,
    workspace: Path,
    extra: tuple[str, ...] = (),
    check: bool = True,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
    timeout: float | None = None,
) -> StepResult:
    """Run ``nbgrader COMMAND ARGS`` with the course's config and ``workspace`` as root.

    env: the environment (default: this one); preexec_fn: run in the child before nbgrader
    (resource limits); timeout: wall-clock seconds, after which the whole process group is
    killed and TimeoutError raised. Raises NbgraderError if nbgrader exits non-zero or logs an
    ERROR and ``check`` is true.
    """
    Path(workspace).mkdir(parents=True, exist_ok=True)
    if env is None:
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
    proc = subprocess.Popen(
        full,
        cwd=AUTOGRADER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
        preexec_fn=preexec_fn,
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if preexec_fn is not None:  # the child made its own process group: stop all of it
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.communicate()
        raise TimeoutError(f"nbgrader {command} ran over {timeout:.0f} s") from None
    result = StepResult(tuple(full[3:]), proc.returncode, output)
    if check and (proc.returncode != 0 or result.errors):
        tail = "\n".join(result.log.splitlines()[-25:])
        raise NbgraderError(
            f"`nbgrader {command} {' '.join(args)}` failed (exit {proc.returncode}):\n{tail}"
        )
    return result


def generate_assignment(
    assignment: str,
    workspace: Path,
    release_dir: Path | None = None,
    use_db: bool = True,
    db_url: str | None = None,
) -> StepResult:
    """Build the student version of ``assignment`` from solutions/ (into notebooks/ by default)."""
    extra: tuple[str, ...] = ()
    if release_dir is not None:
        extra += (f"--CourseDirectory.release_directory={Path(release_dir).resolve()}",)
    if db_url is not None:
        extra += (f"--CourseDirectory.db_url={db_url}",)
    if not use_db:
        extra += ("--no-db",)
    return run_nbgrader(
        "generate_assignment", assignment, "--force", workspace=workspace, extra=extra
    )
