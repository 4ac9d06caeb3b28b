# Fork until refused (bounded at 2000 processes, each gone after 20 s, in case no limit holds).
import os, time
_n, _error = 0, None
try:
    while _n < 2000:
        if os.fork() == 0:
            time.sleep(20)
            os._exit(0)
        _n += 1
except OSError as exc:
    _error = exc
raise RuntimeError(f"FORKS {_n} {_error!r}")
