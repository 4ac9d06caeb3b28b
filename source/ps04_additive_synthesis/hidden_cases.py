"""Grader-only cases for ps04_additive_synthesis (never copied to release/).

Oracles are float64 numpy written from the spec's formulas: linear upsampling with
``align_corners=False``, exclusive phase accumulation from zero, a sum over every partial (no
Nyquist masking), ``k * f0`` harmonics, the Fourier series of the falling sawtooth and of the
square (judged against ``scipy.signal`` by RMS error), and the vibrato formula. Gradients are
checked against central finite differences of the oracles (or their analytic VJP). Oscillator
outputs follow the spec's tolerance rule: float64 at atol 1e-8, float32 at
``2.4e-7 * omega_max * n_samples * sum|a_k|``.
"""

import numpy as np
import scipy.signal

from ddsp_course.grade.cases import expect
from ddsp_course.grade.cases import Cases
from oracles import fd_vjp, upsample_np

CASES = Cases()
SR = 16000
RMS_BAR = 0.15  # the spec's bar for waveform comparisons with the ideal shapes


# ------------------------------------------------------------------ oracles (float64 numpy)
def additive_np(amplitudes, frequencies, n_samples):
    a = upsample_np(amplitudes, n_samples)
    w = upsample_np(frequencies, n_samples)
    phase = np.concatenate([np.zeros(w.shape[:-1] + (1,)), np.cumsum(w, axis=-1)[..., :-1]], axis=-1)
    return (a * np.sin(phase)).sum(axis=-2)


def harmonics_np(f0, n_harmonics):
    return np.asarray(f0, np.float64)[:, None, :] * np.arange(1, n_harmonics + 1)[None, :, None]


def harmonic_np(f0, amplitudes, n_samples):
    return additive_np(amplitudes, harmonics_np(f0, amplitudes.shape[1]), n_samples)


def oscillator_atol(frequencies, n_samples, amplitudes):
    """The spec's float32 rule: 2.4e-7 * (max angular frequency * n samples) * sum_k |a_k|
    (the largest over the batch of the sum over partials of each partial's peak amplitude),
    plus a rounding floor for the sines and the sum."""
    amplitudes = np.abs(np.asarray(amplitudes, np.float64))
    total = float(np.max(amplitudes.max(axis=-1).sum(axis=-1)))
    return 2.4e-7 * float(np.max(np.abs(frequencies))) * n_samples * total + 1e-6 * (1 + total)


def controls(batch, n_partials, n_frames, seed, dtype, f_lo=100.0, f_hi=3000.0):
    """Random time-varying amplitudes in [0.1, 1] and angular frequencies from f_lo to f_hi Hz."""
    rng = np.random.default_rng(seed)
    amplitudes = rng.uniform(0.1, 1.0, (batch, n_partials, n_frames)).astype(dtype)
    frequencies = (2 * np.pi * rng.uniform(f_lo, f_hi, (batch, n_partials, n_frames)) / SR).astype(dtype)
    return amplitudes, frequencies


def harmonic_controls(batch, n_harmonics, n_frames, seed, dtype, f0_lo=100.0, f0_hi=300.0):
    """A wandering pitch track (angular) and random harmonic amplitudes falling as 1/k."""
    rng = np.random.default_rng(seed)
    f0 = (2 * np.pi * rng.uniform(f0_lo, f0_hi, (batch, n_frames)) / SR).astype(dtype)
    k = np.arange(1, n_harmonics + 1)[None, :, None]
    amplitudes = (rng.uniform(0.2, 1.0, (batch, n_harmonics, n_frames)) / k).astype(dtype)
    return f0, amplitudes


# ------------------------------------------------------------------ additive_synth
@CASES.case("test_additive_synth", 1, "shape, dtype and two steady partials summed", visible=True)
def additive_visible(p):
    amplitudes = np.array([[[1.0] * 4, [0.5] * 4]], np.float32)
    frequencies = np.array([[[0.1] * 4, [0.3] * 4]], np.float32)
    y = p.call("additive_synth", amplitudes, frequencies, 100)

    def check(r):
        got = expect.tensor(r[y], shape=(1, 100), dtype="float32")
        n = np.arange(100)
        expect.close(got[0], np.sin(0.1 * n) + 0.5 * np.sin(0.3 * n), atol=1e-4,
                     hint="sum (not average) the partials; exclusive phase, so the first sample is 0.")
    return check


