"""``ddsp-course hub``: a JupyterHub for the course on one machine, run as root.

Who: the instructor and the students of ``roster.csv``, each a Unix account of their own with a home only they
can enter (made here when missing, with a random first password written to ``<srv>/hub/passwords.csv``,
readable by root only; nothing else about an existing account is changed). They log in with their account's
password (JupyterHub's PAM authenticator: no sign-up page, nothing shared) and each gets a JupyterLab server
running as themselves (JupyterHub's local process spawner), in their home, or for the instructor in the course.

What they run: a class environment at ``<srv>/env`` made from a Python every account can run, with the kit
(not the course: its sources, hidden cases and gradebook stay in the instructor's folder, which students
cannot enter) and nbgrader. Students see nbgrader's *Assignments* panel and *Validate*; the formgrader and
the assignment-authoring tools are turned off for them, server and page alike. The instructor's server has the
formgrader on the course, and ``DDSP_COURSE_EXCHANGE`` so that ``hand-out``, ``collect`` and ``return`` in its
terminal, and the formgrader, use the class's exchange.

The exchange is nbgrader's folder with nbgrader's permissions (:func:`exchange.prepare_root`), outside the course.
The hub listens on loopback unless told otherwise, and refuses a public address without TLS.
"""
from __future__ import annotations

import csv
import hashlib
import ipaddress
import json
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass

from .course import Course, UsageError

ACCOUNT_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
FIRST_UID, NOBODY_UID = 1000, 65534  # accounts outside [1000, 65534) are the system's: never given a hub login
CONFIG = os.path.join(os.path.dirname(__file__), "hub_config.py")
KIT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the kit's checkout: pyproject.toml, ddsp_course/

# nbgrader's parts per role: (server extension, lab plugin) pairs, on or off
NBGRADER_PARTS = {
    "formgrader": ("nbgrader.server_extensions.formgrader", "@jupyter/nbgrader:formgrader"),
    "course_list": ("nbgrader.server_extensions.course_list", "@jupyter/nbgrader:course-list"),
    "create_assignment": (None, "@jupyter/nbgrader:create-assignment"),
    "assignment_list": ("nbgrader.server_extensions.assignment_list", "@jupyter/nbgrader:assignment-list"),
    "validate_assignment": ("nbgrader.server_extensions.validate_assignment", "@jupyter/nbgrader:validate-assignment"),
}
STUDENT_OFF = ("formgrader", "course_list", "create_assignment")
# A terminal's shell: the account's own, interactive, keeping the PATH the hub gives the server (the class
# environment first; a login shell, Jupyter's default under a hub, would take /etc/profile's instead), started
# in the server's folder (the course, for the instructor) unless JupyterLab asked for another.
SHELL = ["/bin/sh", "-c", 'if [ "$PWD" = "$HOME" ] && [ -d "$JUPYTER_SERVER_ROOT" ]; then '
                          'cd "$JUPYTER_SERVER_ROOT"; fi; exec "${SHELL:-/bin/sh}" -i']


@dataclass
class Settings:
    """What ``hub_config.py`` reads (``<srv>/hub/settings.json``)."""
    course_root: str
    state: str
    env: str
    config: str
    exchange: str
    instructor: str
    students: list[str]
    ip: str
    port: int
    proxy: str
    ssl_cert: str | None = None
    ssl_key: str | None = None
    extra_config: str | None = None


