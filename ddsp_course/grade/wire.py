"""Plain-data transport between the sandbox and the grader.

Inside the sandbox, :func:`encode` turns what a graded function returned into JSON
plus ``.npy`` files (never pickle). On the trusted side, :func:`decode` reads them back
into plain Python values and :class:`Tensor` records, checking every type on the way.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np

MAX_DEPTH = 8
MAX_ITEMS = 10_000
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
def _load_array(out_dir: str, name) -> np.ndarray:
    if not isinstance(name, str) or os.path.basename(name) != name or not name.endswith(".npy"):
        raise WireError("bad array file name")
    path = os.path.join(out_dir, name)
    if os.path.islink(path) or not os.path.isfile(path):
        raise WireError("missing array file")
    array = np.load(path, allow_pickle=False)
    if array.dtype.kind not in NUMERIC_KINDS:
        raise WireError("non-numeric array")
    return array


def _float(text) -> float:
    if not isinstance(text, str) or len(text) > 40:
        raise WireError("bad float")
    value = float(text)
    if not (math.isfinite(value) or text in ("nan", "inf", "-inf")):
        raise WireError("bad float")
    return value


def decode(tree, out_dir: str, depth: int = 0):
    """The inverse of :func:`encode`, strict about every field."""
    if depth > MAX_DEPTH or not isinstance(tree, dict):
        raise WireError("malformed value")
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
        return dtype.type(_float(text) if dtype.kind == "f" else int(str(text)) if dtype.kind in "iu" else text == "True")
    if kind == "tensor":
        return Tensor(_load_array(out_dir, tree.get("file")), tree.get("requires_grad") is True,
                      tree.get("grad_fn") is True)
    if kind == "ndarray":
        return _load_array(out_dir, tree.get("file"))
    if kind in ("tuple", "list"):
        items = tree.get("items")
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise WireError("malformed sequence")
        decoded = [decode(v, out_dir, depth + 1) for v in items]
        return tuple(decoded) if kind == "tuple" else decoded
    if kind == "dict":
        items = tree.get("items")
        if not isinstance(items, dict) or len(items) > MAX_ITEMS:
            raise WireError("malformed dict")
        return {str(k): decode(v, out_dir, depth + 1) for k, v in items.items()}
    if kind == "raised":
        return Raised(str(tree.get("type"))[:100])
    if kind == "opaque":
        return Opaque(str(tree.get("type"))[:100])
    raise WireError("unknown value kind")
