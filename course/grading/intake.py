"""Bring a class's submissions in, and look at each notebook before any code runs.

Reads a folder or a zip in one of the ``LAYOUTS`` (``<student>/<assignment>/<notebook>.ipynb``,
Canvas's flat download, Moodle's folders; possibly wrapped in one top folder), maps every
student to a safe id (a roster CSV, or a slug of the LMS name), copies the notebooks into the
workspace (the originals are never modified), and reports per notebook what
the instructor should know: missing or renamed notebooks, invalid JSON,
deleted or edited test cells, changed nbgrader metadata, duplicated grade ids,
and code that reaches for the grader's internals.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import stat
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from course.cells import nbgrader_meta, read
from course.paths import NOTEBOOKS_DIR, assignments, notebook_names

MAX_ZIP_BYTES = 2 * 1024**3
#: A student id used as is: nbgrader puts it in paths, globs and ``--student=`` arguments.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")
#: Files and folders an OS or Jupyter adds; never submissions.
IGNORED = {".ipynb_checkpoints", "__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini"}
KEEP_CHOICES = ("newest", "first", "refuse")
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


@dataclass(frozen=True)
class Layout:
    """One export layout: a named regex on a file's path relative to the class root.

    As in nbgrader's ZipCollect ``FileNameCollectorPlugin.named_regexp``: ``student`` (the
    LMS login, name or folder) and ``file_id`` (the file as uploaded) must be present;
    ``lms_id``, ``assignment``, ``late`` and ``attempt`` are used when the layout has them.
    ``nested``: the same for files in subfolders (data files a student added), if allowed.
    """

    name: str
    regex: re.Pattern
    example: str
    nested: re.Pattern | None = None

    def match(self, path: str, nested: bool = True) -> re.Match | None:
        return self.regex.match(path) or (nested and self.nested and self.nested.match(path))


LAYOUTS = (
    Layout(
        "folders",
        re.compile(r"^(?P<student>[^/]+)/(?P<assignment>[^/]+)/(?P<file_id>[^/]+)$"),
        "<student>/02-cnn-layers/cnn_layers.ipynb",
        re.compile(r"^(?P<student>[^/]+)/(?P<assignment>[^/]+)/(?P<file_id>.+)$"),
    ),
    Layout(  # Canvas "Download Submissions": login_[LATE_]userid_submissionid_<uploaded name>
        "canvas",
        re.compile(
            r"^(?P<student>[^_/]+)_(?:(?P<late>LATE)_)?(?P<lms_id>\d+)_(?P<submission>\d+)_"
            r"(?P<file_id>[^/]+\.ipynb)$"
        ),
        "doejane_12345_67890_cnn_layers.ipynb (late, resubmitted: "
        "doejane_LATE_12345_67890_cnn_layers-1.ipynb)",
    ),
    Layout(  # Moodle "Download all submissions": <Full Name>_<participant id>_assignsubmission_...
        "moodle",
        re.compile(
            r"^(?P<student>[^/]+?)_(?P<lms_id>\d+)_assignsubmission_file_?/(?P<file_id>[^/]+)$"
        ),
        "Jane Doe_12345_assignsubmission_file_/cnn_layers.ipynb",
        re.compile(
            r"^(?P<student>[^/]+?)_(?P<lms_id>\d+)_assignsubmission_file_?/(?P<file_id>.+)$"
        ),
    ),
)
_RESUBMISSION = re.compile(r"^(?P<stem>.+)-(?P<attempt>\d+)$")  # Canvas renames cnn_layers-1


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


@dataclass
class _File:
    """One submitted file: where it is read from and whom and what it belongs to."""

    origin: str  # path as found in the export, for messages
    data: Callable[[], bytes]
    student: str  # as found in the export
    lms_id: str
    assignment: str
    name: str  # relative path inside the assignment folder
    attempt: int = 0
    late: bool = False


def _layouts_message() -> str:
    return "; ".join(f"{layout.name}: {layout.example}" for layout in LAYOUTS)


def _ignored(parts: tuple[str, ...]) -> bool:
    return any(p in IGNORED or p.startswith("._") for p in parts)


def _unsafe(name: str) -> str | None:
    """Why a path from an export must not be used, or None."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "an absolute path"
    if ".." in re.split(r"[/\\]", name):
        return "a '..' path"
    return None


def _unpack(source: Path, into: Path) -> Path:
    """Extract a zip safely (no absolute paths, '..', symlinks; bounded size); return its root."""
    with zipfile.ZipFile(source) as archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        if total > MAX_ZIP_BYTES:
            raise ValueError(f"{source} unpacks to {total / 1e9:.1f} GB; the limit is 2 GB.")
        _check_entries(source, infos)
        for info in infos:
            if not info.is_dir() and not _ignored(tuple(info.filename.split("/"))):
                archive.extract(info, into)
    return into


