"""What a submission may show the instructor and the student: text and pictures, nothing active.

Student markdown is rendered as nbconvert renders it, cleaned with nh3 (no scripts, handlers, frames,
forms, SVG, styles, or URLs but in-page links and raster data images) and stored as one line of HTML:
a markdown renderer passes such an HTML block through unchanged, so no text in it becomes a link
again. Text from student code is escaped for HTML, markdown and MathJax alike. ``clean_html`` is the
exporters' own filter (nbgrader_config.py): the same cleaning, wide enough for the teaching text and
the grader's tables and figures.
"""
from __future__ import annotations

import html
import re

import nh3
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

RASTER = ("image/png", "image/jpeg", "image/gif")
_RASTER_URI = re.compile(r"data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*\Z")
_RELATIVE = re.compile(r"[A-Za-z0-9_.~%-][^:\\]*\Z")  # a path in the course: no scheme, host or backslash
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tabs and newlines stay

TEXT_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
             "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
             "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
             "tfoot", "th", "thead", "tr", "u", "ul", "var"}
CELLS = {"colspan", "rowspan", "align"}
STYLES = {"border", "border-collapse", "padding", "margin", "text-align", "vertical-align", "color",
          "max-width", "width", "height", "font-weight", "font-style"}


class _Renderer(IPythonRenderer):
    """nbconvert's renderer, but an attachment is a raster image or nothing (never an error)."""

    def _embed_image_or_attachment(self, src: str) -> str:
        if not src.startswith("attachment:"):
            return src
        bundle = self.attachments.get(src[len("attachment:"):], {})
        mime = next((m for m in RASTER if isinstance(bundle, dict) and isinstance(bundle.get(m), str)), None)
        return f"data:{mime};base64,{bundle[mime]}" if mime else ""


def _student_url(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if value.startswith("#") else None
    if attribute == "src":
        return value if tag == "img" and _RASTER_URI.match(value) else None
    return value


def _page_url(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if re.match(r"(#|https?://|mailto:)", value) or _RELATIVE.match(value) else None
    if attribute == "src":
        return value if tag == "img" and (_RASTER_URI.match(value) or _RELATIVE.match(value)) else None
    return value


_STUDENT = nh3.Cleaner(
    tags=TEXT_TAGS, clean_content_tags={"script", "style"}, url_schemes={"data"},
    attributes={"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}, "td": CELLS, "th": CELLS,
                "ol": {"start"}, "abbr": {"title"}},
    attribute_filter=_student_url)
_PAGE = nh3.Cleaner(
    tags=TEXT_TAGS | {"figure", "figcaption", "col", "colgroup"}, clean_content_tags={"script", "style"},
    url_schemes={"data", "http", "https", "mailto"}, filter_style_properties=STYLES,
    attributes={"*": {"class", "id", "title", "style"}, "a": {"href"}, "img": {"src", "alt", "width", "height"},
                "td": CELLS, "th": CELLS, "ol": {"start"}},
    attribute_filter=_page_url)


def plain(text: object) -> str:
    """``text`` as HTML that shows it as written: escaped, on one line (a blank line would end an HTML
    block and let markdown read the rest), dollars and backslashes as entities (no math)."""
    escaped = html.escape(_CONTROL.sub("", str(text)))
    return escaped.replace("\n", "&#10;").replace("$", "&#36;").replace("\\", "&#92;")


def plain_text(text: object) -> str:
    """``text`` without control characters (terminal escapes), for text outputs such as tracebacks."""
    return _CONTROL.sub("", str(text))


def html_block(body: str, maths: bool = False) -> str:
    """A markdown cell's source that renders to exactly ``body`` (clean HTML): one ``div`` on one
    line. Unless ``maths``, MathJax leaves it alone (``tex2jax_ignore``)."""
    one_line = re.sub(r"\r?\n", "&#10;", body)
    return f'<div class="{"tex2jax_process" if maths else "tex2jax_ignore"}">{one_line}</div>'


def markdown_cell_source(source: str, attachments: dict | None) -> str:
    """Student markdown, rendered as nbconvert would (raster attachments inline), cleaned, as a block."""
    renderer = _Renderer(escape=False, attachments=attachments if isinstance(attachments, dict) else {},
                         exclude_anchor_links=True)
    return html_block(_STUDENT.clean(MarkdownWithMath(renderer=renderer).render(source)), maths=True)


def clean_html(element) -> str:
    """nbconvert's ``clean_html`` filter with nh3: no scripts, handlers, frames or remote images."""
    return _PAGE.clean(element.decode() if isinstance(element, bytes) else str(element))
