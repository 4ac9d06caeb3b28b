"""``demo``: the main job on an embedded example class.

Releases every assignment, writes a small class of synthetic submissions to
``demo/submissions/`` (a correct one, one with typical mistakes from the kit's own
corpus in ``tests/mutants``, a blank one, one that raises, one that hangs, one that
tampers with its tests), grades it, and writes feedback and grade CSVs.
"""
from __future__ import annotations

import os
import shutil

import nbformat

from .course import Course
from .solutions import instructor_source

CLASS = ("correct", "mistakes", "blank", "raises", "hangs", "tampered")


def _answers(course: Course, assignment: str) -> dict[str, str]:
    """The master's answer cells with solutions in place, by grade id."""
    master = nbformat.read(course.master(assignment), as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: instructor_source(c.source) for c in master.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}


def _first_mistakes(course: Course, assignment: str) -> dict[str, str]:
    base = course.path("tests", "mutants", assignment)
    mistakes = {}
    for function in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        wrong = sorted(f for f in os.listdir(os.path.join(base, function)) if f.startswith("wrong_"))
        if wrong:
            with open(os.path.join(base, function, wrong[0])) as f:
                mistakes[function] = f.read()
    return mistakes


def make_class(course: Course, assignment: str, folder: str) -> None:
    """Write ``folder/<student>/<assignment>/<assignment>.ipynb`` for each student of :data:`CLASS`."""
    release = nbformat.read(course.released(assignment), as_version=4)
    answers = _answers(course, assignment)
    first = next(iter(answers))
    mistakes = {**answers, **_first_mistakes(course, assignment)}
    variants = {
        "correct": answers,
        "mistakes": mistakes,
        "blank": {},
        "raises": {**answers, first: "raise RuntimeError('work in progress')\n" + answers[first]},
        "hangs": {**answers, first: answers[first] + "\n\nwhile True:  # left-over experiment\n    pass"},
        "tampered": {**answers, first: mistakes[first]},
    }
    for student, sources in variants.items():
        nb = nbformat.from_dict(release)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade_id") in sources:
                cell.source = sources[meta["grade_id"]]
            if student == "tampered" and meta.get("grade") and not meta.get("solution"):
                cell.source, meta["points"] = "# tests removed", 100
        path = os.path.join(folder, student, assignment)
        os.makedirs(path, exist_ok=True)
        nbformat.write(nb, os.path.join(path, f"{assignment}.ipynb"))


def prepare_demo(course: Course, assignments: list[str]) -> str:
    """A fresh ``demo/submissions`` folder for ``assignments``; returns its path."""
    folder = course.path("demo", "submissions")
    shutil.rmtree(folder, ignore_errors=True)
    for assignment in assignments:
        make_class(course, assignment, folder)
    return folder
