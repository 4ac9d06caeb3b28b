"""Grader-only cases for ps08_source_filter (never copied to release/).

Oracles are float64 numpy/scipy, written from the spec's formulas and independent of the master's
torch code: ``scipy.linalg.solve_toeplitz`` for the normal equations, ``scipy.signal.lfilter`` for the
inverse filter, numpy step-up/step-down loops for reflection coefficients, a numpy wavetable reader,
and ``np.roots`` for the formant rule. Gradients are judged against central finite differences of the
Toeplitz-solve oracle (``levinson_durbin``, ``lpc``, ``reflection_to_lpc``) or analytic
vector-Jacobian products (``lpc_residual``, ``glottal_source``).

``estimate_formants`` is graded twice, as the spec asks:
(a) against a float64 oracle of exactly the rule, each formant within 0.5 %, on frames whose relevant
    roots (those at or below the last formant returned; all roots when fewer survive) lie at least
    25 % from both thresholds (90 Hz, 400 Hz), see ``_margins``;
(b) on outcome, F1-F3 within 5 % of the formants the vowels were made with, on vowels made to the
    spec's recipe (``recipe_vowel``). Measured with the master on this grid (f0 90-100 Hz, bandwidths
    60-120 Hz, three noise seeds, three frame positions, float32 and float64): worst 4.35 % (/u/ at
    16 kHz, F1 pulled towards a harmonic); the cases below sit at most at 3.6 %.

The 90 Hz rule is exercised with vowels carrying 50 Hz hum, analysed without pre-emphasis at 8 kHz
(order 16, 60-100 ms frames), which puts a narrow complex root pair at 30-40 Hz. The real roots near
z = 1 that plain frames without pre-emphasis produce are already excluded by imag(z) > 0, so they cannot
tell an implementation with the 90 Hz rule from one without it.
"""
import math

import numpy as np
import scipy.linalg
import scipy.signal

from ddsp_course.grade.cases import expect
from ddsp_course.grade.cases import Cases
from oracles import central_differences, rng

CASES = Cases()

FORMANT_RTOL = 0.005   # (a): each formant within 0.5 % of the float64 oracle of the rule
OUTCOME_RTOL = 0.05    # (b): F1-F3 within 5 % of the truth
VOWELS = {"a": (730.0, 1090.0, 2440.0), "i": (270.0, 2290.0, 3010.0), "u": (300.0, 870.0, 2240.0)}


# ------------------------------------------------------------------ inputs
def ar_signal(seed, n, poles, warmup=500):
    """White noise through the all-pole filter with the given poles (and their conjugates), float64."""
    poles = np.asarray(poles)
    den = np.real(np.poly(np.concatenate([poles, np.conj(poles)])))
    return scipy.signal.lfilter([1.0], den, rng(seed).standard_normal(n + warmup))[warmup:]


POLES = [0.9 * np.exp(0.3j), 0.85 * np.exp(1.2j), 0.8 * np.exp(2.2j)]


def far_ends_frame(seed, n, dtype=np.float32):
    """An AR frame of length n cut where both of its ends are at least 1.2 standard deviations from zero."""
    x = ar_signal(seed, 20 * n, POLES)
    s = np.std(x)
    for start in range(0, len(x) - n):
        if abs(x[start]) > 1.2 * s and abs(x[start + n - 1]) > 1.2 * s:
            return (x[start:start + n] / s).astype(dtype)
    raise RuntimeError("no frame with far ends")


def autocorr(x, n_lags):
    x = np.asarray(x, np.float64)
    n = x.shape[-1]
    return np.stack([np.sum(x[..., :n - k] * x[..., k:], -1) if k < n else np.zeros(x.shape[:-1])
                     for k in range(n_lags)], -1)


# ------------------------------------------------------------------ oracles (float64)
def toeplitz_lpc(r, order):
    """(a, error) from scipy's Toeplitz solver: a = -solve_toeplitz(r[:p], r[1:p+1]), error = r0 + a.r[1:]."""
    r = np.asarray(r, np.float64)
    a = -scipy.linalg.solve_toeplitz(r[:order], r[1:order + 1])
    return a, r[0] + a @ r[1:order + 1]


def levinson_reflections(r, order):
    """The reflection coefficients k[m] the Levinson recursion forms, numpy float64 (A(z) = 1 + sum a z^-k)."""
    r = np.asarray(r, np.float64)
    a = np.zeros(0)
    err = r[0]
    ks = []
    for m in range(order):
        k = -(r[m + 1] + a @ r[m:0:-1]) / err
        a = np.concatenate([a + k * a[::-1], [k]])
        err *= 1 - k * k
        ks.append(k)
    return np.array(ks)


def step_up(k):
    a = np.zeros(0)
    for km in np.asarray(k, np.float64):
        a = np.concatenate([a + km * a[::-1], [km]])
    return a


def step_down(a):
    a = np.asarray(a, np.float64)
    k = np.zeros(len(a))
    for m in range(len(a) - 1, -1, -1):
        k[m] = a[m]
        a = (a[:m] - k[m] * a[:m][::-1]) / (1 - k[m] ** 2)
    return k


def residual_oracle(s, a):
    """e = lfilter([1, a], [1], s) row by row, float64; a (p,) or one row per signal row."""
    s = np.asarray(s, np.float64)
    a = np.asarray(a, np.float64)
    if a.ndim == 1:
        return scipy.signal.lfilter(np.r_[1.0, a], [1.0], s, axis=-1)
    return np.stack([scipy.signal.lfilter(np.r_[1.0, ai], [1.0], si) for si, ai in zip(s, a)])


def glottal_oracle(f0, n, sr, table):
    """Exclusive float64 phase in cycles, wrapped; linear interpolation wrapping last -> first."""
    table = np.asarray(table, np.float64)
    size = len(table)
    inc = np.broadcast_to(np.asarray(f0, np.float64), (n,)) / sr
    phase = np.concatenate([[0.0], np.cumsum(inc[:-1])])
    phase -= np.floor(phase)
    pos = phase * size
    i0 = np.minimum(np.floor(pos).astype(int), size - 1)
    w = pos - i0
    return table[i0] * (1 - w) + table[(i0 + 1) % size] * w, i0, w


