"""The grade table printed for the instructor, and the grades CSV."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

from course.grading.results import NotebookResult

# Terminal escape sequences: CSI (ESC [ ... final byte, or the 8-bit CSI U+009B), OSC, DCS,
# SOS, PM and APC strings (up to BEL or ST), and two-character ESC sequences.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]?",
    re.S,
)
# What is left: C0 controls (tab, newline and carriage return included: a cell is one line),
# DEL, C1 controls, zero-width characters, bidi embeddings, overrides and isolates, BOM.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_WHITESPACE_CONTROL = re.compile(r"[\t\n\r\v\f]")


def printable(text: object) -> str:
    """``text`` safe to print in a terminal or a spreadsheet cell: one line, no escape sequences,
    no control, zero-width or bidi-override characters (tabs and newlines become spaces)."""
    text = _ESCAPE.sub("", str(text))
    return _CONTROL.sub("", _WHITESPACE_CONTROL.sub(" ", text))


def _csv_cell(value: object) -> object:
    """A grades.csv cell: numbers as they are, text printable and never read as a formula."""
    if isinstance(value, (int, float)):
        return value
    text = printable(value)
    return "'" + text if text.lstrip()[:1] in ("=", "+", "-", "@") else text


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
        short = [printable(qid.removesuffix("_tests")) for qid in question_ids]
        width = max([len("student")] + [len(printable(r.student)) for r in rows])
        header = (
            [f"{'student':<{width}}"]
            + [f"{s:>{max(len(s), 5)}}" for s in short]
            + [
                f"{'total':>9}",
                "flags",
            ]
        )
        lines.append(printable(f"{assignment}/{notebook}"))
        lines.append("  ".join(header))
        maxima = {q.grade_id: q.max_score for r in rows for q in r.questions}
        for row in rows:
            scores = {q.grade_id: q.score for q in row.questions}
            cells = [f"{printable(row.student):<{width}}"]
            for qid, s in zip(question_ids, short, strict=True):
                value = f"{_points(scores[qid])}/{_points(maxima[qid])}" if qid in scores else "-"
                cells.append(f"{value:>{max(len(s), 5)}}")
            cells.append(f"{_points(row.score) + '/' + _points(row.max_score):>9}")
            cells.append(printable("; ".join(row.flags)) or "ok")
            lines.append("  ".join(cells))
        lines.append("")
    return "\n".join(lines)


def lost_points(results: Sequence[NotebookResult]) -> str:
    """Why each lost point was lost, one line per failing question."""
    lines = []
    for result in results:
        for q in result.questions:
            if q.score < q.max_score:
                where = f"{result.student} {result.assignment}/{result.notebook} {q.grade_id}"
                lines.append(
                    f"{printable(where)}: {_points(q.score)}/{_points(q.max_score)}  "
                    f"{printable(q.reason)[:240]}"
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
                row = [
                    r.student,
                    r.assignment,
                    r.notebook,
                    q.grade_id,
                    q.score,
                    q.max_score,
                    q.reason,
                    "; ".join(r.flags),
                ]
                writer.writerow([_csv_cell(value) for value in row])
    return path