def _check_entries(source: Path, infos: list[zipfile.ZipInfo]) -> None:
    seen: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        why = _unsafe(info.filename)
        if why:
            raise ValueError(
                f"{source}: refusing the unsafe path {info.filename!r} ({why} would write "
                "outside the workspace); re-create the zip from the submissions folder."
            )
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ValueError(
                f"{source}: refusing the symlink {info.filename!r}; a submission holds files only."
            )
        if info.is_dir() or _ignored(tuple(info.filename.split("/"))):
            continue
        if info.filename in seen:
            raise ValueError(
                f"{source} holds {info.filename!r} twice (entries "
                f"{infos.index(seen[info.filename])} and {infos.index(info)}); unzip it, keep "
                "the right file and zip it again."
            )
        seen[info.filename] = info


def _files_of(source: Path) -> dict[str, Callable[[], bytes]]:
    """Relative posix path -> reader of every non-ignored file below a folder or in a zip."""
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            if total > MAX_ZIP_BYTES:
                raise ValueError(f"{source} unpacks to {total / 1e9:.1f} GB; the limit is 2 GB.")
            _check_entries(source, infos)
            names = [
                i.filename
                for i in infos
                if not i.is_dir() and not _ignored(tuple(i.filename.split("/")))
            ]

        def reader(name):
            def read_entry() -> bytes:
                with zipfile.ZipFile(source) as archive:
                    return archive.read(name)

            return read_entry

        return {name: reader(name) for name in names}
    files: dict[str, Callable[[], bytes]] = {}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if _ignored(relative.parts):
            continue
        if path.is_symlink():
            raise ValueError(
                f"{path}: refusing a symlink in the submissions (it could point outside them); "
                "replace it with the file it points to."
            )
        if path.is_file():
            files[relative.as_posix()] = path.read_bytes
    return files


def _strip_top_folder(files: dict[str, Callable[[], bytes]]) -> dict[str, Callable[[], bytes]]:
    """Drop one folder wrapping everything (as LMS and OS zips do) if the rest is a layout."""
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and all("/" in name for name in files):
        inner = {name.split("/", 1)[1]: read for name, read in files.items()}
        if _detect(files) is None and _detect(inner) is not None:
            return inner
    return files


def _detect(files: dict[str, Callable[[], bytes]]) -> Layout | None:
    notebooks = [n for n in files if n.endswith(".ipynb")]
    for layout in LAYOUTS:
        if (
            notebooks
            and all(layout.match(n) for n in notebooks)
            and any(layout.match(n, nested=False) for n in notebooks)
        ):
            return layout
    return None


def _check_assignment_folders(root: Path) -> None:
    """Refuse a ``<student>/<folder>/`` that is no assignment, even without notebooks in it."""
    known = set(assignments())
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir() and not _ignored((p.name,))):
        for folder in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            if folder.name not in known and not _ignored((folder.name,)):
                raise ValueError(
                    f"{folder}: unknown assignment {folder.name!r}; the course's assignments are "
                    f"{sorted(known)} (expected <student>/<assignment>/<notebook>.ipynb)."
                )


def _canvas_assignment(file_id: str, assignment: str | None, by_notebook: dict) -> tuple:
    """(assignment, notebook file name, attempt) of a Canvas file such as cnn_layers-2.ipynb."""
    stem = file_id[: -len(".ipynb")]
    attempt = 0
    resubmitted = _RESUBMISSION.match(stem)
    if (
        resubmitted
        and stem not in by_notebook
        and (assignment or resubmitted["stem"] in by_notebook)
    ):
        stem, attempt = resubmitted["stem"], int(resubmitted["attempt"])
    if assignment is None:
        owners = by_notebook.get(stem, [])
        if len(owners) != 1:
            raise ValueError(
                f"{file_id}: cannot tell which assignment this Canvas file belongs to (its name "
                f"matches {len(owners)} assignment notebook(s)); pass --assignment, e.g. "
                f"--assignment {assignments()[0] if assignments() else '02-cnn-layers'}."
            )
        assignment = owners[0]
    return assignment, f"{stem}.ipynb", attempt


def _moodle_assignment(files: dict, by_notebook: dict[str, list[str]]) -> str:
    """The one assignment a Moodle download (one per assignment) is of, from its notebook names."""
    stems = {n.rsplit("/", 1)[-1][: -len(".ipynb")] for n in files if n.endswith(".ipynb")}
    owners = {a for stem in stems for a in by_notebook.get(stem, [])}
    if len(owners) != 1:
        raise ValueError(
            f"cannot tell which assignment this Moodle download is of (its notebooks' names match "
            f"{sorted(owners) or 'no assignment'}); pass --assignment, e.g. --assignment "
            f"{sorted(owners)[0] if owners else '02-cnn-layers'}."
        )
    return owners.pop()


