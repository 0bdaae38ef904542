"""Is a crash in a student's code an incorrect answer with its line, never a traceback?"""

from __future__ import annotations

import linecache

import pytest

from course.checking import Outcome, Question
from course.checking.crashes import describe_crash, student_check

STUDENT_CODE = """
def answer(x):
    total = 0
    return total / x
"""


def _student_function():
    """The student's function, compiled as IPython compiles a cell (its source in linecache)."""
    namespace: dict = {}
    filename = "/tmp/ipykernel_1/3.py"
    linecache.cache[filename] = (len(STUDENT_CODE), None, STUDENT_CODE.splitlines(True), filename)
    exec(compile(STUDENT_CODE, filename, "exec"), namespace)
    return namespace["answer"]


@student_check
def check_answer(fn):
    assert fn(0) == 0, "answer(0) should be 0."


def test_a_crash_is_an_assertion_with_the_exception_and_the_students_line():
    """Does a wrapped check turn a ZeroDivisionError into an AssertionError naming it and the
    student's own line?"""
    with pytest.raises(AssertionError) as caught:
        check_answer(_student_function())
    message = str(caught.value)
    assert "ZeroDivisionError" in message and "division by zero" in message
    assert "line 4 of `answer`" in message and "`return total / x`" in message


def test_placeholders_and_failed_assertions_pass_through():
    """Are NotImplementedError (not attempted) and a failed assertion left as they are?"""

    def stub(x):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        check_answer(stub)
    with pytest.raises(AssertionError, match="should be 0"):
        check_answer(lambda x: 1)


def test_question_calls_a_crash_incorrect_even_when_the_check_is_not_wrapped():
    """Does qN.check() say incorrect (not a traceback) for a crash in an unwrapped check?"""

    def bare_check(fn):
        fn(0)

    feedback = Question("answer", bare_check, "hint").evaluate(_student_function())
    assert feedback.outcome is Outcome.INCORRECT
    assert "ZeroDivisionError" in feedback.message and "return total / x" in feedback.message


def test_a_crash_inside_a_library_names_the_students_last_line():
    """When the error is raised inside NumPy, is the student's calling line the one shown?"""
    namespace: dict = {}
    source = "import numpy as np\ndef f():\n    return np.reshape([1, 2, 3], (2, 2))\n"
    linecache.cache["/tmp/ipykernel_1/4.py"] = (len(source), None, source.splitlines(True), "x")
    exec(compile(source, "/tmp/ipykernel_1/4.py", "exec"), namespace)
    with pytest.raises(ValueError) as caught:
        namespace["f"]()
    assert "np.reshape([1, 2, 3], (2, 2))" in describe_crash(caught.value)