def roots_of(frame, sr, order):
    """Frequencies and bandwidths (Hz) of the roots with imag > 0 of the float64 LPC polynomial."""
    a, _ = toeplitz_lpc(autocorr(frame, order + 1), order)
    z = np.roots(np.r_[1.0, a])
    z = z[z.imag > 0]
    f = np.angle(z) * sr / (2 * np.pi)
    b = -(sr / np.pi) * np.log(np.abs(z))
    order_ = np.argsort(f)
    return f[order_], b[order_]


def formant_oracle(frame, sr, order, n_formants=3):
    f, b = roots_of(frame, sr, order)
    kept = f[(b < 400.0) & (f > 90.0)][:n_formants]
    out = np.full(n_formants, np.nan)
    out[:len(kept)] = kept
    return out


def _margins(frame, sr, order, n_formants=3):
    """Relative distance of the relevant roots from the 90 Hz and 400 Hz thresholds (the spec: >= 25 %)."""
    f, b = roots_of(frame, sr, order)
    out = formant_oracle(frame, sr, order, n_formants)
    sel = f <= out[-1] * (1 + 1e-9) if np.all(np.isfinite(out)) else np.ones(len(f), bool)
    return float(np.min(np.abs(f[sel] / 90.0 - 1))), float(np.min(np.abs(b[sel] / 400.0 - 1)))


def rosenberg_table(size=1024, opening=0.40, closing=0.16):
    """One period of the Rosenberg glottal flow derivative (opening 40 %, closing 16 %), peak |.| = 1."""
    t = np.arange(size) / size
    d = np.zeros(size)
    rising = t < opening
    d[rising] = 0.5 * np.pi / opening * np.sin(np.pi * t[rising] / opening)
    falling = (t >= opening) & (t < opening + closing)
    d[falling] = -0.5 * np.pi / closing * np.sin(0.5 * np.pi * (t[falling] - opening) / closing)
    return d / np.max(np.abs(d))


def resonator(x, f, bw, sr):
    """Unit-DC-gain two-pole resonator: poles at radius exp(-pi bw / sr), angle 2 pi f / sr."""
    radius = math.exp(-math.pi * bw / sr)
    den = [1.0, -2 * radius * math.cos(2 * math.pi * f / sr), radius * radius]
    return scipy.signal.lfilter([sum(den)], den, x)


def recipe_vowel(vowel, f0, sr, bandwidths, seed, duration=0.5, hum=0.0):
    """Glottal pulses at f0 -> F1-F3 (+ F4 3500/150, F5 4500/200 where below Nyquist) -> noise 50 dB down."""
    n = int(duration * sr)
    x, _, _ = glottal_oracle(f0, n, sr, rosenberg_table())
    for f, b in zip(list(VOWELS[vowel]) + [3500.0, 4500.0], list(bandwidths) + [150.0, 200.0]):
        if f < sr / 2:
            x = resonator(x, f, b, sr)
    x = x + np.sqrt(np.mean(x ** 2)) * 10 ** (-50 / 20) * rng(seed).standard_normal(n)
    if hum:
        x = x + hum * np.std(x) * np.sin(2 * np.pi * 50.0 * np.arange(n) / sr + 0.3)
    return x


def analysis_frame(x, sr, start=0.25, length=0.040, preemphasis=0.97, window="hann"):
    """Pre-emphasis (1 - 0.97 z^-1) of the whole signal, a frame from the steady part, a symmetric window."""
    if preemphasis:
        x = np.concatenate([x[:1], x[1:] - preemphasis * x[:-1]])
    i, n = int(start * sr), int(round(length * sr))
    frame = x[i:i + n]
    return frame * {"hann": np.hanning, "hamming": np.hamming}[window](n)


# ================================================================== levinson_durbin
AR1_R = np.array([1.0, 0.5, 0.25, 0.125], np.float32)


@CASES.case("test_levinson_durbin", points=1, name="AR(1) autocorrelation 0.5^|k|, order 3: shapes, dtype, values",
            visible=True)
def levinson_visible_ar1(p):
    out = p.call("levinson_durbin", AR1_R, 3)

    def check(r):
        a, err = expect.sequence(r[out], length=2, what="levinson_durbin's result (a, error)")
        expect.close(expect.tensor(a, shape=(3,), dtype="float32", what="a"), [-0.5, 0.0, 0.0], atol=1e-6,
                     what="the coefficients a", hint="A(z) = 1 + sum a_k z^-k: an AR(1) with pole 0.5 has a_1 = -0.5.")
        expect.close(expect.tensor(err, shape=(), dtype="float32", what="the error"), 0.75, atol=1e-6,
                     what="the prediction error", hint="error = r[0] * prod(1 - k_m^2).")
    return check


@CASES.case("test_levinson_durbin", points=1, name="order 1: a = -r1/r0, error = r0 - r1^2/r0", visible=True)
def levinson_visible_order1(p):
    out = p.call("levinson_durbin", np.array([2.0, 1.0], np.float32), 1)

    def check(r):
        a, err = expect.sequence(r[out], length=2, what="levinson_durbin's result (a, error)")
        expect.close(expect.tensor(a, shape=(1,), dtype="float32", what="a"), [-0.5], atol=1e-6,
                     what="the coefficient a_1", hint="one step of the recursion: k = -r[1] / r[0].")
        expect.close(expect.tensor(err, shape=(), what="the error"), 1.5, atol=1e-6, what="the prediction error",
                     hint="error = r[0] (1 - k^2).")
    return check


def _levinson_r(seed, n_lags):
    return autocorr(far_ends_frame(seed, 400).astype(np.float64), n_lags)


