"""Grade a class: import submissions, autograde, feedback, export, results.

Submissions are read from a folder laid out ``<student>/<assignment>/<notebook>.ipynb``
and *copied* into the workspace: the students' files are never modified.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from course.grading.nbgrader_steps import generate_assignment, run_nbgrader
from course.grading.paths import assignments
from course.grading.report import write_csv
from course.grading.results import NotebookResult, collect


@dataclass
class ClassGrades:
    """The outcome of grading a class."""

    results: list[NotebookResult]
    csv_path: Path
    feedback_dir: Path
    seconds: float
    problems: list[str]  # step-level failures (nbgrader ERROR lines), besides per-notebook flags

    @property
    def needs_attention(self) -> bool:
        return bool(self.problems) or any(r.flags for r in self.results)


def import_submissions(source: Path, workspace: Path) -> dict[str, list[str]]:
    """Copy ``source/<student>/<assignment>/`` into ``workspace/submitted``.

    Returns assignment -> students. Raises FileNotFoundError / ValueError with what to fix.
    """
    source = Path(source)
    if not source.is_dir():
        raise FileNotFoundError(
            f"no submissions folder {source}: expected "
            "<student>/<assignment>/<notebook>.ipynb below it."
        )
    known = set(assignments())
    found: dict[str, list[str]] = {}
    for student_dir in sorted(p for p in source.iterdir() if p.is_dir()):
        for assignment_dir in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            if assignment_dir.name not in known:
                raise ValueError(
                    f"{assignment_dir}: unknown assignment {assignment_dir.name!r}; "
                    f"the course's assignments are {sorted(known)}."
                )
            target = Path(workspace, "submitted", student_dir.name, assignment_dir.name)
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(assignment_dir, target)
            found.setdefault(assignment_dir.name, []).append(student_dir.name)
    if not found:
        raise ValueError(
            f"no submissions in {source}: expected "
            "<student>/<assignment>/<notebook>.ipynb below it."
        )
    return found


def grade_class(source: Path, workspace: Path) -> ClassGrades:
    """Autograde every submission in ``source``; write feedback and CSV grades in ``workspace``."""
    start = time.perf_counter()
    workspace = Path(workspace)
    workspace.mkdir(parents=True, exist_ok=True)
    students_by_assignment = import_submissions(source, workspace)
    results: list[NotebookResult] = []
    problems: list[str] = []
    for assignment, students in sorted(students_by_assignment.items()):
        # Records the assignment's cells in this workspace's gradebook (release kept local).
        generate_assignment(assignment, workspace=workspace, release_dir=workspace / "release")
        for student in students:
            step = run_nbgrader(
                "autograde",
                assignment,
                f"--student={student}",
                "--force",
                workspace=workspace,
                check=False,
            )
            problems += [f"{student}/{assignment}: {line}" for line in step.errors]
        step = run_nbgrader(
            "generate_feedback", assignment, "--force", workspace=workspace, check=False
        )
        problems += [f"feedback {assignment}: {line}" for line in step.errors]
        results += collect(workspace, assignment, students)
    run_nbgrader(
        "export", f"--CsvExportPlugin.to={workspace / 'nbgrader_grades.csv'}", workspace=workspace
    )
    csv_path = write_csv(results, workspace / "grades.csv")
    return ClassGrades(
        results, csv_path, workspace / "feedback", time.perf_counter() - start, problems
    )
