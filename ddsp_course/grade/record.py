"""Step 4 of grading: record scores in nbgrader's gradebook and write the autograded notebook.

The autograded notebook is the student's notebook made inert (see ``sanitise``) with every
test cell restored from the release (visible tests only: hidden tests never existed there)
and the grader's verdicts as that cell's output; nbgrader's feedback machinery renders it.
"""
from __future__ import annotations

import copy
import os
import re
import warnings
from datetime import datetime, timezone

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbformat.v4.nbbase import random_cell_id

from sqlalchemy import select, update
from sqlalchemy.exc import SAWarning

from .figures import comparison_png
from .prepare import nbgrader_meta as _meta
from .sanitise import html_block, markdown_cell_source, plain, plain_text
from .score import CaseResult


STYLE = "border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top"
CELL = f"style='{STYLE}'"
TAG = re.compile(r"[A-Za-z0-9_-]{1,40}")
CELL_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def verdict_output(cell_results: list[CaseResult]) -> dict:
    """The grader's verdicts for one test cell, as a display output (name, points, message)."""
    rows = []
    lines = []
    for r in cell_results:
        mark = "passed" if r.passed else "failed"
        kind = "visible" if r.visible else "hidden"
        colour = "#1a7f37" if r.passed else "#cf222e"
        rows.append(f"<tr><td {CELL}>{plain(r.name)} <i>({kind})</i></td>"
                    f"<td {CELL}>{r.score:g}&nbsp;/&nbsp;{r.points:g}</td>"
                    f"<td style='{STYLE};color:{colour}'>{plain(r.message)}</td></tr>")
        lines.append(f"[{mark}] {r.name} ({kind}): {r.score:g}/{r.points:g}" + ("" if r.passed else f" - {r.message}"))
    table = (f"<table style='border-collapse:collapse;margin:6px 0'><tr><th {CELL}>test</th><th {CELL}>points</th>"
             f"<th {CELL}>result</th></tr>" + "".join(rows) + "</table>")
    figures = "".join(
        f"<figure style='margin:6px 0'><img style='max-width:100%' alt='{plain(r.compared[2])}: "
        f"your output against the expected one' src='data:image/png;base64,"
        f"{comparison_png(*r.compared)}'><figcaption>{plain(r.name)}: your output (red) and the expected "
        f"one (green)</figcaption></figure>" for r in cell_results if r.visible and not r.passed and r.compared)
    return new_output("display_data", data={"text/html": f"<div class='tex2jax_ignore'>{table}{figures}</div>",
                                            "text/plain": plain_text("\n".join(lines))})


def summary_cell(release: nbformat.NotebookNode, results: list[CaseResult]) -> nbformat.NotebookNode:
    """A table at the top of the feedback: each test cell, its points and whether it passed."""
    tests = [_meta(c) for c in release.cells if _meta(c).get("grade") and not _meta(c).get("solution")]
    rows, total, maximum = [], 0.0, 0.0
    for meta in tests:
        score = sum(r.score for r in results if r.cell == meta["grade_id"])
        points = float(meta.get("points", 0))
        total, maximum = total + score, maximum + points
        mark, colour = ("yes", "#1a7f37") if score == points else ("no", "#cf222e")
        rows.append(f"<tr><td {CELL}>{plain(meta['grade_id'])}</td><td {CELL}>{score:g}&nbsp;/&nbsp;{points:g}</td>"
                    f"<td style='{STYLE};color:{colour}'>{mark}</td></tr>")
    table = (f"<table style='border-collapse:collapse'><tr><th {CELL}>test</th><th {CELL}>points</th>"
             f"<th {CELL}>passed</th></tr>" + "".join(rows) + "</table>")
    return new_markdown_cell(html_block(
        f"<h2>Summary: {total:g} / {maximum:g} points from tests</h2>{table}<p>Each test's cell below lists "
        "its checks; a failed visible check shows your output beside the expected one.</p>"))


def notes_cell(notes: list[str]) -> nbformat.NotebookNode:
    """The grading notes, as text: they quote names and code from the submission."""
    items = "".join(f"<li>{plain(n)}</li>" for n in notes)
    return new_markdown_cell(html_block(f"<p><strong>Grading notes</strong></p><ul>{items}</ul>"))