@CASES.case("test_levinson_durbin", points=1, name="values against scipy's Toeplitz solver (float32, order 12)")
def levinson_values(p):
    rs = [_levinson_r(seed, 13).astype(np.float32) for seed in (1, 2)]
    outs = [p.call("levinson_durbin", r, 12) for r in rs]

    def check(r):
        for rv, out in zip(rs, outs):
            a_ref, e_ref = toeplitz_lpc(rv, 12)
            a, err = expect.sequence(r[out], length=2, what="levinson_durbin's result (a, error)")
            expect.close(expect.tensor(a, shape=(12,), dtype="float32", what="a"), a_ref, atol=1e-3,
                         what="the coefficients a", hint="a solves the normal equations R a = -r[1:p+1]; check the "
                                                         "sign of k and the update a_new[i] = a[i] + k a[m-1-i].")
            expect.close(expect.tensor(err, shape=(), dtype="float32", what="the error"), e_ref, atol=0, rtol=1e-4,
                         what="the prediction error", hint="update the error at every step, the last one included.")
    return check


@CASES.case("test_levinson_durbin", points=1, name="float64 r gives float64 a and error (order 10, to 1e-9)")
def levinson_float64(p):
    rv = _levinson_r(3, 11)
    out = p.call("levinson_durbin", rv, 10)

    def check(r):
        a_ref, e_ref = toeplitz_lpc(rv, 10)
        a, err = expect.sequence(r[out], length=2, what="levinson_durbin's result (a, error)")
        expect.close(expect.tensor(a, shape=(10,), dtype="float64", what="a for float64 r"), a_ref, atol=1e-9,
                     what="the float64 coefficients", hint="no float32 cast inside.")
        expect.close(expect.tensor(err, shape=(), dtype="float64", what="the error for float64 r"), e_ref, atol=0,
                     rtol=1e-9, what="the float64 prediction error", hint="no float32 cast inside.")
    return check


@CASES.case("test_levinson_durbin", points=1, name="the error is unnormalised: r scaled by 1000 scales the error")
def levinson_scale(p):
    rv = 1000.0 * _levinson_r(4, 9)
    out = p.call("levinson_durbin", rv, 8)

    def check(r):
        a_ref, e_ref = toeplitz_lpc(rv, 8)
        a, err = expect.sequence(r[out], length=2, what="levinson_durbin's result (a, error)")
        expect.close(expect.tensor(a, shape=(8,), what="a"), a_ref, atol=1e-9, what="the coefficients for a scaled r",
                     hint="a does not depend on the scale of r.")
        expect.close(expect.tensor(err, shape=(), what="the error"), e_ref, atol=0, rtol=1e-9,
                     what="the prediction error for a scaled r",
                     hint="return r[0] * prod(1 - k^2), the energy of the residual, not the normalised prod(1 - k^2).")
    return check


@CASES.case("test_levinson_durbin", points=1, name="lags beyond order + 1 are ignored (20 lags, order 6)")
def levinson_extra_lags(p):
    rv = _levinson_r(5, 20)
    out = p.call("levinson_durbin", rv, 6)

    def check(r):
        a_ref, e_ref = toeplitz_lpc(rv, 6)
        a, err = expect.sequence(r[out], length=2, what="levinson_durbin's result (a, error)")
        expect.close(expect.tensor(a, shape=(6,), dtype="float64", what="a"), a_ref, atol=1e-9,
                     what="the coefficients", hint="use r[0..order] only; the shape of a is (..., order).")
        expect.close(expect.tensor(err, shape=(), what="the error"), e_ref, atol=0, rtol=1e-9, what="the error",
                     hint="use r[0..order] only.")
    return check


@CASES.case("test_levinson_durbin", points=1, name="a batch of autocorrelations (2, 3, 9) -> a (2, 3, 8), error (2, 3)")
def levinson_batch(p):
    rv = np.stack([_levinson_r(seed, 9) for seed in range(10, 16)]).reshape(2, 3, 9)
    out = p.call("levinson_durbin", rv, 8)

    def check(r):
        a, err = expect.sequence(r[out], length=2, what="levinson_durbin's result (a, error)")
        a = expect.tensor(a, shape=(2, 3, 8), dtype="float64", what="a for a batch")
        err = expect.tensor(err, shape=(2, 3), dtype="float64", what="the error for a batch")
        for idx in np.ndindex(2, 3):
            a_ref, e_ref = toeplitz_lpc(rv[idx], 8)
            expect.close(a[idx], a_ref, atol=1e-9, what="the coefficients of each batch item",
                         hint="index the lag with r[..., k] so that leading dimensions ride along.")
            expect.close(err[idx], e_ref, atol=0, rtol=1e-9, what="the error of each batch item",
                         hint="index the lag with r[..., k].")
    return check


def _levinson_vjps(rv, order, ca, ce):
    f_a = lambda x: toeplitz_lpc(x, order)[0]  # noqa: E731
    f_e = lambda x: np.atleast_1d(toeplitz_lpc(x, order)[1])  # noqa: E731
    h = 1e-6 * abs(rv[0])
    return ca @ central_differences(f_a, rv, h), np.atleast_1d(ce) @ central_differences(f_e, rv, h)


def _gradient_case(p, rv, order, dtype, rtol):
    ca = rng(40).standard_normal(order)
    ce = 0.7
    refs = []
    for which in ("a", "error"):
        x = p.tensor(rv.astype(dtype), requires_grad=True)
        out = p.call("levinson_durbin", x, order)
        y = p.item(out, 0 if which == "a" else 1)
        cot = ca.astype(dtype) if which == "a" else np.array(ce, dtype)
        refs.append((which, y, p.grad(y, [x], cotangent=cot)))

    def check(r):
        g_a, g_e = _levinson_vjps(rv.astype(dtype).astype(np.float64), order, ca.astype(dtype), np.float64(dtype(ce)))
        for (which, y, g), want in zip(refs, (g_a, g_e)):
            expect.that(r[y].requires_grad, f"{which} does not require grad when r does. Hint: stay in torch (no "
                                            "numpy, no .item(), no torch.tensor(...) of computed values).")
            got = r[g][0]
            expect.that(got is not None, f"no gradient reaches r from {which}.")
            expect.close(expect.tensor(got, shape=rv.shape, what=f"the gradient of {which} in r"), want,
                         atol=rtol * float(np.max(np.abs(want))), what=f"the gradient of {which} in r",
                         hint="build a and the error from differentiable torch operations, without detaching k.")
    return check


