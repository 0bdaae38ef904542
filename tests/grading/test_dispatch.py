"""Does run_tasks give one outcome per task, here and on a Dask cluster, whatever fails?"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import dask
import pytest
from distributed import Client

from course.grading import dispatch
from course.grading.dispatch import DispatchError, TaskFailed, local_cluster, run_tasks
from course.paths import REPO


@dataclass(frozen=True)
class Toy:
    """A stand-in for GradingTask: what to compute, and where to record each attempt."""

    student: str
    assignment: str
    value: int = 0
    attempts_dir: str = ""


@dataclass(frozen=True)
class ToyOutcome:
    student: str
    assignment: str
    value: int
    problem: str = ""
    attempt: int = 1


def _attempt(task: Toy) -> int:
    """Record one more attempt at ``task`` (in a file: the workers are other processes)."""
    log = Path(task.attempts_dir, f"{task.student}-{task.assignment}.tries")
    with log.open("a") as f:
        f.write(f"{os.getpid()}\n")
    return len(log.read_text().split())


def attempts(task: Toy) -> int:
    log = Path(task.attempts_dir, f"{task.student}-{task.assignment}.tries")
    return len(log.read_text().split()) if log.exists() else 0


def square(task: Toy) -> ToyOutcome:
    time.sleep(0.02 * (5 - task.value % 5))  # later tasks finish first
    return ToyOutcome(task.student, task.assignment, task.value**2)


def slower_first(task: Toy) -> ToyOutcome:
    time.sleep(0.15 * (4 - task.value))  # all at once: the last task finishes first
    return ToyOutcome(task.student, task.assignment, task.value**2)


def in_a_subprocess(task: Toy) -> ToyOutcome:
    """Square the value in a child process, as the judge starts the student's kernel."""
    code = f"print({task.value} ** 2)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return ToyOutcome(task.student, task.assignment, int(done.stdout))


def raises_on_three(task: Toy) -> ToyOutcome:
    if task.value == 3:
        raise RuntimeError("disk full")
    return square(task)


def killed_once(task: Toy) -> ToyOutcome:
    """Value 1: the first attempt kills its own process by PID (a worker dying mid-grade)."""
    attempt = _attempt(task)
    if attempt == 1 and task.value == 1:
        time.sleep(0.2)
        os.kill(os.getpid(), signal.SIGKILL)
    return ToyOutcome(task.student, task.assignment, task.value**2, attempt=attempt)


def raises_on_one(task: Toy) -> ToyOutcome:
    """Value 1 raises on every try; the others are graded."""
    _attempt(task)
    if task.value == 1:
        raise OSError("no space left on device")
    return ToyOutcome(task.student, task.assignment, task.value**2)


def kills_its_worker(task: Toy) -> ToyOutcome:
    _attempt(task)
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def toys(n: int, attempts_dir: Path | str = "") -> list[Toy]:
    return [Toy(f"student-{i}", "02-cnn-layers", i, str(attempts_dir)) for i in range(n)]


def expected(tasks: list[Toy]) -> list[ToyOutcome]:
    return [ToyOutcome(t.student, t.assignment, t.value**2) for t in tasks]


# --- here, in threads ---


def test_local_outcomes_come_in_task_order_with_one_progress_line_each():
    """Are outcomes in the order of the tasks, though they finish in another, one line each?"""
    lines: list[str] = []
    tasks = toys(6)
    assert run_tasks(square, tasks, jobs=3, progress=lines.append) == expected(tasks)
    assert [line.split("]")[0].strip() for line in lines] == [f"[{k}/6" for k in range(1, 7)]
    for task in tasks:
        assert sum(f"] {task.student} 02-cnn-layers: done in" in line for line in lines) == 1


def test_on_done_sees_each_outcome_once_in_the_calling_thread():
    """Is ``on_done`` called once per outcome, as it arrives, in the caller's thread?"""
    seen: list[tuple[ToyOutcome, int]] = []
    lines: list[str] = []
    tasks = toys(5)
    outcomes = run_tasks(
        slower_first,
        tasks,
        jobs=5,
        on_done=lambda o: seen.append((o, threading.get_ident())),
        progress=lambda line: lines.append(f"{len(seen)} {line}"),
    )
    assert sorted(o.value for o, _ in seen) == sorted(o.value for o in outcomes)
    assert {ident for _, ident in seen} == {threading.get_ident()}
    assert [line.split()[0] for line in lines] == ["1", "2", "3", "4", "5"]  # before its line
    assert [o for o, _ in seen] != outcomes  # in the order they finished, not the task order


