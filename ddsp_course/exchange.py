"""nbgrader's exchange on one machine, with the kit in the middle: ``hand-out`` (nbgrader's
``release_assignment`` of the checked ``release/<a>/``), ``collect`` (nbgrader's ``collect`` into
``submitted/``; the kit then grades), ``return`` (nbgrader's ``release_feedback`` of the kit's feedback).

The exchange is nbgrader's own folder layout and permission model: the root world-writable (plus the sticky
bit here, so that nobody renames or deletes a folder another made), ``<course>/outbound`` readable,
``<course>/inbound`` writable but not listable (plus sticky), ``<course>/feedback`` not listable (a student
finds a page only by the hash of their own submission's secret). Students run nbgrader's own
``fetch_assignment``, ``submit`` and ``fetch_feedback`` with ``--course`` and ``--Exchange.root``.

A submission's time is the later of the time its folder's name claims (the student's process writes it)
and the newest change time (ctime, which no one but root can set back) in the folder: a student cannot
make a submission look earlier than it was. The collected files are given that time, so the gradebook's
submission time (and nbgrader's formgrader's lateness) agrees.

With a networked exchange (``c.ExchangeFactory`` set, e.g. ngshare's: ``docs/SCALE_OUT.md``) the folder steps
are left out: the service keeps its own permissions, and a submission's time is the one its server recorded.
"""
from __future__ import annotations

import copy
import glob
import logging
import os
import stat
from datetime import datetime, timezone

from .course import Course, UsageError, nbgrader_failed
from .lateness import due_date


def root_of(course: Course, override: str | None = None) -> str:
    """The exchange root: ``override``, else ``$DDSP_COURSE_EXCHANGE``, else nbgrader_config.py's."""
    return os.path.abspath(override or os.environ.get("DDSP_COURSE_EXCHANGE") or course.config.Exchange.root)


def api(course: Course, root: str):
    """nbgrader's API for the course with the exchange at ``root``."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    log = logging.getLogger(f"nbgrader.exchange.{course.root}")
    log.setLevel(logging.WARNING)
    config = copy.deepcopy(course.config)
    config.Exchange.root = root
    if not config.CourseDirectory.course_id:
        raise UsageError("nbgrader_config.py sets no c.CourseDirectory.course_id: the exchange needs one")
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config, log=log)


def filesystem(course: Course) -> bool:
    """Whether the exchange is nbgrader's own folder (not a networked one such as ngshare's, set through
    ``c.ExchangeFactory`` in nbgrader_config.py: then the folder steps here are left to it)."""
    return not course.config.get("ExchangeFactory")


def course_id(course: Course) -> str:
    return course.config.CourseDirectory.course_id


def _add_sticky(path: str) -> None:
    mode = os.stat(path).st_mode
    if os.stat(path).st_uid == os.geteuid() and not mode & stat.S_ISVTX:
        os.chmod(path, stat.S_IMODE(mode) | stat.S_ISVTX)


def prepare_root(root: str) -> None:
    """The exchange root as nbgrader makes it (0777), sticky: 1777, like /tmp."""
    if not os.path.isdir(root):
        os.makedirs(root)
        os.chmod(root, 0o1777)
    _add_sticky(root)


def sync_roster(course: Course) -> int | None:
    """The roster's students into the gradebook (name, email); how many, or None without a roster.csv."""
    from nbgrader.api import Gradebook

    from . import roster

    if not os.path.isfile(course.path("roster.csv")):
        return None
    students = roster.load(course).students
    with Gradebook(course.db_url) as gb:
        for s in students:
            first, _, last = s.name.rpartition(" ") if " " in s.name else (s.name, "", "")
            gb.update_or_create_student(s.id, first_name=first or None, last_name=last or None,
                                        email=s.email or None)
    return len(students)


def hand_out(course: Course, assignment: str, root: str) -> str:
    """nbgrader's ``release_assignment`` of ``release/<a>/`` into the exchange; the outbound folder."""
    course.check([assignment])
    if not os.path.isfile(course.released(assignment)):
        raise UsageError(f"{assignment} has not been released yet: run `ddsp-course release {assignment}` first")
    if filesystem(course):
        prepare_root(root)
    result = api(course, root).release_assignment(assignment)
    if not result["success"]:
        raise nbgrader_failed(course, "hand out", assignment, result)
    if not filesystem(course):
        return f"{course_id(course)}/{assignment} on the course's exchange"
    _add_sticky(os.path.join(root, course_id(course), "inbound"))
    return os.path.join(root, course_id(course), "outbound", assignment)


def _newest_change(folder: str) -> float:
    newest = os.lstat(folder).st_ctime
    for parent, dirs, files in os.walk(folder):
        for name in dirs + files:
            newest = max(newest, os.lstat(os.path.join(parent, name)).st_ctime)
    return newest


