"""``grade``: score a folder of submissions along the pipeline
prepare -> execute (separate limited process) -> score (trusted side) -> record.

Grading is idempotent and resumable: each autograded notebook carries a fingerprint of
everything its grade depends on (the submission's files, the assignment's source and
release, the grading code, the limits). A student whose fingerprint is unchanged and whose
grade is in the gradebook is not graded again, so an interrupted run picks up where it
stopped and a late resubmission regrades only that student.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import shutil
import stat
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime

import nbformat

from ..course import Course, UsageError
from ..release import register
from .cases import load_cases
from .execute import Limits, execute, sandbox_available, special_files
from .prepare import Prepared, prepare
from .record import autograded_notebook, record
from .score import CaseResult, judge
from .warm import WarmParent, WarmPool, warm_modules


FLAGS = ("failed to run", "timed out", "tampering")


@dataclass
class StudentReport:
    student: str
    score: float
    max_score: float
    notes: list[str] = field(default_factory=list)   # damage, tampering, errors, timeouts
    results: list[CaseResult] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)   # of FLAGS: what the report counts
    reused: bool = False                             # unchanged since it was last graded

    def as_metadata(self) -> dict:
        return {"score": self.score, "max_score": self.max_score, "notes": self.notes, "flags": self.flags,
                "results": [dict(dataclasses.asdict(r), compared=None) for r in self.results]}

    @classmethod
    def from_metadata(cls, student: str, data: dict) -> "StudentReport":
        return cls(student, data["score"], data["max_score"], list(data["notes"]),
                   [CaseResult(**r) for r in data["results"]], list(data["flags"]), reused=True)


def find_submissions(submissions: str, assignment: str) -> dict[str, str]:
    """``{student: folder}`` for ``DIR/<student>/<assignment>/``; a UsageError if there are none."""
    if not os.path.isdir(submissions):
        raise UsageError(f"submissions folder {submissions} does not exist")
    found = {s: os.path.join(submissions, s, assignment) for s in sorted(os.listdir(submissions))
             if os.path.isdir(os.path.join(submissions, s, assignment))}
    if not found:
        raise UsageError(f"no submissions of {assignment} in {submissions} (expected DIR/<student>/{assignment}/*.ipynb)")
    return found


def _hash_tree(h, folder: str) -> None:
    """Add every file name, link target and regular file's bytes under ``folder`` to ``h``."""
    for base, dirs, files in sorted(os.walk(folder)):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", ".ipynb_checkpoints"))
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(base, d))]:
            path = os.path.join(base, name)
            h.update(os.path.relpath(path, folder).encode() + b"\0")
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                h.update(b"link " + os.readlink(path).encode() + b"\0")
            elif stat.S_ISREG(mode):
                with open(path, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())


def fingerprint(course: Course, assignment: str, folder: str, limits: Limits) -> str:
    """A digest of everything a student's grade depends on."""
    h = hashlib.sha256(repr(limits).encode())
    for tree in (folder, course.path("source", assignment), course.path("release", assignment),
                 os.path.dirname(os.path.dirname(os.path.abspath(__file__)))):
        h.update(b"\1" + tree.encode())
        _hash_tree(h, tree)
    return h.hexdigest()


def previous(course: Course, gb, assignment: str, student: str, digest: str) -> StudentReport | None:
    """The report of the last grading of this very submission, if it is complete and in ``gb``."""
    from nbgrader.api import MissingEntry

    path = course.path("autograded", student, assignment, f"{assignment}.ipynb")
    try:
        data = nbformat.read(path, as_version=4).metadata.get("ddsp_course", {})
    except (OSError, ValueError):
        return None
    if data.get("fingerprint") != digest:
        return None
    try:
        recorded = gb.find_submission(assignment, student).code_score  # written answers are a person's
    except MissingEntry:
        return None
    finally:
        gb.db.close()  # this thread's session: nothing held between reads
    report = StudentReport.from_metadata(student, data["report"])
    return report if abs(recorded - report.score) < 1e-9 else None


def submitted_at(folder: str) -> datetime | None:
    """The submission's time from nbgrader's ``timestamp.txt``, if it has a readable one."""
    from nbgrader.utils import parse_utc

    try:
        with open(os.path.join(folder, "timestamp.txt")) as f:
            return parse_utc(f.read(100).strip()).replace(tzinfo=None)
    except (OSError, ValueError, OverflowError):
        return None


@dataclass
class Run:
    """What running one submission produced, before anything is recorded."""

    prepared: Prepared
    events: dict
    results: list[CaseResult]
    lost: str | None = None    # why the grading machinery (not the submission) failed: nothing to record


