"""Student-facing checks: ``q1.check()``, ``q1.hint()``, ``q1.solution()``."""

from course.checking.feedback import Feedback, Outcome
from course.checking.question import NotAttempted, Question, ensure_attempted

__all__ = ["Feedback", "NotAttempted", "Outcome", "Question", "ensure_attempted"]
