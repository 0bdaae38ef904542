"""JupyterLab set up for the course's two users (``course lab``; introduced in the README).

A student's lab opens ``notebooks/`` without the instructor's nbgrader tools: the Formgrader,
Create Assignment and Course List panels are disabled in a Jupyter config folder that only
this command puts first on ``JUPYTER_CONFIG_PATH`` (nothing global changes; ``jupyter lab``
started by hand is as before). The Assignment List and the Validate button stay.

The instructor's lab serves the whole checkout, so the formgrader's links to ``solutions/``
and ``notebooks/`` open, starts in ``autograder/`` so the formgrader reads
``autograder/nbgrader_config.py``, and has the venv's ``bin/`` on ``PATH`` (nbgrader runs
``alembic`` when it first creates the gradebook). Both point nbgrader's exchange at a folder
of the checkout, created here, unless ``autograder/nbgrader_config.py`` names another
(``c.Exchange.root``): the formgrader's release and collect buttons then work on this machine.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from course import paths

#: JupyterLab plugins of nbgrader that only an instructor uses.
INSTRUCTOR_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
#: Their server side, switched off too in a student's lab (the formgrader's pages 404).
INSTRUCTOR_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
)
#: Off in both labs: JupyterLab's news (it asks on first start whether to fetch news from the
#: internet; the course is offline).
OFFLINE_PLUGINS = ("@jupyterlab/apputils-extension:announcements",)
#: Options of every course lab: the loopback interface, and no call home (the course is
#: offline): no news feed, no update check.
COMMON_OPTIONS = (
    "--ServerApp.ip=127.0.0.1",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
)
ROLES = ("student", "instructor")


def lab_dir() -> Path:
    """Where the course's lab set-up lives: ``build/lab/`` of the checkout (not in git)."""
    return paths.REPO / "build" / "lab"


def exchange_dir() -> Path:
    """nbgrader's exchange for a course given on this machine: ``build/lab/exchange``."""
    return lab_dir() / "exchange"


@dataclass
class Lab:
    """How to start one user's JupyterLab: ``argv`` run in ``cwd`` with ``env``."""

    role: str
    root: Path
    cwd: Path
    config_dir: Path
    argv: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def make_exchange(root: Path) -> Path:
    """Create nbgrader's exchange folder ``root``, writable by all as nbgrader's docs ask."""
    root.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(PermissionError):  # someone else's: nbgrader says if it can't write
        root.chmod(0o777)
    return root


def _nbgrader_config(exchange: Path) -> str:
    return (
        '"""Written by `course lab`: nbgrader\'s exchange on this machine. A later config\n'
        '(autograder/nbgrader_config.py, the current folder) may name another."""\n\n'
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
    )


def write_config(role: str, config_dir: Path, exchange: Path) -> Path:
    """Write the Jupyter config folder of ``role`` ("student" or "instructor"); return it.

    Both get an ``nbgrader_config.py`` naming the exchange and JupyterLab's news switched off;
    a student's also disables the instructor's lab plugins (``labconfig/page_config.json``)
    and server extensions."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "nbgrader_config.py").write_text(_nbgrader_config(exchange), encoding="utf-8")
    disabled = {name: role == "student" for name in INSTRUCTOR_PLUGINS}
    disabled.update(dict.fromkeys(OFFLINE_PLUGINS, True))
    _write_json(config_dir / "labconfig" / "page_config.json", {"disabledExtensions": disabled})
    servers = {name: role != "student" for name in INSTRUCTOR_SERVER_EXTENSIONS}
    _write_json(
        config_dir / "jupyter_server_config.json", {"ServerApp": {"jpserver_extensions": servers}}
    )
    return config_dir


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab(
    role: str,
    root: Path | None = None,
    jupyter_args: list[str] | tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Lab:
    """The JupyterLab command of ``role``, its config folder written and exchange created.

    root: the folder the lab serves (a student's default ``notebooks/``, the instructor's the
    checkout: the formgrader needs ``autograder/`` inside it). jupyter_args: more options for
    ``jupyter lab`` (``--port=8890``, ``--no-browser``, ``--IdentityProvider.token=...``)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    if role == "student":
        root = Path(root or paths.NOTEBOOKS_DIR).resolve()
        cwd = root
    else:
        root = Path(root or paths.REPO).resolve()
        cwd = paths.AUTOGRADER_DIR
        config_file = cwd / "nbgrader_config.py"
        if not config_file.is_file():
            raise FileNotFoundError(
                f"no {config_file}: run `course lab` from a clone of the course repository, "
                "or set COURSE_REPO to it."
            )
        if not cwd.resolve().is_relative_to(root):
            raise ValueError(
                f"the formgrader needs the course folder {cwd} inside the served folder {root}"
            )
    if not root.is_dir():
        raise FileNotFoundError(
            f"no folder {root}" + (": run `course release` first." if role == "student" else "")
        )
    config_dir = write_config(role, lab_dir() / role, make_exchange(exchange_dir()))
    env = dict(os.environ if env is None else env)
    scripts = sysconfig.get_path("scripts")  # the venv's bin/: alembic, nbgrader
    env["PATH"] = os.pathsep.join([scripts, *filter(None, [env.get("PATH")])])
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        [str(config_dir), *filter(None, [env.get("JUPYTER_CONFIG_PATH")])]
    )
    argv = [sys.executable, "-m", "jupyterlab", *COMMON_OPTIONS, f"--ServerApp.root_dir={root}"]
    if _is_root():
        argv.append("--allow-root")
    argv += [arg for arg in jupyter_args if arg != "--"]
    return Lab(role=role, root=root, cwd=cwd, config_dir=config_dir, argv=argv, env=env)


def start(setup: Lab) -> None:  # pragma: no cover - replaces the process
    """Replace this process by JupyterLab (Ctrl-C then stops JupyterLab as usual)."""
    print(f"Starting the {setup.role}'s JupyterLab on {setup.root}", flush=True)
    os.chdir(setup.cwd)
    os.execve(setup.argv[0], setup.argv, setup.env)