@CASES.case("test_levinson_durbin", points=1,
            name="gradients in r (float64) match finite differences of a Toeplitz solve")
def levinson_gradient64(p):
    return _gradient_case(p, _levinson_r(6, 11), 10, np.float64, 1e-6)


@CASES.case("test_levinson_durbin", points=1, name="gradients in r (float32): outputs require grad, VJPs close")
def levinson_gradient32(p):
    return _gradient_case(p, _levinson_r(7, 9), 8, np.float32, 1e-3)


# ================================================================== lpc
LINEAR_FRAME = np.array([1.0, 2.0, 3.0, 4.0], np.float32)


@CASES.case("test_lpc", points=1, name="frame [1, 2, 3, 4], order 2: linear autocorrelation (shape, dtype, values)",
            visible=True)
def lpc_visible(p):
    out = p.call("lpc", LINEAR_FRAME, 2)

    def check(r):
        got = expect.tensor(r[out], shape=(2,), dtype="float32", what="lpc's result")
        expect.close(got, [-0.76, 0.14], atol=1e-5, what="the coefficients",
                     hint="r = [30, 20, 11]: r[k] = sum_n x[n] x[n+k] with no wrap-around and no window.")
    return check


@CASES.case("test_lpc", points=1, name="rectangular frames whose ends are far from zero (float32, orders 8 and 12)")
def lpc_values(p):
    frames = [(far_ends_frame(20, 300), 8), (far_ends_frame(21, 160), 12)]
    outs = [p.call("lpc", f, order) for f, order in frames]

    def check(r):
        for (f, order), out in zip(frames, outs):
            ref, _ = toeplitz_lpc(autocorr(f, order + 1), order)
            got = expect.tensor(r[out], shape=(order,), dtype="float32", what="lpc's result")
            expect.close(got, ref, atol=1e-3, what="the coefficients",
                         hint="linear autocorrelation of the frame as given (no circular wrap, no window inside, "
                              "sums over every n, not the covariance method).")
    return check


@CASES.case("test_lpc", points=1, name="a float64 frame gives float64 coefficients, to 1e-9 (order 14)")
def lpc_float64(p):
    f = far_ends_frame(22, 320, np.float64)
    out = p.call("lpc", f, 14)

    def check(r):
        ref, _ = toeplitz_lpc(autocorr(f, 15), 14)
        got = expect.tensor(r[out], shape=(14,), dtype="float64", what="lpc's result for a float64 frame")
        expect.close(got, ref, atol=1e-9, what="the float64 coefficients",
                     hint="no float32 cast; linear (zero-padded) autocorrelation; no window inside.")
    return check


@CASES.case("test_lpc", points=1, name="a batch of frames (3, 240) gives (3, order)")
def lpc_batch(p):
    frames = np.stack([far_ends_frame(seed, 240) for seed in (23, 24, 25)])
    out = p.call("lpc", frames, 10)

    def check(r):
        got = expect.tensor(r[out], shape=(3, 10), dtype="float32", what="lpc's result for a batch")
        for i in range(3):
            ref, _ = toeplitz_lpc(autocorr(frames[i], 11), 10)
            expect.close(got[i], ref, atol=1e-3, what="the coefficients of each frame",
                         hint="compute the lags over the last dimension (frame[..., :n-k] * frame[..., k:]).")
    return check


@CASES.case("test_lpc", points=1, name="gradient in the frame (float64) matches finite differences")
def lpc_gradient(p):
    fv = far_ends_frame(26, 60, np.float64)
    cot = rng(27).standard_normal(6)
    x = p.tensor(fv, requires_grad=True)
    out = p.call("lpc", x, 6)
    g = p.grad(out, [x], cotangent=cot)
    want = cot @ central_differences(lambda v: toeplitz_lpc(autocorr(v, 7), 6)[0], fv, 1e-6)

    def check(r):
        expect.that(r[out].requires_grad, "lpc's result does not require grad when the frame does. Hint: compute "
                                          "the autocorrelation with torch operations.")
        got = r[g][0]
        expect.that(got is not None, "no gradient reaches the frame.")
        expect.close(expect.tensor(got, shape=(60,), what="the gradient in the frame"), want,
                     atol=1e-6 * float(np.max(np.abs(want))), what="the gradient in the frame",
                     hint="autocorrelation and levinson_durbin, both in torch.")
    return check


# ================================================================== lpc_residual
@CASES.case("test_lpc_residual", points=1, name="s = [1, 2, 3, 4], a = [0.5]: e = s + 0.5 s[n-1], zero start",
            visible=True)
def residual_visible(p):
    out = p.call("lpc_residual", np.array([1.0, 2.0, 3.0, 4.0], np.float32), np.array([0.5], np.float32))

    def check(r):
        got = expect.tensor(r[out], shape=(4,), dtype="float32", what="the residual")
        expect.close(got, [1.0, 2.5, 4.0, 5.5], atol=1e-6, what="the residual",
                     hint="e[n] = s[n] + a_1 s[n-1], with s[-1] = 0.")
    return check


@CASES.case("test_lpc_residual", points=1, name="values against lfilter([1, a], [1], s) on a batch (2, 500), order 8")
def residual_values(p):
    s = rng(30).standard_normal((2, 500)).astype(np.float32)
    a = (0.5 * rng(31).standard_normal(8)).astype(np.float32)
    out = p.call("lpc_residual", s, a)

    def check(r):
        got = expect.tensor(r[out], shape=(2, 500), dtype="float32", what="the residual")
        expect.close(got, residual_oracle(s, a), atol=1e-5, what="the residual",
                     hint="e[n] = s[n] + sum_k a_k s[n-k] (a plus sign, delays 1..p, zeros before the start).")
    return check


