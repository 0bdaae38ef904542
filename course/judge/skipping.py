"""Which cells grading can skip: those no grade depends on, read from the solution notebook.

Demonstration cells (plots, comparisons, extra training) take most of a notebook's time
and no test reads what they compute. Going backwards from the last cell, a plain
instructor cell is *kept* when a later grade, answer or kept cell reads, before assigning it
itself, a name the cell assigns (``classifier = ...``), or a name the cell reads too
(``model.fit(...)`` changes ``model`` without assigning it); the names of Python's builtins
and, for reading, the names the setup cell defines (modules) do not count. A cell Python
cannot parse (a magic) and a cell the instructor tags ``keep-when-grading`` are always kept.
A cell tagged ``skip-when-grading`` is the instructor's word that it changes nothing a grade
reads (it only reads what it shares with later cells, e.g. a demonstration that trains its
own model on the notebook's data): it is skipped unless it assigns a needed name, which
``tag_problems`` reports (the test suite fails on it).

Everything else is skipped when grading; a student whose answers turn out to need a
skipped cell (a NameError for a name a skipped cell assigns) is graded again with every
cell (``course.judge.submission``).
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field

from course.cells import nbgrader_meta

KEEP_TAG = "keep-when-grading"
SKIP_TAG = "skip-when-grading"
_BUILTINS = frozenset(dir(builtins)) | {"get_ipython", "display"}


@dataclass
class CellNames:
    """What a cell's code does with names: ``assigned`` anywhere at its top level, and
    ``free``: read (by its top level, or by the functions and classes it defines) before
    the cell itself assigned them, so they come from an earlier cell. Builtins excluded."""

    assigned: set[str] = field(default_factory=set)
    free: set[str] = field(default_factory=set)


class _Flow(ast.NodeVisitor):
    """Visits a cell in evaluation order (values before the targets they are assigned to),
    with the local names of functions, classes and comprehensions kept apart."""

    def __init__(self) -> None:
        self.names = CellNames()
        self.locals: list[set[str]] = []  # the scopes entered, innermost last
        self.in_function = 0  # inside a function's body: its names are read when it is called
        self.deferred: set[str] = set()

    def _load(self, name: str) -> None:
        if any(name in scope for scope in self.locals) or name in _BUILTINS:
            return
        if self.in_function:
            self.deferred.add(name)  # resolved at the end of the cell (see ``finish``)
        elif name not in self.names.assigned:
            self.names.free.add(name)

    def finish(self) -> CellNames:
        """The cell's names: a function's reads count against everything the cell assigns
        (it is called after its cell, or later in it)."""
        self.names.free |= self.deferred - self.names.assigned
        return self.names

    def _store(self, name: str) -> None:
        (self.locals[-1] if self.locals else self.names.assigned).add(name)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._load(node.id)
        else:
            self._store(node.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self._load(node.target.id)
        self.visit(node.target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.visit(node.target)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self.visit(node.target)
        for statement in [*node.body, *node.orelse]:
            self.visit(statement)

    visit_AsyncFor = visit_For

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self._store(node.name)
        for statement in node.body:
            self.visit(statement)

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name != "*":
                self._store((alias.asname or alias.name).split(".")[0])

    visit_ImportFrom = visit_Import

    def _scope(self, params: set[str], body: list[ast.AST], function: bool = True) -> None:
        """A function's (or class's) body: its parameters and the names it assigns are its
        own."""
        own = set(params)
        for statement in body:
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                    own.add(node.id)
                elif isinstance(node, ast.Global):
                    own.difference_update(node.names)
        self.locals.append(own)
        self.in_function += function
        for statement in body:
            self.visit(statement)
        self.in_function -= function
        self.locals.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for expression in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
            if expression is not None:
                self.visit(expression)
        arguments = node.args
        params = {
            a.arg
            for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            + [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        }
        self._store(node.name)
        self._scope(params, node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for expression in [*node.args.defaults, *node.args.kw_defaults]:
            if expression is not None:
                self.visit(expression)
        arguments = node.args
        params = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
        params |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
        self.locals.append(params)
        self.in_function += 1
        self.visit(node.body)
        self.in_function -= 1
        self.locals.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expression in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expression)
        self._store(node.name)
        self._scope(set(), node.body, function=False)

    def _comprehension(self, node, parts: list[ast.AST]) -> None:
        generators = node.generators
        self.visit(generators[0].iter)  # evaluated in the enclosing scope
        self.locals.append(set())
        for number, generator in enumerate(generators):
            if number:
                self.visit(generator.iter)
            self.visit(generator.target)
            for condition in generator.ifs:
                self.visit(condition)
        for part in parts:
            self.visit(part)
        self.locals.pop()

    def visit_ListComp(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp) -> None:
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, [node.key, node.value])


def cell_names(source: str) -> CellNames | None:
    """The names a cell assigns and reads from earlier cells; None if it is not plain Python
    (a magic, a syntax error)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    flow = _Flow()
    flow.visit(tree)
    return flow.finish()


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _plan(solution_nb) -> tuple[set[str], dict[str, set[str]]]:
    """(ids of the skippable cells, tagged-skip cell id -> the needed names it assigns)."""
    code = [c for c in solution_nb.cells if c.cell_type == "code"]
    if not code:
        return set(), {}
    setup = cell_names(code[0].source)
    given = setup.assigned if setup else set()
    needed: set[str] = set()
    skipped: set[str] = set()
    wrongly_tagged: dict[str, set[str]] = {}
    for cell in reversed(code[1:]):
        names = cell_names(cell.source)
        graded = bool(nbgrader_meta(cell)) or KEEP_TAG in _tags(cell)
        if names is None or graded:
            needed |= names.free if names is not None else set()
            continue
        defines = names.assigned & needed
        if defines and SKIP_TAG in _tags(cell):
            wrongly_tagged[cell.get("id", "?")] = defines
        reads = (names.free - given) & needed and SKIP_TAG not in _tags(cell)
        if defines or reads:
            needed |= names.free
            continue
        if cell.get("id"):
            skipped.add(cell.id)
    return skipped, wrongly_tagged


def skippable_cells(solution_nb) -> set[str]:
    """The ids of the solution's code cells that grading may skip (see the module docstring)."""
    return _plan(solution_nb)[0]


def tag_problems(solution_nb) -> list[str]:
    """What is wrong with the notebook's ``skip-when-grading`` tags: a tagged cell that assigns
    a name a later graded or kept cell reads (it cannot be skipped)."""
    _, wrong = _plan(solution_nb)
    return [
        f"cell {cell_id} is tagged {SKIP_TAG} but assigns {sorted(names)}, which later graded "
        "cells need: remove the tag, or move that assignment to a kept cell"
        for cell_id, names in wrong.items()
    ]


def names_assigned(solution_nb, cell_ids: set[str]) -> set[str]:
    """The names the cells ``cell_ids`` of the solution assign (what skipping them leaves out)."""
    found: set[str] = set()
    for cell in solution_nb.cells:
        if cell.cell_type == "code" and cell.get("id") in cell_ids:
            names = cell_names(cell.source)
            found |= names.assigned if names else set()
    return found
