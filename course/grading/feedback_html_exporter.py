"""The HTML feedback students receive: nbconvert's exporter, with nothing that runs or loads.

nbgrader's feedback template leaves rendered markdown raw even with nbconvert's
``sanitize_html``: ``FeedbackHTMLExporter`` cleans every fragment (``clean_html``, issue #11).
Feedback opens offline (issue #12): math in markdown is MathML, made at export by latex2mathml
and drawn by the browser itself, instead of nbconvert's MathJax from a CDN (no script at all);
a formula latex2mathml cannot convert stays as readable LaTeX. Long lines of output and error
messages wrap inside their box.
"""

from __future__ import annotations

import html
import re

from jinja2 import DictLoader, pass_context
from latex2mathml.converter import convert as latex_to_mathml
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from traitlets import Bool, default

from course.grading.sanitize_feedback import MATHML_TAGS, clean_html

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
