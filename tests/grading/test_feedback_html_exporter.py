"""The feedback HTML runs nothing a submission output or wrote (issue #11).

The hostile notebook goes through the preprocessors and exporter that
autograder/nbgrader_config.py gives ``nbgrader generate_feedback`` (GetGrades, which needs a
gradebook, replaced by the resources it would set); no kernel is needed.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

from course.grading.feedback_html_exporter import FeedbackHTMLExporter
from course.grading.sanitize_feedback import clean_html

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
            '<iframe src="https://evil.example"></iframe><svg onload="alert(3)"></svg>\n\n'
            "$\\text{<img src=x onerror=alert(9)>}$ $\\href{javascript:alert(10)}{x}$ "
            "$\\style{background:url(javascript:alert(11))}{y}$"
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
    assert "course.grading.sanitize_feedback.SanitizeFeedback" in feedback.preprocessors
    assert _exporter().sanitize_html


def test_no_script_at_all(feedback_html):
    """Is there no <script> in the feedback: none of the student's, and no MathJax either?"""
    soup = BeautifulSoup(feedback_html, "html.parser")
    assert _scripts(soup) == []
    assert _scripts(BeautifulSoup(_export([new_markdown_cell("hi $x$")]), "html.parser")) == []
    assert STUDENT_JS not in feedback_html


def test_no_handlers_javascript_urls_or_frames(feedback_html):
    """No on* attribute, javascript: URL, iframe, svg, style or widget from the student."""
    soup = BeautifulSoup(feedback_html, "html.parser")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            values = value if isinstance(value, list) else [value]
            for item in values:
                assert not str(item).strip().lower().startswith("javascript:"), tag
            if name in ("href", "style", "src"):
                assert "javascript" not in str(value).lower(), tag
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


# --- Offline: math as MathML, no CDN (issue #12)

MATH_MD = (
    "The output size is $$W_c = \\left\\lfloor \\frac{W - F + 2P}{S} \\right\\rfloor + 1$$ "
    "and the depth $D_c = K$.\n\n"
    "\\begin{align}a &= b\\end{align}\n\n"
    "Broken: $\\frac{1}{$ and raw: $\\text{a<b}$."
)


@pytest.fixture(scope="module")
def math_soup():
    return BeautifulSoup(_export([new_markdown_cell(MATH_MD)]), "html.parser")


def test_math_is_mathml(math_soup):
    """Are $$...$$, $...$ and LaTeX environments MathML, with the LaTeX kept as alttext?"""
    maths = math_soup.find_all("math")
    assert [m.get("display") for m in maths] == ["block", "inline", "block"]
    fraction = maths[0].find("mfrac")
    assert fraction is not None and "W" in fraction.get_text() and "S" in fraction.get_text()
    assert maths[0]["alttext"].startswith("W_c = \\left\\lfloor")
    assert maths[1].get_text() == "Dc=K"


def test_unconvertible_math_stays_readable_latex(math_soup):
    """Is a formula latex2mathml cannot convert, or would pass raw markup, left as LaTeX text?"""
    fallbacks = [code.get_text() for code in math_soup.select("code.tex")]
    assert fallbacks == ["$\\frac{1}{$", "$\\text{a<b}$"]


def test_nothing_loads_from_the_network(math_soup):
    """No script, stylesheet link or MathJax reference: the feedback opens offline."""
    assert math_soup.find_all("script") == [] and math_soup.find_all("link") == []
    assert "MathJax.Hub" not in str(math_soup) and "cdnjs" not in str(math_soup)
    remote = [t for t in math_soup.find_all(src=True) if "//" in t["src"].split(",")[0]]
    assert remote == []


def test_long_lines_wrap_in_their_box(math_soup):
    """Does the feedback's own style make output and error text wrap (pre-wrap)?"""
    styles = " ".join(style.get_text() for style in math_soup.find_all("style"))
    wrap = re.search(r"div\.output_area pre[^{]*\{[^}]*\}", styles)
    assert wrap is not None and "white-space: pre-wrap" in wrap.group(0)
    assert "overflow-wrap: anywhere" in wrap.group(0)


# --- Figures: the kernel's matplotlib backend decides whether graded notebooks have any

FIGURE_CELL = "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()"
#: What the grading kernel needs for inline figures: ipykernel's inline backend (the default
#: when MPLBACKEND is unset); "Agg" draws nowhere.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def _graded_figure_html(backend: str) -> str:
    from nbclient import NotebookClient

    nb = new_notebook(cells=[new_code_cell(FIGURE_CELL)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    env = {**os.environ, "MPLBACKEND": backend}
    NotebookClient(nb, timeout=60, kernel_name="python3").execute(env=env)
    return _export(nb.cells)


@pytest.mark.parametrize("backend, images", [(INLINE_BACKEND, 1), ("Agg", 0)])
def test_figure_cell_shows_an_image_once_graded(backend, images):
    """Does a figure cell executed by a kernel with the inline backend show an <img> in the
    feedback (and none with MPLBACKEND=Agg, the sandbox's old setting)?"""
    soup = BeautifulSoup(_graded_figure_html(backend), "html.parser")
    pngs = [img for img in soup.find_all("img") if img["src"].startswith("data:image/png;base64,")]
    assert len(pngs) == images
    if images:
        assert len(pngs[0]["src"]) > 1000  # a real plot, not an empty image
