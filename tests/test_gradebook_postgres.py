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
from ddsp_course.grade.execute import Limits, sandbox_available

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
        subprocess.run(as_user + [f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], capture_output=True)
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
        reports = grade(course, A, subs, limits, progress=False)
        seen[backend] = ([(r.student, r.score, r.max_score) for r in reports], _grades(course))
        assert [r.reused for r in grade(course, A, subs, limits, progress=False)] == [True, True]
    assert seen["sqlite"] == seen["postgres"]
    assert seen["postgres"][0][0][1] == seen["postgres"][0][0][2] > seen["postgres"][0][1][1]
    assert not os.path.exists(os.path.join(tmp_path, "postgres", "gradebook.db")), "no SQLite file beside a PostgreSQL gradebook"
