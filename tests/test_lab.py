"""Tests for course.lab: the student's and the instructor's JupyterLab set-up (issue #12).

The labs themselves are started and driven in a browser by tests/browser/; here, on a copy
of the course's layout, the config each writes and what Jupyter and nbgrader read from it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from course import lab, paths

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A checkout laid out as the course's (autograder config, solutions/, notebooks/)."""
    root = tmp_path / "course"
    (root / "autograder").mkdir(parents=True)
    shutil.copy(REPO / "autograder" / "nbgrader_config.py", root / "autograder")
    for folder in ("solutions", "notebooks"):
        (root / folder / "02-cnn-layers").mkdir(parents=True)
    for name, value in [
        ("REPO", root),
        ("NOTEBOOKS_DIR", root / "notebooks"),
        ("SOLUTIONS_DIR", root / "solutions"),
        ("AUTOGRADER_DIR", root / "autograder"),
    ]:
        monkeypatch.setattr(paths, name, value)
    return root


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_student_lab_hides_the_instructor_tools(course):
    """Are Formgrader, Create Assignment and Course List disabled, in a folder only this lab
    reads first (JUPYTER_CONFIG_PATH), with the server on notebooks/?"""
    setup = lab.lab("student", env={"PATH": "/usr/bin"})
    assert setup.root == course / "notebooks" and setup.cwd == setup.root
    assert setup.env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(setup.config_dir)
    assert setup.config_dir.is_relative_to(course / "build" / "lab")
    page = _read(setup.config_dir / "labconfig" / "page_config.json")
    disabled = {k for k, v in page["disabledExtensions"].items() if v}
    assert disabled == {*lab.INSTRUCTOR_PLUGINS, *lab.OFFLINE_PLUGINS}
    server = _read(setup.config_dir / "jupyter_server_config.json")
    extensions = server["ServerApp"]["jpserver_extensions"]
    assert extensions == {name: False for name in lab.INSTRUCTOR_SERVER_EXTENSIONS}
    assert f"--ServerApp.root_dir={course / 'notebooks'}" in setup.argv
    assert "--ServerApp.ip=127.0.0.1" in setup.argv


def _page_config_disabled(monkeypatch, config_path: str | None) -> set[str]:
    """The lab plugins JupyterLab's page config disables, for this JUPYTER_CONFIG_PATH."""
    from jupyterlab_server.config import get_page_config

    if config_path is None:
        monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    else:
        monkeypatch.setenv("JUPYTER_CONFIG_PATH", config_path)
    disabled = get_page_config([], str(Path(config_path or ".") / "settings")).get(
        "disabledExtensions", {}
    )
    return set(disabled) if isinstance(disabled, list) else {k for k, v in disabled.items() if v}


def test_jupyter_reads_the_student_config(course, monkeypatch):
    """Does JupyterLab's page config, with the student's env, disable the three, and only
    with it (nothing global)?"""
    setup = lab.lab("student")
    disabled = _page_config_disabled(monkeypatch, setup.env["JUPYTER_CONFIG_PATH"])
    assert set(lab.INSTRUCTOR_PLUGINS) <= disabled
    assert not set(lab.INSTRUCTOR_PLUGINS) & _page_config_disabled(monkeypatch, None)


def test_instructor_lab_finds_the_course_config(course, monkeypatch):
    """Does nbgrader, loading its config as the formgrader does (cwd, config path), read
    autograder's config and the exchange; is alembic on PATH and the checkout the root?"""
    from nbgrader.apps.baseapp import NbGrader

    setup = lab.lab("instructor", env={"PATH": "/usr/bin:/bin"})
    assert setup.root == course and setup.cwd == course / "autograder"
    assert f"--ServerApp.root_dir={course}" in setup.argv
    alembic = shutil.which("alembic", path=setup.env["PATH"])
    assert alembic is not None and Path(alembic).parent == Path(sys.executable).parent
    page = _read(setup.config_dir / "labconfig" / "page_config.json")
    disabled = {k for k, v in page["disabledExtensions"].items() if v}
    assert disabled == set(lab.OFFLINE_PLUGINS)
    monkeypatch.chdir(setup.cwd)
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", setup.env["JUPYTER_CONFIG_PATH"])
    app = NbGrader()
    app.load_config_file()
    config = app.config
    assert Path(config.CourseDirectory.root) == course / "autograder"
    assert Path(config.CourseDirectory.source_directory) == course / "solutions"
    assert Path(config.Exchange.root) == lab.exchange_dir() and lab.exchange_dir().is_dir()
    assert os.stat(lab.exchange_dir()).st_mode & 0o777 == 0o777
    assert config.CourseDirectory.course_id == "cv-course"


def test_allow_root_only_as_root(course, monkeypatch):
    """Is --allow-root passed exactly when running as root, and extra options kept?"""
    for is_root in (True, False):
        monkeypatch.setattr(lab, "_is_root", lambda is_root=is_root: is_root)
        argv = lab.lab("student", jupyter_args=["--", "--no-browser"]).argv
        assert ("--allow-root" in argv) is is_root
        assert argv[-1] == "--no-browser" and "--" not in argv


def test_clear_errors(course):
    """A missing notebooks/ folder or autograder config says what to do."""
    shutil.rmtree(course / "notebooks")
    with pytest.raises(FileNotFoundError, match="course release"):
        lab.lab("student")
    (course / "autograder" / "nbgrader_config.py").unlink()
    with pytest.raises(FileNotFoundError, match="COURSE_REPO"):
        lab.lab("instructor")
    with pytest.raises(ValueError, match="role"):
        lab.lab("teacher")


def test_cli_has_a_lab_command():
    """Does `course lab --help` describe both labs?"""
    from course.cli import build_parser

    args = build_parser().parse_args(["lab", "--student", "--port", "9000", "--", "--debug"])
    assert args.student and args.port == 9000 and args.jupyter_args[-1] == "--debug"
