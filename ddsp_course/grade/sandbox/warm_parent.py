"""The sandbox side of warm grading: a parent that has imported the assignment's libraries and
forks one isolated runner per submission.

Run as ``python -m ddsp_course.grade.sandbox.warm_parent MODULE...`` (what the assignment imports, see
:func:`ddsp_course.grade.processes.warm.warm_modules`) inside bubblewrap (see
:mod:`ddsp_course.grade.processes.warm`), which sees
the folder ``/slot`` where the grader puts each run's job, output and work folders. The parent
never runs student code. For each request (a JSON line on stdin) it forks a child into fresh
user, mount, PID, network, IPC and UTS namespaces, born in the parent's pids cgroup (see
:mod:`ddsp_course.grade.processes.warm`). That child, pid 1 there, binds the run's three folders to ``/sandbox/...``,
covers ``/slot`` (every other run's folders), ``/proc`` (the parent's processes) and ``/tmp``,
drops every capability and forks the runner, which runs
:func:`ddsp_course.grade.sandbox.runner.main` in an interpreter state copied from the parent.
Replies (JSON lines on stdout): ``ready``, ``forked``, ``exit``.

A run may write in four places only, each its own: ``/sandbox/out`` and ``/sandbox/work`` (its
HOME; on disk, watched by the grader up to ``disk_bytes``), and fresh tmpfs on ``/tmp`` (sized
``tmp_bytes``, the grader's ``disk_bytes``) and ``/dev/shm`` (64 MiB). Every other mount is
read-only in its mount namespace, so the next run starts from what the parent started from. The
two tmpfs die with the run's mount namespace, when its last process ends: their memory is back.
"""
from __future__ import annotations

import ctypes
import fcntl
import importlib
import json
import os
import platform
import re
import resource
import signal
import socket
import struct
import sys
import traceback

BASE = ("numpy", "numpy.random", "torch",  # what every run needs (numpy.random: each run reseeds it)
        "ddsp_course.grade.sandbox.callables", "ddsp_course.grade.sandbox.runner", "ddsp_course.grade.sandbox.wire")
SLOT = "/slot"
FOLDERS = {"job": ("/sandbox/job", True), "out": ("/sandbox/out", False), "work": ("/sandbox/work", False)}

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x20000, 0x4000000, 0x8000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
NAMESPACES = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
SYS_clone, SYS_capset = {"x86_64": (56, 126), "aarch64": (220, 91)}[platform.machine()]
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 4, 24, 38, 47
PR_CAP_AMBIENT_CLEAR_ALL, CAP_LAST_CAP, LINUX_CAPABILITY_VERSION_3 = 4, 63, 0x20080522
SIOCSIFFLAGS, IFF_UP, IFF_LOOPBACK, IFF_RUNNING = 0x8914, 0x1, 0x8, 0x40

_libc = ctypes.CDLL(None, use_errno=True)
_python = ctypes.PyDLL(None, use_errno=True)  # calls keep the GIL, as os.fork does around fork()
_python.syscall.restype = ctypes.c_long
_shell = None  # the runs' IPython shell, made once here before any run: each run gets a copy


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    encode = lambda s: None if s is None else s.encode()  # noqa: E731
    _check(_libc.mount(encode(source), target.encode(), encode(fstype), ctypes.c_ulong(flags), encode(data)),
           f"mount {target}")


def _drop_capabilities() -> None:
    """No capability left, none to be regained (no_new_privs): nothing set up here can be undone."""
    for cap in range(CAP_LAST_CAP + 1):
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # EINVAL past the kernel's last capability
    _check(_libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient capabilities")
    header = struct.pack("Ii", LINUX_CAPABILITY_VERSION_3, 0)
    _check(_libc.syscall(SYS_capset, header, bytes(24)), "capset")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def _loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", IFF_UP | IFF_LOOPBACK | IFF_RUNNING))


def _folder(request: dict, name: str) -> str:
    relative = os.path.normpath(str(request[name]))
    if relative.startswith(("/", "..")):
        raise ValueError(f"{name} folder {relative!r} is outside the slot")
    return os.path.join(SLOT, relative)


def _mount_points() -> set[str]:
    with open("/proc/self/mountinfo") as f:
        return {re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), line.split()[4]) for line in f}


def _mounts_below(folder: str) -> list[str]:
    """The outermost mount points strictly below ``folder``: the sandbox's read-only binds of an
    install (Python, the venv, the kit) that lives there, as a checkout under /tmp does."""
    points = {p for p in _mount_points() if p.startswith(folder + "/")}
    return sorted(p for p in points if not any(p.startswith(q + "/") for q in points))


def _read_only_but(writable: set[str]) -> None:
    """Every mount of this mount namespace read-only but those at ``writable``. Mounts of the parent's
    namespace share its filesystems (bwrap's root and /dev are tmpfs): what a run wrote there would
    be the next run's. A bind remount changes this namespace's mount only; it keeps the flags a
    less privileged namespace may not clear, and device nodes stay writable on a read-only mount."""
    for point in sorted(_mount_points() - writable):
        flags = os.statvfs(point).f_flag
        if not flags & os.ST_RDONLY:
            kept = flags & (os.ST_NOSUID | os.ST_NODEV | os.ST_NOEXEC)  # the same bits as MS_*
            _mount(None, point, None, MS_BIND | MS_REMOUNT | MS_RDONLY | kept)


