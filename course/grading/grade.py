"""Grade a class: intake, each student judged in a sandbox, one merge into the gradebook.

1. Copy the submissions in (folder or zip) and inspect every notebook (intake).
2. Record each assignment in the class's gradebook (nbgrader's generate_assignment, in a
   thread while step 3 runs: judging reads the solutions, not these records).
3. Judge each student (all their assignments: one sandbox, TensorFlow imported once),
   ``jobs`` at a time, showing progress (``course.judge.submission``): the student's kernels
   run in a bubblewrap sandbox that sees nothing of the class, and the grade cells run in the
   judge, outside it. Only this process writes the executed notebooks (atomically), from the
   judges' results.
4. Merge: one ``nbgrader autograde`` pass over the executed notebooks, with no
   execution, writes every score into the class's gradebook (one writer only); while the
   other students are judged when that leaves cores idle here (``course.grading.recording``).
5. Feedback (without hidden tests), nbgrader's CSV export, the course's CSV.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from course.cells import read
from course.grading.inspection import Intake, inspect_submissions
from course.grading.intake import import_submissions
from course.grading.nbgrader_batch import run_steps
from course.grading.nbgrader_steps import NbgraderError
from course.grading.recording import Recorder
from course.grading.report import printable, write_csv
from course.grading.results import NotebookResult, collect
from course.judge.limits import Limits, usable_cpus
from course.judge.skipping import skippable_cells
from course.judge.submission import GradingOutcome, GradingTask, judge_student
from course.paths import SOLUTIONS_DIR, notebook_names

#: Set for the merge pass: nbgrader records the judges' verdicts and executes nothing.
JUDGED_MERGE_ENV = "COURSE_JUDGED_MERGE"


@dataclass
class ClassGrades:
    """The outcome of grading a class."""

    results: list[NotebookResult]
    csv_path: Path
    feedback_dir: Path
    seconds: float
    problems: list[str]  # step-level failures (nbgrader ERROR lines), besides per-notebook flags
    sandboxes: list[GradingOutcome] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(self.problems) or any(r.flags for r in self.results)


def _print(message: str) -> None:
    print(printable(message), flush=True)


def _task(workspace: Path, student: str, assignments, limits, isolation, threads, fast=True):
    """The grading task of one student: every assignment of theirs to grade."""
    submitted = {}
    for assignment in assignments:
        folder = Path(workspace, "submitted", student, assignment)
        submitted[assignment] = {p.stem: p.read_bytes() for p in sorted(folder.glob("*.ipynb"))}
    return GradingTask(student, submitted, limits, isolation, threads, fast, split=not fast)


@functools.cache
def _cells_to_run(assignment: str, every_cell: bool) -> int:
    """How many code cells grading runs in ``assignment`` (a rough measure of its time)."""
    count = 0
    for name in notebook_names(assignment):
        solution = read(SOLUTIONS_DIR / assignment / f"{name}.ipynb")
        code = sum(c.cell_type == "code" for c in solution.cells)
        count += code - (0 if every_cell else len(skippable_cells(solution)))
    return count


def _task_key(task: GradingTask) -> str | tuple[str, ...]:
    """``"ada"`` for a student's whole task; ``("ada", "02-cnn-layers")`` for one of a split
    student's."""
    return (task.student, *sorted(task.assignments)) if task.split else task.student


def _save(
    workspace: Path,
    outcomes: list[GradingOutcome],
    on_saved: Callable[[str, str], None] | None = None,
) -> None:
    """Write one student's executed notebooks, each atomically (temporary file, rename), then
    drop their bytes from the outcomes (a class's notebooks need not stay in memory)."""
    for outcome in outcomes:
        target = Path(workspace, ".executed", outcome.student, outcome.assignment)
        target.mkdir(parents=True, exist_ok=True)
        for name, raw in outcome.executed.items():
            partial = target / f".{name}.ipynb.partial"
            partial.write_bytes(raw)
            os.replace(partial, target / f"{name}.ipynb")
        if on_saved is not None and outcome.executed:
            on_saved(outcome.student, outcome.assignment)
        outcome.executed = dict.fromkeys(outcome.executed, b"")