def _parse(
    files: dict[str, Callable[[], bytes]], layout: Layout, assignment: str | None
) -> list[_File]:
    known = set(assignments())
    by_notebook: dict[str, list[str]] = {}
    for a in known:
        for name in notebook_names(a):
            by_notebook.setdefault(name, []).append(a)
    if layout.name == "moodle" and assignment is None:
        assignment = _moodle_assignment(files, by_notebook)
    parsed = []
    for origin, data in files.items():
        match = layout.match(origin)
        if match is None:
            continue  # a loose non-notebook file (readme, feedback) outside the layout
        groups = match.groupdict()
        if layout.name == "canvas":
            owner, name, attempt = _canvas_assignment(groups["file_id"], assignment, by_notebook)
        elif layout.name == "moodle":
            owner, name, attempt = assignment, groups["file_id"], 0
        else:
            owner, name, attempt = groups["assignment"], groups["file_id"], 0
        if owner not in known:
            raise ValueError(
                f"{origin}: unknown assignment {owner!r}; the course's assignments are "
                f"{sorted(known)} (read as the {layout.name} layout, {layout.example})."
            )
        lms_id = groups.get("lms_id") or ""
        late = bool(groups.get("late"))
        parsed.append(_File(origin, data, groups["student"], lms_id, owner, name, attempt, late))
    return parsed


def _slug(name: str) -> str:
    """A safe, stable student id from any name: 'José Núñez' -> 'jose-nunez', '-rf' -> 'rf'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "student-" + hashlib.sha1(name.encode()).hexdigest()[:8]


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
        if not _ID.match(student_id):
            raise ValueError(
                f"{path}, line {number}: student_id {student_id!r} must start with a letter or "
                "digit and hold only letters, digits and _.@+-"
            )
        for column in ("lms_id", "login", "name"):
            key = (row.get(column) or "").strip()
            if key:
                mapping[key.casefold()] = student_id
    return mapping


def _assign_ids(parsed: list[_File], roster: dict[str, str] | None, found: Submissions) -> dict:
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
            student_id = student if _ID.match(student) else _slug(student)
            if student_id != student:
                found.notes.append(f"student {student!r} graded as {student_id!r}")
        if student_id in taken and taken[student_id] != (student, lms_id) and roster is None:
            student_id = f"{student_id}-{lms_id or hashlib.sha1(student.encode()).hexdigest()[:6]}"
            found.notes.append(f"student {student!r} graded as {student_id!r} (name shared)")
        taken[student_id] = (student, lms_id)
        ids[(student, lms_id)] = student_id
        found.names[student_id] = student
    return ids


def _pick(group: list[_File], keep: str, found: Submissions) -> _File:
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
            f"({_layouts_message()})."
        )
    if source.is_file() and not zipfile.is_zipfile(source):
        raise ValueError(f"{source} is neither a folder nor a zip: unpack it, or give the zip.")
    files = _strip_top_folder(_files_of(source))
    layout = _detect(files)
    if layout is None and source.is_dir():
        _check_assignment_folders(source)
    if layout is None:
        notebooks = sorted(n for n in files if n.endswith(".ipynb"))
        odd = [n for n in notebooks if not any(lay.match(n) for lay in LAYOUTS)]
        shown = ", ".join(repr(n) for n in (odd or notebooks or sorted(files))[:3])
        raise ValueError(
            f"no submissions in {source}: "
            + (f"{shown} fit no layout" if files else "it is empty")
            + f" (or the layouts are mixed). Layouts understood: {_layouts_message()}."
        )
    found = Submissions(layout.name)
    parsed = _parse(files, layout, assignment)
    table = read_roster(roster) if roster is not None else None
    ids = _assign_ids(parsed, table, found)
    groups: dict[tuple[str, str, str], list[_File]] = {}
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


def _folders_of(source: Path) -> set[tuple[str, ...]]:
    """The folders below a folder or in a zip (directory entries included), as path parts."""
    if source.is_file():
        with zipfile.ZipFile(source) as archive:
            names = [info.filename for info in archive.infolist()]
        parts = {tuple(p for p in name.split("/") if p) for name in names}
        folders = {part[:i] for part in parts for i in range(1, len(part))}
        folders |= {tuple(p for p in n.split("/") if p) for n in names if n.endswith("/")}
    else:
        folders = {p.relative_to(source).parts for p in source.rglob("*") if p.is_dir()}
    return {f for f in folders if f and not _ignored(f)}


def _add_empty_submissions(source: Path, submitted: Path, found: Submissions) -> None:
    """Students whose ``<student>/<assignment>/`` folder holds no notebook: still graded (as
    missing notebooks, 0 points with the reason), not silently left out."""
    known = set(assignments())
    folders = _folders_of(source)
    wrapped = len({f[0] for f in folders}) == 1  # one folder around the export
    for folder in sorted(folders):
        parts = folder[1:] if wrapped and len(folder) == 3 else folder
        if len(parts) != 2 or parts[1] not in known:
            continue
        name, owner = parts
        student_id = name if _ID.match(name) else _slug(name)
        students = found.setdefault(owner, [])
        if student_id in students:
            continue
        students.append(student_id)
        (submitted / student_id / owner).mkdir(parents=True, exist_ok=True)
        found.names.setdefault(student_id, name)
        found.notes.append(f"{student_id} {owner}: the folder holds no notebook")


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

