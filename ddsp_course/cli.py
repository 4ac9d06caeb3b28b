"""The instructor's command line: ``ddsp-course {release,solutions,grade,feedback,export,import-zip,hand-out,collect,
return,demo,report,hub,lab}``."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time

from .course import Course, UsageError
from .inert import terminal as shown
from .grade.processes.limits import Limits


def cmd_release(course: Course, args) -> None:
    from .release import release

    for path in release(course, course.check(args.assignments)):
        print(f"released {os.path.relpath(path, course.root)} (no solutions or hidden tests in it)")


def cmd_solutions(course: Course, args) -> None:
    from .solutions import build

    for assignment in course.check(args.assignments):
        path, seconds = build(course, assignment)
        print(f"wrote {os.path.relpath(path, course.root)} ({seconds:.1f} s)")


def print_report(assignment: str, reports, seconds: float) -> None:
    from .grade.outcomes import ALL_FLAGS, ARRIVAL_FLAGS

    names = {r.student: shown(r.student) for r in reports}
    width = max([len(n) for n in names.values()] + [7])
    print(f"\n{assignment}")
    print(f"  {'student':<{width}}  {'score':>11}  flags")
    for r in reports:
        flags = ", ".join(r.flags + (["unchanged, not regraded"] if r.reused else []))
        score = "  not graded" if r.error else f"{r.score:>5g} / {r.max_score:<3g}"
        print(f"  {names[r.student]:<{width}}  {score}  {flags}")
    flagged = [r for r in reports if r.notes]
    if flagged:
        print("  notes (damage, tampering, errors, timeouts, late):")
        for r in flagged:
            for note in r.notes:
                print(f"    {names[r.student]}: {shown(note)}")
    fresh = [r for r in reports if not r.reused]
    counts = ", ".join(f"{sum(flag in r.flags for r in reports)} {flag}" for flag in ALL_FLAGS
                       if flag not in ARRIVAL_FLAGS or any(flag in r.flags for r in reports))
    print(f"  {len(fresh)} graded, {len(reports) - len(fresh)} unchanged since last graded; {counts}; "
          f"{seconds:.0f} s ({len(fresh) / max(seconds, 1e-9) * 60:.1f} submissions per minute)")


def keep_submitted(course: Course, assignment: str, submissions: str, students: list[str]) -> dict[str, str]:
    """Copy the graded submissions of ``students`` to ``submitted/<student>/<assignment>/`` (their
    regular files only), where nbgrader's formgrader counts and shows them; ``{student: why not}``."""
    from nbgrader.api import Gradebook

    from .grade import folder as submission_folder
    from .grade.pipeline import alone

    def keep(student: str, gb) -> None:
        source, target = os.path.join(submissions, student, assignment), course.path("submitted", student, assignment)
        if os.path.realpath(source) != os.path.realpath(target):
            shutil.rmtree(target, ignore_errors=True)
            submission_folder.copy(submission_folder.scan(source), target)
        # the formgrader counts a submission as graded when these two timestamps agree
        with open(os.path.join(target, "timestamp.txt"), "w") as f:
            f.write(gb.find_submission(assignment, student).timestamp.isoformat())

    with Gradebook(course.db_url) as gb:
        failed = {student: alone(student, keep, gb) for student in students}
    return {student: report.error for student, report in failed.items() if report is not None}


