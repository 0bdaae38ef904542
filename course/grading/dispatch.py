"""Run one grading function over many tasks: in threads here, or on a Dask cluster.

    outcomes = run_tasks(judge_student, tasks, jobs=2)                        # this machine
    outcomes = run_tasks(judge_student, tasks, scheduler="tcp://lab-01:8786")  # Dask workers

``fn(task) -> outcome`` must be a pure function of its task: picklable, needing
no shared file system. Tasks and outcomes are identified by ``(task.student,
task.assignment)``; ``run_tasks`` returns exactly one outcome per task, in the
order of ``tasks``. A task whose function raises, or whose Dask worker dies on
every try, becomes ``on_failure(task, problem)`` (a ``TaskFailed`` by default):
it never stops the other students. How to set up a cluster is in
docs/grading-at-scale.md.
"""

from __future__ import annotations

import hashlib
import platform
import socket
import time
import uuid
from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from course.paths import REPO

if TYPE_CHECKING:  # distributed is imported only when a scheduler is used
    from distributed import Client, LocalCluster
    from distributed.deploy import Cluster

T = TypeVar("T")
R = TypeVar("R")

#: Seconds to wait for the scheduler to answer (Client's connect timeout).
CONNECT_SECONDS = 20.0
#: The files that decide a grade on a worker: its checks, the solutions' grade cells, the
#: nbgrader configuration and the shipped data, relative to the course checkout.
INSTALL_FILES = (
    "course/**/*.py",
    "course/**/*.json",
    "solutions/**/*.ipynb",
    "autograder/nbgrader_config.py",
    "data/*",
)
INSTALL_PACKAGES = ("keras", "tensorflow", "nbgrader", "nbclient", "numpy", "distributed")


class DispatchError(RuntimeError):
    """The cluster could not be used at all (no scheduler, no worker); the message says why."""


class InstallMismatch(RuntimeError):
    """A Dask worker's course install differs from the grader's: its grades would differ."""


@dataclass(frozen=True)
class TaskFailed:
    """The outcome of a task that raised, or whose worker died, on every try."""

    student: str
    assignment: str
    problem: str
    seconds: float = 0.0


def task_key(task: Any) -> tuple[str, str]:
    """What identifies a task and its outcome: ``(student, assignment)``."""
    return (task.student, task.assignment)


def failed_outcome(task: Any, problem: str) -> TaskFailed:
    """The default ``on_failure``: a ``TaskFailed`` for the task's student and assignment."""
    return TaskFailed(task.student, task.assignment, problem)


