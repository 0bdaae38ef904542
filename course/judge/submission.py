"""Grade one student's notebooks: the judge drives sandboxed kernels cell by cell.

``judge_student(task)`` is pure (notebook bytes in, executed notebook bytes out, no shared
files), so it runs the same in a local pool or on a Dask worker. One sandbox serves all of a
student's notebooks: it imports the setup cells' modules (TensorFlow) once and gives each
notebook a fresh kernel forked from that import (``course.judge.zygote``), so nothing of one
notebook reaches the next, and TensorFlow's import is paid once per student, not per
notebook. For each notebook:

1. the instructor's locked cells (from ``solutions/``, as nbgrader's OverwriteCells does)
   replace the student's copies; the student's answers stay;
2. every non-grade cell runs in the student's kernel, in order, with its outputs kept;
3. every grade cell runs here, in the judge (``GradeCellJudge``), hidden tests included; the
   kernel only answers probes. Its outputs are the judge's verdict and nothing else;
4. a cell that kills the kernel gets an error output; a new kernel replays the cells before
   it and grading goes on. Past the wall-clock limit, the remaining grade cells fail.

With ``fast`` (the default), the instructor's cells no grade depends on are not run
(``course.judge.skipping``); a notebook where a name is then missing (a NameError, in a
cell or a test) is graded again with every cell.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import dataclasses
import datetime
import fcntl
import importlib
import io
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from course.cells import drop_duplicate_ids, nbgrader_meta, read
from course.judge.grade_cells import GradeCellJudge, Verdict
from course.judge.kernel import StudentKernel
from course.judge.limits import Limits, cpus_per_worker_thread
from course.judge.remote import KernelGone, Session
from course.judge.skipping import names_assigned, skippable_cells
from course.paths import SOLUTIONS_DIR

MAX_RESTARTS = 3


@dataclass
class GradingTask:
    """One student's notebooks to grade: assignment -> notebook name -> submitted .ipynb
    bytes (one task per student, so the sandbox's imports are paid once)."""

    student: str
    assignments: dict[str, dict[str, bytes]]
    limits: Limits = field(default_factory=Limits)
    isolation: str = "bubblewrap"
    threads: int = 1  # per kernel; 0: decided where the task runs (a Dask worker)
    fast: bool = True  # skip the demonstration cells (see the module docstring)
    split: bool = False  # one of several tasks of this student (one assignment each)


@dataclass
class GradingOutcome:
    """The executed notebooks (name -> .ipynb bytes, grade cells holding the judge's
    verdicts) and what went wrong, if anything."""

    student: str
    assignment: str
    executed: dict[str, bytes]
    problem: str = ""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # for the progress line, not flags


def _timed(cell: NotebookNode, start: datetime.datetime) -> None:
    """Record when the cell ran, as nbclient does (course.grading.results.cell_seconds)."""
    end = datetime.datetime.now(datetime.timezone.utc)
    cell.metadata["execution"] = {
        "iopub.execute_input": start.isoformat().replace("+00:00", "Z"),
        "shell.execute_reply": end.isoformat().replace("+00:00", "Z"),
    }


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[])


def _outputs(raw: list) -> list[NotebookNode]:
    """The kernel's outputs of one cell, kept only if they are valid nbformat outputs."""
    kept = []
    for output in raw if isinstance(raw, list) else []:
        if not isinstance(output, dict):
            continue
        node = nbformat.from_dict(output)
        probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[node])])
        try:
            nbformat.validate(probe)
        except nbformat.ValidationError:
            continue
        kept.append(node)
    return kept


def setup_imports(setup_sources: list[str]) -> list[str]:
    """The modules the setup cells import, in order (``from course import data`` gives
    ``course`` and ``course.data``): what the sandbox imports once for all the kernels."""
    found: list[str] = []
    for source in setup_sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                found += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.append(node.module)
                found += [f"{node.module}.{alias.name}" for alias in node.names]
    return list(dict.fromkeys(found))


def import_quietly(modules: list[str]) -> None:
    """Import ``modules`` in this process, in order; one that fails is left to the cell that
    imports it (its error is the cell's)."""
    for module in modules:
        with contextlib.suppress(Exception):
            importlib.import_module(module)


_DATASETS_LOCK = threading.Lock()
_datasets: list[Path | None] = []  # prepared once per grading process


