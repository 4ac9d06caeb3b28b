"""Plain-data transport between the sandbox and the grader.

Inside the sandbox, :func:`encode` turns what a graded function returned into JSON
plus ``.npy`` files (never pickle). On the trusted side, :func:`decode` reads them back
into plain Python values and :class:`Tensor` records, checking every type on the way.
"""
from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass

import numpy as np

MAX_DEPTH = 8
MAX_ITEMS = 10_000
MAX_DECODED_BYTES = 1 << 30   # array files read back for one submission, in all
MAX_VALUES = 1_000_000        # values decoded for one submission, in all
NUMERIC_KINDS = "biufc"


@dataclass(frozen=True)
class Tensor:
    """A tensor that came back from the sandbox: its values and what torch said of it."""

    array: np.ndarray
    requires_grad: bool
    has_grad_fn: bool

    @property
    def dtype(self) -> str:
        return self.array.dtype.name

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.array.shape)


@dataclass(frozen=True)
class Opaque:
    """Something that is neither data nor a tensor (a module, a function, ...)."""

    type_name: str


@dataclass(frozen=True)
class Raised:
    """A call made with ``catch=True`` raised this exception type."""

    type_name: str


class WireError(ValueError):
    """What came back from the sandbox is not well-formed plain data."""


# ---------------------------------------------------------------- sandbox side
def encode(value, out_dir: str, prefix: str, depth: int = 0):
    """``value`` -> JSON-able tree; tensors and arrays go to ``out_dir/<prefix>_*.npy``."""
    import torch

    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": "too deeply nested"}
    if value is None or isinstance(value, (bool, str)):
        return {"t": "value", "v": value}
    if isinstance(value, int):
        return {"t": "value", "v": value}
    if isinstance(value, float):
        return {"t": "float", "v": repr(value)}
    if isinstance(value, torch.Tensor):
        t = value.detach().cpu().resolve_conj().resolve_neg()
        if t.dtype in (torch.bfloat16, torch.float16):
            t = t.float()
        name = f"{prefix}.npy"
        np.save(os.path.join(out_dir, name), t.contiguous().numpy(), allow_pickle=False)
        return {"t": "tensor", "file": name, "requires_grad": bool(value.requires_grad),
                "grad_fn": value.grad_fn is not None, "torch_dtype": str(value.dtype)}
    if isinstance(value, np.ndarray) and value.dtype.kind in NUMERIC_KINDS:
        name = f"{prefix}.npy"
        np.save(os.path.join(out_dir, name), value, allow_pickle=False)
        return {"t": "ndarray", "file": name}
    if isinstance(value, np.generic) and value.dtype.kind in NUMERIC_KINDS:
        return {"t": "npscalar", "v": repr(value.item()), "dtype": value.dtype.name}
    if isinstance(value, (tuple, list)) and len(value) <= MAX_ITEMS:
        return {"t": type(value).__name__,
                "items": [encode(v, out_dir, f"{prefix}_{i}", depth + 1) for i, v in enumerate(value)]}
    if isinstance(value, dict) and len(value) <= MAX_ITEMS and all(isinstance(k, str) for k in value):
        return {"t": "dict", "items": {k: encode(v, out_dir, f"{prefix}_{i}", depth + 1)
                                       for i, (k, v) in enumerate(value.items())}}
    return {"t": "opaque", "type": type(value).__name__}


