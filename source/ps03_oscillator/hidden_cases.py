"""Grader-only cases for ps03_oscillator (never copied to release/).

Oracles are float64 numpy written from the spec's rules, never from the solution's torch code:

- ``upsample_np`` (shared, ``source/oracles.py``): ``F.interpolate(mode="linear", align_corners=False)``
  by its formula: output sample i reads the frame position ``(i + 0.5) * n_frames / n_samples - 0.5``, clamped to
  ``[0, n_frames - 1]`` (so the first and last samples hold the end frames; one frame is a constant).
- ``sinusoid_oracle``: both controls through ``upsample_np``, exclusive phase
  ``phi0 + sum_{m<n} omega[m]`` (``np.cumsum`` shifted by one), ``amplitude * sin(phase)``.
- ``angular_cumsum`` is judged by the circular error against ``np.cumsum`` in float64.

Float32 oscillator outputs use the spec's tolerance ``2.4e-7 * 2*pi*f_max*duration * sum|a|``
(here one partial: ``2.4e-7 * max|omega| * n_samples * max|amplitude|``); float64 ones 1e-8.
"""
import math

import numpy as np

from ddsp_course.grade.cases import expect
from ddsp_course.grade.cases import Cases
from oracles import fd_vjp, upsample_matrix, upsample_np

CASES = Cases()
SR = 16000


# ------------------------------------------------------------------ oracles (float64 numpy)
def sinusoid_oracle(amp, omega, n_samples, phi0=None):
    a = upsample_np(amp, n_samples)
    w = upsample_np(omega, n_samples)
    phase = np.concatenate([np.zeros(w.shape[:-1] + (1,)), np.cumsum(w, axis=-1)[..., :-1]], axis=-1)
    if phi0 is not None:
        phase = phase + np.asarray(phi0, np.float64)[:, None]
    return a * np.sin(phase)


def float32_atol(amp, omega, n_samples):
    """The spec's oscillator tolerance for float32: 2.4e-7 * 2*pi*f_max*duration * sum|a| with
    2*pi*f_max*duration = max|omega| * n_samples (one partial, so sum|a| is the largest amplitude);
    plus 1e-6 for the rounding of sin and of the product."""
    return 2.4e-7 * float(np.max(np.abs(omega))) * n_samples * float(np.max(np.abs(amp))) + 1e-6


def controls(batch, n_frames, seed, dtype, f_low=100.0, f_high=3000.0):
    """Random amplitude in [0.2, 1] and angular frequency for f in [f_low, f_high] Hz."""
    rng = np.random.default_rng(seed)
    amp = rng.uniform(0.2, 1.0, (batch, n_frames)).astype(dtype)
    omega = (2 * np.pi * rng.uniform(f_low, f_high, (batch, n_frames)) / SR).astype(dtype)
    return amp, omega


def max_circular_error(out, reference, block=1 << 16):
    """max |out - reference| on the circle, in radians, in float64; a block at a time, so that a
    chirp's 2,000,000 samples stay in the cache (three times faster than in one pass)."""
    out, reference = (a.reshape(-1) for a in np.broadcast_arrays(np.asarray(out), np.asarray(reference)))
    worst = [0.0]  # np.max of these keeps a NaN (Python's max would drop it)
    for start in range(0, out.size, block):
        error = np.subtract(out[start:start + block], reference[start:start + block], dtype=np.float64)
        error -= (2 * np.pi) * np.rint(error / (2 * np.pi))
        worst.append(np.max(np.abs(error, out=error)))
    return float(np.max(worst))


EXCLUSIVE = ("phase[n] = initial_phase + sum of omega[m] for m < n (exclusive), so the first sample is "
             "amplitude[0] * sin(initial_phase); amplitude and frequency are both upsampled per sample.")
UPSAMPLE = ("sample i sits at frame position (i + 0.5) * n_frames / n_samples - 0.5, clamped to "
            "[0, n_frames - 1] (F.interpolate, mode='linear', align_corners=False).")


