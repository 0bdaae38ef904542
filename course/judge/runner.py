"""The sandbox's side: run a student's cells in a kernel and relay the judge's probes.

Started by ``course.judge.kernel`` inside the sandbox as
``python -m course.judge.runner [--sweep] [MODULE ...]``: it first starts a ``Zygote`` that
imports the MODULEs (the setup cells' imports: TensorFlow, Keras, the course's helpers), so
each kernel it then forks from it starts with them imported. It speaks one JSON message per
line on its stdin/stdout (kept on private descriptors; the kernels' output goes nowhere near
them):

- ``{"op": "kernel", "folder": name}`` -> ``{"ready": true}``: a fresh kernel (the one before
  it, its processes and, with ``--sweep``, every other process of the sandbox are killed),
  working in ``$HOME/name``;
- ``{"op": "run", "source": ..., "timeout": s}`` -> ``{"outputs": [...], "error": bool}``
  (nbformat outputs of the cell; ``{"dead": true}`` if the kernel died);
- ``{"op": "probe", "probe": {...}, "timeout": s}`` -> the oracle's response;
- ``{"op": "exit"}``.

``--sweep`` is for a sandbox with its own PID namespace (bubblewrap): there every process
but the sandbox's init, the runner and the zygote belongs to a student's kernel, so nothing
a notebook started outlives it into the next notebook.

Everything here runs beside student code and is untrusted: the judge treats what it
sends back as answers to check, never as verdicts.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

from nbformat.v4 import output_from_msg

from course.judge.zygote import Zygote

PROBE_DIR_NAME = "course-probes"
_SERVE = "__course_oracle__.serve({number})"
_INSTALL = (
    "from course.judge.oracle import Oracle as _CourseOracle\n"
    "__course_oracle__ = _CourseOracle(globals(), {folder!r})\n"
    "del _CourseOracle\n"
    # pyplot imported before the kernel existed (by the zygote): hook the inline backend to
    # this kernel, as importing it in the kernel does
    "import sys as _course_sys\n"
    "if 'matplotlib.pyplot' in _course_sys.modules:\n"
    "    get_ipython().run_line_magic('matplotlib', 'inline')\n"
    "del _course_sys"
)


class ForkedKernel:
    """A kernel forked by the zygote: its PID (and process group) and a client on its ports."""

    def __init__(self, zygote: Zygote, cwd: Path, startup_timeout: float):
        from jupyter_client import BlockingKernelClient
        from jupyter_client.connect import write_connection_file

        connection_file = str(Path(tempfile.mkdtemp(prefix="kernel-")) / "connection.json")
        write_connection_file(connection_file, ip="127.0.0.1")
        self.pid = zygote.spawn(connection_file, str(cwd))
        self.client = BlockingKernelClient()
        self.client.load_connection_file(connection_file)
        self.client.start_channels()
        try:
            self.client.wait_for_ready(timeout=startup_timeout)
        except (RuntimeError, TimeoutError):
            self.close()
            raise

    def is_alive(self) -> bool:
        try:
            os.kill(self.pid, 0)  # reaped by the system as soon as it ends (the zygote's SIG_IGN)
        except ProcessLookupError:
            return False
        return True

    def interrupt(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGINT)

    def close(self) -> None:
        self.client.stop_channels()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)


def sweep_processes(keep: set[int]) -> None:
    """SIGKILL every process of this PID namespace but 1 (its init) and ``keep``."""
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in keep | {1}:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry), signal.SIGKILL)


class Runner:
    """The zygote, the current kernel, and the probe folder it shares with this process."""

    def __init__(self, zygote: Zygote, sweep: bool = False, startup_timeout: float = 120):
        self.zygote, self.sweep, self.startup_timeout = zygote, sweep, startup_timeout
        self.kernel: ForkedKernel | None = None
        self.count = 0

    def new_kernel(self, folder: str) -> None:
        """A fresh kernel working in ``$HOME/folder``, after ending everything of the last."""
        self.close()
        cwd = Path.home() / Path(folder).name
        cwd.mkdir(exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=PROBE_DIR_NAME))
        self.kernel = ForkedKernel(self.zygote, cwd, self.startup_timeout)
        self.kc = self.kernel.client
        result = self.execute(_INSTALL.format(folder=str(self.folder)), self.startup_timeout)
        if result.get("dead") or result.get("error"):
            raise RuntimeError("the kernel did not set up its oracle")

    def execute(self, source: str, timeout: float) -> dict:
        """Run ``source``; its outputs, whether it raised, or that the kernel died."""
        outputs: list[dict] = []
        msg_id = self.kc.execute(source, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        failed = False
        while True:
            if time.monotonic() > deadline:
                self.kernel.interrupt()
                self._drain()
                outputs.append(
                    {
                        "output_type": "error",
                        "ename": "CellTimeoutError",
                        "evalue": f"the cell ran longer than {timeout:.0f} s and was stopped",
                        "traceback": [],
                    }
                )
                return {"outputs": outputs, "error": True, "timeout": True}
            try:
                msg = self.kc.get_iopub_msg(timeout=0.2)
            except Empty:
                if not self.kernel.is_alive():
                    return {"dead": True, "outputs": outputs}
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "status" and msg["content"].get("execution_state") == "idle":
                return {"outputs": outputs, "error": failed}
            if kind == "clear_output":
                outputs.clear()
            elif kind in ("stream", "display_data", "execute_result", "error"):
                failed = failed or kind == "error"
                outputs.append(output_from_msg(msg))

    def _drain(self, wait: float = 5) -> None:
        """After an interrupt: wait for the kernel to be idle again (or give up)."""
        try:
            while True:
                msg = self.kc.get_iopub_msg(timeout=wait)
                if msg["header"]["msg_type"] == "status" and (
                    msg["content"].get("execution_state") == "idle"
                ):
                    return
        except Empty:
            return

    def probe(self, request: dict, timeout: float) -> dict | bytes:
        """Hand one probe to the kernel's oracle through the probe folder; its response (the
        oracle's JSON line as it wrote it, passed on unparsed: the judge decodes and checks it,
        and a large array is not decoded and encoded again here)."""
        self.count += 1
        number = self.count
        request_path = self.folder / f"request-{number}.json"
        response_path = self.folder / f"response-{number}.json"
        request_path.write_text(json.dumps(request))
        result = self.execute(_SERVE.format(number=number), timeout)
        request_path.unlink(missing_ok=True)
        if result.get("dead"):
            return {"dead": True}
        if result.get("timeout"):
            return {"timeout": True}
        if not response_path.exists():
            errors = [o for o in result["outputs"] if o.get("output_type") == "error"]
            detail = errors[0].get("evalue", "") if errors else "no answer"
            return {"error": ["KernelError", f"the kernel did not answer: {detail}"[:500], ""]}
        raw = response_path.read_bytes().strip()
        response_path.unlink()
        if b"\n" in raw or not raw.startswith(b"{"):  # one message, one line: no smuggling
            return {"error": ["KernelError", "the kernel's answer is not one JSON message", ""]}
        return raw

    def close(self) -> None:
        """End the current kernel and, with ``sweep``, whatever else its notebook started."""
        if self.kernel is not None:
            self.kernel.close()
            self.kernel = None
        if self.sweep:
            sweep_processes({os.getpid(), self.zygote.pid})


def _private_streams():
    """The protocol on private copies of stdin/stdout; the real 0, 1, 2 go to /dev/null."""
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    return proto_in, proto_out


def main() -> None:
    proto_in, proto_out = _private_streams()
    sweep = "--sweep" in sys.argv[1:]
    preload = [a for a in sys.argv[1:] if not a.startswith("--")]

    def send(message: dict | bytes) -> None:
        if not isinstance(message, bytes):
            message = json.dumps(message, allow_nan=True).encode()
        proto_out.write(message + b"\n")
        proto_out.flush()

    zygote = Zygote(preload, close_fds=(proto_in.fileno(), proto_out.fileno()))
    runner = Runner(zygote, sweep)
    send({"ready": True, "zygote_pid": zygote.pid, "not_preloaded": zygote.not_preloaded})
    for line in proto_in:
        request = json.loads(line)
        op = request.get("op")
        if op == "exit":
            break
        if op == "kernel":
            try:
                runner.new_kernel(str(request.get("folder", "notebook")))
            except Exception as error:  # noqa: BLE001 - tell the judge, whatever it was
                send({"ready": False, "problem": f"the kernel did not start: {error}"[:500]})
                continue
            send({"ready": True, "kernel_pid": runner.kernel.pid})
        elif runner.kernel is None:
            send({"error": ["RuntimeError", "no kernel: send {'op': 'kernel'} first", ""]})
        elif op == "run":
            send(runner.execute(request["source"], float(request.get("timeout", 30))))
        elif op == "probe":
            send(runner.probe(request["probe"], float(request.get("timeout", 30))))
        else:
            send({"error": ["ValueError", f"unknown op {op!r}", ""]})
    runner.close()
    zygote.close()


if __name__ == "__main__":
    main()
