"""Nothing a submission outputs or writes runs in the browser of whoever opens its feedback.

``SanitizeFeedback``, run by ``nbgrader generate_feedback`` (issue #11), drops javascript and
other active outputs and cleans HTML ones with ``clean_html``, which
``course.grading.feedback_html_exporter`` also applies to every rendered markdown fragment.
"""

from __future__ import annotations

import re

import bleach
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

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
