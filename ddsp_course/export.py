"""``export``: a grades CSV per assignment from nbgrader's gradebook: one row per student,
the points of every graded cell, the total, the cells still waiting for a person, and the
students a grading run could not grade or publish, with the reason."""
from __future__ import annotations

import csv
import os

import nbformat

from .course import Course
from .inert import spreadsheet



def graded_cells(course: Course, assignment: str) -> list[str]:
    """Grade ids in notebook order, as released."""
    nb = nbformat.read(course.released(assignment), as_version=4)
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def _points(grade) -> str:
    """The cell's points, or empty while a person has yet to mark it."""
    if grade.auto_score is None and grade.manual_score is None:
        return ""
    return f"{grade.score:g}"


def export_csv(course: Course, assignment: str, problems: dict[str, str] | None = None, path: str | None = None) -> str:
    """Write ``grades/<assignment>.csv`` (or ``path``), with a row for each student of ``problems``
    (``{student: what went wrong}``, from a grading run) that the gradebook lacks; returns the path."""
    from nbgrader.api import Gradebook

    problems = problems or {}
    cells = graded_cells(course, assignment)
    path = path or course.path("grades", f"{assignment}.csv")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with Gradebook(course.db_url) as gb, open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "assignment", *cells, "total", "max_total", "needs_manual_grade", "problem"])
        rows = {}
        for submission in gb.assignment_submissions(assignment):
            grades = {g.name: g for nb in submission.notebooks for g in nb.grades}
            points = [_points(grades[c]) if c in grades else "" for c in cells]
            manual = [c for c in cells if c in grades and grades[c].needs_manual_grade]
            rows[submission.student_id] = [*points, f"{submission.score:g}", f"{submission.max_score:g}",
                                           " ".join(manual)]
        for student in sorted(set(rows) | set(problems)):
            values = rows.get(student, [""] * (len(cells) + 3))
            writer.writerow([spreadsheet(student), assignment, *values, spreadsheet(problems.get(student, ""))])
    return path
