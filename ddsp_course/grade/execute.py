"""Step 2 of grading: run a prepared submission in a separate, limited process.

The runner (:mod:`ddsp_course.grade.runner`) executes the student's cells and the
cases' probes in a scratch folder, with a clean environment and resource limits set
from outside. By default it runs inside bubblewrap: its own user, PID, network and
mount namespaces, seeing only the Python installation, the kit's package, its job
(read-only), its copy of the submission and its output folder. A cell or case that makes no progress within its time limit gets the
whole process group killed; the run then restarts without it, so a hang zeroes only
what it cut short. Events are read only after the process is gone.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import numpy as np

from .cases import Case


@dataclass(frozen=True)
class Limits:
    cell_timeout: float = 60.0     # seconds without progress while a cell runs
    startup_timeout: float = 120.0  # importing the course's libraries
    total: float = 900.0           # wall-clock for one submission, all restarts included
    memory_bytes: int = 8 << 30    # address space
    file_bytes: int = 256 << 20    # largest file the process may write
    restarts: int = 6
    sandbox: bool = True           # bubblewrap; False runs the student's code as the grader's user


SANDBOX = "/sandbox"


def sandbox_available() -> bool:
    return shutil.which("bwrap") is not None


def _command(job_dir: str, out_dir: str, work: str, sandbox: bool) -> tuple[list[str], str]:
    """The runner's command line and working folder, inside bubblewrap when ``sandbox``."""
    if not sandbox:
        return [sys.executable, "-m", "ddsp_course.grade.runner", job_dir, out_dir], work
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    visible = {sys.prefix, sys.base_prefix, sys.exec_prefix, package}
    command = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
               "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
               "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
               "--uid", "65534", "--gid", "65534"]
    if os.path.isdir("/etc/alternatives"):
        command += ["--ro-bind", "/etc/alternatives", "/etc/alternatives"]
    for path in sorted(visible):
        command += ["--ro-bind", path, path]
    command += ["--ro-bind", job_dir, f"{SANDBOX}/job", "--bind", out_dir, f"{SANDBOX}/out",
                "--bind", work, f"{SANDBOX}/work", "--chdir", f"{SANDBOX}/work"]
    for key, value in _environment(f"{SANDBOX}/work").items():
        command += ["--setenv", key, value]
    return command + [sys.executable, "-m", "ddsp_course.grade.runner", f"{SANDBOX}/job", f"{SANDBOX}/out"], work


def _set_limits(limits: Limits):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def _environment(home: str) -> dict:
    """A clean environment: no secrets of the grader's, one thread, a headless backend."""
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
            if k in os.environ}
    return {**keep, "HOME": home, "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "MPLCONFIGDIR": os.path.join(home, ".mpl")}


def _read_events(path: str) -> list[dict]:
    events = []
    try:
        with open(path, "rb") as f:
            for line in f.read(64 << 20).splitlines():
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if isinstance(event, dict):
                    events.append(event)
    except OSError:
        pass
    return events


def _current(path: str, offset: int) -> tuple[str | None, int]:
    """The key of the last item started since ``offset`` (only to pick its time limit)."""
    key = None
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            chunk = f.read(1 << 20)
    except OSError:
        return None, offset
    for line in chunk.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and "start" in event:
            key = str(event["start"])
    return key, offset + len(chunk)


def execute(cells: list[dict], cases: list[Case], submission_dir: str, scratch: str,
            limits: Limits = Limits()) -> dict[str, dict]:
    """Run cells then cases; returns ``{key: event}`` with ``event["out_dir"]`` set for cases.

    Every key gets an event: a finished one from the runner, or ``timeout``, ``crashed``,
    ``skipped`` made here."""
    job_dir = os.path.join(scratch, "job")
    os.makedirs(os.path.join(job_dir, "arrays"))
    probes = []
    for case in cases:
        probe, _ = case.probe()
        prefix = case.key
        for name, array in probe.arrays.items():
            np.save(os.path.join(job_dir, "arrays", f"{prefix}_{name}"), array, allow_pickle=False)
        ops = [dict(op, file=f"{prefix}_{op['file']}") if op["op"] == "tensor" else op for op in probe.ops]
        probes.append({"key": case.key, "ops": ops})
    timeouts = {c["key"]: limits.cell_timeout for c in cells} | {c.key: c.timeout for c in cases}
    functions = {c.key: c.functions() for c in cases}
    cell_keys = {c["key"] for c in cells}
    order = [c["key"] for c in cells] + [c.key for c in cases]
    results: dict[str, dict] = {}
    deadline = time.monotonic() + limits.total
    for attempt in range(limits.restarts + 1):
        todo = [k for k in order if k not in results]
        if not todo:
            break
        if attempt == limits.restarts or time.monotonic() >= deadline:
            for key in todo:
                results[key] = {"status": "skipped", "reason": "not run: the grading time for this submission ran out."}
            break
        with open(os.path.join(job_dir, "job.json"), "w") as f:
            # cells run again on every start (they define the namespace), except those that hung or crashed
            skip = [k for k in results if k not in cell_keys or results[k].get("status") in ("timeout", "crashed")]
            json.dump({"cells": cells, "cases": probes, "skip": skip}, f)
        out_dir = os.path.join(scratch, f"out{attempt}")
        work = os.path.join(scratch, f"work{attempt}")
        os.makedirs(out_dir)
        shutil.copytree(submission_dir, work)
        events_path = os.path.join(out_dir, "events.jsonl")
        with open(os.path.join(out_dir, "stdio.txt"), "wb") as stdio:
            command, cwd = _command(job_dir, out_dir, work, limits.sandbox)
            proc = subprocess.Popen(command, cwd=cwd, env=_environment(work), stdin=subprocess.DEVNULL,
                                    stdout=stdio, stderr=stdio, start_new_session=True, close_fds=True,
                                    preexec_fn=_set_limits(limits))
            timed_out = _watch(proc, events_path, timeouts, limits, deadline)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        events = _read_events(events_path)
        started = None
        for event in events:
            if "start" in event:
                started = str(event["start"])
            for kind in ("cell", "case"):
                key = event.get(kind)
                if key in timeouts and key not in results:
                    results[key] = dict(event, out_dir=out_dir)
                    started = None
        if any(e.get("done") is True for e in events):
            continue
        culprit = started if started in timeouts and started not in results else None
        if culprit is None:
            reason = "the runner did not start" if not any("start" in e for e in events) else "the runner stopped"
            for key in [k for k in order if k not in results]:
                results[key] = {"status": "crashed", "reason": reason}
            break
        results[culprit] = {"status": "timeout" if timed_out else "crashed"}
        what = "timed out" if timed_out else "crashed the process"
        hung = functions.get(culprit, set())
        for key in order:
            if key not in results and hung & functions.get(key, set()):
                names = ", ".join(sorted(hung & functions[key]))
                results[key] = {"status": "skipped", "reason": f"not run: an earlier test of {names} {what}."}
    return results


def _watch(proc, events_path: str, timeouts: dict, limits: Limits, deadline: float) -> bool:
    """Wait for ``proc``; True if it had to be stopped for making no progress in time."""
    offset, current = 0, None
    last_progress = time.monotonic()
    while proc.poll() is None:
        time.sleep(0.02)
        key, new_offset = _current(events_path, offset)
        now = time.monotonic()
        if new_offset != offset:
            offset, last_progress = new_offset, now
            current = key or current
        limit = timeouts.get(current, limits.startup_timeout) if current else limits.startup_timeout
        if now - last_progress > limit or now > deadline:
            return True
    return False
