"""Notebook 01's model checks, run as grading runs them: in the judge, on the student's
function behind a probe session (an in-process stand-in for the kernel). The harness
(tests/exercises/test_grade_cells.py) does this for every grade cell it runs; these four
questions are graded on notebook state, so their untrained checks are run here."""

from __future__ import annotations

import pytest

from course.alternatives.tasks import ALTERNATIVES
from course.exercises import tasks
from course.grading.direct import DirectGrading
from course.judge.remote import LoopbackTransport, Remote, Session
from course.mistakes.tasks import ASSIGNMENT, MISTAKES

NOTEBOOK = DirectGrading(ASSIGNMENT)
CHECKS = {
    "build_classifier": tasks.check_build_classifier,
    "build_localizer": tasks.check_build_localizer,
    "build_unet": tasks.check_build_unet,
    "sample_digits": tasks.check_sample_digits,
}


def _remote(grade_id: str, source: str) -> Remote:
    namespace = NOTEBOOK.namespace(source)
    return Session(LoopbackTransport(namespace)).name(grade_id)


@pytest.mark.parametrize(
    ("grade_id", "label"),
    [(g, "solution") for g in CHECKS] + [(g, label) for g in CHECKS for label in ALTERNATIVES[g]],
)
def test_correct_answers_pass_through_the_judge(grade_id, label):
    source = NOTEBOOK.answers[grade_id] if label == "solution" else ALTERNATIVES[grade_id][label]
    CHECKS[grade_id](_remote(grade_id, source))


@pytest.mark.parametrize(
    ("grade_id", "label"), [(g, label) for g in CHECKS for label in MISTAKES.get(g, {})]
)
def test_mistakes_fail_through_the_judge_when_they_fail_beside_it(grade_id, label):
    """Does the judge reach the verdict the check reaches with the answer in hand?"""
    source = MISTAKES[grade_id][label]
    try:
        CHECKS[grade_id](NOTEBOOK.namespace(source)[grade_id])
        local = None
    except AssertionError as error:
        local = str(error)
    if local is None:
        pytest.skip("a mistake only the trained-model check catches")
    with pytest.raises(AssertionError):
        CHECKS[grade_id](_remote(grade_id, source))
