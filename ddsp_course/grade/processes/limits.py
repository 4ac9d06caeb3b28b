"""The limits a submission is graded under: CPU budgets, memory, files, processes, disk."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    cell_timeout: float = 60.0     # CPU seconds a cell may use (a case's own budget is its ``timeout``)
    startup_timeout: float = 120.0  # CPU seconds for importing the course's libraries
    total: float = 900.0           # CPU seconds for one submission, all restarts included
    backstop: float = 4.0          # wall-clock limit, in budgets: an item stopped after this many times its
    # budget in seconds without progress (one that sleeps or blocks); run again alone if busy
    cpu_seconds: int = 900         # CPU time of each process in the sandbox (SIGKILL past it)
    memory_bytes: int = 8 << 30    # address space
    file_bytes: int = 256 << 20    # largest file the process may write
    restarts: int = 6
    processes: int = 256           # tasks (processes and threads) in the sandbox
    disk_bytes: int = 1 << 30      # files left in its scratch folders, and the size of its /tmp
    sandbox: bool = True           # bubblewrap; False runs the student's code as the grader's user
