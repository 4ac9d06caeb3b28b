"""The LMS round trip: an LMS's zip of submissions in (``import-zip``), a grade CSV it imports out
(``export --lms``), students mapped through the roster (``roster.py``).

**In.** :func:`import_zip` reads the zip an LMS gives for an assignment and writes
``submitted/<student>/<assignment>/<assignment>.ipynb``, which ``grade ASSIGNMENT --submissions submitted``
grades. File names are read with nbgrader's ``zip_collect`` collector (its ``FileNameCollectorPlugin``
with a ``named_regexp``) against :data:`PATTERNS`:

- Canvas, ``<name>_[LATE_]<user id>_<upload id>_<file>[-<n>].ipynb`` (``smithjohn_12345_6789012_ps01.ipynb``;
  ``LATE`` marks a late upload, ``-1``, ``-2`` a file uploaded again under the same name);
- Moodle, ``<Full Name>_<participant id>_assignsubmission_file_/<file>`` (in folders, the default) or
  ``<Full Name>_<participant id>_assignsubmission_file_<file>`` (flat).

A Canvas name is mapped by the roster's ``canvas_id``, else by name; a Moodle name by name. A student's
notebook named as the assignment wins over another notebook; among those, the later upload (Canvas's upload
id, then the resubmission number, then the archive's time; Moodle: the archive's time), also against a
submission imported before. nbgrader's own extractor is not used: the archive is hostile input, so it is
read here entry by entry, its declared sizes and count checked before anything is extracted
(:class:`Caps`), each entry read within its declared size, and no entry written but to a path made here
(never a link, an absolute path or ``..``). What is not imported is kept, never dropped: unknown
students, other files, earlier uploads go to ``imports/<assignment>/unmatched/<archive>/``; entries refused
as unsafe or unreadable are listed. ``imports/<assignment>/submissions.json`` records, per student, the
entry imported, the LMS's user id, the time the archive gives the upload (the zip entry's, as the LMS
wrote it, local time) and Canvas's late flag; and what was left out, and why.

**Out.** :func:`export_lms` writes ``grades/<lms>.csv`` from the gradebook (see its docstring).
"""
from __future__ import annotations

import csv
import datetime
import json
import logging
import os
import re
import shutil
import stat
import time
import zipfile
import zlib
from dataclasses import dataclass, field

from .course import Course, UsageError
from .inert import spreadsheet, terminal
from .roster import Roster, Student

PATTERNS = {  # Moodle's first: its marker (_assignsubmission_) is the more specific
    "moodle": (r"^(?:[^/]*/)*?(?P<lms_name>[^/]+?)_(?P<student_id>\d+)_assignsubmission_(?P<kind>[a-z]+)_"
               r"(?:/(?:[^/]+/)*)?(?P<file_id>[^/]+?)(?P<ext>\.[^./]+)?$"),
    "canvas": (r"^(?:[^/]*/)*(?P<lms_name>[^/_]+)_(?:(?P<late>LATE)_)?(?P<student_id>\d+)_(?P<upload>\d+)_"
               r"(?P<file_id>[^/]+?)(?:-(?P<resubmission>\d+))?(?P<ext>\.[^./]+)?$"),
}
LMS_NAMES = {"canvas": "Canvas", "moodle": "Moodle"}


@dataclass(frozen=True)
class Caps:
    """What an archive may hold, checked against its declared sizes before anything is extracted."""

    entries: int = 5_000             # entries in the archive
    file_bytes: int = 32 << 20       # one entry uncompressed (a notebook's cap in grading)
    total_bytes: int = 1 << 30       # all entries uncompressed
    name_bytes: int = 1_024          # one entry's name


CAPS = Caps()


@dataclass
class Entry:
    """One file of the archive and what was made of it."""

    name: str
    info: zipfile.ZipInfo
    lms: str | None = None
    groups: dict = field(default_factory=dict)
    student: Student | None = None
    reason: str = ""        # why it is not imported ('' while it may be)
    refused: bool = False   # unsafe or unreadable: never extracted, only listed
    data: bytes | None = None

    @property
    def time(self) -> str:
        return datetime.datetime(*self.info.date_time).isoformat()

    @property
    def order(self) -> list:
        """Later uploads sort later: Canvas's upload id and resubmission number, then the archive's time."""
        g = self.groups
        return [int(g.get("upload") or 0), int(g.get("resubmission") or 0), self.time]