def grade_and_publish(course: Course, assignment: str, submissions: str, limits: Limits, progress: bool,
                      force: bool = False, workers: int | None = None, scheduler: str | None = None,
                      annotate=None) -> None:
    """Grade, keep in submitted/, write feedback and the CSV, print the report (``annotate(reports)``:
    adds notes of its own to the report, e.g. ``collect``'s late submissions)."""
    from .export import export_csv
    from .feedback import write_feedback
    from .grade import course_lock, grade
    from .grade.outcomes import Note

    started = time.monotonic()
    reports = grade(course, assignment, submissions, limits=limits, progress=progress, force=force, workers=workers,
                    scheduler=scheduler)
    seconds = time.monotonic() - started
    graded = [r.student for r in reports if r.error is None]
    with course_lock(course, assignment):  # two runs at once publish one after the other
        unpublished = keep_submitted(course, assignment, submissions, graded)
        _, failed = write_feedback(course, assignment, [s for s in graded if s not in unpublished])
        unpublished.update(failed)
        problems = {}
        for r in reports:
            if r.error is not None:
                problems[r.student] = f"could not be graded: {r.error}"
            elif r.student in unpublished:
                problems[r.student] = f"could not be published: {unpublished[r.student]}"
                r.add_note(Note("unpublished", problems[r.student]))
        csv_path = export_csv(course, assignment, problems)
    if annotate is not None:
        annotate(reports)
    print_report(assignment, reports, seconds)
    print(f"  feedback: {course.path('feedback')}/<student>/{assignment}/{assignment}.html")
    print(f"  grades:   {csv_path}")


def limits(args) -> Limits:
    if args.no_sandbox:
        print("WARNING: --no-sandbox: student code runs as you, able to read and write your files "
              "and reach the network. Use it only for submissions you trust.", file=sys.stderr)
    return Limits(cell_timeout=args.timeout, sandbox=not args.no_sandbox)


def cmd_grade(course: Course, args) -> None:
    from .grade import course_lock
    from .lateness import due_date, note_late, parse_due

    course.check([args.assignment])
    if args.due:
        with course_lock(course, args.assignment):  # another coordinator may be making the gradebook
            due_date(course, args.assignment, parse_due(args.due))
    grade_and_publish(course, args.assignment, args.submissions, limits(args), not args.no_progress, args.force,
                      args.workers, args.scheduler, annotate=note_late(course, args.assignment))


def cmd_feedback(course: Course, args) -> None:
    from .feedback import write_feedback
    from .grade import find_submissions

    course.check([args.assignment])
    written, failed = write_feedback(course, args.assignment, list(find_submissions(course.path("autograded"),
                                                                                    args.assignment)))
    for student, path in written.items():
        print(f"{shown(student)}: {path if student.isprintable() else shown(path)}")
    for student, reason in failed.items():
        print(f"{shown(student)}: no feedback: {shown(reason)}")


def cmd_export(course: Course, args) -> None:
    from .export import export_csv

    if getattr(args, "lms", None):
        return cmd_export_lms(course, args)
    for assignment in course.check(args.assignments):
        print(export_csv(course, assignment))


def cmd_export_lms(course: Course, args) -> None:
    from nbgrader.api import Gradebook

    from . import roster
    from .lms import export_lms

    if args.assignments:
        assignments = course.check(args.assignments)
    else:  # every assignment with grades
        with Gradebook(course.db_url) as gb:
            graded = {a.name for a in gb.assignments if gb.assignment_submissions(a.name)}
        assignments = [a for a in course.assignments if a in graded]
        if not assignments:
            raise UsageError("nothing graded yet: grade an assignment first (ddsp-course grade ASSIGNMENT ...)")
    path, warnings = export_lms(course, args.lms, assignments, roster.load(course))
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr)
    print(f"{path} ({args.lms}: {', '.join(assignments)})")


def cmd_import_zip(course: Course, args) -> None:
    from . import roster
    from .lms import import_zip, report

    course.check([args.assignment])
    result = import_zip(course, args.assignment, args.archive, roster.load(course))
    for line in report(course, args.assignment, result):
        print(line)
    if not result.students:
        raise UsageError(f"nothing imported from {shown(args.archive)}: see above why each entry was left out")


def cmd_hand_out(course: Course, args) -> None:
    from .exchange import hand_out, root_of, sync_roster

    outbound = hand_out(course, args.assignment, root_of(course, args.exchange))
    print(f"handed out {args.assignment}: {outbound} (students: nbgrader fetch_assignment {args.assignment})")
    students = sync_roster(course)
    print(f"roster: {students} students in the gradebook" if students is not None else
          "no roster.csv: the gradebook learns students as they submit")