@CASES.case("test_additive_synth", 2, "float64 values against a float64 oracle (time-varying controls)")
def additive_float64(p):
    amplitudes, frequencies = controls(2, 4, 9, 1, np.float64)
    y = p.call("additive_synth", amplitudes, frequencies, 3000)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 3000), dtype="float64")
        expect.close(got, additive_np(amplitudes, frequencies, 3000), atol=1e-8,
                     hint="upsample amplitudes and frequencies per sample, accumulate each partial's phase "
                          "exclusively (phase[0] = 0), then sum over the K partials (dimension 1).")
    return check


@CASES.case("test_additive_synth", 1, "float32 values within the oscillator tolerance")
def additive_float32(p):
    amplitudes, frequencies = controls(3, 6, 20, 2, np.float32)
    y = p.call("additive_synth", amplitudes, frequencies, 16000)
    expected = additive_np(amplitudes, frequencies, 16000)

    def check(r):
        got = expect.tensor(r[y], shape=(3, 16000), dtype="float32")
        expect.close(got, expected,
                     atol=oscillator_atol(frequencies, 16000, amplitudes),
                     hint="float32 in, float32 out; integrate the per-sample frequency into the phase.")
    return check


@CASES.case("test_additive_synth", 1, "partials at or above Nyquist are summed as given (no masking)")
def additive_above_nyquist(p):
    amplitudes = np.array([[[1.0, 0.8], [0.5, 0.5], [0.7, 0.3], [0.4, 0.6]]])
    frequencies = np.array([[[0.5, 0.6], [2.0, 2.2], [3.5, 3.3], [5.0, 4.6]]])  # the last two above pi
    y = p.call("additive_synth", amplitudes, frequencies, 500)

    def check(r):
        got = expect.tensor(r[y], shape=(1, 500), dtype="float64")
        expect.close(got, additive_np(amplitudes, frequencies, 500), atol=1e-8,
                     hint="additive_synth sums every partial it is given, aliasing included; removing "
                          "partials above Nyquist is a separate step (ps05's remove_above_nyquist).")
    return check


@CASES.case("test_additive_synth", 1, "differentiable in amplitudes and frequencies")
def additive_gradients(p):
    amplitudes, frequencies = controls(2, 3, 5, 3, np.float64)
    cot = np.random.default_rng(4).normal(size=(2, 300))
    a = p.tensor(amplitudes, requires_grad=True)
    w = p.tensor(frequencies, requires_grad=True)
    y = p.call("additive_synth", a, w, 300)
    g = p.grad(y, [a, w], cotangent=cot)
    args = (amplitudes, frequencies)
    numerics = fd_vjp(lambda a_, w_: additive_np(a_, w_, 300), args, cot, range(2))

    def check(r):
        expect.that(r[y].requires_grad, "the output does not require grad: the graph was cut.")
        grads = expect.sequence(r[g], 2, what="the gradients")
        for k, (name, numeric) in enumerate(zip(("amplitudes", "frequencies"), numerics)):
            got = expect.tensor(grads[k], shape=args[k].shape, dtype="float64", what=f"the gradient in {name}")
            expect.close(got, numeric, atol=1e-5 * (1 + np.max(np.abs(numeric))), what=f"d/d{name}",
                         hint="build the phase with differentiable torch ops (cumsum, sin); no numpy round trips.")
    return check


# ------------------------------------------------------------------ harmonic_frequencies
@CASES.case("test_harmonic_frequencies", 1, "shape, dtype and the first frame's harmonics", visible=True)
def harmonics_visible(p):
    y = p.call("harmonic_frequencies", np.array([[0.1, 0.2, 0.3]], np.float32), 4)

    def check(r):
        got = expect.tensor(r[y], shape=(1, 4, 3), dtype="float32")
        expect.close(got[0, :, 0], [0.1, 0.2, 0.3, 0.4], atol=1e-7,
                     hint="harmonic k (k = 1..K) at index k - 1 of dimension 1.")
    return check


@CASES.case("test_harmonic_frequencies", 1, "k * f0 for every batch item and frame, float32 and float64, K = 1")
def harmonics_values(p):
    f0_64 = np.random.default_rng(5).uniform(0.01, 0.4, (3, 5))
    f0_32 = f0_64.astype(np.float32)
    y64 = p.call("harmonic_frequencies", f0_64, 7)
    y32 = p.call("harmonic_frequencies", f0_32, 7)
    y1 = p.call("harmonic_frequencies", f0_32, 1)

    def check(r):
        hint = "(batch, K, n_frames) with harmonic k = 1..K at index k - 1: f0[:, None, :] * k[None, :, None]."
        expect.close(expect.tensor(r[y64], shape=(3, 7, 5), dtype="float64", what="the float64 result"),
                     harmonics_np(f0_64, 7), atol=1e-14, what="float64 values", hint=hint)
        expect.close(expect.tensor(r[y32], shape=(3, 7, 5), dtype="float32", what="the float32 result"),
                     harmonics_np(f0_32, 7), atol=1e-6, what="float32 values", hint=hint)
        expect.close(expect.tensor(r[y1], shape=(3, 1, 5), dtype="float32", what="the result for K = 1"),
                     f0_32[:, None, :], atol=1e-7, what="one harmonic (the fundamental)", hint=hint)
    return check


