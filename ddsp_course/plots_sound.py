"""Teaching helpers for the chapters that work on real recordings (ps05, ps06, ps08, ps11).

Figures and players that would otherwise fill a notebook with plotting code, plus the one piece of
classic analysis those chapters show but do not grade (:func:`harmonic_residual`). Nothing here is
graded or needed by a graded function: the notebooks call these from plain teaching cells only.
Inputs are numpy arrays or torch tensors (converted with ``np.asarray``), mono ``(n_samples,)``.
"""
from __future__ import annotations

import numpy as np


def _np(x) -> np.ndarray:
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


def spectrogram_db(x, sample_rate: int, n_fft: int = 1024, hop: int = 256):
    """``(times, freqs, level_db)`` of a periodic-Hann STFT (centred frames), in dB re 1."""
    x = _np(x)
    padded = np.pad(x, n_fft // 2, mode="reflect" if x.size > n_fft // 2 else "constant")
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    starts = np.arange(1 + x.size // hop) * hop
    frames = np.stack([padded[s:s + n_fft] for s in starts]) * window
    level = 20 * np.log10(np.abs(np.fft.rfft(frames, axis=-1)).T + 1e-9)
    return starts / sample_rate, np.fft.rfftfreq(n_fft, 1 / sample_rate), level


def spectrograms(rows, sample_rate: int, fmax: float | None = None, n_fft: int = 1024, hop: int = 256,
                 range_db: float = 80.0, height: float = 2.4, title: str | None = None):
    """A grid of spectrograms: ``rows`` is a list of ``{label: signal}`` dicts, one row each.

    The signals of a row share one colour scale (its loudest bin at 0 dB, ``range_db`` below it), so
    a target and its fit can be compared level for level. Returns the figure.
    """
    import matplotlib.pyplot as plt

    rows = [rows] if isinstance(rows, dict) else list(rows)
    n_cols = max(len(r) for r in rows)
    fig, axes = plt.subplots(len(rows), n_cols, figsize=(4.6 * n_cols + 1.2, height * len(rows) + 0.5),
                             squeeze=False, sharey=True, layout="constrained")
    for row, signals in zip(axes, rows):
        levels = {label: spectrogram_db(x, sample_rate, n_fft, hop) for label, x in signals.items()}
        top = max(level.max() for _, _, level in levels.values())
        for ax, (label, (times, freqs, level)) in zip(row, levels.items()):
            mesh = ax.pcolormesh(times, freqs, level - top, vmin=-range_db, vmax=0, cmap="magma", shading="auto")
            ax.set_title(label, fontsize=9, loc="left")
            ax.set_ylim(0, fmax or sample_rate / 2)
        row[0].set_ylabel("Hz")
        for ax in row[len(signals):]:
            ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel("time (s)")
    fig.colorbar(mesh, ax=axes, shrink=0.8, label="dB (re the row's loudest bin)")
    if title:
        fig.suptitle(title)
    plt.show()
    return fig


def listen(signals: dict, sample_rate: int, credit: str | None = None, peak: float = 0.9):
    """Players for ``{label: signal}``, all scaled by one factor (their common peak becomes ``peak``),
    so that differences in level stay audible; ``credit`` is printed first (the recording's source)."""
    from IPython.display import Audio, display

    arrays = {label: _np(x) for label, x in signals.items()}
    scale = peak / max(max(np.abs(x).max() for x in arrays.values()), 1e-12)
    if credit:
        print(credit)
    for label, x in arrays.items():
        print(label)
        display(Audio(scale * x, rate=sample_rate, normalize=False))


def interpolate_track(values, times, n_frames: int, n_samples: int, sample_rate: int) -> np.ndarray:
    """A track known at ``times`` (s) read at the ``n_frames`` control frames of ``n_samples`` samples,
    which sit (``align_corners=False``) at samples ``(j + 1/2) n_samples / n_frames - 1/2``."""
    at = ((np.arange(n_frames) + 0.5) * n_samples / n_frames - 0.5) / sample_rate
    return np.interp(at, _np(times), _np(values))


def harmonic_residual(x, f0_hz, sample_rate: int, n_harmonics: int | None = None, frame_length: int = 512,
                      hop: int = 128):
    """Split a pitched recording into harmonics and residual: ``(harmonic, residual)``, each like ``x``.

    The deterministic-plus-stochastic analysis of spectral modelling synthesis (Serra and Smith,
    1990), in its simplest least-squares form: ``f0_hz`` is a per-sample pitch track ``(n_samples,)``
    (or a constant), its phase is accumulated, and in every Hann-weighted frame the amplitudes *and
    phases* of the harmonics ``k f0`` below Nyquist are fitted by weighted least squares (a cosine and a
    sine per harmonic); the frames' fitted harmonics are overlap-added with the same window and
    normalised. The residual ``x - harmonic`` is what the harmonics do not explain: breath, bow and
    pluck noise, transients, inharmonic partials, reverberation. It needs the phases, which is why a
    phase-blind DDSP fit (all partials starting at phase 0) cannot simply be subtracted from the target.
    """
    x = _np(x)
    n = x.size
    f0 = np.broadcast_to(_np(f0_hz), (n,)).astype(np.float64)
    phase = 2 * np.pi * np.concatenate([[0.0], np.cumsum(f0[:-1])]) / sample_rate
    if n_harmonics is None:
        n_harmonics = int(np.floor(0.5 * sample_rate / f0.max()))
    k = np.arange(1, n_harmonics + 1)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * (np.arange(frame_length) + 0.5) / frame_length)
    harmonic, weight = np.zeros(n), np.zeros(n)
    for start in range(-frame_length + hop, n, hop):
        idx = np.arange(start, start + frame_length)
        inside = (idx >= 0) & (idx < n)
        idx, w = idx[inside], window[inside]
        below = k * f0[idx].max() < 0.5 * sample_rate * 0.98
        angles = k[None, below] * phase[idx, None]
        basis = np.concatenate([np.cos(angles), np.sin(angles)], axis=1)
        coef, *_ = np.linalg.lstsq(basis * np.sqrt(w)[:, None], x[idx] * np.sqrt(w), rcond=None)
        harmonic[idx] += w * (basis @ coef)
        weight[idx] += w
    harmonic /= np.maximum(weight, 1e-12)
    return harmonic, x - harmonic


def harmonic_decay_rates(x, f0_hz: float, sample_rate: int, n_harmonics: int, start: float = 0.1,
                         stop: float = 1.5, n_fft: int = 4096, hop: int = 512) -> np.ndarray:
    """Decay rate (1/s) of each of the first ``n_harmonics`` partials of a decaying note.

    Each partial's level is read from an STFT (periodic Hann, ``n_fft``) as the largest bin within 3 % of
    ``k f0_hz`` (so slightly sharp, inharmonic partials are found too), and a straight line is fitted
    to its natural log between ``start`` and ``stop`` seconds: the rate is minus its slope. Partials
    that fall 80 dB below the loudest one before ``stop`` are fitted only while above that floor.
    """
    times, freqs, level = spectrogram_db(x, sample_rate, n_fft, hop)
    keep = (times >= start) & (times <= stop)
    top = level[:, keep].max()
    rates = np.full(n_harmonics, np.nan)
    for k in range(1, n_harmonics + 1):
        band = np.abs(freqs - k * f0_hz) <= 0.03 * k * f0_hz
        if not band.any() or k * f0_hz >= sample_rate / 2:
            continue
        track = level[band][:, keep].max(axis=0)
        alive = track > top - 80
        if alive.sum() >= 4:
            slope = np.polyfit(times[keep][alive], track[alive] * np.log(10) / 20, 1)[0]
            rates[k - 1] = -slope
    return rates
