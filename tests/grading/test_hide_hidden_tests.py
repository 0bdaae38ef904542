"""course.grading.hide_hidden_tests: what the feedback shows of a grade cell's source."""

from __future__ import annotations

from course.grading.hide_hidden_tests import HIDDEN_NOTE, hide_hidden_tests


def test_feedback_hides_hidden_tests_and_grader_code():
    """Does the feedback source keep the visible tests and drop hidden ones and added checks?"""
    source = (
        '"""Q?"""\ncheck(f)\n### BEGIN HIDDEN TESTS\ncheck(f, cases=[1, 2])\n'
        "### END HIDDEN TESTS\n# --- added by the course's grader: checks ---\nprint('t')\n"
    )
    shown = hide_hidden_tests(source)
    assert shown == f'"""Q?"""\ncheck(f)\n{HIDDEN_NOTE}'
