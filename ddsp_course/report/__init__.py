"""``report``: class insight after grading, for an instructor to read in a minute.

``write_report(course, assignment)`` writes ``reports/<assignment>.html`` (``write_report(course)``:
``reports/course.html``) and returns it with a short terminal summary. It reads the gradebook (each
student's score, written answers included, and the submission time against the due date) and the
autograded notebooks' ``metadata.ddsp_course.report`` (per-case results, flags and kinds of notes),
never the hidden cases' source or their expected values: the page shows case keys and names, pass
rates, item analysis (:mod:`.analysis`), the failure messages students already saw, outcomes, and
pairs of submissions whose answer cells look copied (:mod:`.similarity`, which only flags).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from ..course import Course, UsageError
from ..inert import terminal
from . import analysis, page, similarity
from .analysis import Student

MAX_METADATA = 64 << 20  # bytes of an autograded notebook read for its metadata


@dataclass
class Class:
    """One assignment's class as the report reads it."""

    assignment: str
    students: list[Student]
    due: object = None  # the gradebook's due date, if any
    pairs: list[similarity.Pair] | None = None  # None: similarity not computed
    threshold: float = 0.6
    summary: dict = field(default_factory=dict)


def _metadata(course: Course, assignment: str, student: str) -> dict | None:
    path = course.path("autograded", student, assignment, f"{assignment}.ipynb")
    try:
        if os.path.getsize(path) > MAX_METADATA:
            return None
        with open(path, encoding="utf-8") as f:
            data = json.load(f).get("metadata", {}).get("ddsp_course", {}).get("report")
    except (OSError, ValueError, AttributeError):
        return None
    return data if isinstance(data, dict) else None


