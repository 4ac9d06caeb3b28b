"""A shared PostgreSQL gradebook (DDSP_COURSE_DB_URL) holds the same grades as the default SQLite one.

The server is Debian's ``postgresql`` (``./course test`` installs it), started on loopback in a
throw-away folder for this test and stopped after it."""
import csv
import glob
import os
import shutil
import socket
import subprocess
import tempfile

import pytest
from conftest import copy_course
from support import answers, variants, write_submission

from ddsp_course.course import Course
from ddsp_course.export import export_csv
from ddsp_course.grade import grade
from ddsp_course.grade.processes.bwrap import sandbox_available
from ddsp_course.grade.processes.limits import Limits

A = "ps01_pytorch_basics"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def postgres():
    """``postgresql://grader@127.0.0.1:PORT/postgres`` on a server of its own, as user postgres when run as root."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    assert binaries, "PostgreSQL is not installed: apt-get install postgresql (./course test does it)"
    bin_dir = os.path.dirname(binaries[-1])
    home = tempfile.mkdtemp(prefix="ddsp-postgres-")  # not under pytest's root-only folder
    as_user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    if as_user:
        shutil.chown(home, "postgres")
    data, port = os.path.join(home, "data"), _free_port()
    subprocess.run(as_user + [f"{bin_dir}/initdb", "-D", data, "-A", "trust", "-U", "grader"], check=True,
                   capture_output=True)
    subprocess.run(as_user + [f"{bin_dir}/pg_ctl", "-D", data, "-l", os.path.join(home, "log"), "-w", "-o",
                              f"-p {port} -k {home} -c listen_addresses=127.0.0.1", "start"], check=True,
                   capture_output=True)
    try:
        yield f"postgresql://grader@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_user + [f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def _grades(course: Course) -> list[dict]:
    with open(export_csv(course, A)) as f:
        return sorted(({k: v for k, v in row.items() if k != "timestamp"} for row in csv.DictReader(f)),
                      key=lambda r: r["student"])


def test_postgres_and_sqlite_gradebooks_hold_the_same_grades(tmp_path, postgres, monkeypatch):
    subs = str(tmp_path / "subs")
    limits = Limits(cell_timeout=20, sandbox=sandbox_available())
    wrong = next(iter(variants(A)["fit_line"]["wrong"].values()))
    seen = {}
    for backend in ("sqlite", "postgres"):
        if backend == "postgres":
            monkeypatch.setenv("DDSP_COURSE_DB_URL", postgres)
        course = Course(copy_course(str(tmp_path / backend)))
        assert course.db_url.startswith(backend)
        if backend == "sqlite":  # one class for both
            write_submission(course, A, subs, "ada", answers(A))
            write_submission(course, A, subs, "bob", {**answers(A), "fit_line": wrong})
        reports = grade(course, A, subs, limits=limits, progress=False)
        seen[backend] = ([(r.student, r.score, r.max_score) for r in reports], _grades(course))
        assert [r.reused for r in grade(course, A, subs, limits=limits, progress=False)] == [True, True]
    assert seen["sqlite"] == seen["postgres"]
    assert seen["postgres"][0][0][1] == seen["postgres"][0][0][2] > seen["postgres"][0][1][1]
    assert not os.path.exists(os.path.join(tmp_path, "postgres", "gradebook.db")), \
        "no SQLite file beside a PostgreSQL gradebook"


def test_two_coordinators_sharing_only_a_postgres_gradebook(tmp_path, postgres, monkeypatch):
    """Two course folders (on two machines, say) sharing one PostgreSQL gradebook grade one class at
    once: neither fails (registering the assignment or a new student races otherwise), and a
    student one is grading waits for the other (an advisory lock in the database)."""
    import re
    import subprocess
    import sys
    import time

    from ddsp_course.grade import course_lock

    monkeypatch.setenv("DDSP_COURSE_DB_URL", postgres)
    subs = str(tmp_path / "subs")
    here, there = (Course(copy_course(str(tmp_path / name))) for name in ("here", "there"))
    wrong = next(iter(variants(A)["fit_line"]["wrong"].values()))
    for i in range(4):
        write_submission(here, A, subs, f"s{i}", answers(A) if i % 2 else {**answers(A), "fit_line": wrong})

    def start(course: Course, *flags: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "ddsp_course.cli", "--course", course.root, "grade", A,
                                 "--submissions", subs, "--workers", "1", "--no-progress", *flags]
                                + ([] if sandbox_available() else ["--no-sandbox"]),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    runs = [start(here), start(there)]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert [re.search(r"(\d+) graded", out).group(1) for out in outputs] == ["4", "4"], outputs  # each folder its own
    rows = _grades(here)
    assert [r["student"] for r in rows] == [f"s{i}" for i in range(4)]
    assert float(rows[1]["total"]) == float(rows[3]["total"]) > float(rows[0]["total"]) == float(rows[2]["total"]), rows

    def graded(student: str) -> bool:
        return os.path.exists(here.path("autograded", student, A, f"{A}.ipynb"))
    shutil.rmtree(here.path("autograded"))
    with course_lock(there, A, "s0"):  # "there" grades s0: "here" grades the others, then waits
        run = start(here, "--force")
        deadline = time.monotonic() + 300
        while not all(graded(f"s{i}") for i in (1, 2, 3)) and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.2)
        time.sleep(1.0)
        assert run.poll() is None and not graded("s0"), "s0 was graded while another folder's run held it"
    output = run.communicate(timeout=600)[0]
    assert run.returncode == 0 and graded("s0"), output
    assert _grades(here) == rows
