"""Trusted-side checks on decoded sandbox outputs.

Each helper raises :class:`Fail` with a message naming the property that failed and a
hint; messages may quote error sizes and shapes, never expected values.
"""
from __future__ import annotations

import math

import numpy as np

from ..sandbox.wire import Opaque, Tensor


class Fail(Exception):
    """A graded property does not hold; the message is shown to the student. ``compared`` keeps
    ``(actual, expected, what)`` of a failed value comparison, for a figure in visible tests' feedback."""

    def __init__(self, message: str, compared: tuple | None = None):
        super().__init__(message)
        self.compared = compared


def _describe(value) -> str:
    if isinstance(value, Tensor):
        return f"a {value.dtype} tensor of shape {value.shape}"
    if isinstance(value, Opaque):
        return f"a {value.type_name}"
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape}"
    return f"a {type(value).__name__}"


def tensor(value, shape=None, dtype=None, what: str = "the result") -> np.ndarray:
    """``value`` (a decoded :class:`Tensor`) must be a torch tensor, of ``shape`` (a tuple, e.g. ``(2, 1000)``
    for [batch, n_samples]) and ``dtype`` (a numpy name: "float32", "float64", "complex64") if given.
    Returns its values as a numpy array of that shape and dtype."""
    if not isinstance(value, Tensor):
        raise Fail(f"{what} should be a torch tensor, got {_describe(value)}.")
    if dtype is not None and value.dtype != dtype:
        raise Fail(f"{what} should have dtype torch.{dtype}, got torch.{value.dtype}. "
                   "Hint: keep the input's dtype (no float64 leaks, no hard-coded float32).")
    if shape is not None and value.shape != tuple(shape):
        raise Fail(f"{what} should have shape {tuple(shape)}, got {value.shape}.")
    return value.array


def number(value, what: str = "the result", kind=float) -> float:
    """``value`` must be a plain Python number of ``kind`` (float or int; not a tensor); returns it."""
    if kind is float and type(value) in (float, int) and not isinstance(value, bool):
        return float(value)
    if kind is int and type(value) is int:
        return value
    raise Fail(f"{what} should be a Python {kind.__name__}, got {_describe(value)}. "
               "Hint: use .item() to turn a 0-dim tensor into a number.")


def sequence(value, length=None, what: str = "the result", types=(list, tuple)) -> list:
    """``value`` must be one of ``types`` (a list or tuple) of ``length`` items if given; returns it as a list."""
    if not isinstance(value, types):
        raise Fail(f"{what} should be a {' or '.join(t.__name__ for t in types)}, got {_describe(value)}.")
    if length is not None and len(value) != length:
        raise Fail(f"{what} should have {length} items, got {len(value)}.")
    return list(value)


def close(actual, expected, atol: float, rtol: float = 0.0, what: str = "the values", hint: str = "",
          plot: str = "auto") -> None:
    """``|actual - expected| <= atol + rtol*|expected|`` everywhere, both finite where expected is;
    ``actual`` and ``expected`` are arrays of one shape (any: [n_samples], [batch, n_frames, n_harmonics], ...)
    in the units of the quantity (samples, radians, Hz), ``atol`` in those units, ``rtol`` a fraction.
    ``plot`` says how feedback draws a failure of a visible case: "signal" (waveform and spectrum),
    "values" (entry by entry), or "auto" (a signal from 64 entries on)."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    if actual.shape != expected.shape:
        raise Fail(f"{what} should have shape {expected.shape}, got {actual.shape}.")
    a = actual.astype(np.complex128 if np.iscomplexobj(actual) or np.iscomplexobj(expected) else np.float64, copy=False)
    e = expected.astype(a.dtype, copy=False)
    if not np.all(np.isfinite(a[np.isfinite(e)])):
        raise Fail(f"{what} contain NaN or infinity where finite values are expected."
                   + (f" Hint: {hint}" if hint else ""), compared=(a, e, what, plot))
    err = np.abs(a - e)
    tol = atol + rtol * np.abs(e)
    bad = ~(err <= tol) & np.isfinite(e)
    if np.any(bad):
        worst = float(np.max(np.where(np.isfinite(e), err - tol, -np.inf)))
        frac = float(np.mean(bad))
        raise Fail(f"{what} are off: {100 * frac:.3g} % of entries outside the tolerance, "
                   f"the worst by {worst + float(np.max(tol)):.2g} (tolerance {float(np.max(tol)):.2g})."
                   + (f" Hint: {hint}" if hint else ""), compared=(a, e, what, plot))


def scalar_close(actual: float, expected: float, atol: float = 0.0, rtol: float = 0.0,
                 what: str = "the value", hint: str = "") -> None:
    """``|actual - expected| <= atol + rtol*|expected|`` for two Python numbers, ``actual`` finite."""
    if not (math.isfinite(actual) and abs(actual - expected) <= atol + rtol * abs(expected)):
        raise Fail(f"{what} is off by {abs(actual - expected):.3g} (tolerance "
                   f"{atol + rtol * abs(expected):.2g})." + (f" Hint: {hint}" if hint else ""))


def that(condition: bool, message: str) -> None:
    """Fail with ``message`` (the property and a hint) unless ``condition``."""
    if not condition:
        raise Fail(message)
