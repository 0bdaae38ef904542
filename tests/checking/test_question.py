"""course.checking: three outcomes, lookup by name, rich and plain output."""

from __future__ import annotations

from course.checking import Feedback, Outcome, Question


def _check_positive(value):
    assert value > 0, f"got {value!r}; expected a positive number."


question = Question("answer", _check_positive, "think positive")


def test_not_attempted_for_placeholders():
    """Do None, ..., a missing name and nbgrader's stub all read as not attempted?"""

    def stub():
        raise NotImplementedError()

    def check_calls(fn):
        fn()

    calling = Question("fn", check_calls, "")
    assert question.evaluate(None).outcome is Outcome.NOT_ATTEMPTED
    assert question.evaluate(...).outcome is Outcome.NOT_ATTEMPTED
    assert question.evaluate().outcome is Outcome.NOT_ATTEMPTED
    assert calling.evaluate(stub).outcome is Outcome.NOT_ATTEMPTED


def test_incorrect_shows_the_students_value():
    """Does a wrong answer give 'incorrect' with the student's own value?"""
    feedback = question.evaluate(-3)
    assert feedback.outcome is Outcome.INCORRECT
    assert "-3" in feedback.message


def test_correct():
    """Does a right answer give 'correct'?"""
    assert question.evaluate(2).outcome is Outcome.CORRECT


def test_check_finds_the_answer_in_the_callers_namespace(capsys):
    """Does q.check() read the student's variable from the caller's globals, in plain text?"""
    namespace = {"q": question, "answer": 5}
    exec("q.check()", namespace)
    assert "Correct" in capsys.readouterr().out
    namespace["answer"] = -1
    exec("q.check()", namespace)
    assert "Incorrect" in capsys.readouterr().out


def test_hint_and_solution_print(capsys):
    """Do hint() and solution() show their text, the solution from solutions/'s cell?"""
    question.hint()
    Question("conv_params", _check_positive, "").solution()
    out = capsys.readouterr().out
    assert "think positive" in out and "def conv_params(kernel_size, in_channels" in out


def test_feedback_renders_html_and_text():
    """Does feedback render as coloured HTML in Jupyter and as plain text elsewhere?"""
    feedback = Feedback(Outcome.INCORRECT, "x < 0", "x = 1")
    assert "Incorrect: x &lt; 0" not in feedback._repr_html_()  # escaped inside the span layout
    assert "x &lt; 0" in feedback._repr_html_() and "color:" in feedback._repr_html_()
    assert str(feedback).startswith("Incorrect: x < 0")


def test_feedback_labels_are_readable_and_code_renders():
    """Is every label at least 4.5:1 on white, not attempted labelled as such, and `code`
    rendered as <code> with the message escaped?"""
    from course.checking.feedback import _COLOURS, contrast_on_white

    assert all(contrast_on_white(colour) >= 4.5 for colour in _COLOURS.values())
    rendered = Feedback(Outcome.NOT_ATTEMPTED, "`conv2d` < `x`")._repr_html_()
    assert "Not attempted:" in rendered and "`" not in rendered
    assert "<code>conv2d</code> &lt; <code>x</code>" in rendered