def install_fingerprint() -> dict[str, str]:
    """What a grade depends on in this install: a hash of the course's files, key versions."""
    digest = hashlib.sha256()
    for pattern in INSTALL_FILES:
        for path in sorted(REPO.glob(pattern)):
            if not path.is_file() or {"__pycache__", ".ipynb_checkpoints"} & set(path.parts):
                continue
            digest.update(path.relative_to(REPO).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    found = {"course files": digest.hexdigest()[:16]}
    found["python"] = ".".join(platform.python_version_tuple()[:2])
    for name in INSTALL_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


class _Done(NamedTuple):
    outcome: Any
    seconds: float
    host: str


def _call(fn: Callable[[T], R], task: T, expected: dict[str, str] | None = None) -> _Done:
    """Run ``fn(task)`` (on a worker: after checking its install matches ``expected``)."""
    if expected is not None:
        here = install_fingerprint()
        differ = [
            f"{k} {here.get(k)} here, {v} on the grader"
            for k, v in expected.items()
            if here.get(k) != v
        ]
        if differ:
            raise InstallMismatch(
                f"worker {socket.gethostname()} has a different course install ("
                + "; ".join(differ)
                + "): install the grader's commit there (pip install -e . in a clone at that "
                "commit, no local changes on either side: git status) and restart the worker"
            )
    start = time.perf_counter()
    outcome = fn(task)
    return _Done(outcome, time.perf_counter() - start, socket.gethostname())


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip().removesuffix(":")[:500]


def _unique(tasks: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    tasks = list(tasks)
    seen: set[Hashable] = set()
    for task in tasks:
        if key(task) in seen:
            raise ValueError(f"two tasks for {key(task)}: give each (student, assignment) once")
        seen.add(key(task))
    return tasks


def _label(key: Hashable, sep: str) -> str:
    return sep.join(map(str, key)) if isinstance(key, tuple) else str(key)


def _problem(outcome: Any) -> str:
    """An outcome's problem; for a list of outcomes (one student's assignments), each one's,
    named by its assignment."""
    if isinstance(outcome, list | tuple):
        return "; ".join(
            f"{getattr(o, 'assignment', '?')}: {_problem(o)}" for o in outcome if _problem(o)
        )
    return getattr(outcome, "problem", "")


def _parts(outcome: Any) -> str:
    """`` (01-tasks 12.0 s, 02-cnn-layers 8.1 s)`` for a list of timed outcomes, else ``""``."""
    if not isinstance(outcome, list | tuple) or len(outcome) < 2:
        return ""
    timed = [(getattr(o, "assignment", "?"), getattr(o, "seconds", 0.0)) for o in outcome]
    return " (" + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timed) + ")"


class _Progress:
    """Per finished task: ``on_done(outcome)``, then one line, e.g.
    ``[3/20] ada: done in 41.2 s on lab-03 (01-tasks 30.1 s, 02-cnn-layers 11.1 s)  (elapsed
    85 s)``."""

    def __init__(self, total: int, say: Callable[[str], None], on_done=None):
        self.total, self.say, self.on_done, self.done = total, say, on_done, 0
        self.start = time.perf_counter()

    def __call__(self, key: Hashable, outcome: Any, seconds: float, host: str = "") -> None:
        if self.on_done is not None:
            self.on_done(outcome)
        self.done += 1
        label = _label(key, " ")
        problem = _problem(outcome)
        status = f"PROBLEM ({problem})" if problem else "done"
        where = f" on {host}" if host else ""
        self.say(
            f"  [{self.done}/{self.total}] {label}: {status} in {seconds:.1f} s{where}"
            f"{_parts(outcome)}  (elapsed {time.perf_counter() - self.start:.0f} s)"
        )


def run_tasks(
    fn: Callable[[T], R],
    tasks: Iterable[T],
    *,
    jobs: int = 1,
    scheduler: str | Client | Cluster | None = None,
    progress: Callable[[str], None] = print,
    on_failure: Callable[[T, str], R] = failed_outcome,
    on_done: Callable[[R], None] | None = None,
    retries: int = 2,
    same_install: bool = True,
    worker_wait: float = 300.0,
    key: Callable[[T], Hashable] = task_key,
) -> list[R]:
    """``[fn(task) for task in tasks]``, run ``jobs`` at a time here or on a Dask cluster.

    scheduler: None runs here in ``jobs`` threads (fn is called once per task: an exception
    is not retried). A ``"tcp://HOST:8786"`` or ``"tls://..."`` address, a
    ``distributed.Client``, or a cluster object (its ``scheduler_address``) sends each task to
    that cluster's workers (``jobs`` is then ignored: the workers' threads decide). There a
    task that raises is run again up to ``retries`` times, and one whose worker dies is
    rescheduled by the scheduler on another worker (up to its
    ``distributed.scheduler.allowed-failures``, 3 by default); results are gathered as they
    finish and kept once per ``key(task)``.
    on_failure(task, problem): the outcome of a task that failed on every try.
    on_done(outcome): called in this thread as each outcome arrives (e.g. to save it at once).
    same_install: each worker first checks that its course files and key package versions
    are the grader's (``install_fingerprint``), else the task fails with InstallMismatch.
    worker_wait: seconds to wait for a first worker.
    Returns one outcome per task, in the order of ``tasks``. Raises DispatchError when the
    cluster cannot be used at all, ValueError for two tasks with one key.
    """
    tasks = _unique(tasks, key)
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if not tasks:
        return []
    report = _Progress(len(tasks), progress, on_done)
    if scheduler is None:
        done = _run_here(fn, tasks, jobs, report, on_failure, key)
    else:
        expected = install_fingerprint() if same_install else None
        done = _run_on_dask(
            fn, tasks, scheduler, report, on_failure, retries, expected, worker_wait, key
        )
    return [done[key(task)] for task in tasks]


def _run_here(fn, tasks, jobs, report, on_failure, key) -> dict[Hashable, Any]:
    done: dict[Hashable, Any] = {}
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade")
    try:
        futures = {pool.submit(_call, fn, task): task for task in tasks}
        for future in as_completed(futures):
            task = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # one student's failure never loses the others
                result = _Done(on_failure(task, _describe(exc)), 0.0, "")
            done[key(task)] = result.outcome
            report(key(task), result.outcome, result.seconds)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return done


def _connect(scheduler) -> tuple[Client, bool]:
    """A client for ``scheduler`` and whether this module owns it (and must close it)."""
    from distributed import Client

    if isinstance(scheduler, Client):
        return scheduler, False
    scheduler = getattr(scheduler, "scheduler_address", scheduler)  # a LocalCluster, SLURMCluster
    if not isinstance(scheduler, str) or "://" not in scheduler:
        raise ValueError(f"scheduler must be an address like tcp://HOST:8786, got {scheduler!r}")
    if scheduler.startswith("tls://"):
        from distributed import Security

        security = Security()  # from Dask's configuration: distributed.comm.tls.*
        if not (security.tls_ca_file and security.tls_client_cert):
            raise DispatchError(
                f"{scheduler} needs the grader's TLS certificate: set distributed.comm.tls."
                "ca-file, .client.cert and .client.key in ~/.config/dask/distributed.yaml or "
                "as DASK_DISTRIBUTED__COMM__TLS__CA_FILE, ..._CLIENT__CERT, ..._CLIENT__KEY "
                "(docs/grading-at-scale.md, TLS)"
            )
    try:
        return Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False), True
    except (OSError, TimeoutError) as exc:
        raise DispatchError(
            f"could not reach the Dask scheduler at {scheduler} within {CONNECT_SECONDS:.0f} s "
            f"({_describe(exc)}): start one there with `dask scheduler`, check the address, "
            "port and TLS settings (docs/grading-at-scale.md), or grade here without --scheduler"
        ) from None