def _fresh(folder: str, data: str) -> None:
    """A new tmpfs over ``folder``, with the mounts that were below it (read-only binds, and
    read-only still: a bind keeps its source's flags) carried over."""
    kept = [(path, os.open(path, os.O_PATH)) for path in _mounts_below(folder)]
    _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, data)
    for path, fd in kept:
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            os.makedirs(path, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "a").close()
        _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        os.close(fd)


def _isolate(request: dict) -> None:
    """In pid 1 of the fresh namespaces: the run's folders in place, everything else out of sight."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    for name, (target, read_only) in FOLDERS.items():
        _mount(_folder(request, name), target, None, MS_BIND | MS_REC)
        if read_only:
            _mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    _fresh("/tmp", f"size={int(request['tmp_bytes'])},mode=1777")
    if os.path.isdir("/dev/shm"):
        _fresh("/dev/shm", "size=64m,mode=1777")
    _read_only_but({FOLDERS["out"][0], FOLDERS["work"][0], "/tmp", "/dev/shm"})
    hidden = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
    _mount("tmpfs", SLOT, "tmpfs", hidden, "size=4k,mode=0555")
    _mount("tmpfs", "/proc", "tmpfs", hidden, "size=4k,mode=0555")  # a fresh proc is refused under bwrap's
    _loopback_up()
    _drop_capabilities()


def _run(request: dict) -> None:
    """The runner, in the copied warm interpreter: clean environment, scratch folder, events out."""
    os.chdir(FOLDERS["work"][0])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["ddsp_course.grade.sandbox.runner"]
    import numpy
    import torch

    # from the system's entropy, as in a new interpreter: no run repeats another's draws (random
    # reseeds itself in a forked child; numpy's own seed() would import secrets, 20 ms a run)
    numpy.random.seed(numpy.frombuffer(os.urandom(16), numpy.uint32))
    torch.default_generator.seed()
    from . import runner

    runner.main(FOLDERS["job"][0], FOLDERS["out"][0], _shell)


def _init(request: dict, uid: int, gid: int) -> None:
    """Pid 1 of the run's fresh namespaces: out of reach of the parent's pipes, with its limits
    and its one user and group, sets up, starts the runner and reaps until it ends. When pid 1
    exits the kernel kills every process left in the namespace."""
    os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    for name, value in request["rlimits"].items():
        limit = getattr(resource, name)
        resource.setrlimit(limit, (value, value))
    for name, text in (("uid_map", f"{uid} {uid} 1"), ("setgroups", "deny"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)
    _isolate(request)
    null = os.open(os.devnull, os.O_RDONLY)
    stdio = os.open(os.path.join(FOLDERS["out"][0], "stdio.txt"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(null, 0)
    os.dup2(stdio, 1)
    os.dup2(stdio, 2)
    os.close(null)
    os.close(stdio)
    runner = os.fork()
    if runner == 0:
        try:
            _run(request)
        except BaseException:
            traceback.print_exc()  # into stdio.txt
            sys.stderr.flush()
        finally:
            os._exit(1)
    while True:
        pid, status = os.wait()
        if pid == runner:
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _fork_into_namespaces() -> int:
    """``os.fork``, but the child is pid 1 of fresh user, mount, PID, network, IPC and UTS
    namespaces: one clone of this large process where a fork, an unshare and a second fork
    would be needed (the runner's own fork, from pid 1, is glibc's and runs every at-fork handler)."""
    _python.PyOS_BeforeFork()
    pid = _python.syscall(ctypes.c_long(SYS_clone), ctypes.c_ulong(NAMESPACES | signal.SIGCHLD), None, None, None, None)
    errno = ctypes.get_errno()
    if pid == 0:
        _python.PyOS_AfterFork_Child()
        return 0
    _python.PyOS_AfterFork_Parent()
    if pid < 0:
        raise OSError(errno, f"clone: {os.strerror(errno)}")
    return pid


def main() -> None:
    requests = os.fdopen(os.dup(0), "r")
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)  # whatever an import prints goes to the log, not into the replies
    import matplotlib

    matplotlib.use("Agg")
    for name in BASE + tuple(sys.argv[1:]):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:  # else a name imported from a module, not a submodule of it
                traceback.print_exc()
        except Exception:  # the notebook's import fails in the run too, where the student sees it
            traceback.print_exc()
    global _shell
    _shell = importlib.import_module("ddsp_course.grade.sandbox.runner").new_shell()
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)

    def reply(message: dict) -> None:
        replies.write(json.dumps(message) + "\n")

    uid, gid = os.getuid(), os.getgid()  # a run's before its user namespace maps them
    reply({"ready": True})
    for line in requests:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = _fork_into_namespaces()
        if pid == 0:
            try:
                _init(request, uid, gid)
            except BaseException:
                traceback.print_exc()
            os._exit(112)
        reply({"forked": pid})
        status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        reply({"exit": status, "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss})


if __name__ == "__main__":
    main()
