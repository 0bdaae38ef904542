"""Bring a class's submissions in, and look at each notebook before any code runs.

Reads a folder or a zip laid out ``<student>/<assignment>/<notebook>.ipynb``
(a zip may wrap it in one top folder, as LMS exports do), copies it into the
workspace (the originals are never modified), and reports per notebook what
the instructor should know: missing or renamed notebooks, invalid JSON,
deleted or edited test cells, changed nbgrader metadata, duplicated grade ids,
and code that reaches for the grader's internals.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.grading.cells import nbgrader_meta, read
from course.grading.paths import NOTEBOOKS_DIR, assignments, notebook_names

MAX_ZIP_BYTES = 2 * 1024**3
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")
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


def _unpack(source: Path, into: Path) -> Path:
    """Extract a zip safely (no absolute paths, no '..', bounded size); return the class root."""
    with zipfile.ZipFile(source) as archive:
        total = sum(info.file_size for info in archive.infolist())
        if total > MAX_ZIP_BYTES:
            raise ValueError(f"{source} unpacks to {total / 1e9:.1f} GB; the limit is 2 GB.")
        for info in archive.infolist():
            target = (into / info.filename).resolve()
            if not str(target).startswith(str(into.resolve())):
                raise ValueError(f"{source}: refusing the unsafe path {info.filename!r}.")
        archive.extractall(into)
    entries = [p for p in into.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    known = set(assignments())
    if len(entries) == 1 and entries[0].is_dir():
        inner = entries[0]
        if not any(p.name in known for p in inner.iterdir() if p.is_dir()):
            return inner  # one wrapping folder around the student folders
    return into


def import_submissions(source: Path, workspace: Path) -> dict[str, list[str]]:
    """Copy ``source`` (folder or .zip) into ``workspace/submitted``; assignment -> students.

    Raises FileNotFoundError / ValueError saying what to fix.
    """
    source = Path(source)
    if source.is_file() and zipfile.is_zipfile(source):
        with tempfile.TemporaryDirectory() as tmp:
            return import_submissions(_unpack(source, Path(tmp)), workspace)
    if not source.is_dir():
        raise FileNotFoundError(
            f"no submissions folder or zip at {source}: expected "
            "<student>/<assignment>/<notebook>.ipynb below it."
        )
    known = set(assignments())
    found: dict[str, list[str]] = {}
    for student_dir in sorted(p for p in source.iterdir() if p.is_dir()):
        if student_dir.name.startswith((".", "__MACOSX")):
            continue
        if not _ID.match(student_dir.name):
            raise ValueError(f"{student_dir}: a student id may hold letters, digits and _.@+-")
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
            f"no submissions in {source}: "
            "expected <student>/<assignment>/<notebook>.ipynb below it."
        )
    return found


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


def drop_duplicate_grade_ids(path: Path) -> None:
    """Keep the first cell of each grade_id; later copies become plain cells.

    nbgrader 0.9 refuses to read a notebook with a duplicated grade_id (a copied cell, nbgrader
    issue #1083) before its own DeduplicateIds can run; this does what DeduplicateIds would.
    """
    nb = read(path)
    seen: set[str] = set()
    changed = False
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id and grade_id in seen:
            del cell.metadata["nbgrader"]
            changed = True
        elif grade_id:
            seen.add(grade_id)
    if changed:
        nbformat.write(nb, str(path))
