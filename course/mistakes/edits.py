"""Mistakes written as edits of the reference solution, resolved against solutions/.

A typical mistake is usually one line of the solution written wrong. Writing it as that
change (``replace(old, new)``) instead of a copy of the whole cell keeps it next to the
solution it spoils: when the solution changes, the mistake follows, and when its ``old`` text
is gone (or no longer unique), ``resolve`` raises, so the test suite fails until the mistake
is written again. A mistake that rewrites the cell's structure stays a full cell source.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from course.cells import read, solution_cells
from course.paths import SOLUTIONS_DIR, notebook_names


class MistakeDoesNotApply(ValueError):
    """An edit's ``old`` text is not exactly once in the solution cell it spoils."""


@dataclass(frozen=True)
class Edit:
    """Replacements in one solution cell: each ``old`` is found exactly once in the cell (its
    nbgrader markers removed), the spans do not overlap, and all are replaced at once."""

    pairs: tuple[tuple[str, str], ...]

    def apply(self, source: str, where: str = "the solution") -> str:
        """``source`` with every replacement made; MistakeDoesNotApply if one cannot be."""
        spans = []
        for old, new in self.pairs:
            count = source.count(old)
            if count != 1:
                found = "not found" if count == 0 else f"found {count} times"
                raise MistakeDoesNotApply(
                    f"{where}: {old!r} is {found} in the solution cell; write the mistake "
                    "again for the current solution (course/mistakes/)."
                )
            start = source.index(old)
            spans.append((start, start + len(old), new))
        spans.sort()
        for (_, end, _), (start, _, _) in zip(spans, spans[1:], strict=False):
            if start < end:
                raise MistakeDoesNotApply(f"{where}: two replacements overlap.")
        for start, end, new in reversed(spans):
            source = source[:start] + new + source[end:]
        return source


def replace(old: str, new: str, *more: str) -> Edit:
    """A mistake as replacements in its solution cell: ``old`` -> ``new`` (then ``more[0]``
    -> ``more[1]``, ...), e.g. ``replace("w / 2", "w // 2")``."""
    texts = (old, new, *more)
    if len(texts) % 2:
        raise ValueError("replace takes (old, new) pairs.")
    return Edit(tuple(zip(texts[::2], texts[1::2], strict=True)))


@functools.cache
def solutions_of(assignment: str) -> dict[str, str]:
    """grade_id -> source of each solution cell of an assignment (markers removed)."""
    found: dict[str, str] = {}
    for name in notebook_names(assignment):
        found.update(solution_cells(read(SOLUTIONS_DIR / assignment / f"{name}.ipynb")))
    return found


def resolve(
    assignment: str, mistakes: Mapping[str, Mapping[str, str | Edit]]
) -> dict[str, dict[str, str]]:
    """grade_id -> label -> the wrong cell's source: each ``Edit`` applied to its solution
    cell, each full source kept as it is. Raises MistakeDoesNotApply when an edit no longer
    applies, or when it leaves the solution unchanged."""
    solutions = solutions_of(assignment)
    resolved: dict[str, dict[str, str]] = {}
    for grade_id, labels in mistakes.items():
        if grade_id not in solutions:
            raise MistakeDoesNotApply(f"{assignment}: no solution cell {grade_id!r}.")
        resolved[grade_id] = {}
        for label, mistake in labels.items():
            if isinstance(mistake, Edit):
                where = f"{assignment} {grade_id} {label!r}"
                source = mistake.apply(solutions[grade_id], where)
                if source == solutions[grade_id]:
                    raise MistakeDoesNotApply(f"{where}: the edit changes nothing.")
                mistake = source + "\n"
            resolved[grade_id][label] = mistake
    return resolved
