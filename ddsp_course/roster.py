"""The class list, ``roster.csv`` in the course root: who the students are, and how an LMS names them.

A header row, then one row a student; column names are matched without regard to case or surrounding
spaces, their order is free and other columns are ignored. Read with the csv module (UTF-8, an Excel
byte-order mark allowed); a malformed roster is one line naming the line to fix (:class:`UsageError`).

=================  ========  ================================================================================
column             required  what
=================  ========  ================================================================================
``id``             yes       the student's id in the kit: the folder under ``submitted/``, the gradebook's id
``name``           yes       the name as people write it (``John Smith``): Moodle's folder names and Canvas's
                             file names (``smithjohn_...``, its "sortable name" squashed) are matched against it
``email``          no        the student's email: what a Moodle grade CSV is keyed by (``Email address``)
``lms_name``       no        the name as the LMS shows it, when it differs from ``name`` (``Smith, John Paul``)
``canvas_id``      no        Canvas's user id: the number after the name in Canvas's file names and the ``ID``
                             column of its gradebook; matched before any name
``sis_user_id``    no        copied into Canvas's grade CSV (``SIS User ID``)
``sis_login_id``   no        copied into Canvas's grade CSV (``SIS Login ID``)
``section``        no        copied into Canvas's grade CSV (``Section``)
``id_number``      no        Moodle's ``ID number`` of the student, for a Moodle grade CSV keyed by it
=================  ========  ================================================================================

Names are compared "squashed": case-folded, letters and digits only (``John Smith``, ``john smith`` and
``smithjohn`` for the name read last-first all match); a name that matches two students matches neither.
"""
from __future__ import annotations

import csv
import io
import os
import unicodedata
from dataclasses import dataclass, field

from .course import Course, UsageError

REQUIRED = ("id", "name")
OPTIONAL = ("email", "lms_name", "canvas_id", "sis_user_id", "sis_login_id", "section", "id_number")
MAX_BYTES = 16 << 20  # a roster larger than this is not a roster


def squash(text: str) -> str:
    """``text`` case-folded with letters and digits only: how names are compared."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


@dataclass(frozen=True)
class Student:
    id: str
    name: str
    email: str = ""
    lms_name: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    id_number: str = ""

    @property
    def name_keys(self) -> set[str]:
        """The squashed names an LMS may give this student: the name first-last and last-first, the LMS's
        name, the kit's id."""
        words = self.name.split()
        keys = {squash(self.name), squash(self.lms_name), squash(self.id)}
        if len(words) > 1:
            keys.add(squash(words[-1] + "".join(words[:-1])))
        return keys - {""}


@dataclass
class Roster:
    path: str
    students: list[Student] = field(default_factory=list)
    columns: tuple[str, ...] = ()

    def by_id(self, student_id: str) -> Student | None:
        return next((s for s in self.students if s.id == student_id), None)

    def by_canvas_id(self, canvas_id: str) -> Student | None:
        return next((s for s in self.students if s.canvas_id and s.canvas_id == canvas_id), None)

    def by_name(self, name: str) -> list[Student]:
        """The students whose squashed names include ``name``'s (one, none, or several: ambiguous)."""
        key = squash(name)
        return [s for s in self.students if key and key in s.name_keys]


def _problem(student_id: str) -> str | None:
    from .grade.pipeline import id_problem

    if student_id in (".", "..") or "/" in student_id or "\0" in student_id:
        return "the id holds a slash or is . or .."
    return id_problem(student_id)


def load(course: Course, path: str | None = None) -> Roster:
    """The roster at ``path`` (default ``roster.csv`` in the course root); a UsageError naming what to fix."""
    path = path or course.path("roster.csv")
    where = os.path.relpath(path, course.root) if path.startswith(course.root + os.sep) else path
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"no roster: write {where} with a header row id,name[,email,canvas_id,...] and a row "
                         f"per student (see README, 'Courses on an LMS')") from None
    except OSError as exc:
        raise UsageError(f"{where} could not be read ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise UsageError(f"{where} is larger than {MAX_BYTES >> 20} MiB: not a roster")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{where} is not UTF-8 text (byte {exc.start}): save it as CSV UTF-8") from None
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, None)
        if not header:
            raise UsageError(f"{where} is empty: it needs a header row id,name[,email,...]")
        names = [h.strip().lower() for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise UsageError(f"{where}: the header row lacks the column{'s' * (len(missing) > 1)} "
                             f"{', '.join(missing)} (it has: {', '.join(names) or 'nothing'})")
        twice = sorted({n for n in names if n and names.count(n) > 1})
        if twice:
            raise UsageError(f"{where}: the header row names {', '.join(twice)} twice")
        roster = Roster(path, columns=tuple(n for n in names if n in REQUIRED + OPTIONAL))
        seen: dict[tuple[str, str], int] = {}
        for row in rows:
            line = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                raise UsageError(f"{where} line {line}: {len(row)} fields where the header has {len(names)}")
            values = {n: cell.strip() for n, cell in zip(names, row) if n in REQUIRED + OPTIONAL}
            for column in REQUIRED:
                if not values[column]:
                    raise UsageError(f"{where} line {line}: the {column} is empty")
            why = _problem(values["id"])
            if why:
                raise UsageError(f"{where} line {line}: {why} ({values['id']!r})")
            for column in ("id", "email", "canvas_id", "sis_user_id", "sis_login_id", "id_number"):
                value = values.get(column, "")
                key = (column, value.casefold() if column == "email" else value)
                if value and key in seen:
                    raise UsageError(f"{where} line {line}: {column} {value!r} is on line {seen[key]} too")
                seen[key] = line
            roster.students.append(Student(**values))
    except csv.Error as exc:
        raise UsageError(f"{where} line {rows.line_num}: not CSV ({exc})") from None
    if not roster.students:
        raise UsageError(f"{where} lists no students (a header row, then a row per student)")
    return roster
