"""The sandbox a student's kernel runs in: bubblewrap (Debian's ``bubblewrap``, Flatpak's).

Per student: no network (its own network namespace, loopback only), its own PID namespace
(it cannot see or signal the grader or other students; when its first process ends, all
end), a new session (no terminal), no capabilities; read-only: the system (``/usr``), the
Python installation and environment, the course package and its data; hidden inside the
package: the instructor's solutions (``solutions.json``) and the bank of correct answers;
writable: a private home holding only that student's notebook, a private ``/tmp``. The
repository (``solutions/``), the class's workspace and gradebook are not mounted at all.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

SANDBOX_HOME = "/home/student"
SANDBOX_DATASETS = "/course-datasets"  # the grader's prepared course datasets, read-only
#: System folders and files the interpreter, TensorFlow and matplotlib read.
SYSTEM_PATHS = (
    "/usr",
    "/etc/fonts",
    "/etc/localtime",
    "/etc/ld.so.cache",
    "/etc/ssl",
    "/etc/mime.types",
)
KEPT_ENV = ("LANG", "LC_ALL", "TZ", "KERAS_BACKEND", "TF_CPP_MIN_LOG_LEVEL")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces here."""


def bwrap_path() -> str | None:
    """The bwrap executable, if installed."""
    return shutil.which("bwrap")


def _course_paths() -> tuple[Path, Path, list[Path]]:
    """(package folder, data folder, paths to hide inside the package)."""
    import course

    package = Path(course.__file__).resolve().parent
    hidden = [package / "alternatives", package / "checking" / "solutions.json"]
    from course.paths import REPO

    return package, Path(REPO) / "data", [p for p in hidden if p.exists()]


def read_only_paths() -> list[Path]:
    """What the sandbox mounts read-only besides the system: Python, the venv, the course."""
    package, data, _ = _course_paths()
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), package}
    if data.is_dir():
        paths.add(data.resolve())
    return sorted(paths)


def sandbox_env(threads: int) -> dict[str, str]:
    """The kernel's whole environment: nothing of the instructor's but locale settings."""
    env = {k: os.environ[k] for k in KEPT_ENV if k in os.environ}
    env.update(
        PATH=os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
        HOME=SANDBOX_HOME,
        TMPDIR="/tmp",
        PYTHONSAFEPATH="1",  # the working folder is not on sys.path: no stand-in packages
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONNOUSERSITE="1",
        OMP_NUM_THREADS=str(threads),
        TF_NUM_INTRAOP_THREADS=str(threads),
        TF_NUM_INTEROP_THREADS="1",
        JUPYTER_PLATFORM_DIRS="1",
    )
    return env


def require_bubblewrap() -> None:
    """Raise SandboxUnavailable, saying what to do, unless bubblewrap can make a sandbox."""
    import subprocess

    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxUnavailable(_MISSING)
    probe = subprocess.run(  # noqa: S603
        [bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if probe.returncode != 0:
        raise SandboxUnavailable(
            f"bubblewrap cannot create a sandbox here ({probe.stderr.strip()[:200]}): allow "
            "unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) or run "
            "as root, or grade with --isolation none (see `course grade --help`)."
        )


_MISSING = (
    "bubblewrap (bwrap) is not installed: install it (sudo apt-get install bubblewrap, or "
    "./run.sh, which does it as root), or grade with --isolation none (students' code then "
    "runs with your user's rights: see `course grade --help`)."
)


def bwrap_command(
    argv: list[str], home: Path, threads: int = 1, datasets: Path | None = None
) -> list[str]:
    """The bwrap command line that runs ``argv`` with ``home`` as the sandbox's home, and the
    prepared course ``datasets`` folder (if given) read-only as its ``COURSE_DATA_DIR``."""
    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxUnavailable(_MISSING)
    command = [
        bwrap,
        "--unshare-all",  # network, PID, IPC, UTS, cgroup and user namespaces
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--hostname",
        "sandbox",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
    ]
    for target in ("bin", "lib", "lib64", "sbin"):
        host = Path("/", target)
        if host.is_symlink():
            command += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            command += ["--ro-bind", str(host), str(host)]
    for path in SYSTEM_PATHS:
        if Path(path).exists():
            command += ["--ro-bind", path, path]
    for path in read_only_paths():
        command += ["--ro-bind", str(path), str(path)]
    _, _, hidden = _course_paths()
    for path in hidden:
        if path.is_dir():
            command += ["--tmpfs", str(path), "--remount-ro", str(path)]
        else:
            command += ["--ro-bind", "/dev/null", str(path)]
    if datasets is not None:
        command += ["--ro-bind", str(datasets), SANDBOX_DATASETS]
    command += ["--bind", str(home), SANDBOX_HOME, "--chdir", SANDBOX_HOME, "--clearenv"]
    env = sandbox_env(threads)
    if datasets is not None:
        env["COURSE_DATA_DIR"] = SANDBOX_DATASETS
    for key, value in env.items():
        command += ["--setenv", key, value]
    return [*command, "--", *argv]