def inert_cell(cell, teaching: dict[str, nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """A submitted cell with nothing of the student's that could act: code without outputs, markdown
    cleaned unless it is the release's own, raw cells as text, metadata only short tags."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else str(source)
    if cell.get("cell_type") == "code":
        clean = new_code_cell(source)
    elif cell.get("cell_type") == "markdown" and source in teaching:
        clean = nbformat.from_dict(teaching[source])  # the instructor's words and pictures
        clean.metadata = nbformat.NotebookNode()
    elif cell.get("cell_type") == "markdown":
        clean = new_markdown_cell(markdown_cell_source(source, cell.get("attachments")))
    else:
        clean = new_markdown_cell(html_block(f"<pre>{plain(source)}</pre>"))
    tags = cell.get("metadata", {}).get("tags")
    if isinstance(tags, list) and len(tags) <= 20 and all(isinstance(t, str) and TAG.fullmatch(t) for t in tags):
        clean.metadata["tags"] = list(tags)
    if isinstance(cell.get("id"), str) and CELL_ID.fullmatch(cell["id"]):
        clean["id"] = cell["id"]
    return clean


def autograded_notebook(release: nbformat.NotebookNode, submitted: nbformat.NotebookNode | None,
                        results: list[CaseResult], cell_events: dict, notes: list[str]) -> nbformat.NotebookNode:
    """The notebook nbgrader's feedback renders: the student's cells made inert, the release's tests
    and metadata, and only the grader's outputs (verdicts, errors)."""
    graded = {_meta(c)["grade_id"]: c for c in release.cells if "grade_id" in _meta(c)}
    teaching = {c.source: c for c in release.cells if c.cell_type == "markdown"}
    by_cell: dict[str, list[CaseResult]] = {}
    for r in results:
        by_cell.setdefault(r.cell, []).append(r)
    cells, seen, ids = [], set(), set()
    for index, cell in enumerate((submitted if submitted is not None else release).cells):
        grade_id = _meta(cell).get("grade_id")
        original = graded.get(grade_id) if grade_id not in seen else None  # unknown or duplicate ids earn nothing
        if original is not None and _meta(original).get("grade") and not _meta(original).get("solution"):
            clean = nbformat.from_dict(original)
        else:
            clean = inert_cell(cell, teaching)
        if original is not None:
            seen.add(grade_id)
            clean.metadata["nbgrader"] = dict(_meta(original))
        if clean.get("id") in ids:
            clean["id"] = random_cell_id()
        ids.add(clean.get("id"))
        if clean.cell_type == "code":
            clean.execution_count = None
            clean.outputs = [verdict_output(by_cell[grade_id])] if original is not None and grade_id in by_cell else []
        event = cell_events.get(f"cell{index}")
        if clean.cell_type == "code" and event and event.get("status") == "error":
            ename, evalue = plain_text(event.get("ename", "Error")), plain_text(event.get("evalue", ""))
            clean.outputs.append(new_output("error", ename=ename, evalue=evalue, traceback=[
                f"{ename}: {evalue} (raised when this cell ran for grading)"]))
        cells.append(clean)
    for grade_id, original in graded.items():  # deleted graded cells come back, so every grade shows
        if grade_id not in seen:
            cell = nbformat.from_dict(original)
            if cell.get("id") in ids:
                cell["id"] = f"restored-{grade_id}"[:64]
            if cell.cell_type == "code":
                cell.outputs = [verdict_output(by_cell[grade_id])] if grade_id in by_cell else []
            cells.append(cell)
    if notes:
        cells.insert(0, notes_cell(notes))
    cells.insert(0, summary_cell(release, results))
    return new_notebook(cells=cells, metadata=copy.deepcopy(release.metadata), nbformat=release.nbformat,
                        nbformat_minor=release.nbformat_minor)


def record(course, gb, assignment: str, student: str, release: nbformat.NotebookNode,
           nb: nbformat.NotebookNode, results: list[CaseResult], timestamp: datetime | None = None) -> str:
    """Write ``autograded/<student>/<assignment>/<assignment>.ipynb`` and the grades into ``gb``
    (the run's open nbgrader Gradebook); returns the path."""
    folder = course.path("autograded", student, assignment)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{assignment}.ipynb")
    nbformat.write(nb, path + ".partial")  # in place only once the gradebook holds its grades
    scores: dict[str, float] = {}
    for r in results:
        scores[r.cell] = scores.get(r.cell, 0.0) + r.score
    from nbgrader.api import Grade, SubmittedAssignment

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader 0.9 on SQLAlchemy 2: autoflush chatter
        try:
            submission, grades = _grades(gb, assignment, student)
            rows = []
            for cell in release.cells:
                meta = _meta(cell)
                if not meta.get("grade"):
                    continue
                grade, manual_score = grades[meta["grade_id"]]
                if meta.get("solution"):  # a written answer waits for a person; regrading keeps their mark
                    rows.append({"id": grade, "auto_score": None, "needs_manual_grade": manual_score is None})
                else:
                    rows.append({"id": grade, "auto_score": scores.get(meta["grade_id"], 0.0),
                                 "needs_manual_grade": False})
            if rows:
                gb.db.execute(update(Grade), rows)  # by primary key, one statement for all
            gb.db.execute(update(SubmittedAssignment).where(SubmittedAssignment.id == submission).values(
                timestamp=timestamp or datetime.now(timezone.utc).replace(tzinfo=None)))
            gb.db.commit()
        except BaseException:
            gb.db.rollback()
            raise
    os.replace(path + ".partial", path)
    return path


def _grades(gb, assignment: str, student: str) -> tuple[str, dict[str, tuple[str, float | None]]]:
    """The id of the student's submission, made if new, and ``{grade cell name: (grade id, manual
    score)}`` of its grades: one query where nbgrader's ``find_grade`` makes several per cell."""
    from nbgrader.api import Assignment, Grade, GradeCell, SubmittedAssignment, SubmittedNotebook

    query = (select(SubmittedAssignment.id, GradeCell.name, Grade.id, Grade.manual_score)
             .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
             .outerjoin(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
             .outerjoin(Grade, Grade.notebook_id == SubmittedNotebook.id)
             .outerjoin(GradeCell, GradeCell.id == Grade.cell_id)
             .where(Assignment.name == assignment, SubmittedAssignment.student_id == student))
    rows = gb.db.execute(query).all()
    if not rows:
        gb.update_or_create_student(student)
        gb.add_submission(assignment, student)
        rows = gb.db.execute(query).all()
    return rows[0][0], {name: (grade, manual) for _, name, grade, manual in rows if name is not None}