def test_local_failing_task_becomes_an_outcome_and_the_others_are_graded():
    """Does one task that raises become an outcome with a problem, the rest unharmed?"""
    lines: list[str] = []
    tasks = toys(5)
    outcomes = run_tasks(raises_on_three, tasks, jobs=2, progress=lines.append)
    want = expected(tasks)
    want[3] = TaskFailed("student-3", "02-cnn-layers", "RuntimeError: disk full")
    assert outcomes == want
    assert [line for line in lines if "PROBLEM" in line] == [
        next(line for line in lines if "student-3" in line)
    ]


def test_local_failure_uses_the_callers_outcome_type():
    """Is ``on_failure`` what makes the failed outcome (e.g. a GradingOutcome)?"""
    tasks = toys(4)
    outcomes = run_tasks(
        raises_on_three,
        tasks,
        on_failure=lambda t, problem: ToyOutcome(t.student, t.assignment, -1, problem),
        progress=lambda _: None,
    )
    assert outcomes[3] == ToyOutcome("student-3", "02-cnn-layers", -1, "RuntimeError: disk full")


def test_local_jobs_run_at_the_same_time():
    """Do ``jobs=2`` tasks really run together (two must meet), and ``jobs=1`` one by one?"""

    def meet(task: Toy, barrier: threading.Barrier) -> ToyOutcome:
        barrier.wait()
        return ToyOutcome(task.student, task.assignment, task.value**2)

    tasks = toys(2)
    together = threading.Barrier(2, timeout=10)
    assert run_tasks(lambda t: meet(t, together), tasks, jobs=2, progress=print) == expected(tasks)
    alone = threading.Barrier(2, timeout=0.5)
    outcomes = run_tasks(lambda t: meet(t, alone), tasks, jobs=1, progress=print)
    assert all(isinstance(o, TaskFailed) and "BrokenBarrierError" in o.problem for o in outcomes)


def test_two_tasks_for_one_student_and_assignment_are_refused():
    """Is a (student, assignment) given twice refused before anything runs?"""
    with pytest.raises(ValueError, match="student-0"):
        run_tasks(square, [*toys(2), toys(1)[0]], progress=print)


# --- on a Dask cluster: a scheduler and two worker processes on 127.0.0.1 ---


@pytest.fixture(scope="module")
def cluster():
    """Two one-thread worker processes. A task is rescheduled after one worker death while it
    is on that worker, running or waiting (allowed-failures 1; Dask's default is 3), so the
    tests below kill at most one worker per run, unless the task runs alone."""
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        local_cluster(n_workers=2) as made,
    ):
        made.wait_for_workers(2, timeout=60)
        yield made


def test_dask_cluster_listens_on_loopback_only(cluster):
    """Are the scheduler and every worker bound to 127.0.0.1 (plain tcp is unauthenticated)?"""
    with Client(cluster) as client:
        addresses = [cluster.scheduler_address, *client.nthreads()]
    assert len(addresses) == 3
    assert all(a.startswith("tcp://127.0.0.1:") for a in addresses), addresses


def test_dask_gives_the_local_outcomes(cluster):
    """Does the cluster give exactly the outcomes of a local run, one progress line each?"""
    lines: list[str] = []
    tasks = toys(6)
    outcomes = run_tasks(square, tasks, scheduler=cluster.scheduler_address, progress=lines.append)
    assert outcomes == run_tasks(square, tasks, jobs=2, progress=print) == expected(tasks)
    finished = [line for line in lines if ": done in" in line]
    assert len(finished) == 6
    assert all(f" on {socket.gethostname()}" in line for line in finished)


