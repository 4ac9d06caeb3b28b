"""The class insight report (issue 20): the analysis on synthetic classes, similarity on planted
copies and independent solutions, and the page of a class graded for real, rendered in Chromium."""
import html
import os
import re
import shutil

import numpy as np
import pytest
from support import answers, variants, write_submission

from ddsp_course.report import analysis
from ddsp_course.report.analysis import Student
from ddsp_course.report.similarity import similar_pairs

A = "ps01_pytorch_basics"
EVIL = "<img src=x onerror=alert(1)>"  # a student id (an empty submission: the template as released)


def _case(key, cell, passed, points=1.0, message="off by 0.5 (tolerance 1e-05).", status=None):
    return {"key": key, "cell": cell, "name": key, "points": points, "score": points if passed else 0.0,
            "message": "passed" if passed else message, "visible": False,
            "status": status or ("passed" if passed else "failed")}


def synthetic_class(n=40, seed=0):
    """``n`` students of increasing ability on ten ordinary cases, plus a case nobody passes and one only
    the weakest pass (an inverted, wrong test)."""
    rng = np.random.default_rng(seed)
    students = []
    for i in range(n):
        ability = i / (n - 1)
        results = [_case(f"ordinary_{k}", f"test_f{k % 3}", rng.random() < 0.15 + 0.8 * ability) for k in range(10)]
        results.append(_case("impossible", "test_f0", False, message="expected a float, got 3 floats"))
        results.append(_case("inverted", "test_f1", ability < 0.4))
        score = sum(r["score"] for r in results)
        students.append(Student(f"s{i:02d}", score, len(results), results))
    return students


def test_item_analysis_flags_a_case_nobody_passes_and_one_whose_pass_rate_is_inverted():
    items = {i.key: i for i in analysis.items(synthetic_class())}
    assert items["impossible"].pass_rate == 0 and "nobody passes" in items["impossible"].warnings
    assert items["impossible"].discrimination is None  # undefined, not a number that looks meaningful
    inverted = items["inverted"]
    assert inverted.discrimination < analysis.NEGATIVE
    assert any("negative discrimination" in w for w in inverted.warnings)
    ordinary = [i for k, i in items.items() if k.startswith("ordinary")]
    assert all(i.discrimination > 0 for i in ordinary)
    assert not any("negative" in w for i in ordinary for w in i.warnings)
    order = [i.pass_rate for i in analysis.items(synthetic_class())]
    assert order == sorted(order)  # hardest first


def test_point_biserial_matches_its_formula_and_everybody_passing_is_flagged():
    rng = np.random.default_rng(1)
    passed, rest = rng.random(50) < 0.5, rng.normal(size=50)
    p, m1, m0 = passed.mean(), rest[passed].mean(), rest[~passed].mean()
    assert analysis.point_biserial(passed, rest) == pytest.approx((m1 - m0) / rest.std() * np.sqrt(p * (1 - p)))
    assert analysis.point_biserial([True, True], [1.0, 2.0]) is None
    students = [Student(f"s{i}", 1 + i % 2, 2, [_case("easy", "test_f", True), _case("other", "test_f", i % 2)])
                for i in range(6)]
    easy = next(i for i in analysis.items(students) if i.key == "easy")
    assert easy.warnings == ["everybody passes"]


def test_failures_are_counted_per_function_with_numbers_folded_and_outcomes_named():
    students = synthetic_class(10)
    students[0].flags, students[0].kinds = ["timed out"], ["timeout"]
    students[1].kinds = ["tampering"]
    students[2].results[0]["status"] = "crashed"
    fails = analysis.failures(students)
    f0 = fails["f0"]
    assert f0[0]["count"] == 10 and f0[0]["pattern"] == "expected a float, got # floats"
    assert fails["f1"][0]["pattern"] == "off by # (tolerance #)."
    assert sorted(fails["f1"][0]["students"]) == fails["f1"][0]["students"]
    outs = analysis.outcomes(students)
    assert outs["timeouts"] == ["s00"] and outs["tampering"] == ["s01"] and outs["crashes"] == ["s02"]
    assert outs["late"] is None  # no due date known: not reported
    students[3].late, students[4].late = True, False
    assert analysis.outcomes(students)["late"] == ["s03"]


# ------------------------------------------------------------------ similarity
def near_copy(sources: dict[str, str]) -> dict[str, str]:
    """Another student's answers disguised: variables renamed, comments and docstrings changed, the
    functions of two cells swapped and, in fit_line's cell, the function put before the class."""
    renames = {"history": "trace", "optimizer": "opt", "model": "net", "loss": "err", r"\bx\b": "t", r"\by\b": "u"}
    out = {}
    for grade_id, source in sources.items():
        source = re.sub(r'"""(.|\n)*?"""', '"""My own work."""', source)
        source = re.sub(r"#.*", "# note to self", source)
        for old, new in renames.items():
            source = re.sub(old, new, source)
        out[grade_id] = source
    ids = list(out)
    out[ids[0]], out[ids[1]] = out[ids[1]], out[ids[0]]  # each cell runs before any test
    cls, _, fn = out[ids[2]].partition("\n\ndef fit_line")
    out[ids[2]] = "def fit_line" + fn + "\n\n\n" + cls
    return out


