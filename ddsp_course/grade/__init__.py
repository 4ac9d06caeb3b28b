"""``grade``: score a folder of submissions along the pipeline
prepare -> execute (separate limited process) -> score (trusted side) -> record.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field

import nbformat

from ..course import Course, UsageError
from ..release import register
from .cases import load_cases
from .execute import Limits, execute, sandbox_available
from .prepare import prepare
from .record import autograded_notebook, record
from .score import CaseResult, judge


@dataclass
class StudentReport:
    student: str
    score: float
    max_score: float
    notes: list[str] = field(default_factory=list)   # damage, tampering, errors, timeouts
    results: list[CaseResult] = field(default_factory=list)


def find_submissions(submissions: str, assignment: str) -> dict[str, str]:
    """``{student: folder}`` for ``DIR/<student>/<assignment>/``; a UsageError if there are none."""
    if not os.path.isdir(submissions):
        raise UsageError(f"submissions folder {submissions} does not exist")
    found = {s: os.path.join(submissions, s, assignment) for s in sorted(os.listdir(submissions))
             if os.path.isdir(os.path.join(submissions, s, assignment))}
    if not found:
        raise UsageError(f"no submissions of {assignment} in {submissions} (expected DIR/<student>/{assignment}/*.ipynb)")
    return found


def grade_one(course: Course, assignment: str, student: str, folder: str, cases, limits: Limits) -> StudentReport:
    release = nbformat.read(course.released(assignment), as_version=4)
    path = os.path.join(folder, f"{assignment}.ipynb")
    if not os.path.isfile(path):
        candidates = sorted(f for f in os.listdir(folder) if f.endswith(".ipynb"))
        path = os.path.join(folder, candidates[0]) if len(candidates) == 1 else path
    prepared = prepare(release, path)
    notes = list(prepared.notes)
    events: dict = {}
    if prepared.readable:
        with tempfile.TemporaryDirectory(prefix="ddsp-grade-") as scratch:
            submission_copy = os.path.join(scratch, "submission")
            shutil.copytree(folder, submission_copy, symlinks=True)
            events = execute(prepared.cells, cases.cases, submission_copy, os.path.join(scratch, "run"), limits)
            results = [judge(c, c.probe()[1], events.get(c.key), events.get(c.key, {}).get("out_dir", scratch))
                       for c in cases.cases]
    else:
        results = [judge(c, None, {"status": "skipped", "reason": "not run: the notebook could not be read."}, "")
                   for c in cases.cases]
    for cell in prepared.cells:
        event = events.get(cell["key"], {})
        where = f"cell {cell['index']}" if cell["index"] is not None else cell["key"]
        if event.get("status") == "error":
            notes.append(f"{where} raised {event.get('ename')} when run for grading.")
        elif event.get("status") == "timeout":
            notes.append(f"{where} was stopped after {limits.cell_timeout:g} s without finishing.")
        elif event.get("status") in ("crashed", "skipped"):
            notes.append(f"{where} did not run ({event.get('reason', 'the process died')}).")
    timeouts = [r.key for r in results if r.message.startswith("timed out")]
    if timeouts:
        notes.append(f"{len(timeouts)} test(s) timed out: {', '.join(timeouts)}.")
    manual = [c.metadata["nbgrader"]["grade_id"] for c in release.cells
              if c.metadata.get("nbgrader", {}).get("grade") and c.metadata["nbgrader"].get("solution")]
    pending = [f"written answer(s) {', '.join(manual)}: marked by a person later, shown as 0 until then."] if manual else []
    nb = autograded_notebook(release, prepared.notebook, results, events, notes + pending)
    record(course, assignment, student, release, nb, results)
    return StudentReport(student, sum(r.score for r in results), sum(r.points for r in results), notes, results)


def grade(course: Course, assignment: str, submissions: str, limits: Limits = Limits(),
          progress: bool = True) -> list[StudentReport]:
    """Grade every ``submissions/<student>/<assignment>/`` into the gradebook and ``autograded/``."""
    from tqdm.auto import tqdm

    course.check([assignment])
    if limits.sandbox and not sandbox_available():
        raise UsageError("bubblewrap (bwrap) is not installed, so student code cannot be isolated: "
                         "install it (apt-get install bubblewrap) or pass --no-sandbox for trusted submissions")
    if not os.path.isfile(course.released(assignment)):
        raise UsageError(f"{assignment} has not been released yet: run `ddsp-course release {assignment}`")
    students = find_submissions(submissions, assignment)
    cases = load_cases(course.root, assignment)
    register(course, assignment)
    reports = []
    for student, folder in tqdm(students.items(), desc=f"grading {assignment}", unit="student", disable=not progress):
        reports.append(grade_one(course, assignment, student, folder, cases, limits))
    return reports
