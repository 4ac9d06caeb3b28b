"""nbgrader's exchange loop with the kit in the middle, on one machine, with real Unix accounts:
hand-out, students fetch and submit (as themselves, with nbgrader's own commands), collect and grade
(late flagged), return, students fetch their own feedback only."""
from __future__ import annotations

import csv
import glob
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime

import nbformat
import pytest

from support import answers, nbgrader_meta

from ddsp_course.hub import run_locked  # account tools, retried while another holds their lock

A = "ps01_pytorch_basics"
COURSE_ID = "ddsp101"
NBGRADER = os.path.join(os.path.dirname(sys.executable), "nbgrader")


def _run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


@pytest.fixture
def accounts():
    """Two student accounts (random names, homes under a fresh folder), removed afterwards."""
    if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        pytest.skip("real student accounts need root (useradd, runuser): not running as root here")
    base = tempfile.mkdtemp(prefix="ddsp-exchange-")
    os.chmod(base, 0o755)
    users = [f"ddsp{role}{secrets.token_hex(3)}" for role in ("good", "late")]
    made = []
    try:
        for user in users:
            home = os.path.join(base, "home", user)
            os.makedirs(os.path.dirname(home), mode=0o755, exist_ok=True)
            result = run_locked(["useradd", "--create-home", "--home-dir", home, "--shell", "/bin/sh",
                                 "--user-group", user])
            if result.returncode != 0:
                pytest.fail(f"running as root but useradd {user} failed: {result.stderr.strip()}")
            made.append(user)
            os.chmod(home, 0o700)
        yield base, users
    finally:
        for user in made:
            run_locked(["userdel", "--remove", user])
        shutil.rmtree(base, ignore_errors=True)


# Where the kit's Python lives only root may go (pyenv under /root, mode 0700), a student's command runs in a
# mount namespace of its own where that folder (/root) is an empty tmpfs with only the Python installation
# (/root/.pyenv) bound back read-only: the students see the interpreter and nothing else of it. A class's
# machine installs Python where everyone may run it and needs none of this.
MOUNT_PYTHON = ('set -e; mount --bind "$2" "$3"; mount -t tmpfs -o mode=755 tmpfs "$1"; mkdir -p "$2"; '
                'mount --bind "$3" "$2"; mount -o remount,bind,ro "$2"; shift 3; exec "$@"')


def _python_exposed(base: str) -> list[str]:
    """The prefix that lets another user run this Python (nothing if everyone may already)."""
    real, path = os.path.realpath(sys.executable), "/"
    for part in real.strip("/").split("/")[:-1]:
        child = os.path.join(path, part)
        if not os.stat(path).st_mode & 0o001:
            stage = os.path.join(base, "stage")
            os.makedirs(stage, exist_ok=True)
            return ["unshare", "--mount", "--propagation", "private", "sh", "-c", MOUNT_PYTHON, "sh", path, child,
                    stage]
        path = child
    return []


def _as(base: str, user: str, *args: str, check: bool = True):
    home = os.path.join(base, "home", user)
    result = _run([*_python_exposed(base), "runuser", "-u", user, "--", "env", "-i", f"HOME={home}", f"USER={user}",
                   "PATH=/usr/bin:/bin", *args], cwd=home)
    if check:
        assert result.returncode == 0, f"{user}: {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result


def _student(base: str, user: str, step: str, exchange: str, *extra: str):
    return _as(base, user, NBGRADER, step, A, f"--course={COURSE_ID}", f"--Exchange.root={exchange}", *extra)


def _answer(base: str, user: str, sources: dict[str, str]) -> None:
    """Write ``sources`` into the solution cells of the student's fetched notebook (as root, then given back)."""
    path = os.path.join(base, "home", user, A, f"{A}.ipynb")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") in sources:
            cell.source = sources[nbgrader_meta(cell)["grade_id"]]
    nbformat.write(nb, path)
    shutil.chown(path, user, user)


