"""The sandbox's side: run a student's cells in a kernel and relay the judge's probes.

Started by ``course.judge.kernel`` inside the sandbox as ``python -m course.judge.runner``.
It speaks one JSON message per line on its stdin/stdout (kept on private descriptors;
the kernel's own output goes nowhere near them):

- ``{"op": "run", "source": ..., "timeout": s}`` -> ``{"outputs": [...], "error": bool}``
  (nbformat outputs of the cell; ``{"dead": true}`` if the kernel died);
- ``{"op": "probe", "probe": {...}, "timeout": s}`` -> the oracle's response;
- ``{"op": "exit"}``.

Everything here runs beside student code and is untrusted: the judge treats what it
sends back as answers to check, never as verdicts.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

from jupyter_client import KernelManager
from nbformat.v4 import output_from_msg

PROBE_DIR_NAME = "course-probes"
_SERVE = (
    "__course_oracle__.serve({number})"
)
_INSTALL = (
    "from course.judge.oracle import Oracle as _CourseOracle\n"
    "__course_oracle__ = _CourseOracle(globals(), {folder!r})\n"
    "del _CourseOracle"
)


class Runner:
    """A kernel and the probe folder it shares with this process."""

    def __init__(self, startup_timeout: float = 120):
        self.folder = Path(tempfile.mkdtemp(prefix=PROBE_DIR_NAME))
        self.count = 0
        self.km = KernelManager(kernel_name="python3")
        devnull = open(os.devnull, "rb+")  # noqa: SIM115 - lives as long as the kernel
        self.km.start_kernel(stdin=devnull, stdout=devnull, stderr=devnull)
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=startup_timeout)
        self.execute(_INSTALL.format(folder=str(self.folder)), timeout=startup_timeout)

    def execute(self, source: str, timeout: float) -> dict:
        """Run ``source``; its outputs, whether it raised, or that the kernel died."""
        outputs: list[dict] = []
        msg_id = self.kc.execute(source, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        failed = False
        while True:
            if time.monotonic() > deadline:
                self.km.interrupt_kernel()
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
                if not self.km.is_alive():
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

    def probe(self, request: dict, timeout: float) -> dict:
        """Hand one probe to the kernel's oracle through the probe folder; its response."""
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
        text = response_path.read_text()
        response_path.unlink()
        return json.loads(text)

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


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

    def send(message: dict) -> None:
        proto_out.write(json.dumps(message, allow_nan=True).encode() + b"\n")
        proto_out.flush()

    try:
        runner = Runner()
    except Exception as error:  # noqa: BLE001 - tell the judge, whatever it was
        send({"ready": False, "problem": f"the kernel did not start: {error}"[:500]})
        return
    process = getattr(runner.km.provisioner, "process", None)
    send({"ready": True, "kernel_pid": getattr(process, "pid", None)})
    for line in proto_in:
        request = json.loads(line)
        op = request.get("op")
        if op == "exit":
            break
        if op == "run":
            send(runner.execute(request["source"], float(request.get("timeout", 30))))
        elif op == "probe":
            send(runner.probe(request["probe"], float(request.get("timeout", 30))))
        else:
            send({"error": ["ValueError", f"unknown op {op!r}", ""]})
    runner.close()


if __name__ == "__main__":
    main()