# ------------------------------------------------------------------ hz_to_angular
@CASES.case("test_hz_to_angular", 1, "440.0 Hz is a Python float; a float32 tensor stays float32", visible=True)
def hz_visible(p):
    y = p.call("hz_to_angular", 440.0)
    t = p.call("hz_to_angular", np.array([0.0, 8000.0], np.float32))

    def check(r):
        expect.scalar_close(expect.number(r[y], what="hz_to_angular(440.0)"), 2 * math.pi * 440 / SR, atol=1e-12,
                            what="hz_to_angular(440.0)", hint="radians per sample: 2*pi*f_hz/sample_rate.")
        got = expect.tensor(r[t], shape=(2,), dtype="float32", what="hz_to_angular(tensor([0., 8000.]))")
        expect.close(got, [0.0, math.pi], atol=1e-6, what="0 Hz and Nyquist (8 kHz)",
                     hint="Nyquist, sample_rate / 2, is pi radians per sample.")
    return check


@CASES.case("test_hz_to_angular", 1, "the sample_rate argument (positional and keyword)")
def hz_sample_rate(p):
    y = p.call("hz_to_angular", 1000.0, 44100)
    z = p.call("hz_to_angular", 250.0, sample_rate=8000)
    n = p.call("hz_to_angular", 22050.0, sample_rate=44100)

    def check(r):
        hint = "use the sample_rate argument; the default is only 16000."
        expect.scalar_close(expect.number(r[y], what="hz_to_angular(1000.0, 44100)"), 2 * math.pi * 1000 / 44100,
                            atol=1e-12, what="1000 Hz at 44.1 kHz", hint=hint)
        expect.scalar_close(expect.number(r[z], what="hz_to_angular(250.0, sample_rate=8000)"),
                            2 * math.pi * 250 / 8000, atol=1e-12, what="250 Hz at 8 kHz", hint=hint)
        expect.scalar_close(expect.number(r[n], what="Nyquist at 44.1 kHz"), math.pi, atol=1e-12,
                            what="Nyquist at 44.1 kHz", hint=hint)
    return check


@CASES.case("test_hz_to_angular", 1, "tensors keep their dtype and shape (float32 and float64)")
def hz_tensors(p):
    f32 = np.array([[20.0, 440.0, 7999.0], [100.0, 1000.0, 5000.0]], np.float32)
    f64 = np.linspace(0.0, 8000.0, 9)
    y32 = p.call("hz_to_angular", f32)
    y64 = p.call("hz_to_angular", f64, 16000)

    def check(r):
        expect.close(expect.tensor(r[y32], shape=(2, 3), dtype="float32"), 2 * np.pi * f32.astype(np.float64) / SR,
                     atol=1e-6, what="float32 values", hint="2*pi*f_hz/sample_rate, elementwise.")
        expect.close(expect.tensor(r[y64], shape=(9,), dtype="float64"), 2 * np.pi * f64 / SR, atol=1e-14,
                     what="float64 values", hint="no float32 constants or casts in a float64 computation.")
    return check


@CASES.case("test_hz_to_angular", 1, "differentiable: the gradient is 2*pi/sample_rate")
def hz_gradient(p):
    f = p.tensor(np.array([110.0, 220.0, 440.0]), requires_grad=True)
    y = p.call("hz_to_angular", f, 16000)
    g = p.grad(y, [f], cotangent=np.ones(3))

    def check(r):
        expect.that(r[y].requires_grad, "the result does not require grad: stay in torch (no numpy round trip).")
        grads = expect.sequence(r[g], 1, what="the gradient")
        expect.close(expect.tensor(grads[0], shape=(3,), dtype="float64", what="d(omega)/d(f_hz)"),
                     np.full(3, 2 * np.pi / SR), atol=1e-14, what="d(omega)/d(f_hz)",
                     hint="omega is linear in f_hz.")
    return check


