"""Warm grading: runs forked from a warm parent see nothing of it or of other runs, cannot change
what the next run starts from, have limits of their own, and lose nothing when the parent dies.
(The hardened grader's guarantees for warm runs: test_grading_core.py runs its sandbox tests both
ways, test_adversarial.py grades its corpus with warm parents.)"""
import json
import os

import nbformat
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace

import pytest

import ddsp_course.grade.processes.warm as warm
from ddsp_course.grade.execute import execute
from ddsp_course.grade.processes.cgroups import Pids
from ddsp_course.grade.processes.limits import Limits
from ddsp_course.grade.processes.warm import WarmParent, WarmPool, warm_modules

LIMITS = Limits(cell_timeout=30, total=120, processes=64)
pytestmark = pytest.mark.skipif(not WarmPool.possible(LIMITS), reason="warm runs need bubblewrap and a pids cgroup")

DRAWS = "import random, numpy, torch\nprint([random.random(), numpy.random.rand(), torch.rand(1).item()])"
POISON = """
import numpy, torch, builtins, sys
torch.poisoned = True
numpy.pi = 3.0
builtins.len = lambda x: 0
sys.modules["json"] = None
get_ipython().poisoned = True
LEFT = "in the namespace"
for path in ("/tmp/left.txt", "/dev/shm/left.txt", "/sandbox/work/left.txt"):
    open(path, "w").write("left behind")
"""
FACTS = """
import ctypes, json, os, socket, struct, sys, numpy, torch
libc = ctypes.CDLL(None)
caps = ctypes.create_string_buffer(24)
libc.syscall(125, struct.pack("Ii", 0x20080522, 0), caps)  # capget: effective, permitted, inheritable
def listing(folder):
    try:
        return sorted(os.listdir(folder))
    except OSError as e:
        return type(e).__name__
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=1)
    net = "open"
except OSError as e:
    net = type(e).__name__
print(json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "uid": os.getuid(), "caps": caps.raw.hex(),
                  "no_new_privs": libc.prctl(39, 0, 0, 0, 0),
                  "poisoned": [hasattr(torch, "poisoned"), hasattr(get_ipython(), "poisoned"), "LEFT" in globals()],
                  "pi": numpy.pi, "len": len([1, 2]), "tmp": listing("/tmp"), "shm": listing("/dev/shm"),
                  "work": listing("."), "slot": listing("/slot"), "proc": listing("/proc"), "net": net,
                  "torch_before_cells": TORCH}))
"""


KIT = os.path.dirname(os.path.dirname(os.path.abspath(warm.__file__)))
INSTALL_IN_TMP = sorted({p.split("/")[2] for p in (sys.prefix, sys.base_prefix, KIT) if p.startswith("/tmp/")})
PLACES = ("/", "/etc", "/etc/alternatives", "/dev", "/dev/shm", "/dev/pts", "/tmp", "/root", "/home", "/sandbox",
          "/sandbox/job", "/sandbox/out", "/sandbox/work", "/var", "/var/tmp", "/run", "/mnt", "/opt", "/usr",
          "/usr/local", "/lib", "/slot", "/proc", sys.prefix, KIT)
WRITABLE = ["/dev/shm", "/sandbox/out", "/sandbox/work", "/tmp"]  # the run's own: fresh tmpfs, or its folders
LISTINGS = """
def listings():
    return {place: sorted(os.listdir(place)) for place in PLACES if os.path.isdir(place) and os.access(place, os.R_OK)}
"""
RESIDUE = f"""
import json, os
PLACES = {PLACES!r}
{LISTINGS}
before = listings()
written = []
for place in PLACES:
    try:
        os.makedirs(place, exist_ok=True)
        with open(os.path.join(place, "residue.txt"), "w") as f:
            f.write("left by the run before")
        written.append(place)
    except OSError:
        pass
try:
    os.close(os.open("/proc/sys/vm/swappiness", os.O_WRONLY))  # opened, not written
    settings = "writable"
except OSError as e:
    settings = type(e).__name__
print(json.dumps({{"written": written, "listings": before, "settings": settings}}))
"""
SEEN = f"""
import json, os
PLACES = {PLACES!r}
{LISTINGS}
print(json.dumps({{"found": [p for p in PLACES if os.path.exists(os.path.join(p, "residue.txt"))],
                  "listings": listings()}}))
"""


@pytest.fixture
def parent():
    warm = WarmParent(LIMITS)
    yield warm
    warm.close()


def run(parent, sources, limits=LIMITS):
    """Execute ``sources`` as cells in a run forked from ``parent``; the cells' events."""
    scratch = tempfile.mkdtemp(dir=parent.slot)
    os.mkdir(os.path.join(scratch, "sub"))
    cells = [{"key": f"cell{i}", "index": i, "source": s} for i, s in enumerate(sources)]
    return execute(cells, [], os.path.join(scratch, "sub"), os.path.join(scratch, "run"), limits, parent)


