"""Nothing a student controls is active in the autograded notebook or in the pages rendered from it:
a hostile submission goes through ``autograded_notebook`` and is rendered as nbgrader renders it."""
import base64
import os
import re
from html.parser import HTMLParser

import nbformat
import numpy as np
import pytest
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output, new_raw_cell
from support import ROOT
from traitlets.config.loader import PyFileConfigLoader

from ddsp_course.grade.record import autograded_notebook
from ddsp_course.grade.score import CaseResult

A = "ps01_pytorch_basics"
RELEASE = os.path.join(ROOT, "release", A, f"{A}.ipynb")
REMOTE = "remote.example"
PWN = "window.__pwned=1"
SVG = f'<svg xmlns="http://www.w3.org/2000/svg" onload="{PWN}"><script>{PWN}</script></svg>'
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()
HOSTILE_MARKDOWN = "\n\n".join([
    "# My answer", f"<script>{PWN}</script>", f'<img src=x onerror="{PWN}">',
    f'<iframe src="http://{REMOTE}/frame"></iframe>', f'<form action="http://{REMOTE}/f"><input name=a></form>',
    f"[a](javascript:{PWN})", f"![](http://{REMOTE}/md.png)", f'<a href="http://{REMOTE}/a">a</a>', SVG,
    f'<object data="http://{REMOTE}/o"></object><embed src="http://{REMOTE}/e">',
    f"<style>body {{ background: url(http://{REMOTE}/bg.png) }}</style>",
    f'<link rel="stylesheet" href="http://{REMOTE}/s.css"><base href="http://{REMOTE}/">',
    f'<img src="//{REMOTE}/protocol-relative.png"><a href="data:text/html,<script>{PWN}</script>">d</a>',
    f"<div>\n\n[b](javascript:{PWN}) ![](https://{REMOTE}/after-blank-line.png)\n\n</div>",
    "![ok](attachment:ok.png) ![bad](attachment:bad.svg)",
    "The answer is $x^2$, **bold**."])
ENAME = f"[x](http://{REMOTE}/ename)\n\n![](http://{REMOTE}/ename.png)<script>{PWN}</script>"


def _nested(depth: int) -> dict:
    node: dict = {}
    for _ in range(depth):
        node = {"a": node}
    return node


def hostile_notebook(depth: int = 5000) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode, int]:
    """The release, and a submission that tries everything (metadata nested ``depth`` deep); the
    index of its cell that raised."""
    release = nbformat.read(RELEASE, as_version=4)
    nb = nbformat.read(RELEASE, as_version=4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "derivative_at")
    answer.source = "def derivative_at(f, x0):\n    return 0.0\n"
    answer.execution_count = 3
    answer.outputs = [
        new_output("display_data", data={"text/html": f"<script>{PWN}</script><img src=x onerror='{PWN}'>"}),
        new_output("display_data", data={"application/javascript": PWN}),
        new_output("display_data", data={"image/svg+xml": SVG}),
        new_output("execute_result", data={"text/markdown": f"[m](javascript:{PWN})"}, execution_count=3)]
    dict.__setitem__(answer.metadata, "deep", _nested(depth))  # as json.load leaves it: no NotebookNode
    answer.metadata["tags"] = ["fine", "x" * 1000]
    markdown = new_markdown_cell(HOSTILE_MARKDOWN, attachments={
        "ok.png": {"image/png": PNG}, "bad.svg": {"image/svg+xml": base64.b64encode(SVG.encode()).decode()}})
    raw = new_raw_cell(f"<script>{PWN}</script><img src='http://{REMOTE}/raw.png'>",
                       metadata={"raw_mimetype": "text/html"})
    raised = new_code_cell("raise Exception()", execution_count=4, outputs=[
        new_output("display_data", data={"text/html": f"<img src='http://{REMOTE}/out.png'>"})])
    nb.cells[1:1] = [markdown, raw, raised]
    dict.__setitem__(nb.metadata, "deep", _nested(depth))
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {},
                                                                           "x": f"</script><script>{PWN}"}}
    return release, nb, 3


def hostile_autograded() -> nbformat.NotebookNode:
    release, nb, raised = hostile_notebook()
    verdict = CaseResult("k1", "test_derivative_at", f"derivative'><img src=x onerror='{PWN}'>", 1.0, 0.0,
                         f"<script>{PWN}</script> [m](http://{REMOTE}/msg) $\\href{{javascript:{PWN}}}{{x}}$", True,
                         (np.zeros(4), np.ones(4), f"value'><img src=x onerror='{PWN}'>", "auto"))
    events = {f"cell{raised}": {"status": "error", "ename": ENAME, "evalue": f"<img src=x onerror='{PWN}'>"}}
    notes = [f"your cell starting '![](http://{REMOTE}/note.png) <script>{PWN}</script>' raised {ENAME}."]
    return autograded_notebook(release, nb, [verdict], events, notes)