@CASES.case("test_lpc_residual", points=1, name="an AR process filtered by its own A(z) gives back its driving noise")
def residual_whitens(p):
    w = rng(32).standard_normal(400)
    den = np.real(np.poly(np.concatenate([POLES, np.conj(POLES)])))
    s = scipy.signal.lfilter([1.0], den, w)  # zero initial conditions
    out = p.call("lpc_residual", s, den[1:])

    def check(r):
        got = expect.tensor(r[out], shape=(400,), dtype="float64", what="the residual of a float64 signal")
        expect.close(got, w, atol=1e-9, what="the residual",
                     hint="with zero initial conditions the inverse filter undoes the all-pole filter from n = 0; "
                          "no wrap-around (torch.roll), delays k = 1..p.")
    return check


@CASES.case("test_lpc_residual", points=1, name="one filter per row: a (3, 5) with a signal (3, 200), float64")
def residual_per_row(p):
    s = rng(33).standard_normal((3, 200))
    a = 0.4 * rng(34).standard_normal((3, 5))
    out = p.call("lpc_residual", s, a)

    def check(r):
        got = expect.tensor(r[out], shape=(3, 200), dtype="float64", what="the residual")
        expect.close(got, residual_oracle(s, a), atol=1e-10, what="the residual of each row",
                     hint="a (..., order): row i is filtered with a[i]; index a[..., k-1:k] so it broadcasts.")
    return check


@CASES.case("test_lpc_residual", points=1, name="gradients in the signal and in a (float64) match the analytic VJP")
def residual_gradient(p):
    sv = rng(35).standard_normal((2, 120))
    av = 0.3 * rng(36).standard_normal(6)
    cot = rng(37).standard_normal((2, 120))
    s, a = p.tensor(sv, requires_grad=True), p.tensor(av, requires_grad=True)
    out = p.call("lpc_residual", s, a)
    g = p.grad(out, [s, a], cotangent=cot)

    def check(r):
        expect.that(r[out].requires_grad, "the residual does not require grad. Hint: stay in torch.")
        n = sv.shape[-1]
        g_s = cot.copy()
        g_a = np.zeros(6)
        for k in range(1, 7):
            g_s[:, :n - k] += av[k - 1] * cot[:, k:]      # e[n] depends on s[n-k]
            g_a[k - 1] = np.sum(cot[:, k:] * sv[:, :n - k])
        got_s, got_a = r[g]
        expect.that(got_s is not None and got_a is not None, "no gradient reaches the signal or a.")
        expect.close(expect.tensor(got_s, shape=(2, 120), what="the gradient in the signal"), g_s, atol=1e-9,
                     what="the gradient in the signal", hint="differentiable torch operations only.")
        expect.close(expect.tensor(got_a, shape=(6,), what="the gradient in a"), g_a, atol=1e-9,
                     what="the gradient in a", hint="differentiable torch operations only.")
    return check


# ================================================================== reflection_to_lpc
@CASES.case("test_reflection_to_lpc", points=1,
            name="k = [0.5] -> [0.5]; k = [0.5, 0.25] -> [0.625, 0.25]", visible=True)
def step_up_visible(p):
    one = p.call("reflection_to_lpc", np.array([0.5], np.float32))
    two = p.call("reflection_to_lpc", np.array([0.5, 0.25], np.float32))

    def check(r):
        expect.close(expect.tensor(r[one], shape=(1,), dtype="float32", what="reflection_to_lpc([0.5])"), [0.5],
                     atol=1e-7, what="a for one reflection coefficient", hint="a_1 = k_0.")
        expect.close(expect.tensor(r[two], shape=(2,), dtype="float32", what="reflection_to_lpc([0.5, 0.25])"),
                     [0.625, 0.25], atol=1e-7, what="a for two reflection coefficients",
                     hint="a_new[0] = a[0] + k[1] a[0], a_new[1] = k[1].")
    return check


def _frame_reflections(seed, order):
    rv = autocorr(far_ends_frame(seed, 300).astype(np.float64), order + 1)
    return rv, levinson_reflections(rv, order)


@CASES.case("test_reflection_to_lpc", points=1, name="Levinson's reflection coefficients step up to the Toeplitz "
                                                     "solution (float32, order 12)")
def step_up_values(p):
    rv, k = _frame_reflections(50, 12)
    out = p.call("reflection_to_lpc", k.astype(np.float32))

    def check(r):
        ref, _ = toeplitz_lpc(rv, 12)
        expect.close(expect.tensor(r[out], shape=(12,), dtype="float32", what="a"), ref, atol=1e-4,
                     what="the coefficients",
                     hint="use k[m] at step m (in order), a_new[i] = a[i] + k[m] a[m-1-i] from the old a only.")
    return check


@CASES.case("test_reflection_to_lpc", points=1, name="float64, orders 1, 2, 3 and 20 (random |k| < 0.95)")
def step_up_float64(p):
    ks = [rng(51 + i).uniform(-0.95, 0.95, n) for i, n in enumerate((1, 2, 3, 20))]
    outs = [p.call("reflection_to_lpc", k) for k in ks]

    def check(r):
        for k, out in zip(ks, outs):
            ref = step_up(k)
            got = expect.tensor(r[out], shape=k.shape, dtype="float64", what=f"a for {len(k)} coefficients")
            expect.close(got, ref, atol=1e-10 * max(1.0, float(np.max(np.abs(ref)))),
                         what=f"the float64 coefficients of order {len(k)}",
                         hint="a_new[i] = a[i] + k[m] a[m-1-i] for i < m, a_new[m] = k[m]; no float32 cast.")
    return check


@CASES.case("test_reflection_to_lpc", points=1,
            name="the polynomial is stable: roots inside the unit circle for |k| < 1")
def step_up_stable(p):
    k = np.array([0.9, -0.8, 0.7, -0.95, 0.6, 0.85])
    out = p.call("reflection_to_lpc", k)

    def check(r):
        a = expect.tensor(r[out], shape=(6,), what="a")
        radius = float(np.max(np.abs(np.roots(np.r_[1.0, a]))))
        expect.that(radius < 1.0, "A(z) has a root on or outside the unit circle although every |k| < 1. Hint: the "
                                  "step-up adds k[m] times the reversed previous predictor: a[i] + k[m] a[m-1-i].")
        expect.close(a, step_up(k), atol=1e-10, what="the coefficients", hint="the step-up recursion, in order.")
    return check


