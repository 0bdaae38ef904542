"""Grade a class: intake, each student judged in a sandbox, one merge into the gradebook.

1. Copy the submissions in (folder or zip) and inspect every notebook (intake).
2. Record each assignment in the class's gradebook.
3. Judge each (student, assignment), ``jobs`` at a time, showing progress
   (``course.judge.submission``): the student's kernel runs in a bubblewrap sandbox that
   sees nothing of the class, and the grade cells run in the judge, outside it. Only this
   process writes the executed notebooks (atomically), from the judges' results.
4. Merge: one ``nbgrader autograde`` pass over the executed notebooks, with no
   execution, writes every score into the class's gradebook (one writer only).
5. Feedback (without hidden tests), nbgrader's CSV export, the course's CSV.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from course.grading.cells import read
from course.grading.intake import Intake, import_submissions, inspect_submissions
from course.grading.limits import Limits
from course.grading.nbgrader_steps import generate_assignment, run_nbgrader
from course.grading.paths import SOLUTIONS_DIR, notebook_names
from course.grading.report import printable, write_csv
from course.grading.results import NotebookResult, collect
from course.judge.submission import GradingOutcome, GradingTask, judge_submission

#: Set for the merge pass: nbgrader records the judges' verdicts and executes nothing.
JUDGED_MERGE_ENV = "COURSE_JUDGED_MERGE"


@dataclass
class ClassGrades:
    """The outcome of grading a class."""

    results: list[NotebookResult]
    csv_path: Path
    feedback_dir: Path
    seconds: float
    problems: list[str]  # step-level failures (nbgrader ERROR lines), besides per-notebook flags
    sandboxes: list[GradingOutcome] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(self.problems) or any(r.flags for r in self.results)


def _wall_seconds(assignment: str, limits: Limits) -> float:
    cells = sum(
        sum(c.cell_type == "code" for c in read(SOLUTIONS_DIR / assignment / f"{nb}.ipynb").cells)
        for nb in notebook_names(assignment)
    )
    return cells * limits.cell_timeout + 120


def _print(message: str) -> None:
    print(printable(message), flush=True)


def _task(workspace: Path, student: str, assignment: str, limits, isolation, threads, fast=True):
    folder = Path(workspace, "submitted", student, assignment)
    notebooks = {path.stem: path.read_bytes() for path in sorted(folder.glob("*.ipynb"))}
    return GradingTask(
        student,
        assignment,
        notebooks,
        limits,
        isolation,
        threads,
        _wall_seconds(assignment, limits),
        fast,
    )


def _save(workspace: Path, outcome: GradingOutcome) -> None:
    """Write one student's executed notebooks, each atomically (temporary file, rename), then
    drop their bytes from the outcome (a class's notebooks need not stay in memory)."""
    target = Path(workspace, ".executed", outcome.student, outcome.assignment)
    target.mkdir(parents=True, exist_ok=True)
    for name, raw in outcome.executed.items():
        partial = target / f".{name}.ipynb.partial"
        partial.write_bytes(raw)
        os.replace(partial, target / f"{name}.ipynb")
    outcome.executed = dict.fromkeys(outcome.executed, b"")


def _judge_all(
    workspace, jobs_list, limits, jobs, isolation, progress, scheduler=None, every_cell=()
) -> list[GradingOutcome]:
    """Judge every (student, assignment): here in ``jobs`` threads, or on a Dask cluster
    (``scheduler``); each outcome is saved by this process as it arrives."""
    from course.grading.dispatch import run_tasks

    threads = max(1, (os.cpu_count() or 1) // jobs) if scheduler is None else 0  # 0: the worker's
    tasks = [
        _task(workspace, s, a, limits, isolation, threads, fast=s not in every_cell)
        for s, a in jobs_list
    ]

    def failed(task: GradingTask, problem: str) -> GradingOutcome:
        return GradingOutcome(task.student, task.assignment, {}, f"not graded: {problem}"[:300])

    return run_tasks(
        judge_submission,
        tasks,
        jobs=jobs,
        scheduler=scheduler,
        progress=progress,
        on_failure=failed,
        on_done=lambda outcome: _save(workspace, outcome),  # then its bytes are dropped
    )


def grade_class(
    source: Path,
    workspace: Path,
    jobs: int = 1,
    limits: Limits | None = None,
    progress: Callable[[str], None] = _print,
    isolation: str = "bubblewrap",
    scheduler: str | None = None,
    every_cell: Collection[str] = (),
) -> ClassGrades:
    """Autograde every submission in ``source``; write feedback and CSV grades in ``workspace``.

    isolation: "bubblewrap" (the default: each student's kernel in a sandbox) or "none"
    (students' code runs with this user's rights; the grades are still decided outside it).
    scheduler: a Dask scheduler address ("tcp://HOST:8786") to judge on its workers, which
    need the same course install and bubblewrap (docs/grading-at-scale.md); None: here.
    every_cell: students whose notebooks run every cell; the others skip the demonstration
    cells no grade depends on (course.judge.skipping).
    """
    start = time.perf_counter()
    limits = limits or Limits()
    workspace = Path(workspace).resolve()
    workspace.mkdir(parents=True, exist_ok=True)
    if isolation == "bubblewrap" and scheduler is None:  # workers check their own
        from course.judge.bubblewrap import require_bubblewrap

        require_bubblewrap()
    for scratch in (".executed", ".tokens", ".sandboxes"):  # (the last two: older versions)
        shutil.rmtree(workspace / scratch, ignore_errors=True)
    students_by_assignment = import_submissions(source, workspace)
    intakes = inspect_submissions(workspace, students_by_assignment)
    _drop_ungradable(workspace, intakes)

    for assignment in sorted(students_by_assignment):
        generate_assignment(assignment, workspace=workspace, release_dir=workspace / "release")
    gradable = {(s, a) for (s, a, _), intake in intakes.items() if intake.gradable}
    todo = [
        (student, assignment)
        for assignment, students in sorted(students_by_assignment.items())
        for student in students
        if (student, assignment) in gradable
    ]
    progress(f"Autograding {len(todo)} submission(s), {jobs} at a time ...")
    sandboxes = _judge_all(
        workspace, todo, limits, jobs, isolation, progress, scheduler, set(every_cell)
    )

    problems: list[str] = []
    results: list[NotebookResult] = []
    merge_env = {**os.environ, JUDGED_MERGE_ENV: "1"}
    merge_env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), merge_env["PATH"]])
    for assignment, students in sorted(students_by_assignment.items()):
        progress(f"Recording {assignment} in the gradebook and writing feedback ...")
        step = run_nbgrader(
            "autograde",
            assignment,
            "--force",
            workspace=workspace,
            extra=(f"--CourseDirectory.submitted_directory={workspace / '.executed'}",),
            check=False,
            env=merge_env,
        )
        problems += [f"recording {assignment}: {line}" for line in step.errors]
        step = run_nbgrader(
            "generate_feedback", assignment, "--force", workspace=workspace, check=False
        )
        problems += [f"feedback {assignment}: {line}" for line in step.errors]
        results += collect(workspace, assignment, students)
    _add_flags(results, intakes, sandboxes)
    run_nbgrader(
        "export", f"--CsvExportPlugin.to={workspace / 'nbgrader_grades.csv'}", workspace=workspace
    )
    csv_path = write_csv(results, workspace / "grades.csv")
    return ClassGrades(
        results,
        csv_path,
        workspace / "feedback",
        time.perf_counter() - start,
        problems,
        sandboxes,
    )


def _drop_ungradable(workspace: Path, intakes: dict[tuple[str, str, str], Intake]) -> None:
    """Move unreadable notebooks aside (kept in workspace/unreadable/) so nbgrader skips them."""
    for (student, assignment, name), intake in intakes.items():
        path = Path(workspace, "submitted", student, assignment, f"{name}.ipynb")
        if not intake.gradable and path.exists():
            aside = Path(workspace, "unreadable", student, assignment)
            aside.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), aside / path.name)


def _add_flags(results, intakes, outcomes) -> None:
    problems = {(o.student, o.assignment): o.problem for o in outcomes if o.problem}
    for result in results:
        intake = intakes.get((result.student, result.assignment, result.notebook))
        if intake is not None:
            result.flags[:0] = intake.flags
            for question in result.questions:
                deleted = f"test cell {question.grade_id} deleted"
                reason = next((f for f in intake.flags if f.startswith(deleted)), "")
                if reason and not question.reason:
                    question.reason = reason
            if not intake.gradable:
                result.flags = [f for f in result.flags if not f.startswith("not graded")]
                for question in result.questions:
                    question.reason = intake.flags[0]
        problem = problems.get((result.student, result.assignment))
        if problem:
            result.flags.append(f"grading: {problem}")