def shared_datasets() -> Path | None:
    """The course's datasets, prepared once by this process (a file lock keeps two processes
    of one machine from preparing them at once) for every sandbox to read; None if they
    cannot be prepared here (each kernel then prepares its own)."""
    with _DATASETS_LOCK:
        if not _datasets:
            from course import datasets

            folder = datasets.default_data_dir()
            try:
                folder.mkdir(parents=True, exist_ok=True)
                with open(folder / ".prepare.lock", "w") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    with contextlib.redirect_stdout(io.StringIO()):
                        _datasets.append(datasets.prepare_all(folder).resolve())
            except Exception:  # noqa: BLE001 - the kernels prepare them, as a student's does
                _datasets.append(None)
        return _datasets[0]


class _Sandbox:
    """A student's sandbox, started on first use and again if it dies; a fresh kernel per
    notebook (``kernel(folder)``)."""

    def __init__(self, task: GradingTask, home: Path, preload: list[str]):
        self.task, self.home, self.preload = task, home, tuple(preload)
        self.current: StudentKernel | None = None
        uses_course = any(m.split(".")[0] == "course" for m in preload)
        self.datasets = shared_datasets() if uses_course else None

    def kernel(self, folder: str) -> StudentKernel:
        """The sandbox with a fresh kernel working in ``$HOME/folder``; raises KernelGone."""
        for attempt in range(2):  # a kernel that never came up ran no student code: once more
            try:
                if self.current is None:
                    self.current = StudentKernel(
                        self.home,
                        self.task.limits,
                        self.task.isolation,
                        self.task.threads,
                        self.preload,
                        self.datasets,
                    )
                self.current.new_kernel(folder)
                return self.current
            except KernelGone:
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.current is not None:
            self.current.close()  # the sandbox and every process in it end here
            self.current = None


class _Kernel:
    """The current kernel of a notebook's grading, restarted (and replayed) when it dies."""

    def __init__(self, sandbox: _Sandbox, folder: str, setup: str):
        self.sandbox, self.folder, self.setup = sandbox, folder, setup
        self.replay: list[str] = []
        self.restarts = 0
        self._start()

    def _start(self) -> None:
        self.kernel = self.sandbox.kernel(self.folder)
        self.judge = GradeCellJudge(Session(self.kernel), self.setup)

    def restart(self) -> bool:
        """A new kernel with the cells so far replayed; False when out of restarts."""
        if self.restarts >= MAX_RESTARTS:
            return False
        self.restarts += 1
        try:
            self._start()
        except KernelGone:
            return False
        return all(not self.kernel.run_cell(source).get("dead") for source in self.replay)


_MISSING_NAME = re.compile(r"name '(\w+)' is not defined")


def _names_missing(nb: NotebookNode) -> set[str]:
    """The names whose NameError a cell or a test of the executed notebook shows."""
    return {
        match.group(1)
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error" and output.get("ename") == "NameError"
        for match in [_MISSING_NAME.search(str(output.get("evalue", "")))]
        if match
    }


def judge_notebook(
    submitted: NotebookNode,
    solution: NotebookNode,
    sandbox: _Sandbox,
    folder: str,
    deadline: float,
    skip: set[str] | frozenset[str] = frozenset(),
) -> tuple[NotebookNode, list[str]]:
    """The executed notebook and the problems met (see the module docstring), graded in a
    fresh kernel of ``sandbox`` working in ``$HOME/folder``; the cells whose id is in
    ``skip`` are not run."""
    nb = copy.deepcopy(submitted)
    drop_duplicate_ids(nb)
    locked = {
        nbgrader_meta(c)["grade_id"]: c
        for c in solution.cells
        if nbgrader_meta(c).get("locked") and not nbgrader_meta(c).get("solution")
    }
    setup = next(c.source for c in solution.cells if c.cell_type == "code")
    problems: list[str] = []
    kernel: _Kernel | None = _Kernel(sandbox, folder, setup)
    count = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = nbgrader_meta(cell)
        instructor = locked.get(meta.get("grade_id"))
        if instructor is not None:
            cell.source = instructor.source
        is_grade = bool(meta.get("grade")) and not meta.get("solution")
        if cell.get("id") in skip and not meta:
            cell.outputs, cell.execution_count = [], None
            continue
        count += 1
        cell.execution_count = count
        if time.monotonic() > deadline or kernel is None:
            why = "wall-clock limit" if kernel is not None else "the kernel kept dying"
            cell.outputs = [_error("GradingStopped", f"grading stopped here ({why})")]
            if not problems or "stopped" not in problems[-1]:
                problems.append(f"grading stopped at cell {index} ({why})")
            continue
        started = datetime.datetime.now(datetime.timezone.utc)
        if is_grade and instructor is not None:
            verdict: Verdict = kernel.judge.grade(meta["grade_id"], instructor.source)
            cell.outputs = verdict.outputs()
            _timed(cell, started)
            if verdict.kernel_gone:
                problems.append(f"{meta['grade_id']}: {verdict.evalue}")
                if not kernel.restart():
                    kernel = None
            continue
        result = kernel.kernel.run_cell(cell.source)
        _timed(cell, started)
        if result.get("dead"):
            cell.outputs = [
                *_outputs(result.get("outputs", [])),
                _error(
                    "DeadKernelError",
                    "the kernel died while running this cell (os._exit, a crash, or out "
                    "of memory); it was skipped and grading went on in a new kernel",
                ),
            ]
            problems.append(f"the kernel died in cell {index}")
            if not kernel.restart():
                kernel = None
            continue
        cell.outputs = _outputs(result.get("outputs", []))
        kernel.replay.append(cell.source)
    return nb, problems


