"""Keep hidden tests out of the feedback students receive (nbgrader issue #917).

nbgrader renders the autograded notebook as feedback, grade cells included with
their hidden tests, and IPython tracebacks quote their source. This
preprocessor, run by ``nbgrader generate_feedback``, cuts the hidden region out
of every grade cell and reduces each error to its last line.

Nothing a submission outputs or writes may run in the browser of whoever opens its
feedback (issue #11): ``SanitizeFeedback`` drops javascript and other active outputs and
cleans HTML ones, and ``FeedbackHTMLExporter`` cleans every rendered markdown fragment,
which nbgrader's feedback template leaves raw even with nbconvert's ``sanitize_html``.

Feedback opens offline (issue #12): math in markdown is MathML, made at export by
latex2mathml and drawn by the browser itself, instead of nbconvert's MathJax from a CDN (no
script at all); a formula latex2mathml cannot convert stays as readable LaTeX. Long lines of
output and error messages wrap inside their box.
"""

from __future__ import annotations

import html
import re

import bleach
from jinja2 import DictLoader, pass_context
from latex2mathml.converter import convert as latex_to_mathml
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, default

from course.cells import is_grade_cell

_HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*$", re.S | re.M)
_ADDED = re.compile(r"\n# --- added by the course's grader.*", re.S)
HIDDEN_NOTE = "# (hidden tests ran here: not shown)"