def cmd_collect(course: Course, args) -> None:
    from .exchange import collect, root_of
    from .lateness import note_late, parse_due

    due = parse_due(args.due) if args.due else None
    times, due, refused = collect(course, args.assignment, root_of(course, args.exchange), due)
    for student, made_by in refused.items():
        print(f"warning: {shown(student)}'s latest submission was made by the account {shown(made_by)}: "
              "not collected, not graded", file=sys.stderr)
    print(f"collected {len(times)} submissions of {args.assignment} into submitted/ "
          f"(due: {f'{due:%Y-%m-%d %H:%M} UTC' if due else 'none set'})")
    if not times:
        raise UsageError(f"nothing submitted for {args.assignment} yet")
    grade_and_publish(course, args.assignment, course.path("submitted"), limits(args), not args.no_progress,
                      args.force, args.workers, args.scheduler, annotate=note_late(course, args.assignment))


def cmd_return(course: Course, args) -> None:
    from .exchange import give_back, root_of

    released, skipped = give_back(course, args.assignment, root_of(course, args.exchange))
    for student, why in skipped.items():
        print(f"{shown(student)}: not returned: {shown(why)}")
    print(f"returned feedback on {args.assignment} to {len(released)} students "
          f"(students: nbgrader fetch_feedback {args.assignment})")


def cmd_demo(course: Course, args) -> None:
    from .demo import prepare_demo
    from .release import release

    graded = course.check(args.assignments)
    release(course, course.assignments)
    print(f"released {len(course.assignments)} assignments to release/")
    submissions = prepare_demo(course, graded)
    print(f"example class written to {os.path.relpath(submissions, course.root)}/")
    for assignment in graded:
        grade_and_publish(course, assignment, submissions, limits(args), not args.no_progress, workers=args.workers)


def cmd_report(course: Course, args) -> None:
    from .report import write_report

    path, summary = write_report(course, args.assignment, None if args.no_similarity else args.similarity,
                                 args.submissions)
    for line in summary:
        print(shown(line))
    print(f"report: {path}")


def cmd_hub(course: Course, args) -> None:
    from .hub import run_hub

    run_hub(course, args)