@CASES.case("test_harmonic_frequencies", 1, "gradients flow back to f0")
def harmonics_gradient(p):
    f0 = np.random.default_rng(6).uniform(0.01, 0.4, (2, 4))
    cot = np.random.default_rng(7).normal(size=(2, 5, 4))
    x = p.tensor(f0, requires_grad=True)
    y = p.call("harmonic_frequencies", x, 5)
    g = p.grad(y, [x], cotangent=cot)

    def check(r):
        expect.that(r[y].requires_grad, "the output does not require grad: the graph was cut.")
        grads = expect.sequence(r[g], 1, what="the gradient")
        expected = (cot * np.arange(1, 6)[None, :, None]).sum(axis=1)
        expect.close(expect.tensor(grads[0], shape=(2, 4), dtype="float64", what="the gradient in f0"), expected,
                     atol=1e-12, what="d/df0", hint="multiply f0 by the harmonic numbers with torch ops.")
    return check


# ------------------------------------------------------------------ harmonic_synth
@CASES.case("test_harmonic_synth", 1, "shape, dtype and three steady harmonics", visible=True)
def harmonic_visible(p):
    f0 = np.full((1, 5), 0.05, np.float32)
    amplitudes = np.repeat(np.array([1.0, 0.5, 0.25], np.float32)[None, :, None], 5, axis=2)
    y = p.call("harmonic_synth", f0, amplitudes, 200)

    def check(r):
        got = expect.tensor(r[y], shape=(1, 200), dtype="float32")
        n = np.arange(200)
        expected = np.sin(0.05 * n) + 0.5 * np.sin(0.1 * n) + 0.25 * np.sin(0.15 * n)
        expect.close(got[0], expected, atol=1e-4, hint="harmonic k has angular frequency k * f0 (f0 is angular).")
    return check


@CASES.case("test_harmonic_synth", 1, "float64 values against a float64 oracle (moving pitch and amplitudes)")
def harmonic_float64(p):
    f0, amplitudes = harmonic_controls(2, 8, 11, 8, np.float64)
    y = p.call("harmonic_synth", f0, amplitudes, 4000)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 4000), dtype="float64")
        expect.close(got, harmonic_np(f0, amplitudes, 4000), atol=1e-8,
                     hint="additive_synth(harmonic_amplitudes, harmonic_frequencies(f0, K), n_samples), with K "
                          "read from the amplitudes and f0 already in radians per sample.")
    return check


@CASES.case("test_harmonic_synth", 1, "float32 values within the oscillator tolerance")
def harmonic_float32(p):
    f0, amplitudes = harmonic_controls(2, 10, 16, 9, np.float32, 150.0, 350.0)
    y = p.call("harmonic_synth", f0, amplitudes, 16000)
    expected = harmonic_np(f0, amplitudes, 16000)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 16000), dtype="float32")
        expect.close(got, expected,
                     atol=oscillator_atol(harmonics_np(f0, 10), 16000, amplitudes),
                     hint="float32 in, float32 out; f0 is angular already.")
    return check


@CASES.case("test_harmonic_synth", 1, "harmonics above Nyquist are summed as given (no masking)")
def harmonic_above_nyquist(p):
    f0 = np.array([[0.9, 0.95, 1.0], [0.3, 0.7, 1.2]])     # harmonics reach 6 rad, well above pi
    amplitudes = np.random.default_rng(10).uniform(0.2, 1.0, (2, 5, 3))
    y = p.call("harmonic_synth", f0, amplitudes, 600)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 600), dtype="float64")
        expect.close(got, harmonic_np(f0, amplitudes, 600), atol=1e-8,
                     hint="harmonic_synth sums every harmonic it is given, aliasing included; masking is ps05's.")
    return check


