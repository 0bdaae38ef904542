"""The grade table printed for the instructor, and the grades CSV."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from course.grading.results import NotebookResult


def _points(value: float) -> str:
    return f"{value:g}"


def grade_table(results: Sequence[NotebookResult]) -> str:
    """A plain-text table: one row per student and notebook, one column per question, flags."""
    lines: list[str] = []
    by_notebook: dict[tuple[str, str], list[NotebookResult]] = {}
    for result in results:
        by_notebook.setdefault((result.assignment, result.notebook), []).append(result)
    for (assignment, notebook), rows in by_notebook.items():
        question_ids = sorted({q.grade_id for r in rows for q in r.questions})
        short = [qid.removesuffix("_tests") for qid in question_ids]
        width = max([len("student")] + [len(r.student) for r in rows])
        header = (
            [f"{'student':<{width}}"]
            + [f"{s:>{max(len(s), 5)}}" for s in short]
            + [
                f"{'total':>9}",
                "flags",
            ]
        )
        lines.append(f"{assignment}/{notebook}")
        lines.append("  ".join(header))
        maxima = {q.grade_id: q.max_score for r in rows for q in r.questions}
        for row in rows:
            scores = {q.grade_id: q.score for q in row.questions}
            cells = [f"{row.student:<{width}}"]
            for qid, s in zip(question_ids, short, strict=True):
                value = f"{_points(scores[qid])}/{_points(maxima[qid])}" if qid in scores else "-"
                cells.append(f"{value:>{max(len(s), 5)}}")
            cells.append(f"{_points(row.score) + '/' + _points(row.max_score):>9}")
            cells.append("; ".join(row.flags) or "ok")
            lines.append("  ".join(cells))
        lines.append("")
    return "\n".join(lines)


def lost_points(results: Sequence[NotebookResult]) -> str:
    """Why each lost point was lost, one line per failing question."""
    lines = []
    for result in results:
        for q in result.questions:
            if q.score < q.max_score:
                lines.append(
                    f"{result.student} {result.assignment}/{result.notebook} {q.grade_id}: "
                    f"{_points(q.score)}/{_points(q.max_score)}  {q.reason[:240]}"
                )
    return "\n".join(lines)


def write_csv(results: Sequence[NotebookResult], path: Path) -> Path:
    """One row per student, notebook and question: the scores and why points were lost."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "student",
                "assignment",
                "notebook",
                "question",
                "score",
                "max_score",
                "reason",
                "flags",
            ]
        )
        for r in results:
            for q in r.questions:
                writer.writerow(
                    [
                        r.student,
                        r.assignment,
                        r.notebook,
                        q.grade_id,
                        q.score,
                        q.max_score,
                        q.reason,
                        "; ".join(r.flags),
                    ]
                )
    return path