@dataclass
class Imported:
    """What :func:`import_zip` did: ``{student: record}`` imported, ``[(entry, reason, kept)]`` left out."""

    archive: str
    students: dict[str, dict] = field(default_factory=dict)
    left_out: list[tuple[str, str, str | None]] = field(default_factory=list)
    record: str = ""


def _collectors() -> dict:
    """nbgrader's zip_collect collector, one per LMS, for notebooks; quiet (what it skips is reported here)."""
    from nbgrader.plugins import FileNameCollectorPlugin

    log = logging.getLogger("ddsp_course.lms")
    log.addHandler(logging.NullHandler())
    log.propagate = False
    return {lms: FileNameCollectorPlugin(named_regexp=regexp, valid_ext=[".ipynb"], log=log)
            for lms, regexp in PATTERNS.items()}


def _unsafe(info: zipfile.ZipInfo, caps: Caps) -> str:
    """Why the entry ``info`` is refused before it is read ('' if it is not)."""
    name = info.filename
    if len(name.encode(errors="surrogateescape")) > caps.name_bytes:
        return f"a name longer than {caps.name_bytes} bytes"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "an absolute path, refused (nothing is written outside the import)"
    if "\\" in name or ".." in name.split("/") or any(part in ("", ".") for part in name.split("/")):
        return "a path leaving its folder ('..', '.', an empty part or a backslash), refused"
    if not name.isprintable():
        return "a name with control characters, refused"
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        kind = "a symbolic link" if stat.S_ISLNK(mode) else "a special file"
        return f"{kind}, refused (only regular files are extracted)"
    if info.flag_bits & 0x1:
        return "encrypted, refused"
    if info.file_size > caps.file_bytes:
        return (f"declares {info.file_size / (1 << 20):.0f} MiB uncompressed, over the cap of "
                f"{caps.file_bytes >> 20} MiB: refused, not extracted")
    return ""


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes | None, str]:
    """The entry's bytes, never more than it declares, or None and why (a damaged entry)."""
    try:
        with zf.open(info) as f:
            data = f.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as exc:
        return None, f"could not be read from the archive (damaged: {exc})"
    if len(data) != info.file_size:
        return None, "holds another size than it declares: refused"
    return data, ""


def _classify(entry: Entry, assignment: str, roster: Roster, collectors: dict) -> None:
    """Which LMS named the entry, whose it is, and whether it may be imported (``entry.reason`` if not)."""
    for lms, collector in collectors.items():
        groups = collector.collect(entry.name)
        match = groups or re.match(PATTERNS[lms], entry.name)
        if match:
            entry.lms, entry.groups = lms, groups or match.groupdict()
            break
    if entry.lms is None:
        entry.reason = ("its name follows no LMS's pattern (Canvas: name_id_upload_file.ipynb, Moodle: "
                        "Full Name_id_assignsubmission_file_/file.ipynb)")
        return
    g = entry.groups
    if entry.lms == "canvas" and roster.by_canvas_id(g["student_id"]):
        entry.student = roster.by_canvas_id(g["student_id"])
    else:
        found = roster.by_name(g["lms_name"])
        if len(found) > 1:
            entry.reason = (f"the name {g['lms_name']!r} matches {len(found)} students of the roster "
                            f"({', '.join(s.id for s in found)}): give them canvas_id or lms_name")
            return
        if not found:
            what = f"{LMS_NAMES[entry.lms]} id {g['student_id']} or " if entry.lms == "canvas" else ""
            entry.reason = f"no student of the roster has the {what}name {g['lms_name']!r}"
            return
        if entry.lms == "canvas" and found[0].canvas_id:
            entry.reason = (f"the name {g['lms_name']!r} is {found[0].id}'s, whose canvas_id is {found[0].canvas_id}, "
                            f"not {g['student_id']}: another student of the same name?")
            return
        entry.student = found[0]
    if (g.get("ext") or "").lower() != ".ipynb":
        entry.reason = "not a notebook"


