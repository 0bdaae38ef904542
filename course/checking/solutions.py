"""The reference solutions that ``qN.solution()`` shows, generated from solutions/.

``course release`` writes ``solutions.json`` beside this module (grade_id -> the solution
cell of the instructor notebook, nbgrader's markers removed); ``course check-release`` fails
when it drifts from solutions/. One source of truth: the text is never written by hand.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

SOLUTIONS_FILE = Path(__file__).with_name("solutions.json")


@functools.cache
def _solutions() -> dict[str, str]:
    if not SOLUTIONS_FILE.exists():
        return {}
    return json.loads(SOLUTIONS_FILE.read_text())


def solution_source(name: str) -> str:
    """The solution cell named ``name`` (its grade_id), or a note to run ``course release``."""
    return _solutions().get(
        name, f"# no solution recorded for {name!r}: run `course release` to generate them"
    )
