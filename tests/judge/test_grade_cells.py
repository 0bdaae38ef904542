"""course.judge.grade_cells: grade cells run in the judge, answers fetched by name."""

from __future__ import annotations

from course.judge.grade_cells import HIDDEN_FAILED, GradeCellJudge, split_hidden
from course.judge.remote import LoopbackTransport, Session

CELL = (
    "assert double(2) == 4\n### BEGIN HIDDEN TESTS\nassert double(-3) == -6\n"
    "### END HIDDEN TESTS"
)


def _judge(answers: str) -> GradeCellJudge:
    namespace: dict = {}
    exec(answers, namespace)
    return GradeCellJudge(Session(LoopbackTransport(namespace)), "import math\nseen = 1")


def test_split_hidden():
    assert split_hidden(CELL) == ("assert double(2) == 4", "assert double(-3) == -6")


def test_a_right_answer_passes_and_a_wrong_one_fails_visibly():
    assert _judge("def double(x):\n    return 2 * x").grade("d", CELL).passed
    verdict = _judge("def double(x):\n    return x + 2").grade("d", "assert double(3) == 6, 'no'")
    assert not verdict.passed and verdict.ename == "AssertionError" and verdict.evalue == "no"


def test_a_hidden_failure_does_not_show_its_case():
    verdict = _judge("def double(x):\n    return abs(2 * x)").grade("d", CELL)
    assert not verdict.passed and verdict.evalue == HIDDEN_FAILED and "-3" not in verdict.evalue


def test_the_placeholder_is_not_attempted():
    verdict = _judge("def double(x):\n    raise NotImplementedError()").grade("d", CELL)
    assert verdict.ename == "NotImplementedError"
    assert verdict.outputs()[0]["output_type"] == "error"


def test_the_judge_keeps_its_own_names_and_setup():
    """Do the setup cell's names and a cell's results stay in the judge for later cells?"""
    judge = _judge("def double(x):\n    return 2 * x\nmath = None\nkept = 'student'")
    assert judge.grade("a", "kept = double(5)\nassert math.pi > 3").passed
    assert judge.grade("b", "assert kept == 10").passed


def test_a_missing_answer_is_a_name_error():
    verdict = _judge("").grade("d", CELL)
    assert verdict.ename == "NameError"
