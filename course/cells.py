"""The nbgrader cells of a notebook: read them by role (solution, grade), fill them.

Used by the grading workflow (``course.grading``) to build submissions from the generated
student notebook, by the judge (``course.judge``) to find the grade cells it runs, by
``course.mistakes`` to apply its edits to the solution cells, and by the tests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import nbformat

_MARKER = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")


def read(path: Path) -> nbformat.NotebookNode:
    """Read a notebook (nbformat 4)."""
    return nbformat.read(str(path), as_version=4)


def nbgrader_meta(cell) -> dict:
    """The cell's nbgrader metadata, or {} for a plain cell."""
    return cell.get("metadata", {}).get("nbgrader", {})


def is_grade_cell(cell) -> bool:
    """An autograded test cell (not an autograded answer)."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def strip_markers(source: str) -> str:
    """Source without the ``### BEGIN/END SOLUTION`` and ``HIDDEN TESTS`` marker lines."""
    return "\n".join(line for line in source.splitlines() if not _MARKER.match(line))


def solution_cells(nb) -> dict[str, str]:
    """grade_id -> source of each solution cell, markers removed."""
    return {
        nbgrader_meta(c)["grade_id"]: strip_markers(c.source)
        for c in nb.cells
        if nbgrader_meta(c).get("solution")
    }


def grade_cells(nb, raw: bool = False) -> dict[str, tuple[str, float]]:
    """grade_id -> (source, points) of each autograded test cell, hidden tests included
    (``raw``: with their ``### BEGIN/END HIDDEN TESTS`` markers)."""
    return {
        nbgrader_meta(c)["grade_id"]: (
            c.source if raw else strip_markers(c.source),
            nbgrader_meta(c)["points"],
        )
        for c in nb.cells
        if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")
    }


def fill(student_nb, answers: Mapping[str, str]):
    """A copy of the student notebook with the solution cells named in ``answers`` replaced.

    Raises KeyError naming any grade_id that is not a solution cell of the notebook.
    """
    filled = nbformat.from_dict(student_nb)
    ids = {
        nbgrader_meta(c).get("grade_id") for c in filled.cells if nbgrader_meta(c).get("solution")
    }
    unknown = set(answers) - ids
    if unknown:
        raise KeyError(f"no solution cell with grade_id {sorted(unknown)}; known: {sorted(ids)}")
    for cell in filled.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return filled


def drop_duplicate_ids(nb) -> bool:
    """Keep the first cell of each grade_id; later copies become plain cells. True if any.

    nbgrader 0.9 refuses to read a notebook with a duplicated grade_id (a copied cell, nbgrader
    issue #1083) before its own DeduplicateIds can run; this does what DeduplicateIds would.
    """
    seen: set[str] = set()
    changed = False
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id and grade_id in seen:
            del cell.metadata["nbgrader"]
            changed = True
        elif grade_id:
            seen.add(grade_id)
    return changed
