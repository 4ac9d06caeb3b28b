"""The class server, ``ddsp-course hub``: a real JupyterHub (PAM logins, configurable-http-proxy from npm, each
person's JupyterLab running as their own Unix account) with an instructor and two students made for the test and
removed after it, driven in Chromium: the students fetch ps01 in nbgrader's Assignments panel, answer (right /
partly), validate and submit (one twice, the second after the due date); the instructor collects and grades with
the kit and returns the feedback; the students fetch it there and see their own scores, which are the CSV's.
Between the steps: nobody reads another's home or submission, the course or the gradebook; the formgrader is
the instructor's only; stopping the hub stops every server it started. Screenshots: ``test-output/hub/``."""
from __future__ import annotations

import csv
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime

import nbformat
import pytest
from conftest import copy_course
from playwright.sync_api import expect, sync_playwright
from support import ROOT, answers

from ddsp_course.hub import run_locked

A = "ps01_pytorch_basics"
COURSE_ID = "ddsp101"
SHOTS = os.path.join(ROOT, "test-output", "hub")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _run(cmd, timeout=300, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


def _ports() -> int:
    """A port P with P+1 and P+2 free too (the hub's API and the proxy's)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            for other in (port + 1, port + 2):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", other))
            return port
        except OSError:
            continue
    raise RuntimeError("no three free ports in a row")


def _processes_of(users: list[str]) -> list[str]:
    found = _run(["ps", "-o", "user:32=,pid=,args=", "-u", ",".join(users)])
    return [line for line in found.stdout.splitlines() if line.strip()]


class Classroom:
    """The accounts, the instructor's course (closed to others), and ``ddsp-course hub`` on loopback."""

    def __init__(self):
        self.base = tempfile.mkdtemp(prefix="ddsp-hub-")
        os.chmod(self.base, 0o755)
        tag = secrets.token_hex(3)
        self.instructor, self.good, self.late = (f"ddsph{role}{tag}" for role in ("i", "g", "l"))
        self.users = [self.instructor, self.good, self.late]
        self.homes = os.path.join(self.base, "home")
        self.course = os.path.join(self.base, "course")
        self.exchange = os.path.join(self.base, "exchange")
        self.srv = os.path.join(self.base, "srv")
        self.port = _ports()
        self.url = f"http://127.0.0.1:{self.port}"
        self.hub = None
        self.log = os.path.join(self.base, "hub.log")

    def set_up(self) -> None:
        os.makedirs(self.homes, mode=0o755)
        made = run_locked(["useradd", "--create-home", "--base-dir", self.homes, "--shell", "/bin/bash",
                           "--user-group", self.instructor])
        assert made.returncode == 0, made.stderr
        self.instructor_password = secrets.token_urlsafe(12)
        run_locked(["chpasswd"], f"{self.instructor}:{self.instructor_password}\n").check_returncode()
        copy_course(self.course)
        with open(os.path.join(self.course, "roster.csv"), "w") as f:
            f.write(f"id,name,email\n{self.good},Ada Good,ada@uni.example\n{self.late},Lou Late,lou@uni.example\n")
        _run(["chown", "-R", f"{self.instructor}:{self.instructor}", self.course]).check_returncode()
        os.chmod(self.course, 0o700)

    def start(self, timeout: float = 900) -> None:
        """The hub as an instructor starts it; waits until it answers (the first start makes the class environment)."""
        with open(self.log, "w") as log:
            self.hub = subprocess.Popen(
                [sys.executable, "-m", "ddsp_course.cli", "--course", self.course, "hub", "--srv", self.srv,
                 "--homes", self.homes, "--exchange", self.exchange, "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.hub.poll() is not None:
                pytest.fail(f"the hub stopped ({self.hub.returncode}):\n{self.log_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        pytest.fail(f"the hub did not answer in {timeout:.0f} s:\n{self.log_text()}")

    def log_text(self) -> str:
        with open(self.log, errors="replace") as f:
            return f.read()[-6000:]

    def passwords(self) -> dict[str, str]:
        with open(os.path.join(self.srv, "hub", "passwords.csv")) as f:
            first = {row["account"]: row["first password"] for row in csv.DictReader(f)}
        return {**first, self.instructor: self.instructor_password}

    def as_user(self, user: str, *args: str, cwd: str | None = None, env: dict | None = None):
        """``args`` run as ``user`` with the environment the hub gives that user's server."""
        home = os.path.join(self.homes, user)
        variables = {"HOME": home, "USER": user, "PATH": f"{self.srv}/env/bin:/usr/bin:/bin", **(env or {})}
        return _run(["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in variables.items()), *args],
                    cwd=cwd or home)

    def stop(self) -> int | None:
        if self.hub is None or self.hub.poll() is not None:
            return None if self.hub is None else self.hub.returncode
        os.killpg(self.hub.pid, signal.SIGTERM)
        try:
            return self.hub.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.hub.pid, signal.SIGKILL)
            return self.hub.wait()

    def tear_down(self) -> None:
        self.stop()
        if os.path.exists(self.log):
            os.makedirs(SHOTS, exist_ok=True)
            shutil.copy(self.log, os.path.join(SHOTS, "hub.log"))
        for line in _processes_of(self.users):
            os.kill(int(line.split()[1]), signal.SIGKILL)
        for user in self.users:
            run_locked(["userdel", "--remove", user])
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def classroom():
    if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        pytest.skip("a hub with real accounts needs root (useradd, runuser): not running as root here")
    room = Classroom()
    try:
        room.set_up()
        yield room
    finally:
        room.tear_down()


class Person:
    """One browser context logged in to the hub, with the Assignments panel at hand."""

    def __init__(self, browser, room: Classroom, user: str, password: str):
        self.room, self.user = room, user
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(120_000)
        self.page.goto(f"{room.url}/hub/login")
        self.page.fill("#username_input", user)
        self.page.fill("#password_input", password)
        self.page.click("#login_submit")
        self.page.wait_for_url(f"**/user/{user}/lab**")
        self.page.wait_for_selector("#jp-main-dock-panel")
        self.server = f"{room.url}/user/{user}"

    def shot(self, step: str) -> None:
        os.makedirs(SHOTS, exist_ok=True)
        self.page.screenshot(path=os.path.join(SHOTS, f"{step}.png"))

    def nbgrader_menu(self) -> list[str]:
        """The commands the Nbgrader menu shows."""
        self.page.locator('#jp-menu-panel div.lm-MenuBar-itemLabel:text("Nbgrader")').click()
        items = self.page.locator(".lm-Menu-item[data-command^='nbgrader:']:not(.lm-mod-hidden)")
        items.first.wait_for()
        shown = [items.nth(i).get_attribute("data-command") for i in range(items.count())]
        self.page.keyboard.press("Escape")
        return shown

    def open_assignments(self) -> None:
        self.page.locator('#jp-menu-panel div.lm-MenuBar-itemLabel:text("Nbgrader")').click()
        self.page.locator('li[data-command="nbgrader:open-assignment-list"]').click()
        self.page.wait_for_selector("#released_assignments_list")

    def fetch(self) -> None:
        self.page.locator("#released_assignments_list .item_status button", has_text="Fetch").click()
        expect(self.page.locator("#fetched_assignments_list > .list_item")).to_have_count(1)

    def xsrf(self) -> dict:
        token = next(c["value"] for c in self.context.cookies(self.server + "/") if c["name"] == "_xsrf")
        return {"X-XSRFToken": token}

    def answer(self, sources: dict[str, str]) -> None:
        """Write ``sources`` into the answer cells of the fetched notebook, through the server's contents API."""
        url = f"{self.server}/api/contents/{A}/{A}.ipynb"
        model = self.page.request.get(url).json()
        nb = nbformat.from_dict(model["content"])
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in sources:
                cell.source = sources[grade_id]
        saved = self.page.request.put(url, headers=self.xsrf(), data=json.dumps(
            {"type": "notebook", "format": "json", "content": nb}))
        assert saved.ok, saved.text()

    def validate(self) -> str:
        link = self.page.locator("#fetched_assignments_list a.assignment-notebooks-link")
        if link.get_attribute("aria-expanded") != "true":
            link.click()
        self.page.locator("#fetched_assignments_list button", has_text="Validate").click()
        dialog = self.page.locator(".jp-Dialog")
        dialog.wait_for(timeout=180_000)
        text = dialog.inner_text()
        self.shot(f"validate-{self.user[5]}")
        dialog.locator("button").last.click()
        expect(dialog).to_have_count(0)
        return text

    def submit(self, times: int) -> None:
        self.page.locator("#fetched_assignments_list .item_status button", has_text="Submit").click()
        expect(self.page.locator(f"#nbgrader-{COURSE_ID}-{A}-submissions > .list_item")).to_have_count(times + 1)

    def fetch_feedback(self) -> tuple[float, float]:
        """Fetch Feedback in the panel; the total and maximum the returned page shows."""
        self.page.locator("#refresh_assignments_list").click()
        self.page.locator("#submitted_assignments_list button", has_text="Fetch Feedback").first.click()
        listing = f"{self.server}/api/contents/{A}/feedback"
        deadline = time.monotonic() + 60
        while not (self.page.request.get(listing).ok and self.page.request.get(listing).json()["content"]):
            assert time.monotonic() < deadline, "no feedback arrived in the student's folder"
            time.sleep(0.5)
        (stamp,) = [item["name"] for item in self.page.request.get(listing).json()["content"]]
        self.page.goto(f"{self.server}/files/{A}/feedback/{stamp}/{A}.html")
        heading = self.page.locator("h4").first.inner_text()
        self.shot(f"feedback-{self.user[5]}")
        total, maximum = re.search(r"Score: ([0-9.]+) / ([0-9.]+)", heading).groups()
        return float(total), float(maximum)

    def in_terminal(self, command: str, step: str, timeout: float = 600) -> str:
        """``command`` typed into a new terminal of this person's server (Jupyter's terminal API and websocket,
        as JupyterLab's terminal uses them: their shell, as the hub starts it); its output once it is done (the
        exit status must be 0)."""
        home = os.path.join(self.room.homes, self.user)
        out, status = os.path.join(home, f"{step}.out"), os.path.join(home, f"{step}.status")
        line = f"( {command} ) > ~/{step}.out 2>&1; echo $? > ~/{step}.status"
        self.page.evaluate("""async ([base, xsrf, line]) => {
            const made = await fetch(base + "/api/terminals", {method: "POST", headers: {"X-XSRFToken": xsrf}});
            const name = (await made.json()).name;
            const socket = new WebSocket(base.replace(/^http/, "ws") + "/terminals/websocket/" + name);
            await new Promise((opened, failed) => { socket.onopen = opened; socket.onerror = failed; });
            socket.send(JSON.stringify(["stdin", line + "\\r"]));
            window.terminals = [...(window.terminals || []), socket];
        }""", [self.server, self.xsrf()["X-XSRFToken"], line])
        deadline = time.monotonic() + timeout
        while not (os.path.exists(status) and open(status).read().strip()):
            assert time.monotonic() < deadline, f"{step} did not finish in the terminal in {timeout:.0f} s"
            time.sleep(0.5)
        with open(out) as f:
            output = f.read()
        assert open(status).read().strip() == "0", f"{command}:\n{output}"
        return output

    def close(self) -> None:
        self.context.close()


def test_a_class_on_the_hub(classroom):
    room = classroom
    began = time.monotonic()
    room.start()
    started = time.monotonic()
    passwords = room.passwords()
    assert set(passwords) == set(room.users)
    for user in (room.good, room.late):
        home = os.path.join(room.homes, user)
        assert os.stat(home).st_mode & 0o077 == 0 and os.stat(home).st_uid != 0

    right = answers(A)
    ids = list(right)
    partly = {g: right[g] if i < len(ids) // 2 else "raise NotImplementedError()" for i, g in enumerate(ids)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        # the instructor: the formgrader is theirs, and their terminal hands out to the class's exchange
        instructor = Person(browser, room, room.instructor, passwords[room.instructor])
        assert "nbgrader:open-formgrader" in instructor.nbgrader_menu()
        handed = instructor.in_terminal(f"ddsp-course hand-out {A}", "hand-out")
        assert f"{room.exchange}/{COURSE_ID}/outbound/{A}" in handed and "roster: 2 students in the gradebook" in handed

        good = Person(browser, room, room.good, passwords[room.good])
        assert "nbgrader:open-formgrader" not in good.nbgrader_menu()
        assert good.page.request.get(f"{good.server}/formgrader").status == 404
        good.open_assignments()
        good.fetch()
        good.answer(right)
        assert "Success" in good.validate()
        good.submit(times=1)
        good.shot("submitted-g")

        late = Person(browser, room, room.late, passwords[room.late])
        late.open_assignments()
        late.fetch()
        late.submit(times=1)  # the release as fetched: nothing answered
        time.sleep(1.1)
        due = datetime.now()  # local time, as an instructor types it
        time.sleep(1.1)
        late.answer(partly)
        assert "failed" in late.validate().lower()
        late.submit(times=2)  # replaces the first, after the due date

        # one student cannot reach another's server or files, the course, the gradebook or the exchange's inbox
        for path in ("lab", "api/contents"):
            assert late.page.request.get(f"{good.server}/{path}", max_redirects=0).status in (302, 403, 404)
        for target in (os.path.join(room.homes, room.good), os.path.join(room.homes, room.good, A, f"{A}.ipynb"),
                       room.course, os.path.join(room.course, "gradebook.db"),
                       os.path.join(room.exchange, COURSE_ID, "inbound")):
            assert room.as_user(room.late, "test", "-r", target).returncode != 0, target
        assert room.as_user(room.late, "ls", os.path.join(room.exchange, COURSE_ID, "inbound")).returncode != 0

        # the instructor may start or stop a student's server, not enter it
        assert instructor.page.request.get(f"{good.server}/api/contents", max_redirects=0).status in (302, 403, 404)

        collected = instructor.in_terminal(f"ddsp-course collect {A} --due '{due:%Y-%m-%d %H:%M:%S}' --no-progress && "
                                           f"ddsp-course return {A}", "collect")
        assert "collected 2 submissions" in collected
        late_lines = [line for line in collected.splitlines() if "after the due date" in line]
        assert len(late_lines) == 1 and room.late in late_lines[0], collected
        assert f"returned feedback on {A} to 2 students" in collected
        instructor.page.goto(f"{instructor.server}/formgrader/manage_submissions/{A}")
        expect(instructor.page.locator("body")).to_contain_text(room.late)
        instructor.shot("formgrader")

        with open(os.path.join(room.course, "grades", f"{A}.csv")) as f:
            rows = {row["student"]: row for row in csv.DictReader(f)}
        maximum = float(rows[room.good]["max_total"])
        totals = {user: float(rows[user]["total"]) for user in (room.good, room.late)}
        assert totals[room.good] == maximum > totals[room.late] > 0, rows  # the late one's second submission

        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{room.course}/gradebook.db") as gb:  # what the formgrader shows as late
            assert gb.find_submission(A, room.late).total_seconds_late > 0
            assert gb.find_submission(A, room.good).total_seconds_late == 0

        shown = {person.user: person.fetch_feedback() for person in (good, late)}
        assert shown == {user: (totals[user], maximum) for user in totals}, shown
        expect(late.page.locator("body")).to_contain_text("Late: submitted")  # the page it fetched says so
        browser.close()

    graded = time.monotonic()
    assert room.stop() == 0, room.log_text()
    deadline = time.monotonic() + 20  # a server's terminals and kernels get their hangup as it stops
    while _processes_of(room.users) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _processes_of(room.users) == [], f"still running after the hub stopped: {_processes_of(room.users)}"
    assert not os.path.exists(os.path.join(room.srv, "hub", "jupyterhub.pid"))
    print(f"classroom: hub up in {started - began:.0f} s (class environment made), the class in "
          f"{graded - started:.0f} s, {time.monotonic() - began:.0f} s in all")


# What the hub refuses or sets up, without starting it.

def _args(**given):
    from types import SimpleNamespace

    return SimpleNamespace(**{"ip": "127.0.0.1", "ssl_cert": None, "ssl_key": None, "plain_http": False, **given})


@pytest.mark.parametrize("instructor, students, refused", [
    ("teacher", ["Ada Good"], "cannot be a Unix account name"),
    ("teacher", ["ada", "-rf"], "cannot be a Unix account name"),
    ("teacher", ["root"], "system account"),
    ("teacher", ["nobody"], "system account"),
    ("daemon", ["ada"], "system account"),
    ("teacher", ["ada", "teacher"], "as a student too"),
])
def test_the_hub_logs_in_only_people(instructor, students, refused):
    from ddsp_course.course import UsageError
    from ddsp_course.hub import check_names

    with pytest.raises(UsageError, match=refused):
        check_names(instructor, students)
    check_names("teacher", ["ada", "bo_2", "c-d"])


@pytest.mark.parametrize("ip, cert, key, plain, refused", [
    ("0.0.0.0", None, None, False, "in clear"),
    ("192.0.2.7", None, None, False, "in clear"),
    ("127.0.0.1", "hub.crt", None, False, "go together"),
    ("0.0.0.0", "hub.crt", "hub.key", False, None),
    ("0.0.0.0", None, None, True, None),
    ("::1", None, None, False, None),
    ("localhost", None, None, False, None),
])
def test_a_public_hub_needs_tls(ip, cert, key, plain, refused):
    from ddsp_course.course import UsageError
    from ddsp_course.hub import check_address

    if refused:
        with pytest.raises(UsageError, match=refused):
            check_address(ip, cert, key, plain)
    else:
        check_address(ip, cert, key, plain)


def test_the_course_must_be_the_instructors_alone(course, tmp_path):
    from ddsp_course.course import UsageError
    from ddsp_course.hub import extra_config, instructor_of, run_hub

    if os.geteuid() != 0:
        with pytest.raises(UsageError, match="needs root"):
            run_hub(course, _args(instructor=None))
        return
    with pytest.raises(UsageError, match="belongs to root"):
        instructor_of(course, None)  # a checkout owned by root: no instructor's account to run the formgrader as
    os.chown(course.root, 65534, 65534)
    os.chmod(course.root, 0o755)
    with pytest.raises(UsageError, match="chmod 700"):
        instructor_of(course, "nobody")  # students could read hidden_cases.py and the gradebook
    os.chmod(course.root, 0o700)
    assert instructor_of(course, "nobody") == "nobody"
    with pytest.raises(UsageError, match="belongs to nobody"):
        instructor_of(course, "root")
    extra = tmp_path / "oauth.py"
    extra.write_text("c.JupyterHub.authenticator_class = 'generic-oauth'\n")
    os.chmod(extra, 0o664)
    with pytest.raises(UsageError, match="writable by root only"):
        extra_config(str(extra))
    os.chmod(extra, 0o644)
    assert extra_config(str(extra)) == str(extra)


def test_role_configs_turn_the_formgrader_off_for_students(tmp_path):
    from ddsp_course.hub import STUDENT_OFF, role_config

    student = role_config(str(tmp_path / "student"), STUDENT_OFF,
                          nbgrader={"CourseDirectory": {"course_id": COURSE_ID}, "Exchange": {"root": "/x"}})
    with open(os.path.join(student, "jupyter_server_config.json")) as f:
        server = json.load(f)["ServerApp"]
    extensions = server["jpserver_extensions"]
    assert "-l" not in server["terminado_settings"]["shell_command"]  # a login shell would lose the class's PATH
    assert extensions == {"nbgrader.server_extensions.formgrader": False,
                          "nbgrader.server_extensions.course_list": False,
                          "nbgrader.server_extensions.assignment_list": True,
                          "nbgrader.server_extensions.validate_assignment": True}
    with open(os.path.join(student, "labconfig", "page_config.json")) as f:
        assert set(json.load(f)["disabledExtensions"]) == {
            "@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:create-assignment"}
    with open(os.path.join(student, "nbgrader_config.json")) as f:
        assert json.load(f) == {"CourseDirectory": {"course_id": COURSE_ID}, "Exchange": {"root": "/x"}}

    instructor = role_config(str(tmp_path / "instructor"), (), course="/srv/course")
    with open(os.path.join(instructor, "labconfig", "page_config.json")) as f:
        assert json.load(f) == {"disabledExtensions": {}}
    with open(os.path.join(instructor, "nbgrader_config.py")) as f:
        assert "load_subconfig('/srv/course/nbgrader_config.py')" in f.read()


def test_the_hubs_configuration(tmp_path, monkeypatch):
    """hub_config.py as JupyterHub loads it: PAM, the roster and the instructor only, nobody an admin, the
    instructor's role short of entering students' servers, each role's server where and how it should be."""
    from dataclasses import asdict
    from types import SimpleNamespace

    from traitlets.config import Config

    from ddsp_course.hub import CONFIG, Settings

    settings = Settings(course_root="/c", state=str(tmp_path), env="/srv/env", config="/srv/config", exchange="/x",
                        instructor="teacher", students=["ada", "bo"], ip="127.0.0.1", port=8000,
                        proxy="/bin/chp", extra_config=None)
    (tmp_path / "settings.json").write_text(json.dumps(asdict(settings)))
    monkeypatch.setenv("DDSP_HUB_SETTINGS", str(tmp_path / "settings.json"))
    c = Config()
    with open(CONFIG) as f:
        exec(compile(f.read(), CONFIG, "exec"), {"get_config": lambda: c, "__file__": CONFIG})
    assert c.JupyterHub.authenticator_class == "pam" and c.JupyterHub.spawner_class == "localprocess"
    assert c.Authenticator.allowed_users == {"ada", "bo", "teacher"} and not c.Authenticator.allow_existing_users
    assert "admin_users" not in c.Authenticator
    (role,) = c.JupyterHub.load_roles
    assert role["users"] == ["teacher"] and not any(s.startswith(("access:", "admin:users")) for s in role["scopes"])
    assert (c.JupyterHub.ip, c.JupyterHub.port, c.JupyterHub.hub_port) == ("127.0.0.1", 8000, 8001)
    assert c.Spawner.cmd == ["/srv/env/bin/jupyterhub-singleuser"]

    def spawn(name):
        spawner = SimpleNamespace(user=SimpleNamespace(name=name), notebook_dir=None, environment={})
        c.Spawner.pre_spawn_hook(spawner)
        return spawner

    teacher, ada = spawn("teacher"), spawn("ada")
    assert teacher.notebook_dir == "/c" and teacher.environment["DDSP_COURSE_EXCHANGE"] == "/x"
    assert teacher.environment["JUPYTER_CONFIG_PATH"] == "/srv/config/instructor"
    assert ada.notebook_dir == "~" and "DDSP_COURSE_EXCHANGE" not in ada.environment
    assert ada.environment["JUPYTER_CONFIG_PATH"] == "/srv/config/student"
    assert ada.environment["PATH"].startswith("/srv/env/bin:")
