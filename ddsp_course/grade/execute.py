"""Step 2 of grading: run a prepared submission in a separate, limited process.

The runner (:mod:`ddsp_course.grade.sandbox.runner`) executes the student's cells and the
cases' probes in a scratch folder, with a clean environment and resource limits set
from outside. By default it runs inside bubblewrap: its own user, PID, network and
mount namespaces, seeing only the Python installation, the kit's package, its job
(read-only), its copy of the submission and its output folder. A cell or case that uses up its
budget of CPU time (its processes', counted by a cpuacct cgroup: the same however busy the machine
is), or makes no progress for a wall-clock backstop several budgets long, gets the whole process
group killed; the run then restarts without it, so a hang zeroes only what it cut short (one the
backstop cut under its budget runs once more alone first). Limits are set and enforced from
outside: CPU time, address space, file size, a process count (a pids cgroup where one can be
made, which binds root too; else RLIMIT_NPROC, which binds only a grader that is not root), disk
use of the scratch folders (watched) and of the sandbox's /tmp (a sized tmpfs). Events are read once,
only after every process of the sandbox is gone. A run can also be forked from a warm parent
(:mod:`ddsp_course.grade.processes.warm`) instead of starting a sandbox of its own: same folders, limits and watch.
"""
from __future__ import annotations

import functools
import itertools
import json
import os
import shutil
import signal
import stat
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .cases import Case
from .processes.bwrap import environment, runner_command, set_limits, wait_gone
from .processes.cgroups import Cpu, Pids, Wall
from .processes.limits import Limits
from .processes.warm import WarmError, WarmParent
from .sandbox.wire import open_regular


class _Turns:
    """Sandboxes of this process run side by side (shared turns) or one alone (an exclusive turn,
    which waits for the running ones and goes before those that would start after it asked)."""

    def __init__(self):
        self._changed = threading.Condition()
        self._running, self._alone, self._waiting = 0, False, 0

    @contextmanager
    def turn(self, alone: bool = False):
        with self._changed:
            if alone:
                self._waiting += 1
                self._changed.wait_for(lambda: not self._alone and not self._running)
                self._waiting, self._alone = self._waiting - 1, True
            else:
                self._changed.wait_for(lambda: not self._alone and not self._waiting)
            self._running += 1
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._alone = self._alone and not alone
                self._changed.notify_all()


_TURNS = _Turns()


def _open_regular(path: str):
    """``path`` opened for reading if it is a regular file the sandbox left there, else None."""
    try:
        return open_regular(path)
    except (OSError, ValueError):
        return None


def _usage(folder: str, max_entries: int = 100_000) -> float:
    """Bytes on disk under ``folder`` (inf past ``max_entries`` files: inodes are a resource too)."""
    total, entries, stack = 0, 0, [folder]
    while stack:
        try:
            listing = os.scandir(stack.pop())
        except OSError:
            continue
        with listing:
            for entry in listing:
                entries += 1
                if entries > max_entries:
                    return float("inf")
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        total += entry.stat(follow_symlinks=False).st_blocks * 512
                except OSError:
                    pass
    return total


def special_files(folder: str, names: list[str]) -> list[str]:
    """``shutil.copytree``'s ignore: FIFOs, sockets and devices (copying one blocks or fails)."""
    special = []
    for name in names:
        try:
            mode = os.lstat(os.path.join(folder, name)).st_mode
        except OSError:
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
            special.append(name)
    return special


MAX_EVENT_BYTES = 4 << 20   # one line of the events file (a case's values: arrays are files beside it)


MAX_EVENTS_BYTES = 64 << 20  # the whole events file


def _event(line: bytes) -> dict | None:
    """One line of the events file as a dict, None if it is not one (too long, nested too deep, ...)."""
    if len(line) > MAX_EVENT_BYTES:
        return None
    try:
        event = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return event if isinstance(event, dict) else None


def _read_events(path: str) -> list[dict]:
    f = _open_regular(path)
    if f is None:
        return []
    with f:
        lines = f.read(MAX_EVENTS_BYTES).splitlines()
    return [event for event in map(_event, lines) if event is not None]


