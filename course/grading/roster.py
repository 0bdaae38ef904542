"""Student ids: from a roster CSV (LMS id, login or name -> id), or a safe slug of the name.

nbgrader puts a student id in paths, globs and ``--student=`` arguments: ``STUDENT_ID`` is what
is used as is; any other name ('José Núñez', '-rf') becomes a slug, reported to the instructor.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from course.grading.intake import Submissions
    from course.grading.layouts import SubmittedFile

#: A student id used as is: nbgrader puts it in paths, globs and ``--student=`` arguments.
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")


def student_id_of(name: str) -> str:
    """The name itself if it is a safe id, else its slug."""
    return name if STUDENT_ID.match(name) else slug(name)


def slug(name: str) -> str:
    """A safe, stable student id from any name: 'José Núñez' -> 'jose-nunez', '-rf' -> 'rf'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return text or "student-" + hashlib.sha1(name.encode()).hexdigest()[:8]


def read_roster(path: Path) -> dict[str, str]:
    """LMS id, login or name -> student id, from a CSV with a header row.

    Columns: ``student_id`` (required: the id used in the gradebook, letters, digits and
    ``_.@+-``), and any of ``lms_id`` (Canvas user id, Moodle participant id), ``login``
    (Canvas login, folder name) and ``name`` (full name as Moodle writes it), e.g.
    ``student_id,lms_id,name`` / ``jdoe,12345,Jane Doe``.
    """
    path = Path(path)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "student_id" not in rows[0]:
        raise ValueError(
            f"{path}: a roster is a CSV with a header holding student_id and any of "
            "lms_id, login, name (e.g. 'student_id,lms_id,name')."
        )
    mapping: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        student_id = (row.get("student_id") or "").strip()
        if not STUDENT_ID.match(student_id):
            raise ValueError(
                f"{path}, line {number}: student_id {student_id!r} must start with a letter or "
                "digit and hold only letters, digits and _.@+-"
            )
        for column in ("lms_id", "login", "name"):
            key = (row.get(column) or "").strip()
            if key:
                mapping[key.casefold()] = student_id
    return mapping


def assign_ids(
    parsed: list[SubmittedFile], roster: dict[str, str] | None, found: Submissions
) -> dict:
    """(student as found, lms id) -> student id; every name made safe, collisions resolved."""
    keys = sorted({(f.student, f.lms_id) for f in parsed})
    ids: dict[tuple[str, str], str] = {}
    taken: dict[str, tuple[str, str]] = {}
    for student, lms_id in keys:
        student_id = None
        if roster is not None:
            student_id = roster.get(lms_id.casefold()) if lms_id else None
            student_id = student_id or roster.get(student.casefold())
            if student_id is None:
                found.notes.append(f"{student!r} ({lms_id or 'no LMS id'}) is not in the roster")
        if student_id is None:
            student_id = student_id_of(student)
            if student_id != student:
                found.notes.append(f"student {student!r} graded as {student_id!r}")
        if student_id in taken and taken[student_id] != (student, lms_id) and roster is None:
            student_id = f"{student_id}-{lms_id or hashlib.sha1(student.encode()).hexdigest()[:6]}"
            found.notes.append(f"student {student!r} graded as {student_id!r} (name shared)")
        taken[student_id] = (student, lms_id)
        ids[(student, lms_id)] = student_id
        found.names[student_id] = student
    return ids
