"""Generate the student notebooks (notebooks/) from the instructor ones (solutions/)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import nbformat

from course.cells import read, solution_cells
from course.checking.solutions import SOLUTIONS_FILE
from course.grading.nbgrader_batch import run_steps
from course.paths import (
    NOTEBOOKS_DIR,
    REPO,
    SOLUTIONS_DIR,
    assignments,
    notebook_names,
)


def solutions_text() -> str:
    """``solutions.json`` as generated from solutions/: grade_id -> solution cell source."""
    found: dict[str, str] = {}
    for assignment in assignments():
        for name in notebook_names(assignment):
            for grade_id, source in solution_cells(
                read(SOLUTIONS_DIR / assignment / f"{name}.ipynb")
            ).items():
                if grade_id in found:
                    raise ValueError(f"grade_id {grade_id!r} is used twice in solutions/")
                found[grade_id] = source.strip("\n") + "\n"
    return json.dumps(found, indent=1, sort_keys=True) + "\n"


def _owns_solutions_file() -> bool:
    """True when solutions/ is this package's own checkout (not a course set by COURSE_REPO):
    only then does ``qN.solution()`` show its cells."""
    return SOLUTIONS_FILE.parent.resolve() == (REPO / "course" / "checking").resolve()


def _generate_all(workspace: Path, release_dir: Path | None = None) -> None:
    """``nbgrader generate_assignment --no-db`` of every assignment (into notebooks/, or
    ``release_dir``), in one process."""
    step = {"step": "generate_assignment", "no_database": True}
    if release_dir is not None:
        step["release_directory"] = str(Path(release_dir).resolve())
    run_steps([{**step, "assignment": a} for a in assignments()], workspace, check=True)


def release(workspace: Path) -> list[Path]:
    """Regenerate every student notebook into notebooks/; returns the notebooks written."""
    _generate_all(workspace)
    if _owns_solutions_file():
        SOLUTIONS_FILE.write_text(solutions_text())
    return sorted(NOTEBOOKS_DIR.glob("*/*.ipynb"))


def _comparable(path: Path) -> dict:
    return nbformat.reads(path.read_text(), as_version=4)


def release_drift() -> list[str]:
    """What differs between notebooks/ and a fresh generation from solutions/ (empty if in sync)."""
    problems: list[str] = []
    if _owns_solutions_file() and (
        not SOLUTIONS_FILE.exists() or SOLUTIONS_FILE.read_text() != solutions_text()
    ):
        problems.append(f"{SOLUTIONS_FILE.name} differs from solutions/: run `course release`")
    with tempfile.TemporaryDirectory() as tmp:
        fresh_dir = Path(tmp) / "release"
        _generate_all(Path(tmp), fresh_dir)
        fresh = {p.relative_to(fresh_dir) for p in fresh_dir.glob("*/*.ipynb")}
        committed = {p.relative_to(NOTEBOOKS_DIR) for p in NOTEBOOKS_DIR.glob("*/*.ipynb")}
        for rel in sorted(committed - fresh):
            problems.append(f"notebooks/{rel} has no source in solutions/")
        for rel in sorted(fresh - committed):
            problems.append(f"notebooks/{rel} is missing: run `course release`")
        for rel in sorted(fresh & committed):
            if _comparable(fresh_dir / rel) != _comparable(NOTEBOOKS_DIR / rel):
                problems.append(f"notebooks/{rel} differs from solutions/: run `course release`")
    return problems
