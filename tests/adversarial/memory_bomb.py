# Allocate until something gives (bounded at 6 GiB in case the limit fails; pages left untouched so
# it is quick: the address-space limit stops touched and untouched memory alike).
import numpy as np
_chunks, _error = [], None
try:
    while len(_chunks) < 24:
        _chunks.append(np.empty(256 << 20, np.uint8))
except MemoryError as exc:
    _error = exc
_got = len(_chunks) * 256
del _chunks
raise RuntimeError(f"MEMORY {_got} MiB {_error!r}")