@CASES.case("test_reflection_to_lpc", points=1, name="gradient in k (float64) matches finite differences")
def step_up_gradient(p):
    kv = rng(55).uniform(-0.9, 0.9, 8)
    cot = rng(56).standard_normal(8)
    k = p.tensor(kv, requires_grad=True)
    out = p.call("reflection_to_lpc", k)
    g = p.grad(out, [k], cotangent=cot)

    def check(r):
        expect.that(r[out].requires_grad, "a does not require grad when k does. Hint: build a with torch "
                                          "operations (torch.cat, flip), not from Python floats.")
        want = cot @ central_differences(step_up, kv, 1e-6)
        got = r[g][0]
        expect.that(got is not None, "no gradient reaches k.")
        expect.close(expect.tensor(got, shape=(8,), what="the gradient in k"), want, atol=1e-7,
                     what="the gradient in k", hint="differentiable torch operations, no in-place writes.")
    return check


# ================================================================== lpc_to_reflection
@CASES.case("test_lpc_to_reflection", points=1, name="a = [0.625, 0.25] -> k = [0.5, 0.25] (shape, dtype, values)",
            visible=True)
def step_down_visible(p):
    out = p.call("lpc_to_reflection", np.array([0.625, 0.25], np.float32))

    def check(r):
        expect.close(expect.tensor(r[out], shape=(2,), dtype="float32", what="lpc_to_reflection([0.625, 0.25])"),
                     [0.5, 0.25], atol=1e-6, what="the reflection coefficients",
                     hint="k[-1] = a[-1]; then a_prev[i] = (a[i] - k a[m-1-i]) / (1 - k^2).")
    return check


@CASES.case("test_lpc_to_reflection", points=1, name="recovers Levinson's reflection coefficients (float32, order 12)")
def step_down_values(p):
    rv, k = _frame_reflections(60, 12)
    a, _ = toeplitz_lpc(rv, 12)
    out = p.call("lpc_to_reflection", a.astype(np.float32))

    def check(r):
        expect.close(expect.tensor(r[out], shape=(12,), dtype="float32", what="k"), k, atol=1e-3,
                     what="the reflection coefficients",
                     hint="step down from the full order, divide by 1 - k^2, return k in order k[0]..k[p-1].")
    return check


@CASES.case("test_lpc_to_reflection", points=1, name="float64 round trip of the step-up, orders 1, 3 and 16")
def step_down_float64(p):
    ks = [rng(61 + i).uniform(-0.9, 0.9, n) for i, n in enumerate((1, 3, 16))]
    outs = [p.call("lpc_to_reflection", step_up(k)) for k in ks]

    def check(r):
        for k, out in zip(ks, outs):
            got = expect.tensor(r[out], shape=k.shape, dtype="float64", what=f"k of order {len(k)}")
            expect.close(got, k, atol=1e-9, what=f"the float64 reflection coefficients of order {len(k)}",
                         hint="the exact inverse of the step-up; no float32 cast.")
    return check


@CASES.case("test_lpc_to_reflection", points=1,
            name="an unstable A(z) (roots outside the unit circle) has some |k| >= 1")
def step_down_unstable(p):
    roots = np.array([1.25 * np.exp(0.5j), 1.25 * np.exp(-0.5j), 0.6 * np.exp(2.0j), 0.6 * np.exp(-2.0j), 0.3])
    a = np.real(np.poly(roots))[1:]
    out = p.call("lpc_to_reflection", a)

    def check(r):
        got = expect.tensor(r[out], shape=(5,), dtype="float64", what="k")
        expect.that(bool(np.max(np.abs(got)) >= 1.0), "no |k| >= 1 for a polynomial with roots outside the unit "
                                                      "circle. Hint: the step-down divides by 1 - k^2 at every order.")
        expect.close(got, step_down(a), atol=1e-9, what="the reflection coefficients",
                     hint="the step-down, from the full order down to order 1.")
    return check


# ================================================================== glottal_source
RAMP = np.array([0.0, 1.0, 2.0, 3.0], np.float32)


@CASES.case("test_glottal_source", points=1, name="ramp table [0, 1, 2, 3], 1000 Hz at 16 kHz, 8 samples: exclusive "
                                                  "phase, interpolation", visible=True)
def glottal_visible(p):
    out = p.call("glottal_source", 1000.0, 8, 16000, RAMP)

    def check(r):
        got = expect.tensor(r[out], shape=(8,), dtype="float32", what="glottal_source's output")
        expect.close(got, 0.25 * np.arange(8), atol=1e-6, what="the output",
                     hint="phase[0] = 0 (exclusive); position phase * P advances 1000/16000 * 4 = 0.25 entry per "
                          "sample.")
    return check


@CASES.case("test_glottal_source", points=1, name="interpolation wraps from the last entry to the first")
def glottal_wrap(p):
    out = p.call("glottal_source", 3000.0, 16, 16000, RAMP)

    def check(r):
        want, _, _ = glottal_oracle(3000.0, 16, 16000, RAMP)
        got = expect.tensor(r[out], shape=(16,), dtype="float32", what="the output")
        expect.close(got, want, atol=1e-6, what="the output",
                     hint="between table[P-1] and the end of the period, interpolate towards table[0].")
    return check


# atol 2e-3: an increment f0 / sample_rate rounded to float32 (then accumulated in float64, which the spec allows)
# moves the phase by ~1e-6 cycles over 4000 samples, 2.6e-4 at the closure step of the table (measured).
@CASES.case("test_glottal_source", points=1, name="Rosenberg table, 4000 samples at 97 Hz (a float) and with vibrato "
                                                  "(a float32 tensor): values against a float64 oracle")
