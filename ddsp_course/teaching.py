"""Figures for the chapters' demonstrations (ps03, ps04, ps07, ps09, ps10), kept out of the notebooks.

Each function only draws: the notebooks compute everything (with the learner's functions) and pass
plain arrays in, so a chapter reads as text, maths, the learner's code and the figure it makes.
Nothing here is graded or used by graded code; grading never imports this module.
"""
from __future__ import annotations

import numpy as np


def _np(x):
    """A tensor or array as a numpy array (detached, on the CPU)."""
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    return np.asarray(x)


def _plt():
    import matplotlib.pyplot as plt
    return plt


# ps03: the loss over the frequency of a sinusoid ------------------------------------------------

def frequency_landscapes(grid_hz, landscapes, true_hz, starts_hz=None, finals_hz=None, zoom_hz=60.0):
    """One row per loss: the landscape over the whole grid (left) and around the truth (right), with
    the starts (open circles) and where gradient descent ended (crosses) drawn on the curve.

    landscapes: {name: loss values on grid_hz}; starts_hz: (S,); finals_hz: {name: (S,)}.
    """
    plt = _plt()
    grid = _np(grid_hz)
    fig, axes = plt.subplots(len(landscapes), 2, figsize=(12, 2.9 * len(landscapes)),
                             gridspec_kw={"width_ratios": [1.6, 1]}, squeeze=False)
    for row, (name, values) in enumerate(landscapes.items()):
        values = _np(values)
        for col, ax in enumerate(axes[row]):
            keep = slice(None) if col == 0 else np.abs(grid - true_hz) <= zoom_hz
            ax.plot(grid[keep], values[keep], color="0.3", lw=0.8)
            ax.axvline(true_hz, color="k", ls=":", lw=0.8)
            if starts_hz is not None and finals_hz is not None:
                for k, (s, f) in enumerate(zip(_np(starts_hz), _np(finals_hz[name]))):
                    if col == 1 and abs(s - true_hz) > zoom_hz and abs(f - true_hz) > zoom_hz:
                        continue
                    color = "tab:green" if abs(f - true_hz) < 1.0 else "tab:red"
                    ax.plot(s, np.interp(s, grid, values), "o", mfc="none", mec=color, ms=7)
                    ax.plot(f, np.interp(f, grid, values), "x", color=color, ms=8, mew=2)
            ax.set_xlabel("model frequency (Hz)")
            if col == 1:
                ax.set_xlim(true_hz - zoom_hz, true_hz + zoom_hz)
                ax.set_title(f"{name}: within {zoom_hz:.0f} Hz of the target", fontsize=10)
            else:
                ax.set_ylabel("loss")
                ax.set_title(f"{name} against the model's frequency (target {true_hz:.0f} Hz)", fontsize=10)
    axes[0, 0].plot([], [], "o", mfc="none", mec="0.4", label="start")
    axes[0, 0].plot([], [], "x", color="tab:green", label="end: found the target")
    axes[0, 0].plot([], [], "x", color="tab:red", label="end: stuck")
    axes[0, 0].legend(fontsize=8, loc="lower right")
    plt.tight_layout()
    plt.show()


# ps04: timbre as a distribution, and free partials ----------------------------------------------

def harmonic_distributions(distributions, f0_hz, centroids_hz=None):
    """Bar charts of harmonic distributions (N, K) played one after another, one panel each."""
    plt = _plt()
    dists = _np(distributions)
    n, k = dists.shape
    fig, axes = plt.subplots(1, n, figsize=(2.0 * n, 2.4), sharey=True)
    for i, ax in enumerate(np.atleast_1d(axes)):
        ax.bar(np.arange(1, k + 1), dists[i], width=0.8, color=f"C{i}")
        title = f"note {i + 1}"
        if centroids_hz is not None:
            title += f"\ncentroid {_np(centroids_hz)[i]:.0f} Hz"
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("harmonic k", fontsize=8)
        ax.tick_params(labelsize=7)
    np.atleast_1d(axes)[0].set_ylabel("share of the amplitude")
    fig.suptitle(f"{n} random harmonic distributions at f0 = {f0_hz:.0f} Hz", fontsize=10)
    plt.tight_layout()
    plt.show()