def hide_hidden_tests(source: str) -> str:
    """``source`` with each hidden-test region (and the grader's additions) replaced by a note."""
    return _ADDED.sub("", _HIDDEN.sub(HIDDEN_NOTE, source))


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests from grade cells and tracebacks from their errors."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        if is_grade_cell(cell):
            cell.source = hide_hidden_tests(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename')}: {output.get('evalue')}"]
        return cell, resources


# --- Sanitising: nothing a submission outputs runs in the browser of whoever opens the feedback.

#: Output mimetypes shown as they are: text is escaped by the template, images are data URIs.
SAFE_OUTPUT_TYPES = frozenset({"text/plain", "text/latex", "image/png", "image/jpeg", "image/gif"})
#: Output mimetypes kept: HTML is cleaned here, markdown once rendered (FeedbackHTMLExporter);
#: any other one (javascript, widgets, svg, pdf, json, vendor types) is dropped.
CLEANED_OUTPUT_TYPES = frozenset({"text/html", "text/markdown"})
_TAGS = frozenset(
    [*bleach.ALLOWED_TAGS, "div", "pre", "code", "span", "table", "thead", "tbody", "tr", "th"]
    + ["td", "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "img", "sub", "sup", "del"]
)


def _link_attribute(tag: str, name: str, value: str) -> bool:
    """Links may go to the web or mail, not to a data: document (images may be data: URIs)."""
    if name == "href":
        return not value.strip().lower().startswith("data:")
    return name in ("title", "class", "id")


_ATTRIBUTES = {
    **bleach.ALLOWED_ATTRIBUTES,
    "*": ["class", "id", "title"],
    "a": _link_attribute,
    "img": ["src", "alt", "width", "height"],
    "th": ["align", "colspan", "rowspan"],
    "td": ["align", "colspan", "rowspan"],
}
_PROTOCOLS = frozenset({"http", "https", "mailto", "data"})
# bleach strips a <script> tag but keeps its text: the code goes first, with its tags
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)


#: Presentation MathML as latex2mathml writes it (no links, no annotation-xml, no mglyph).
MATHML_TAGS = frozenset(
    ["math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup"]
    + ["mfrac", "msqrt", "mroot", "mstyle", "mover", "munder", "munderover", "mtable", "mtr"]
    + ["mtd", "mpadded", "mphantom", "menclose", "semantics", "annotation"]
)
_MATHML_ATTRIBUTES = [
    *("display", "xmlns", "alttext", "mathvariant", "mathsize", "mathcolor", "stretchy"),
    *("fence", "form", "separator", "accent", "accentunder", "largeop", "movablelimits"),
    *("symmetric", "minsize", "maxsize", "lspace", "rspace", "width", "height", "depth"),
    *("linethickness", "displaystyle", "scriptlevel", "columnalign", "rowalign"),
    *("columnspacing", "rowspacing", "columnlines", "rowlines", "frame", "notation"),
    *("encoding",),
]
_MATH_ATTRIBUTES = {
    **_ATTRIBUTES,
    **{tag: ["class", "id", "title", *_MATHML_ATTRIBUTES] for tag in MATHML_TAGS},
}


def clean_html(html: str, mathml: bool = False) -> str:
    """``html`` with only inert markup left: no scripts, styles, frames, forms, ``on*`` handlers
    or ``javascript:`` URLs (a tag not allowed is removed, its text kept, escaped).

    mathml: also keep presentation MathML (the formulas of rendered markdown)."""
    return bleach.clean(
        _SCRIPT_OR_STYLE.sub("", str(html)),
        tags=_TAGS | MATHML_TAGS if mathml else _TAGS,
        attributes=_MATH_ATTRIBUTES if mathml else _ATTRIBUTES,
        protocols=_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


# --- Math without a CDN: LaTeX -> MathML at export time, rendered by the browser.

_MATHML_NAMES = "|".join(sorted(MATHML_TAGS))
_MATHML_TAG = re.compile(rf"</?({_MATHML_NAMES})(\s+[a-z]+=\"[^\"<>]*\")*\s*/?>")


def tex_to_mathml(tex: str, display: bool = False) -> str:
    """MathML for one LaTeX formula; the LaTeX itself, escaped in a ``<code class="tex">``,
    when latex2mathml cannot convert it or would pass raw markup through (``\\text{<b>}``)."""
    delimiter = "$$" if display else "$"
    fallback = f'<code class="tex">{html.escape(delimiter + tex + delimiter)}</code>'
    try:
        mathml = latex_to_mathml(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises its own errors, and others, on bad input
        return fallback
    if re.search(r"[<>]", _MATHML_TAG.sub("", mathml)):
        return fallback
    return mathml.replace("<math ", f'<math alttext="{html.escape(tex.strip())}" ', 1)


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer with ``$...$``, ``$$...$$`` and LaTeX environments as
    MathML instead of text left for MathJax."""

    def block_math(self, body: str) -> str:
        return tex_to_mathml(body, display=True)

    def inline_math(self, body: str) -> str:
        return tex_to_mathml(body, display=False)

    def latex_environment(self, name: str, body: str) -> str:
        return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)


#: Replaces nbconvert's ``mathjax()`` macro (a CDN script) in the feedback template's head:
#: no script, styles for the MathML and for long lines.
FEEDBACK_HEAD = """{%- macro mathjax(url=None) -%}
<style type="text/css">
/* course: math is MathML (no MathJax, no network); long lines wrap in their box */
math { font-size: 1.15em; }
math[display="block"] { display: block; margin: 0.6em 0; overflow-x: auto; }
code.tex { white-space: pre-wrap; }
div.output_area pre, div.output_subarea pre, div.output_text pre, .rendered_html pre {
    white-space: pre-wrap; overflow-wrap: anywhere; word-break: normal;
}
div.output_subarea, div.text_cell_render { overflow-wrap: anywhere; min-width: 0; }
</style>
{%- endmacro %}"""


def _dimension(value) -> int | None:
    try:
        return max(0, int(float(value)))
    except (TypeError, ValueError):
        return None


def sanitize_outputs(outputs: list) -> list:
    """Code-cell ``outputs`` that cannot execute anything (see the module's feedback exporter)."""
    kept = []
    for output in outputs:
        kind = output.get("output_type")
        if kind in ("stream", "error"):
            kept.append(output)  # text: escaped by the template's ansi2html
            continue
        if kind not in ("display_data", "execute_result"):
            continue
        data = output.get("data", {})
        for key in list(data):
            if key == "text/html":
                value = data[key]
                data[key] = clean_html("".join(value) if isinstance(value, list) else value)
            elif key not in SAFE_OUTPUT_TYPES | CLEANED_OUTPUT_TYPES:
                del data[key]
        # the template writes width/height unquoted into <img>: keep numbers only
        metadata = {}
        for key, value in output.get("metadata", {}).items():
            if key in SAFE_OUTPUT_TYPES and isinstance(value, dict):
                sizes = {k: _dimension(value.get(k)) for k in ("width", "height")}
                sizes = {k: v for k, v in sizes.items() if v is not None}
                if sizes:
                    metadata[key] = sizes
        output["metadata"] = metadata
        if data:
            kept.append(output)
    return kept


class SanitizeFeedback(NbGraderPreprocessor):
    """Strip script-capable outputs and metadata from every cell rendered as feedback.

    Markdown cells are cleaned after rendering, by FeedbackHTMLExporter (cleaning markdown
    source would mangle ``<`` and ``>`` in text and math)."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int):
        if cell.cell_type == "code":
            cell.outputs = sanitize_outputs(cell.get("outputs", []))
        elif cell.cell_type == "raw":
            cell.source = clean_html(cell.source)
        # cell ids and tags are escaped by nbconvert's templates
        return cell, resources


class FeedbackHTMLExporter(HTMLExporter):
    """nbconvert's HTML exporter with every rendered markdown fragment cleaned.

    nbgrader's feedback template renders markdown cells (and instructor comments) without the
    ``clean_html`` that ``sanitize_html`` adds to nbconvert's own templates, so the cleaning is
    done in the ``markdown2html`` filter itself. The template's ``clean_html`` filter is this
    module's too: nbconvert's escapes paragraphs, headings and images. Math is MathML
    (``MathMLRenderer``) and the template's MathJax script is replaced by ``FEEDBACK_HEAD``:
    the feedback has no script and loads nothing from the network."""

    sanitize_html = Bool(True, help="Sanitize HTML in outputs (nbconvert's templates).").tag(
        config=True
    )

    @default("extra_loaders")
    def _extra_loaders_default(self):
        return [DictLoader({"mathjax.html.j2": FEEDBACK_HEAD})]

    def default_filters(self):
        yield from super().default_filters()
        yield ("clean_html", clean_html)

    @pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell", {})
        renderer = MathMLRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        return clean_html(MarkdownWithMath(renderer=renderer).render(source), mathml=True)