def _current(path: str, offset: int) -> tuple[str | None, int]:
    """The key of the last item started since ``offset`` (only to pick its time limit)."""
    key = None
    f = _open_regular(path)
    if f is None:
        return None, offset
    with f:
        f.seek(offset)
        chunk = f.read(1 << 20)
    for line in chunk.splitlines():
        event = _event(line)
        if event is not None and "start" in event:
            key = str(event["start"])[:200]
    return key, offset + len(chunk)


def execute(cells: list[dict], cases: list[Case], submission_dir: str, scratch: str,
            limits: Limits = Limits(), warm: WarmParent | None = None) -> dict[str, dict]:
    """Run cells then cases; returns ``{key: event}`` with ``event["out_dir"]`` set for cases.
    With a ``warm`` parent (``scratch`` must then be under its slot) each attempt is forked from
    it; otherwise each starts a sandbox of its own.

    Each item is charged the CPU time of the run's processes while it runs (see :func:`_watch`);
    every event made here says what it used: ``cpu_seconds``, and ``clock`` ("cpu", or "wall"
    where no cgroup counts CPU time). Every key gets an event: a finished one from the runner, or
    ``timeout`` (with its ``budget`` and ``stopped_by``: "cpu", or "wall" for one that made no
    progress in ``backstop`` times its budget, even run alone), ``crashed``, ``skipped`` made here
    (see :func:`settle`)."""
    job_dir = os.path.join(scratch, "job")
    probes = write_probes(cases, job_dir)
    plan = Plan.of(cells, cases, limits)
    results: dict[str, dict] = {}
    deadline = time.monotonic() + limits.backstop * limits.total
    spent = 0.0  # CPU seconds of the attempts so far
    retried = False
    alone, ran_alone = None, set()  # an item the wall-clock backstop cut under its budget: run again alone
    for attempt in itertools.count():
        todo = [k for k in plan.order if k not in results]
        if not todo:
            break
        if attempt >= limits.restarts + retried + len(ran_alone) or spent >= limits.total \
                or time.monotonic() >= deadline:
            for key in todo:
                results[key] = {"status": "skipped", "reason": "not run: the grading time for this submission ran out."}
            break
        # cells run again on every start (they define the namespace), except those that hung or crashed;
        # a run alone runs its one item after them
        skip = [k for k in results if k not in plan.cells or results[k].get("status") in ("timeout", "crashed")]
        skip += [k for k in todo if alone is not None and k != alone and k not in plan.cells]
        with open(os.path.join(job_dir, "job.json"), "w") as f:
            json.dump({"cells": cells, "cases": probes, "skip": skip}, f)
        out_dir = os.path.join(scratch, f"out{attempt}")
        work = os.path.join(scratch, f"work{attempt}")
        os.makedirs(out_dir)
        # links stay links: never followed here
        shutil.copytree(submission_dir, work, symlinks=True, ignore=special_files)
        events_path = os.path.join(out_dir, "events.jsonl")
        watch = functools.partial(_watch, events_path=events_path, budgets=plan.budgets, limits=limits,
                                  deadline=deadline, spent=spent, scratch=scratch,
                                  disk_budget=_usage(scratch) + limits.disk_bytes)
        with _TURNS.turn(alone=alone is not None):
            lost, stop = run_attempt(job_dir, out_dir, work, os.path.join(scratch, f"info{attempt}.json"), limits,
                                     warm, watch)
        spent += stop.spent
        if lost and not retried:
            retried = True  # the warm parent failed, not the submission: this attempt again, in a sandbox of its own
            continue
        replaced = os.path.islink(events_path) or (os.path.lexists(events_path) and not os.path.isfile(events_path))
        alone = settle(plan, results, _read_events(events_path), stop, out_dir, [k for k in todo if k not in skip],
                       ran_alone, limits, replaced)
    return results


def write_probes(cases: list[Case], job_dir: str) -> list[dict]:
    """The cases' probes as the runner reads them, their arrays saved in ``job_dir/arrays``."""
    os.makedirs(os.path.join(job_dir, "arrays"))
    probes = []
    for case in cases:
        probe, _ = case.probe()
        for name, array in probe.arrays.items():
            np.save(os.path.join(job_dir, "arrays", f"{case.key}_{name}"), array, allow_pickle=False)
        ops = [dict(op, file=f"{case.key}_{op['file']}") if op["op"] == "tensor" else op for op in probe.ops]
        probes.append({"key": case.key, "ops": ops})
    return probes


