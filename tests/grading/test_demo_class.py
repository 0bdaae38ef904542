"""The whole nbgrader pipeline on the demo class: scores, flags, feedback, CSV, timings."""

from __future__ import annotations

import csv

from course.cells import read
from course.grading.demo import BROKEN, CRASHER, MISTAKEN, PERFECT, TAMPERER, UNTOUCHED, compare
from course.grading.results import cell_seconds

NBGRADER_TIMEOUT = 30  # seconds per cell, nbgrader's default


def _questions(grades, student):
    return [q for r in grades.results if r.student == student for q in r.questions]


def test_graded_as_expected(graded_demo):
    """Does every student score what is expected, with exactly the expected flags?"""
    grades, expected, _ = graded_demo
    assert compare(grades.results, expected) == []
    assert grades.problems == []


def test_perfect_submission_scores_full_marks(graded_demo):
    """Does the solution, submitted as a student would, score full marks on every grade cell?"""
    grades, _, _ = graded_demo
    perfect = _questions(grades, PERFECT)
    assert perfect and all(q.score == q.max_score > 0 for q in perfect)
    assert all(not r.flags for r in grades.results if r.student == PERFECT)


def test_pruned_grading_gives_the_full_runs_grades(graded_demo):
    """The perfect student is graded with every cell, the mistaken one with the demonstration
    cells skipped: on every question without a planted mistake (the trained models' among
    them), do both get the same score?"""
    from course.mistakes import DEMO

    grades, _, _ = graded_demo
    full = {(r.assignment, q.grade_id): q.score for r in grades.results if r.student == PERFECT
            for q in r.questions}  # fmt: skip
    pruned = {(r.assignment, q.grade_id): q.score for r in grades.results
              if r.student == MISTAKEN for q in r.questions}  # fmt: skip
    planted = {(a, f"{g}_tests") for a, wrong in DEMO.items() for g, _ in dict(wrong).items()}
    compared = set(full) - planted
    assert planted <= set(full) and {assignment for assignment, _ in compared} == set(DEMO)
    assert set(pruned) == set(full)
    assert {k: pruned[k] for k in compared} == {k: full[k] for k in compared}


def test_untouched_notebook_scores_zero_everywhere(graded_demo):
    """Does the untouched student notebook score 0 on every graded cell?"""
    grades, _, _ = graded_demo
    untouched = _questions(grades, UNTOUCHED)
    assert untouched and all(q.score == 0 for q in untouched)
    assert all("NotImplementedError" in q.reason for q in untouched)


def test_planted_mistakes_lose_exactly_their_points(graded_demo):
    """Does each planted mistake cost its question's points, with the check's message?"""
    grades, _, _ = graded_demo
    lost = [q for q in _questions(grades, MISTAKEN) if q.score == 0]
    assert lost and all("AssertionError" in q.reason for q in lost)


def test_hostile_students_are_flagged_and_lose_only_what_they_broke(graded_demo):
    """Do the tampering, crashing and broken submissions get flags and only the points at stake?"""
    grades, _, _ = graded_demo
    by_student = {r.student: r for r in grades.results if r.assignment == "02-cnn-layers"}
    tamper = {q.grade_id: q for q in by_student[TAMPERER].questions}
    assert tamper["conv_params_tests"].score == 0
    # its wrong answer lost its points although it replaced the check with a no-op
    assert "conv_params(3, 3, 64" in tamper["conv_params_tests"].reason
    assert tamper["conv2d_tests"].score == tamper["conv2d_tests"].max_score  # restored, passed
    crash = {q.grade_id: q for q in by_student[CRASHER].questions}
    assert crash["dense_params_tests"].score == 0
    assert sum(q.score for q in crash.values()) == by_student[CRASHER].max_score - 1
    assert all(q.score == 0 for q in by_student[BROKEN].questions)


def test_feedback_and_csv_written(graded_demo):
    """Are feedback pages (without hidden tests) and a grades CSV written for every student?"""
    grades, _, workspace = graded_demo
    for student in (PERFECT, UNTOUCHED, MISTAKEN):
        pages = list((workspace / "feedback" / student).glob("*/*.html"))
        assert pages, student
        for page in pages:
            html = page.read_text()
            assert "BEGIN HIDDEN TESTS" not in html and "(227, 227), 11, 4" not in html
    rows = list(csv.DictReader(grades.csv_path.open()))
    assert {row["student"] for row in rows} >= {PERFECT, UNTOUCHED, MISTAKEN}
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