def cmd_lab(course: Course, args) -> None:
    from .lab import run_lab

    if args.assignment is not None:
        course.check([args.assignment])
    run_lab(course, args.assignment, args.port, not args.no_browser)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="ddsp-course", description=__doc__)
    top.add_argument("--course", default=None, help="course root (default: found from the current folder)")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("release", help="generate student notebooks in release/ with nbgrader")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every assignment")
    p.set_defaults(run=cmd_release)

    p = sub.add_parser("solutions", help="write executed instructor notebooks to solutions/")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every assignment")
    p.set_defaults(run=cmd_solutions)

    p = sub.add_parser("grade", help="grade DIR/<student>/ASSIGNMENT/*.ipynb; write feedback and a grades CSV")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.add_argument("--submissions", required=True, metavar="DIR", help="folder of <student>/<assignment>/ folders")
    p.add_argument("--due", metavar="WHEN", default=None,
                   help="the due date ('2026-12-10 17:00', local time unless an offset is given), kept in the "
                        "gradebook for later runs: a submission whose newest file is later is flagged late (an "
                        "LMS import's files carry the upload times)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="CPU seconds a cell may use (a wall-clock backstop of 4 times that stops one that sleeps)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-sandbox", action="store_true", help="run student code without bubblewrap (trusted code only)")
    p.add_argument("--force", action="store_true", help="regrade submissions that are unchanged since last graded")
    p.add_argument("--scheduler", metavar="ADDRESS", default=os.environ.get("DDSP_COURSE_SCHEDULER"),
                   help="run the sandboxes on the workers of this Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                        "(default: $DDSP_COURSE_SCHEDULER, else this machine)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="submissions graded at once (default: one per core)")
    p.set_defaults(run=cmd_grade)

    p = sub.add_parser("feedback", help="render feedback HTML again from autograded/ and the gradebook")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.set_defaults(run=cmd_feedback)

    p = sub.add_parser("export", help="write grades/<assignment>.csv from the gradebook "
                                      "(--lms: the grade CSV Canvas or Moodle imports)")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                   help="default: every assignment (with --lms: every graded one)")
    p.add_argument("--lms", choices=("canvas", "moodle"), default=None,
                   help="write grades/<lms>.csv instead: the assignments' totals, students mapped through "
                        "roster.csv (canvas: Student, ID, SIS User ID, SIS Login ID, Section; "
                        "moodle: Email address and/or ID number)")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("import-zip", help="import an LMS's zip of submissions (Canvas, Moodle) into "
                                          "submitted/<student>/ASSIGNMENT/, students mapped through roster.csv",
                       description="Import the zip Canvas or Moodle gives for ASSIGNMENT's submissions into "
                                   "submitted/<student>/ASSIGNMENT/ASSIGNMENT.ipynb (then: ddsp-course grade "
                                   "ASSIGNMENT --submissions submitted). Students are mapped through roster.csv; "
                                   "the later upload wins; what is not imported is kept in "
                                   "imports/ASSIGNMENT/unmatched/ and listed; unsafe entries (links, absolute "
                                   "paths, '..', over the size caps) are refused; the LMS's times and late flags "
                                   "go to imports/ASSIGNMENT/submissions.json.")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.add_argument("archive", metavar="ARCHIVE", help="the zip downloaded from the LMS")
    p.set_defaults(run=cmd_import_zip)

    exchange_help = ("nbgrader's exchange root (default: $DDSP_COURSE_EXCHANGE, else c.Exchange.root of "
                     "nbgrader_config.py); students pass the same with --Exchange.root")
    p = sub.add_parser("hand-out", help="put release/ASSIGNMENT/ in nbgrader's exchange for students to fetch",
                       description="nbgrader release_assignment of the checked release/ASSIGNMENT/ (run "
                                   "`ddsp-course release ASSIGNMENT` first) into the exchange, made with nbgrader's "
                                   "permissions (root and inbound world-writable and sticky, inbound not "
                                   "listable, outbound readable); roster.csv's students go into the gradebook. "
                                   "Students: nbgrader fetch_assignment ASSIGNMENT --course COURSE_ID")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.add_argument("--exchange", metavar="DIR", default=None, help=exchange_help)
    p.set_defaults(run=cmd_hand_out)

    p = sub.add_parser("collect", help="collect the exchange's submissions into submitted/, grade them, publish",
                       description="nbgrader collect of ASSIGNMENT's latest submission per student into "
                                   "submitted/, then as `ddsp-course grade ASSIGNMENT --submissions submitted`: "
                                   "feedback, grades CSV, report. Submissions after the due date are flagged "
                                   "late in the report (the time is the later of the one the exchange folder's "
                                   "name gives and the folder's last change). roster.csv's students go into "
                                   "the gradebook.")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.add_argument("--due", metavar="WHEN", default=None,
                   help="the due date, e.g. '2026-12-10 17:00' (local time unless an offset is given), kept in "
                        "the gradebook (default: the one kept before, else none)")
    p.add_argument("--exchange", metavar="DIR", default=None, help=exchange_help)
    p.add_argument("--timeout", type=float, default=60.0,
                   help="CPU seconds a cell may use (a wall-clock backstop of 4 times that stops one that sleeps)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-sandbox", action="store_true", help="run student code without bubblewrap (trusted code only)")
    p.add_argument("--force", action="store_true", help="regrade submissions that are unchanged since last graded")
    p.add_argument("--scheduler", metavar="ADDRESS", default=os.environ.get("DDSP_COURSE_SCHEDULER"),
                   help="run the sandboxes on the workers of this Dask scheduler (default: $DDSP_COURSE_SCHEDULER)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="submissions graded at once (default: one per core)")
    p.set_defaults(run=cmd_collect)

    p = sub.add_parser("return", help="release the feedback on ASSIGNMENT to the exchange",
                       description="nbgrader release_feedback of feedback/<student>/ASSIGNMENT/ for each "
                                   "submission collected from the exchange. Students: nbgrader fetch_feedback "
                                   "ASSIGNMENT --course COURSE_ID (each finds only their own page).")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.add_argument("--exchange", metavar="DIR", default=None, help=exchange_help)
    p.set_defaults(run=cmd_return)

    p = sub.add_parser("demo", help="release everything, grade an example class, write feedback and CSVs")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="grade these (default: every assignment)")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="CPU seconds a cell may use (a wall-clock backstop of 4 times that stops one that sleeps)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-sandbox", action="store_true", help="run student code without bubblewrap")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="submissions graded at once (default: one per core)")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("report", help="class insight: scores, hardest cases, item analysis, failures, similar "
                                      "submissions (reports/ASSIGNMENT.html, or reports/course.html)")
    p.add_argument("assignment", nargs="?", metavar="ASSIGNMENT", help="default: the whole course")
    p.add_argument("--similarity", type=float, default=0.6, metavar="FRACTION",
                   help="list pairs sharing at least this share of one side's answer code (default 0.6)")
    p.add_argument("--no-similarity", action="store_true", help="do not compare submissions")
    p.add_argument("--submissions", default=None, metavar="DIR",
                   help="where to read answers not kept in submitted/ (DIR/<student>/<assignment>/)")
    p.set_defaults(run=cmd_report)

    p = sub.add_parser("hub", help="a JupyterHub for the class on this machine (run as root): roster.csv's "
                                   "students and the instructor log in with their Unix accounts",
                       description="JupyterHub (PAM logins, a JupyterLab server per account running as that "
                                   "account) for the instructor (the owner of the course folder) and the students "
                                   "of roster.csv: accounts made when missing (first passwords in "
                                   "SRV/hub/passwords.csv, root only), a class environment SRV/env, nbgrader's "
                                   "exchange, the formgrader for the instructor only. Ctrl-C stops it.")
    p.add_argument("--ip", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--port", type=int, default=8000,
                   help="the class's port (default 8000); the hub's API takes PORT+1, the proxy's PORT+2 (loopback)")
    p.add_argument("--instructor", metavar="ACCOUNT", default=None,
                   help="the instructor's Unix account (default: the course folder's owner, which it must be)")
    p.add_argument("--srv", metavar="DIR", default=None,
                   help="the hub's state, class environment and role configs (default /srv/ddsp-course/COURSE_ID)")
    p.add_argument("--homes", metavar="DIR", default=None, help="where new accounts' homes go (default /home)")
    p.add_argument("--exchange", metavar="DIR", default=None,
                   help="nbgrader's exchange (default: the course's, or /srv/nbgrader/exchange when that one is "
                        "inside the course folder)")
    p.add_argument("--ssl-cert", metavar="FILE", default=None, help="TLS certificate (with --ssl-key)")
    p.add_argument("--ssl-key", metavar="FILE", default=None, help="TLS key")
    p.add_argument("--hub-config", metavar="FILE", default=None,
                   help="more JupyterHub configuration, loaded last (e.g. the university's OAuth; root's file only)")
    p.add_argument("--plain-http", action="store_true",
                   help="allow a non-loopback --ip without TLS (only on a network you trust)")
    p.set_defaults(run=cmd_hub)

    p = sub.add_parser("lab", help="JupyterLab: a student's copy of ASSIGNMENT, or the course and its formgrader")
    p.add_argument("assignment", nargs="?", metavar="ASSIGNMENT", help="work on workspace/ASSIGNMENT/ as a student")
    p.add_argument("--port", type=int, default=8888)
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.set_defaults(run=cmd_lab)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        course = Course.find(args.course) if args.course is None else Course(os.path.abspath(args.course))
        if not os.path.isfile(course.path("nbgrader_config.py")):
            raise UsageError(f"{course.root} is not a course (no nbgrader_config.py)")
        args.run(course, args)
    except UsageError as exc:
        print(f"ddsp-course: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
