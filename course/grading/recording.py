"""Record judged students into the class's gradebook while the others are still judged.

Recording is nbgrader's: an ``autograde`` pass over the judged notebooks that executes nothing
(it writes the judge's verdicts into the gradebook), then ``generate_feedback``. It runs in
this machine's one writer process, about 0.75 s per notebook on one core (measured: 0.2 s to
record, 0.55 s of feedback HTML): for 300 students and six notebooks, about 20 minutes after
the last student is judged. When the judging leaves this machine's cores idle (it runs on a
Dask cluster, or in fewer threads than there are cores), the ``Recorder`` records the students
as they arrive: one batch at a time (one writer, as before), over every student judged since
the previous batch began, all through one nbgrader process."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path

from course.grading.nbgrader_batch import NbgraderWriter
from course.grading.nbgrader_steps import StepResult


def recording_steps(pairs: Iterable[tuple[str, str]], executed: Path) -> list[dict]:
    """nbgrader's steps that record (student, assignment) pairs from the judged notebooks in
    ``executed``: an autograde pass, then the feedback, for each pair."""
    steps: list[dict] = []
    for student, assignment in sorted(set(pairs)):
        where = {"assignment": assignment, "student": student}
        steps += [
            {"step": "autograde", **where, "submitted_directory": str(executed)},
            {"step": "generate_feedback", **where},
        ]
    return steps


class Recorder:
    """A thread that records the (student, assignment) pairs ``add``-ed, in batches, once
    ``ready`` (nbgrader's records of the assignments) is done, through one nbgrader process
    for the whole run (``NbgraderWriter``); ``finish`` waits for the last batch and returns
    every step's result (a batch that could not run raises there).

    run: runs a batch of steps and returns their results (the tests' stand-in for nbgrader)."""

    def __init__(
        self,
        workspace: Path,
        ready: Future,
        env: dict[str, str],
        run: Callable[[list[dict]], list[StepResult]] | None = None,
    ):
        self.workspace, self.ready, self.env, self.run = Path(workspace), ready, env, run
        self.results: list[StepResult] = []
        self.error: BaseException | None = None
        self._writer: NbgraderWriter | None = None
        self._then: list[dict] = []
        self._pairs: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="recorder", daemon=True)
        self._thread.start()

    def add(self, student: str, assignment: str) -> None:
        """Record this judged pair (its notebooks are in ``workspace/.executed``)."""
        self._pairs.put((student, assignment))

    def finish(self, then: list[dict] | None = None) -> list[StepResult]:
        """Wait for everything added to be recorded, then run the steps ``then`` (e.g. the
        export) in the same process; every step's result."""
        self._then = list(then or [])
        self._pairs.put(None)
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.results

    def _run(self, steps: list[dict]) -> list[StepResult]:
        if self.run is not None:
            return self.run(steps)
        if self._writer is None:
            self._writer = NbgraderWriter(self.workspace, self.env)
        return self._writer.run(steps)

    def _work(self) -> None:
        try:
            last = False
            while not last:
                batch = [self._pairs.get()]  # waits for the next judged student
                while True:  # and takes every other one judged meanwhile
                    try:
                        batch.append(self._pairs.get_nowait())
                    except queue.Empty:
                        break
                last = None in batch
                pairs = [pair for pair in batch if pair is not None]
                steps = recording_steps(pairs, self.workspace / ".executed")
                steps += self._then if last else []
                if not steps or self.error is not None:
                    continue  # after a failure, only drain until finish()
                try:
                    self.ready.result()
                    self.results += self._run(steps)
                except BaseException as error:  # noqa: BLE001 - raised again by finish()
                    self.error = error
        finally:
            if self._writer is not None:
                self._writer.close()
