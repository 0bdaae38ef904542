"""The `course` command's exit codes, on tiny notebooks (no TensorFlow)."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from course.cli import main


def _notebook(path, test_source):
    cell = new_code_cell(
        test_source,
        metadata={
            "nbgrader": {
                "grade": True,
                "grade_id": "t",
                "locked": True,
                "points": 1,
                "schema_version": 3,
                "solution": False,
                "task": False,
            }
        },
    )
    nb = new_notebook(cells=[new_code_cell("answer = 41"), cell])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))
    return path


def test_validate_fails_loudly_when_a_test_fails(tmp_path, capsys):
    """Does `course validate` exit 1 and name the failing cell, where nbgrader would exit 0?"""
    path = _notebook(tmp_path / "wrong.ipynb", "assert answer == 42, 'answer should be 42'")
    assert main(["validate", str(path)]) == 1
    assert "answer should be 42" in capsys.readouterr().out


def test_validate_passes(tmp_path, capsys):
    """Does `course validate` exit 0 when every test passes?"""
    path = _notebook(tmp_path / "right.ipynb", "assert answer == 41")
    assert main(["validate", str(path)]) == 0
    assert "All tests passed" in capsys.readouterr().out


def test_missing_paths_are_usage_errors(tmp_path, capsys):
    """Do a missing notebook or submissions folder give exit 2 and say what to do?"""
    assert main(["validate", str(tmp_path / "nope.ipynb")]) == 2
    assert main(["grade", str(tmp_path / "nothing"), "--workspace", str(tmp_path / "w")]) == 2
    assert "expected <student>/<assignment>/<notebook>.ipynb" in capsys.readouterr().err


def test_unknown_assignment_is_refused(tmp_path, capsys):
    """Is a submission for an assignment the course does not have refused with the known names?"""
    (tmp_path / "class" / "ann" / "99-nope").mkdir(parents=True)
    code = main(["grade", str(tmp_path / "class"), "--workspace", str(tmp_path / "w")])
    assert code == 2
    assert "unknown assignment '99-nope'" in capsys.readouterr().err
