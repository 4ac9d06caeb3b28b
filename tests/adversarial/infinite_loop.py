# Spin forever (bounded at 120 s in case the limit fails), ignoring every signal it may.
import signal, time
for _sig in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM, signal.SIGHUP, signal.SIGUSR1, signal.SIGXCPU):
    signal.signal(_sig, signal.SIG_IGN)
_t0 = time.monotonic()
while time.monotonic() - _t0 < 120:
    pass
leak("loop", "ran 120 s without being stopped")
done()
