"""Benchmark: solution notebook run times, grading time per submission with the kit against
plain ``nbgrader autograde`` on the same class, and what the coordinator spends judging and drawing
figures per submission of each assignment (the one process a whole class, or a Dask cluster, waits
on). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench.py [--students N] [--assignment A] [--skip-notebooks]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
os.environ["DDSP_COURSE_PLAIN_NBGRADER"] = "1"  # compared against plain nbgrader autograde, which the course turns off

from conftest import copy_course  # noqa: E402

from ddsp_course.course import Course  # noqa: E402
from ddsp_course.demo import make_class  # noqa: E402
from ddsp_course.grade import grade  # noqa: E402
from ddsp_course.grade.processes.limits import Limits  # noqa: E402
from ddsp_course.release import register  # noqa: E402
from ddsp_course.solutions import build  # noqa: E402


def notebook_times(course: Course) -> None:
    print("solution notebooks (budget 60 s, target 30 s):")
    with tempfile.TemporaryDirectory() as tmp:
        for assignment in course.assignments:
            _, seconds = build(course, assignment, out_dir=tmp)
            print(f"  {assignment:<32} {seconds:6.1f} s")


def make_submissions(course: Course, assignment: str, n: int, folder: str) -> list[str]:
    """n students cycling through the demo class but its hanging student (a hang costs each
    grader its own time limit, which would measure the limit, not the grader)."""
    demo = os.path.join(folder, "_demo")
    make_class(course, assignment, demo)
    kinds = sorted(k for k in os.listdir(demo) if k != "hangs")
    students = []
    for i in range(n):
        student = f"s{i:03d}_{kinds[i % len(kinds)]}"
        shutil.copytree(os.path.join(demo, kinds[i % len(kinds)]), os.path.join(folder, student))
        students.append(student)
    shutil.rmtree(demo)
    return students


def grading_times(course: Course, assignment: str, n: int) -> None:
    subs = course.path("bench_submissions")
    students = make_submissions(course, assignment, n, subs)
    kit = {}
    for label, limits, workers in (("kit, sandboxed, 1 worker", Limits(), 1),
                                   ("kit, --no-sandbox, 1 worker", Limits(sandbox=False), 1),
                                   ("kit, sandboxed, 2 workers", Limits(), 2)):
        start = time.perf_counter()
        grade(course, assignment, subs, limits=limits, progress=False, force=True, workers=workers)
        kit[label] = (time.perf_counter() - start) / n

    api = course.api()
    register(course, assignment)
    for student in students:
        shutil.copytree(os.path.join(subs, student), course.path("submitted", student))
    start = time.perf_counter()
    for student in students:
        api.autograde(assignment, student, force=True, create=True)
    plain = (time.perf_counter() - start) / n
    print(f"grading {n} submissions of {assignment}:")
    for label, seconds in kit.items():
        print(f"  {label:<32} {seconds:6.2f} s per submission  ({seconds / plain:4.2f}x plain nbgrader)")
    print(f"  {'plain nbgrader autograde':<32} {plain:6.2f} s per submission")
    sandboxed, bare, _ = kit.values()
    print(f"  cost of isolation: {sandboxed - bare:+.2f} s per submission ({sandboxed / bare:4.2f}x)")


def coordinator_times(course: Course, n: int) -> None:
    """Per assignment, over n demo submissions: the coordinator's milliseconds per submission in
    judging (decoding what came back, running the checks) and in drawing feedback figures."""
    import ddsp_course.grade.pipeline as pipeline
    import ddsp_course.grade.record as record

    spent: dict[str, list[float]] = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name].append(time.perf_counter() - start)
        return wrapper
    judge, figure = pipeline.judge, record.comparison_png
    pipeline.judge, record.comparison_png = timed("judging", judge), timed("figures", figure)
    print(f"the coordinator's time per submission ({n} demo submissions each, ms):")
    try:
        for assignment in course.assignments:
            spent.update(judging=[], figures=[])
            subs = course.path("judging", assignment)
            make_submissions(course, assignment, n, subs)
            grade(course, assignment, subs, progress=False, force=True)
            print(f"  {assignment:<32} judging {1000 * sum(spent['judging']) / n:6.1f}   "
                  f"figures {1000 * sum(spent['figures']) / n:6.1f} ({len(spent['figures'])} drawn)")
    finally:
        pipeline.judge, record.comparison_png = judge, figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=12)
    parser.add_argument("--assignment", default="ps03_oscillator")
    parser.add_argument("--skip-notebooks", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        course = Course(copy_course(os.path.join(tmp, "course")))
        if not args.skip_notebooks:
            notebook_times(course)
        grading_times(course, args.assignment, args.students)
        coordinator_times(course, args.students)


if __name__ == "__main__":
    main()