def test_dask_task_can_start_processes(cluster):
    """Can a task start a child process on a worker (the judge starts the kernel there)?"""
    tasks = toys(2)
    outcomes = run_tasks(in_a_subprocess, tasks, scheduler=cluster, progress=print)
    assert outcomes == expected(tasks)


def test_dask_task_raising_on_every_try_becomes_an_outcome(cluster, tmp_path):
    """Does a task that raises on every try (1 + retries) become a problem, not an exception,
    and are the other students graded?"""
    tasks = toys(3, tmp_path)
    outcomes = run_tasks(
        raises_on_one, tasks, scheduler=cluster.scheduler_address, retries=2, progress=print
    )
    assert [outcomes[0], outcomes[2]] == [expected(tasks)[0], expected(tasks)[2]]
    assert isinstance(outcomes[1], TaskFailed)
    assert outcomes[1].problem.startswith("failed on every try (it raised): OSError: no space")
    assert [attempts(t) for t in tasks] == [1, 3, 1]


def test_dask_worker_with_another_install_grades_nothing(cluster, monkeypatch):
    """Does a worker whose course files differ from the grader's refuse to grade?"""
    grader = {**dispatch.install_fingerprint(), "course files": "0123456789abcdef"}
    monkeypatch.setattr(dispatch, "install_fingerprint", lambda: grader)
    (outcome,) = run_tasks(square, toys(1), scheduler=cluster.scheduler_address, progress=print)
    assert isinstance(outcome, TaskFailed)
    assert "InstallMismatch" in outcome.problem
    assert "different course install (course files" in outcome.problem
    assert "0123456789abcdef on the grader" in outcome.problem


def test_dask_client_given_is_used_and_left_open(cluster):
    """Can the caller pass its own Client, which run_tasks does not close?"""
    with Client(cluster) as client:
        tasks = toys(3)
        assert run_tasks(square, tasks, scheduler=client, progress=print) == expected(tasks)
        assert client.status == "running"


def test_dask_worker_killed_mid_task_is_retried_and_counted_once(cluster, tmp_path):
    """Is a task whose worker is killed (SIGKILL) run again, and each task counted once?"""
    lines: list[str] = []
    tasks = toys(4, tmp_path)
    outcomes = run_tasks(
        killed_once, tasks, scheduler=cluster.scheduler_address, progress=lines.append
    )
    assert [(o.value, o.problem) for o in outcomes] == [(t.value**2, "") for t in tasks]
    assert [o.attempt for o in outcomes] == [1, 2, 1, 1]  # 1: killed, graded the second time
    assert [attempts(t) for t in tasks] == [1, 2, 1, 1]  # and never graded again
    assert len([line for line in lines if ": done in" in line]) == 4


def test_dask_task_killing_every_worker_becomes_an_outcome(cluster, tmp_path):
    """Does a task whose worker dies on every try become a problem after allowed-failures?"""
    (outcome,) = run_tasks(
        kills_its_worker, toys(1, tmp_path), scheduler=cluster.scheduler_address, progress=print
    )
    assert isinstance(outcome, TaskFailed)
    assert outcome.problem.startswith("failed on every try (its workers died): KilledWorker")
    assert attempts(toys(1, tmp_path)[0]) == 2  # the first try and one rescheduling


def test_unreachable_scheduler_says_what_to_do(monkeypatch):
    """Does a scheduler address where nothing listens fail fast, saying how to start one?"""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(dispatch, "CONNECT_SECONDS", 2.0)
    with pytest.raises(DispatchError, match="start one there with `dask scheduler`"):
        run_tasks(square, toys(1), scheduler=f"tcp://127.0.0.1:{port}", progress=print)


def test_scheduler_without_workers_says_what_to_do():
    """Does a scheduler with no worker fail after ``worker_wait``, naming `dask worker`?"""
    no_worker = pytest.raises(DispatchError, match="start workers with `dask worker tcp://127")
    with local_cluster(n_workers=0) as empty, no_worker:
        run_tasks(square, toys(1), scheduler=empty, progress=print, worker_wait=1)


# --- TLS, as docs/grading-at-scale.md sets it up: `dask scheduler` and `dask worker` processes ---


