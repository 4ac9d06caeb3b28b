# Read a secret file outside the course, directly and through /proc.
import os
for _path in ("@SECRET@", "/proc/1/root@SECRET@", "/proc/self/root@SECRET@"):
    try:
        leak(_path, open(_path).read())
    except OSError:
        pass
for _pid in os.listdir("/proc"):
    if _pid.isdigit():
        try:
            leak(_pid, open(f"/proc/{_pid}/root@SECRET@").read())
        except OSError:
            pass
done()