def _named(entry: Entry, assignment: str) -> bool:
    """Whether the file is named as the assignment (``ps01.ipynb``, ``ps01 (1).ipynb``, ``ps01-2.ipynb``)."""
    return re.sub(r"(?: \(\d+\)|-\d+)$", "", entry.groups["file_id"]) == assignment


def _no_links(root: str, path: str) -> None:
    """Make the folder ``path`` under ``root``; an OSError if any part of it is a link or not a folder."""
    os.makedirs(root, exist_ok=True)
    if os.path.islink(root):
        raise OSError(f"{root} is a link: nothing is written through it")
    relative = os.path.relpath(path, root)
    current = root
    for part in [] if relative == "." else relative.split(os.sep):
        current = os.path.join(current, part)
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            os.mkdir(current)
            continue
        if not stat.S_ISDIR(info.st_mode):
            raise OSError(f"{current} is a link or not a folder: nothing is written through it")


def _write(root: str, relative: str, data: bytes, when: float) -> str:
    """``data`` to ``root/relative`` (a fresh file replacing any, its time ``when``), through no link."""
    path = os.path.join(root, relative)
    _no_links(root, os.path.dirname(path))
    part = path + ".part"
    if os.path.lexists(part):
        os.unlink(part)
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.utime(part, (when, when))
    os.replace(part, path)
    return path


def _load_record(path: str) -> dict:
    try:
        with open(path) as f:
            record = json.load(f)
        return record if isinstance(record, dict) else {}
    except (OSError, ValueError):
        return {}


def import_zip(course: Course, assignment: str, archive: str, roster: Roster, caps: Caps = CAPS) -> Imported:
    """Import the LMS's zip ``archive`` of ``assignment``'s submissions (see the module's docstring):
    ``submitted/<student>/<assignment>/<assignment>.ipynb`` for each student found; what was left out kept in
    ``imports/<assignment>/unmatched/<archive>/``; all recorded in ``imports/<assignment>/submissions.json``.
    A UsageError, with nothing written, for an archive that cannot be read or is over :class:`Caps`."""
    label = os.path.basename(archive)
    try:
        zf = zipfile.ZipFile(archive)
    except FileNotFoundError:
        raise UsageError(f"{archive} does not exist") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise UsageError(f"{archive} is not a readable zip archive ({exc}): truncated or damaged? Nothing was "
                         f"imported; download it from the LMS again") from None
    with zf:
        return _import(course, assignment, zf, label, roster, caps)