def _gradebook(course: Course, assignment: str) -> tuple[dict[str, dict], object]:
    """``({student: submission dict}, due date)`` from nbgrader's gradebook; empty if it lacks the assignment."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gb:
        try:
            due = gb.find_assignment(assignment).duedate
        except MissingEntry:
            return {}, None
        return {d["student"]: d for d in gb.submission_dicts(assignment)}, due


def _autograded_students(course: Course, assignment: str) -> list[str]:
    base = course.path("autograded")
    if not os.path.isdir(base):
        return []
    return sorted(s for s in os.listdir(base)
                  if os.path.isfile(os.path.join(base, s, assignment, f"{assignment}.ipynb")))


def load_class(course: Course, assignment: str) -> Class:
    """The class of ``assignment``: every student in the gradebook or in ``autograded/``."""
    rows, due = _gradebook(course, assignment)
    students = []
    for student in sorted(set(rows) | set(_autograded_students(course, assignment))):
        data = _metadata(course, assignment, student) or {}
        row = rows.get(student)
        score = float(row["score"]) if row else float(data.get("score", 0.0))
        max_score = float(row["max_score"]) if row and row["max_score"] else float(data.get("max_score", 0.0))
        late = None
        if due is not None and row and row.get("timestamp") is not None:
            late = row["timestamp"] > due
        results = [r for r in data.get("results", []) if isinstance(r, dict)]
        kinds = [n.get("kind", "") for n in data.get("notes", []) if isinstance(n, dict)]
        students.append(Student(student, score, max_score, results, list(data.get("flags", [])), kinds, late))
    return Class(assignment, students, due)


def _item_rows(items: list[analysis.Item]) -> list[list[str]]:
    return [[page.esc(i.key), page.esc(i.cell), page.esc(i.name), "visible" if i.visible else "hidden",
             str(i.n), page.percent(i.pass_rate), "–" if i.discrimination is None else f"{i.discrimination:+.2f}",
             f'<span class="warn">{page.esc("; ".join(i.warnings))}</span>' if i.warnings else ""] for i in items]


def assignment_sections(c: Class) -> tuple[list[str], list[str]]:
    """The page's sections for one assignment and the lines of its terminal summary."""
    a, students = c.assignment, c.students
    max_score = max([s.max_score for s in students] + [0.0])
    stats = analysis.describe([s.score for s in students], max_score)
    items = analysis.items(students)
    cells = analysis.cells(students)
    fails = analysis.failures(students)
    outs = analysis.outcomes(students)
    body = [f"<h2 id=scores>Scores</h2><ul class=stats><li>{stats['n']} students</li>"
            f"<li>mean {stats['mean']:.2f} / {max_score:g}</li><li>median {stats['median']:.2f}</li>"
            f"<li>{stats['full']} with full marks</li><li>{stats['zero']} with nothing</li></ul>"]
    if students:
        body.append(page.histogram([s.score for s in students], max_score, f"{a}: scores"))
    body.append("<h2 id=cells>Test cells</h2><p>Hardest first: the students passing every case of the cell "
                "and the mean share of its points.</p>")
    body.append(page.table(["cell", "cases", "students", "passing all", "mean points"],
                           [[page.esc(x["cell"]), str(x["cases"]), str(x["n"]), page.percent(x["all_passed"]),
                             page.percent(x["points"])] for x in cells], {1, 2, 3, 4}))
    body.append("<h2 id=cases>Cases, hardest first (item analysis)</h2><p>Difficulty is the share of students "
                "passing; discrimination is the point-biserial correlation of passing with the rest of the score "
                f"(at or below {analysis.NEGATIVE:+.1f}: strong students fail it more than weak ones, often a "
                "wrong test).</p>")
    if items:
        body.append(page.pass_rates(items, f"{a}: pass rate per case"))
        body.append(page.item_map(items, f"{a}: difficulty and discrimination"))
    body.append(page.table(["case", "cell", "name", "kind", "students", "passing", "discrimination", "flag"],
                           _item_rows(items), {4, 5, 6}))
    body.append("<h2 id=failures>Most frequent failures</h2><p>Per graded function, the messages students "
                "saw (numbers as #), with how many students and who.</p>")
    for fn, entries in fails.items():
        body.append(f"<h3>{page.esc(fn)}</h3>" + page.table(
            ["message", "students", "who"],
            [[page.esc(e["pattern"]), str(e["count"]), page.names(e["students"])] for e in entries], {1}))
    body.append("<h2 id=outcomes>Timeouts, crashes, tampering, lateness</h2>")
    rows = [[what, str(len(who)), page.names(who)] for what, who in outs.items() if who is not None]
    body.append(page.table(["outcome", "students", "who"], rows, {1}))
    if outs["late"] is None:
        body.append('<p class="muted">No due date is set in the gradebook: lateness is not reported.</p>')
    body.append(similarity_section(c))
    summary = [f"{a}: {stats['n']} students, mean {stats['mean']:.2f} / {max_score:g}, median {stats['median']:.2f}, "
               f"{stats['full']} full marks, {stats['zero']} nothing"]
    if items:
        summary.append("  hardest: " + ", ".join(f"{i.key} ({page.percent(i.pass_rate)})" for i in items[:3]))
    for i in (i for i in items if i.warnings and i.warnings != ["everybody passes"]):
        summary.append(f"  check {i.key}: {'; '.join(i.warnings)}")
    summary.append("  " + ", ".join(f"{len(who)} {what}" for what, who in outs.items() if who is not None))
    if c.pairs is not None:
        summary.append(f"  {len(c.pairs)} pair(s) at or above similarity {c.threshold:g}")
        summary += [f"    {p.a} ~ {p.b}: {p.score:.2f}" for p in c.pairs[:5]]
    return body, [terminal(line) for line in summary]


def similarity_section(c: Class) -> str:
    if c.pairs is None:
        return ""
    parts = [f"<h2 id=similarity>Similar submissions</h2><p>Pairs whose answer cells share at least "
             f"{100 * c.threshold:.0f} % of one side's code (copydetect's winnowing fingerprints; the released "
             "template and passages most of the class shares left out). A flag to look into, never a grade.</p>"]
    if not c.pairs:
        return parts[0] + "<p>No pair reaches the threshold.</p>"
    parts.append(page.table(["student", "student", "similarity", "shared tokens"],
                            [[page.esc(p.a), page.esc(p.b), f"{100 * p.similarity[0]:.0f} % / "
                              f"{100 * p.similarity[1]:.0f} %", str(p.overlap)] for p in c.pairs], {2, 3}))
    for p in c.pairs[:50]:
        parts.append(f"<details><summary>{page.esc(p.a)} and {page.esc(p.b)}: {100 * p.score:.0f} %</summary>"
                     f'<div class="pair"><div><h4>{page.esc(p.a)}</h4><pre>{p.marked[0]}</pre></div>'
                     f"<div><h4>{page.esc(p.b)}</h4><pre>{p.marked[1]}</pre></div></div></details>")
    return "\n".join(parts)


