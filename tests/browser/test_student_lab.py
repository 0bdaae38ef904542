"""A student's JupyterLab in Chromium (issue #12): notebook 02, untouched, Run All to the end;
a wrong then a right answer typed and checked; no instructor tools in the menus."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

NOTEBOOK = "02-cnn-layers/cnn_layers.ipynb"
EXERCISE = "conv_output_size"  # q2: typed wrong, then right
WRONG = """def conv_output_size(size, kernel_size, stride=1, padding=0):
    if padding == "same":
        return -(-size // stride)
    if padding == "valid":
        padding = 0
    return (size - kernel_size + 2 * padding) // stride
"""
# WCAG-contrast label colours of course.checking.feedback, as the browser computes them
LABEL_COLOURS = {"Not attempted": "rgb(138, 90, 0)", "Incorrect": "rgb(179, 38, 30)"}
LABEL_COLOURS["Correct"] = "rgb(30, 123, 52)"

# The notebook's code cells as the model holds them: execution count and output kinds.
CELLS_JS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  const result = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    result.push({
      index: i,
      source: cell.sharedModel.getSource(),
      count: cell.executionCount,
      outputs: cell.outputs.toJSON().map(o => ({
        type: o.output_type, name: o.name || null, mimes: Object.keys(o.data || {}),
      })),
    });
  }
  return result;
}"""
PROGRESS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.model.cells;
  let total = 0, ran = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    total++;
    if (cell.executionCount !== null) ran++;
  }
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return {total: total, ran: ran, kernel: kernel ? kernel.status : null};
}"""
RUN_ALL_TIMEOUT = 300  # s: 02 runs in about 55 s on 2 busy cores


def _menu(page, menu: str) -> list[str]:
    """Open a menu of the menu bar; the labels of its items."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    items = page.locator(".lm-Menu-content .lm-Menu-itemLabel")
    items.first.wait_for()
    return [label for label in items.all_inner_texts() if label]


def _wait_for(page, done, timeout: float, what: str) -> dict:
    """Poll the notebook's progress until ``done(progress)``; accept JupyterLab's "Select
    Kernel" dialog (it can open when the kernel specs load late) with its default."""
    deadline = time.monotonic() + timeout
    while True:
        progress = page.evaluate(PROGRESS_JS)
        if done(progress):
            return progress
        dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
        if dialog.count():
            print("[accepted the Select Kernel dialog's default kernel]")
            dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
        assert time.monotonic() < deadline, f"{what} after {timeout} s: {progress}"
        page.wait_for_timeout(500)


def _open_notebook(page, lab, path: str) -> None:
    page.goto(lab.page_url(f"/lab/tree/{path}"))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=90_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget")
    _wait_for(page, lambda p: p["kernel"] == "idle", 120, "no idle kernel")


