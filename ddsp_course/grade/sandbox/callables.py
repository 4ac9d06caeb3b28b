"""Grader-written callables that cases pass to graded functions (``Fn(name, *args)``).

They are built inside the sandbox from a name and plain arguments, so no grader code
is sent there; every entry is a public, ordinary function of the course material.
"""
from __future__ import annotations

import torch


def polynomial(coefficients):
    """``sum_k c_k x**k`` for coefficients ``[c_0, c_1, ...]``."""
    def f(x):
        return sum(c * x**k for k, c in enumerate(coefficients))
    return f


def sine_times(scale):
    """``sin(scale * x)``."""
    return lambda x: torch.sin(scale * x)


def exp_minus_square():
    """``exp(-x**2)``."""
    return lambda x: torch.exp(-x**2)


def l1_loss():
    """Waveform L1: ``mean|x - y|``."""
    return lambda x, y: (x - y).abs().mean()


def mse_loss():
    """Waveform MSE: ``mean((x - y)**2)``."""
    return lambda x, y: ((x - y) ** 2).mean()


def spectral_l1(power=1.0):
    """Spectral loss: ``mean| |rfft(x)|**power - |rfft(y)|**power |``, rfft over the last
    dimension, unscaled, mean over all elements (ps02's definition)."""
    def loss(x, y):
        return (torch.fft.rfft(x, dim=-1).abs() ** power - torch.fft.rfft(y, dim=-1).abs() ** power).abs().mean()
    return loss


VOCABULARY = {f.__name__: f for f in (polynomial, sine_times, exp_minus_square, l1_loss, mse_loss, spectral_l1)}


def build(name: str, args: list):
    if name not in VOCABULARY:
        raise KeyError(f"unknown grader callable {name!r}")
    return VOCABULARY[name](*args)