@CASES.case("test_harmonic_synth", 1, "differentiable in f0 and the harmonic amplitudes")
def harmonic_gradients(p):
    f0, amplitudes = harmonic_controls(2, 3, 4, 11, np.float64, 200.0, 600.0)
    cot = np.random.default_rng(12).normal(size=(2, 250))
    x = p.tensor(f0, requires_grad=True)
    a = p.tensor(amplitudes, requires_grad=True)
    y = p.call("harmonic_synth", x, a, 250)
    g = p.grad(y, [x, a], cotangent=cot)
    args = (f0, amplitudes)
    numerics = fd_vjp(lambda f_, a_: harmonic_np(f_, a_, 250), args, cot, range(2))

    def check(r):
        expect.that(r[y].requires_grad, "the output does not require grad: the graph was cut.")
        grads = expect.sequence(r[g], 2, what="the gradients")
        for k, (name, numeric) in enumerate(zip(("f0", "harmonic_amplitudes"), numerics)):
            got = expect.tensor(grads[k], shape=args[k].shape, dtype="float64", what=f"the gradient in {name}")
            expect.close(got, numeric, atol=1e-5 * (1 + np.max(np.abs(numeric))), what=f"d/d{name}",
                         hint="use f0 itself (no torch.tensor(f0) copy, no .detach()) and differentiable ops.")
    return check


# ------------------------------------------------------------------ sawtooth_amplitudes and square_amplitudes
def waveform_rms(amplitudes, ideal_fn, f0_hz=98.0, n_samples=1600):
    """RMS error between the oracle's harmonic synthesis of the returned amplitudes and the ideal shape.
    At 98 Hz the period is not a whole number of samples, so no sample lands exactly on a jump (where
    the series gives 0 and the ideal shape +-1); measured: 0.058 for the sawtooth's 64 harmonics, 0.074
    for the square's 80, 0.33 or more for the wrong series in tests/mutants."""
    omega0 = 2 * np.pi * f0_hz / SR
    n_frames = amplitudes.shape[-1]
    y = harmonic_np(np.full((1, n_frames), omega0), amplitudes.astype(np.float64), n_samples)[0]
    return float(np.sqrt(np.mean((y - ideal_fn(omega0 * np.arange(n_samples))) ** 2)))


@CASES.case("test_sawtooth_amplitudes", 1, "shape, dtype and the fundamental's amplitude", visible=True)
def saw_visible(p):
    y = p.call("sawtooth_amplitudes", 8, 5)

    def check(r):
        got = expect.tensor(r[y], shape=(1, 8, 5), dtype="float32")
        expect.close(got[0, 0], np.full(5, 2 / np.pi), atol=1e-7, hint="a_1 = 2 / pi, in every frame.")
    return check


@CASES.case("test_sawtooth_amplitudes", 1, "a_k = 2 / (pi k) for every harmonic and frame, all positive")
def saw_values(p):
    y = p.call("sawtooth_amplitudes", 50, 7)
    z = p.call("sawtooth_amplitudes", 1, 1)

    def check(r):
        hint = "a_k = 2 / (pi k) for k = 1..K, all positive (no alternating signs), the same in every frame."
        k = np.arange(1, 51)
        expect.close(expect.tensor(r[y], shape=(1, 50, 7), dtype="float32"),
                     np.repeat((2 / (np.pi * k))[None, :, None], 7, axis=2), atol=1e-7, hint=hint)
        expect.close(expect.tensor(r[z], shape=(1, 1, 1), dtype="float32", what="sawtooth_amplitudes(1, 1)"),
                     [[[2 / np.pi]]], atol=1e-7, what="one harmonic, one frame", hint=hint)
    return check


@CASES.case("test_sawtooth_amplitudes", 1, "through harmonic synthesis: the falling ramp -scipy.signal.sawtooth")
def saw_waveform(p):
    y = p.call("sawtooth_amplitudes", 64, 3)

    def check(r):
        got = expect.tensor(r[y], shape=(1, 64, 3), dtype="float32")
        rms = waveform_rms(got, lambda phase: -scipy.signal.sawtooth(phase))
        expect.that(np.isfinite(rms) and rms <= RMS_BAR,
                    f"64 harmonics at 98 Hz are an RMS distance of {rms:.3g} from the falling ramp "
                    f"1 - phase/pi (bar {RMS_BAR}). Hint: the falling sawtooth is (2/pi) * sum_k sin(k phase)/k.")
    return check


@CASES.case("test_square_amplitudes", 1, "shape, dtype and the first two harmonics", visible=True)
def square_visible(p):
    y = p.call("square_amplitudes", 6, 3)

    def check(r):
        got = expect.tensor(r[y], shape=(1, 6, 3), dtype="float32")
        expect.close(got[0, :2, 0], [4 / np.pi, 0.0], atol=1e-7, hint="a_1 = 4/pi, a_2 = 0 (even harmonics vanish).")
    return check


