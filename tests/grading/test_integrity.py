"""course.grading.integrity and .feedback on synthetic notebooks (no kernel)."""

from __future__ import annotations

import json

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook, new_output

from course.grading.feedback import HIDDEN_NOTE, hide_hidden_tests
from course.grading.integrity import TOKENS_DIR_ENV, VerifyIntegrity, checked_imports

GRADE = {
    "nbgrader": {
        "grade": True,
        "grade_id": "q_tests",
        "locked": True,
        "points": 1,
        "solution": False,
        "schema_version": 3,
        "task": False,
    }
}


def test_checked_imports_reads_one_statement_at_a_time():
    """Does the import scan stop at the end of each import statement?"""
    source = (
        "from course.exercises.cnn_layers import check_conv_params\n\ncheck_conv_params(f)\n"
        "from course.exercises.tasks import (check_iou,\n    check_dice as dice)  # note\n"
    )
    assert checked_imports(source) == [
        ("course.exercises.cnn_layers", ["check_conv_params"]),
        ("course.exercises.tasks", ["check_iou", "check_dice"]),
    ]


def _verify(tmp_path, monkeypatch, outputs):
    (tmp_path / "ann--a1.json").write_text(json.dumps({"nb": {"q_tests": "course-integrity:T"}}))
    monkeypatch.setenv(TOKENS_DIR_ENV, str(tmp_path))
    cell = new_code_cell("assert True", metadata=GRADE, outputs=outputs)
    nb = new_notebook(cells=[cell])
    resources = {"nbgrader": {"student": "ann", "assignment": "a1", "notebook": "nb"}}
    nb, _ = VerifyIntegrity().preprocess(nb, resources)
    return nb.cells[0].outputs


def test_token_printed_means_passed(tmp_path, monkeypatch):
    """Is a grade cell that printed its token left passing, with the token removed?"""
    printed = new_output("stream", text="hi\ncourse-integrity:T\n")
    outputs = _verify(tmp_path, monkeypatch, [printed])
    assert [o.get("text") for o in outputs] == ["hi\n"]


def test_missing_token_fails_the_cell(tmp_path, monkeypatch):
    """Does a grade cell without its token (rewritten or silenced) get a TamperingDetected error?"""
    outputs = _verify(tmp_path, monkeypatch, [])
    assert outputs[-1]["ename"] == "TamperingDetected"
    forged = _verify(tmp_path, monkeypatch, [new_output("stream", text="course-integrity:X\n")])
    assert forged[-1]["ename"] == "TamperingDetected"


def test_cell_with_an_error_keeps_its_error(tmp_path, monkeypatch):
    """Is a failing grade cell left as it is (already scored 0 by nbgrader)?"""
    error = NotebookNode(output_type="error", ename="AssertionError", evalue="", traceback=[])
    assert _verify(tmp_path, monkeypatch, [error]) == [error]


def test_feedback_hides_hidden_tests_and_grader_code():
    """Does the feedback source keep the visible tests and drop hidden ones and added checks?"""
    source = (
        '"""Q?"""\ncheck(f)\n### BEGIN HIDDEN TESTS\ncheck(f, cases=[1, 2])\n'
        "### END HIDDEN TESTS\n# --- added by the course's grader: checks ---\nprint('t')\n"
    )
    shown = hide_hidden_tests(source)
    assert shown == f'"""Q?"""\ncheck(f)\n{HIDDEN_NOTE}'


def test_injected_check_detects_a_replaced_check_function(capsys):
    """Does the code added to grade cells pass honestly and catch a monkeypatched check?"""
    import pytest

    import course.exercises.cnn_layers as checks
    from course.grading.integrity import _INJECTED

    imports = [("course.exercises.cnn_layers", ["check_conv_params", "CONV_SIZE_CASES", "q1"])]
    code = _INJECTED.format(imports=imports, token="course-integrity:T")
    exec(code, {})
    assert "course-integrity:T" in capsys.readouterr().out
    original = checks.check_conv_params
    checks.check_conv_params = lambda *args, **kwargs: None
    try:
        with pytest.raises(AssertionError, match="TamperingDetected"):
            exec(code, {})
    finally:
        checks.check_conv_params = original
