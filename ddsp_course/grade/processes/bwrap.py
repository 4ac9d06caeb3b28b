"""A sandbox of its own: bubblewrap's command line (fresh namespaces, uid 65534, a clean environment,
read-only the Python installation and the kit's package), the limits set before it starts, and
waiting until every process of it is gone."""
from __future__ import annotations

import functools
import json
import os
import resource
import shutil
import subprocess
import sys
import time

from .cgroups import Cpu, Pids
from .limits import Limits

PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # ddsp_course/


SANDBOX = "/sandbox"


def sandbox_available() -> bool:
    return shutil.which("bwrap") is not None


@functools.lru_cache(maxsize=None)
def _bwrap_has_size() -> bool:
    try:
        return "--size" in subprocess.run(["bwrap", "--help"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False


def runner_command(job_dir: str, out_dir: str, work: str, limits: Limits,
                   info_fd: int | None = None) -> tuple[list[str], str]:
    """The runner's command line and working folder, inside bubblewrap when ``limits.sandbox``."""
    if not limits.sandbox:
        return [sys.executable, "-m", "ddsp_course.grade.sandbox.runner", job_dir, out_dir], work
    binds = ["--ro-bind", job_dir, f"{SANDBOX}/job", "--bind", out_dir, f"{SANDBOX}/out",
             "--bind", work, f"{SANDBOX}/work"]
    return (bwrap(limits, binds, info_fd)
            + ["-m", "ddsp_course.grade.sandbox.runner", f"{SANDBOX}/job", f"{SANDBOX}/out"]), work


def bwrap(limits: Limits, binds: list[str], info_fd: int | None = None) -> list[str]:
    """``bwrap ... python``: fresh namespaces, uid 65534, a clean environment, read-only the Python
    installation and the kit's package, then ``binds``; the working folder is ``/sandbox/work``.
    Writable are only the writable ``binds`` and sized tmpfs on /tmp (``disk_bytes``) and /dev/shm
    (64 MiB): bwrap's root and /dev (tmpfs too, in memory) are read-only once set up, and so is
    /proc/sys (the machine's settings: uid 65534 here is the grader's uid, root when it runs as root)."""
    visible = {sys.prefix, sys.base_prefix, sys.exec_prefix, PACKAGE}
    tmp, shm = (["--size", str(limits.disk_bytes)], ["--size", str(64 << 20)]) if _bwrap_has_size() else ([], [])
    command = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
               "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
               "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys",
               "--ro-bind-try", "/proc/sysrq-trigger", "/proc/sysrq-trigger",
               "--dev", "/dev", *shm, "--tmpfs", "/dev/shm", *tmp, "--tmpfs", "/tmp",
               "--uid", "65534", "--gid", "65534"]
    if info_fd is not None:
        command += ["--info-fd", str(info_fd)]
    if os.path.isdir("/etc/alternatives"):
        command += ["--ro-bind", "/etc/alternatives", "/etc/alternatives"]
    for path in sorted(visible):
        command += ["--ro-bind", path, path]
    command += [*binds, "--remount-ro", "/dev", "--remount-ro", "/", "--chdir", f"{SANDBOX}/work"]
    for key, value in environment(f"{SANDBOX}/work").items():
        command += ["--setenv", key, value]
    return command + [sys.executable]


def environment(home: str) -> dict:
    """A clean environment: no secrets of the grader's, one thread, a headless backend."""
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
            if k in os.environ}
    return {**keep, "HOME": home, "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "MPLCONFIGDIR": os.path.join(home, ".mpl")}


def set_limits(limits: Limits, pids: "Pids | None", cpu: "Cpu | None" = None):
    nproc = None
    if pids is None and limits.sandbox and os.getuid() != 0:
        # RLIMIT_NPROC counts every task of the grader's uid, so leave room for those already running
        nproc = limits.processes + _tasks_of(os.getuid())

    def apply():  # in the child, before bwrap starts: everything it starts inherits these
        for cgroup in (pids, cpu):
            if cgroup is not None:
                cgroup.join()
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if nproc is not None:
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    return apply


def _tasks_of(uid: int) -> int:
    count = 0
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and os.stat(f"/proc/{pid}").st_uid == uid:
                count += len(os.listdir(f"/proc/{pid}/task"))
        except OSError:
            pass
    return count


def wait_gone(info_path: str, patience: float = 30.0) -> None:
    """Wait until the sandbox's pid 1 (named by bwrap's --info-fd) is gone: with it, every
    process of its pid namespace is dead (the kernel kills them all and waits for them)."""
    try:
        with open(info_path) as f:
            pid = int(json.loads(f.read() or "{}").get("child-pid", 0))
    except (OSError, ValueError, TypeError):
        return
    end = time.monotonic() + patience
    while pid > 0 and time.monotonic() < end:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rpartition(")")[2].split()[0] == "Z":
                    return
        except OSError:
            return
        time.sleep(0.01)
