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
import tempfile
import traceback
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

import nbformat

from ..course import Course, UsageError
from ..release import register
from .cases import load_cases
from .execute import execute, time_limits
from .folder import Scan, copy, digest, scan
from .outcomes import ALL_FLAGS, Note, flags
from .prepare import Prepared, prepare
from .record import autograded_notebook, record
from .score import CaseResult, judge
from .processes.bwrap import sandbox_available
from .processes.limits import Limits
from .processes.warm import WarmParent, WarmPool, warm_modules
from .sandbox.wire import Reader


MAX_ID_BYTES = 128  # nbgrader's gradebook holds a student id of up to 128 characters; lock files need bytes


@dataclass
class StudentReport:
    student: str
    score: float
    max_score: float
    notes: list[Note] = field(default_factory=list)  # damage, tampering, errors, timeouts, ...
    results: list[CaseResult] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)   # of FLAGS: what the report counts
    reused: bool = False                             # unchanged since it was last graded
    error: str | None = None                         # why it could not be graded: nothing was recorded

    @classmethod
    def ungraded(cls, student: str, reason: str) -> "StudentReport":
        """The report of a student whose grading failed: named, with the reason, and nothing recorded."""
        notes = [Note("ungraded", f"could not be graded: {reason}")]
        return cls(student, 0.0, 0.0, notes, flags=flags(notes), error=reason)

    def add_note(self, note: Note) -> None:
        """A note found after grading (not published, late), with the flag it raises."""
        self.notes.append(note)
        self.flags[:] = sorted(set(self.flags) | set(flags([note])), key=ALL_FLAGS.index)

    def as_metadata(self) -> dict:
        return {"score": self.score, "max_score": self.max_score, "notes": [n.as_data() for n in self.notes],
                "flags": self.flags,
                "results": [dict(dataclasses.asdict(r), compared=None) for r in self.results]}

    @classmethod
    def from_metadata(cls, student: str, data: dict) -> "StudentReport":
        return cls(student, data["score"], data["max_score"], [Note.from_data(n) for n in data["notes"]],
                   [CaseResult(**r) for r in data["results"]], list(data["flags"]), reused=True)


def find_submissions(submissions: str, assignment: str) -> dict[str, str]:
    """``{student: folder}`` for ``DIR/<student>/<assignment>/`` (ids as found: see :func:`id_problem`);
    a UsageError if there are none."""
    if not os.path.isdir(submissions):
        raise UsageError(f"submissions folder {submissions} does not exist")
    found = {s: os.path.join(submissions, s, assignment) for s in sorted(os.listdir(submissions))
             if os.path.isdir(os.path.join(submissions, s, assignment))}
    if not found:
        raise UsageError(f"no submissions of {assignment} in {submissions} "
                         f"(expected DIR/<student>/{assignment}/*.ipynb)")
    return found


def id_problem(student: str) -> str | None:
    """Why the gradebook (and a file name) cannot hold ``student`` as an id, None if it can."""
    if len(student.encode(errors="surrogateescape")) > MAX_ID_BYTES:
        return f"the student id is longer than {MAX_ID_BYTES} bytes"
    if not student.isprintable() or student != student.strip():
        return "the student id holds control characters or surrounding spaces"
    if student.startswith(".") or "\\" in student:
        return "the student id starts with a dot or holds a backslash"
    return None


PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRADING_CODE = (os.path.join(PACKAGE, "grade"), os.path.join(PACKAGE, "checks.py"))  # what decides a grade:
# the grading pipeline and the sandbox's code, and the helpers a notebook's cells import (not the CLI or lab)