def wall_seconds(solutions: list[NotebookNode], limits: Limits) -> float:
    """The wall-clock limit of one assignment: every code cell at its timeout, plus 120 s."""
    cells = sum(sum(c.cell_type == "code" for c in nb.cells) for nb in solutions)
    return cells * limits.cell_timeout + 120


def judge_student(task: GradingTask) -> list[GradingOutcome]:
    """Grade every notebook of ``task``, one outcome per assignment (in sorted order);
    never raises for anything the submission does."""
    if task.threads <= 0:
        task = dataclasses.replace(task, threads=cpus_per_worker_thread())
    solutions = {
        (assignment, name): read(SOLUTIONS_DIR / assignment / f"{name}.ipynb")
        for assignment, notebooks in task.assignments.items()
        for name in notebooks
    }
    setups = [
        next((c.source for c in nb.cells if c.cell_type == "code"), "") for nb in solutions.values()
    ]
    preload = setup_imports(setups)
    # The judge runs the setup cells too (GradeCellJudge): import their modules here while
    # the sandbox imports its own, not after it is up.
    threading.Thread(target=import_quietly, args=(preload,), daemon=True).start()
    home = Path(tempfile.mkdtemp(prefix="course-judge-"))
    sandbox = _Sandbox(task, home, preload)
    try:
        return [
            _judge_assignment(task, assignment, solutions, sandbox, home)
            for assignment in sorted(task.assignments)
        ]
    finally:
        sandbox.close()  # the sandbox and every process in it end here, whatever happened
        shutil.rmtree(home, ignore_errors=True)


def _judge_assignment(task, assignment, solutions, sandbox, home) -> GradingOutcome:
    """One assignment's notebooks, in the student's sandbox."""
    start = time.monotonic()
    notebooks = task.assignments[assignment]
    own = [solutions[assignment, name] for name in notebooks]
    deadline = start + wall_seconds(own, task.limits)
    executed: dict[str, bytes] = {}
    problems: list[str] = []
    notes: list[str] = []
    folder = home / assignment
    folder.mkdir(exist_ok=True)
    for name, raw in sorted(notebooks.items()):
        solution = solutions[assignment, name]
        try:
            submitted = nbformat.reads(raw.decode("utf-8"), as_version=4)
            (folder / f"{name}.ipynb").write_bytes(raw)  # where the kernel works, as nbgrader
            skip = skippable_cells(solution) if task.fast else set()
            nb, found = judge_notebook(submitted, solution, sandbox, assignment, deadline, skip)
            if skip and _names_missing(nb) & names_assigned(solution, skip):
                nb, found = judge_notebook(submitted, solution, sandbox, assignment, deadline)
                notes.append(f"{name}: graded again with every cell (a name was missing)")
        except KernelGone as error:
            problems.append(f"{name}: {error}")
            continue
        except Exception as error:  # noqa: BLE001 - one notebook's failure stays its own
            problems.append(f"{name}: not graded ({type(error).__name__}: {error})")
            continue
        executed[name] = nbformat.writes(nb).encode("utf-8")
        problems += [f"{name}: {p}" for p in found]
    return GradingOutcome(
        task.student,
        assignment,
        executed,
        "; ".join(problems)[:500],
        time.monotonic() - start,
        notes,
    )
