"""Does course.NOTEBOOK_MODULES say where each notebook's helpers live, and does each helper
module say which notebooks use it (d2l's "Defined in section ...")?"""

from __future__ import annotations

import importlib
import pkgutil
import re

import course
from course.paths import assignments

#: Modules that no notebook imports: the command line, the instructor's tools, the shared
#: plumbing, and the banks of planted answers.
NOT_NOTEBOOK_HELPERS = ("course.cli", "course.lab", "course.quiet", "course.paths", "course.cells")
NOT_NOTEBOOK_PACKAGES = (
    "course.grading",
    "course.judge",
    "course.checking",
    "course.alternatives",
    "course.mistakes",
)


def _helper_modules() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(course.__path__, "course."):
        name = info.name
        if name in NOT_NOTEBOOK_HELPERS or name.startswith(NOT_NOTEBOOK_PACKAGES):
            continue
        if name.startswith("course.exercises.") and name.count(".") > 2:
            continue  # the topics of one notebook's exercises package
        if name == "course.exercises" or name == "course.datasets.course_scenes":
            continue  # a namespace; the TFDS builder (behind course.datasets.load)
        found.add(name)
    return found


def test_every_notebook_has_its_modules_and_every_module_a_notebook():
    """Does the map cover every notebook of solutions/, and every helper module of the
    library appear in it (so each has a home a reader finds from the notebook)?"""
    assert set(course.NOTEBOOK_MODULES) == set(assignments())
    mapped = {name for names in course.NOTEBOOK_MODULES.values() for name in names}
    assert _helper_modules() <= mapped, _helper_modules() - mapped


def test_each_module_names_its_notebooks():
    """Does each mapped module import, and does its docstring name every notebook that uses it
    ("notebook 01", "notebooks 02 and 05")?"""
    for notebook, names in course.NOTEBOOK_MODULES.items():
        number = notebook[:2]
        for name in names:
            doc = importlib.import_module(name).__doc__ or ""
            assert re.search(r"\b[Nn]otebooks?\b", doc), name
            assert re.search(rf"\b{number}\b", doc), f"{name} does not name notebook {number}"