def _hash_tree(h, folder: str) -> None:
    """Add every folder's name and every file's name and bytes under ``folder`` (the course's own, or a
    file) to ``h``."""
    if os.path.isfile(folder):
        with open(folder, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
        return
    for base, dirs, files in sorted(os.walk(folder)):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", ".ipynb_checkpoints"))
        for name in sorted(files):
            path = os.path.join(base, name)
            h.update(os.path.relpath(path, folder).encode() + b"\0")
            with open(path, "rb") as f:
                h.update(hashlib.sha256(f.read()).digest())


def fingerprint(course: Course, assignment: str, found: Scan, limits: Limits,
                code: tuple[str, ...] = GRADING_CODE) -> str:
    """A digest of everything a student's grade depends on: the submission (``found``), the
    assignment's source (with its cases and the oracles they share) and release, the grading ``code``
    and the limits."""
    h = hashlib.sha256(repr(limits).encode())
    digest(h, found)
    for tree in (course.path("source", assignment), course.path("source", "oracles.py"),
                 course.path("release", assignment), *code):
        h.update(b"\1" + tree.encode())
        _hash_tree(h, tree)
    return h.hexdigest()


def notebook_in(found: Scan, assignment: str) -> str | None:
    """The submitted notebook: ``<assignment>.ipynb``, else the only notebook at the top of the folder."""
    top = [name for name in found.files if os.sep not in name and name.endswith(".ipynb")]
    name = f"{assignment}.ipynb" if f"{assignment}.ipynb" in top else top[0] if len(top) == 1 else None
    return None if name is None else os.path.join(found.root, name)


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


def submitted_at(found: Scan) -> datetime | None:
    """The submission's time as collected: the newest modification time of its files (never a
    ``timestamp.txt``, which the student may have written), in UTC."""
    if found.modified is None:
        return None
    return datetime.fromtimestamp(found.modified, timezone.utc).replace(tzinfo=None)


@dataclass
class Run:
    """What running one submission produced, before anything is recorded."""

    prepared: Prepared
    events: dict
    results: list[CaseResult]
    lost: str | None = None    # why the grading machinery (not the submission) failed: nothing to record
    submitted: datetime | None = None
    time_limits: dict = field(default_factory=dict)  # the limits it was graded under (execute.time_limits)


def run_one(release: nbformat.NotebookNode, assignment: str, student: str, found: Scan, cases,
            limits: Limits, client=None, warm: WarmParent | None = None, modules: tuple[str, ...] = ()) -> Run:
    """Prepare, execute in the sandbox (here, forked from ``warm``, or on a Dask worker of
    ``client``, forked there from a warm parent importing ``modules``) and judge one submission
    (``found``: what of its folder is read). Touches neither the gradebook nor ``autograded/``,
    so several run at once."""
    prepared = prepare(release, notebook_in(found, assignment))
    prepared.notes[:0] = [Note(n.kind, f"in the submission folder, {n}.") for n in found.left_out]
    if not prepared.readable:
        results = [judge(c, None, {"status": "skipped", "reason": "not run: the notebook could not be read."}, "")
                   for c in cases.cases]
        return Run(prepared, {}, results, submitted=submitted_at(found))
    with tempfile.TemporaryDirectory(prefix="ddsp-grade-", dir=warm.slot if warm else None) as scratch:
        lost = None
        submission_copy = os.path.join(scratch, "submission")
        copy(found, submission_copy)  # regular files only: the sandbox and the Dask job see no link
        if client is not None:
            events, lost = _run_remote(client, prepared.cells, cases.cases, submission_copy, limits, scratch, modules)
        else:
            events = execute(prepared.cells, cases.cases, submission_copy, os.path.join(scratch, "run"), limits, warm)
        reader = Reader()  # what is decoded of this submission's results, in all
        results = [judge(c, c.probe()[1], events.get(c.key), events.get(c.key, {}).get("out_dir", scratch), reader)
                   for c in cases.cases]
    if reader.capped:
        prepared.note("cap", f"what came back was more than the grader decodes ({reader.max_bytes >> 20} MiB or "
                             f"{reader.max_values} values): the tests past it failed.")
    return Run(prepared, events, results, lost, submitted_at(found), time_limits(limits, cases.cases, events))


def _run_remote(client, cells: list[dict], cases: list, folder: str, limits: Limits,
                scratch: str, modules: tuple[str, ...]) -> tuple[dict, str | None]:
    """``execute`` on a Dask worker: a zip of plain data out, a zip of plain data back; the events,
    and why the worker failed if it did."""
    from .processes.remote import pack_job, run_packed, unpack_result

    future = client.submit(run_packed, pack_job(cells, cases, folder, limits, modules), pure=False)
    try:
        return unpack_result(future.result(), scratch), None
    except Exception as exc:  # its worker died and so did the retry's (KilledWorker), or the result was malformed
        reason = f"its grading worker failed ({type(exc).__name__}: {str(exc)[:200]})"
        return {key: {"status": "crashed", "reason": reason}
                for key in [c["key"] for c in cells] + [c.key for c in cases]}, reason


def record_one(course: Course, gb, release: nbformat.NotebookNode, assignment: str, student: str,
               run: Run, limits: Limits, digest: str) -> StudentReport:
    """Write one submission's autograded notebook and grades (into ``gb``); its report."""
    prepared, events, results = run.prepared, run.events, run.results
    notes = list(prepared.notes)
    for cell in prepared.cells:
        event = events.get(cell["key"], {})
        where = cell.get("label", cell["key"])
        if event.get("status") == "error":
            notes.append(Note("error", f"{where} raised {str(event.get('ename'))[:100]} when run for grading."))
        elif event.get("status") == "timeout" and event.get("stopped_by") == "wall":
            notes.append(Note("timeout", f"{where} was stopped after {event.get('wall_seconds', 0):g} s of waiting "
                                         "without finishing (it sleeps, waits or blocks)."))
        elif event.get("status") == "timeout":
            notes.append(Note("timeout", f"{where} was stopped: it used up its budget of {event.get('budget', 0):g} "
                                         "CPU seconds without finishing."))
        elif event.get("status") in ("crashed", "skipped"):
            notes.append(Note("failed", f"{where} did not run ({str(event.get('reason', 'the process died'))[:300]})."))
    timeouts = [r.key for r in results if r.status == "timeout"]
    if timeouts:
        notes.append(Note("timeout", f"{len(timeouts)} test(s) timed out: {', '.join(timeouts)}."))
    manual = [c.metadata["nbgrader"]["grade_id"] for c in release.cells
              if c.metadata.get("nbgrader", {}).get("grade") and c.metadata["nbgrader"].get("solution")]
    pending = [Note("pending", f"written answer(s) {', '.join(manual)}: marked by a person later, shown as 0 "
                               "until then.")] if manual else []
    statuses = {e.get("status") for e in events.values()}
    ran = prepared.readable and "crashed" not in statuses  # "skipped" follows a timeout or a crash
    report = StudentReport(student, sum(r.score for r in results), sum(r.points for r in results), notes, results,
                           flags(notes, statuses, ran))
    if run.lost:  # not the student's doing: no grade recorded, so the next run grades it again
        notes.append(Note("ungraded", f"not graded: {run.lost}; grade again to retry."))
        return report
    nb = autograded_notebook(release, prepared.notebook, results, events, notes + pending)
    nb.metadata["ddsp_course"] = {"fingerprint": digest, "report": report.as_metadata(),
                                  "time_limits": run.time_limits}
    record(course, gb, assignment, student, release, nb, results, run.submitted)
    return report


class Backend:
    """Where submissions run, chosen once for a grading run: each in a sandbox of its own, here."""

    def __init__(self, limits: Limits, modules: tuple[str, ...], workers: int | None):
        self.limits, self.modules = limits, modules
        self.workers = max(1, workers or os.cpu_count() or 1)

    def run(self, release, assignment: str, student: str, found: Scan, cases) -> Run:
        return run_one(release, assignment, student, found, cases, self.limits)

    def close(self) -> None:
        pass


class WarmParents(Backend):
    """Each submission forked from a warm parent of this machine's (one per worker, started at once:
    they import while the grader registers the assignment)."""

    def __init__(self, limits: Limits, modules: tuple[str, ...], workers: int | None):
        super().__init__(limits, modules, workers)
        self.pool = WarmPool(limits, modules, count=self.workers)

    def run(self, release, assignment: str, student: str, found: Scan, cases) -> Run:
        with self.pool.borrow() as warm:
            return run_one(release, assignment, student, found, cases, self.limits, warm=warm)

    def close(self) -> None:
        self.pool.close()


class DaskCluster(Backend):
    """Each submission sent to a worker of the Dask cluster at ``scheduler`` (connected on first use:
    a run with nothing to grade never reaches it), one per thread of the cluster by default."""

    def __init__(self, limits: Limits, modules: tuple[str, ...], workers: int | None, scheduler: str):
        super().__init__(limits, modules, workers)
        from distributed import Client

        self.client = Client(scheduler, set_as_default=False)
        self.workers = workers or max(1, sum(self.client.nthreads().values()))

    def run(self, release, assignment: str, student: str, found: Scan, cases) -> Run:
        return run_one(release, assignment, student, found, cases, self.limits, self.client, modules=self.modules)

    def close(self) -> None:
        self.client.close()


def grade(course: Course, assignment: str, submissions: str, *, limits: Limits = Limits(),
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
        backend = None
        if scheduler is None:
            backend = (WarmParents if WarmPool.possible(limits) else Backend)(limits, modules, workers)
            stack.callback(backend.close)
        for case in cases.cases:
            case.probe()  # built here, once, before the grading threads share it
        with course_lock(course, assignment):  # concurrent runs register one at a time
            register(course, assignment)
        gb = Gradebook(course.db_url)  # one for the run: its engine keeps the compiled SQL
        stack.callback(gb.close)
        reports, digests, found = {}, {}, {}

        def first_look(student: str) -> StudentReport | None:
            """The student's earlier report if still valid; raises if the student cannot be graded."""
            if problem := id_problem(student):
                raise Ungradable(problem)
            found[student] = scan(students[student])
            digests[student] = fingerprint(course, assignment, found[student], limits)
            return None if force else previous(course, gb, assignment, student, digests[student])

        for student in students:
            reports[student] = alone(student, first_look)
        bar = stack.enter_context(tqdm(total=len(students), initial=sum(r is not None for r in reports.values()),
                                       desc=f"grading {assignment}", unit="student", disable=not progress))
        if backend is None and None in reports.values():
            backend = DaskCluster(limits, modules, workers, scheduler)
            stack.callback(backend.close)
        held: dict[str, ExitStack] = {}
        stack.callback(lambda: [lock.close() for lock in held.values()])
        pool = ThreadPoolExecutor(backend.workers if backend else 1, thread_name_prefix="grade")
        stack.callback(pool.shutdown, wait=True, cancel_futures=True)

        def run(student: str) -> Run:
            return backend.run(release, assignment, student, found[student], cases)

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

        def record_run(student: str, outcome: Run | StudentReport) -> StudentReport:
            if isinstance(outcome, StudentReport):
                return outcome
            return record_one(course, gb, release, assignment, student, outcome, limits, digests[student])

        busy = []  # students another run was grading: waited for, not graded twice
        running = {pool.submit(alone, s, claim_and_run): s for s in students if reports[s] is None}
        for future in as_completed(running):
            student, outcome = running[future], future.result()
            if outcome is None:
                busy.append(student)
                continue
            reports[student] = alone(student, record_run, outcome)
            held.pop(student, ExitStack()).close()
            bar.update()
        for student in busy:
            with course_lock(course, assignment, student):
                reports[student] = alone(student, lambda s: previous(course, gb, assignment, s, digests[s])
                                         or record_run(s, run(s)))
            bar.update()
    return [reports[s] for s in students]


class Ungradable(Exception):
    """This student cannot be graded (an id the gradebook cannot hold, ...): the message says why."""


def alone(student: str, step, *args):
    """``step(student, *args)``, any failure of which is this student's alone: it becomes the
    student's report ("could not be graded: ..."), and the rest of the class is graded."""
    try:
        return step(student, *args)
    except Ungradable as exc:
        return StudentReport.ungraded(student, str(exc))
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return StudentReport.ungraded(student, f"{type(exc).__name__} in the grader ({os.path.basename(where.filename)}"
                                               f":{where.lineno}): {str(exc)[:200]}")


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
