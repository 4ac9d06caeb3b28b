"""Benchmark: grading a class at scale. Prints figures; asserts nothing.

Two classes: N copies of a trivial assignment (one function, one test: pure overhead) and N
varied submissions of ps03 (the demo class's kinds, real tests). Each is graded, in one run, by
plain ``nbgrader autograde`` serially, the kit with 1 and 2 workers (runs forked from warm parents,
the default), the kit with 2 workers starting a sandbox per run ("cold", as on machines without a
pids cgroup), and the kit on a Dask LocalCluster of 2 single-thread workers, each with a warm
parent of its own (cluster start-up not counted). Besides each run's total, its steady rate is
printed: seconds per submission between each worker's first finished submission and the last one,
so without the run's fixed start-up (importing what the assignment imports, once per worker and
run): what a class large enough to hide the start-up would see.

The kit's warm runs with 1 and 2 workers are repeated (``--repeat``, alternately): the machine's
speed drifts, so one pair of runs can mislead by 0.1x in their ratio. So is the kit with 1 worker
confined to one core (the coordinator, its warm parent and runs alike): it tells whether a single
worker already draws on the second core, which would make "2 workers against 1" understate what
the second core adds. (Measured on 2 cores: it does not; the coordinator's work fits in the run's
waits, and 1 worker is as fast on one core.)

    .venv/bin/python benchmarks/scale.py [--students N] [--repeat K]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import warnings

os.environ.setdefault("MPLBACKEND", "Agg")

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
os.environ["DDSP_COURSE_PLAIN_NBGRADER"] = "1"  # compared against plain nbgrader autograde, which the course turns off

from bench import make_submissions  # noqa: E402
from conftest import copy_course  # noqa: E402

from ddsp_course.course import Course  # noqa: E402
from ddsp_course.grade import grade  # noqa: E402
from ddsp_course.release import register, release  # noqa: E402

TRIVIAL = "trivial"
ONE_CORE = "kit, 1 worker, 1 core"  # everything of the run (coordinator, warm parent, runs) on one core
HIDDEN = '''from ddsp_course.grade.cases import expect
from ddsp_course.grade.cases import Cases

CASES = Cases()


@CASES.case("test_double", 1, "doubles", visible=True)
def doubles(p):
    y = p.call("double", 2.0)

    def check(r):
        expect.that(r[y] == 4.0, "double(2.0) should be 4.0")
    return check
'''


def add_trivial_assignment(course: Course) -> None:
    """source/trivial/: one answer cell and one test cell; released."""
    def cell(source, **meta):
        c = nbformat.v4.new_code_cell(source)
        c.metadata["nbgrader"] = {"schema_version": 3, "solution": False, "grade": False, "locked": False, **meta}
        return c
    nb = nbformat.v4.new_notebook(cells=[
        cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION", solution=True,
             grade_id="double"),
        cell("assert double(2) == 4", grade=True, locked=True, points=1, grade_id="test_double")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    os.makedirs(course.path("source", TRIVIAL))
    nbformat.write(nb, course.master(TRIVIAL))
    with open(course.path("source", TRIVIAL, "hidden_cases.py"), "w") as f:
        f.write(HIDDEN)
    release(course, [TRIVIAL])


def trivial_class(course: Course, n: int, folder: str) -> None:
    nb = nbformat.read(course.released(TRIVIAL), as_version=4)
    nb.cells[0].source = "def double(x):\n    return 2 * x"
    for i in range(n):
        os.makedirs(os.path.join(folder, f"s{i:03d}", TRIVIAL))
        nbformat.write(nb, os.path.join(folder, f"s{i:03d}", TRIVIAL, f"{TRIVIAL}.ipynb"))


def plain_nbgrader(course: Course, assignment: str, subs: str) -> float:
    api = course.api()
    register(course, assignment)
    students = sorted(os.listdir(subs))
    for student in students:
        shutil.copytree(os.path.join(subs, student), course.path("submitted", student), dirs_exist_ok=True)
    start = time.perf_counter()
    for student in students:
        api.autograde(assignment, student, force=True, create=True)
    return time.perf_counter() - start


def measure(course: Course, assignment: str, subs: str, n: int, compute: float, scheduler: str,
            repeat: int) -> None:
    """Grade the class each way and print the table; the kit with 1 and with 2 workers ``repeat``
    times, alternately, reporting the median run and the range of the ratios between them."""
    import statistics

    import ddsp_course.grade.pipeline as grading

    seconds = {"plain nbgrader autograde": [plain_nbgrader(course, assignment, subs)]}
    steady = {}
    record_one, possible = grading.record_one, grading.WarmPool.possible
    warm_runs = (("kit, 1 worker", 1, None, True), ("kit, 2 workers", 2, None, True),
                 (ONE_CORE, 1, None, True)) * repeat
    other_runs = (("kit, 2 workers, cold", 2, None, False), ("kit, Dask, 2 workers", None, scheduler, False))
    cores = os.sched_getaffinity(0)
    for label, workers, address, warm in warm_runs + other_runs:
        finished = []  # when each submission's grades were recorded
        grading.record_one = lambda *args: (record_one(*args), finished.append(time.perf_counter()))[0]
        grading.WarmPool.possible = possible if warm else staticmethod(lambda limits: False)
        if label == ONE_CORE:  # threads and processes started from here on inherit it
            os.sched_setaffinity(0, {min(cores)})
        start = time.perf_counter()
        try:
            grade(course, assignment, subs, progress=False, force=True, workers=workers, scheduler=address)
        finally:
            grading.record_one, grading.WarmPool.possible = record_one, possible
            os.sched_setaffinity(0, cores)
        seconds.setdefault(label, []).append(time.perf_counter() - start)
        first = (workers or 2) - 1  # by then every worker has finished one: started up
        steady.setdefault(label, []).append((finished[-1] - finished[first]) / (len(finished) - 1 - first))
    plain = seconds["plain nbgrader autograde"][0]
    print(f"\n{n} submissions of {assignment} (the tests' own compute: {compute:.2f} s per submission)")
    print(f"  {'':<26} {'s/submission':>12} {'throughput':>11} {'overhead':>9} {'steady s/sub':>13}")
    for label, totals in seconds.items():
        total = statistics.median(totals)
        per = total / n
        rate = f"{statistics.median(steady[label]):13.3f}" if label in steady else ""
        print(f"  {label:<26} {per:12.2f} {plain / total:10.1f}x {per - compute:8.2f}s {rate}")
    one, two = "kit, 1 worker", "kit, 2 workers"

    def ratios(runs: dict, one: str = one) -> str:
        pairs = sorted(a / b for a, b in zip(runs[one], runs[two]))
        spread = f" ({pairs[0]:.2f} to {pairs[-1]:.2f} over {len(pairs)} pairs of runs)" if len(pairs) > 1 else ""
        return f"{statistics.median(pairs):.2f}x{spread}"
    if repeat > 1:
        print(f"  (the kit with 1 and with 2 workers: the median of {repeat} runs each)")
    print(f"  2 workers against 1: {ratios(seconds)} in all; {ratios(steady)} steady "
          f"(starting a warm parent takes {warm_start_seconds(course, assignment):.1f} s)")
    print(f"  2 workers on 2 cores against 1 worker on 1 core: {ratios(seconds, ONE_CORE)} in all; "
          f"{ratios(steady, ONE_CORE)} steady")


def main() -> None:
    warnings.filterwarnings("ignore", module="nbgrader")  # nbgrader 0.9 on SQLAlchemy 2: autoflush chatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the kit with 1 and with 2 workers, alternately")
    args = parser.parse_args()
    import dask
    from distributed import Client, LocalCluster

    n = args.students
    with tempfile.TemporaryDirectory() as tmp, dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
            LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None) as cluster:
        course = Course(copy_course(os.path.join(tmp, "course")))
        add_trivial_assignment(course)
        trivial_class(course, n, os.path.join(tmp, "trivial"))
        measure(course, TRIVIAL, os.path.join(tmp, "trivial"), n, 0.0, cluster.scheduler_address, args.repeat)
        make_submissions(course, "ps03_oscillator", n, os.path.join(tmp, "ps03"))
        compute = compute_seconds(course, "ps03_oscillator", os.path.join(tmp, "ps03"))
        measure(course, "ps03_oscillator", os.path.join(tmp, "ps03"), n, compute, cluster.scheduler_address,
                args.repeat)
        with Client(cluster, set_as_default=False) as client:
            dask_workers = client.run(peak_mb).values()
        parent, run = warm_peaks(course, "ps03_oscillator", os.path.join(tmp, "ps03"))
    print(f"\npeak memory (MB): the coordinator {peak_mb()[0]:.0f}; its largest child {peak_mb()[1]:.0f} (a sandbox, "
          "or a kernel of plain nbgrader's); Dask workers (own + largest sandbox): "
          + ", ".join(f"{own:.0f} + {box:.0f}" for own, box in dask_workers)
          + f"; a warm parent {parent:.0f} and the largest run forked from it {run:.0f} (pages shared with the parent "
          "are counted in both)")


def compute_seconds(course: Course, assignment: str, subs: str) -> float:
    """The class's own compute per submission: what grading runs (its cells, then every case's
    probe and check), in this process with the libraries already imported."""
    import contextlib
    import io

    from ddsp_course.grade.cases import load_cases
    from ddsp_course.grade.prepare import prepare
    from ddsp_course.grade.sandbox.runner import run_probe
    from ddsp_course.grade.score import judge

    release_nb = nbformat.read(course.released(assignment), as_version=4)
    cases = load_cases(course.root, assignment).cases
    students = sorted(os.listdir(subs))
    total, cwd = 0.0, os.getcwd()
    for i, student in enumerate([students[0]] + students):  # the first, once more, to warm the imports
        folder = os.path.join(subs, student, assignment)
        prepared = prepare(release_nb, os.path.join(folder, f"{assignment}.ipynb"))
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as out, contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            os.chdir(folder)
            namespace: dict = {}
            for cell in prepared.cells:
                try:
                    exec(compile(cell["source"], cell["key"], "exec"), namespace)
                except Exception:
                    pass
            for case in cases:
                probe, check = case.probe()
                event = run_probe(probe.ops, lambda name, a=probe.arrays: a[name], namespace, out, case.key)
                judge(case, check, event, out)
            os.chdir(cwd)
        total += (time.perf_counter() - start) if i else 0.0
    return total / len(students)


def warm_start_seconds(course: Course, assignment: str) -> float:
    """Seconds from starting a warm parent for ``assignment`` to its first request."""
    from ddsp_course.grade.processes.limits import Limits
    from ddsp_course.grade.processes.warm import WarmParent, warm_modules

    modules = warm_modules(nbformat.read(course.released(assignment), as_version=4))
    start = time.perf_counter()
    WarmParent(Limits(), modules).close()
    return time.perf_counter() - start


def warm_peaks(course: Course, assignment: str, subs: str) -> tuple[float, float]:
    """Peak resident MB of a warm parent and of the largest of its runs, over a few submissions."""
    from ddsp_course.grade import run_one
    from ddsp_course.grade.cases import load_cases
    from ddsp_course.grade.processes.limits import Limits
    from ddsp_course.grade.processes.warm import WarmParent, warm_modules

    release_nb = nbformat.read(course.released(assignment), as_version=4)
    cases = load_cases(course.root, assignment)
    parent = WarmParent(Limits(), warm_modules(release_nb))
    try:
        for student in sorted(os.listdir(subs))[:5]:
            run_one(release_nb, assignment, student, os.path.join(subs, student, assignment), cases, Limits(),
                    warm=parent)
        return parent.peak_mb(), parent.peak_run_mb
    finally:
        parent.close()


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of the largest process it waited for, in MB."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


if __name__ == "__main__":
    main()
