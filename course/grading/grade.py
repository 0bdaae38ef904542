"""Grade a class: intake, per-student sandboxes in parallel, one merge into the gradebook.

1. Copy the submissions in (folder or zip) and inspect every notebook (intake).
2. Record each assignment in the class's gradebook, and in a template gradebook.
3. Autograde each (student, assignment) in its own sandbox, ``jobs`` at a time,
   showing progress; a crash, a timeout or a hostile notebook stays in its sandbox.
4. Merge: one ``nbgrader autograde`` pass over the executed notebooks, with no
   execution, writes every score into the class's gradebook (one writer only).
5. Feedback (without hidden tests), nbgrader's CSV export, the course's CSV.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from course.grading.cells import read
from course.grading.intake import Intake, import_submissions, inspect_submissions
from course.grading.integrity import TOKENS_DIR_ENV
from course.grading.nbgrader_steps import generate_assignment, run_nbgrader
from course.grading.paths import SOLUTIONS_DIR, notebook_names
from course.grading.report import printable, write_csv
from course.grading.results import NotebookResult, collect
from course.grading.sandbox import Limits, SandboxResult, autograde_in_sandbox


@dataclass
class ClassGrades:
    """The outcome of grading a class."""

    results: list[NotebookResult]
    csv_path: Path
    feedback_dir: Path
    seconds: float
    problems: list[str]  # step-level failures (nbgrader ERROR lines), besides per-notebook flags
    sandboxes: list[SandboxResult] = field(default_factory=list)

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


def _run_sandboxes(workspace, jobs_list, template_db, limits, jobs, progress):
    start = time.perf_counter()
    threads = max(1, (os.cpu_count() or 1) // jobs)
    results: list[SandboxResult] = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {}
        for student, assignment in jobs_list:
            future = pool.submit(
                autograde_in_sandbox,
                workspace,
                student,
                assignment,
                template_db,
                limits,
                _wall_seconds(assignment, limits),
                threads,
            )
            futures[future] = (student, assignment)
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            results.append(result)
            status = "graded" if result.executed else "NOT graded"
            note = f" ({result.problem})" if result.problem else ""
            progress(
                f"  [{done}/{len(futures)}] {result.student} {result.assignment}: {status} in "
                f"{result.seconds:.1f} s{note}  (elapsed {time.perf_counter() - start:.0f} s)"
            )
    return results


def grade_class(
    source: Path,
    workspace: Path,
    jobs: int = 1,
    limits: Limits | None = None,
    progress: Callable[[str], None] = _print,
) -> ClassGrades:
    """Autograde every submission in ``source``; write feedback and CSV grades in ``workspace``."""
    start = time.perf_counter()
    limits = limits or Limits()
    workspace = Path(workspace).resolve()
    workspace.mkdir(parents=True, exist_ok=True)
    for scratch in (".executed", ".tokens", ".sandboxes"):
        shutil.rmtree(workspace / scratch, ignore_errors=True)
    students_by_assignment = import_submissions(source, workspace)
    intakes = inspect_submissions(workspace, students_by_assignment)
    _drop_ungradable(workspace, intakes)

    template_db = workspace / ".sandboxes" / "template.db"
    template_db.parent.mkdir(parents=True, exist_ok=True)
    for assignment in sorted(students_by_assignment):
        generate_assignment(assignment, workspace=workspace, release_dir=workspace / "release")
        generate_assignment(
            assignment,
            workspace=workspace,
            release_dir=workspace / "release",
            db_url=f"sqlite:///{template_db}",
        )
    gradable = {(s, a) for (s, a, _), intake in intakes.items() if intake.gradable}
    todo = [
        (student, assignment)
        for assignment, students in sorted(students_by_assignment.items())
        for student in students
        if (student, assignment) in gradable
    ]
    progress(f"Autograding {len(todo)} submission(s), {jobs} at a time ...")
    sandboxes = _run_sandboxes(workspace, todo, template_db, limits, jobs, progress)

    problems: list[str] = []
    results: list[NotebookResult] = []
    merge_env = {**os.environ, TOKENS_DIR_ENV: str(workspace / ".tokens")}
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


def _add_flags(results, intakes, sandboxes) -> None:
    problems = {(s.student, s.assignment): s.problem for s in sandboxes if s.problem}
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
