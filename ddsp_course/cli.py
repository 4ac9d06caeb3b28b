"""The instructor's command line: ``ddsp-course {release,solutions,grade,feedback,export,demo,lab}``."""
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
    from .grade.outcomes import FLAGS

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
        print("  notes (damage, tampering, errors, timeouts):")
        for r in flagged:
            for note in r.notes:
                print(f"    {names[r.student]}: {shown(note)}")
    fresh = [r for r in reports if not r.reused]
    counts = ", ".join(f"{sum(flag in r.flags for r in reports)} {flag}" for flag in FLAGS)
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
                      force: bool = False, workers: int | None = None, scheduler: str | None = None) -> None:
    from .export import export_csv
    from .feedback import write_feedback
    from .grade import course_lock, grade
    from .grade.outcomes import FLAGS, Note, flags

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
                note = Note("unpublished", problems[r.student])
                r.notes.append(note)
                r.flags[:] = sorted(set(r.flags) | set(flags([note])), key=FLAGS.index)
        csv_path = export_csv(course, assignment, problems)
    print_report(assignment, reports, seconds)
    print(f"  feedback: {course.path('feedback')}/<student>/{assignment}/{assignment}.html")
    print(f"  grades:   {csv_path}")


def limits(args) -> Limits:
    if args.no_sandbox:
        print("WARNING: --no-sandbox: student code runs as you, able to read and write your files "
              "and reach the network. Use it only for submissions you trust.", file=sys.stderr)
    return Limits(cell_timeout=args.timeout, sandbox=not args.no_sandbox)


def cmd_grade(course: Course, args) -> None:
    grade_and_publish(course, args.assignment, args.submissions, limits(args), not args.no_progress, args.force,
                      args.workers, args.scheduler)


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

    for assignment in course.check(args.assignments):
        print(export_csv(course, assignment))


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

    p = sub.add_parser("export", help="write grades/<assignment>.csv from the gradebook")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every assignment")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("demo", help="release everything, grade an example class, write feedback and CSVs")
    p.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="grade these (default: every assignment)")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="CPU seconds a cell may use (a wall-clock backstop of 4 times that stops one that sleeps)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-sandbox", action="store_true", help="run student code without bubblewrap")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="submissions graded at once (default: one per core)")
    p.set_defaults(run=cmd_demo)

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
