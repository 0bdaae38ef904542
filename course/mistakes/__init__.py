"""Typical wrong answers, per assignment: planted by the tests and by the demo class.

One module per notebook, found automatically. Each defines ``ASSIGNMENT`` (the
folder name in solutions/), ``MISTAKES`` (solution grade_id -> label -> wrong
cell source) and ``DEMO`` (the (grade_id, label) pairs the demo class's
"mistakes" student submits; each must lose exactly its question's points).
A mistake is written as an edit of the solution cell where it can be
(``course.mistakes.edits``: resolved against solutions/ when the module is
imported), as a full cell source where it rewrites the cell's structure.
"""

from __future__ import annotations

import importlib
import pkgutil


def _discover() -> tuple[dict, dict]:
    mistakes: dict[str, dict[str, dict[str, str]]] = {}
    demo: dict[str, tuple[tuple[str, str], ...]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if not hasattr(module, "ASSIGNMENT"):  # edits: the helpers, not a notebook's mistakes
            continue
        mistakes[module.ASSIGNMENT] = module.MISTAKES
        demo[module.ASSIGNMENT] = module.DEMO
    return mistakes, demo


#: assignment -> solution grade_id -> mistake label -> source of the wrong cell.
#: assignment -> the (grade_id, label) pairs the demo class's "mistakes" student submits.
MISTAKES, DEMO = _discover()