def run_attempt(job_dir: str, out_dir: str, work: str, info_path: str, limits: Limits, warm: WarmParent | None,
                watch) -> tuple[bool, "_Stop"]:
    """Start the runner once (forked from ``warm`` if it is healthy, else in a sandbox of its own),
    ``watch`` it, and return once every process of it is gone: whether the warm parent failed
    under it (not the student's doing), and how it stopped."""
    proc, pids, cpu, forked = None, None, None, False
    try:
        if warm is not None and warm.healthy():
            try:
                clock = warm.cpu or Wall()
                proc, forked = warm.start(job_dir, out_dir, work, limits), True
            except WarmError:
                proc = None  # the warm parent failed: this attempt gets a sandbox of its own
        if forked:
            stop = watch(proc, clock=clock)
        else:
            pids = Pids.make(limits.processes) if limits.sandbox else None
            cpu = Cpu.make(pids)
            clock = cpu or Wall()
            with open(os.path.join(out_dir, "stdio.txt"), "wb") as stdio, open(info_path, "wb") as info:
                command, cwd = runner_command(job_dir, out_dir, work, limits, info.fileno())
                proc = subprocess.Popen(command, cwd=cwd, env=environment(work), stdin=subprocess.DEVNULL,
                                        stdout=stdio, stderr=stdio, start_new_session=True, close_fds=True,
                                        pass_fds=(info.fileno(),) if limits.sandbox else (),
                                        preexec_fn=set_limits(limits, pids, cpu))
                stop = watch(proc, clock=clock)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    finally:
        if forked:
            warm.pids.kill_all(spare=warm.pid)  # what is left of the run in the parent's cgroup, born there
        elif pids is not None:
            pids.remove()
        if cpu is not None:
            cpu.remove()
    proc.wait()
    if limits.sandbox:
        wait_gone(info_path)  # (a warm run's pid 1 is gone: its parent has reaped it)
    shutil.rmtree(work, ignore_errors=True)  # only events and outputs are read, once, from here on
    return getattr(proc, "lost", False), stop


@dataclass(frozen=True)
class Plan:
    """What one submission's execution is about: its items in order (cells, then cases), which are
    cells, each item's budget (CPU seconds) and the student's functions each case calls."""

    order: list[str]
    cells: set[str]
    budgets: dict[str, float]
    functions: dict[str, set[str]]

    @classmethod
    def of(cls, cells: list[dict], cases: list[Case], limits: Limits) -> "Plan":
        return cls([c["key"] for c in cells] + [c.key for c in cases], {c["key"] for c in cells},
                   {c["key"]: limits.cell_timeout for c in cells} | {c.key: c.timeout for c in cases},
                   {c.key: c.functions() for c in cases})


def settle(plan: Plan, results: dict[str, dict], events: list[dict], stop: "_Stop", out_dir: str, expected: list[str],
           ran_alone: set[str], limits: Limits, replaced: bool = False) -> str | None:
    """What one attempt cost (no processes, no files: decided from its ``events`` and how it
    ``stop``-ped), recorded in ``results``: each finished item gets its event; if an ``expected``
    item is missing, the item that was running when it stopped gets a timeout (or a crash), and
    every later case of the same student functions is skipped, so a hang zeroes only the tests it
    cut short; if no item was running, everything left crashed (``replaced``: the events file was
    swapped for a link or a FIFO, tampering). Returns the item to run again alone (the wall-clock
    backstop cut it under its budget, once: it waited for a busy machine, or sleeps), else None."""
    started = None
    for event in events:
        if "start" in event:
            started = str(event["start"])
        for kind in ("cell", "case"):
            key = event.get(kind)
            if key in plan.budgets and key not in results:
                results[key] = dict(event, out_dir=out_dir, clock=stop.clock, cpu_seconds=stop.used.get(key))
                started = None
    if all(key in results for key in expected):  # complete (a "done" line proves nothing: anyone can write one)
        return None
    culprit = started if started in plan.budgets and started not in results else None
    if culprit is None:
        reason = "the runner did not start" if not any("start" in e for e in events) else "the runner stopped"
        if replaced:
            reason = "its results file was replaced: tampering"
        for key in [k for k in plan.order if k not in results]:
            results[key] = {"status": "crashed", "reason": reason}
        return None
    used = stop.used.get(culprit, 0.0)
    if stop.by == "wall" and used < plan.budgets[culprit] and culprit not in ran_alone:
        ran_alone.add(culprit)
        return culprit
    timed_out = stop.by in ("cpu", "wall", "total")
    results[culprit] = {"status": "timeout" if timed_out else "crashed", "clock": stop.clock, "cpu_seconds": used}
    if timed_out:
        results[culprit].update(budget=plan.budgets[culprit], stopped_by=stop.by,
                                wall_seconds=limits.backstop * plan.budgets[culprit], total=limits.total)
    what = "timed out" if timed_out else "crashed the process"
    if stop.by == "disk":
        results[culprit]["reason"] = f"it wrote more than {limits.disk_bytes >> 20} MiB of files"
        what = "wrote too much to disk"
    hung = plan.functions.get(culprit, set())
    for key in plan.order:
        if key not in results and hung & plan.functions.get(key, set()):
            names = ", ".join(sorted(hung & plan.functions[key]))
            results[key] = {"status": "skipped", "reason": f"not run: an earlier test of {names} {what}."}
    return None


