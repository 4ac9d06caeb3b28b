"""Control groups of the processes that run student code: a pids cgroup (a process limit that binds
root too, and the list of what is left to kill) and a cpuacct cgroup (the CPU time they used); the
wall clock where no cgroup can be made."""
from __future__ import annotations

import itertools
import os
import re
import signal
import time
from dataclasses import dataclass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


class Pids:
    """A pids cgroup (v1 or v2), one per sandbox run or per warm parent (one run at a time): a
    process limit that binds root too, and the list of every process still in it, to kill before
    anything a run wrote is read."""

    _made = itertools.count(1)  # next() is atomic: threads never draw the same name
    _swept: set[str] = set()

    def __init__(self, path: str):
        self.path = path

    @classmethod
    def make(cls, limit: int) -> "Pids | None":
        """A new cgroup limited to ``limit`` tasks, or None where none can be made (not root, no pids controller)."""
        for root in ("/sys/fs/cgroup/pids", "/sys/fs/cgroup"):
            if not os.path.isfile(os.path.join(root, "cgroup.procs")):
                continue  # not a cgroup hierarchy
            if root not in cls._swept:
                cls._swept.add(root)
                cls._sweep(root)
            path = os.path.join(root, f"ddsp-grade-{os.getpid()}-{next(cls._made)}")
            try:
                os.mkdir(path)
            except OSError:
                continue
            pids = cls(path)
            try:
                pids.limit(limit)
                return pids
            except OSError:
                os.rmdir(path)
        return None

    @staticmethod
    def _sweep(root: str) -> None:
        """Remove the empty cgroups of graders that died before removing their own (killed, say)."""
        for name in os.listdir(root):
            made_by = re.fullmatch(r"ddsp-grade-(\d+)-\d+", name)
            if made_by and not _alive(int(made_by.group(1))):
                try:
                    os.rmdir(os.path.join(root, name))
                except OSError:
                    pass  # not empty: left to whoever looks

    def limit(self, limit: int) -> None:
        """At most ``limit`` tasks (processes and threads) in the cgroup."""
        with open(os.path.join(self.path, "pids.max"), "r+") as f:  # never created: the controller's own file
            f.write(str(limit))

    def join(self, pid: int | None = None) -> None:
        """Put ``pid`` (default: this process) in the cgroup; what it starts afterwards is in it too."""
        with open(os.path.join(self.path, "cgroup.procs"), "w") as f:
            f.write(str(pid or os.getpid()))

    def alive(self, spare: int | None = None) -> list[int]:
        """The processes in the cgroup that are not zombies, but for ``spare``."""
        live = []
        try:
            with open(os.path.join(self.path, "cgroup.procs")) as f:
                pids = [int(p) for p in f.read().split()]
        except OSError:
            return []
        for pid in pids:
            if pid == spare:
                continue
            try:
                with open(f"/proc/{pid}/stat") as f:
                    if f.read().rpartition(")")[2].split()[0] != "Z":
                        live.append(pid)
            except OSError:
                pass
        return live

    def kill_all(self, spare: int | None = None, patience: float = 30.0) -> None:
        """SIGKILL every process in the cgroup but ``spare`` until none is left (zombies cannot act)."""
        end = time.monotonic() + patience
        while live := self.alive(spare):
            for pid in live:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if time.monotonic() > end:
                raise RuntimeError(f"sandbox processes {live} survive SIGKILL")
            time.sleep(0.01)

    def remove(self) -> None:
        """Kill every process in the cgroup, then remove it."""
        self.kill_all()
        for _ in range(100):
            try:
                os.rmdir(self.path)
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.05)


class Cpu(Pids):
    """A cpuacct cgroup (v1), one per sandbox run or per warm parent (idle while its one run runs):
    the CPU time of every process in it, what a run's items are charged. Under cgroup v2 a run's
    pids cgroup counts its CPU time itself."""

    @classmethod
    def make(cls, pids: Pids | None = None) -> "Cpu | None":
        """A new cgroup, ``pids`` itself under cgroup v2, or None where neither counts CPU time."""
        if pids is not None and os.path.isfile(os.path.join(pids.path, "cpu.stat")):
            return cls(pids.path)
        for root in ("/sys/fs/cgroup/cpuacct", "/sys/fs/cgroup/cpu,cpuacct"):
            if not os.path.isfile(os.path.join(root, "cpuacct.usage")):
                continue
            if root not in cls._swept:
                cls._swept.add(root)
                cls._sweep(root)
            path = os.path.join(root, f"ddsp-grade-{os.getpid()}-{next(cls._made)}")
            try:
                os.mkdir(path)
            except OSError:
                continue
            return cls(path)
        return None

    def usage(self) -> float:
        """CPU seconds used in the cgroup so far, by processes alive or gone."""
        try:
            with open(os.path.join(self.path, "cpuacct.usage")) as f:
                return int(f.read()) / 1e9
        except FileNotFoundError:
            with open(os.path.join(self.path, "cpu.stat")) as f:
                return next(int(line.split()[1]) for line in f if line.startswith("usage_usec")) / 1e6

    def remove(self) -> None:
        if not os.path.isfile(os.path.join(self.path, "cpu.stat")):  # a v2 pids cgroup is removed as such
            super().remove()


@dataclass(frozen=True)
class Wall:
    """The clock of runs no CPU-counting cgroup can hold (not root, none delegated): wall-clock seconds."""

    def usage(self) -> float:
        return time.monotonic()