def test_a_run_sees_nothing_of_its_parent_or_the_run_before(parent):
    first = run(parent, [DRAWS, POISON])
    assert first["cell1"]["status"] == "ok", first
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    pid = parent.pid
    facts = run(parent, ["import sys\nTORCH = 'torch' in sys.modules",
                         FACTS.replace("PORT", str(server.getsockname()[1])), DRAWS])
    server.close()
    seen = json.loads(facts["cell1"]["output"])
    draws = [json.loads(events["cell0" if events is first else "cell2"]["output"]) for events in (first, facts)]
    assert all(a != b for a, b in zip(*draws)), f"each run draws afresh (random, numpy, torch): {draws}"
    assert parent.pid == pid and parent.healthy(), "the same warm parent served both runs"
    assert seen["torch_before_cells"], "the run starts with the course's libraries imported"
    assert (seen["poisoned"] == [False, False, False] and seen["pi"] == pytest.approx(3.141592653589793)
            and seen["len"] == 2)
    assert seen["tmp"] == INSTALL_IN_TMP and seen["shm"] == [] and "left.txt" not in seen["work"], \
        "nothing left by the run before"
    assert seen["slot"] == [] and seen["proc"] == [], "no other run's folders, no process of the parent's"
    assert (seen["pid"], seen["ppid"], seen["uid"]) == (2, 1, 65534), "a PID namespace of its own"
    assert seen["caps"] == "0" * 48 and seen["no_new_privs"] == 1, "no capability, none to regain"
    assert seen["net"] != "open", "the grader's loopback is out of reach"


def test_a_run_leaves_nothing_anywhere_for_the_next(parent):
    """Whatever a run writes, wherever it can, the next run from the same parent starts without it:
    the run's only writable places are its fresh /tmp and /dev/shm and its own folders."""
    first = json.loads(run(parent, [RESIDUE])["cell0"]["output"])
    second = json.loads(run(parent, [SEEN])["cell0"]["output"])
    assert second["found"] == [], f"run 1 wrote {first['written']}, run 2 found its files in {second['found']}"
    assert second["listings"] == first["listings"], "no folder or file made by the run before"
    assert sorted(first["written"]) == WRITABLE and first["settings"] != "writable", "nowhere else to write"


def test_a_sandbox_of_its_own_writes_only_its_folders_tmp_and_shm(tmp_path):
    """The cold path too: bwrap's root and /dev (tmpfs, in memory) are read-only once set up, and
    so are the machine's settings in /proc/sys."""
    os.mkdir(tmp_path / "sub")
    cells = [{"key": "cell0", "index": 0, "source": RESIDUE}]
    events = execute(cells, [], str(tmp_path / "sub"), str(tmp_path / "run"), LIMITS)
    seen = json.loads(events["cell0"]["output"])
    assert sorted(seen["written"]) == WRITABLE and seen["settings"] == "OSError", seen


def _shmem() -> int:
    with open("/proc/meminfo") as f:
        return next(int(line.split()[1]) << 10 for line in f if line.startswith("Shmem:"))


def test_a_run_writes_only_its_sized_space_and_gets_its_memory_back(parent):
    """A run filling every in-memory place it can write gets /tmp's ``disk_bytes`` and /dev/shm's
    64 MiB, nothing more, and the machine has that memory back once the run ends."""
    limits = replace(LIMITS, disk_bytes=256 << 20)
    places = ("/tmp", "/dev/shm", "/", "/dev", "/etc", "/sandbox", "/root")
    fill = (f"import json, os\nwritten = dict.fromkeys({places!r}, 0)\nfor place in written:\n"
            f"    try:\n        for i in range(10):\n"
            f"            with open(os.path.join(place, f'fill{{i}}'), 'wb') as f:\n"
            f"                for _ in range(32):\n                    written[place] += f.write(bytes(1 << 20))\n"
            f"    except OSError:\n        pass\nprint(json.dumps(written))")
    before, peak, running = _shmem(), [0], threading.Event()
    running.set()

    def sample():
        while running.is_set():
            peak[0] = max(peak[0], _shmem())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        events = run(parent, [fill, "import time\ntime.sleep(1)"], limits)
    finally:
        running.clear()
        sampler.join()
    written = json.loads(events["cell0"]["output"])
    assert written["/tmp"] <= limits.disk_bytes and written["/dev/shm"] <= 64 << 20, written
    assert not any(written[place] for place in places[2:]), f"nowhere else: {written}"
    total = written["/tmp"] + written["/dev/shm"]
    assert total > 300 << 20 and peak[0] - before > 0.8 * total, (written, before, peak)
    for _ in range(50):
        if _shmem() - before < 64 << 20:
            break
        time.sleep(0.1)
    assert _shmem() - before < 64 << 20, f"{(_shmem() - before) >> 20} MiB of the run's files still held"


