"""Run a notebook's grade cells directly, in this process, on planted answers.

Much faster than executing whole notebooks: the tests use it to check that the
solution passes every grade cell, the untouched stubs fail them, and each typical
mistake fails its own question's cell and no other. Only for grade cells that need
nothing but the setup cell and the answers; cells that grade a model the notebook
trained are tested through their check functions instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from course.cells import grade_cells, read, solution_cells
from course.paths import NOTEBOOKS_DIR, SOLUTIONS_DIR, notebook_names


def setup_namespace(solution_nb) -> dict:
    """A namespace where the notebook's first code cell (imports, seeds) has run."""
    namespace: dict = {}
    first_code = next(c for c in solution_nb.cells if c.cell_type == "code")
    exec(first_code.source, namespace)
    return namespace


def failing_grade_cells(
    solution_nb,
    answers: Mapping[str, str],
    only: Iterable[str] | None = None,
    judged: bool = False,
) -> dict[str, str]:
    """grade cell id -> error, for the grade cells (hidden tests included) that fail.

    answers: solution grade_id -> source to run (in notebook order) after the setup cell;
    only: the grade cell ids to run (default: all); judged: run them as grading does, in a
    judge that reaches the answers only through probes answered as data (an in-process
    stand-in for the student's kernel), else in the answers' own namespace.
    """
    namespace = setup_namespace(solution_nb)
    for source in answers.values():
        exec(source, namespace)
    failing: dict[str, str] = {}
    selected = None if only is None else set(only)
    judge = _loopback_judge(solution_nb, namespace) if judged else None
    for test_id, (source, _) in grade_cells(solution_nb, raw=judged).items():
        if selected is not None and test_id not in selected:
            continue
        if judge is not None:
            verdict = judge.grade(test_id, source)
            if not verdict.passed:
                failing[test_id] = f"{verdict.ename}: {verdict.evalue}"
            continue
        try:
            exec(source, dict(namespace))
        except Exception as error:  # a failing grade cell, whatever it raised
            failing[test_id] = f"{type(error).__name__}: {error}"
    return failing


def _loopback_judge(solution_nb, namespace: dict):
    from course.judge.grade_cells import GradeCellJudge
    from course.judge.remote import LoopbackTransport, Session

    first_code = next(c for c in solution_nb.cells if c.cell_type == "code")
    return GradeCellJudge(Session(LoopbackTransport(namespace)), first_code.source)


class DirectGrading:
    """One assignment's instructor and student notebooks, ready to grade answers directly.

    ``answers``: grade_id -> the solution's source; ``stubs``: grade_id -> the student
    notebook's placeholder; ``grade_cells``: test id -> (source with hidden tests, points).
    """

    def __init__(self, assignment: str, notebook: str | None = None):
        name = notebook if notebook is not None else notebook_names(assignment)[0]
        self.assignment = assignment
        self.solution = read(SOLUTIONS_DIR / assignment / f"{name}.ipynb")
        self.student = read(NOTEBOOKS_DIR / assignment / f"{name}.ipynb")
        self.answers = solution_cells(self.solution)
        self.stubs = solution_cells(self.student)
        self.grade_cells = grade_cells(self.solution)

    def with_answer(self, grade_id: str, source: str) -> dict[str, str]:
        """The solution's answers, with ``grade_id``'s replaced by ``source``."""
        return {**self.answers, grade_id: source}

    def failing(
        self,
        answers: Mapping[str, str] | None = None,
        only: Iterable[str] | None = None,
        judged: bool = False,
    ) -> dict[str, str]:
        """Grade cell id -> error for the cells that fail on ``answers`` (default: solution)."""
        return failing_grade_cells(
            self.solution, self.answers if answers is None else answers, only, judged
        )

    def namespace(self, *sources: str) -> dict:
        """The setup cell's namespace after running ``sources`` (e.g. one answer)."""
        namespace = setup_namespace(self.solution)
        for source in sources:
            exec(source, namespace)
        return namespace