def run_one(release: nbformat.NotebookNode, assignment: str, student: str, folder: str, cases,
            limits: Limits, client=None, warm: WarmParent | None = None, modules: tuple[str, ...] = ()) -> Run:
    """Prepare, execute in the sandbox (here, forked from ``warm``, or on a Dask worker of
    ``client``, forked there from a warm parent importing ``modules``) and judge one submission.
    Touches neither the gradebook nor ``autograded/``, so several run at once."""
    path = os.path.join(folder, f"{assignment}.ipynb")
    if not os.path.isfile(path):
        candidates = sorted(f for f in os.listdir(folder) if f.endswith(".ipynb"))
        path = os.path.join(folder, candidates[0]) if len(candidates) == 1 else path
    if any(os.path.islink(p) for p in (os.path.dirname(folder), folder, path)):
        # a link could make the grader read the master notebook, or another student's, as this submission
        prepared = Prepared(None, notes=["the submitted notebook is a symbolic link, which grading never follows: "
                                         "it was scored as blank."])
    else:
        prepared = prepare(release, path)
    if not prepared.readable:
        results = [judge(c, None, {"status": "skipped", "reason": "not run: the notebook could not be read."}, "")
                   for c in cases.cases]
        return Run(prepared, {}, results)
    with tempfile.TemporaryDirectory(prefix="ddsp-grade-", dir=warm.slot if warm else None) as scratch:
        lost = None
        if client is not None:
            events, lost = _run_remote(client, prepared.cells, cases.cases, folder, limits, scratch, modules)
        else:
            submission_copy = os.path.join(scratch, "submission")
            shutil.copytree(folder, submission_copy, symlinks=True, ignore=special_files)
            events = execute(prepared.cells, cases.cases, submission_copy, os.path.join(scratch, "run"), limits, warm)
        results = [judge(c, c.probe()[1], events.get(c.key), events.get(c.key, {}).get("out_dir", scratch))
                   for c in cases.cases]
    return Run(prepared, events, results, lost)


def _run_remote(client, cells: list[dict], cases: list, folder: str, limits: Limits,
                scratch: str, modules: tuple[str, ...]) -> tuple[dict, str | None]:
    """``execute`` on a Dask worker: a zip of plain data out, a zip of plain data back; the events,
    and why the worker failed if it did."""
    from .remote import pack_job, run_packed, unpack_result

    future = client.submit(run_packed, pack_job(cells, cases, folder, limits, modules), pure=False)
    try:
        return unpack_result(future.result(), scratch), None
    except Exception as exc:  # its worker died and so did the retry's (KilledWorker), or the result was malformed
        reason = f"its grading worker failed ({type(exc).__name__}: {str(exc)[:200]})"
        return {key: {"status": "crashed", "reason": reason}
                for key in [c["key"] for c in cells] + [c.key for c in cases]}, reason


def record_one(course: Course, gb, release: nbformat.NotebookNode, assignment: str, student: str, folder: str,
               run: Run, limits: Limits, digest: str) -> StudentReport:
    """Write one submission's autograded notebook and grades (into ``gb``); its report."""
    prepared, events, results = run.prepared, run.events, run.results
    notes = list(prepared.notes)
    for cell in prepared.cells:
        event = events.get(cell["key"], {})
        where = cell.get("label", cell["key"])
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
    statuses = {e.get("status") for e in events.values()}
    ran = prepared.readable and "crashed" not in statuses  # "skipped" follows a timeout or a crash
    tampered = any(not n.startswith(("answer cell", "the notebook could not be read")) for n in prepared.notes)
    flags = [flag for flag, raised in zip(FLAGS, (not ran, "timeout" in statuses, tampered)) if raised]
    report = StudentReport(student, sum(r.score for r in results), sum(r.points for r in results), notes, results,
                           flags)
    if run.lost:  # not the student's doing: no grade recorded, so the next run grades it again
        notes.append(f"not graded: {run.lost}; grade again to retry.")
        return report
    nb = autograded_notebook(release, prepared.notebook, results, events, notes + pending)
    nb.metadata["ddsp_course"] = {"fingerprint": digest, "report": report.as_metadata()}
    record(course, gb, assignment, student, release, nb, results, submitted_at(folder))
    return report


