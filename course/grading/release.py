"""Generate the student notebooks (notebooks/) from the instructor ones (solutions/)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat

from course.grading.nbgrader_steps import generate_assignment
from course.grading.paths import NOTEBOOKS_DIR, assignments


def release(workspace: Path) -> list[Path]:
    """Regenerate every student notebook into notebooks/; returns the notebooks written."""
    for assignment in assignments():
        generate_assignment(assignment, workspace=workspace, use_db=False)
    return sorted(NOTEBOOKS_DIR.glob("*/*.ipynb"))


def _comparable(path: Path) -> dict:
    return nbformat.reads(path.read_text(), as_version=4)


def release_drift() -> list[str]:
    """What differs between notebooks/ and a fresh generation from solutions/ (empty if in sync)."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh_dir = Path(tmp) / "release"
        for assignment in assignments():
            generate_assignment(
                assignment, workspace=Path(tmp), release_dir=fresh_dir, use_db=False
            )
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
