"""The demo class: a perfect submission, an untouched one and one with typical mistakes.

Built from the repository's notebooks each time, so it never drifts from them;
``expected_scores`` says what each student must score, which the demo checks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from course.grading.cells import fill, grade_cells, read, solution_cells
from course.grading.paths import NOTEBOOKS_DIR, SOLUTIONS_DIR, assignments, notebook_names
from course.mistakes import DEMO, MISTAKES

PERFECT, UNTOUCHED, MISTAKEN = "ada-perfect", "ben-untouched", "cleo-mistakes"


def _mistaken_answers(assignment: str, solutions: dict[str, str]) -> dict[str, str]:
    answers = dict(solutions)
    for grade_id, label in DEMO.get(assignment, ()):
        answers[grade_id] = MISTAKES[assignment][grade_id][label]
    return answers


def build_demo_class(dest: Path) -> dict[str, dict[tuple[str, str, str], float]]:
    """Write the demo submissions under ``dest/<student>/<assignment>/``.

    Returns student -> {(assignment, notebook, grade cell id): expected score}.
    """
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    expected: dict[str, dict[tuple[str, str, str], float]] = {
        PERFECT: {},
        UNTOUCHED: {},
        MISTAKEN: {},
    }
    for assignment in assignments():
        wrong = {grade_id for grade_id, _ in DEMO.get(assignment, ())}
        for name in notebook_names(assignment):
            solution = read(SOLUTIONS_DIR / assignment / f"{name}.ipynb")
            student = read(NOTEBOOKS_DIR / assignment / f"{name}.ipynb")
            answers = solution_cells(solution)
            submissions = {
                PERFECT: fill(student, answers),
                UNTOUCHED: student,
                MISTAKEN: fill(student, _mistaken_answers(assignment, answers)),
            }
            for who, nb in submissions.items():
                path = dest / who / assignment / f"{name}.ipynb"
                path.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, str(path))
            for test_id, (_, points) in grade_cells(solution).items():
                key = (assignment, name, test_id)
                expected[PERFECT][key] = points
                expected[UNTOUCHED][key] = 0.0
                answered_wrong = test_id.removesuffix("_tests") in wrong
                expected[MISTAKEN][key] = 0.0 if answered_wrong else points
    return expected


def compare(results, expected) -> list[str]:
    """Where the graded demo class differs from the expected scores (empty when it matches)."""
    differences = []
    for result in results:
        for q in result.questions:
            key = (result.assignment, result.notebook, q.grade_id)
            want = expected.get(result.student, {}).get(key)
            if want is not None and q.score != want:
                differences.append(
                    f"{result.student} {key[0]}/{key[1]} {q.grade_id}: scored {q.score:g}, "
                    f"expected {want:g} ({q.reason or 'no error recorded'})"
                )
    return differences
