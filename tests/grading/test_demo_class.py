"""The whole nbgrader pipeline on the demo class: scores, feedback, CSV, timings."""

from __future__ import annotations

import csv

from course.grading.cells import read
from course.grading.demo import MISTAKEN, PERFECT, UNTOUCHED, compare
from course.grading.results import cell_seconds

NBGRADER_TIMEOUT = 30  # seconds per cell, nbgrader's default


def test_graded_without_problems(graded_demo):
    """Did every nbgrader step run without an error or a flag?"""
    grades, _, _ = graded_demo
    assert grades.problems == []
    assert all(r.flags == [] for r in grades.results), [r.flags for r in grades.results]


def test_perfect_submission_scores_full_marks(graded_demo):
    """Does the solution, submitted as a student would, score full marks on every grade cell?"""
    grades, _, _ = graded_demo
    perfect = [r for r in grades.results if r.student == PERFECT]
    assert perfect and all(r.questions for r in perfect)
    assert all(q.score == q.max_score > 0 for r in perfect for q in r.questions)


def test_untouched_notebook_scores_zero_everywhere(graded_demo):
    """Does the untouched student notebook score 0 on every graded cell?"""
    grades, _, _ = graded_demo
    untouched = [q for r in grades.results if r.student == UNTOUCHED for q in r.questions]
    assert untouched and all(q.score == 0 for q in untouched)
    assert all("NotImplementedError" in q.reason for q in untouched)


def test_planted_mistakes_lose_exactly_their_points(graded_demo):
    """Does each planted mistake cost its question's points and nothing else?"""
    grades, expected, _ = graded_demo
    assert compare(grades.results, expected) == []
    mistaken = [q for r in grades.results if r.student == MISTAKEN for q in r.questions]
    lost = [q for q in mistaken if q.score == 0]
    assert lost and all("AssertionError" in q.reason for q in lost)


def test_feedback_and_csv_written(graded_demo):
    """Are feedback HTML files and a grades CSV written for every student?"""
    grades, _, workspace = graded_demo
    for student in (PERFECT, UNTOUCHED, MISTAKEN):
        assert list((workspace / "feedback" / student).glob("*/*.html")), student
    rows = list(csv.DictReader(grades.csv_path.open()))
    assert {row["student"] for row in rows} == {PERFECT, UNTOUCHED, MISTAKEN}
    assert len(rows) == sum(len(r.questions) for r in grades.results)
    assert (workspace / "nbgrader_grades.csv").is_file()


def test_every_cell_runs_within_nbgraders_timeout(graded_demo):
    """Does every cell of the solution run in under 30 s on this CPU (timed during autograding)?"""
    _, _, workspace = graded_demo
    for path in sorted((workspace / "autograded" / PERFECT).glob("*/*.ipynb")):
        cells = [c for c in read(path).cells if c.cell_type == "code"]
        times = [(cell_seconds(c), c.source.splitlines()[0][:50]) for c in cells]
        assert all(t is not None for t, _ in times), "execution times were not recorded"
        total = sum(t for t, _ in times)
        slowest = max(times)
        print(
            f"\n[{path.parent.name}: {total:.1f} s in cells, slowest {slowest[0]:.1f} s: "
            f"{slowest[1]!r}]"
        )
        assert slowest[0] < NBGRADER_TIMEOUT
