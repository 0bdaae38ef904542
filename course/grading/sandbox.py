"""Autograde one student's assignment in a sandbox of its own.

Each (student, assignment) gets its own nbgrader course root and gradebook, so
students can be graded in parallel without sharing a database, and runs with:
resource limits (memory, CPU time, file size, open files), an environment
scrubbed of the instructor's variables, a wall-clock limit, and a working
directory in a fresh temporary folder, away from solutions/ and the class's
gradebook (the same user can still reach them by absolute path: see
autograder/README.md for stronger isolation). The executed
notebook is then merged into the class's gradebook by ``course.grading.grade``.
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from course.grading.intake import drop_duplicate_grade_ids
from course.grading.integrity import TOKENS_FILE_ENV
from course.grading.nbgrader_steps import run_nbgrader

KEPT_ENV = ("LANG", "LC_ALL", "TZ", "KERAS_BACKEND", "TF_CPP_MIN_LOG_LEVEL")

#: What nbgrader logs when a kernel never came up (seen once in CI on a class of two good
#: submissions: "Kernel didn't respond in 60 seconds"): no student code ran, so the
#: submission is graded again from the start, once.
KERNEL_START_FAILURES = ("Kernel didn't respond", "starting new kernel client")
KERNEL_START_RETRIES = 1


@dataclass(frozen=True)
class Limits:
    """Resource limits for one student's grading (nbgrader and the kernel it starts)."""

    cell_timeout: int = 30  # seconds per cell (nbgrader's default)
    memory_bytes: int = 8 * 1024**3  # address space per process
    cpu_seconds: int = 900  # CPU time per process
    file_bytes: int = 512 * 1024**2  # largest file a process may write
    open_files: int = 1024

    def apply(self) -> None:  # pragma: no cover - runs in the child process
        """Set the limits on the current process (called just before exec)."""
        os.setsid()  # its own process group, so a wall-clock timeout can stop it all
        resource.setrlimit(resource.RLIMIT_AS, (self.memory_bytes, self.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_bytes, self.file_bytes))
        resource.setrlimit(resource.RLIMIT_NOFILE, (self.open_files, self.open_files))


@dataclass
class SandboxResult:
    """What happened when one student's assignment was autograded."""

    student: str
    assignment: str
    seconds: float
    executed: bool  # an executed notebook came out
    problem: str = ""  # why not, or what went wrong


def scrubbed_env(home: Path, tokens_file: Path, threads: int) -> dict[str, str]:
    """A minimal environment: no instructor tokens, keys or paths leak to student code."""
    env = {k: os.environ[k] for k in KEPT_ENV if k in os.environ}
    env.update(
        PATH=os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
        HOME=str(home),
        TMPDIR=str(home / "tmp"),
        MPLBACKEND="Agg",
        PYTHONDONTWRITEBYTECODE="1",
        OMP_NUM_THREADS=str(threads),
        TF_NUM_INTRAOP_THREADS=str(threads),
        TF_NUM_INTEROP_THREADS="1",
        **{TOKENS_FILE_ENV: str(tokens_file)},
    )
    return env


def _autograde(
    root: Path,
    student: str,
    assignment: str,
    database: Path,
    tokens: Path,
    limits: Limits,
    wall_seconds: float,
    threads: int,
) -> str:
    """Run ``nbgrader autograde`` for one student in the sandbox ``root``; what went wrong."""
    try:
        step = run_nbgrader(
            "autograde",
            assignment,
            f"--student={student}",
            "--force",
            workspace=root,
            extra=(
                f"--CourseDirectory.db_url=sqlite:///{database.resolve()}",
                f"--Execute.timeout={limits.cell_timeout}",
            ),
            check=False,
            env=scrubbed_env(root, tokens.resolve(), threads),
            preexec_fn=limits.apply,
            timeout=wall_seconds,
        )
    except TimeoutError:
        return f"grading stopped after {wall_seconds:.0f} s (wall-clock limit)"
    return "; ".join(line.split("] ", 1)[-1] for line in step.errors)[:300]


def autograde_in_sandbox(
    workspace: Path,
    student: str,
    assignment: str,
    template_db: Path,
    limits: Limits,
    wall_seconds: float,
    threads: int = 1,
) -> SandboxResult:
    """Autograde ``workspace/submitted/<student>/<assignment>`` alone; executed notebooks go to
    ``workspace/.executed/<student>/<assignment>/`` and the integrity tokens to
    ``workspace/.tokens/<student>--<assignment>.json``.
    """
    start = time.perf_counter()
    # Outside the workspace: the kernel's working directory has no class files above it.
    root = Path(tempfile.mkdtemp(prefix="course-sandbox-"))
    (root / "tmp").mkdir(parents=True)
    shutil.copytree(
        Path(workspace, "submitted", student, assignment),
        root / "submitted" / student / assignment,
    )
    for notebook in (root / "submitted" / student / assignment).glob("*.ipynb"):
        drop_duplicate_grade_ids(notebook)
    database = root / "nbgrader" / "gradebook.db"
    database.parent.mkdir()
    shutil.copyfile(template_db, database)
    tokens = Path(workspace, ".tokens", f"{student}--{assignment}.json")
    tokens.parent.mkdir(exist_ok=True)
    executed_dir = root / "autograded" / student / assignment
    for _ in range(1 + KERNEL_START_RETRIES):
        tokens.unlink(missing_ok=True)
        problem = _autograde(
            root, student, assignment, database, tokens, limits, wall_seconds, threads
        )
        executed = executed_dir.is_dir() and any(executed_dir.glob("*.ipynb"))
        if executed or not any(sign in problem for sign in KERNEL_START_FAILURES):
            break
    target = Path(workspace, ".executed", student, assignment)
    if target.exists():
        shutil.rmtree(target)
    if executed:
        shutil.copytree(executed_dir, target)
    shutil.rmtree(root, ignore_errors=True)
    return SandboxResult(student, assignment, time.perf_counter() - start, executed, problem)
