# Kill every process it can see, its parent, then itself.
import os, signal
for _target in (-1, os.getppid(), 1):
    try:
        os.kill(_target, signal.SIGKILL)
    except OSError:
        pass
os.kill(os.getpid(), signal.SIGKILL)
