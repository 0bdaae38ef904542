"""Fixtures of the browser tests: the course's two JupyterLabs, started by `course lab` on a
copy of the course, and Debian's Chromium driven by Playwright (issue #12).

Chromium is /usr/bin/chromium (``./run.sh`` installs it with apt-get); Playwright's own
browser download is never used. Without Chromium the tests are skipped, saying so. Every
test's last screenshot is saved in ``build/test-artifacts/browser/`` (``BROWSER_ARTIFACTS``
overrides), with ``FAILED-`` before the name when the test failed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", REPO / "build" / "test-artifacts" / "browser"))
START_TIMEOUT = 120  # s: JupyterLab starts in 10-20 s on 2 idle cores
#: Console messages that say nothing about the course: Chromium's warning about the iframe
#: nbgrader's lab extension opens the formgrader in (same server, sandbox with scripts).
IGNORED_CONSOLE = ("An iframe which has both allow-scripts and allow-same-origin",)


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium` "
        "(./run.sh does so as root), or set COURSE_CHROMIUM"
    )
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@dataclass
class Lab:
    """A running JupyterLab: its base URL, token, log file and course copy."""

    role: str
    url: str
    token: str
    log: Path
    course: Path
    process: subprocess.Popen
    start_seconds: float = 0.0

    def page_url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(role: str, course: Path, home: Path) -> Lab:
    """Start `course lab` (as a student with --student) on ``course``; do not wait."""
    port, token = _free_port(), secrets.token_hex(16)
    home.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "MPLBACKEND"))}
    env.update(
        COURSE_REPO=str(course),
        JUPYTER_CONFIG_DIR=str(home / "config"),  # a new user: no saved workspace or settings
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        PYTHONUNBUFFERED="1",
    )
    argv = [sys.executable, "-m", "course.cli", "lab", "--no-browser", f"--port={port}"]
    argv += ["--student"] if role == "student" else []
    argv += ["--", f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0"]
    argv += ["--LabApp.expose_app_in_browser=True"]  # window.jupyterapp: read the models
    log = home / "lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            argv, cwd=course, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Lab(role, f"http://127.0.0.1:{port}", token, log, course, process)


def _wait_ready(lab: Lab, started: float) -> None:
    status = lab.page_url("/api/status")
    while time.perf_counter() - started < START_TIMEOUT:
        if lab.process.poll() is not None:
            code = lab.process.returncode
            pytest.fail(f"the {lab.role}'s lab exited ({code}):\n{lab.log_tail()}")
        try:
            with urllib.request.urlopen(status, timeout=5) as response:
                if response.status == 200:
                    json.load(response)
                    lab.start_seconds = time.perf_counter() - started
                    return
        except OSError:
            pass
        time.sleep(0.25)
    pytest.fail(f"the {lab.role}'s lab did not answer in {START_TIMEOUT} s:\n{lab.log_tail()}")


def _stop(lab: Lab) -> None:
    if lab.process.poll() is None:
        os.killpg(lab.process.pid, signal.SIGTERM)  # the lab and its kernels, nothing else
        try:
            lab.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(lab.process.pid, signal.SIGKILL)
            lab.process.wait()


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory) -> Path:
    """The course's notebooks, solutions and nbgrader config, copied: the labs' writes
    (gradebook, exchange, checkpoints, executed notebooks) stay out of the checkout."""
    course = tmp_path_factory.mktemp("course")
    for folder in ("notebooks", "solutions", "data"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, course / folder)
    (course / "autograder").mkdir()
    shutil.copy(REPO / "autograder" / "nbgrader_config.py", course / "autograder")
    return course


@pytest.fixture(scope="session")
def labs(course_copy, tmp_path_factory):
    """Both labs, started at once (they take about the same time) and stopped at the end."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    homes = tmp_path_factory.mktemp("lab-homes")
    started = time.perf_counter()
    running = {role: _start(role, course_copy, homes / role) for role in ("student", "instructor")}
    try:
        for lab in running.values():
            _wait_ready(lab, started)
            print(f"\n[{lab.role}'s lab answered {lab.start_seconds:.1f} s after start]")
        yield running
    finally:
        for lab in running.values():
            _stop(lab)


@pytest.fixture(scope="session")
def student_lab(labs) -> Lab:
    return labs["student"]


@pytest.fixture(scope="session")
def instructor_lab(labs) -> Lab:
    return labs["instructor"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def shot(request):
    """Save a screenshot of a page now: ``shot(page, "name")`` -> artefacts/<test>-name.png."""

    def save(page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path))
        return path

    return save


class Console(list):
    """The page's console errors and warnings, uncaught exceptions and failed responses."""

    def problems(self) -> list[str]:
        return [m for m in self if not any(part in m for part in IGNORED_CONSOLE)]


@pytest.fixture
def page(browser, request):
    """A fresh browser context and page (1400x1000), its console recorded in ``page.console``;
    its last screenshot saved in the artefacts folder."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    console = Console()
    page.on(
        "console",
        lambda m: (
            console.append(f"console.{m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.on(
        "response",
        lambda r: console.append(f"HTTP {r.status}: {r.url}") if r.status >= 500 else None,
    )
    page.console = console
    yield page
    report = getattr(request.node, "report_call", None)
    failed = report is None or report.failed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = ("FAILED-" if failed else "") + request.node.name.replace("/", "_") + ".png"
    try:
        page.screenshot(path=str(ARTIFACTS / name), full_page=False)
    except Exception as error:  # a crashed page: the failure itself says more
        print(f"no screenshot: {error}")
    context.close()
