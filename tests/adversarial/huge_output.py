# Flood the output: around the capture (the process's own stdout, bounded at 2 GiB) and through it.
import os
_written, _error = 0, None
_block = b"y" * (1 << 20)
try:
    while _written < (2 << 30):
        _written += os.write(1, _block)
except OSError as exc:
    _error = exc
print("z" * (20 << 20))
raise RuntimeError(f"OUTPUT {_written} {_error!r}")
