"""A class graded on a real Dask cluster, as docs/grading-at-scale.md sets one up: a
``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, started by the test; one
worker is killed by its PID while it grades a student."""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.grading.tiny_course import DOUBLE, SQUARE, WRONG_DOUBLE, TinyCourse, course_cli

SLOW = "slow-sam"  # its answer takes seconds to run: the worker grading it is killed meanwhile
ANSWERS = {
    "ada": {"double": DOUBLE, "square": SQUARE},
    "ben": {"double": WRONG_DOUBLE, "square": SQUARE},
    "cleo": {"double": DOUBLE},
    "dan": {"square": "def square(x):\n    return x ** 3\n"},
    SLOW: {"double": "import time\ntime.sleep(8)\n" + DOUBLE, "square": SQUARE},
    "eve": {"double": DOUBLE, "square": SQUARE},
    "finn": {"double": WRONG_DOUBLE},
    "gus": {"double": DOUBLE, "square": SQUARE},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def tiny_class(tmp_path_factory):
    tiny = TinyCourse(tmp_path_factory.mktemp("tiny-dask"))
    folder = tiny.repo / "class"
    for student, answers in ANSWERS.items():
        tiny.write(folder, student, tiny.answered(**answers))
    return tiny, folder


@pytest.fixture(scope="module")
def cluster(tiny_class):
    """``dask scheduler`` and two single-thread ``dask worker`` processes (no nanny: a killed
    worker stays dead), all on 127.0.0.1, working on the tiny course."""
    tiny, _ = tiny_class
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask_cli = str(Path(sys.executable).parent / "dask")
    env = {**os.environ, "COURSE_REPO": str(tiny.repo)}
    commands = [
        [dask_cli, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        *[
            [dask_cli, "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
             "--no-nanny", "--no-dashboard", "--name", f"worker-{n}"]  # fmt: skip
            for n in (1, 2)
        ],
    ]
    started = []
    for command in commands:
        log = open(tiny.repo / f"{command[1]}-{len(started)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            command, cwd=tiny.repo, env=env, stdout=log, stderr=log, start_new_session=True
        )
        started.append((process, log))
    from distributed import Client

    try:
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, env
    finally:
        for process, _ in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        for process, log in started:
            process.wait()
            log.close()


def _scores(workspace: Path) -> dict[tuple[str, str], tuple[str, str]]:
    with open(workspace / "grades.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keys = [(r["student"], r["question"]) for r in rows]
    assert len(keys) == len(set(keys)), "a grade was counted twice"
    return {(r["student"], r["question"]): (r["score"], r["reason"]) for r in rows}


def _kill_the_worker_grading(student: str, address: str, timeout: float = 60) -> str:
    """Wait until ``student``'s task runs on a worker, let it run a moment, then SIGKILL that
    worker's process by its PID; the worker's name."""
    from distributed import Client

    with Client(address, timeout=30) as client:
        pids = client.run(os.getpid)  # worker address -> PID
        names = {a: w["name"] for a, w in client.scheduler_info()["workers"].items()}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for worker, keys in client.processing().items():
                if any(f"grade-{student}-" in str(key) for key in keys):
                    time.sleep(3)  # mid-grade: its sandbox runs the slow answer
                    os.kill(pids[worker], signal.SIGKILL)
                    return names[worker]
            time.sleep(0.1)
    raise AssertionError(f"{student}'s task never ran on a worker")


def test_a_class_graded_on_dask_workers_gets_the_local_grades(tiny_class, cluster, tmp_path):
    """Graded by two Dask worker processes, one killed mid-grade: are the grades exactly the
    local run's, each counted once, with nothing lost?"""
    tiny, folder = tiny_class
    address, env = cluster
    options = ["--cell-timeout", "20", "--memory-gb", "2"]
    local = course_cli(["grade", str(folder), "--workspace", str(tmp_path / "local"),
                        "--jobs", "2", *options], tiny.repo)  # fmt: skip
    dask_run = subprocess.Popen(
        [sys.executable, "-m", "course.cli", "grade", str(folder), "--workspace",
         str(tmp_path / "dask"), "--scheduler", address, *options],  # fmt: skip
        cwd=tiny.repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        killed = _kill_the_worker_grading(SLOW, address)
        output, _ = dask_run.communicate(timeout=300)
    finally:
        if dask_run.poll() is None:
            dask_run.kill()
    assert dask_run.returncode in (0, 1), output
    assert "2 worker(s)" in output, output
    total = len(ANSWERS)
    assert f"[{total}/{total}]" in output and f"[{total + 1}/" not in output, output
    assert output.count(f"] {SLOW}:") == 1, output  # its retry is reported once
    local_scores, dask_scores = _scores(tmp_path / "local"), _scores(tmp_path / "dask")
    assert dask_scores == local_scores, (killed, output[-3000:])
    assert local_scores[(SLOW, "double_tests")][0] == "2.0"
    assert local_scores[("ben", "double_tests")][0] == "0.0"
    assert local.returncode in (0, 1), local.stdout[-3000:]  # 1: unanswered stubs are flagged
    # recorded while the others were judged: everyone's feedback too, as the local run's
    assert _feedback(tmp_path / "dask") == _feedback(tmp_path / "local")


def _feedback(workspace: Path) -> list[tuple[str, ...]]:
    found = sorted(p.relative_to(workspace / "feedback").parts for p in workspace.rglob("*.html"))
    assert found, f"no feedback in {workspace}"
    return found
