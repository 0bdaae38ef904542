"""Look at each submitted notebook before any code runs, and say what the instructor should
know: missing or renamed notebooks, invalid JSON, deleted or edited test cells, changed
nbgrader metadata, duplicated grade ids, and code that reaches for the grader's internals.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.cells import nbgrader_meta, read
from course.paths import NOTEBOOKS_DIR, notebook_names

SUSPICIOUS = {
    "sys.modules": "edits sys.modules",
    "input_transformers": "rewrites cells as they run",
    "showtraceback": "hides error messages",
    "builtins": "touches builtins",
    "__code__": "swaps function code",
    "course.exercises": "refers to the course's check functions",
    "course.checking": "refers to the course's check machinery",
    "gradebook": "looks for the gradebook",
    "solutions": "looks for the solutions",
    "register_cell_magic": "defines cell magics",
    "atexit": "registers exit hooks",
}


_COMPARED = ("grade", "solution", "locked", "points", "task")


@dataclass
class Intake:
    """What was found in one student's notebook before grading."""

    student: str
    assignment: str
    notebook: str
    gradable: bool = True
    flags: list[str] = field(default_factory=list)


def _cells_by_id(nb) -> dict[str, object]:
    return {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if nbgrader_meta(c).get("grade_id")}


def inspect_notebook(path: Path, release_path: Path, student: str, assignment: str) -> Intake:
    """Compare a submitted notebook with the released one, without running anything."""
    intake = Intake(student, assignment, release_path.stem)
    if not path.is_file():
        others = sorted(p.name for p in path.parent.glob("*.ipynb"))
        hint = f" (found {', '.join(others)}: renamed?)" if others else ""
        intake.flags.append(f"missing notebook {path.name}{hint}")
        intake.gradable = False
        return intake
    try:
        submitted = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    except Exception as error:  # invalid JSON, wrong format, undecodable bytes
        intake.flags.append(f"invalid notebook file: {type(error).__name__}: {str(error)[:80]}")
        intake.gradable = False
        return intake
    release = read(release_path)
    released = _cells_by_id(release)
    ids = [nbgrader_meta(c).get("grade_id") for c in submitted.cells if nbgrader_meta(c)]
    duplicates = sorted(i for i, n in Counter(ids).items() if i and n > 1)
    if duplicates:
        intake.flags.append(f"duplicated grade_id {', '.join(duplicates)} (copied cell)")
    present = _cells_by_id(submitted)
    for grade_id, original in released.items():
        meta = nbgrader_meta(original)
        cell = present.get(grade_id)
        if cell is None:
            if meta.get("grade") or meta.get("locked"):
                intake.flags.append(f"test cell {grade_id} deleted (nbgrader scores it 0)")
            continue
        changed = [k for k in _COMPARED if nbgrader_meta(cell).get(k) != meta.get(k)]
        if changed:
            intake.flags.append(f"nbgrader metadata of {grade_id} changed: {', '.join(changed)}")
        if meta.get("locked") and cell.source != original.source:
            intake.flags.append(f"locked cell {grade_id} edited (restored from the source)")
    given = {c.source for c in release.cells if c.cell_type == "code"}
    student_code = "\n".join(
        c.source
        for c in submitted.cells
        if c.cell_type == "code" and c.source not in given and not nbgrader_meta(c).get("locked")
    )
    reasons = sorted({why for word, why in SUSPICIOUS.items() if word in student_code})
    if reasons:
        intake.flags.append("review: code that " + "; ".join(reasons))
    return intake


def inspect_submissions(workspace: Path, students_by_assignment: dict[str, list[str]]):
    """Intake of every (student, notebook) submitted, keyed (student, assignment, notebook)."""
    found: dict[tuple[str, str, str], Intake] = {}
    for assignment, students in students_by_assignment.items():
        for student in students:
            for name in notebook_names(assignment):
                path = Path(workspace, "submitted", student, assignment, f"{name}.ipynb")
                release = NOTEBOOKS_DIR / assignment / f"{name}.ipynb"
                found[(student, assignment, name)] = inspect_notebook(
                    path, release, student, assignment
                )
    return found