def with_similarity(course: Course, c: Class, threshold: float, submissions: str | None = None) -> Class:
    """``c`` with its pairs of similar submissions (``threshold``: a fraction of one side's code)."""
    documents = similarity.class_documents(course, c.assignment, [s.student for s in c.students], submissions)
    c.pairs = similarity.similar_pairs(documents, similarity.template_of(course, c.assignment), threshold)
    c.threshold = threshold
    return c


def course_sections(classes: dict[str, Class]) -> tuple[list[str], list[str]]:
    """The course page: each assignment side by side, and each student's progress across them."""
    body, summary, rows = ["<h2 id=assignments>Assignments side by side</h2>"], [], []
    for a, c in classes.items():
        max_score = max([s.max_score for s in c.students] + [0.0])
        stats = analysis.describe([s.score for s in c.students], max_score)
        items = analysis.items(c.students)
        hardest = items[0] if items else None
        flagged = sum(bool(i.warnings) and i.warnings != ["everybody passes"] for i in items)
        rows.append([f'<a href="{page.esc(a)}.html">{page.esc(a)}</a>', str(stats["n"]), f"{stats['mean']:.2f}",
                     f"{stats['median']:.2f}", f"{max_score:g}", str(stats["full"]), str(stats["zero"]),
                     page.esc(f"{hardest.key} ({page.percent(hardest.pass_rate)})") if hardest else "", str(flagged)])
        summary.append(terminal(f"{a}: {stats['n']} students, mean {stats['mean']:.2f} / {max_score:g}, "
                                f"{flagged} case(s) to check"))
    body.append(page.table(["assignment", "students", "mean", "median", "max", "full marks", "nothing",
                            "hardest case", "cases to check"], rows, {1, 2, 3, 4, 5, 6, 8}))
    fractions = {a: [s.score / s.max_score if s.max_score else 0.0 for s in c.students] for a, c in classes.items()}
    if any(fractions.values()):
        body.append(page.course_boxes(fractions, "Scores per assignment"))
    body.append("<h2 id=progress>Each student's progress</h2><p>Score as a share of each assignment's "
                "maximum; the trend is the last assignment handed in minus the first.</p>")
    names = list(classes)
    table_rows = []
    for student, scores in analysis.progress({a: c.students for a, c in classes.items()}).items():
        done = [scores[a] for a in names if a in scores]
        trend = f"{100 * (done[-1] - done[0]):+.0f}" if len(done) > 1 else ""
        table_rows.append([page.esc(student), *[page.percent(scores.get(a)) if a in scores else "–" for a in names],
                           trend])
    body.append(page.table(["student", *[page.esc(a.split("_")[0]) for a in names], "trend"], table_rows,
                           set(range(1, len(names) + 2))))
    return body, summary


def write_report(course: Course, assignment: str | None = None, threshold: float | None = 0.6,
                 submissions: str | None = None) -> tuple[str, list[str]]:
    """Write ``reports/<assignment>.html`` (or, with no assignment, ``reports/course.html`` and each
    assignment's page); returns the page's path and the terminal summary's lines. ``threshold``: the
    similarity at which a pair is listed (None: no similarity)."""
    os.makedirs(course.path("reports"), exist_ok=True)
    targets = course.check([assignment] if assignment else None)
    classes = {}
    for a in targets:
        c = load_class(course, a)
        if not c.students and assignment is None:
            continue
        if not c.students:
            raise UsageError(f"nobody has been graded in {a}: run `ddsp-course grade {a} --submissions DIR` first")
        if threshold is not None:
            with_similarity(course, c, threshold, submissions)
        classes[a] = c
    if not classes:
        raise UsageError("nobody has been graded yet: run `ddsp-course grade ASSIGNMENT --submissions DIR` first")
    summary: list[str] = []
    for a, c in classes.items():
        body, lines = assignment_sections(c)
        with open(course.path("reports", f"{a}.html"), "w", encoding="utf-8") as f:
            f.write(page.document(f"Class insight: {a}", body))
        c.summary = {"lines": lines}
        summary += lines
    if assignment:
        return course.path("reports", f"{assignment}.html"), summary
    body, lines = course_sections(classes)
    path = course.path("reports", "course.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(page.document("Class insight: the course", body))
    return path, lines + [line for line in summary if line.startswith(("  check", "    ")) or "pair(s)" in line]