# ---------------------------------------------------------------- trusted side
def open_regular(path: str):
    """``path`` opened for binary reading if it is a regular file (never through a link, never
    blocking on a FIFO); ValueError if it is something else."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ValueError("not a regular file")
    return os.fdopen(fd, "rb")


class OverCap(WireError):
    """What came back for one submission is more than the grader decodes."""


class Reader:
    """What is decoded of one submission's results: each array file read once, at most
    ``max_bytes`` of them and ``max_values`` values in all (then :class:`OverCap`)."""

    def __init__(self, max_bytes: int = MAX_DECODED_BYTES, max_values: int = MAX_VALUES):
        self.max_bytes, self.max_values = max_bytes, max_values
        self.bytes = self.values = 0
        self.capped = False
        self._arrays: dict[str, np.ndarray] = {}

    def count(self, values: int = 1, size: int = 0) -> None:
        self.values, self.bytes = self.values + values, self.bytes + size
        if self.values > self.max_values or self.bytes > self.max_bytes:
            self.capped = True
            raise OverCap(f"more than {self.max_bytes >> 20} MiB or {self.max_values} values came back in all")

    def array(self, out_dir: str, name) -> np.ndarray:
        if not isinstance(name, str) or os.path.basename(name) != name or not name.endswith(".npy"):
            raise WireError("bad array file name")
        path = os.path.join(out_dir, name)
        if path not in self._arrays:
            try:
                f = open_regular(path)
            except (OSError, ValueError):
                raise WireError("missing array file") from None
            with f:
                self.count(0, os.fstat(f.fileno()).st_size)
                _check_header(f)
                array = np.load(f, allow_pickle=False)
            self._arrays[path] = array
        return self._arrays[path]


def _float(text) -> float:
    if not isinstance(text, str) or len(text) > 40:
        raise WireError("bad float")
    value = float(text)
    if not (math.isfinite(value) or text in ("nan", "inf", "-inf")):
        raise WireError("bad float")
    return value


def _check_header(f) -> None:
    """Refuse an ``.npy`` file whose header is not a numeric array of exactly the bytes that follow
    it (numpy would allocate what a forged header claims before reading); rewinds ``f``."""
    from numpy.lib import format as npy

    size = os.fstat(f.fileno()).st_size
    version = npy.read_magic(f)
    read_header = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
    shape, _, dtype = read_header(f)
    if dtype.kind not in NUMERIC_KINDS or dtype.hasobject:
        raise WireError("non-numeric array")
    if math.prod(shape) * dtype.itemsize != size - f.tell():
        raise WireError("array file does not hold what its header says")
    f.seek(0)


def decode(tree, out_dir: str, reader: Reader | None = None, depth: int = 0):
    """The inverse of :func:`encode`, strict about every field (``reader``: what the submission
    has decoded so far, shared by its cases)."""
    if depth > MAX_DEPTH or not isinstance(tree, dict):
        raise WireError("malformed value")
    if reader is None:
        reader = Reader()
    reader.count()
    kind = tree.get("t")
    if kind == "value":
        v = tree.get("v")
        if v is None or type(v) in (bool, int, str):
            return v
        raise WireError("bad plain value")
    if kind == "float":
        return _float(tree.get("v"))
    if kind == "npscalar":
        dtype = np.dtype(str(tree.get("dtype")))
        if dtype.kind not in NUMERIC_KINDS:
            raise WireError("bad numpy scalar")
        text = tree.get("v")
        if dtype.kind == "c":
            return dtype.type(complex(str(text)))
        return dtype.type(_float(text) if dtype.kind == "f" else int(str(text)) if dtype.kind in "iu"
                          else text == "True")
    if kind == "tensor":
        return Tensor(reader.array(out_dir, tree.get("file")), tree.get("requires_grad") is True,
                      tree.get("grad_fn") is True)
    if kind == "ndarray":
        return reader.array(out_dir, tree.get("file"))
    if kind in ("tuple", "list"):
        items = tree.get("items")
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise WireError("malformed sequence")
        decoded = [decode(v, out_dir, reader, depth + 1) for v in items]
        return tuple(decoded) if kind == "tuple" else decoded
    if kind == "dict":
        items = tree.get("items")
        if not isinstance(items, dict) or len(items) > MAX_ITEMS:
            raise WireError("malformed dict")
        return {str(k): decode(v, out_dir, reader, depth + 1) for k, v in items.items()}
    if kind == "raised":
        return Raised(str(tree.get("type"))[:100])
    if kind == "opaque":
        return Opaque(str(tree.get("type"))[:100])
    raise WireError("unknown value kind")
