"""Grades and problems of an autograded class, read from the gradebook and the notebooks.

nbgrader records scores in its gradebook but reports timeouts, crashes and
errors only in the autograded notebooks' outputs; this module puts both together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from course.cells import nbgrader_meta, read


@dataclass
class QuestionResult:
    """One graded cell of one submission."""

    grade_id: str
    score: float
    max_score: float
    reason: str = ""  # why points were lost, e.g. "AssertionError: conv_params(...) returned 640"


@dataclass
class NotebookResult:
    """One student's notebook of one assignment."""

    student: str
    assignment: str
    notebook: str
    questions: list[QuestionResult] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # things the instructor should look at

    @property
    def score(self) -> float:
        return sum(q.score for q in self.questions)

    @property
    def max_score(self) -> float:
        return sum(q.max_score for q in self.questions)


def _first_error(cell) -> str:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            value = str(output.get("evalue", "")).strip().splitlines()
            return f"{output.get('ename')}: {value[0] if value else ''}".strip().rstrip(":")
    return ""


def cell_seconds(cell) -> float | None:
    """Execution time of an executed cell, from nbclient's recorded timestamps."""
    timing = cell.get("metadata", {}).get("execution", {})
    try:
        start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return None
    return (end - start).total_seconds()


def notebook_problems(nb) -> tuple[dict[str, str], list[str]]:
    """(grade_id -> error of each failing grade cell, flags for the instructor)."""
    reasons: dict[str, str] = {}
    flags: list[str] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        error = _first_error(cell)
        meta = nbgrader_meta(cell)
        if "CellTimeoutError" in error or error.startswith("KeyboardInterrupt"):
            # nbgrader interrupts a cell at the time limit: the kernel reports KeyboardInterrupt
            flags.append(f"timeout in cell {index}")
        elif "DeadKernelError" in error:
            flags.append(f"kernel died in cell {index}")
        if not error:
            continue
        if meta.get("grade") and not meta.get("solution"):
            reasons[meta["grade_id"]] = error
        elif not any(k in error for k in ("CellTimeoutError", "DeadKernelError", "KeyboardInt")):
            flags.append(f"error outside the graded cells, cell {index}: {error[:80]}")
    return reasons, flags


def collect(workspace: Path, assignment: str, students: list[str]) -> list[NotebookResult]:
    """Results of every (student, notebook) of ``assignment``, from the workspace's gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    results: list[NotebookResult] = []
    db_url = f"sqlite:///{(Path(workspace) / 'gradebook.db').resolve()}"
    with Gradebook(db_url) as gradebook:
        notebooks = gradebook.find_assignment(assignment).notebooks
        for student in students:
            for notebook in notebooks:
                result = NotebookResult(student, assignment, notebook.name)
                results.append(result)
                path = Path(workspace, "autograded", student, assignment, f"{notebook.name}.ipynb")
                try:
                    submission = gradebook.find_submission_notebook(
                        notebook.name, assignment, student
                    )
                except MissingEntry:
                    submission = None
                if submission is None or not path.is_file():
                    result.flags.append("not graded: notebook missing or autograding failed")
                    result.questions = [
                        QuestionResult(cell.name, 0.0, cell.max_score, "not graded")
                        for cell in notebook.grade_cells
                    ]
                    continue
                reasons, result.flags = notebook_problems(read(path))
                for grade in sorted(submission.grades, key=lambda g: g.name):
                    if grade.cell_type != "code":
                        continue
                    score = grade.score if grade.score is not None else 0.0
                    result.questions.append(
                        QuestionResult(
                            grade.name, score, grade.max_score, reasons.get(grade.name, "")
                        )
                    )
    return results
