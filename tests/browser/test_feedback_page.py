"""A feedback file opened in Chromium with the network cut (issue #12): math is laid out
(MathML, no MathJax), the figure of a graded cell shows, a long message wraps in its box,
and the page asks for nothing outside itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

CONFIG = Path(__file__).resolve().parents[2] / "autograder" / "nbgrader_config.py"
LONG = "conv_output_size(224, 3, stride=2, padding='valid') returned 110; " * 6
CELLS = [
    new_markdown_cell(
        "Along one axis: $$W_c = \\left\\lfloor \\frac{W - F + 2P}{S} \\right\\rfloor + 1$$ "
        "and the depth is $D_c = K$."
    ),
    new_code_cell("import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()"),
    new_code_cell(f"raise AssertionError({LONG!r})"),
]


def _exporter():
    """The exporter and preprocessors nbgrader_config.py gives generate_feedback (GetGrades,
    which reads a gradebook, left out: its resources are given below)."""
    config = PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()
    feedback = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    exporter = feedback.exporter_class(parent=feedback, config=feedback.config)
    for preprocessor in feedback.preprocessors:
        if "GetGrades" not in str(preprocessor):
            exporter.register_preprocessor(preprocessor, enabled=True)
    return exporter


@pytest.fixture(scope="module")
def feedback_file(tmp_path_factory) -> Path:
    """Feedback HTML of a small notebook executed by a kernel with the inline backend."""
    from nbclient import NotebookClient

    nb = new_notebook(cells=[cell.copy() for cell in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute(env=env)
    resources = {
        "nbgrader": {"notebook": "cnn_layers", "score": 1, "max_score": 3, "late_penalty": 0}
    }
    html, _ = _exporter().from_notebook_node(nb, resources=resources)
    path = tmp_path_factory.mktemp("feedback") / "cnn_layers.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_feedback_renders_offline(feedback_file, page):
    """Math laid out, figure shown, long message wrapped, no request leaving the file."""
    requests = []

    def cut(route):
        if not route.request.url.startswith(("file:", "data:")):
            requests.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", cut)
    page.goto(feedback_file.as_uri())
    page.locator("math").first.wait_for()
    assert requests == []
    assert page.locator("script").count() == 0

    block = page.locator("math[display='block']")
    numerator, denominator = (block.locator("mfrac > *").nth(i).bounding_box() for i in range(2))
    assert numerator["y"] + numerator["height"] <= denominator["y"] + 1  # stacked: a fraction
    assert (
        block.bounding_box()["height"]
        > 1.5 * page.locator("math[display='inline']").bounding_box()["height"]
    )
    assert "\\frac" not in page.locator("body").inner_text()

    image = page.locator("img[src^='data:image/png']")
    assert image.count() == 1
    assert image.evaluate("img => img.complete && img.naturalWidth > 100")

    message = page.locator(".output_area pre", has_text="returned 110")
    box = message.evaluate(
        "e => ({scroll: e.scrollWidth, client: e.clientWidth, height: e.clientHeight,"
        " line: parseFloat(getComputedStyle(e).lineHeight) || 17})"
    )
    assert box["scroll"] <= box["client"] + 1, "the long message overflows its box"
    assert box["height"] > 2 * box["line"], "the long message should wrap onto several lines"
    assert page.console.problems() == []