def _judge_all(
    workspace,
    jobs_list,
    limits,
    jobs,
    isolation,
    progress,
    scheduler=None,
    every_cell=(),
    on_saved: Callable[[str, str], None] | None = None,
) -> list[GradingOutcome]:
    """Judge every student (all their assignments in one task): here in ``jobs`` threads, or
    on a Dask cluster (``scheduler``); each student's outcomes are saved by this process as
    they arrive, then ``on_saved(student, assignment)`` is called for each judged notebook
    set."""
    from course.grading.dispatch import run_tasks

    threads = max(1, usable_cpus() // jobs) if scheduler is None else 0  # 0: the worker's
    by_student: dict[str, list[str]] = {}
    for student, assignment in jobs_list:
        by_student.setdefault(student, []).append(assignment)
    # One task per student (one sandbox, TensorFlow imported once); a student graded with
    # every cell (a timing run, much longer) is split per assignment so the jobs share it.
    groups = [
        (student, part)
        for student, assignments in by_student.items()
        for part in ([[a] for a in assignments] if student in every_cell else [assignments])
    ]
    # the longest first (by the code cells each will run), so no long task starts last
    groups.sort(key=lambda group: -sum(_cells_to_run(a, group[0] in every_cell) for a in group[1]))
    tasks = [
        _task(workspace, s, a, limits, isolation, threads, fast=s not in every_cell)
        for s, a in groups
    ]

    def failed(task: GradingTask, problem: str) -> list[GradingOutcome]:
        return [
            GradingOutcome(task.student, a, {}, f"not graded: {problem}"[:300])
            for a in sorted(task.assignments)
        ]

    per_student = run_tasks(
        judge_student,
        tasks,
        jobs=jobs,
        scheduler=scheduler,
        progress=progress,
        on_failure=failed,
        on_done=lambda outcomes: _save(workspace, outcomes, on_saved),  # then bytes dropped
        key=_task_key,
    )
    return [outcome for outcomes in per_student for outcome in outcomes]


def grade_class(
    source: Path,
    workspace: Path,
    jobs: int = 1,
    limits: Limits | None = None,
    progress: Callable[[str], None] = _print,
    isolation: str = "bubblewrap",
    scheduler: str | None = None,
    every_cell: Collection[str] = (),
) -> ClassGrades:
    """Autograde every submission in ``source``; write feedback and CSV grades in ``workspace``.

    isolation: "bubblewrap" (the default: each student's kernel in a sandbox) or "none"
    (students' code runs with this user's rights; the grades are still decided outside it).
    scheduler: a Dask scheduler address ("tcp://HOST:8786") to judge on its workers, which
    need the same course install and bubblewrap (docs/grading-at-scale.md); None: here.
    every_cell: students whose notebooks run every cell; the others skip the demonstration
    cells no grade depends on (course.judge.skipping).
    """
    start = time.perf_counter()
    limits = limits or Limits()
    workspace = Path(workspace).resolve()
    workspace.mkdir(parents=True, exist_ok=True)
    if isolation == "bubblewrap" and scheduler is None:  # workers check their own
        from course.judge.bubblewrap import require_bubblewrap

        require_bubblewrap()
    for scratch in (".executed", ".tokens", ".sandboxes"):  # (the last two: older versions)
        shutil.rmtree(workspace / scratch, ignore_errors=True)
    students_by_assignment = import_submissions(source, workspace)
    intakes = inspect_submissions(workspace, students_by_assignment)
    _drop_ungradable(workspace, intakes)

    release = str(workspace / "release")  # nbgrader's records of each assignment; its copy
    # Judging reads the solutions, not nbgrader's records: nbgrader makes them meanwhile.
    pool = ThreadPoolExecutor(1, thread_name_prefix="nbgrader-records")
    records = pool.submit(
        run_steps,
        [
            {"step": "generate_assignment", "assignment": a, "release_directory": release}
            for a in sorted(students_by_assignment)
        ],
        workspace,
        check=True,
    )
    pool.shutdown(wait=False)  # its one task still runs
    gradable = {(s, a) for (s, a, _), intake in intakes.items() if intake.gradable}
    todo = [
        (student, assignment)
        for assignment, students in sorted(students_by_assignment.items())
        for student in students
        if (student, assignment) in gradable
    ]
    students = len({student for student, _ in todo})
    progress(
        f"Autograding {len(todo)} submission(s) of {students} student(s), {jobs} student(s) at "
        "a time ..."
    )
    merge_env = {**os.environ, JUDGED_MERGE_ENV: "1"}
    # When the judging leaves this machine's cores idle (it runs on a cluster, or in fewer
    # threads than there are cores), record the judged students meanwhile.
    idle_cores = scheduler is not None or jobs < usable_cpus()
    recorder = Recorder(workspace, records, merge_env) if idle_cores else None
    sandboxes = _judge_all(
        workspace,
        todo,
        limits,
        jobs,
        isolation,
        progress,
        scheduler,
        set(every_cell),
        on_saved=recorder.add if recorder is not None else None,
    )

    records.result()  # raises NbgraderError if nbgrader could not make them
    progress("Recording the grades in the gradebook and writing feedback ...")
    export = {"step": "export", "to": str(workspace / "nbgrader_grades.csv")}
    if recorder is not None:
        done = recorder.finish(then=[export])
    else:  # every core judged: record everyone now, one nbgrader step per assignment
        steps = []
        for assignment in sorted(students_by_assignment):
            executed = str(workspace / ".executed")
            steps += [
                {"step": "autograde", "assignment": assignment, "submitted_directory": executed},
                {"step": "generate_feedback", "assignment": assignment},
            ]
        done = run_steps([*steps, export], workspace, env=merge_env)
    problems: list[str] = []
    for step in done:
        what = {"autograde": "recording", "generate_feedback": "feedback"}.get(step.args[0])
        if what is None:  # the export: its failure stops the run, as before
            if step.returncode or step.errors:
                raise NbgraderError(f"nbgrader export failed:\n{step.log[-2000:]}")
            continue
        problems += [f"{what} {step.args[1]}: {line}" for line in step.errors]
    results: list[NotebookResult] = []
    for assignment, students in sorted(students_by_assignment.items()):
        results += collect(workspace, assignment, students)
    _add_flags(results, intakes, sandboxes)
    csv_path = write_csv(results, workspace / "grades.csv")
    return ClassGrades(
        results,
        csv_path,
        workspace / "feedback",
        time.perf_counter() - start,
        problems,
        sandboxes,
    )


def _drop_ungradable(workspace: Path, intakes: dict[tuple[str, str, str], Intake]) -> None:
    """Move unreadable notebooks aside (kept in workspace/unreadable/) so nbgrader skips them."""
    for (student, assignment, name), intake in intakes.items():
        path = Path(workspace, "submitted", student, assignment, f"{name}.ipynb")
        if not intake.gradable and path.exists():
            aside = Path(workspace, "unreadable", student, assignment)
            aside.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), aside / path.name)


def _add_flags(results, intakes, outcomes) -> None:
    problems = {(o.student, o.assignment): o.problem for o in outcomes if o.problem}
    for result in results:
        intake = intakes.get((result.student, result.assignment, result.notebook))
        if intake is not None:
            result.flags[:0] = intake.flags
            for question in result.questions:
                deleted = f"test cell {question.grade_id} deleted"
                reason = next((f for f in intake.flags if f.startswith(deleted)), "")
                if reason and not question.reason:
                    question.reason = reason
            if not intake.gradable:
                result.flags = [f for f in result.flags if not f.startswith("not graded")]
                for question in result.questions:
                    question.reason = intake.flags[0]
        problem = problems.get((result.student, result.assignment))
        if problem:
            result.flags.append(f"grading: {problem}")