def inbound_submissions(course: Course, assignment: str, root: str) -> dict[str, tuple[str, datetime]]:
    """``{student: (folder, time)}``: the submission nbgrader's collect takes for each (the latest its
    folder's name claims), and its time (see the module's docstring), naive UTC."""
    from nbgrader.utils import parse_utc

    latest: dict[str, tuple[datetime, str]] = {}
    for path in glob.glob(os.path.join(root, course_id(course), "inbound", f"*+{glob.escape(assignment)}+*")):
        parts = os.path.basename(path).split("+")
        if len(parts) < 3 or parts[1] != assignment or not os.path.isdir(path) or os.path.islink(path):
            continue
        try:
            claimed = parse_utc(parts[2])
        except Exception:
            continue
        if parts[0] not in latest or claimed > latest[parts[0]][0]:
            latest[parts[0]] = (claimed, path)
    found = {}
    for student, (claimed, path) in latest.items():
        changed = datetime.fromtimestamp(_newest_change(path), timezone.utc).replace(tzinfo=None)
        found[student] = (path, max(claimed, changed))
    return found


def owner(path: str) -> str | None:
    import pwd

    try:
        return pwd.getpwuid(os.lstat(path).st_uid).pw_name
    except KeyError:
        return None


def collect(course: Course, assignment: str, root: str, due: datetime | None):
    """nbgrader's ``collect`` into ``submitted/``; ``(times, due, refused)``: each collected student's
    submission time, the assignment's due date (given now, or kept in the gradebook), and the students
    whose latest folder another account made (``{student: owner}``: not collected, not graded)."""
    import shutil

    course.check([assignment])
    sync_roster(course)
    due = due_date(course, assignment, due)
    nbgrader = api(course, root)
    if not filesystem(course):  # a networked exchange: its server's times, as collect writes them
        result = nbgrader.collect(assignment, update=True)
        if not result["success"]:
            raise nbgrader_failed(course, "collect", assignment, result)
        times = {}
        for secret in glob.glob(course.path("submitted", "*", assignment, "submission_secret.txt")):
            folder = os.path.dirname(secret)
            when = nbgrader.coursedir.get_existing_timestamp(folder)
            if when is not None:
                times[os.path.basename(os.path.dirname(folder))] = when.replace(tzinfo=None)
        return times, due, {}
    found = inbound_submissions(course, assignment, root)
    result = nbgrader.collect(assignment, update=True)
    if not result["success"]:
        raise nbgrader_failed(course, "collect", assignment, result)
    times, refused = {}, {}
    for student, (path, when) in found.items():
        target = course.path("submitted", student, assignment)
        if not os.path.isdir(target):
            continue
        made_by = owner(path)
        if made_by != student:  # another account wrote in this student's name
            refused[student] = made_by or f"uid {os.lstat(path).st_uid}"
            shutil.rmtree(target)
            continue
        stamp = when.replace(tzinfo=timezone.utc).timestamp()
        for parent, _, files in os.walk(target):
            for name in files:
                if not os.path.islink(os.path.join(parent, name)):
                    os.utime(os.path.join(parent, name), (stamp, stamp))
        times[student] = when
    return times, due, refused


def give_back(course: Course, assignment: str, root: str) -> tuple[list[str], dict[str, str]]:
    """nbgrader's ``release_feedback`` of each student's ``feedback/<s>/<a>/`` page; ``(released, {student:
    why not})``. A page is released for a submission that came through the exchange (its
    ``submission_secret.txt``: the student's nbgrader finds the page by a hash of it)."""
    import shutil

    course.check([assignment])
    nbgrader = api(course, root)
    released, skipped = [], {}
    pages = sorted(glob.glob(course.path("feedback", "*", assignment, f"{glob.escape(assignment)}.html")))
    for page in pages:
        folder = os.path.dirname(page)
        student = os.path.basename(os.path.dirname(folder))
        submitted = course.path("submitted", student, assignment)
        if not os.path.isfile(os.path.join(submitted, "submission_secret.txt")):
            skipped[student] = "not submitted through the exchange (no submission_secret.txt)"
            continue
        for name in ("timestamp.txt", "submission_secret.txt"):
            shutil.copyfile(os.path.join(submitted, name), os.path.join(folder, name))
        result = nbgrader.release_feedback(assignment, student_id=student)
        if result["success"]:
            released.append(student)
        else:
            skipped[student] = nbgrader_failed(course, "return", f"{assignment}-{student}", result).args[0]
    if not pages:
        raise UsageError(f"no feedback for {assignment} yet: run `ddsp-course collect {assignment}` first")
    return released, skipped