def _account(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def check_names(instructor: str, students: list[str]) -> None:
    """Every name a Unix account name of a person (not root's, not a system account's)."""
    for name in [instructor, *students]:
        if not ACCOUNT_NAME.fullmatch(name):
            raise UsageError(f"{name!r} cannot be a Unix account name: lower-case letters, digits, _ and -, "
                             "starting with a letter or _, at most 32 (change its id in roster.csv)")
        found = _account(name)
        if found is not None and not FIRST_UID <= found.pw_uid < NOBODY_UID:
            raise UsageError(f"{name!r} is a system account (uid {found.pw_uid}): it is never given a login to the "
                             "hub (change its id in roster.csv)")
    if instructor in students:
        raise UsageError(f"the instructor {instructor!r} is in roster.csv as a student too")


def run_locked(command: list[str], stdin: str | None = None, tries: int = 20) -> subprocess.CompletedProcess:
    """``command`` (useradd, userdel, chpasswd), again while another tool holds the account files' lock."""
    for _ in range(tries):
        result = subprocess.run(command, input=stdin, capture_output=True, text=True)
        if result.returncode == 0 or "lock" not in result.stderr.lower():
            break
        time.sleep(0.5)
    return result


def make_accounts(names: dict[str, str], homes: str | None, passwords: str) -> list[str]:
    """Unix accounts for ``{name: full name}`` that do not exist yet, each with a home only it can enter
    and a random first password appended to ``passwords`` (mode 0600); the names made."""
    made = []
    for name, full_name in names.items():
        if _account(name) is not None:
            continue
        command = ["useradd", "--create-home", "--shell", "/bin/bash", "--user-group",
                   "--comment", re.sub(r"[:,=\n\r\\]", " ", full_name)[:64], name]
        if homes:
            command[1:1] = ["--base-dir", homes]
        result = run_locked(command)
        if result.returncode != 0:
            raise UsageError(f"useradd {name} failed: {result.stderr.strip()}")
        os.chmod(pwd.getpwnam(name).pw_dir, 0o700)
        password = secrets.token_urlsafe(12)
        result = run_locked(["chpasswd"], f"{name}:{password}\n")
        if result.returncode != 0:
            raise UsageError(f"chpasswd {name} failed: {result.stderr.strip()}")
        fresh = not os.path.exists(passwords)
        descriptor = os.open(passwords, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "w", newline="") as f:
            writer = csv.writer(f)
            if fresh:
                writer.writerow(["account", "name", "first password"])
            writer.writerow([name, full_name, password])
        made.append(name)
    return made


def runnable_by_everyone(python: str) -> bool:
    """Whether an account with no rights here (``nobody``) can run ``python`` and make a venv with it."""
    try:
        result = subprocess.run([python, "-c", "import ensurepip, venv"], user="nobody", group="nogroup",
                                extra_groups=[], cwd="/", capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError, KeyError):
        return False
    return result.returncode == 0


def class_python() -> str:
    """A Python 3.11 every account can run: this one's base interpreter, else python3.11 on the system's path."""
    candidates = [getattr(sys, "_base_executable", sys.executable),
                  shutil.which("python3.11", path="/usr/local/bin:/usr/bin:/bin")]
    for python in filter(None, candidates):
        if runnable_by_everyone(python):
            return python
    raise UsageError(f"no Python 3.11 that every account can run: this one ({os.path.realpath(candidates[0])}) "
                     "lies where only its owner can go, and there is no other (Debian: apt-get install python3.11 "
                     "python3.11-venv)")


def _kit_files() -> list[str]:
    if not os.path.isfile(os.path.join(KIT, "pyproject.toml")):
        raise UsageError(f"the hub runs from the kit's checkout (./course hub); {KIT} has no pyproject.toml")
    files = [os.path.join(KIT, "pyproject.toml")]
    for base, dirs, names in os.walk(os.path.join(KIT, "ddsp_course")):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        files += [os.path.join(base, n) for n in sorted(names) if not n.endswith(".pyc")]
    return files


def kit_stamp() -> str:
    digest = hashlib.sha256()
    for path in _kit_files():
        digest.update(os.path.relpath(path, KIT).encode() + b"\0")
        with open(path, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def class_environment(env: str) -> str:
    """``env``: a venv with the kit and its dependencies (JupyterLab, nbgrader, torch, ...), readable by all,
    made once and given the kit again whenever it changed. Only the kit's own files are copied in: nothing of a
    course (sources, hidden cases, gradebook) goes into it."""
    stamp_file, stamp = os.path.join(env, ".kit"), kit_stamp()
    if os.path.isfile(stamp_file) and open(stamp_file).read() == stamp:
        return env
    if not os.path.isfile(os.path.join(env, "bin", "python")):
        print(f"making the class environment {env} (first run only: a few minutes) ...", flush=True)
        subprocess.run([class_python(), "-m", "venv", env], check=True)
    os.chmod(env, 0o755)
    with tempfile.TemporaryDirectory() as build:
        for path in _kit_files():
            target = os.path.join(build, os.path.relpath(path, KIT))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy(path, target)
        pip = [os.path.join(env, "bin", "python"), "-m", "pip", "install", "-qq", "--disable-pip-version-check"]
        subprocess.run([*pip, build], check=True, cwd=build)
        subprocess.run([*pip, "--no-deps", "--force-reinstall", build], check=True, cwd=build)
    with open(stamp_file, "w") as f:
        f.write(stamp)
    return env


def _write_json(path: str, data: dict) -> None:
    os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
    os.chmod(path, 0o644)


def role_config(folder: str, off: tuple[str, ...], nbgrader: dict | None = None, course: str | None = None) -> str:
    """A Jupyter config folder (put first on ``JUPYTER_CONFIG_PATH``) turning nbgrader's parts ``off``, with
    ``nbgrader`` settings (a student's course id and exchange) or the ``course`` folder's own nbgrader_config.py
    (the instructor's: the formgrader reads the course's configuration wherever the server starts)."""
    os.makedirs(folder, mode=0o755, exist_ok=True)
    os.chmod(folder, 0o755)
    extensions = {server: part not in off for part, (server, _) in NBGRADER_PARTS.items() if server}
    _write_json(os.path.join(folder, "jupyter_server_config.json"),
                {"ServerApp": {"jpserver_extensions": extensions, "terminado_settings": {"shell_command": SHELL}}})
    _write_json(os.path.join(folder, "labconfig", "page_config.json"),
                {"disabledExtensions": {NBGRADER_PARTS[part][1]: True for part in off}})
    if nbgrader:
        _write_json(os.path.join(folder, "nbgrader_config.json"), nbgrader)
    if course:
        with open(os.path.join(folder, "nbgrader_config.py"), "w") as f:
            f.write(f"load_subconfig({os.path.join(course, 'nbgrader_config.py')!r})  # noqa: F821\n")
        os.chmod(os.path.join(folder, "nbgrader_config.py"), 0o644)
    return folder


def proxy_command() -> str:
    found = shutil.which("configurable-http-proxy")
    if not found:
        raise UsageError("configurable-http-proxy is not installed: run the hub through ./course hub, which "
                         "installs it from npm (or npm install -g configurable-http-proxy)")
    return found


def check_address(ip: str, ssl_cert: str | None, ssl_key: str | None, plain_http: bool) -> None:
    if bool(ssl_cert) != bool(ssl_key):
        raise UsageError("--ssl-cert and --ssl-key go together")
    try:
        loopback = ipaddress.ip_address(ip).is_loopback
    except ValueError:
        loopback = ip == "localhost"
    if not loopback and not ssl_cert and not plain_http:
        raise UsageError(f"--ip {ip} lets other machines in, and passwords would cross the network in clear: give "
                         "--ssl-cert and --ssl-key, or keep the hub on loopback behind a TLS proxy (README, 'A class "
                         "server'), or pass --plain-http on a network you trust")


def extra_config(path: str | None) -> str | None:
    """``--hub-config FILE``, checked: JupyterHub runs it as root, so only root may be able to change it."""
    if path is None:
        return None
    path = os.path.abspath(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise UsageError(f"--hub-config {path}: {exc.strerror}") from None
    if info.st_uid != 0 or info.st_mode & 0o022:
        raise UsageError(f"--hub-config {path} runs as root: it must belong to root and be writable by root only "
                         f"(chown root {path}; chmod go-w {path})")
    return path


def instructor_of(course: Course, name: str | None) -> str:
    """The instructor's account: ``name``, else the course folder's owner; it must own the course, and the
    course must be closed to everyone else (students must not read its hidden cases or gradebook)."""
    info = os.stat(course.root)
    owner = pwd.getpwuid(info.st_uid).pw_name
    name = name or owner
    if name == "root" or _account(name) is None or _account(name).pw_uid != info.st_uid:
        who = f"--instructor {name} " if name != "root" else ""
        raise UsageError(f"the course folder belongs to {owner}; the instructor's server runs as the instructor's "
                         f"own account, which must own it: make one (useradd --create-home NAME, passwd NAME), "
                         f"then chown -R NAME {course.root} and run ./course hub {who}again")
    if info.st_mode & 0o077:
        raise UsageError(f"others can enter the course folder (mode {info.st_mode & 0o777:o}): its hidden cases and "
                         f"gradebook must stay the instructor's: chmod 700 {course.root}")
    return name


def hub_settings(course: Course, args) -> Settings:
    """Everything the hub needs, made ready (accounts, the class environment, role configs, the exchange)."""
    from . import roster
    from .exchange import course_id, prepare_root, root_of

    if os.geteuid() != 0:
        raise UsageError("the hub starts each person's server as their own Unix account, which needs root: "
                         "sudo ./course hub")
    check_address(args.ip, args.ssl_cert, args.ssl_key, args.plain_http)
    instructor = instructor_of(course, args.instructor)
    students = roster.load(course).students
    check_names(instructor, [s.id for s in students])

    srv = os.path.abspath(args.srv or os.path.join("/srv/ddsp-course", course_id(course)))
    os.makedirs(srv, mode=0o755, exist_ok=True)
    state = os.path.join(srv, "hub")
    os.makedirs(state, mode=0o700, exist_ok=True)
    os.chmod(state, 0o700)
    made = make_accounts({s.id: s.name for s in students}, args.homes, os.path.join(state, "passwords.csv"))
    if made:
        print(f"made {len(made)} accounts; their first passwords: {os.path.join(state, 'passwords.csv')} "
              "(root only; each can change theirs with passwd in a terminal)")

    exchange = root_of(course, args.exchange)
    if exchange == course.root or exchange.startswith(course.root + os.sep):
        exchange = "/srv/nbgrader/exchange"  # nbgrader's default: the course's own folder is closed to students
    prepare_root(exchange)
    config = os.path.join(srv, "config")
    os.makedirs(config, mode=0o755, exist_ok=True)
    role_config(os.path.join(config, "student"), STUDENT_OFF,
                nbgrader={"CourseDirectory": {"course_id": course_id(course)}, "Exchange": {"root": exchange}})
    role_config(os.path.join(config, "instructor"), (), course=course.root)
    return Settings(course_root=course.root, state=state, env=class_environment(os.path.join(srv, "env")),
                    config=config, exchange=exchange, instructor=instructor, students=[s.id for s in students],
                    ip=args.ip, port=args.port, proxy=proxy_command(), ssl_cert=args.ssl_cert, ssl_key=args.ssl_key,
                    extra_config=extra_config(args.hub_config))


def run_hub(course: Course, args) -> None:
    """Make the hub ready, then become JupyterHub (Ctrl-C or SIGTERM stops it, its proxy and every server)."""
    settings = hub_settings(course, args)
    path = os.path.join(settings.state, "settings.json")
    _write_json(path, asdict(settings))
    os.chmod(path, 0o600)
    scheme = "https" if settings.ssl_cert else "http"
    print(f"JupyterHub for {len(settings.students)} students and {settings.instructor} at "
          f"{scheme}://{settings.ip}:{settings.port}/ (exchange {settings.exchange}); Ctrl-C stops it", flush=True)
    jupyterhub = os.path.join(os.path.dirname(sys.executable), "jupyterhub")
    env = dict(os.environ, DDSP_HUB_SETTINGS=path)
    os.chdir(settings.state)
    os.execve(jupyterhub, [jupyterhub, "-f", CONFIG], env)