def time_limits(limits: Limits, cases: list[Case], events: dict[str, dict]) -> dict:
    """The time limits one submission was graded under, as plain data (for its autograded notebook):
    the clock that counted ("cpu": its processes' CPU time; "wall" where no cgroup could), the budgets
    in that clock's seconds, the backstop, and the seconds each item used."""
    clocks = {event["clock"] for event in events.values() if event.get("clock") in ("cpu", "wall")}
    return {"clock": "wall" if "wall" in clocks else "cpu", "cell_seconds": limits.cell_timeout,
            "startup_seconds": limits.startup_timeout, "total_seconds": limits.total,
            "backstop": limits.backstop, "case_seconds": {case.key: case.timeout for case in cases},
            "used_seconds": {key: event["cpu_seconds"] for key, event in events.items()
                             if isinstance(event.get("cpu_seconds"), (int, float))}}


@dataclass
class _Stop:
    """How a watched run ended: ``by`` None (it exited), "cpu" (an item used up its budget), "wall"
    (no progress in ``backstop`` budgets of wall-clock time), "total" or "disk"; the CPU seconds
    each item used, and the run's in all."""

    by: str | None
    used: dict
    spent: float
    clock: str


def _poll(proc, interval: float) -> int | None:
    """``proc``'s exit status, after waiting up to ``interval`` seconds for it (a warm run says
    when it ends; a process is looked at again after the interval)."""
    if hasattr(proc, "lost"):
        return proc.poll(interval)
    time.sleep(interval)
    return proc.poll()


def _watch(proc, events_path: str, budgets: dict, limits: Limits, deadline: float, spent: float, scratch: str,
           disk_budget: float, clock) -> _Stop:
    """Wait for ``proc``, charging each item the CPU time ``clock`` counted from its start line to
    the next (importing, before the first, is charged to ``limits.startup_timeout``); stop it when
    an item uses up its budget, makes no progress in ``limits.backstop`` times its budget in
    wall-clock seconds, the submission's total runs out, or the files in ``scratch`` exceed
    ``disk_budget`` bytes."""
    offset, current, used = 0, None, {}
    begun = charged = clock.usage()
    last_progress = last_disk = time.monotonic()

    def stop(by: str | None) -> _Stop:
        if current is not None:
            used[current] = round(now_cpu - charged, 3)
        return _Stop(by, used, now_cpu - begun, "wall" if isinstance(clock, Wall) else "cpu")

    while _poll(proc, 0.02) is None:
        key, new_offset = _current(events_path, offset)
        now, now_cpu = time.monotonic(), clock.usage()
        if new_offset != offset:
            offset, last_progress = new_offset, now
            if key is not None:
                if current is not None:
                    used[current] = round(now_cpu - charged, 3)
                current, charged = key, now_cpu
        budget = budgets.get(current, limits.startup_timeout) if current else limits.startup_timeout
        if now_cpu - charged > budget:
            return stop("cpu")
        if now - last_progress > limits.backstop * budget:
            return stop("wall")
        if spent + now_cpu - begun > limits.total or now > deadline:
            return stop("total")
        if now - last_disk > 0.25:
            last_disk = now
            if _usage(scratch) > disk_budget:
                return stop("disk")
    now_cpu = clock.usage()
    return stop(None)
