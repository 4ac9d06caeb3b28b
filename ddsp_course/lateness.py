"""Whether a submission came in after its due date, read from the gradebook, the record every loop writes:
the assignment's due date (``collect --due`` or ``grade --due``; once given, it holds for later runs) and each
submission's time (the newest file time of the graded folder, which ``collect`` sets from the exchange and
``import-zip`` from the LMS's archive; never the student's ``timestamp.txt``). The formgrader, the end-of-run
report and the student's feedback page all say the same."""
from __future__ import annotations

from datetime import datetime, timezone

from .course import Course, UsageError


def parse_due(text: str) -> datetime:
    """``text`` (``2026-12-10 17:00``: this machine's local time unless it gives an offset) in naive UTC,
    as nbgrader's gradebook keeps times."""
    from dateutil import parser as dateparser

    try:
        due = dateparser.parse(text)
    except (ValueError, OverflowError):
        raise UsageError(f"--due {text!r} is not a date and time (e.g. '2026-12-10 17:00')") from None
    if due.tzinfo is None:
        due = due.astimezone()  # local time
    return due.astimezone(timezone.utc).replace(tzinfo=None)


def due_date(course: Course, assignment: str, due: datetime | None = None) -> datetime | None:
    """The assignment's due date: ``due`` (kept in the gradebook) if given, else the one kept before."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gb:
        if due is not None:
            gb.update_or_create_assignment(assignment, duedate=due)
            return due
        try:
            return gb.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def describe(when: datetime, due: datetime) -> str:
    hours, rest = divmod(int((when - due).total_seconds()), 3600)
    return (f"submitted {when:%Y-%m-%d %H:%M:%S} UTC, {hours} h {rest // 60} min {rest % 60} s after the due date "
            f"({due:%Y-%m-%d %H:%M} UTC).")


def late_submissions(course: Course, assignment: str) -> dict[str, str]:
    """``{student: what to say}`` for each graded submission of ``assignment`` after its due date."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gb:
        try:
            due = gb.find_assignment(assignment).duedate
        except MissingEntry:
            return {}
        if due is None:
            return {}
        return {s.student_id: describe(s.timestamp, due) for s in gb.assignment_submissions(assignment)
                if s.timestamp is not None and s.timestamp > due}


def note_late(course: Course, assignment: str):
    """``annotate`` for :func:`ddsp_course.cli.grade_and_publish`: a note of kind ``late`` (and the flag)
    on each report of a submission after the due date."""
    from .grade.outcomes import Note

    def annotate(reports) -> None:
        late = late_submissions(course, assignment)
        for r in reports:
            if r.student in late and r.error is None:
                r.add_note(Note("late", late[r.student]))

    return annotate
