"""A question a student can check, in the manner of Kaggle's learntools.

A notebook imports ``q1, q2, ...`` and calls ``q1.check()``, ``q1.hint()`` and
``q1.solution()``. ``check()`` finds the student's answer by name in the
notebook's namespace and runs the *same* check function that the nbgrader
grade cell runs (the grade cell adds hidden cases), with three outcomes:

- not attempted: the name is missing, still ``None``/``...``, or calling it
  raises ``NotImplementedError`` (nbgrader's placeholder);
- incorrect: the check raised ``AssertionError``; its message shows the
  student's own value and what was expected of its type or shape; a crash in the
  student's code is incorrect too, with the exception and the student's line;
- correct.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from course.checking.crashes import describe_crash
from course.checking.feedback import Feedback, Outcome
from course.checking.solutions import solution_source

_MISSING = object()


class NotAttempted(Exception):
    """Raised by check functions when the placeholder answer is still there."""


def ensure_attempted(answer: Any, name: str) -> None:
    """Raise NotAttempted if ``answer`` is nbgrader's or the course's placeholder."""
    if answer is _MISSING or answer is None or answer is Ellipsis:
        raise NotAttempted(f"`{name}` has no answer yet.")


@dataclass
class Question:
    """A checkable exercise bound to a name in the notebook's namespace.

    name: the variable or function the student defines (e.g. "conv_output_size");
    check_fn: called with the student's answer, raises AssertionError when wrong;
    hint_text: shown on request. The solution shown is the instructor notebook's solution
    cell of the same name, from ``course/checking/solutions.json`` (``course release``).
    """

    name: str
    check_fn: Callable[[Any], None]
    hint_text: str
    success: str = "well done."

    @property
    def solution_code(self) -> str:
        """The solution cell of solutions/ for this question, markers removed."""
        return solution_source(self.name)

    def evaluate(self, answer: Any = _MISSING) -> Feedback:
        """Check ``answer`` and return the feedback without displaying it."""
        try:
            ensure_attempted(answer, self.name)
            self.check_fn(answer)
        except (NotAttempted, NotImplementedError):
            return Feedback(
                Outcome.NOT_ATTEMPTED,
                f"`{self.name}` is still the placeholder: write your answer, run its cell, "
                "then check again.",
            )
        except AssertionError as error:
            return Feedback(Outcome.INCORRECT, str(error) or f"`{self.name}` is not right yet.")
        except Exception as error:  # a crash in the student's code, outside a wrapped check
            return Feedback(Outcome.INCORRECT, f"`{self.name}`: {describe_crash(error)}")
        return Feedback(Outcome.CORRECT, f"`{self.name}`: {self.success}")

    def check(self, answer: Any = _MISSING) -> None:
        """Check the student's answer (looked up by name in the caller's namespace)."""
        if answer is _MISSING:
            caller = inspect.currentframe().f_back
            answer = caller.f_globals.get(self.name, _MISSING)
        self.evaluate(answer).show()

    def hint(self) -> None:
        """Show a hint."""
        Feedback(Outcome.HINT, self.hint_text).show()

    def solution(self) -> None:
        """Show the reference solution."""
        Feedback(Outcome.SOLUTION, f"one way to write `{self.name}`:", self.solution_code).show()