def partial_paths(paths_hz, amplitudes, harmonics_hz, titles, losses):
    """Free partial frequencies during a fit (one panel per run), line width by final amplitude,
    with the target's harmonics as dotted lines, and the losses of every run on the right."""
    plt = _plt()
    paths = _np(paths_hz)                      # (steps, runs, K)
    amps = np.abs(_np(amplitudes))             # (runs, K)
    runs = paths.shape[1]
    fig, axes = plt.subplots(1, runs + 1, figsize=(4.2 * (runs + 1), 3.4))
    for r in range(runs):
        ax = axes[r]
        for h in _np(harmonics_hz):
            ax.axhline(h, color="0.6", ls=":", lw=0.8)
        for k in range(paths.shape[2]):
            found = np.min(np.abs(_np(harmonics_hz) - paths[-1, r, k])) < 2.0
            ax.plot(paths[:, r, k], color="tab:green" if found else "tab:red",
                    lw=0.6 + 3 * amps[r, k] / max(amps.max(), 1e-9))
        ax.set_xlabel("step")
        ax.set_ylabel("partial frequency (Hz)")
        ax.set_title(titles[r], fontsize=10)
    for name, values in losses.items():
        axes[-1].semilogy(_np(values), label=name)
    axes[-1].set_xlabel("step")
    axes[-1].set_ylabel("spectral loss")
    axes[-1].set_title("losses", fontsize=10)
    axes[-1].legend(fontsize=8)
    plt.tight_layout()
    plt.show()


# ps07: stable parametrisations of a biquad's poles ---------------------------------------------

def stability_triangle(coefficients, radii):
    """Left: points (a1, a2) of z^2 + a1 z + a2 in the coefficient plane, with the stability triangle
    and the parabola a1^2 = 4 a2 (complex poles above it). Right: histograms of the largest pole radius.

    coefficients: {name: (S, 2) array of (a1, a2)}; radii: {name: (S,) largest |pole| of each point}.
    """
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.2), gridspec_kw={"width_ratios": [1.1, 1]})
    ax = axes[0]
    ax.fill([-2, 2, 0, -2], [1, 1, -1, 1], color="0.92", zorder=0, label="stable: |a2| < 1, |a1| < 1 + a2")
    ax.plot([-2, 2, 0, -2], [1, 1, -1, 1], color="k", lw=1)
    a1 = np.linspace(-2, 2, 200)
    ax.plot(a1, a1 ** 2 / 4, "k:", lw=1, label="a1² = 4 a2: complex poles above")
    bins = np.linspace(0, 2.5, 51)
    for i, (name, values) in enumerate(coefficients.items()):
        values = _np(values)
        ax.plot(values[:, 0], values[:, 1], ".", ms=2.5, alpha=0.5, color=f"C{i}", label=name)
        r = _np(radii[name])
        outside = np.mean(r >= 1.0)
        axes[1].hist(np.clip(r, 0, bins[-1]), bins=bins, alpha=0.55, color=f"C{i}",
                     label=f"{name}: {100 * outside:.0f} % unstable")
    ax.set_xlim(-4, 4)
    ax.set_ylim(-3, 3)
    ax.set_xlabel("a1")
    ax.set_ylabel("a2")
    ax.set_title("denominator 1 + a1 z⁻¹ + a2 z⁻² of random raw outputs", fontsize=10)
    ax.legend(fontsize=7, loc="lower left", markerscale=4)
    axes[1].axvline(1.0, color="k", ls=":", lw=1)
    axes[1].set_xlabel("largest pole radius |p| (clipped at 2.5)")
    axes[1].set_ylabel("count")
    axes[1].set_title("stable only if every pole has |p| < 1 (dotted line)", fontsize=10)
    axes[1].legend(fontsize=8)
    plt.tight_layout()
    plt.show()