def glottal_values(p):
    table = rosenberg_table().astype(np.float32)
    contour = (97.0 * (1 + 0.03 * np.sin(2 * np.pi * 5.5 * np.arange(4000) / 16000))).astype(np.float32)
    cases = [(97.0, p.call("glottal_source", 97.0, 4000, 16000, table)),
             (contour, p.call("glottal_source", contour, 4000, 16000, table))]

    def check(r):
        for f0, out in cases:
            want, _, _ = glottal_oracle(f0, 4000, 16000, table)
            got = expect.tensor(r[out], shape=(4000,), dtype="float32", what="the output")
            expect.close(got, want, atol=2e-3, what="the output",
                         hint="phase in cycles, phase[n] = sum_{m<n} f0[m] / sample_rate, table read at phase * P "
                              "with linear interpolation.")
    return check


@CASES.case("test_glottal_source", points=1, name="f0 as a (n,) tensor (vibrato), float64 table -> float64")
def glottal_tensor_f0(p):
    n, sr = 3000, 8000
    f0 = 110.0 + 15.0 * np.sin(2 * np.pi * 5.0 * np.arange(n) / sr)
    table = rng(70).standard_normal(256)
    out = p.call("glottal_source", f0, n, sr, table)

    def check(r):
        want, _, _ = glottal_oracle(f0, n, sr, table)
        got = expect.tensor(r[out], shape=(n,), dtype="float64", what="the output for a float64 table")
        expect.close(got, want, atol=1e-9, what="the output",
                     hint="f0[m] per sample, exclusive cumulative sum in float64, output in the table's dtype.")
    return check


@CASES.case("test_glottal_source", points=1, name="the output has the table's dtype (float64 f0 tensor, float32 table)")
def glottal_dtype(p):
    n = 500
    f0 = np.full(n, 123.0)
    table = rng(71).standard_normal(64).astype(np.float32)
    out = p.call("glottal_source", f0, n, 16000, table)

    def check(r):
        want, _, _ = glottal_oracle(f0, n, 16000, table)
        got = expect.tensor(r[out], shape=(n,), dtype="float32", what="the output for a float32 table")
        expect.close(got, want, atol=2e-4, what="the output",
                     hint="cast the interpolation weight to the table's dtype.")
    return check


# f0 / 16000 = 2^-7 + 2^-20 exactly, in float32 as in float64: every correct implementation (increment in
# float32 or float64, accumulated in float64) gets exact phases, while a phase stored in float32 needs more
# than 24 bits after a few hundred cycles and rounds by up to 1.5e-5 cycles, i.e. 0.016 of an entry, which
# the closure step of the Rosenberg table (a jump of 1 between two entries) turns into errors of ~1e-2.
LONG_F0 = (2.0 ** -7 + 2.0 ** -20) * 16000


@CASES.case("test_glottal_source", points=1, name="4 s of the Rosenberg table at 125.015 Hz: the phase accumulates in "
                                                  "float64")
def glottal_long(p):
    n, sr = 64000, 16000
    table = rosenberg_table().astype(np.float32)
    out = p.call("glottal_source", LONG_F0, n, sr, table)
    want, _, _ = glottal_oracle(LONG_F0, n, sr, table)

    def check(r):
        got = expect.tensor(r[out], shape=(n,), dtype="float32", what="the output")
        expect.close(got, want, atol=1e-4, what="the output over 4 s",
                     hint="keep the running phase in float64 (a float32 phase has too few bits after hundreds "
                          "of cycles); interpolation that wraps from the last entry to the first.")
    return check


@CASES.case("test_glottal_source", points=1, name="gradient in the table (float64) is the transpose of the "
                                                  "interpolation")
def glottal_gradient(p):
    n, size = 700, 128
    tv = rng(72).standard_normal(size)
    cot = rng(73).standard_normal(n)
    t = p.tensor(tv, requires_grad=True)
    out = p.call("glottal_source", 171.5, n, 16000, t)
    g = p.grad(out, [t], cotangent=cot)

    def check(r):
        expect.that(r[out].requires_grad, "the output does not require grad when the table does. Hint: index the "
                                          "table tensor itself (table[index]) and combine with torch operations.")
        _, i0, w = glottal_oracle(171.5, n, 16000, tv)
        want = np.zeros(size)
        np.add.at(want, i0, cot * (1 - w))
        np.add.at(want, (i0 + 1) % size, cot * w)
        got = r[g][0]
        expect.that(got is not None, "no gradient reaches the table.")
        expect.close(expect.tensor(got, shape=(size,), what="the gradient in the table"), want, atol=1e-9,
                     what="the gradient in the table",
                     hint="each output sample is (1 - w) table[i] + w table[(i + 1) % P].")
    return check


# ================================================================== estimate_formants
def _visible_formant_frame():
    sr = 8000
    den = np.array([1.0])
    for f, b in ((500.0, 100.0), (1500.0, 100.0)):
        radius = math.exp(-math.pi * b / sr)
        den = np.convolve(den, [1.0, -2 * radius * math.cos(2 * math.pi * f / sr), radius * radius])
    impulse = np.zeros(400)
    impulse[0] = 1.0
    return scipy.signal.lfilter([1.0], den, impulse).astype(np.float32)


@CASES.case("test_estimate_formants", points=1, name="two resonances (500, 1500 Hz; 100 Hz wide) at 8 kHz, order 4: "
                                                     "[500, 1500, NaN]", visible=True)
def formants_visible(p):
    out = p.call("estimate_formants", _visible_formant_frame(), 8000, 4)

    def check(r):
        got = expect.tensor(r[out], shape=(3,), dtype="float32", what="estimate_formants' result")
        expect.that(bool(np.isnan(got[2])) and not np.any(np.isnan(got[:2])),
                    "the first two formants should be numbers and the third NaN (only two resonances). Hint: pad "
                    "with NaN to n_formants.")
        expect.close(got[:2], [500.0, 1500.0], atol=0, rtol=1e-3, what="the two formants",
                     hint="roots with imag > 0, angle * sample_rate / (2 pi), ascending.")
    return check


