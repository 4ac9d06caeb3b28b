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
            mesh = ax.imshow(level - top, origin="lower", aspect="auto", vmin=-range_db, vmax=0, cmap="magma",
                             extent=(times[0], times[-1], freqs[0], freqs[-1]), interpolation="nearest")
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


def periodicity(frames, sample_rate: int, fmin: float = 80.0, fmax: float = 400.0):
    """``(strength, f0_hz)`` per frame ``(n_frames, frame_length)``: the normalised autocorrelation's
    highest peak between the lags of ``fmax`` and ``fmin`` (near 1: strongly periodic, i.e. voiced) and
    the frequency of that lag, refined by a parabola. A rough voicing and pitch detector for teaching."""
    frames = _np(frames)
    frames = frames - frames.mean(axis=-1, keepdims=True)
    n = frames.shape[-1]
    spectrum = np.fft.rfft(frames, 2 * n, axis=-1)
    r = np.fft.irfft(np.abs(spectrum) ** 2, axis=-1)[:, :n]
    lo, hi = int(sample_rate / fmax), int(np.ceil(sample_rate / fmin))
    k = lo + np.argmax(r[:, lo:hi], axis=-1)
    rows = np.arange(frames.shape[0])
    y0, y1, y2 = r[rows, k - 1], r[rows, k], r[rows, k + 1]
    curvature = y0 - 2 * y1 + y2
    shift = np.where(curvature < 0, 0.5 * (y0 - y2) / np.where(curvature < 0, curvature, -1.0), 0.0)
    return y1 / np.maximum(r[:, 0], 1e-12), sample_rate / (k + np.clip(shift, -1, 1))


def formant_track(x, sample_rate: int, times, formants, fmax: float = 5000.0, title: str | None = None):
    """A spectrogram of ``x`` with formant estimates ``(n_frames, n_formants)`` (Hz, NaN: none) at
    ``times`` (s) drawn over it as dots, one colour per formant."""
    import matplotlib.pyplot as plt

    t, f, level = spectrogram_db(x, sample_rate, 512, 128)
    fig, ax = plt.subplots(figsize=(11, 3.6), layout="constrained")
    ax.imshow(level - level.max(), origin="lower", aspect="auto", vmin=-70, vmax=0, cmap="gray_r",
              extent=(t[0], t[-1], f[0], f[-1]), interpolation="nearest")
    formants = _np(formants)
    for j in range(formants.shape[1]):
        ax.plot(times, formants[:, j], ".", ms=4, label=f"F{j + 1}")
    ax.set_ylim(0, fmax)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("Hz")
    ax.legend(loc="upper right", fontsize=8, markerscale=2)
    if title:
        ax.set_title(title)
    plt.show()
    return fig


def source_filter_fit_figure(segment, resynthesis, table_start, table_fit, a_lpc, a_fit, gain_lpc, gain_fit,
                             sample_rate: int, losses):
    """Four panels for a joint source-filter fit: the glottal period before and after, the two all-pole
    envelopes over the segment's spectrum, the segment against the fitted model's output, the loss."""
    import matplotlib.pyplot as plt

    segment, resynthesis = _np(segment), _np(resynthesis)
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.3), layout="constrained")
    phase = np.arange(len(_np(table_fit))) / len(_np(table_fit))
    axes[0].plot(phase, _np(table_start), "--", label="start (Rosenberg, aligned)")
    axes[0].plot(phase, _np(table_fit), label="fitted")
    axes[0].set_xlabel("phase (cycles)")
    axes[0].set_title("one period of the source")
    axes[0].legend(fontsize=8)
    n_fft = 4096
    freqs = np.fft.rfftfreq(n_fft, 1 / sample_rate)
    spectrum = 20 * np.log10(np.abs(np.fft.rfft(segment * np.hanning(segment.size), n_fft)) + 1e-9)
    axes[1].plot(freqs, spectrum - spectrum.max(), color="0.7", lw=0.7, label="segment")
    for a, gain, label in ((a_lpc, gain_lpc, "LPC"), (a_fit, gain_fit, "joint fit")):
        envelope = -20 * np.log10(np.abs(np.fft.rfft(np.concatenate([[1.0], _np(a)]), n_fft)))
        axes[1].plot(freqs, envelope - envelope.max() + gain, label=f"1/|A|, {label}")
    axes[1].set_xlim(0, 5000)
    axes[1].set_ylim(-80, 10)
    axes[1].set_xlabel("Hz")
    axes[1].set_title("filters (shifted to the plot)")
    axes[1].legend(fontsize=8)
    t_ms = 1000 * np.arange(segment.size) / sample_rate
    axes[2].plot(t_ms, segment, label="recording")
    axes[2].plot(t_ms, resynthesis, lw=1, label="fitted source through 1/A")
    axes[2].set_xlabel("ms")
    axes[2].set_title("the segment (output error)")
    axes[2].legend(fontsize=8)
    axes[3].semilogy(losses)
    axes[3].set_xlabel("Adam step")
    axes[3].set_title("equation error / energy")
    plt.show()
    return fig
