"""course.judge.skipping: which cells grading skips, read from the solution notebooks."""

from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.cells import nbgrader_meta, read
from course.judge.skipping import SKIP_TAG, cell_names, skippable_cells, tag_problems
from course.paths import SOLUTIONS_DIR, assignments, notebook_names

SOLUTIONS = [
    SOLUTIONS_DIR / a / f"{n}.ipynb" for a in assignments() for n in notebook_names(a)
]


@pytest.mark.parametrize(
    ("source", "assigned", "free"),
    [
        ("x = y + 1", {"x"}, {"y"}),
        ("y = 1\nx = y + 1", {"x", "y"}, set()),
        ("x = x + 1", {"x"}, {"x"}),  # read before the cell assigns it
        ("x += 1", {"x"}, {"x"}),
        ("print(len(range(3)))", set(), set()),  # builtins come from no cell
        ("for i, ax in enumerate(axes):\n    ax.plot(i)", {"i", "ax"}, {"axes"}),
        ("[f(v) for v in values if v > limit]", set(), {"f", "values", "limit"}),
        ("{k: v for k, v in pairs}", set(), {"pairs"}),
        ("def f(a, b=default):\n    c = a + b\n    return c * scale", {"f"}, {"default", "scale"}),
        ("g = lambda a: a * factor", {"g"}, {"factor"}),
        ("class Net(Base):\n    size = width\n    def call(self, x):\n        return x",
         {"Net"}, {"Base", "width"}),  # fmt: skip
        ("import numpy as np\nfrom course import data\nnp.ones(data.N)", {"np", "data"}, set()),
        ("try:\n    run()\nexcept ValueError as error:\n    print(error)", {"error"}, {"run"}),
        ("def f():\n    return later\nlater = 1", {"f", "later"}, set()),  # read when called
        ("with open(p) as handle:\n    text = handle.read()", {"handle", "text"}, {"p"}),
        ("if (n := size) > 3:\n    m = n", {"n", "m"}, {"size"}),
    ],
)
def test_cell_names_are_what_earlier_cells_must_give(source, assigned, free):
    """Are a cell's names read from earlier cells told apart from its own and from builtins?"""
    names = cell_names(source)
    assert (names.assigned, names.free) == (assigned, free)


def test_a_magic_is_not_plain_python():
    assert cell_names("%matplotlib inline") is None


def _meta(grade_id, **kwargs):
    base = {"grade": False, "locked": False, "solution": False, "schema_version": 3}
    return {"nbgrader": {**base, "grade_id": grade_id, **kwargs}}


def _tiny(*cells):
    notebook = new_notebook(cells=[new_code_cell("import numpy as np"), *cells])
    return notebook, {c.id: c for c in notebook.cells}


def test_a_demonstration_reading_a_needed_name_is_kept_unless_tagged():
    """``model.fit(...)`` changes ``model`` without assigning it: kept, unless the instructor
    tags the cell as one that changes nothing a grade reads."""
    build = new_code_cell("model = make()")
    demo = new_code_cell("model.summary()\nplot = 1")
    test = new_code_cell("assert model", metadata=_meta("t", grade=True, locked=True, points=1))
    notebook, _ = _tiny(build, demo, test)
    assert skippable_cells(notebook) == set()
    demo.metadata["tags"] = [SKIP_TAG]
    assert skippable_cells(notebook) == {demo.id}
    assert tag_problems(notebook) == []


def test_a_tagged_cell_that_assigns_a_needed_name_is_kept_and_reported():
    build = new_code_cell("model = make()", metadata={"tags": [SKIP_TAG]})
    test = new_code_cell("assert model", metadata=_meta("t", grade=True, locked=True, points=1))
    notebook, _ = _tiny(build, test)
    assert skippable_cells(notebook) == set()
    [problem] = tag_problems(notebook)
    assert build.id in problem and "model" in problem


def test_a_later_reassignment_does_not_keep_the_earlier_demonstration():
    """A loop variable a demonstration leaves behind is not needed by a cell that sets its own."""
    demo = new_code_cell("for i in range(3):\n    print(i)")
    answer = new_code_cell("i = 0\ndef f():\n    return i", metadata=_meta("f", solution=True))
    notebook, _ = _tiny(demo, answer)
    assert skippable_cells(notebook) == {demo.id}


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.parent.name)
def test_the_skip_tags_of_the_course_are_right(path):
    """Does no cell tagged skip-when-grading assign a name a graded or kept cell needs?"""
    assert tag_problems(read(path)) == []


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.parent.name)
def test_pruned_solution_leaves_no_name_undefined(path):
    """Run with the demonstration cells skipped, is every name a kept, answer or grade cell
    reads assigned by an earlier cell that still runs (so the pruned solution runs as the full
    one, which the demo class then grades the same)?"""
    notebook = read(path)
    skipped = skippable_cells(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code" and c.get("id") not in skipped]
    defined: set[str] = set()
    missing = {}
    for cell in code:
        names = cell_names(cell.source)
        if names is None:
            continue
        undefined = names.free - defined
        if undefined:
            missing[cell.get("id")] = sorted(undefined)
        defined |= names.assigned
    assert not missing, missing


def test_the_course_skips_most_demonstration_cells():
    """Are the notebooks' demonstration cells (plots, comparisons, extra training) skipped?"""
    plain = skipped = 0
    for path in SOLUTIONS:
        notebook = read(path)
        code = [c for c in notebook.cells if c.cell_type == "code"][1:]
        plain += sum(not nbgrader_meta(c) for c in code)
        skipped += len(skippable_cells(notebook))
    assert skipped >= 0.8 * plain, (skipped, plain)
