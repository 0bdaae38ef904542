"""Bring a class's submissions in: the export's notebooks copied into the workspace.

Reads a folder or a zip (``course.grading.archive``) in one of the ``LAYOUTS``
(``course.grading.layouts``: ``<student>/<assignment>/<notebook>.ipynb``, Canvas's flat
download, Moodle's folders; possibly wrapped in one top folder), maps every student to a safe
id (``course.grading.roster``: a roster CSV, or a slug of the LMS name), picks one of several
resubmissions and copies the notebooks into the workspace (the originals are never
modified). ``course.grading.inspection`` then looks at each notebook before any code runs.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from course.grading.archive import files_of, folders_of
from course.grading.layouts import (
    LAYOUTS,
    SubmittedFile,
    check_assignment_folders,
    detect,
    layouts_message,
    parse,
    strip_top_folder,
)
from course.grading.roster import assign_ids, read_roster, student_id_of
from course.paths import assignments

KEEP_CHOICES = ("newest", "first", "refuse")


class Submissions(dict):
    """assignment -> student ids (what grading needs), plus what the intake found on the way.

    ``layout``: the layout read; ``names``: student id -> the name as found in the export
    (folder, Canvas login or Moodle full name); ``notes``: what the instructor should know
    (resubmissions kept, late files, ids derived from names, roster misses).
    """

    def __init__(self, layout: str = ""):
        super().__init__()
        self.layout = layout
        self.names: dict[str, str] = {}
        self.notes: list[str] = []


def _pick(group: list[SubmittedFile], keep: str, found: Submissions) -> SubmittedFile:
    """One file out of several for the same student, assignment and notebook."""
    group = sorted(group, key=lambda f: (f.attempt, f.origin))
    origins = ", ".join(repr(f.origin) for f in group)
    if len({f.data() for f in group}) == 1:
        found.notes.append(f"identical copies {origins}: kept one")
        return group[-1]
    attempts = [f.attempt for f in group]
    if len(set(attempts)) != len(attempts):
        raise ValueError(
            f"two different files for the same notebook: {origins}; they are not numbered "
            "resubmissions: remove all but one from the export."
        )
    if keep == "refuse":
        raise ValueError(
            f"resubmissions of the same notebook: {origins}; remove all but one from the "
            "export, or pass --keep newest or --keep first."
        )
    chosen, other = (group[-1], "first") if keep == "newest" else (group[0], "newest")
    found.notes.append(
        f"kept the {keep} resubmission {chosen.origin!r} of {origins}; pass --keep {other} to "
        f"grade the {other} one instead, --keep refuse to stop"
    )
    return chosen


def import_submissions(
    source: Path,
    workspace: Path,
    *,
    roster: Path | None = None,
    assignment: str | None = None,
    keep: str = "newest",
) -> Submissions:
    """Copy ``source`` (folder or .zip) into ``workspace/submitted/<student>/<assignment>/``.

    Layouts read (``LAYOUTS``, one named regex each, possibly in one wrapping folder):
    ``<student>/<assignment>/<notebook>.ipynb``; Canvas's flat
    ``<login>_[LATE_]<user id>_<submission id>_<notebook>[-<n>].ipynb`` (the assignment is
    ``assignment`` or the one whose notebook has that name); Moodle's
    ``<Full Name>_<id>_assignsubmission_file_/<notebook>.ipynb``. ``roster``: a CSV mapping
    LMS ids/logins/names to student ids (``read_roster``); without one, a name that is not
    a plain id (spaces, accents, a leading '-') becomes a safe slug, reported in ``notes``.
    ``keep``: which of several Canvas resubmissions to grade (newest, first, or refuse).
    ``.ipynb_checkpoints/``, ``__MACOSX/`` and ``.DS_Store`` are ignored; absolute paths,
    ``..`` and symlinks are refused. Returns assignment -> student ids (a ``Submissions``).

    Raises FileNotFoundError / ValueError saying what to fix.
    """
    source = Path(source)
    if keep not in KEEP_CHOICES:
        raise ValueError(f"keep must be one of {', '.join(KEEP_CHOICES)}, not {keep!r}")
    if assignment is not None and assignment not in assignments():
        raise ValueError(f"unknown assignment {assignment!r}; the course's are {assignments()}.")
    if not source.exists():
        raise FileNotFoundError(
            f"no submissions folder or zip at {source}: expected "
            "<student>/<assignment>/<notebook>.ipynb below it, or a Canvas or Moodle export "
            f"({layouts_message()})."
        )
    if source.is_file() and not zipfile.is_zipfile(source):
        raise ValueError(f"{source} is neither a folder nor a zip: unpack it, or give the zip.")
    files = strip_top_folder(files_of(source))
    layout = detect(files)
    if layout is None and source.is_dir():
        check_assignment_folders(source)
    if layout is None:
        notebooks = sorted(n for n in files if n.endswith(".ipynb"))
        odd = [n for n in notebooks if not any(lay.match(n) for lay in LAYOUTS)]
        shown = ", ".join(repr(n) for n in (odd or notebooks or sorted(files))[:3])
        raise ValueError(
            f"no submissions in {source}: "
            + (f"{shown} fit no layout" if files else "it is empty")
            + f" (or the layouts are mixed). Layouts understood: {layouts_message()}."
        )
    found = Submissions(layout.name)
    parsed = parse(files, layout, assignment)
    table = read_roster(roster) if roster is not None else None
    ids = assign_ids(parsed, table, found)
    groups: dict[tuple[str, str, str], list[SubmittedFile]] = {}
    for item in parsed:
        key = (ids[(item.student, item.lms_id)], item.assignment, item.name)
        groups.setdefault(key, []).append(item)
    chosen = {k: g[0] if len(g) == 1 else _pick(g, keep, found) for k, g in groups.items()}
    submitted = Path(workspace, "submitted")
    for student_id, owner in sorted({(k[0], k[1]) for k in chosen}):
        target = submitted / student_id / owner
        if target.exists():
            shutil.rmtree(target)
        found.setdefault(owner, []).append(student_id)
    for (student_id, owner, name), item in sorted(chosen.items()):
        if item.late:
            found.notes.append(f"{student_id} {owner}: {item.origin!r} was submitted late")
        target = submitted / student_id / owner / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.data())
    if layout.name == "folders":
        _add_empty_submissions(source, submitted, found)
    for students in found.values():
        students.sort()
    return found


def _add_empty_submissions(source: Path, submitted: Path, found: Submissions) -> None:
    """Students whose ``<student>/<assignment>/`` folder holds no notebook: still graded (as
    missing notebooks, 0 points with the reason), not silently left out."""
    known = set(assignments())
    folders = folders_of(source)
    wrapped = len({f[0] for f in folders}) == 1  # one folder around the export
    for folder in sorted(folders):
        parts = folder[1:] if wrapped and len(folder) == 3 else folder
        if len(parts) != 2 or parts[1] not in known:
            continue
        name, owner = parts
        student_id = student_id_of(name)
        students = found.setdefault(owner, [])
        if student_id in students:
            continue
        students.append(student_id)
        (submitted / student_id / owner).mkdir(parents=True, exist_ok=True)
        found.names.setdefault(student_id, name)
        found.notes.append(f"{student_id} {owner}: the folder holds no notebook")
