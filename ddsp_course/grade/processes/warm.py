"""The grader's side of warm grading: one warm parent per grading worker.

Starting a runner costs its imports (``torch`` and friends, about 3 s); forking an interpreter
that has them costs milliseconds. A :class:`WarmParent` is a bubblewrap sandbox running
:mod:`ddsp_course.grade.sandbox.warm_parent`, which imports the assignment's libraries once (those its
released notebook imports: :func:`warm_modules`) and never runs student code. Each run is a
child forked from it into fresh user, mount, PID, network, IPC and UTS namespaces (see
:mod:`ddsp_course.grade.sandbox.warm_parent`), with its own rlimits and scratch folders. A parent runs one run at a
time and
sits in a pids cgroup of its own, limited to itself and one run's processes: a run is born in
it (moving a process between cgroups waits about 10 ms for the kernel) and what is left of it
is killed there afterwards. It sits in a cpuacct cgroup of its own too (where one can be made):
idle while a run runs, what that cgroup counts meanwhile is the run's CPU time, which its items are
charged (see ``_watch`` in :mod:`ddsp_course.grade.execute`). Warm runs need a pids cgroup (the grader
runs as root or has one delegated); elsewhere grading starts a sandbox per run.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager

from .bwrap import SANDBOX, bwrap, environment, sandbox_available
from .cgroups import Cpu, Pids
from .limits import Limits

RLIMITS = ("RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_CORE")


IMPLIED = {"torch": ("torch.nn.functional", "torch.optim", "torch._dynamo")}  # an optimizer's first step
# imports torch._dynamo (and sympy): 0.8 s a run, unless the parent has


def warm_modules(notebook) -> tuple[str, ...]:
    """The modules the code cells of ``notebook`` (a released assignment, nbformat v4) import,
    with what their use imports later (:data:`IMPLIED`): what a warm parent imports for it."""
    import ast

    modules = set()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines())
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module)  # and what may be a submodule of it (the parent skips what is not)
                modules.update(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    for module in list(modules):
        modules.update(IMPLIED.get(module.split(".")[0], ()))
    return tuple(sorted(modules))


class WarmError(RuntimeError):
    """The warm parent failed (not the submission): it is replaced before the next run."""


class WarmParent:
    """A warm parent in its own sandbox; ``start`` forks one isolated run from it."""

    def __init__(self, limits: Limits, modules: tuple[str, ...] = (), wait: bool = True):
        """Start one; unless ``wait``, return at once and let :meth:`ready` wait for its imports."""
        self.limits, self.modules = limits, tuple(modules)
        self.root = tempfile.mkdtemp(prefix="ddsp-warm-")
        self.slot = os.path.join(self.root, "slot")  # the runs' scratch folders: the parent's /slot
        os.mkdir(self.slot)
        self.proc, self.pid, self.pids, self.cpu = None, None, None, None
        self.failed = False  # out of step with this side: replaced before its next run
        self.peak_run_mb = 0.0  # the largest resident size a run forked from it reached
        binds = ["--bind", self.slot, "/slot", "--as-pid-1"] + [
            arg for name in ("job", "out", "work") for arg in ("--dir", f"{SANDBOX}/{name}")]
        with open(os.path.join(self.root, "info.json"), "wb") as info, \
                open(os.path.join(self.root, "parent.log"), "ab") as log:
            command = bwrap(self.limits, binds, info.fileno()) + ["-m", "ddsp_course.grade.sandbox.warm_parent",
                                                                 *self.modules]
            self.proc = subprocess.Popen(command,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                         start_new_session=True, pass_fds=(info.fileno(),), cwd=self.root)
        self._buffer = b""
        if wait:
            try:
                self.ready()
            except WarmError:
                self.close()
                raise

    def ready(self) -> "WarmParent":
        """Itself, once it has imported its modules (WarmError if it could not)."""
        if self.pid is None:
            self._expect("ready", self.limits.startup_timeout)
            with open(os.path.join(self.root, "info.json")) as f:
                pid = int(json.load(f)["child-pid"])  # the parent, pid 1 of its sandbox (--as-pid-1)
            self.pids = Pids.make(self.limits.processes + 1)
            if self.pids is None:
                self.failed = True
                raise WarmError("no pids cgroup could be made for the warm parent")
            self.pids.join(pid)
            self.cpu = Cpu.make(self.pids)  # idle while its run runs: what the cgroup counts is the run's
            if self.cpu is not None:
                self.cpu.join(pid)
            self.pid = pid
        return self

    def _send(self, message: dict) -> None:
        try:
            self.proc.stdin.write((json.dumps(message) + "\n").encode())
            self.proc.stdin.flush()
        except OSError as exc:
            self.failed = True
            raise WarmError(f"the warm parent stopped listening ({exc})") from exc

    def _reply(self, timeout: float | None) -> dict | None:
        """The next reply; None if none came within ``timeout`` seconds."""
        end = None if timeout is None else time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = None if end is None else max(0.0, end - time.monotonic())
            if not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                self.failed = True
                raise WarmError(f"the warm parent exited (see {self.root}/parent.log)")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def _expect(self, key: str, timeout: float) -> dict:
        reply = self._reply(timeout)
        if reply is None or key not in reply:
            self.failed = True
            raise WarmError(f"the warm parent sent {reply!r} instead of {key!r}")
        return reply

    def healthy(self) -> bool:
        return not self.failed and self.proc.poll() is None

    def start(self, job_dir: str, out_dir: str, work: str, limits: Limits) -> "WarmRun":
        """Fork a run of the runner on these folders (under ``slot``), with these limits."""
        folders = {name: os.path.relpath(path, self.slot) for name, path in
                   (("job", job_dir), ("out", out_dir), ("work", work))}
        if any(path.startswith("..") for path in folders.values()):
            raise ValueError(f"a warm run's folders must be under {self.slot}")
        rlimits = dict(zip(RLIMITS, (limits.cpu_seconds, limits.memory_bytes, limits.file_bytes, 0)))
        self.pids.limit(limits.processes + 1)
        self._send({**folders, "rlimits": rlimits, "tmp_bytes": limits.disk_bytes,
                    "env": environment(f"{SANDBOX}/work")})
        self._expect("forked", 60)
        return WarmRun(self)

    def peak_mb(self) -> float:
        """The parent's own peak resident size."""
        with open(f"/proc/{self.pid}/status") as f:
            return next(float(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM:"))

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.pids is not None:
            self.pids.remove()
        if self.cpu is not None:
            self.cpu.remove()
        shutil.rmtree(self.root, ignore_errors=True)


class WarmRun:
    """One forked run, as ``execute`` watches it: ``poll`` and ``wait`` like a ``Popen``."""

    def __init__(self, parent: WarmParent):
        self.parent, self.returncode = parent, None
        self.lost = False  # the warm parent failed during the run: what it did is not the student's doing

    def poll(self, timeout: float = 0.0) -> int | None:
        """The exit status, waiting up to ``timeout`` seconds for it; None while it runs."""
        if self.returncode is None:
            self._collect(timeout)
        return self.returncode

    def wait(self, patience: float = 60.0) -> int:
        """Its exit status, once the warm parent has reaped it (after the run is killed); -9
        if the parent failed to say, which retires the parent."""
        if self.returncode is None:
            self._collect(patience)
        if self.returncode is None:
            self.parent.failed, self.lost, self.returncode = True, True, -9
        return self.returncode

    def _collect(self, timeout: float) -> None:
        try:
            reply = self.parent._reply(timeout)
        except WarmError:
            self.lost, self.returncode = True, -9
            return
        if reply is not None:
            self.returncode = int(reply.get("exit", -9))
            self.parent.peak_run_mb = max(self.parent.peak_run_mb, float(reply.get("peak_kb", 0)) / 1024)


class WarmPool:
    """Warm parents for the grading threads: each thread borrows one for a submission. The first
    ``count`` start at once, importing while the grader does its own preparation."""

    def __init__(self, limits: Limits, modules: tuple[str, ...] = (), count: int = 0):
        self.limits, self.modules = limits, modules
        self._free: list[WarmParent] = []
        self._all: list[WarmParent] = []
        self._lock = threading.Lock()
        for _ in range(count):
            try:
                self._free.append(WarmParent(limits, modules, wait=False))
            except (OSError, ValueError):
                break  # the borrowers try again, one by one
            self._all.append(self._free[-1])

    @staticmethod
    def possible(limits: Limits) -> bool:
        """Warm runs need bubblewrap and a pids cgroup the grader may make."""
        if not (limits.sandbox and sandbox_available()):
            return False
        probe = Pids.make(1)
        if probe is None:
            return False
        probe.remove()
        return True

    @contextmanager
    def borrow(self):
        """A warm parent no other thread is using (None if one cannot be started)."""
        with self._lock:
            parent = self._free.pop() if self._free else None
        try:
            if parent is None:
                parent = WarmParent(self.limits, self.modules, wait=False)
                with self._lock:
                    self._all.append(parent)
            parent.ready()
        except (OSError, WarmError, ValueError):
            if parent is not None:
                self._retire(parent)
            yield None  # this submission gets a sandbox of its own
            return
        try:
            yield parent
        finally:
            if parent.healthy():
                with self._lock:
                    self._free.append(parent)
            else:  # the next borrower starts a fresh one
                self._retire(parent)

    def _retire(self, parent: WarmParent) -> None:
        with self._lock:
            self._all.remove(parent)
        parent.close()

    def close(self) -> None:
        with self._lock:
            parents, self._all, self._free = self._all, [], []
        for parent in parents:
            parent.close()
