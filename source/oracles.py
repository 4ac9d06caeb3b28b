"""Grader-only helpers the hidden cases share: ``from oracles import noise, upsample_np``.

This file sits at the root of ``source/``, beside the assignment folders: nbgrader releases only
``source/<assignment>/`` folders, and ``load_cases`` puts ``source/`` on ``sys.path`` while a
``hidden_cases.py`` loads. It is not part of the ``ddsp_course`` package, which students install and
every sandbox mounts. Everything here is float64 numpy: the oracles the cases compare against.

A case's inputs and oracles must not change once a class has been graded (grades are kept), so a
helper here is never edited in a way that changes its numbers: add a new one instead.
"""
from __future__ import annotations

import numpy as np


# Random inputs: every case draws from its own seeded generator, so its inputs never depend on
# the order cases are built in.

def rng(seed: int) -> np.random.Generator:
    """numpy's default generator (PCG64) seeded with ``seed``."""
    return np.random.default_rng(seed)


def noise(seed: int, shape, dtype=np.float32, scale: float = 1.0) -> np.ndarray:
    """Standard normal noise (times ``scale``) drawn in float64, then cast to ``dtype``."""
    return (scale * rng(seed).standard_normal(shape)).astype(dtype)


# Signal-processing oracles.

def hann_periodic(n: int) -> np.ndarray:
    """The periodic Hann window of length ``n`` (``torch.hann_window(n)``'s default), float64."""
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)


def upsample_np(frames, n_samples: int) -> np.ndarray:
    """``F.interpolate(mode="linear", align_corners=False)`` along the last axis, in float64: sample i
    reads frame position (i + 0.5) * n_frames / n_samples - 0.5, clamped to [0, n_frames - 1]."""
    frames = np.asarray(frames, np.float64)
    n_frames = frames.shape[-1]
    pos = np.clip((np.arange(n_samples) + 0.5) * n_frames / n_samples - 0.5, 0.0, n_frames - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n_frames - 1)
    w = pos - lo
    return frames[..., lo] * (1.0 - w) + frames[..., hi] * w


def upsample_matrix(n_frames: int, n_samples: int) -> np.ndarray:
    """(n_frames, n_samples): row k is the upsampled unit vector e_k (the map is linear)."""
    return np.stack([upsample_np(e, n_samples) for e in np.eye(n_frames)], axis=0)


# Central differences: the reference gradients of the float64 oracles.

def central_differences(f, x, h: float = 1e-6, cotangent=None) -> np.ndarray:
    """The Jacobian of ``f`` at ``x`` (float64) by central differences, of shape ``f(x).shape + x.shape``:
    entry ``[..., i]`` is ``(f(x + h e_i) - f(x - h e_i)) / (2 h)``. With a ``cotangent``, each difference is
    contracted first, ``sum(cotangent * (f(x + h e_i) - f(x - h e_i))) / (2 h)``: the vector-Jacobian
    product, of shape ``x.shape``."""
    x = np.array(x, np.float64)
    columns = []
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        difference = f(up) - f(down)
        if cotangent is not None:
            difference = np.sum(cotangent * difference)
        columns.append(difference / (2 * h))
    jacobian = np.stack(columns, -1)
    return jacobian.reshape(jacobian.shape[:-1] + x.shape)


def fd_vjp(f, args, cotangent, wrt, h: float = 1e-6) -> list[np.ndarray]:
    """The vector-Jacobian products of ``f(*args)`` with ``cotangent`` in each ``args[i]``, i in ``wrt``,
    by central differences (float64), one array per i."""
    args = [np.array(a, np.float64) for a in args]
    cotangent = np.asarray(cotangent, np.float64)

    def in_arg(i):
        return lambda value: f(*args[:i], value, *args[i + 1:])

    return [central_differences(in_arg(i), args[i], h, cotangent) for i in wrt]


def directional_difference(f, x, v, h: float = 1e-6):
    """``(f(x + h v) - f(x - h v)) / (2 h)``: the derivative of ``f`` at ``x`` (float64) along ``v``."""
    x = np.asarray(x, np.float64)
    return (f(x + h * v) - f(x - h * v)) / (2 * h)