class Page(HTMLParser):
    """Every element of a page: its tag and attributes, the text of its scripts, and its visible text."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in = tag if tag in ("script", "style") else None
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "")

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in is None:
            self.text.append(data)

    def handle_endtag(self, tag):
        self._in = None

    def urls(self, links: bool = True) -> set[str]:
        """Every URL of the page (``links``: with the targets of ``<a href>``, which only a click follows)."""
        return {v.strip() for tag, attrs in self.elements for k, v in attrs.items()
                if k in ("href", "src", "action", "data", "formaction", "xlink:href", "poster", "background")
                and (links or (tag, k) != ("a", "href"))}


def render(nb, config=None) -> Page:
    """The notebook as nbgrader's pages show it (its templates extend nbconvert's classic one)."""
    exporter = HTMLExporter(config=config) if config is not None else HTMLExporter(template_name="classic")
    return Page(exporter.from_notebook_node(nb)[0])


def assert_inactive(page: Page, baseline: Page, links: bool = True) -> None:
    """No script, handler, frame, form or plugin beyond the template's own; no script URL; no data URL
    but raster images; no URL to a remote host that the clean release did not have (the template's
    MathJax, the teaching text's links). Unless ``links``, links and SVG images (the exporter's own
    encoding of SVG outputs) are let be: neither loads nor runs anything."""
    template_scripts = set(re.sub(r"[0-9a-f-]{36}", "", s) for s in baseline.scripts)
    extra = [s for s in page.scripts if re.sub(r"[0-9a-f-]{36}", "", s) not in template_scripts]
    assert not extra, f"scripts that the template does not have: {extra}"
    handlers = [(tag, k) for tag, attrs in page.elements for k in attrs if k.startswith("on")]
    assert not handlers, handlers
    active = {"iframe", "frame", "form", "input", "button", "object", "embed", "svg", "base", "link", "meta", "style"}
    counts = {t: sum(tag == t for tag, _ in baseline.elements) for t in active}
    assert all(sum(tag == t for tag, _ in page.elements) <= counts[t] for t in active), \
        [tag for tag, _ in page.elements if tag in active]
    for url in page.urls(links):
        assert not re.match(r"(?i)\s*(javascript|vbscript):", url), url
        images = "png|jpeg|gif" + ("" if links else r"|svg\+xml")
        assert not url.lower().startswith("data:") or re.match(f"data:image/({images});base64,", url), url[:80]
        if re.match(r"(?i)\s*(https?:)?//", url):
            assert url in baseline.urls(), f"a remote URL the release did not have: {url}"
    assert not [v for tag, attrs in page.elements for k, v in attrs.items() if k not in ("alt", "title")
                and (links or (tag, k) != ("a", "href")) and (REMOTE in v or "__pwned" in v)], "only as text"


@pytest.fixture(scope="module")
def graded():
    return hostile_autograded()


def test_rendered_autograded_notebook_has_nothing_active(graded):
    release = nbformat.read(RELEASE, as_version=4)
    page = render(graded)
    assert_inactive(page, render(release))
    text = "".join(page.text)
    assert "Problem set 1: PyTorch basics" in text and "Tensors: values, dtype and shape" in text, "teaching text"
    assert "My answer" in text and "bold" in text, "the student's own text is still shown"
    assert f"[x](http://{REMOTE}/ename)" in text, "a name from student code is shown as written, not as a link"
    assert f"![](http://{REMOTE}/note.png)" in text, "grading notes are text"
    tables = [attrs for tag, attrs in page.elements if tag == "table"]
    assert len(tables) >= 2, "the summary and the verdict table survive"
    figures = [attrs["src"] for tag, attrs in page.elements if tag == "img" and attrs.get("src", "").startswith(
        "data:image/png;base64,")]
    assert len(figures) >= 2, "the comparison figure and the student's PNG attachment survive"


def test_only_the_graders_outputs_and_whitelisted_metadata(graded):
    release = nbformat.read(RELEASE, as_version=4)
    assert set(graded.metadata) <= set(release.metadata)
    for cell in graded.cells:
        assert set(cell.metadata) <= {"nbgrader", "tags", "deletable", "editable"}, cell.metadata.keys()
        assert set(cell.metadata.get("tags", [])) <= {"fine"}, "short tags only"
        assert cell.cell_type != "raw" and not cell.get("attachments")
        if cell.cell_type == "code":
            assert cell.execution_count is None
            for output in cell.outputs:
                assert output.output_type == "error" or set(output.data) == {"text/html", "text/plain"}
    nbformat.validate(graded)
    HTMLExporter(template_name="classic").from_notebook_node(graded)  # no RecursionError


def test_student_markdown_renders_to_exactly_its_stored_html(graded):
    """The sanitised cells are one HTML block: markdown cannot turn any of their text into a link again."""
    release = {c.source for c in nbformat.read(RELEASE, as_version=4).cells}
    students = [c.source for c in graded.cells if c.cell_type == "markdown" and c.source not in release]
    assert len(students) >= 3, "the hostile markdown, the raw cell and the grading notes"
    for source in students:
        assert markdown2html_mistune(source).strip() == source.strip()


def test_configured_exporter_sanitises_even_an_unsanitised_notebook():
    """Defence in depth: nbgrader_config.py's HTMLExporter cleans what reaches it, and the grader's
    tables (styled) and figures (PNG data URIs) survive that cleaning."""
    config = PyFileConfigLoader("nbgrader_config.py", path=ROOT).load_config()
    config.HTMLExporter.template_name = "classic"
    release, nb, _ = hostile_notebook(depth=10)
    nb.metadata = release.metadata  # widget state loads the template's widget script: only the source can drop it
    graded = hostile_autograded()
    nb.cells.insert(0, graded.cells[0])  # the summary table
    verdict = next(c for c in graded.cells if c.get("outputs") and c.outputs[0].output_type != "error")
    nb.cells.append(nbformat.from_dict(dict(verdict, id="verdict")))
    page = render(nb, config)
    assert_inactive(page, render(release, config), links=False)  # teaching text may link to the web
    assert [attrs for tag, attrs in page.elements if tag == "th"], "table headers survive"
    assert [a for tag, a in page.elements if tag == "td" and "border" in a.get("style", "")], "table styles survive"
    assert [a for tag, a in page.elements if tag == "img" and a.get("src", "").startswith("data:image/png;base64,")]
