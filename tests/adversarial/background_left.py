# A thread and a daemonised child (new session, double fork) that keep writing after the cell.
import os, sys, threading, time
_CHILD = """
import time, socket, sys
t0 = time.monotonic()
while time.monotonic() - t0 < 60:
    for path in ("/sandbox/out/events.jsonl", "@OUTSIDE@"):
        try:
            open(path, "a").write('{"done": true}\\n')
        except OSError:
            pass
    try:
        socket.create_connection(("127.0.0.1", @PORT@), timeout=0.2)
    except OSError:
        pass
    time.sleep(0.2)
"""
def _later():
    while True:
        time.sleep(0.3)
        try:
            open("/sandbox/out/events.jsonl", "a").write('{"cell": "cell0", "status": "ok"}\n')
        except OSError:
            pass
threading.Thread(target=_later, daemon=True).start()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", _CHILD, "adv@MARK@"])
    os._exit(0)
