"""A submission's grade does not depend on how busy the machine is: each case is charged the CPU time
of the student's processes against its budget, not the clock (issue 22). Slow but valid submissions
(``tests/mutants/slow``) are graded idle, then beside more CPU hogs than cores; the cases are those
of the functions concerned, with budgets scaled down to keep this short: a few times the slow
route's CPU time where it must pass, a fraction of it where it must run out."""
import dataclasses
import os
import re
import subprocess
import sys
from contextlib import contextmanager

import pytest
from support import MUTANTS, answers, write_submission

import ddsp_course.grade.pipeline as grading
from ddsp_course.grade import grade
from ddsp_course.grade.cases import Cases
from ddsp_course.grade.processes.bwrap import sandbox_available
from ddsp_course.grade.processes.cgroups import Cpu, Pids
from ddsp_course.grade.processes.limits import Limits


def _cpu_counted() -> bool:
    """Whether grading here can count CPU time (a cgroup the grader may make: root, or one delegated)."""
    pids = Pids.make(1)
    cpu = Cpu.make(pids)
    for cgroup in (cpu, pids):
        if cgroup is not None:
            cgroup.remove()
    return cpu is not None


pytestmark = pytest.mark.skipif(not _cpu_counted(), reason="no cgroup counts CPU time here: limits are wall-clock")
LIMITS = Limits(sandbox=sandbox_available(), backstop=10)  # beside the hogs and a CI's other workers, a run
# may get a quarter of a core or less: the budgets, not the backstop, must decide


def _corpus(assignment: str, function: str, name: str, slow: bool = True) -> str:
    with open(os.path.join(MUTANTS, *(["slow"] if slow else []), assignment, function, f"{name}.py")) as f:
        return f.read()


@contextmanager
def _hogs(count: int = 4):
    """``count`` busy processes beside the grader (more than the machine's cores)."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def _only(monkeypatch, budgets: dict[str, float]) -> None:
    """Grade only the test cells in ``budgets``, each case with that CPU budget."""
    real = grading.load_cases

    def load(root, assignment):
        return Cases([dataclasses.replace(c, timeout=budgets[c.cell]) for c in real(root, assignment).cases
                      if c.cell in budgets])
    monkeypatch.setattr(grading, "load_cases", load)


def _outcome(reports) -> dict:
    """Scores and messages, timings (decimal numbers) left out."""
    return {r.student: (r.score, [(x.key, x.score, re.sub(r"\d+\.\d+", "#", x.message)) for x in r.results])
            for r in reports}


def _idle_and_busy(course, tmp_path, assignment: str, students: dict[str, dict[str, str]]):
    subs = str(tmp_path / "subs")
    for student, sources in students.items():
        write_submission(course, assignment, subs, student, {**answers(assignment), **sources})
    idle = _outcome(grade(course, assignment, subs, limits=LIMITS, progress=False, workers=1))
    with _hogs():
        busy = _outcome(grade(course, assignment, subs, limits=LIMITS, progress=False, force=True, workers=1))
    return idle, busy


def test_a_sample_loop_allpole_filter_gets_the_same_full_marks_idle_and_busy(course, tmp_path, monkeypatch):
    a = "ps07_iir_filters"
    _only(monkeypatch, {"test_AllPoleFilter": 2.0})  # the slowest case takes about 1 CPU second
    idle, busy = _idle_and_busy(course, tmp_path, a, {"loop": {
        "AllPoleFilter": _corpus(a, "AllPoleFilter", "alt_sample_loop_forward"),
        "allpole_direct": _corpus(a, "allpole_direct", "alt_list_indexing", slow=False)}})
    score, results = idle["loop"]
    assert score == sum(points for _, points, _ in results), results
    assert busy == idle


def test_a_per_sample_fractional_delay_and_a_hang_lose_the_same_cases_idle_and_busy(course, tmp_path, monkeypatch):
    a = "ps11_waveguide"
    _only(monkeypatch, {"test_fractional_delay": 2.0, "test_fit_plucked_string": 3.0})
    idle, busy = _idle_and_busy(course, tmp_path, a, {
        "loop": {"fractional_delay": _corpus(a, "fractional_delay", "alt_sample_loop")},
        "hang": {"fractional_delay": "def fractional_delay(x, delay):\n    while True:\n        pass"}})
    assert busy == idle
    for student, cut in (("loop", ("fit_",)), ("hang", ("fd_", "fit_"))):
        results = idle[student][1]
        assert all(score == 0 for key, score, _ in results if key.startswith(cut)), results
        assert all(score > 0 for key, score, _ in results if not key.startswith(cut)), results
        for prefix in cut:  # the first case of each cut cell runs out of budget; the rest are not run
            lost = [message for key, _, message in results if key.startswith(prefix)]
            assert "used up this test's budget of" in lost[0] and all("earlier test of" in m for m in lost[1:]), lost