# ------------------------------------------------------------------ upsample
@CASES.case("test_upsample", 1, "shape and dtype of (2, 10) -> (2, 100); [0, 1] -> 4 samples", visible=True)
def upsample_visible(p):
    y = p.call("upsample", np.linspace(0, 1, 20, dtype=np.float32).reshape(2, 10), 100)
    z = p.call("upsample", np.array([[0.0, 1.0]], np.float32), 4)

    def check(r):
        expect.tensor(r[y], shape=(2, 100), dtype="float32", what="upsample(env, 100)")
        got = expect.tensor(r[z], shape=(1, 4), dtype="float32", what="upsample([[0., 1.]], 4)")
        expect.close(got, [[0.0, 0.25, 0.75, 1.0]], atol=1e-6, what="upsample([[0., 1.]], 4)", hint=UPSAMPLE)
    return check


@CASES.case("test_upsample", 1, "float64 values against linear interpolation (align_corners=False)")
def upsample_float64(p):
    frames = np.random.default_rng(1).normal(size=(3, 7))
    y = p.call("upsample", frames, 45)
    z = p.call("upsample", frames[:, :4], 17)
    expected_y, expected_z = upsample_np(frames, 45), upsample_np(frames[:, :4], 17)

    def check(r):
        expect.close(expect.tensor(r[y], shape=(3, 45), dtype="float64"), expected_y, atol=1e-12,
                     what="float64 values, 7 frames to 45 samples", hint=UPSAMPLE)
        expect.close(expect.tensor(r[z], shape=(3, 17), dtype="float64"), expected_z,
                     atol=1e-12, what="float64 values, 4 frames to 17 samples", hint=UPSAMPLE)
    return check


@CASES.case("test_upsample", 1, "float32 values, including 63 frames to one second of audio")
def upsample_float32(p):
    rng = np.random.default_rng(2)
    small = rng.normal(size=(2, 7)).astype(np.float32)
    controls_ = rng.uniform(0, 1, size=(2, 63)).astype(np.float32)
    y = p.call("upsample", small, 64)
    z = p.call("upsample", controls_, SR)
    expected_y, expected_z = upsample_np(small, 64), upsample_np(controls_, SR)

    def check(r):
        expect.close(expect.tensor(r[y], shape=(2, 64), dtype="float32"), expected_y, atol=1e-5,
                     what="7 frames to 64 samples", hint=UPSAMPLE)
        expect.close(expect.tensor(r[z], shape=(2, SR), dtype="float32"), expected_z, atol=1e-5,
                     what="63 frames to 16000 samples", hint=UPSAMPLE)
    return check


@CASES.case("test_upsample", 1, "any number of leading dimensions (1-D and 3-D envelopes)")
def upsample_leading(p):
    frames = np.random.default_rng(3).normal(size=(2, 3, 5)).astype(np.float32)
    vector = np.array([0.0, 1.0, -1.0], np.float32)
    y = p.call("upsample", frames, 50)
    z = p.call("upsample", vector, 12)
    expected_y, expected_z = upsample_np(frames, 50), upsample_np(vector, 12)

    def check(r):
        expect.close(expect.tensor(r[y], shape=(2, 3, 50), dtype="float32"), expected_y, atol=1e-5,
                     what="a (2, 3, 5) envelope", hint="flatten the leading dimensions, interpolate, restore them.")
        expect.close(expect.tensor(r[z], shape=(12,), dtype="float32"), expected_z, atol=1e-6,
                     what="a 1-D envelope", hint="flatten the leading dimensions, interpolate, restore them.")
    return check


@CASES.case("test_upsample", 1, "one frame gives a constant")
def upsample_one_frame(p):
    y = p.call("upsample", np.array([[0.3], [-2.0]]), 33)
    z = p.call("upsample", np.array([[0.5]], np.float32), 1)

    def check(r):
        expect.close(expect.tensor(r[y], shape=(2, 33), dtype="float64"), np.repeat([[0.3], [-2.0]], 33, axis=1),
                     atol=1e-12, what="one frame to 33 samples",
                     hint="with one frame every position clamps to frame 0 (no division by n_frames - 1).")
        expect.close(expect.tensor(r[z], shape=(1, 1), dtype="float32"), [[0.5]], atol=1e-7,
                     what="one frame to one sample")
    return check


