"""Which cells grading can skip: those no grade depends on, read from the solution notebook.

Demonstration cells (plots, comparisons, extra training) take most of a notebook's time
and no test reads what they compute. A plain instructor cell is *kept* when, after it in
the notebook, a grade cell, an answer cell or a kept cell uses a name it assigns or reads
(reading counts too: ``model.fit(...)`` changes ``model`` without assigning it). Names the
setup cell defines (modules, constants) do not tie cells together. A cell Python cannot
parse (a magic) is kept. A cell the instructor tags ``keep-when-grading`` is always kept.
Everything else is skipped when grading; a student whose answers turn out to need a
skipped cell (a NameError for a name a skipped cell assigns) is graded again with every
cell (``course.judge.submission``).
"""

from __future__ import annotations

import ast

from course.grading.cells import nbgrader_meta

KEEP_TAG = "keep-when-grading"


def _names(source: str) -> tuple[set[str], set[str]] | None:
    """(names assigned, names read) by a cell's top level and its functions; None if the
    cell is not plain Python."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    stored: set[str] = set()
    loaded: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (stored if isinstance(node.ctx, ast.Store | ast.Del) else loaded).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            stored.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            stored.update((a.asname or a.name).split(".")[0] for a in node.names)
    return stored, loaded


def names_assigned(solution_nb, cell_ids: set[str]) -> set[str]:
    """The names the cells ``cell_ids`` of the solution assign (what skipping them leaves out)."""
    found: set[str] = set()
    for cell in solution_nb.cells:
        if cell.cell_type == "code" and cell.get("id") in cell_ids:
            names = _names(cell.source)
            found |= names[0] if names else set()
    return found


def skippable_cells(solution_nb) -> set[str]:
    """The ids of the solution's code cells that grading may skip (see the module docstring)."""
    code = [c for c in solution_nb.cells if c.cell_type == "code"]
    if not code:
        return set()
    setup = _names(code[0].source)
    given = setup[0] if setup else set()
    needed: set[str] = set()
    skipped: set[str] = set()
    for cell in reversed(code[1:]):
        names = _names(cell.source)
        graded = bool(nbgrader_meta(cell)) or KEEP_TAG in cell.get("metadata", {}).get("tags", [])
        if names is None or graded:
            if names is not None:
                needed |= names[1] - given
            continue
        stored, loaded = names
        if (stored | loaded) & needed:
            needed |= loaded - given
            continue
        if cell.get("id"):
            skipped.add(cell.id)
    return skipped
