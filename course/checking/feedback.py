"""Feedback shown to a student: rich HTML in Jupyter, plain text elsewhere."""

from __future__ import annotations

import html
from dataclasses import dataclass
from enum import Enum


class Outcome(Enum):
    """The three outcomes of a check."""

    NOT_ATTEMPTED = "not attempted"
    INCORRECT = "incorrect"
    CORRECT = "correct"
    HINT = "hint"
    SOLUTION = "solution"


_COLOURS = {
    Outcome.NOT_ATTEMPTED: "#ccaa33",
    Outcome.INCORRECT: "#cc3333",
    Outcome.CORRECT: "#33cc33",
    Outcome.HINT: "#3366cc",
    Outcome.SOLUTION: "#33cc99",
}

_LABELS = {
    Outcome.NOT_ATTEMPTED: "Check",
    Outcome.INCORRECT: "Incorrect",
    Outcome.CORRECT: "Correct",
    Outcome.HINT: "Hint",
    Outcome.SOLUTION: "Solution",
}


@dataclass(frozen=True)
class Feedback:
    """One message about one question; displays itself in Jupyter or a terminal."""

    outcome: Outcome
    message: str
    code: str = ""

    def __str__(self) -> str:
        text = f"{_LABELS[self.outcome]}: {self.message}"
        if self.code:
            text += "\n\n" + self.code
        return text

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.outcome]
        body = html.escape(self.message).replace("\n", "<br>")
        block = f"<pre>{html.escape(self.code)}</pre>" if self.code else ""
        return (
            f'<div><span style="color:{colour}; font-weight:bold">{_LABELS[self.outcome]}:</span> '
            f"{body}{block}</div>"
        )

    def show(self) -> None:
        """Display in a notebook (HTML) or print (terminal, autograder logs)."""
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:  # pragma: no cover - IPython ships with jupyterlab
            print(self)
            return
        if get_ipython() is None:
            print(self)
        else:
            display(self)