def test_hand_out_submit_collect_grade_and_return_with_real_accounts(course, accounts, capsys):
    from ddsp_course.cli import main

    base, (good, late) = accounts
    exchange = os.path.join(base, "exchange")
    with open(course.path("roster.csv"), "w") as f:
        f.write(f"id,name,email\n{good},Ada Good,ada@uni.example\n{late},Lou Late,lou@uni.example\n")

    assert main(["--course", course.root, "hand-out", A, "--exchange", exchange]) == 0
    assert oct(os.stat(exchange).st_mode & 0o7777) == "0o1777"
    assert oct(os.stat(os.path.join(exchange, COURSE_ID, "inbound")).st_mode & 0o7777) == "0o3733"
    for user in (good, late):
        _student(base, user, "fetch_assignment", exchange)
    assert os.stat(os.path.join(base, "home", good, A, f"{A}.ipynb")).st_uid != 0

    right = answers(A)
    wrong = {grade_id: "raise NotImplementedError()" for grade_id in right}
    _answer(base, good, wrong)
    _student(base, good, "submit", exchange)
    time.sleep(1.1)
    _answer(base, good, right)  # a second submission replaces the first
    _student(base, good, "submit", exchange)
    time.sleep(1.1)
    due = datetime.now()  # local time, as an instructor types it
    time.sleep(1.1)
    _answer(base, late, wrong)
    _student(base, late, "submit", exchange)

    # nothing of another's home, the course or the inbound folder is readable to a student
    for path in (os.path.join(base, "home", good), course.root, os.path.join(exchange, COURSE_ID, "inbound")):
        assert _as(base, late, "test", "-r", path, check=False).returncode != 0, path

    capsys.readouterr()
    assert main(["--course", course.root, "collect", A, "--exchange", exchange, "--due",
                 due.strftime("%Y-%m-%d %H:%M:%S"), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "collected 2 submissions" in out
    late_lines = [line for line in out.splitlines() if "after the due date" in line]
    assert len(late_lines) == 1 and late in late_lines[0], out
    assert "1 late" in out

    with open(course.path("grades", f"{A}.csv")) as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    totals = {s: float(rows[s]["total"]) for s in (good, late)}
    maximum = float(rows[good]["max_total"])
    assert totals[late] == 0 and totals[good] == maximum > 0, rows

    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        assert gb.find_student(good).email == "ada@uni.example"
        assert gb.find_assignment(A).duedate is not None
        assert gb.find_submission(A, late).total_seconds_late > 0
        assert gb.find_submission(A, good).total_seconds_late == 0

    assert main(["--course", course.root, "return", A, "--exchange", exchange]) == 0
    pages = {}
    for user in (good, late):
        _student(base, user, "fetch_feedback", exchange)
        found = glob.glob(os.path.join(base, "home", user, A, "feedback", "*", f"{A}.html"))
        assert len(found) == 1, found
        with open(found[0]) as f:
            pages[user] = f.read()
    totals_shown = {user: tuple(map(float, re.search(r"Score: ([0-9.]+) / ([0-9.]+)", page).groups()))
                    for user, page in pages.items()}  # the page's first score is the total, then each cell's
    assert totals_shown == {good: (maximum, maximum), late: (0.0, maximum)}, totals_shown
    assert [user for user, page in pages.items() if "<strong>Late:</strong> submitted" in page] == [late]
    # the feedback folder is not listable: each finds a page only by their own submission's secret
    assert _as(base, late, "test", "-r", os.path.join(exchange, COURSE_ID, "feedback"), check=False).returncode != 0


def test_the_z2jh_values_parse_and_select_ngshares_exchange(course):
    """docs/z2jh/values.yaml: valid YAML, every user's nbgrader_config.py selects ngshare_exchange's classes
    for every step, the course id is the course's, ngshare is a hub service, grading goes to Dask; and a
    course configured so is not treated as a folder exchange by the kit."""
    import yaml
    from traitlets.config import Config

    from ddsp_course import exchange
    from support import ROOT

    with open(os.path.join(ROOT, "docs", "z2jh", "values.yaml")) as f:
        values = yaml.safe_load(f)
    config = Config()
    exec(values["singleuser"]["extraFiles"]["nbgrader-config"]["stringData"], {"get_config": lambda: config})
    steps = ("exchange", "fetch_assignment", "fetch_feedback", "release_assignment", "release_feedback", "list",
             "submit", "collect")
    assert {step: config.ExchangeFactory[step] for step in steps} == {
        step: "ngshare_exchange.Exchange" + "".join(w.title() for w in step.split("_")) * (step != "exchange")
        for step in steps}
    assert config.CourseDirectory.course_id == course.config.CourseDirectory.course_id == COURSE_ID
    assert values["hub"]["services"]["ngshare"]["url"].startswith("http://ngshare")
    assert values["singleuser"]["extraEnv"]["DDSP_COURSE_SCHEDULER"].startswith("tcp://")
    assert exchange.filesystem(course)
    course.config.ExchangeFactory.merge(config.ExchangeFactory)
    assert not exchange.filesystem(course)
