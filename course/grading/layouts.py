"""The export layouts ``course grade`` reads: folders, Canvas's flat download, Moodle's folders.

Each layout is a named regex on a file's path relative to the class root (``LAYOUTS``), as in
nbgrader's ZipCollect; ``parse`` turns the files of an export into ``SubmittedFile`` s, each
with its student (as found), LMS id, assignment, notebook name, attempt and lateness.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from course.grading.archive import ignored
from course.paths import assignments, notebook_names


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


@dataclass
class SubmittedFile:
    """One submitted file: where it is read from and whom and what it belongs to."""

    origin: str  # path as found in the export, for messages
    data: Callable[[], bytes]
    student: str  # as found in the export
    lms_id: str
    assignment: str
    name: str  # relative path inside the assignment folder
    attempt: int = 0
    late: bool = False


def layouts_message() -> str:
    return "; ".join(f"{layout.name}: {layout.example}" for layout in LAYOUTS)


def strip_top_folder(files: dict[str, Callable[[], bytes]]) -> dict[str, Callable[[], bytes]]:
    """Drop one folder wrapping everything (as LMS and OS zips do) if the rest is a layout."""
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and all("/" in name for name in files):
        inner = {name.split("/", 1)[1]: read for name, read in files.items()}
        if detect(files) is None and detect(inner) is not None:
            return inner
    return files


def detect(files: dict[str, Callable[[], bytes]]) -> Layout | None:
    notebooks = [n for n in files if n.endswith(".ipynb")]
    for layout in LAYOUTS:
        if (
            notebooks
            and all(layout.match(n) for n in notebooks)
            and any(layout.match(n, nested=False) for n in notebooks)
        ):
            return layout
    return None


def check_assignment_folders(root: Path) -> None:
    """Refuse a ``<student>/<folder>/`` that is no assignment, even without notebooks in it."""
    known = set(assignments())
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir() and not ignored((p.name,))):
        for folder in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            if folder.name not in known and not ignored((folder.name,)):
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


def parse(
    files: dict[str, Callable[[], bytes]], layout: Layout, assignment: str | None
) -> list[SubmittedFile]:
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
        student = groups["student"]
        parsed.append(SubmittedFile(origin, data, student, lms_id, owner, name, attempt, late))
    return parsed
