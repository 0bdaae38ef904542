"""Feedback shown to a student: rich HTML in Jupyter, plain text elsewhere."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import Enum


class Outcome(Enum):
    """The three outcomes of a check."""

    NOT_ATTEMPTED = "not attempted"
    INCORRECT = "incorrect"
    CORRECT = "correct"
    HINT = "hint"
    SOLUTION = "solution"


# Label colours with a contrast of at least 4.5:1 on white (WCAG 2 AA for text).
_COLOURS = {
    Outcome.NOT_ATTEMPTED: "#8a5a00",
    Outcome.INCORRECT: "#b3261e",
    Outcome.CORRECT: "#1e7b34",
    Outcome.HINT: "#1f5bb5",
    Outcome.SOLUTION: "#00695c",
}

_LABELS = {
    Outcome.NOT_ATTEMPTED: "Not attempted",
    Outcome.INCORRECT: "Incorrect",
    Outcome.CORRECT: "Correct",
    Outcome.HINT: "Hint",
    Outcome.SOLUTION: "Solution",
}


_BACKTICKS = re.compile(r"`([^`\n]+)`")


def _inline_code(escaped: str) -> str:
    """Markdown's `code` spans as <code> elements (the text is already HTML-escaped)."""
    return _BACKTICKS.sub(r"<code>\1</code>", escaped)


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of a #rrggbb colour against white."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (luminance + 0.05)


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
        body = _inline_code(html.escape(self.message)).replace("\n", "<br>")
        code = html.escape(self.code)
        block = f'<pre style="white-space:pre-wrap">{code}</pre>' if self.code else ""
        label = f'<span style="color:{colour}; font-weight:bold">{_LABELS[self.outcome]}:</span>'
        return f'<div style="overflow-wrap:anywhere">{label} {body}{block}</div>'

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
