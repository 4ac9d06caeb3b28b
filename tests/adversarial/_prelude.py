# adversarial prelude: a marker on this process, and every channel out for what leaks
import os as _os, sys as _sys
try:
    open("/proc/self/comm", "w").write("adv@MARK@")
except OSError:
    pass
_found = []


def leak(label, data):
    """Push what was read through every channel a student has; the test looks for the marker."""
    text = "LEAK" + f"ED {label}: {str(data)[:400]}"  # split: the marker is not in the source
    _found.append(text)
    print(text)
    for folder in (".", "/sandbox/out"):
        try:
            open(_os.path.join(folder, "leak.txt"), "a").write(text + "\n")
        except OSError:
            pass


def done():
    if _found:
        raise RuntimeError(" | ".join(_found))
