"""Keep hidden tests out of the feedback students receive (nbgrader issue #917).

nbgrader renders the autograded notebook as feedback, grade cells included with their hidden
tests, and IPython tracebacks quote their source. ``HideHiddenTests``, run by ``nbgrader
generate_feedback`` (``autograder/nbgrader_config.py``), cuts the hidden region out of every
grade cell and reduces each error to its last line.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from course.cells import is_grade_cell

_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*$", re.S | re.M)
_ADDED = re.compile(r"\n# --- added by the course's grader.*", re.S)
HIDDEN_NOTE = "# (hidden tests ran here: not shown)"


def hide_hidden_tests(source: str) -> str:
    """``source`` with each hidden-test region (and the grader's additions) replaced by a note."""
    return _ADDED.sub("", _HIDDEN.sub(HIDDEN_NOTE, source))


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests from grade cells and tracebacks from their errors."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        if is_grade_cell(cell):
            cell.source = hide_hidden_tests(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename')}: {output.get('evalue')}"]
        return cell, resources