# ps09: learning A, B, C; gradients through time -------------------------------------------------

def state_space_fits(target, outputs, losses, eigenvalues, true_eigenvalues):
    """Impulse responses of fitted state-space models against the target, their losses, and the
    eigenvalues of each fitted A (start: open marker, end: filled) against the true ones (+)."""
    plt = _plt()
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.5), gridspec_kw={"width_ratios": [1.6, 1, 1]})
    axes[0].plot(_np(target), "k", lw=2.5, alpha=0.35, label="target")
    for i, (name, y) in enumerate(outputs.items()):
        axes[0].plot(_np(y), "--", color=f"C{i}", lw=1.2, label=name)
        axes[1].semilogy(_np(losses[name]), color=f"C{i}", label=name)
        start, end = (_np(e) for e in eigenvalues[name])
        axes[2].plot(start.real, start.imag, "o", mfc="none", mec=f"C{i}", ms=8)
        axes[2].plot(end.real, end.imag, "o", color=f"C{i}", ms=5)
    truth = _np(true_eigenvalues)
    axes[2].plot(truth.real, truth.imag, "k+", ms=14, mew=1.5, label="true")
    circle = np.exp(1j * np.linspace(0, 2 * np.pi, 200))
    axes[2].plot(circle.real, circle.imag, color="0.6", lw=0.8)
    axes[2].set_aspect("equal")
    axes[2].set_xlim(-1.3, 1.3)
    axes[2].set_ylim(-1.3, 1.3)
    axes[2].set_title("eigenvalues of A: start o, end ●, true +", fontsize=9)
    axes[0].set_xlabel("sample n")
    axes[0].set_title("impulse responses", fontsize=10)
    axes[0].legend(fontsize=8)
    axes[1].set_xlabel("step")
    axes[1].set_title("normalised MSE", fontsize=10)
    axes[1].legend(fontsize=8)
    plt.tight_layout()
    plt.show()


def gradients_through_time(lags, norms, ylabel=None, title=None):
    """|d y[N-1] / d u[N-1-lag]| against the lag, one line per eigenvalue radius (log scale)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 3.3))
    for i, (label, values) in enumerate(norms.items()):
        ax.semilogy(_np(lags), _np(values), color=f"C{i}", label=label)
    ax.set_xlabel("steps back in time, k = N - 1 - n")
    ax.set_ylabel(ylabel or r"$\|\partial y[N-1] / \partial \mathbf{u}[n]\|$")
    ax.set_title(title or "Gradient reaching an input k steps back through the recursion", fontsize=10)
    ax.legend(fontsize=8)
    plt.tight_layout()
    plt.show()


# ps10: a biquad bank fitted to the large string ------------------------------------------------

def bank_fits(omega, target_db, fitted_db, mode_angles=None, sample_rate=None):
    """The string's magnitude response (dB) and the responses of fitted banks of several sizes,
    with the mean error of each in the legend."""
    plt = _plt()
    w = _np(omega)
    x = w * sample_rate / (2 * np.pi) if sample_rate else w
    fig, ax = plt.subplots(figsize=(11, 3.6))
    ax.plot(x, _np(target_db), color="0.75", lw=4, label="string (target)")
    for i, (label, values) in enumerate(fitted_db.items()):
        ax.plot(x, _np(values), "--", color=f"C{i}", lw=1.1, label=label)
    if mode_angles is not None:
        for a in _np(mode_angles):
            xa = a * sample_rate / (2 * np.pi) if sample_rate else a
            ax.axvline(xa, color="k", lw=0.4, ls=":")
    ax.set_xlabel("frequency (Hz)" if sample_rate else r"$\omega$ (rad/sample)")
    ax.set_ylabel("dB")
    ax.set_title("The large FEM string's response and reduced biquad banks (dotted: its modes)", fontsize=10)
    ax.legend(fontsize=8, ncol=2)
    plt.tight_layout()
    plt.show()
