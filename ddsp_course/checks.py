"""Numeric checks for the visible tests in the assignments' notebooks.

Each raises ``AssertionError`` with a message that says which property failed and
how to look for the mistake; they are for students, so they show the numbers.
"""
from __future__ import annotations

import numpy as np
import torch


def assert_tensor(x, shape=None, dtype=None, name: str = "result") -> None:
    """``x`` is a torch tensor, of ``shape`` and ``dtype`` if given."""
    assert isinstance(x, torch.Tensor), f"{name} should be a torch.Tensor, got {type(x).__name__}"
    if shape is not None:
        assert tuple(x.shape) == tuple(shape), f"{name} should have shape {tuple(shape)}, got {tuple(x.shape)}"
    if dtype is not None:
        assert x.dtype == dtype, f"{name} should have dtype {dtype}, got {x.dtype} (keep the input's dtype)"


def assert_close(actual, expected, atol: float = 1e-6, rtol: float = 0.0, name: str = "result") -> None:
    """``|actual - expected| <= atol + rtol*|expected|`` everywhere (tensors, arrays or numbers)."""
    a = np.asarray(actual.detach().cpu() if isinstance(actual, torch.Tensor) else actual, dtype=np.float64)
    e = np.asarray(expected.detach().cpu() if isinstance(expected, torch.Tensor) else expected, dtype=np.float64)
    assert a.shape == e.shape, f"{name} should have shape {e.shape}, got {a.shape}"
    err = np.abs(a - e)
    tol = atol + rtol * np.abs(e)
    bad = ~(err <= tol)
    if np.any(bad):
        i = np.unravel_index(np.argmax(np.where(bad, err, -1)), a.shape) if a.ndim else ()
        raise AssertionError(f"{name} differs from the expected values at {np.count_nonzero(bad)} of {a.size} "
                             f"entries; worst at index {tuple(int(j) for j in i)}: got {a[i]:.8g}, "
                             f"expected {e[i]:.8g} (tolerance {tol[i] if np.ndim(tol) else tol:.2g})")


def assert_has_grad(x, name: str = "result") -> None:
    """``x`` is attached to the autograd graph (not detached, not rebuilt from numpy)."""
    assert isinstance(x, torch.Tensor) and x.requires_grad, (
        f"{name} does not require grad: was the graph cut (.detach(), .item(), numpy, torch.tensor(...))?")