def grade(course: Course, assignment: str, submissions: str, limits: Limits = Limits(),
          progress: bool = True, force: bool = False, workers: int | None = None,
          scheduler: str | None = None) -> list[StudentReport]:
    """Grade every ``submissions/<student>/<assignment>/`` into the gradebook and ``autograded/``,
    running ``workers`` sandboxes at once (default: one per core, or per thread of the Dask
    cluster at ``scheduler``); a submission graded before, unchanged, is reused unless ``force``.
    Only this thread, the coordinator, scores and writes the gradebook."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from nbgrader.api import Gradebook
    from tqdm.auto import tqdm

    course.check([assignment])
    if limits.sandbox and scheduler is None and not sandbox_available():
        raise UsageError("bubblewrap (bwrap) is not installed, so student code cannot be isolated: "
                         "install it (apt-get install bubblewrap) or pass --no-sandbox for trusted submissions")
    if not os.path.isfile(course.released(assignment)):
        raise UsageError(f"{assignment} has not been released yet: run `ddsp-course release {assignment}`")
    students = find_submissions(submissions, assignment)
    cases = load_cases(course.root, assignment)
    release = nbformat.read(course.released(assignment), as_version=4)
    modules = warm_modules(release)  # here: ast.parse is not thread-safe in Python 3.11
    with ExitStack() as stack:  # closes, last first: the threads, locks, Dask client, bar, gradebook, warm parents
        parents = None
        if scheduler is None and WarmPool.possible(limits):  # they import while the cases and gradebook are made ready
            parents = WarmPool(limits, modules, count=max(1, workers or os.cpu_count() or 1))
            stack.callback(parents.close)
        for case in cases.cases:
            case.probe()  # built here, once, before the grading threads share it
        with course_lock(course, assignment):  # concurrent runs register one at a time
            register(course, assignment)
        gb = Gradebook(course.db_url)  # one for the run: its engine keeps the compiled SQL
        stack.callback(gb.close)
        reports, digests = {}, {}
        for student, folder in students.items():
            digests[student] = fingerprint(course, assignment, folder, limits)
            reports[student] = None if force else previous(course, gb, assignment, student, digests[student])
        bar = stack.enter_context(tqdm(total=len(students), initial=sum(r is not None for r in reports.values()),
                                       desc=f"grading {assignment}", unit="student", disable=not progress))
        client = None
        if scheduler is not None and None in reports.values():
            from distributed import Client

            client = stack.enter_context(Client(scheduler, set_as_default=False))
            workers = workers or sum(client.nthreads().values())
        held: dict[str, ExitStack] = {}
        stack.callback(lambda: [lock.close() for lock in held.values()])
        pool = ThreadPoolExecutor(max(1, workers or os.cpu_count() or 1), thread_name_prefix="grade")
        stack.callback(pool.shutdown, wait=True, cancel_futures=True)

        def run(student: str) -> Run:
            if parents is None:
                return run_one(release, assignment, student, students[student], cases, limits, client, modules=modules)
            with parents.borrow() as warm:
                return run_one(release, assignment, student, students[student], cases, limits, warm=warm)

        def claim_and_run(student: str) -> Run | StudentReport | None:
            """Run one submission unless another run on this course is grading it (None) or has just
            graded it (its report)."""
            lock = ExitStack()
            if not lock.enter_context(course_lock(course, assignment, student, wait=False)):
                lock.close()
                return None
            held[student] = lock  # released once its grades are recorded (or the run ends)
            if not force and (done := previous(course, gb, assignment, student, digests[student])):
                return done
            return run(student)

        def record_run(student: str, outcome: Run) -> StudentReport:
            return record_one(course, gb, release, assignment, student, students[student], outcome, limits,
                              digests[student])

        busy = []  # students another run was grading: waited for, not graded twice
        running = {pool.submit(claim_and_run, s): s for s in students if reports[s] is None}
        for future in as_completed(running):
            student, outcome = running[future], future.result()
            if outcome is None:
                busy.append(student)
                continue
            reports[student] = outcome if isinstance(outcome, StudentReport) else record_run(student, outcome)
            held.pop(student).close()
            bar.update()
        for student in busy:
            with course_lock(course, assignment, student):
                reports[student] = (previous(course, gb, assignment, student, digests[student])
                                    or record_run(student, run(student)))
            bar.update()
    return [reports[s] for s in students]


@contextmanager
def course_lock(course: Course, assignment: str, student: str = "", wait: bool = True):
    """An exclusive lock on one assignment (registering it, publishing its grades) or on one student's
    grading, shared by every run on this course folder and, on a PostgreSQL gradebook, by every run
    on that gradebook (from other machines too); yields False at once if not ``wait`` and another
    run holds it."""
    import fcntl

    name = f"{assignment}--{student}"
    folder = course.path(".grading-locks")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{name}.lock"), "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            with _gradebook_lock(course.db_url, name, wait) as held:
                yield held
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


@contextmanager
def _gradebook_lock(url: str, name: str, wait: bool):
    """A PostgreSQL advisory lock named ``name``, held by a connection of its own (closing it
    releases the lock, even if this process dies); True at once for other databases, which only
    this machine's runs share (SQLite: a file, so the file lock above covers it)."""
    if not url.startswith("postgresql"):
        yield True
        return
    from sqlalchemy import text

    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with _lock_engine(url).connect() as connection:
        if wait:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        elif not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
            yield False
            return
        connection.commit()  # the lock is the session's: no transaction stays open while it is held
        yield True  # closing the connection ends its session, and so the lock


@functools.cache
def _lock_engine(url: str):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(url, poolclass=NullPool)  # a connection per lock, closed with it
