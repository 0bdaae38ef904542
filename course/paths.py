"""Where the course's folders are: the repository checkout this package runs from.

Imports nothing of the course. Used by every notebook's helpers that read ``data/`` (the
pretrained weights, the recorded histories), by the grading workflow and by the CLI.
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_repo() -> Path:
    """The checkout holding solutions/ and autograder/ (env COURSE_REPO overrides)."""
    if "COURSE_REPO" in os.environ:
        return Path(os.environ["COURSE_REPO"]).resolve()
    for candidate in (Path(__file__).resolve().parents[1], Path.cwd(), *Path.cwd().parents):
        if (candidate / "autograder" / "nbgrader_config.py").is_file():
            return candidate
    return Path(__file__).resolve().parents[1]


REPO = _find_repo()
SOLUTIONS_DIR = REPO / "solutions"
NOTEBOOKS_DIR = REPO / "notebooks"
AUTOGRADER_DIR = REPO / "autograder"
DATA_DIR = REPO / "data"
"""Small files the course ships (pretrained weights, recorded histories), each with its
provenance and checksum in ``data/README.md``; mounted read-only in the grading sandbox."""
DEMO_WORKSPACE = REPO / "build" / "demo"


def assignments() -> list[str]:
    """Assignment names, one per folder of solutions/ (e.g. "02-cnn-layers"), sorted."""
    if not SOLUTIONS_DIR.is_dir():
        raise FileNotFoundError(
            f"no solutions/ folder at {REPO}: run the course command from a clone of the course "
            "repository, or set COURSE_REPO to it."
        )
    return sorted(p.name for p in SOLUTIONS_DIR.iterdir() if any(p.glob("*.ipynb")))


def notebook_names(assignment: str) -> list[str]:
    """Notebook names (without .ipynb) of one assignment."""
    return sorted(p.stem for p in (SOLUTIONS_DIR / assignment).glob("*.ipynb"))
