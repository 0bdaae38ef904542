"""What a student's kernel can see and reach in the grading sandbox, checked from inside it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time

import pytest

from course.judge.bubblewrap import SANDBOX_HOME, bwrap_path
from course.judge.kernel import StudentKernel
from course.judge.limits import Limits
from course.paths import REPO

pytestmark = pytest.mark.skipif(
    bwrap_path() is None, reason="bubblewrap is not installed (./run.sh installs it as root)"
)

PROBE = r"""
import json, os, socket, sys
seen = {}
seen["root"] = sorted(os.listdir("/"))
seen["cwd"] = os.getcwd()
seen["home"] = sorted(os.listdir(os.path.expanduser("~")))
seen["sys_path_has_cwd"] = "" in sys.path or os.getcwd() in sys.path
def can_read(path):
    try:
        with open(path, "rb") as f:
            return len(f.read())
    except OSError as e:
        return type(e).__name__
def can_list(path):
    try:
        return sorted(os.listdir(path))
    except OSError as e:
        return type(e).__name__
def can_write(path):
    try:
        with open(path, "w") as f:
            f.write("x")
        return True
    except OSError as e:
        return type(e).__name__
import course, course.checking
package = os.path.dirname(course.__file__)
seen["solutions_dir"] = can_list(REPO + "/solutions")
seen["repo"] = can_list(REPO)
seen["workspace"] = can_list(WORKSPACE)
seen["secret_file"] = can_read(WORKSPACE + "/gradebook.db")
seen["solutions_json"] = can_read(os.path.join(package, "checking", "solutions.json"))
seen["alternatives"] = can_list(os.path.join(package, "alternatives"))
seen["write_site_packages"] = can_write(os.path.join(sys.prefix, "lib", "evil.pth"))
seen["write_package"] = can_write(os.path.join(package, "evil.py"))
seen["write_home"] = can_write(os.path.expanduser("~/mine.txt"))
seen["env_secret"] = os.environ.get("COURSE_TEST_SECRET")
import matplotlib
seen["mpl_backend"] = matplotlib.get_backend()
seen["pids"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
try:
    os.kill(GRADER_PID, 0)
    seen["signal_grader"] = "sent"
except OSError as e:
    seen["signal_grader"] = type(e).__name__
try:
    socket.create_connection(("127.0.0.1", HOST_PORT), timeout=2).close()
    seen["host_loopback"] = "connected"
except OSError as e:
    seen["host_loopback"] = type(e).__name__
try:
    socket.create_connection(("pypi.org", 443), timeout=2).close()
    seen["internet"] = "connected"
except OSError as e:
    seen["internet"] = type(e).__name__
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    """What the probe saw from inside a sandboxed kernel, and the host-side facts."""
    workspace = tmp_path_factory.mktemp("workspace")
    (workspace / "gradebook.db").write_text("grades")
    home = tmp_path_factory.mktemp("home")
    (home / "02-cnn-layers").mkdir()
    (home / "02-cnn-layers" / "cnn_layers.ipynb").write_text("{}")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    os.environ["COURSE_TEST_SECRET"] = "instructor-token"
    try:
        kernel = StudentKernel(
            home, Limits(cell_timeout=30), "bubblewrap", preload=("matplotlib.pyplot",)
        )
    finally:
        del os.environ["COURSE_TEST_SECRET"]
    kernel.new_kernel("02-cnn-layers")
    source = (
        f"REPO = {str(REPO)!r}\nWORKSPACE = {str(workspace)!r}\nGRADER_PID = {os.getpid()}\n"
        f"HOST_PORT = {server.getsockname()[1]}\n" + PROBE
    )
    result = kernel.run_cell(source)
    streams = [o["text"] for o in result["outputs"] if o.get("output_type") == "stream"]
    assert streams, result
    orphan = kernel.run_cell(
        "import subprocess\nsubprocess.Popen(['sh', '-c', '(sleep 300; echo course-orphan) &'])"
    )
    yield json.loads(streams[-1]), kernel, home, orphan
    server.close()


def test_the_sandbox_shows_no_repository_workspace_or_solutions(seen):
    found, _, _, _ = seen
    assert found["solutions_dir"] == "FileNotFoundError"
    assert found["workspace"] == "FileNotFoundError"
    assert found["secret_file"] == "FileNotFoundError"
    assert "solutions" not in found["repo"] if isinstance(found["repo"], list) else True
    assert found["solutions_json"] in (0, "PermissionError")  # /dev/null stands in for it
    assert found["alternatives"] == []  # the bank of correct answers is hidden


def test_the_environment_and_the_package_are_read_only(seen):
    found, _, _, _ = seen
    assert found["write_site_packages"] in ("OSError", "PermissionError")
    assert found["write_package"] in ("OSError", "PermissionError")
    assert found["write_home"] is True and found["cwd"] == f"{SANDBOX_HOME}/02-cnn-layers"
    assert [n for n in found["home"] if not n.startswith(".")] == ["02-cnn-layers"]
    assert not found["sys_path_has_cwd"]
    assert found["env_secret"] is None
    assert "inline" in found["mpl_backend"]  # figures reach the graded notebook and feedback


def test_no_network_and_no_view_of_the_grader(seen):
    found, _, _, _ = seen
    assert found["host_loopback"] == "ConnectionRefusedError"
    assert found["internet"] != "connected"
    assert found["signal_grader"] == "ProcessLookupError"
    assert max(found["pids"]) < 100  # its own PID namespace: only the sandbox's processes


def test_a_figure_is_shown_without_plt_show(seen):
    """pyplot was imported before the kernel existed (the zygote): is the inline backend
    still hooked to the kernel, as in a kernel that imports it itself?"""
    _, kernel, _, _ = seen
    result = kernel.run_cell("import matplotlib.pyplot as plt\nplt.plot([1, 3, 2]);")
    assert any("image/png" in o.get("data", {}) for o in result["outputs"]), result


def test_the_next_notebook_gets_a_fresh_kernel_and_nothing_of_the_last(seen):
    """Does a new kernel keep no name, and no process, of the notebook before it?"""
    _, kernel, home, _ = seen
    (home / "03-compilation").mkdir()
    started = kernel.run_cell(
        "left = 1\nimport subprocess\nsubprocess.Popen(['sleep', '301'], start_new_session=True)"
    )
    assert not started.get("error"), started
    kernel.new_kernel("03-compilation")
    result = kernel.run_cell(
        "import os\nprint(os.getcwd())\n"
        "print(sorted(open(f'/proc/{p}/cmdline').read().replace(chr(0), ' ')\n"
        "             for p in os.listdir('/proc') if p.isdigit()))\nleft"
    )
    text = "".join(o.get("text", "") for o in result["outputs"])
    assert f"{SANDBOX_HOME}/03-compilation" in text
    assert "sleep 301" not in text and "sleep 300" not in text  # swept with the last kernel
    assert result["outputs"][-1]["ename"] == "NameError"
    kernel.new_kernel("02-cnn-layers")
    kernel.run_cell(  # an orphan again, for the test below
        "import subprocess\nsubprocess.Popen(['sh', '-c', '(sleep 300; echo course-orphan) &'])"
    )


def test_nothing_outlives_the_sandbox(seen):
    _, kernel, home, orphan = seen
    assert not orphan.get("dead")
    kernel.close()
    time.sleep(1)
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert "sleep 300" not in ps
    assert (home / "mine.txt").exists()  # the private home is the student's to write
