"""The Dask backend on a real ``distributed.LocalCluster`` (worker processes talking over TCP on
loopback): the same grades as local grading, and a worker killed with SIGKILL mid-submission loses
nothing (retried once elsewhere, then reported as failed with the reason)."""
import os
import signal
import threading
import time

import dask
import pytest
from distributed import Client, LocalCluster
from support import answers, variants, write_submission

from ddsp_course.grade import grade
from ddsp_course.grade.processes.bwrap import sandbox_available
from ddsp_course.grade.processes.limits import Limits

A = "ps01_pytorch_basics"
LIMITS = Limits(cell_timeout=20, sandbox=sandbox_available())
SLOW = "import time\ntime.sleep(6)\n"


@pytest.fixture(scope="module")
def cluster():
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):  # a task may lose one worker
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            yield cluster


def _summary(reports) -> dict:
    return {r.student: (r.score, r.flags, [(x.key, x.score, x.message) for x in r.results]) for r in reports}


def test_dask_grades_equal_local_grades(course, tmp_path, cluster):
    subs = str(tmp_path / "subs")
    wrong = next(iter(variants(A)["derivative_at"]["wrong"].values()))
    write_submission(course, A, subs, "honest", answers(A))
    write_submission(course, A, subs, "wrong", {**answers(A), "derivative_at": wrong})
    write_submission(course, A, subs, "loops", {**answers(A), "fit_line": "def fit_line(x, y, n_iter, lr):\n"
                                                                        "    while True:\n        pass\n"})
    os.symlink("/etc/passwd", os.path.join(subs, "honest", A, "passwd"))  # links cross as links
    local = grade(course, A, subs, limits=LIMITS, progress=False, workers=1)
    remote = grade(course, A, subs, limits=LIMITS, progress=False, force=True, scheduler=cluster.scheduler_address)
    assert _summary(remote) == _summary(local)
    assert remote[0].score == remote[0].max_score and "timed out" in remote[1].flags


def test_the_command_line_grades_on_a_scheduler(course, tmp_path, cluster, capsys):
    from ddsp_course.cli import main

    subs = str(tmp_path / "subs")
    write_submission(course, A, subs, "honest", answers(A))
    assert main(["--course", course.root, "grade", A, "--submissions", subs, "--no-progress",
                 "--scheduler", cluster.scheduler_address]) == 0
    out = capsys.readouterr().out
    assert "1 graded, 0 unchanged" in out and "0 failed to run" in out


def _kill_workers_running_tasks(address: str, times: int, done: threading.Event) -> list[str]:
    """SIGKILL the worker processing a task, ``times`` times (the retry's worker the second time)."""
    killed = []
    with Client(address, set_as_default=False) as client:
        while len(killed) < times and not done.is_set():
            busy = [w for w, keys in client.processing().items() if keys and w not in killed]
            if busy:
                time.sleep(2)  # well inside the submission's sandbox
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(busy[0])
            time.sleep(0.1)
        client.wait_for_workers(2, timeout=60)  # the nannies bring them back
    return killed


@pytest.mark.parametrize("kills", [1, 2])
def test_a_killed_worker_loses_nothing(course, tmp_path, cluster, kills):
    subs = str(tmp_path / "subs")
    write_submission(course, A, subs, "slow", {**answers(A), "derivative_at": SLOW + answers(A)["derivative_at"]})
    done, killed = threading.Event(), []
    killer = threading.Thread(target=lambda: killed.extend(
        _kill_workers_running_tasks(cluster.scheduler_address, kills, done)))
    killer.start()
    try:
        [report] = grade(course, A, subs, limits=LIMITS, progress=False, scheduler=cluster.scheduler_address)
    finally:
        done.set()
        killer.join()
    assert len(killed) == kills
    if kills == 1:  # retried on the other worker
        assert report.score == report.max_score and report.flags == []
    else:  # its retry's worker died too: reported as failed with the reason, no grade recorded
        assert report.flags == ["failed to run"]
        assert any("grading worker failed (KilledWorker" in n for n in report.notes), report.notes
        assert not os.path.exists(course.path("autograded", "slow", A)), "a lost run records nothing"
        [again] = grade(course, A, subs, limits=LIMITS, progress=False, scheduler=cluster.scheduler_address)
        assert not again.reused and again.score == again.max_score, "the next run grades it"
