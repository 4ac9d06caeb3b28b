"""``release``: generate the student notebooks in ``release/`` with nbgrader, and prove
that no solution, hidden test or grader-only file reached them."""
from __future__ import annotations

import os
import re
import tempfile

import nbformat

from .course import Course, UsageError, nbgrader_failed

MARKERS = re.compile(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS)|(BEGIN|END) MARK SCHEME")
GRADER_ONLY = ("hidden_cases.py",)


class LeakError(UsageError):
    """Something only the instructor may see reached ``release/`` (one line: what, and what to do)."""


def regions(source: str, begin: str, end: str) -> list[str]:
    """The non-trivial lines inside ``### BEGIN <x>`` / ``### END <x>`` regions."""
    lines, inside = [], False
    for line in source.splitlines():
        text = line.strip()
        if text == begin:
            inside = True
        elif text == end:
            inside = False
        elif inside and len(text) >= 12 and not text.startswith("#"):
            lines.append(text)
    return lines


def check_no_leaks(course: Course, assignment: str) -> None:
    """Raise :class:`LeakError` if markers, solution or hidden-test lines, or grader-only files are in release."""
    folder = course.path("release", assignment)
    for name in GRADER_ONLY:
        if os.path.exists(os.path.join(folder, name)):
            raise LeakError(f"{assignment}: grader-only {name} was copied to release/ (delete it, and add it to "
                            "CourseDirectory.ignore in nbgrader_config.py)")
    master = nbformat.read(course.master(assignment), as_version=4)
    released = nbformat.read(course.released(assignment), as_version=4)
    text = nbformat.writes(released)
    if MARKERS.search(text):
        raise LeakError(f"{assignment}: a solution or hidden-test marker is in release/ (check the markers' spelling "
                        f"in source/{assignment}/{assignment}.ipynb, then release again)")
    released_by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in released.cells}
    for cell in master.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is None:
            continue
        secret = (regions(cell.source, "### BEGIN SOLUTION", "### END SOLUTION")
                  + regions(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"))
        student = released_by_id.get(grade_id)
        leaked = [line for line in secret if student is not None and line in student.source]
        if leaked:
            raise LeakError(f"{assignment}: cell {grade_id} in release/ contains solution or hidden-test code (a line "
                            "of its solution also stands outside the markers: move it inside, then release again)")


def register(course: Course, assignment: str) -> None:
    """Record the assignment's graded cells in the gradebook, as nbgrader's ``generate_assignment``
    does, writing its student version to a scratch folder so that ``release/`` stays untouched."""
    with tempfile.TemporaryDirectory(prefix="ddsp-register-") as scratch:
        result = course.api(release_directory=scratch).generate_assignment(assignment, force=True, create=True)
    if not result["success"]:
        raise nbgrader_failed(course, "register", assignment, result)


def release(course: Course, assignments: list[str]) -> list[str]:
    """Generate and check ``release/<a>/`` for each assignment; returns the notebook paths."""
    api = course.api()
    written = []
    for assignment in assignments:
        result = api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise nbgrader_failed(course, "release", assignment, result)
        check_no_leaks(course, assignment)
        written.append(course.released(assignment))
    return written
