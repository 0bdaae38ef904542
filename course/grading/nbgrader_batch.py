"""Several nbgrader steps in one process: nbgrader's own import (about 4 s) is paid once.

``nbgrader autograde``, ``generate_feedback`` and ``generate_assignment`` each cost a new
Python process that spends most of its time importing nbgrader. A class of six assignments
ran 19 of them. ``run_steps`` runs them all in one child process, through the same converter
classes the commands use, with the course's configuration (``autograder/nbgrader_config.py``)
and the same log lines (so ``StepResult.errors`` reads them the same way):

    python -m course.grading.nbgrader_batch < steps.json   # one JSON result line per step

``NbgraderWriter`` keeps one such process for a whole grading run and sends it steps as they
come (``--stream``: one JSON step per line in, one result line out).

A step is ``{"step": "autograde" | "generate_feedback" | "generate_assignment" | "export",
"assignment": ..., "student": ..., "submitted_directory": ..., "release_directory": ...,
"no_database": bool, "to": ...}`` (``student``: only that student's submissions, default all;
``to``: the export's CSV file).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

from course.grading.nbgrader_steps import NbgraderError, StepResult
from course.paths import AUTOGRADER_DIR

_FORMAT = "[%(name)s | %(levelname)s] %(message)s"  # as nbgrader's command line prints them


def run_steps(
    steps: list[dict],
    workspace: Path,
    env: dict[str, str] | None = None,
    check: bool = False,
    timeout: float | None = None,
) -> list[StepResult]:
    """Run nbgrader ``steps`` on ``workspace`` (the course root) in one process; one
    StepResult per step. Raises NbgraderError (with the log's end) when the process fails, or
    a step fails and ``check`` is true."""
    Path(workspace).mkdir(parents=True, exist_ok=True)
    request = {"root": str(Path(workspace).resolve()), "steps": steps}
    proc = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "course.grading.nbgrader_batch"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        errors="replace",
        cwd=AUTOGRADER_DIR,
        env=_batch_env(env),
        timeout=timeout,
    )
    results = []
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            results.append(_step_result(line))
    if proc.returncode != 0 or len(results) != len(steps):
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-25:])
        raise NbgraderError(f"nbgrader's steps stopped (exit {proc.returncode}):\n{tail}")
    failed = [r for r in results if r.returncode != 0 or r.errors]
    if check and failed:
        tail = "\n".join(failed[0].log.splitlines()[-25:])
        raise NbgraderError(f"`nbgrader {' '.join(failed[0].args)}` failed:\n{tail}")
    return results


def _step_result(line: str) -> StepResult:
    """A StepResult from one result line of the batch process."""
    done = json.loads(line)
    return StepResult(tuple(done["args"]), done["returncode"], done["log"])


def _batch_env(env: dict[str, str] | None) -> dict[str, str]:
    """The environment of an nbgrader batch: ``env`` (default: this one) with this Python's
    ``bin`` first on PATH (nbgrader's database migrations run ``alembic`` from there)."""
    env = dict(os.environ if env is None else env)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


class NbgraderWriter:
    """One nbgrader process that runs steps as they are sent, for a whole grading run: its
    start (nbgrader's import, about 1.3 s on one core) is paid once, however many batches.

    ``run(steps)`` returns their results once done; ``close()`` ends the process. Raises
    NbgraderError when the process has stopped (with the end of its log)."""

    def __init__(self, workspace: Path, env: dict[str, str] | None = None):
        Path(workspace).mkdir(parents=True, exist_ok=True)
        self._log = tempfile.TemporaryFile(mode="w+", errors="replace")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - our own module
            [sys.executable, "-m", "course.grading.nbgrader_batch", "--stream",
             str(Path(workspace).resolve())],  # fmt: skip
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            errors="replace",
            cwd=AUTOGRADER_DIR,
            env=_batch_env(env),
        )

    def run(self, steps: list[dict]) -> list[StepResult]:
        results = []
        try:
            for step in steps:
                self.process.stdin.write(json.dumps(step) + "\n")
                self.process.stdin.flush()
                line = self.process.stdout.readline()
                if not line.startswith("{"):
                    raise BrokenPipeError
                results.append(_step_result(line))
        except (BrokenPipeError, OSError, ValueError):
            self.process.kill()
            self.process.wait()
            self._log.seek(0)
            tail = "\n".join(self._log.read().splitlines()[-25:])
            raise NbgraderError(
                f"nbgrader's steps stopped (exit {self.process.returncode}):\n{tail}"
            ) from None
        return results

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def _converter(step: dict, root: str, config):
    """The nbgrader converter (or exporter) that runs ``step``."""
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    coursedir.root = root
    if step.get("submitted_directory"):
        coursedir.submitted_directory = step["submitted_directory"]
    if step.get("release_directory"):
        coursedir.release_directory = step["release_directory"]
    if step.get("assignment"):
        coursedir.assignment_id = step["assignment"]
    if step.get("student"):
        coursedir.student_id = step["student"]
    name = step["step"]
    if name == "generate_assignment" and step.get("no_database"):
        from traitlets.config import Config

        config = Config(config)  # what nbgrader generate_assignment --no-db sets
        config.merge(Config({"SaveCells": {"enabled": False}}))
        config.merge(Config({"GenerateAssignment": {"no_database": True}}))
    if name == "export":
        return _Export(coursedir, step["to"], config)
    from nbgrader.converters import Autograde, GenerateAssignment, GenerateFeedback

    kind = {
        "autograde": Autograde,
        "generate_feedback": GenerateFeedback,
        "generate_assignment": GenerateAssignment,
    }[name]
    converter = kind(coursedir=coursedir, config=config)
    converter.force = True
    if name == "autograde":
        converter.create_student = True
    return converter


class _Export:
    """``nbgrader export`` to a CSV file."""

    def __init__(self, coursedir, to: str, config):
        self.coursedir, self.to, self.config = coursedir, to, config

    def start(self) -> None:
        from nbgrader.api import Gradebook
        from nbgrader.plugins import CsvExportPlugin

        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            CsvExportPlugin(to=self.to, config=self.config).export(gradebook)


def _load_config():
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(AUTOGRADER_DIR)).load_config()


def _run_step(step: dict, root: str, config) -> dict:
    """Run one step; its result line: args, returncode and nbgrader's log."""
    root_logger = logging.getLogger()
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root_logger.addHandler(handler)
    returncode = 0
    try:
        _converter(step, root, config).start()
    except BaseException:  # noqa: BLE001 - reported as that step's error, then the next
        logging.getLogger("nbgrader").error(traceback.format_exc())
        returncode = 1
    finally:
        root_logger.removeHandler(handler)
    args = [step["step"], *(step[k] for k in ("assignment", "student") if step.get(k))]
    return {"args": args, "returncode": returncode, "log": buffer.getvalue()}


def main() -> None:
    """``python -m course.grading.nbgrader_batch``: one request (root and steps) on stdin;
    with ``--stream ROOT``: one step per stdin line, each answered as soon as it is done,
    until stdin closes (``NbgraderWriter``)."""
    out = sys.stdout
    sys.stdout = sys.stderr  # nbgrader's own prints stay out of the results
    config = _load_config()
    logging.getLogger().setLevel(logging.INFO)
    if sys.argv[1:2] == ["--stream"]:
        root, steps = sys.argv[2], (json.loads(line) for line in sys.stdin if line.strip())
    else:
        request = json.loads(sys.stdin.read())
        root, steps = request["root"], request["steps"]
    for step in steps:
        out.write(json.dumps(_run_step(step, root, config)) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