def alternatives(i: int) -> dict[str, str]:
    """Answers written independently of the master's: the corpus's ``i``-th valid alternative of each."""
    master = answers(A)
    return {grade_id: "import torch\nfrom torch import nn\n\n" + list(variants(A)[fn]["alt"].values())[i]
            for grade_id, fn in zip(master, ["derivative_at", "gradient_descent", "fit_line"])}


def _doc(sources):
    return "\n\n".join(sources.values())


def test_a_near_copy_is_flagged_and_independent_solutions_are_not():
    from ddsp_course.course import Course
    from ddsp_course.report.similarity import template_of
    from support import ROOT

    docs = {"alice": _doc(answers(A)), "bob": _doc(near_copy(answers(A))), "carol": _doc(alternatives(0)),
            "dave": _doc(alternatives(1))}
    pairs = similar_pairs(docs, template_of(Course(ROOT), A), threshold=0.6)
    assert [(p.a, p.b) for p in pairs] == [("alice", "bob")]
    assert min(pairs[0].similarity) > 0.8
    assert "<mark>" in pairs[0].marked[0] and "<mark>" in pairs[0].marked[1]


def test_the_template_is_boilerplate_and_a_passage_in_most_of_the_class_is_not_evidence():
    template = "def f(a):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n" * 3
    body = ("    total = 0\n    for item in range(a):\n        total = total + item * item - 3 * item\n"
            "    values = [total, total + 1, total * 2]\n    return sorted(values)[1] / (1 + len(values))\n")
    docs = {f"s{i}": template + f"def g{i}(a):\n" + body for i in range(12)}
    assert similar_pairs(docs, template, threshold=0.5) == []  # everyone: an idiom, and the rest is template
    assert similar_pairs({"a": template, "b": template}, template) == []


# ------------------------------------------------------------------ the page, from a class graded for real
@pytest.fixture
def graded_class(course, tmp_path):
    from ddsp_course.grade import grade
    from ddsp_course.grade.processes.bwrap import sandbox_available
    from ddsp_course.grade.processes.limits import Limits

    subs = str(tmp_path / "subs")
    master = answers(A)
    wrong = dict(zip(master, [  # an honest student who got it wrong, differently from everyone
        "def derivative_at(f, x0):\n    return float(f(torch.as_tensor(x0)))\n",
        "def gradient_descent(f, x0, lr, n_iter):\n    return [float(x0)] * n_iter\n",
        "import torch\nfrom torch import nn\n\nclass Line(nn.Module):\n    pass\n\n\n"
        "def fit_line(x, y, n_iter, lr):\n    return 0.0, 0.0\n"]))
    classroom = {"alice": master, "bob": near_copy(master), "carol": alternatives(0), "dave": alternatives(1),
                 "erin": wrong, EVIL: {}}
    for student, sources in classroom.items():
        write_submission(course, A, subs, student, sources)
    grade(course, A, subs, limits=Limits(cell_timeout=20, sandbox=sandbox_available()), progress=False)
    return course, subs


def test_the_report_of_a_graded_class_renders_in_chromium_and_leaks_no_hidden_test(graded_class, capsys):
    from playwright.sync_api import sync_playwright

    from ddsp_course.cli import main

    course, subs = graded_class
    assert main(["--course", course.root, "report", A, "--submissions", subs]) == 0
    out = capsys.readouterr().out
    assert "alice ~ bob" in out and f"reports/{A}.html" in out
    page_html = open(course.path("reports", f"{A}.html"), encoding="utf-8").read()
    similar = page_html.split('id=similarity>', 1)[1]
    assert "<td>alice</td><td>bob</td>" in similar
    for other in ("carol", "dave", "erin"):
        assert f"<td>{other}</td>" not in similar.split("</table>")[0]
    assert EVIL not in page_html and html.escape(EVIL) in page_html  # an id is text, never markup
    # nothing of the hidden cases' source beyond case names, nor the values they compare with
    hidden = open(course.path("source", A, "hidden_cases.py"), encoding="utf-8").read()
    for line in (line.strip() for line in hidden.splitlines()):
        if len(line) >= 24 and not line.startswith(("@CASES.case", "#")):
            assert line not in page_html, line
    for word in ("least_squares", "quadratic_closed_form", "descent_oracle", "polynomial_derivative", "oracle"):
        assert word not in page_html
    assert main(["--course", course.root, "report", "--no-similarity"]) == 0
    assert os.path.isfile(course.path("reports", "course.html"))

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    shots = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "test-output", "report")
    os.makedirs(shots, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            for name, width in ((A, 1200), (A, 380), ("course", 380)):
                tab = browser.new_page(viewport={"width": width, "height": 900})
                requests = []
                tab.on("request", lambda r: requests.append(r.url))
                tab.goto("file://" + course.path("reports", f"{name}.html"))
                sizes = tab.eval_on_selector_all(
                    "img", "els => els.map(e => [e.naturalWidth, e.naturalHeight, e.getBoundingClientRect().width,"
                           " e.alt])")
                assert sizes and all(w > 0 and h > 0 and shown > 0 and alt for w, h, shown, alt in sizes)
                assert all(shown <= width for _, _, shown, _ in sizes)  # figures fit a narrow window
                overflow = tab.evaluate("document.body.scrollWidth - window.innerWidth")
                assert overflow <= 1  # wide tables scroll inside their own box, not the page
                assert all(url.startswith(("file://", "data:")) for url in requests)  # no network
                tab.screenshot(path=os.path.join(shots, f"{name}-{width}.png"), full_page=True)
                tab.close()
        finally:
            browser.close()