@CASES.case("test_upsample", 1, "gradients flow back to the frames (the transposed interpolation)")
def upsample_gradient(p):
    frames = np.random.default_rng(4).normal(size=(2, 6))
    cot = np.random.default_rng(5).normal(size=(2, 40))
    x = p.tensor(frames, requires_grad=True)
    y = p.call("upsample", x, 40)
    g = p.grad(y, [x], cotangent=cot)

    def check(r):
        expect.that(r[y].requires_grad, "the result does not require grad: use differentiable torch ops only.")
        grads = expect.sequence(r[g], 1, what="the gradient")
        expect.close(expect.tensor(grads[0], shape=(2, 6), dtype="float64", what="d(upsample)/d(frames)"),
                     cot @ upsample_matrix(6, 40).T, atol=1e-10, what="d(upsample)/d(frames)",
                     hint="use differentiable torch ops only (no numpy, no .detach()).")
    return check


# ------------------------------------------------------------------ sinusoid
@CASES.case("test_sinusoid", 1, "shape, dtype and a steady sinusoid sin(0.1 n)", visible=True)
def sinusoid_visible(p):
    y = p.call("sinusoid", np.ones((1, 4), np.float32), np.full((1, 4), 0.1, np.float32), 100)

    def check(r):
        got = expect.tensor(r[y], shape=(1, 100), dtype="float32", what="sinusoid(...)")
        expect.close(got, np.sin(0.1 * np.arange(100))[None], atol=1e-5, what="a steady sinusoid", hint=EXCLUSIVE)
    return check


@CASES.case("test_sinusoid", 2, "float64 values against a float64 oracle (time-varying controls)")
def sinusoid_float64(p):
    amp, omega = controls(2, 12, 6, np.float64)
    y = p.call("sinusoid", amp, omega, 3999)
    expected = sinusoid_oracle(amp, omega, 3999)

    def check(r):
        expect.close(expect.tensor(r[y], shape=(2, 3999), dtype="float64"), expected,
                     atol=1e-8, what="float64 values", hint=EXCLUSIVE + " Integrate the frequency: "
                     "sin(omega[n] * n) jumps in phase whenever omega changes.")
    return check


@CASES.case("test_sinusoid", 1, "float32 values within the oscillator tolerance (one second, batch of 3)")
def sinusoid_float32(p):
    amp, omega = controls(3, 20, 7, np.float32)
    y = p.call("sinusoid", amp, omega, SR)
    expected = sinusoid_oracle(amp, omega, SR)

    def check(r):
        expect.close(expect.tensor(r[y], shape=(3, SR), dtype="float32"), expected,
                     atol=float32_atol(amp, omega, SR), what="float32 values",
                     hint="float32 in, float32 out; " + EXCLUSIVE)
    return check


@CASES.case("test_sinusoid", 1, "constant controls: exactly a * sin(phi0 + omega n)")
def sinusoid_constant(p):
    y = p.call("sinusoid", np.full((1, 1), 0.7), np.full((1, 1), 0.3), 500, np.array([0.25]))
    z = p.call("sinusoid", np.full((2, 5), 0.5), np.full((2, 5), 2 * np.pi * 1000 / SR), 64)

    def check(r):
        n = np.arange(500)
        expect.close(expect.tensor(r[y], shape=(1, 500), dtype="float64"), 0.7 * np.sin(0.25 + 0.3 * n)[None],
                     atol=1e-8, what="one frame with initial phase 0.25", hint=EXCLUSIVE)
        expect.close(expect.tensor(r[z], shape=(2, 64), dtype="float64"),
                     np.repeat(0.5 * np.sin(2 * np.pi * 1000 / SR * np.arange(64))[None], 2, axis=0),
                     atol=1e-8, what="a steady 1 kHz tone", hint=EXCLUSIVE)
    return check


