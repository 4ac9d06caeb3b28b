"""Figures for feedback, drawn on the trusted side: a failed visible comparison as the student's
output beside the expected one. Never used for hidden cases (the plot would show their inputs)."""
from __future__ import annotations

import base64
import io

import numpy as np
from matplotlib.figure import Figure

SIGNAL = 64  # outputs at least this long are drawn as signals: waveform and spectrum


def _row(values: np.ndarray) -> tuple[np.ndarray, str]:
    """A 1-D view of an output: the first row of a batch, with a note saying so."""
    values = np.atleast_1d(values)
    if values.ndim == 1:
        return values, ""
    return values.reshape(-1, values.shape[-1])[0], f" (first of {values.size // values.shape[-1]} rows)"


def _db(x: np.ndarray) -> np.ndarray:
    return 20 * np.log10(np.maximum(np.abs(x), 1e-12))


def _label(ax, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title, y=1.0)  # placed, not fitted above the ticks: fitting took a tenth of the drawing
    ax.set(xlabel=xlabel, ylabel=ylabel)
    ax.locator_params(nbins=5)  # each tick is an artist of its own to make and lay out


def comparison_png(actual: np.ndarray, expected: np.ndarray, what: str, plot: str = "auto") -> str:
    """A base64 PNG: ``actual`` against ``expected`` (same shape). Signals get their waveform and
    magnitude spectrum; complex outputs (responses) their magnitude and phase; other outputs their values."""
    a, note = _row(np.asarray(actual))
    e, _ = _row(np.asarray(expected))
    index = np.arange(a.size)
    complex_valued = np.iscomplexobj(a) or np.iscomplexobj(e)
    signal = plot == "signal" or (plot == "auto" and a.size >= SIGNAL)
    panels = 2 if signal or complex_valued else 1
    fig = Figure(figsize=(4.2 * panels, 2.8))
    fig.subplots_adjust(left=0.1 if panels == 2 else 0.2, right=0.98, bottom=0.17, top=0.88, wspace=0.3)  # fixed
    # margins: a layout engine took a third of the drawing time
    axes = fig.subplots(1, panels, squeeze=False)[0]
    style = {"expected": dict(color="#1a7f37", lw=2.2, alpha=0.6), "yours": dict(color="#cf222e", lw=1.0)}
    if complex_valued:
        for label, y in (("expected", e), ("yours", a)):
            axes[0].plot(index, _db(y), label=label, **style[label])
            axes[1].plot(index, np.angle(y), label=label, **style[label])
        _label(axes[0], f"{what}: magnitude{note}", "frequency index k", "magnitude (dB)")
        _label(axes[1], "phase", "frequency index k", "phase (rad)")
    elif panels == 2:
        frequency = np.fft.rfftfreq(a.size)
        for label, y in (("expected", e), ("yours", a)):
            axes[0].plot(index, np.nan_to_num(y.real), label=label, **style[label])
            axes[1].plot(frequency, _db(np.fft.rfft(np.nan_to_num(y.real))), label=label, **style[label])
        _label(axes[0], f"{what}{note}", "sample index n", "value")
        _label(axes[1], "magnitude spectrum", "frequency (cycles per sample)", "magnitude (dB)")
    else:
        marks = a.size <= 20
        axes[0].plot(index, e.real, "o-" if marks else "-", ms=8, mfc="none", label="expected", **style["expected"])
        axes[0].plot(index, a.real, "x-" if marks else "-", ms=7, label="yours", **style["yours"])
        _label(axes[0], f"{what}{note}", "entry index", "value")
        axes[0].locator_params(axis="x", integer=True)
    axes[0].legend(fontsize=8, loc="upper right")  # "best" searches every point: slow for signals
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