@CASES.case("test_square_amplitudes", 1, "4 / (pi k) on odd k, 0 on even k, in every frame")
def square_values(p):
    y = p.call("square_amplitudes", 41, 6)
    z = p.call("square_amplitudes", 1, 2)

    def check(r):
        hint = "index k - 1 holds harmonic k: 4 / (pi k) where k is odd, 0 where k is even (zeros stay in place)."
        k = np.arange(1, 42)
        expected = np.where(k % 2 == 1, 4 / (np.pi * k), 0.0)
        expect.close(expect.tensor(r[y], shape=(1, 41, 6), dtype="float32"),
                     np.repeat(expected[None, :, None], 6, axis=2), atol=1e-7, hint=hint)
        expect.close(expect.tensor(r[z], shape=(1, 1, 2), dtype="float32", what="square_amplitudes(1, 2)"),
                     [[[4 / np.pi, 4 / np.pi]]], atol=1e-7, what="one harmonic", hint=hint)
    return check


@CASES.case("test_square_amplitudes", 1, "through harmonic synthesis: scipy.signal.square")
def square_waveform(p):
    y = p.call("square_amplitudes", 80, 3)

    def check(r):
        got = expect.tensor(r[y], shape=(1, 80, 3), dtype="float32")
        rms = waveform_rms(got, scipy.signal.square)
        expect.that(np.isfinite(rms) and rms <= RMS_BAR,
                    f"80 harmonics at 98 Hz are an RMS distance of {rms:.3g} from the square wave "
                    f"(bar {RMS_BAR}). Hint: the square is (4/pi) * sum over odd k of sin(k phase)/k.")
    return check


# ------------------------------------------------------------------ vibrato_f0
def vibrato_np(f0_hz, rate_hz, depth_hz, n_frames, frame_rate):
    return f0_hz + depth_hz * np.sin(2 * np.pi * rate_hz * np.arange(n_frames) / frame_rate)


def vibrato_atol(f0_hz, rate_hz, depth_hz, n_frames, frame_rate):
    """Float32 rounding of the track and of a float32 phase argument up to 2 pi rate n / frame_rate."""
    largest_phase = 2 * np.pi * abs(rate_hz) * max(n_frames - 1, 0) / frame_rate
    return 4 * 1.2e-7 * (abs(f0_hz) + abs(depth_hz) * (1 + largest_phase)) + 1e-6


def check_vibrato(value, args, hint):
    got = expect.tensor(value, shape=(1, args[3]), dtype="float32",
                        what=f"vibrato_f0 with {args[3]} frames")
    expect.close(got[0], vibrato_np(*args), atol=vibrato_atol(*args), what="the pitch track", hint=hint)


@CASES.case("test_vibrato_f0", 1, "shape, dtype, first frame and range", visible=True)
def vibrato_visible(p):
    y = p.call("vibrato_f0", 440.0, 5.0, 10.0, 100, 100.0)

    def check(r):
        got = expect.tensor(r[y], shape=(1, 100), dtype="float32")
        expect.scalar_close(float(got[0, 0]), 440.0, atol=1e-4, what="the first frame",
                            hint="frame n = 0 has sin(0) = 0, so the track starts at f0_hz.")
        expect.that(got.min() >= 430.0 - 1e-3 and got.max() <= 450.0 + 1e-3,
                    "the pitch leaves f0 +- depth. Hint: depth_hz is the peak deviation.")
    return check


@CASES.case("test_vibrato_f0", 1, "values against the formula at several rates, depths and frame rates")
def vibrato_values(p):
    settings = [(220.0, 6.0, 4.0, 50, 100.0), (110.0, 5.5, 3.0, 37, 250.0), (880.0, 7.0, 25.0, 64, 200.0),
                (330.0, 4.0, 0.0, 10, 100.0), (261.6, 3.0, 8.0, 1, 250.0)]
    refs = [p.call("vibrato_f0", *args) for args in settings]

    def check(r):
        for ref, args in zip(refs, settings):
            check_vibrato(r[ref], args, "f0_hz + depth_hz * sin(2 pi rate_hz n / frame_rate) for n = 0..n_frames-1: "
                                        "rate in Hz, frame n at n / frame_rate seconds, depth the peak deviation.")
    return check


@CASES.case("test_vibrato_f0", 1, "a long track: rate in Hz at the frame rate, depth the peak deviation")
def vibrato_long(p):
    args = (196.0, 5.25, 12.0, 2000, 250.0)     # 8 s at 250 frames per second, 42 vibrato periods
    y = p.call("vibrato_f0", *args)

    def check(r):
        check_vibrato(r[y], args, "the phase is 2 pi rate_hz n / frame_rate exactly (n = 0, 1, 2, ... frames "
                                  "apart by 1 / frame_rate seconds); the swing is +- depth_hz.")
    return check