@CASES.case("test_sinusoid", 1, "initial_phase per batch item (float64 and float32)")
def sinusoid_initial_phase(p):
    amp, omega = controls(3, 5, 8, np.float64)
    phi0 = np.array([0.0, 1.0, -2.5])
    amp32, omega32 = controls(4, 8, 9, np.float32, f_high=1000.0)
    phi32 = np.array([0.5, -1.0, 3.0, 2.0], np.float32)
    y = p.call("sinusoid", amp, omega, 800, phi0)
    z = p.call("sinusoid", amp32, omega32, 2000, initial_phase=phi32)
    expected_y, expected_z = sinusoid_oracle(amp, omega, 800, phi0), sinusoid_oracle(amp32, omega32, 2000, phi32)

    def check(r):
        hint = "add initial_phase[b] to every phase of batch item b (shape (batch,) against (batch, n_samples))."
        expect.close(expect.tensor(r[y], shape=(3, 800), dtype="float64"), expected_y,
                     atol=1e-8, what="float64, batch of 3", hint=hint)
        expect.close(expect.tensor(r[z], shape=(4, 2000), dtype="float32"), expected_z,
                     atol=float32_atol(amp32, omega32, 2000), what="float32, batch of 4", hint=hint)
    return check


@CASES.case("test_sinusoid", 1, "differentiable in amplitude and frequency (finite, nonzero, correct)")
def sinusoid_gradients(p):
    amp, omega = controls(2, 6, 10, np.float64)
    cot = np.random.default_rng(11).normal(size=(2, 300))
    a = p.tensor(amp, requires_grad=True)
    w = p.tensor(omega, requires_grad=True)
    y = p.call("sinusoid", a, w, 300)
    g = p.grad(y, [a, w], cotangent=cot)
    a32 = p.tensor(amp.astype(np.float32), requires_grad=True)
    w32 = p.tensor(omega.astype(np.float32), requires_grad=True)
    y32 = p.call("sinusoid", a32, w32, 300)
    g32 = p.grad(y32, [a32, w32], cotangent=cot.astype(np.float32))
    # central differences of the oracle, in amplitude then in frequency
    numerics = fd_vjp(lambda a_, w_: sinusoid_oracle(a_, w_, 300), (amp, omega), cot, range(2))

    def check(r):
        expect.that(r[y].requires_grad and r[y32].requires_grad,
                    "the output does not require grad: the graph was cut (numpy, .detach(), torch.tensor(...)).")
        grads = expect.sequence(r[g], 2, what="the float64 gradients")
        grads32 = expect.sequence(r[g32], 2, what="the float32 gradients")
        for k, (base, numeric, name) in enumerate(((amp, numerics[0], "amplitude"), (omega, numerics[1], "frequency"))):
            hint = "build the phase with differentiable torch ops (cumsum, sin): no numpy round trip."
            got = expect.tensor(grads[k], shape=base.shape, dtype="float64", what=f"the gradient in {name}")
            expect.close(got, numeric, atol=1e-5 * (1 + np.max(np.abs(numeric))), what=f"d/d{name} (float64)",
                         hint=hint)
            got32 = expect.tensor(grads32[k], shape=base.shape, dtype="float32", what=f"the float32 gradient in {name}")
            expect.that(np.all(np.isfinite(got32)) and np.any(got32 != 0),
                        f"the float32 gradient in {name} is not finite or is all zero. Hint: {hint}")
    return check


# ------------------------------------------------------------------ fit_amplitude_envelope
def fit_problem(dtype, seed, batch=2, n_frames=10, n_samples=4000, hz=(440.0, 660.0, 330.0)):
    """A known envelope in [0.2, 1] and a steady tone per batch item; the target is the float64 oracle."""
    true = np.random.default_rng(seed).uniform(0.2, 1.0, (batch, n_frames))
    omega = np.repeat((2 * np.pi * np.asarray(hz[:batch]) / SR)[:, None], n_frames, axis=1)
    target = sinusoid_oracle(true, omega, n_samples)
    return true, omega.astype(dtype), target.astype(dtype)


FIT_HINT = ("Adam on waveform L1 between sinusoid(envelope, frequency, n_samples) and the target, "
            "with the lr and number of steps given, one envelope row per batch item.")


@CASES.case("test_fit_amplitude_envelope", 1, "shape, dtype and a detached result (5 steps)", visible=True,
            timeout=60)