def _certificates(folder: Path, openssl: str) -> None:
    """A CA signing scheduler, worker and client certificates; a stranger CA and client."""
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]  # fast to make

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], cwd=folder, check=True, capture_output=True)

    for ca in ("ca", "stranger-ca"):
        run("req", "-x509", *key, "-days", "2", "-subj", f"/CN={ca}",
            "-keyout", f"{ca}-key.pem", "-out", f"{ca}.pem")  # fmt: skip
    for who, ca in [("scheduler", "ca"), ("worker", "ca"), ("client", "ca"),
                    ("stranger", "stranger-ca")]:  # fmt: skip
        run("req", *key, "-subj", f"/CN={who}", "-keyout", f"{who}-key.pem", "-out", f"{who}.csr")
        run("x509", "-req", "-in", f"{who}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}-key.pem",
            "-CAcreateserial", "-days", "2", "-out", f"{who}.pem")  # fmt: skip


def _tls_config(folder: Path, client: str = "client") -> dict:
    return {
        "distributed.comm.require-encryption": True,
        "distributed.comm.tls.ca-file": str(folder / "ca.pem"),
        "distributed.comm.tls.client.cert": str(folder / f"{client}.pem"),
        "distributed.comm.tls.client.key": str(folder / f"{client}-key.pem"),
    }


@pytest.fixture(scope="module")
def tls_scheduler(tmp_path_factory):
    """``dask scheduler`` and a ``dask worker`` process on 127.0.0.1 over mutual TLS."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make the test certificates")
    folder = tmp_path_factory.mktemp("tls")
    _certificates(folder, openssl)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tls://127.0.0.1:{port}"
    dask_cli = str(Path(sys.executable).parent / "dask")

    def tls(who: str) -> list[str]:
        return ["--tls-ca-file", "ca.pem", "--tls-cert", f"{who}.pem",
                "--tls-key", f"{who}-key.pem"]  # fmt: skip

    env = {**os.environ, "PYTHONPATH": str(REPO)}  # the toy functions: tests.grading.test_dispatch
    started = []
    for command in (
        [dask_cli, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--protocol", "tls",
         "--no-dashboard", *tls("scheduler")],
        [dask_cli, "worker", address, "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1",
         "--no-dashboard", *tls("worker")],
    ):  # fmt: skip
        log = open(folder / f"{command[1]}.log", "w")  # noqa: SIM115 - closed below
        started.append((subprocess.Popen(command, cwd=folder, stdout=log, stderr=log, env=env,
                                         start_new_session=True), log))  # fmt: skip
    try:
        with dask.config.set(_tls_config(folder)), Client(address, timeout=30) as client:
            client.wait_for_workers(1, timeout=60)
        yield address, folder
    finally:
        for process, _ in started:
            with contextlib.suppress(ProcessLookupError):  # the group they were started in
                os.killpg(process.pid, signal.SIGTERM)
        for process, log in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()


def test_tls_grader_with_the_course_certificate_is_served(tls_scheduler):
    """With the client certificate in Dask's configuration, is ``tls://`` graded as local?"""
    address, folder = tls_scheduler
    tasks = toys(4)
    with dask.config.set(_tls_config(folder)):
        assert run_tasks(square, tasks, scheduler=address, progress=print) == expected(tasks)


def test_tls_scheduler_refuses_strangers(tls_scheduler, monkeypatch):
    """Is a grader with no certificate, another CA's, or plain tcp refused, saying why?"""
    address, folder = tls_scheduler
    monkeypatch.setattr(dispatch, "CONNECT_SECONDS", 3.0)
    with pytest.raises(DispatchError, match="needs the grader's TLS certificate"):
        run_tasks(square, toys(1), scheduler=address, progress=print)
    # trusts the scheduler, but its own certificate is signed by another CA: the scheduler
    # must refuse it (mutual TLS), not only the client check the scheduler
    with (
        dask.config.set(_tls_config(folder, "stranger")),
        pytest.raises(DispatchError, match="could not reach"),
    ):
        run_tasks(square, toys(1), scheduler=address, progress=print)
    plain = address.replace("tls://", "tcp://")
    with pytest.raises(DispatchError, match="could not reach"):
        run_tasks(square, toys(1), scheduler=plain, progress=print)