def _import(course: Course, assignment: str, zf: zipfile.ZipFile, label: str, roster: Roster,
            caps: Caps) -> Imported:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(zf.infolist()) > caps.entries:
        raise UsageError(f"{label} holds {len(zf.infolist())} entries, over the cap of {caps.entries}: "
                         f"refused before extracting anything")
    total = sum(i.file_size for i in infos)
    if total > caps.total_bytes:
        raise UsageError(f"{label} declares {total / (1 << 20):.0f} MiB uncompressed, over the cap of "
                         f"{caps.total_bytes >> 20} MiB (a zip bomb?): refused before extracting anything")
    collectors = _collectors()
    entries = [Entry(i.filename, i) for i in infos]
    for entry in entries:
        entry.reason = _unsafe(entry.info, caps)
        entry.refused = bool(entry.reason)
        if entry.refused:
            continue
        _classify(entry, assignment, roster, collectors)
        if not entry.reason:  # a candidate: read now, so that a damaged one is never chosen
            entry.data, damage = _read(zf, entry.info)
            entry.reason, entry.refused = damage, bool(damage)

    imports = course.path("imports", assignment)
    record_path = os.path.join(imports, "submissions.json")
    record = _load_record(record_path)
    known = record.get("students") if isinstance(record.get("students"), dict) else {}
    candidates: dict[str, list[Entry]] = {}
    for entry in entries:
        if not entry.reason:
            candidates.setdefault(entry.student.id, []).append(entry)
    chosen: dict[str, Entry] = {}
    for student, mine in candidates.items():
        mine.sort(key=lambda e: (_named(e, assignment), e.order))
        last = mine[-1]
        for other in mine[:-1]:
            other.reason = f"an earlier upload than {last.name} (the later one is imported)"
        before = known.get(student)
        if isinstance(before, dict) and before.get("lms") == last.lms and before.get("archive") != label \
                and isinstance(before.get("order"), list) and before["order"] > last.order:
            last.reason = f"an earlier upload than {before.get('entry')}, imported before from {before.get('archive')}"
        else:
            chosen[student] = last

    result = Imported(label)
    for student, entry in sorted(chosen.items()):
        folder = os.path.join(student, assignment)
        try:
            _write(course.path("submitted"), os.path.join(folder, f"{assignment}.ipynb"), entry.data, _when(entry))
        except OSError as exc:
            entry.reason = f"could not be written to submitted/{folder}/ ({exc})"
            continue
        result.students[student] = {
            "lms": entry.lms, "archive": label, "entry": entry.name, "lms_user": entry.groups["student_id"],
            "submitted_at": entry.time, "late": bool(entry.groups.get("late")) if entry.lms == "canvas" else None,
            "order": entry.order, "imported_at": datetime.datetime.now().isoformat(timespec="seconds")}
        if not _named(entry, assignment):
            result.students[student]["note"] = (f"{entry.groups['file_id']}{entry.groups.get('ext') or ''} "
                                                f"imported as {assignment}.ipynb")

    kept_root = os.path.join(imports, "unmatched", re.sub(r"[^\w.-]", "_", label))
    shutil.rmtree(kept_root, ignore_errors=True)  # this archive's own leftovers from an earlier import of it
    for entry in entries:
        if not entry.reason:
            continue
        kept = None
        if not entry.refused:
            data, damage = (entry.data, "") if entry.data is not None else _read(zf, entry.info)
            if damage:
                entry.reason = damage
            else:
                try:
                    kept = os.path.relpath(_write(kept_root, entry.name, data, _when(entry)), course.root)
                except (OSError, ValueError) as exc:
                    entry.reason = f"{entry.reason}; could not be kept ({exc})"
        result.left_out.append((entry.name, entry.reason, kept))

    students = {**known, **result.students}
    left_out = [item for item in record.get("left_out", []) if isinstance(item, dict) and item.get("archive") != label]
    left_out += [{"archive": label, "entry": name, "reason": reason, "kept": kept}
                 for name, reason, kept in result.left_out]
    os.makedirs(imports, exist_ok=True)
    with open(record_path + ".part", "w") as f:
        json.dump({"assignment": assignment, "students": dict(sorted(students.items())), "left_out": left_out},
                  f, indent=1)
    os.replace(record_path + ".part", record_path)
    result.record = record_path
    return result


def _when(entry: Entry) -> float:
    """The entry's time as the archive gives it (local time), in seconds since the epoch."""
    return time.mktime(entry.info.date_time + (0, 0, -1))


def report(course: Course, assignment: str, result: Imported) -> list[str]:
    """The lines an instructor reads about an import (student text made inert)."""
    lines = [f"imported {len(result.students)} submission{'s' * (len(result.students) != 1)} of {assignment} "
             f"from {terminal(os.path.basename(result.archive))} into submitted/"]
    for student, r in result.students.items():
        flags = [LMS_NAMES[r["lms"]], r["submitted_at"].replace("T", " ")] + (["LATE"] if r["late"] else [])
        lines.append(f"  {terminal(student)}: {terminal(r['entry'])} ({', '.join(flags)})"
                     + (f"; {terminal(r['note'])}" if r.get("note") else ""))
    if result.left_out:
        lines.append(f"not imported ({len(result.left_out)}; kept files are under "
                     f"imports/{assignment}/unmatched/):")
        for name, reason, kept in result.left_out:
            lines.append(f"  {terminal(name)}: {terminal(reason)}" + ("" if kept else " (not kept)"))
    lines.append(f"recorded in {os.path.relpath(result.record, course.root)}; grade with: "
                 f"ddsp-course grade {assignment} --submissions submitted")
    return lines


CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def export_lms(course: Course, lms: str, assignments: list[str], roster: Roster,
               path: str | None = None) -> tuple[str, list[str]]:
    """Write the grade CSV that ``lms`` imports for ``assignments`` (the total points of each, from the
    gradebook) and return its path (default ``grades/<lms>.csv``) and warnings, one line each.

    Rows are the roster's students with a grade in one of ``assignments``, in roster order; a graded
    student the roster lacks is a warning, never a row. A submission still waiting for a person
    (``needs_manual_grade``) leaves its cell empty, with a warning: an LMS would take its total as final.
    Text cells go through :func:`inert.spreadsheet`; a grade is a plain number.

    - ``canvas``: Canvas's gradebook import. Canvas requires the columns ``Student``, ``ID``,
      ``SIS User ID``, ``SIS Login ID`` and ``Section`` before the grades (it matches a row by ``ID``, its
      user id, else by ``SIS User ID`` or ``SIS Login ID``; the name and section are for people), then one
      column per assignment, headed with the assignment's name: rename it to ``<Canvas name> (<Canvas
      assignment id>)`` to fill an existing column, or Canvas makes a new one. Filled from the roster's
      ``lms_name`` (else ``name``), ``canvas_id``, ``sis_user_id``, ``sis_login_id``, ``section``.
    - ``moodle``: a CSV for Moodle's "Import grades: CSV file", keyed by ``Email address`` (the roster's
      ``email``) and/or ``ID number`` (its ``id_number``), whichever the roster has, then one column per
      assignment to map to a grade item; nothing else."""
    from nbgrader.api import Gradebook, MissingEntry

    keys = [(column, title) for column, title in (("email", "Email address"), ("id_number", "ID number"))
            if column in roster.columns]
    if lms == "canvas" and not {"canvas_id", "sis_user_id", "sis_login_id"} & set(roster.columns):
        raise UsageError("a Canvas grade CSV needs the roster's canvas_id, sis_user_id or sis_login_id column "
                         "(what Canvas matches a row by): add one to roster.csv")
    if lms == "moodle" and not keys:
        raise UsageError("a Moodle grade CSV is keyed by Email address or ID number: add an email or id_number "
                         "column to roster.csv")
    if lms not in PATTERNS:
        raise UsageError(f"unknown LMS {lms} (known: {', '.join(PATTERNS)})")
    warnings: list[str] = []
    scores: dict[str, dict[str, str]] = {}
    with Gradebook(course.db_url) as gb:
        for assignment in assignments:
            try:
                submissions = gb.assignment_submissions(assignment)
            except MissingEntry:  # never graded here
                submissions = []
            for s in submissions:
                if s.needs_manual_grade:
                    warnings.append(f"{terminal(s.student_id)}: {assignment} still needs grading by hand "
                                    f"(formgrader): left empty")
                    scores.setdefault(s.student_id, {})[assignment] = ""
                else:
                    scores.setdefault(s.student_id, {})[assignment] = f"{s.score:g}"
    for student in sorted(set(scores) - {s.id for s in roster.students}):
        warnings.append(f"{terminal(student)}: graded, but not in {os.path.basename(roster.path)}: not exported")
    rows = [s for s in roster.students if s.id in scores]
    if lms == "canvas":
        header = [*CANVAS_COLUMNS, *assignments]
        cells = [[s.lms_name or s.name, s.canvas_id, s.sis_user_id, s.sis_login_id, s.section] for s in rows]
        for s in rows:
            if not (s.canvas_id or s.sis_user_id or s.sis_login_id):
                warnings.append(f"{terminal(s.id)}: no canvas_id, sis_user_id or sis_login_id in the roster: "
                                f"Canvas cannot match the row")
    elif lms == "moodle":
        header = [title for _, title in keys] + list(assignments)
        cells = [[getattr(s, column) for column, _ in keys] for s in rows]
        for s in rows:
            if not any(getattr(s, column) for column, _ in keys):
                warnings.append(f"{terminal(s.id)}: no {' or '.join(c for c, _ in keys)} in the roster: Moodle "
                                f"cannot match the row")
    else:
        raise UsageError(f"unknown LMS {lms} (known: {', '.join(PATTERNS)})")
    path = path or course.path("grades", f"{lms}.csv")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for s, text in zip(rows, cells):
            writer.writerow([spreadsheet(t) for t in text] + [scores[s.id].get(a, "") for a in assignments])
    return path, warnings
