"""Run a notebook's grade cells directly, in this process, on planted answers.

Much faster than executing whole notebooks: the tests use it to check that the
solution passes every grade cell, the untouched stubs fail them, and each
typical mistake fails its own question's cell and no other. Only for grade cells
that need nothing but the setup cell and the answers (the "cheap" ones); cells
that grade a trained model are tested through their check functions instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from course.grading.cells import grade_cells


def setup_namespace(solution_nb) -> dict:
    """A namespace where the notebook's first code cell (imports, seeds) has run."""
    namespace: dict = {}
    first_code = next(c for c in solution_nb.cells if c.cell_type == "code")
    exec(first_code.source, namespace)
    return namespace


def failing_grade_cells(
    solution_nb, answers: Mapping[str, str], only: Iterable[str] | None = None
) -> dict[str, str]:
    """grade cell id -> error, for the grade cells (hidden tests included) that fail.

    answers: solution grade_id -> source to run (in notebook order) after the setup cell;
    only: the grade cell ids to run (default: all).
    """
    namespace = setup_namespace(solution_nb)
    for source in answers.values():
        exec(source, namespace)
    failing: dict[str, str] = {}
    selected = None if only is None else set(only)
    for test_id, (source, _) in grade_cells(solution_nb).items():
        if selected is not None and test_id not in selected:
            continue
        try:
            exec(source, dict(namespace))
        except Exception as error:  # a failing grade cell, whatever it raised
            failing[test_id] = f"{type(error).__name__}: {error}"
    return failing