def fit_visible(p):
    true = np.array([[0.2, 0.6, 1.0, 0.5]])
    omega = np.full((1, 4), 2 * np.pi * 440 / SR)
    target = sinusoid_oracle(true, omega, 2000).astype(np.float32)
    y = p.call("fit_amplitude_envelope", target, omega.astype(np.float32), 4, 5, 0.01, 0)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(1, 4), dtype="float32", what="the fitted envelope")
        expect.that(not out.requires_grad and not out.has_grad_fn,
                    "the envelope should be returned detached (.detach()).")
    return check


@CASES.case("test_fit_amplitude_envelope", 2, "recovers a known envelope within 0.02 (200 Adam steps, lr 0.01)",
            timeout=90)
def fit_recovers(p):
    true, omega, target = fit_problem(np.float32, seed=21)
    y = p.call("fit_amplitude_envelope", target, omega, 10, 200, 0.01, 0)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 10), dtype="float32", what="the fitted envelope")
        expect.that(not r[y].requires_grad and not r[y].has_grad_fn, "the envelope should be returned detached.")
        err = float(np.max(np.abs(got.astype(np.float64) - true)))
        expect.that(err <= 0.02, f"the fitted envelope is {err:.3g} from the truth at worst (bar 0.02). "
                                 f"Hint: {FIT_HINT}")
    return check


@CASES.case("test_fit_amplitude_envelope", 1, "float64 targets give float64 envelopes, also within 0.02",
            timeout=90)
def fit_float64(p):
    true, omega, target = fit_problem(np.float64, seed=22)
    y = p.call("fit_amplitude_envelope", target, omega, 10, 200, 0.01, 3)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 10), dtype="float64", what="the fitted envelope")
        expect.that(not r[y].requires_grad and not r[y].has_grad_fn, "the envelope should be returned detached.")
        err = float(np.max(np.abs(got - true)))
        expect.that(err <= 0.02, f"the float64 fit is {err:.3g} from the truth at worst (bar 0.02). "
                                 "Hint: draw the start and optimise in the target's dtype.")
    return check


@CASES.case("test_fit_amplitude_envelope", 1, "a batch of three voices, each with its own envelope (6 frames)",
            timeout=90)
def fit_batch(p):
    true, omega, target = fit_problem(np.float32, seed=23, batch=3, n_frames=6, n_samples=3000)
    y = p.call("fit_amplitude_envelope", target, omega, 6, 200, 0.01, 1)

    def check(r):
        got = expect.tensor(r[y], shape=(3, 6), dtype="float32", what="the fitted envelopes")
        err = float(np.max(np.abs(got.astype(np.float64) - true)))
        expect.that(err <= 0.02, f"some voice's envelope is {err:.3g} from the truth (bar 0.02). "
                                 "Hint: the start has shape (batch, n_frames): one envelope per batch item.")
    return check


@CASES.case("test_fit_amplitude_envelope", 1, "the start is drawn from the seed (deterministic, seed-dependent)",
            timeout=60)
def fit_seeded(p):
    true, omega, target = fit_problem(np.float32, seed=24)
    a = p.call("fit_amplitude_envelope", target, omega, 10, 3, 0.01, 5)
    b = p.call("fit_amplitude_envelope", target, omega, 10, 3, 0.01, 5)
    c = p.call("fit_amplitude_envelope", target, omega, 10, 3, 0.01, 6)

    def check(r):
        x, y, z = (expect.tensor(r[k], shape=(2, 10), dtype="float32", what="the fitted envelope") for k in (a, b, c))
        expect.that(np.array_equal(x, y), "two fits with the same seed differ. Hint: draw the start with "
                                          "torch.Generator().manual_seed(seed), not the global generator.")
        expect.that(not np.array_equal(x, z), "fits with different seeds are identical: draw the start from the seed.")
    return check


# ------------------------------------------------------------------ angular_cumsum
CUMSUM_HINT = "inclusive running sum (torch.cumsum semantics) along the last dimension, wrapped into [-pi, pi]."


