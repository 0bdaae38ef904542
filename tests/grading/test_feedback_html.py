"""The feedback HTML runs nothing a submission output or wrote (issue #11).

The hostile notebook goes through the preprocessors and exporter that
autograder/nbgrader_config.py gives ``nbgrader generate_feedback`` (GetGrades, which needs a
gradebook, replaced by the resources it would set); no kernel is needed.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

from course.grading.feedback import FeedbackHTMLExporter, clean_html

CONFIG = Path(__file__).resolve().parents[2] / "autograder" / "nbgrader_config.py"
# a 1x1 PNG
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000185d0b8260000000049454e44ae426082"
    )
).decode()
STUDENT_JS = "window.stolen = document.cookie"


def _exporter():
    config = PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()
    feedback = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    exporter = feedback.exporter_class(parent=feedback, config=feedback.config)
    for preprocessor in feedback.preprocessors:
        if "GetGrades" not in str(preprocessor):
            exporter.register_preprocessor(preprocessor, enabled=True)
    return exporter


def _export(cells):
    nb = new_notebook(cells=cells)
    nb.metadata["language_info"] = {"name": "python"}
    resources = {
        "nbgrader": {"notebook": "cnn_layers", "score": 1, "max_score": 3, "late_penalty": 0}
    }
    html, _ = _exporter().from_notebook_node(nb, resources=resources)
    return html


def _grade_cell(source, outputs):
    cell = new_code_cell(source, outputs=outputs)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "grade_id": "q1_tests",
        "points": 2,
        "score": 0,
        "schema_version": 3,
    }
    return cell


def _hostile_cells():
    return [
        new_markdown_cell(
            "# Answer\n\nIt is *fine* when a < b and b > c, $x<y$.\n\n"
            "```python\nif a<b and c>d:\n```\n\n"
            "<script>alert('md')</script>\n"
            '<img src="x" onerror="alert(\'md-img\')">\n'
            "[click](javascript:alert('md-link')) "
            '<a href="javascript:alert(1)" onclick="alert(2)">raw link</a>\n'
            '<iframe src="https://evil.example"></iframe><svg onload="alert(3)"></svg>'
        ),
        new_code_cell(
            "show()",
            outputs=[
                new_output(
                    "display_data",
                    data={
                        "text/html": (
                            "<b>table</b><script>alert(1)</script>"
                            '<img src=x onerror="alert(2)"><div onmouseover="alert(4)">d</div>'
                            '<a href="JaVaScRiPt:alert(5)">a</a><style>body{display:none}</style>'
                        ),
                        "text/plain": "<IPython.core.display.HTML object>",
                    },
                ),
                new_output("display_data", data={"application/javascript": STUDENT_JS}),
                new_output(
                    "display_data",
                    data={
                        "image/svg+xml": '<svg onload="alert(6)"><script>alert(7)</script></svg>',
                        "application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                        "text/markdown": "<script>alert('out-md')</script>\n\n**bold**",
                    },
                ),
                new_output(
                    "display_data",
                    data={"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"},
                    metadata={"image/png": {"width": "1 onerror=alert(8)", "height": 40}},
                ),
                new_output("stream", name="stdout", text="<script>alert('stdout')</script>\n"),
            ],
        ),
        _grade_cell(
            "check()\n### BEGIN HIDDEN TESTS\nassert secret\n### END HIDDEN TESTS\n",
            [
                new_output(
                    "error",
                    ename="AssertionError",
                    evalue="wrong\x1b[2K\x1b[1G<script>alert('evalue')</script>all passed",
                    traceback=["\x1b[31mTraceback\x1b[0m", "assert secret"],
                )
            ],
        ),
    ]


def _scripts(soup):
    return [str(script) for script in soup.find_all("script")]


@pytest.fixture(scope="module")
def feedback_html():
    return _export(_hostile_cells())


def test_config_uses_the_sanitising_exporter():
    """Does nbgrader_config.py give generate_feedback the cleaning preprocessor and exporter?"""
    config = PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()
    feedback = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    assert feedback.exporter_class is FeedbackHTMLExporter
    assert "course.grading.feedback.SanitizeFeedback" in feedback.preprocessors
    assert _exporter().sanitize_html


def test_no_student_script_runs(feedback_html):
    """Are the only <script> elements the template's own, the same as for a harmless notebook?"""
    soup = BeautifulSoup(feedback_html, "html.parser")
    template_scripts = _scripts(BeautifulSoup(_export([new_markdown_cell("hi")]), "html.parser"))
    assert template_scripts, "the feedback template's own scripts (MathJax) should be kept"
    assert _scripts(soup) == template_scripts
    assert STUDENT_JS not in feedback_html
    for fragment in ("alert(", "document.cookie"):
        for script in _scripts(soup):
            assert fragment not in script


def test_no_handlers_javascript_urls_or_frames(feedback_html):
    """No on* attribute, javascript: URL, iframe, svg, style or widget from the student."""
    soup = BeautifulSoup(feedback_html, "html.parser")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            values = value if isinstance(value, list) else [value]
            for item in values:
                assert not str(item).strip().lower().startswith("javascript:"), tag
        assert tag.name not in ("iframe", "svg", "object", "embed", "form"), tag
    body = soup.find("div", id="notebook-container")
    assert body is not None and not body.find_all("style")
    assert "body{display:none}" not in feedback_html
    assert "widget-view" not in feedback_html


def test_content_and_figures_survive(feedback_html):
    """The PNG (with a numeric width only), text, markdown and the error line stay visible."""
    soup = BeautifulSoup(feedback_html, "html.parser")
    pngs = [img for img in soup.find_all("img") if img.get("src", "").startswith("data:image/png")]
    assert len(pngs) == 1
    assert pngs[0]["src"] == f"data:image/png;base64,{PNG}"
    assert pngs[0].get("height") == "40" and "width" not in pngs[0].attrs
    text = soup.get_text()
    assert "Answer" in text and "when a < b and b > c" in text
    assert "if a<b and c>d:" in text
    assert soup.find("h1", id="Answer") is not None
    assert "table" in text and "raw link" in text
    assert soup.select_one(".output_markdown strong").get_text() == "bold"
    assert "<script>alert('stdout')</script>" in text  # shown escaped, as printed
    assert "AssertionError" in text and "all passed" in text
    assert "assert secret" not in feedback_html  # hidden tests stay hidden
    assert "\x1b" not in feedback_html


def test_clean_html_keeps_inert_markup():
    """Tables, emphasis, links and images are kept; scripts and their text are not."""
    html = (
        '<table><tr><td align="right">1</td></tr></table><em>e</em>'
        '<a href="https://example.org" title="t">l</a><img src="data:image/png;base64,AA" alt="a">'
        "<script>alert(1)</script><SCRIPT src=//evil.example></SCRIPT>"
        '<a href="data:text/html,&lt;script&gt;alert(2)&lt;/script&gt;">d</a>'
        '<a href=" javascript:alert(3)">j</a><p onclick="alert(4)">p</p>'
    )
    cleaned = clean_html(html)
    assert "<script" not in cleaned.lower() and "alert" not in cleaned
    assert "<a>d</a>" in cleaned and "<a>j</a>" in cleaned and "<p>p</p>" in cleaned
    for kept in ('<td align="right">1</td>', "<em>e</em>", 'href="https://example.org"', "<img"):
        assert kept in cleaned