def _solution(course, grade_id: str) -> str:
    """The instructor's answer to one exercise, solution markers removed."""
    notebook = json.loads((course / "solutions" / NOTEBOOK).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            lines = "".join(cell["source"]).splitlines()
            return "\n".join(line for line in lines if "### " not in line) + "\n"
    raise LookupError(grade_id)


def _output(page, cell_index: int):
    """The rendered HTML output of a cell (a check's feedback)."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(cell_index)
    return cell.locator(".jp-OutputArea-output.jp-RenderedHTMLCommon")


def _feedback(page, cell_index: int, label: str):
    """A check's feedback, scrolled into view and laid out (cells off screen are not): its
    label, asserted to read ``label`` in its colour; returns the whole output's text."""
    output = _output(page, cell_index)
    output.scroll_into_view_if_needed()
    span = output.locator("span").first
    expect(span).to_have_text(f"{label}:", use_inner_text=True)
    expect(span).to_have_css("color", LABEL_COLOURS[label])
    return output.inner_text()


def _answer_and_check(page, exercise_index: int, code: str, label: str) -> str:
    """Type ``code`` into the exercise cell, run it and the check below it (Shift+Enter
    twice, as a student does); wait for the check's ``label``; return its text."""
    editor = page.locator(".jp-Notebook .jp-Cell").nth(exercise_index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)  # as pasted: no auto-indent or bracket closing
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    _output(page, exercise_index + 1).locator("span", has_text=f"{label}:").wait_for()
    return _feedback(page, exercise_index + 1, label)


def test_run_all_on_an_untouched_notebook(student_lab, page, shot):
    """Run All on the untouched 02: do all cells run, figures show, every check say "Not
    attempted" in HTML, no stderr, a clean console; then a wrong and a right answer."""
    _open_notebook(page, student_lab, NOTEBOOK)
    start = time.perf_counter()
    assert "Run All Cells" in _menu(page, "Run")
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
    _wait_for(
        page,
        lambda p: p["ran"] == p["total"] and p["kernel"] == "idle",
        RUN_ALL_TIMEOUT,
        "Run All did not finish",
    )
    ran_in = time.perf_counter() - start
    print(f"\n[Run All of {NOTEBOOK}: {ran_in:.1f} s]")
    cells = page.evaluate(CELLS_JS)

    assert all(cell["count"] is not None for cell in cells), "a code cell did not run"
    assert sorted(cell["count"] for cell in cells) == list(range(1, len(cells) + 1))
    streams = [(c["index"], o["name"]) for c in cells for o in c["outputs"] if o["name"]]
    assert "stderr" not in {name for _, name in streams}, f"stderr in cells {streams}"
    errors = [c for c in cells if any(o["type"] == "error" for o in c["outputs"])]
    graded = [c for c in cells if '"""Does' in c["source"] and "check_" in c["source"]]
    assert errors == graded and errors, "only the graded cells may fail (untouched answers)"

    figures = [c for c in cells if "plt.show()" in c["source"]]
    assert figures and all(any("image/png" in o["mimes"] for o in c["outputs"]) for c in figures), (
        "a figure cell shows no figure"
    )
    images = page.locator(".jp-OutputArea-output img[src^='data:image/png']")
    shown = sum(o["mimes"].count("image/png") for c in cells for o in c["outputs"])
    assert images.count() == shown
    images.first.scroll_into_view_if_needed()
    assert images.first.evaluate("img => img.complete && img.naturalWidth > 100")

    checks = [c for c in cells if re.fullmatch(r"q\d+\.check\(\)", c["source"].strip())]
    assert checks
    for check in checks:
        text = _feedback(page, check["index"], "Not attempted")
        assert "placeholder" in text and "<" not in text and "`" not in text
        assert _output(page, check["index"]).locator("code").count() >= 1  # `name` as code
    # the 7 graded cells' tracebacks are the only stderr-coloured outputs on the page
    stderr_outputs = page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    )
    assert stderr_outputs.count() == len(errors)
    assert page.console.problems() == []
    shot(page, "after-run-all")

    exercise = next(c["index"] for c in cells if c["source"].startswith(f"def {EXERCISE}("))
    wrong = _answer_and_check(page, exercise, WRONG, "Incorrect")
    assert "conv_output_size(" in wrong and re.search(r"\d", wrong)
    assert "<" not in wrong and "`" not in wrong and "Traceback" not in wrong
    shot(page, "incorrect")
    right = _answer_and_check(page, exercise, _solution(student_lab.course, EXERCISE), "Correct")
    assert right.startswith("Correct:")
    assert page.console.problems() == []


def test_no_instructor_tools(student_lab, page, shot):
    """Does the student's Nbgrader menu hold no Formgrader, Course List or Create Assignment,
    with no Create Assignment sidebar and the formgrader's pages not served?"""
    page.goto(student_lab.page_url("/lab"))
    page.locator(".jp-DirListing-item").first.wait_for(timeout=90_000)
    items = _menu(page, "Nbgrader")
    assert "Assignment List" in items
    for tool in ("Formgrader", "Formgrader (local)", "Course List", "Create assignment"):
        assert tool not in items
    shot(page, "nbgrader-menu")
    page.keyboard.press("Escape")
    tabs = page.locator(".lm-TabBar-tab").evaluate_all("ts => ts.map(t => t.dataset.id)")
    assert "filebrowser" in tabs and not [t for t in tabs if "create_assign" in t]
    config = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    assert "@jupyterlab/apputils-extension:announcements" in config["disabledExtensions"]
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(student_lab.page_url("/formgrader"), timeout=30)
    assert error.value.code == 404
    assert page.console.problems() == []