@CASES.case("test_angular_cumsum", 1, "a small inclusive sum: shape, dtype, values", visible=True)
def cumsum_visible(p):
    y = p.call("angular_cumsum", np.array([0.1, 0.2, 0.3], np.float32))

    def check(r):
        expect.close(expect.tensor(r[y], shape=(3,), dtype="float32", what="angular_cumsum"), [0.1, 0.3, 0.6],
                     atol=1e-6, what="a small inclusive sum", hint=CUMSUM_HINT)
    return check


@CASES.case("test_angular_cumsum", 2, "2,000,000-sample chirp: circular error <= 2e-2 rad", timeout=60)
def cumsum_chirp(p):
    omega = (2 * np.pi * np.linspace(100, 4000, 2_000_000) / SR).astype(np.float32)
    y = p.call("angular_cumsum", omega)
    phase = np.cumsum(omega.astype(np.float64))

    def check(r):
        got = expect.tensor(r[y], shape=omega.shape, dtype="float32", what="the chirp's phase")
        err = max_circular_error(got, phase)
        expect.that(err <= 2e-2, f"the phase is off by up to {err:.3g} rad on the circle (bar 2e-2). Hint: float32 "
                                 "cannot hold a phase near 1e6 rad precisely: sum chunks in float32 and keep the "
                                 "chunk offsets in float64, wrapped, before adding them.")
    return check


@CASES.case("test_angular_cumsum", 1, "wrapped into [-pi, pi] (chunk_size=700)")
def cumsum_wrapped(p):
    omega = np.full((2, 5000), 2.0, np.float32)
    omega[1] = 3.0
    y = p.call("angular_cumsum", omega, chunk_size=700)
    reference = np.cumsum(omega.astype(np.float64), axis=-1)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 5000), dtype="float32")
        expect.that(np.all(np.abs(got) <= np.pi + 1e-5), "some phases lie outside [-pi, pi]: wrap them "
                                                         "(torch.remainder(phase + pi, 2*pi) - pi).")
        err = max_circular_error(got, reference)
        expect.that(err <= 1e-3, f"the wrapped phase is off by up to {err:.3g} rad. Hint: " + CUMSUM_HINT)
    return check


@CASES.case("test_angular_cumsum", 1, "float64 in, float64 out, leading dimensions (3, 2, 2345)")
def cumsum_float64(p):
    omega = np.random.default_rng(31).uniform(0, np.pi, (3, 2, 2345))
    y = p.call("angular_cumsum", omega, 1000)
    reference = np.cumsum(omega, axis=-1)

    def check(r):
        got = expect.tensor(r[y], shape=omega.shape, dtype="float64")
        expect.that(np.all(np.abs(got) <= np.pi + 1e-12), "some phases lie outside [-pi, pi]: wrap them.")
        err = max_circular_error(got, reference)
        expect.that(err <= 1e-9, f"float64 phases are off by up to {err:.3g} rad. Hint: keep float64 throughout "
                                 "and sum along the last dimension only.")
    return check


@CASES.case("test_angular_cumsum", 1, "any length and chunk_size (lengths not a multiple, chunks longer than it)")
def cumsum_chunk_sizes(p):
    omega = np.random.default_rng(32).uniform(0, 1.5, (2, 1234)).astype(np.float32)
    y = p.call("angular_cumsum", omega, chunk_size=100)
    z = p.call("angular_cumsum", omega, 5000)
    w = p.call("angular_cumsum", omega[:, :1], chunk_size=7)
    reference = np.cumsum(omega.astype(np.float64), axis=-1)

    def check(r):
        for ref, what, ref_values in ((y, "chunk_size=100", reference), (z, "chunk_size=5000", reference),
                                      (w, "one sample", reference[:, :1])):
            got = expect.tensor(r[ref], shape=ref_values.shape, dtype="float32", what=f"the result ({what})")
            err = max_circular_error(got, ref_values)
            expect.that(err <= 1e-3, f"with {what} the phase is off by up to {err:.3g} rad. Hint: pad the last "
                                     "chunk (or handle it separately); " + CUMSUM_HINT)
    return check
