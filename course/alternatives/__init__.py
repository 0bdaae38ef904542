"""Correct answers written independently of the reference solution, per assignment.

The counterpart of ``course.mistakes``: every one must get full marks. One module per
notebook, found automatically. Each defines ``ASSIGNMENT`` (the folder name in solutions/)
and ``ALTERNATIVES`` (solution grade_id -> label -> cell source), at least three per
exercise, in styles other than the reference's (loops vs vectorised, ``Sequential`` vs
functional vs subclassed models, Python vs NumPy scalars, lists vs arrays, other valid
architectures and training recipes the exercise's text allows).
"""

from __future__ import annotations

import importlib
import pkgutil


def _discover() -> dict[str, dict[str, dict[str, str]]]:
    found: dict[str, dict[str, dict[str, str]]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[module.ASSIGNMENT] = module.ALTERNATIVES
    return found


#: assignment -> solution grade_id -> label -> source of a correct cell.
ALTERNATIVES = _discover()