def _run_on_dask(
    fn, tasks, scheduler, report, on_failure, retries, expected, worker_wait, key
) -> dict[Hashable, Any]:
    from distributed import as_completed as dask_completed

    client, owned = _connect(scheduler)
    try:
        try:
            client.wait_for_workers(1, timeout=worker_wait)
        except TimeoutError:
            raise DispatchError(
                f"no Dask worker joined the scheduler at {client.scheduler.address} within "
                f"{worker_wait:.0f} s: start workers with `dask worker "
                f"{client.scheduler.address}` (docs/grading-at-scale.md)"
            ) from None
        threads = client.nthreads()
        report.say(
            f"Sending {len(tasks)} task(s) to the Dask scheduler at {client.scheduler.address} "
            f"({len(threads)} worker(s), {sum(threads.values())} thread(s)) ..."
        )
        run = uuid.uuid4().hex[:8]
        futures = {}
        for task in tasks:
            future = client.submit(
                _call,
                fn,
                task,
                expected,
                key=f"grade-{_label(key(task), '-')}-{run}",
                retries=retries,
                pure=False,
            )
            futures[future.key] = (future, task)
        done: dict[Hashable, Any] = {}
        for future in dask_completed([f for f, _ in futures.values()], loop=client.loop):
            task = futures[future.key][1]
            if key(task) in done:  # already counted: a task is merged once
                continue
            try:
                result = future.result()
            except Exception as exc:  # raised on every try, or its workers died: a problem
                why = "its workers died" if type(exc).__name__ == "KilledWorker" else "it raised"
                problem = f"failed on every try ({why}): {_describe(exc)}"
                result = _Done(on_failure(task, problem), 0.0, "")
            future.release()
            done[key(task)] = result.outcome
            report(key(task), result.outcome, result.seconds, result.host)
        return done
    finally:
        if owned:
            client.close()


def local_cluster(n_workers: int = 2, threads_per_worker: int = 1, **kwargs) -> LocalCluster:
    """A Dask cluster of ``n_workers`` processes on this machine, bound to 127.0.0.1 only.

    Plain tcp is unauthenticated: this never listens beyond loopback (no dashboard either,
    unless ``dashboard_address`` is given). Use its ``scheduler_address`` or pass it to
    ``distributed.Client``; close it when done (it is a context manager).
    """
    from distributed import LocalCluster

    options = dict(
        n_workers=n_workers,
        threads_per_worker=threads_per_worker,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    if kwargs.get("dashboard_address") is None:
        # its HTTP server (health, metrics) on a free port, not 8787, so clusters can coexist
        options["scheduler_kwargs"] = {"dashboard_address": "127.0.0.1:0"}
    return LocalCluster(**{**options, **kwargs})