def check_formants(got, want, rtol, what, hint):
    expect.that(np.array_equal(np.isnan(got), np.isnan(want)),
                f"{what}: NaN in the wrong places (a formant found where the rule keeps none, or the other way "
                f"round). Hint: {hint}")
    expect.close(got[~np.isnan(want)], want[~np.isnan(want)], atol=0, rtol=rtol, what=what, hint=hint)


def _oracle_case(p, frames, hint):
    """frames: list of (frame, sample_rate, order, n_formants, dtype); judged against formant_oracle."""
    outs = [p.call("estimate_formants", f.astype(dt), sr, order, n_formants=nf) for f, sr, order, nf, dt in frames]

    def check(r):
        for (f, sr, order, nf, dt), out in zip(frames, outs):
            got = expect.tensor(r[out], shape=(nf,), dtype=np.dtype(dt).name, what="estimate_formants' result")
            want = formant_oracle(f.astype(dt), sr, order, nf)
            check_formants(got, want, FORMANT_RTOL, "the formants (against the rule)", hint)
    return check


# Each frame below has relevant roots at least 25 % from 90 Hz and from 400 Hz (see _margins).
RECIPE_FRAMES = [(analysis_frame(recipe_vowel("a", 95.0, 16000, (80.0, 90.0, 120.0), 1), 16000),
                  16000, 16, 3, np.float32),
                 (analysis_frame(recipe_vowel("i", 92.0, 16000, (60.0, 100.0, 120.0), 2), 16000),
                  16000, 16, 3, np.float32),
                 (analysis_frame(recipe_vowel("u", 98.0, 16000, (70.0, 80.0, 100.0), 3), 16000),
                  16000, 16, 3, np.float32)]
HUM_FRAMES = [(analysis_frame(recipe_vowel(v, 95.0, 8000, (80.0, 90.0, 120.0), 4, duration=0.6, hum=3.0), 8000,
                              length=length, preemphasis=0.0), 8000, 16, 3, np.float32)
              for v, length in (("a", 0.06), ("u", 0.1))]
HAMMING_FRAMES = [(analysis_frame(recipe_vowel(v, f0, 16000, (80.0, 90.0, 120.0), 0), 16000, window="hamming"),
                   16000, 24, 3, np.float32) for v, f0 in (("a", 90.0), ("i", 95.0), ("u", 100.0))]
SHORT_FRAMES = [(analysis_frame(recipe_vowel("a", 95.0, 8000, (80.0, 90.0, 120.0), 5), 8000), 8000, 10, 5, np.float64),
                (analysis_frame(recipe_vowel("i", 100.0, 8000, (60.0, 90.0, 110.0), 6), 8000), 8000, 10, 5, np.float64)]


@CASES.case("test_estimate_formants", points=1, name="the rule: recipe frames at 16 kHz, order 16 (/a/, /i/, /u/)")
def formants_rule_recipe(p):
    return _oracle_case(p, RECIPE_FRAMES, "roots of 1 + sum a_k z^-k with imag > 0, frequency angle * fs / (2 pi), "
                                          "bandwidth -(fs / pi) ln|z|, ascending frequency.")


@CASES.case("test_estimate_formants", points=1, name="the 90 Hz rule: frames with 50 Hz hum, no pre-emphasis (8 kHz, "
                                                     "order 16)")
def formants_rule_hum(p):
    return _oracle_case(p, HUM_FRAMES, "drop roots at 90 Hz or below (hum, the glottal tilt): they are not formants.")


@CASES.case("test_estimate_formants", points=1, name="the bandwidth rule: Hamming-windowed frames, order 24 (16 kHz)")
def formants_rule_bandwidth(p):
    return _oracle_case(p, HAMMING_FRAMES, "the -3 dB bandwidth is -(fs / pi) ln|z| (not a quarter or a half of it); "
                                           "drop roots 400 Hz wide or wider; roots of z^p + a_1 z^(p-1) + ... + a_p.")


@CASES.case("test_estimate_formants", points=1, name="n_formants=5 at 8 kHz, order 10: NaN where fewer survive; "
                                                     "float64 in, float64 out")
def formants_rule_nan(p):
    return _oracle_case(p, SHORT_FRAMES, "return exactly n_formants values, NaN after the last formant found, in the "
                                         "frame's dtype.")


def _outcome_case(p, specs, sr, order, dtype):
    frames = [(v, analysis_frame(recipe_vowel(v, f0, sr, bws, seed), sr).astype(dtype)) for v, f0, bws, seed in specs]
    outs = [p.call("estimate_formants", f, sr, order) for _, f in frames]

    def check(r):
        for (v, _), out in zip(frames, outs):
            got = expect.tensor(r[out], shape=(3,), dtype=np.dtype(dtype).name, what="estimate_formants' result")
            expect.that(not np.any(np.isnan(got)), f"a formant of /{v}/ is missing (NaN). Hint: the bandwidth and "
                                                   "90 Hz rules drop too much?")
            expect.close(got, VOWELS[v], atol=0, rtol=OUTCOME_RTOL, what=f"F1-F3 of the vowel /{v}/",
                         hint="analyse the frame as given (the caller pre-emphasised and windowed it); sort by "
                              "frequency; -3 dB bandwidth -(fs / pi) ln|z|.")
    return check


@CASES.case("test_estimate_formants", points=1, name="outcome: F1-F3 of recipe vowels at 16 kHz within 5 % (order 16, "
                                                     "float32)")
def formants_outcome_16k(p):
    return _outcome_case(p, [("a", 95.0, (90.0, 100.0, 120.0), 11), ("i", 100.0, (60.0, 90.0, 120.0), 12),
                             ("u", 90.0, (80.0, 80.0, 100.0), 13)], 16000, 16, np.float32)


@CASES.case("test_estimate_formants", points=1, name="outcome: F1-F3 of recipe vowels at 8 kHz within 5 % (order 10, "
                                                     "float64)")
def formants_outcome_8k(p):
    return _outcome_case(p, [("a", 100.0, (60.0, 70.0, 100.0), 14), ("i", 93.0, (80.0, 90.0, 120.0), 15),
                             ("u", 96.0, (100.0, 110.0, 120.0), 16)], 8000, 10, np.float64)
