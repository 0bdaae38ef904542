"""The judge's handle on one student's sandbox and its kernels: start, run cells, probe, stop.

``StudentKernel`` starts ``python -m course.judge.runner`` in bubblewrap (or, with
``isolation="none"``, as a plain child process) with the resource limits of
``course.judge.limits.Limits``, and talks to it over the runner's stdin/stdout: one JSON
line each way, read with a deadline and a size bound. The runner imports the setup cells'
modules once (``course.judge.zygote``); ``new_kernel(folder)`` then gives a fresh kernel for
each notebook of the student, and for each restart. It is also the ``Transport`` of the
judge's ``Session``. ``close()`` kills the whole sandbox (its process group; bubblewrap's
PID namespace takes every process in it along).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from course.judge import wire
from course.judge.bubblewrap import bwrap_command, sandbox_env
from course.judge.limits import Limits
from course.judge.remote import KernelGone, Transport

ISOLATIONS = ("bubblewrap", "none")
START_SECONDS = 120  # the runner imports TensorFlow first; 120 s covers a loaded CI box


class StudentKernel(Transport):
    """A runner process holding the student's current kernel (``new_kernel`` first).

    preload: modules the runner imports once, before forking each kernel (the setup cells');
    datasets: the course's prepared datasets, which the kernels read instead of preparing
    their own (``course.datasets.prepare_all``)."""

    def __init__(
        self,
        home: Path,
        limits: Limits,
        isolation: str = "bubblewrap",
        threads=1,
        preload: tuple[str, ...] = (),
        datasets: Path | None = None,
    ):
        if isolation not in ISOLATIONS:
            raise ValueError(f"isolation must be one of {ISOLATIONS}, not {isolation!r}")
        self.limits = limits
        argv = [sys.executable, "-m", "course.judge.runner", *preload]
        if isolation == "bubblewrap":
            argv.append("--sweep")  # its own PID namespace: every other process is a kernel's
            command, env, cwd = bwrap_command(argv, home, threads, datasets), {}, "/"
        else:
            env = {**sandbox_env(threads), "HOME": str(home), "TMPDIR": str(home / "tmp")}
            if datasets is not None:
                env["COURSE_DATA_DIR"] = str(datasets)
            (home / "tmp").mkdir(exist_ok=True)
            command, cwd = argv, str(home)
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            preexec_fn=limits.apply,
        )
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.isolation = isolation
        self._kernel_pid: int | None = None  # the current kernel's, without bubblewrap
        try:
            ready = self._receive(START_SECONDS)
        except KernelGone:
            self.close()
            raise
        if not ready.get("ready"):
            self.close()
            raise KernelGone(str(ready.get("problem", "the student's sandbox did not start")))

    def new_kernel(self, folder: str) -> None:
        """A fresh kernel (the last one and what it started end) working in ``$HOME/folder``;
        raises KernelGone if it does not start."""
        self._send({"op": "kernel", "folder": folder})
        ready = self._receive(START_SECONDS)
        if self.isolation == "none" and type(ready.get("kernel_pid")) is int:
            # Outside a PID namespace each kernel runs in a session of its own: close() stops
            # them too (under bubblewrap the number would be the sandbox's, not this machine's).
            self._kernel_pid = ready["kernel_pid"]  # the runner ended the one before
        if not ready.get("ready"):
            raise KernelGone(str(ready.get("problem", "the student's kernel did not start")))

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            line = stream.readline(wire.MAX_MESSAGE_BYTES + 1)
            if not line:
                self._lines.put(None)
                return
            self._lines.put(line)

    def _send(self, message: dict) -> None:
        try:
            self.process.stdin.write(json.dumps(message).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise KernelGone("the student's kernel is gone") from None

    def _receive(self, timeout: float) -> dict:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise KernelGone(f"no answer within {timeout:.0f} s") from None
        if line is None:
            raise KernelGone("the student's kernel is gone")
        try:
            return wire.loads(line)
        except wire.WireError as error:
            raise KernelGone(f"the sandbox sent something that is not a message: {error}") from None

    def run_cell(self, source: str) -> dict:
        """Run one cell: ``{"outputs": [...], "error": bool}`` or ``{"dead": True}``."""
        timeout = self.limits.cell_timeout
        try:
            self._send({"op": "run", "source": source, "timeout": timeout})
            return self._receive(timeout + 30)
        except KernelGone:
            return {"dead": True, "outputs": []}

    def request(self, message: dict) -> dict:
        """One probe (``Transport``): the oracle's response, or KernelGone."""
        timeout = self.limits.cell_timeout
        self._send({"op": "probe", "probe": message, "timeout": timeout})
        response = self._receive(timeout + 30)
        if response.get("dead"):
            raise KernelGone("the student's kernel died while answering")
        if response.get("timeout"):
            raise KernelGone(f"the student's code ran longer than {timeout} s on a test")
        return response

    def close(self) -> None:
        """Stop the sandbox and everything in it."""
        if self._kernel_pid is not None:
            with contextlib.suppress(OSError):
                os.killpg(self._kernel_pid, signal.SIGKILL)
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()