def test_an_install_under_tmp_stays_visible_and_read_only(tmp_path, monkeypatch):
    """A checkout under /tmp (a CI clone, say): the run's fresh /tmp keeps the sandbox's
    read-only binds below it."""
    library = tmp_path / "install" / "lib"
    library.mkdir(parents=True)
    (library / "kept_module.py").write_text("VALUE = 42\n")
    real_bwrap = warm.bwrap
    monkeypatch.setattr(warm, "bwrap", lambda limits, binds, info_fd=None: real_bwrap(
        limits, binds + ["--ro-bind", str(library), str(library)], info_fd))
    parent = WarmParent(LIMITS)
    try:
        events = run(parent, [f"import sys\nsys.path.insert(0, {str(library)!r})\nimport kept_module\n"
                              "print(kept_module.VALUE)",
                              f"open({str(library / 'kept_module.py')!r}, 'a').write('VALUE = 0')",
                              "import os\nopen('/tmp/mine.txt', 'w').write('ok')\nprint(sorted(os.listdir('/tmp')))"])
    finally:
        parent.close()
    assert events["cell0"]["status"] == "ok" and events["cell0"]["output"].strip() == "42", events
    assert events["cell1"]["status"] == "error" and "Read-only file system" in events["cell1"]["evalue"], events
    assert events["cell2"]["status"] == "ok", events
    assert eval(events["cell2"]["output"]) == sorted({"mine.txt", str(library).split("/")[2],
                                                      *INSTALL_IN_TMP}), "nothing else of the parent's /tmp"
    assert (library / "kept_module.py").read_text() == "VALUE = 42\n"


def test_each_run_has_its_own_process_limit(parent):
    bomb = ("import os\nn = 0\ntry:\n    while n < 1000:\n        if os.fork() == 0:\n"
            "            import time; time.sleep(30); os._exit(0)\n        n += 1\nexcept OSError:\n    pass\n"
            "print('FORKS', n)")
    other = WarmParent(LIMITS)
    try:
        neighbour = {}
        thread = threading.Thread(target=lambda: neighbour.update(
            run(other, ["import os, time\ntime.sleep(1)\nfor _ in range(20):\n"
                        "    child = os.fork()\n    if child == 0:\n        os._exit(0)\n    os.waitpid(child, 0)\n"
                        "print('neighbour forked 20')"])))
        thread.start()
        events = run(parent, [bomb])
        thread.join()
    finally:
        other.close()
    forks = int(events["cell0"]["output"].split()[-1])
    assert forks < LIMITS.processes, "the fork bomb is stopped by its run's own limit"
    assert neighbour["cell0"]["status"] == "ok" and "neighbour forked 20" in neighbour["cell0"]["output"]


def test_a_parent_killed_mid_run_costs_the_student_nothing(parent):
    timer = threading.Timer(3.0, lambda: os.kill(parent.pid, signal.SIGKILL))
    timer.start()
    events = run(parent, ["import time\ntime.sleep(6)\nprint('slept')", "print('after')"])
    timer.join()
    assert not parent.healthy()
    assert events["cell0"]["status"] == "ok" and "slept" in events["cell0"]["output"], events
    assert events["cell1"]["status"] == "ok", "run again in a sandbox of its own, nothing blamed on the student"


def test_a_pool_replaces_a_parent_that_died():
    pool = WarmPool(LIMITS)
    try:
        with pool.borrow() as first:
            os.kill(first.pid, signal.SIGKILL)
            first.proc.wait()
        with pool.borrow() as second:
            assert second is not first and second.healthy()
            assert run(second, ["print('fine')"])["cell0"]["output"].strip() == "fine"
    finally:
        pool.close()


def test_a_parent_imports_what_the_assignment_imports():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("%matplotlib inline\nimport colorsys, numpy as np\nfrom email import mime, utils\n"
                                  "from . import local\ndef f():\n    import wave"),
        nbformat.v4.new_code_cell("import torch"), nbformat.v4.new_code_cell("not python ("),
        nbformat.v4.new_markdown_cell("import tabnanny")])
    modules = warm_modules(notebook)
    assert modules == ("colorsys", "email", "email.mime", "email.utils", "numpy", "torch", "torch._dynamo",
                       "torch.nn.functional", "torch.optim", "wave")
    parent = WarmParent(LIMITS, modules + ("no_such_module_anywhere",))
    try:
        seen = run(parent, ["import sys\nprint(sorted(m for m in ('colorsys', 'email.mime', 'wave', 'torch._dynamo', "
                            "'tabnanny', 'no_such_module_anywhere') if m in sys.modules))"])
    finally:
        parent.close()
    assert eval(seen["cell0"]["output"]) == ["colorsys", "email.mime", "torch._dynamo", "wave"], seen


def test_cgroups_left_by_a_grader_that_died_are_removed(monkeypatch):
    dead = subprocess.Popen(["true"])
    dead.wait()
    probe = Pids.make(1)
    root = os.path.dirname(probe.path)
    probe.remove()
    left, ours = os.path.join(root, f"ddsp-grade-{dead.pid}-1"), os.path.join(root, f"ddsp-grade-{os.getpid()}-0")
    os.mkdir(left)
    os.mkdir(ours)
    try:
        monkeypatch.setattr(Pids, "_swept", set())
        Pids.make(1).remove()
        assert not os.path.exists(left), "the dead grader's cgroup is removed"
        assert os.path.exists(ours), "a living grader's is not"
    finally:
        for path in (left, ours):
            if os.path.exists(path):
                os.rmdir(path)
