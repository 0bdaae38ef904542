"""Run the instructor's grade cells in the judge, with the student's names behind a Session.

The grade cells' code (visible and hidden tests, from ``solutions/``) and the notebook's
setup cell run here, in the trusted judge; a name the cell uses that the judge does not
define is looked up in the student's kernel (``Session.name``) and comes back as data or a
``Remote``. The verdict of a cell is decided here: passed, or failed with the error shown
to the student. A failure in the hidden part is reported without its cases.
"""

from __future__ import annotations

import builtins
import contextlib
import re
from dataclasses import dataclass

from nbformat import NotebookNode

from course.checking.question import NotAttempted
from course.judge.remote import KernelGone, Session

_HIDDEN = re.compile(r"^\s*### (BEGIN|END) HIDDEN TESTS\s*$")
HIDDEN_FAILED = (
    "a hidden test of this cell failed: your answer is wrong on cases the notebook does not "
    "show. Reread the exercise's text: every hidden case follows from it."
)


def split_hidden(source: str) -> tuple[str, str]:
    """(visible code, hidden code) of a grade cell, marker lines removed."""
    visible, hidden, inside = [], [], False
    for line in source.splitlines():
        match = _HIDDEN.match(line)
        if match:
            inside = match.group(1) == "BEGIN"
            continue
        (hidden if inside else visible).append(line)
    return "\n".join(visible), "\n".join(hidden)


@dataclass
class Verdict:
    """The judge's decision on one grade cell."""

    grade_id: str
    passed: bool
    ename: str = ""
    evalue: str = ""
    kernel_gone: bool = False  # the kernel died or timed out during this cell

    def outputs(self) -> list[NotebookNode]:
        """The cell's outputs as nbgrader scores them: none when passed, one error when not."""
        if self.passed:
            return []
        return [
            NotebookNode(output_type="error", ename=self.ename, evalue=self.evalue, traceback=[])
        ]


def _quiet_print(*args, **kwargs) -> None:
    """``print`` in the judge's cells: the judge shows verdicts, not prints."""


class StudentNames(dict):
    """A grade cell's globals: the judge's names, then the student's, fetched on first use."""

    def __init__(self, session: Session, judge_names: dict):
        super().__init__(judge_names)
        self.session = session
        self.fetched: set[str] = set()

    def __missing__(self, name: str):
        if name.startswith("__") or hasattr(builtins, name):
            raise KeyError(name)
        try:
            value = self.session.name(name)
        except NameError:
            raise KeyError(name) from None
        self.fetched.add(name)
        self[name] = value
        return value


class GradeCellJudge:
    """Grades one notebook's grade cells in order, keeping the judge's own names between
    cells (e.g. a model a check returned and a later cell reuses)."""

    def __init__(self, session: Session, setup_source: str):
        self.session = session
        # What the cells print goes nowhere (a per-namespace print: redirecting sys.stdout
        # would swallow the output of every thread of the grader).
        self.names: dict = {"__name__": "__judge__", "print": _quiet_print}
        exec(compile(setup_source, "<setup cell>", "exec"), self.names)

    def grade(self, grade_id: str, source: str) -> Verdict:
        """Run the cell's visible then hidden tests; the verdict."""
        visible, hidden = split_hidden(source)
        for part, is_hidden in ((visible, False), (hidden, True)):
            if not part.strip():
                continue
            names = StudentNames(self.session, self.names)
            try:
                exec(compile(part, f"<grade cell {grade_id}>", "exec"), names)
            except KernelGone as error:
                return Verdict(grade_id, False, "KernelGone", str(error), kernel_gone=True)
            except (NotAttempted, NotImplementedError) as error:
                message = str(error) or "not attempted"
                return Verdict(grade_id, False, "NotImplementedError", message)
            except Exception as error:  # noqa: BLE001 - any failure of a test is a failed cell
                if is_hidden:
                    return Verdict(grade_id, False, "AssertionError", HIDDEN_FAILED)
                return Verdict(grade_id, False, type(error).__name__, str(error)[:3000])
            finally:
                self.names.update({k: v for k, v in names.items() if k not in names.fetched})
                self._release()
        return Verdict(grade_id, True)

    def _release(self) -> None:
        """Let the kernel drop what this cell's checks built, but what the judge still holds."""
        with contextlib.suppress(Exception):  # a kernel that cannot release loses only memory
            self.session.release_except(list(self.names.values()))
