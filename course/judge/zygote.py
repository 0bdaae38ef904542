"""A parent that imports the notebooks' heavy modules once, then forks a fresh kernel per notebook.

A kernel's start used to cost every notebook a TensorFlow import (about 5 s of CPU). The
sandbox's runner starts one ``Zygote`` before anything else: a forked child that imports
the modules the setup cells import (TensorFlow, Keras, the course's helpers, ipykernel),
runs no student code, and forks a new IPython kernel on each request. Every notebook, and
every restart after a crash, gets a kernel that is a copy of that pristine process: the
same as a new kernel that has run the setup cell's imports, with nothing of the notebooks
before it. Importing TensorFlow and then forking is safe as long as no TensorFlow operation
ran before the fork (its thread pools start with the first one, in the kernel).

The zygote stays single-threaded; it ignores SIGCHLD so the system reaps its kernels (a
dead kernel's PID disappears at once); each kernel starts its own session (process group)
with the default SIGCHLD handling restored, so the student's own subprocesses behave as in
any kernel.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import sys

#: The backend ipykernel sets for every kernel, set before matplotlib is imported.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Always imported: what starting an IPython kernel imports.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython")


class ZygoteGone(RuntimeError):
    """The zygote process died or did not answer."""


class Zygote:
    """The fork server: ``spawn(connection_file, cwd)`` -> the PID of a new kernel."""

    def __init__(self, preload: list[str], close_fds: tuple[int, ...] = ()):
        """preload: modules to import; close_fds: this process's descriptors the zygote and
        its kernels must not hold (the runner's protocol with the judge)."""
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the zygote itself
            for fd in (requests_w, replies_r, *close_fds):
                os.close(fd)
            _serve(requests_r, replies_w, preload)
        os.close(requests_r)
        os.close(replies_w)
        self.pid = pid
        self._requests = os.fdopen(requests_w, "w")
        self._replies = os.fdopen(replies_r, "r")
        ready = self._reply()
        self.not_preloaded: list[str] = ready.get("failed", [])

    def _reply(self) -> dict:
        line = self._replies.readline()
        if not line:
            raise ZygoteGone("the kernel's parent process is gone")
        return json.loads(line)

    def spawn(self, connection_file: str, cwd: str) -> int:
        """Fork a kernel that serves ``connection_file`` from folder ``cwd``; its PID."""
        try:
            self._requests.write(json.dumps({"connection_file": connection_file, "cwd": cwd}))
            self._requests.write("\n")
            self._requests.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise ZygoteGone("the kernel's parent process is gone") from None
        return int(self._reply()["pid"])

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._requests.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self._replies.close()


def _serve(requests_fd: int, replies_fd: int, preload: list[str]) -> None:  # pragma: no cover
    """The zygote's life: import, say ready, fork a kernel per request, until the pipe closes."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    failed = []
    for name in [*KERNEL_MODULES, *preload]:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the kernel imports it itself, and shows the error
            failed.append(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the system reaps the kernels
    replies = os.fdopen(replies_fd, "w")
    replies.write(json.dumps({"ready": True, "failed": failed}) + "\n")
    replies.flush()
    with os.fdopen(requests_fd, "r") as requests:
        for line in requests:
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                requests.close()
                replies.close()
                _become_kernel(request)
            replies.write(json.dumps({"pid": pid}) + "\n")
            replies.flush()
    os._exit(0)


def _become_kernel(request: dict) -> None:  # pragma: no cover - in the kernel
    """In a fresh fork of the zygote: become an IPython kernel serving the connection file."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)
        os.chdir(request["cwd"])
        sys.argv = ["ipykernel_launcher", "-f", request["connection_file"]]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(sys.argv[1:])
        app.start()
    finally:
        os._exit(0)
