"""Grader-only cases for ps03_oscillator. Oracles: numpy float64 and closed forms."""
import math

import numpy as np

from ddsp_course.grade import expect
from ddsp_course.grade.cases import Cases

CASES = Cases()
SR = 16000


def interp_oracle(frames: np.ndarray, n_samples: int) -> np.ndarray:
    """F.interpolate(linear, align_corners=False) in float64: sample i reads frame (i+0.5)*F/N - 0.5, clamped."""
    n_frames = frames.shape[-1]
    pos = np.clip((np.arange(n_samples) + 0.5) * n_frames / n_samples - 0.5, 0, n_frames - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n_frames - 1)
    w = pos - lo
    return frames[..., lo] * (1 - w) + frames[..., hi] * w


def sinusoid_oracle(amp, omega, n, phi0=None):
    a = interp_oracle(amp.astype(np.float64), n)
    w = interp_oracle(omega.astype(np.float64), n)
    phase = np.concatenate([np.zeros(w.shape[:-1] + (1,)), np.cumsum(w, axis=-1)[..., :-1]], axis=-1)
    if phi0 is not None:
        phase = phase + phi0.astype(np.float64)[..., None]
    return a * np.sin(phase)


def float32_atol(omega, n, amp):
    """The spec's oscillator tolerance: 2.4e-7 * (max angular frequency * n samples) * max amplitude."""
    return 2.4e-7 * float(np.max(np.abs(omega))) * n * float(np.max(np.abs(amp))) + 1e-6


def controls(batch, n_frames, seed, dtype):
    rng = np.random.default_rng(seed)
    amp = rng.uniform(0.2, 1.0, (batch, n_frames)).astype(dtype)
    omega = (2 * np.pi * rng.uniform(100, 3000, (batch, n_frames)) / SR).astype(dtype)
    return amp, omega


# ---------------------------------------------------------------- hz_to_angular
@CASES.case("test_hz_to_angular", 1, "440 Hz as a Python float", visible=True)
def hz_visible(p):
    y = p.call("hz_to_angular", 440.0)

    def check(r):
        expect.scalar_close(expect.number(r[y]), 2 * math.pi * 440 / SR, atol=1e-12, what="hz_to_angular(440.0)",
                            hint="radians per sample: 2*pi*f/sample_rate.")
    return check


@CASES.case("test_hz_to_angular", 1, "other sample rates")
def hz_sample_rate(p):
    y = p.call("hz_to_angular", 1000.0, 44100)
    z = p.call("hz_to_angular", 250.0, sample_rate=8000)

    def check(r):
        expect.scalar_close(expect.number(r[y]), 2 * math.pi * 1000 / 44100, atol=1e-12, what="at 44.1 kHz",
                            hint="use the sample_rate argument.")
        expect.scalar_close(expect.number(r[z]), 2 * math.pi * 250 / 8000, atol=1e-12, what="at 8 kHz")
    return check


@CASES.case("test_hz_to_angular", 1, "tensors keep their dtype (float32 and float64)")
def hz_tensors(p):
    f32 = np.array([[20.0, 440.0, 7999.0]], np.float32)
    f64 = np.linspace(0, 8000, 9)
    y32 = p.call("hz_to_angular", f32)
    y64 = p.call("hz_to_angular", f64)

    def check(r):
        expect.close(expect.tensor(r[y32], shape=(1, 3), dtype="float32"), 2 * np.pi * f32 / SR, atol=1e-6)
        expect.close(expect.tensor(r[y64], shape=(9,), dtype="float64"), 2 * np.pi * f64 / SR, atol=1e-14,
                     hint="no float32 constants in a float64 computation.")
    return check


# ---------------------------------------------------------------- upsample
@CASES.case("test_upsample", 1, "shape and dtype of (2, 10) -> (2, 100)", visible=True)
def upsample_visible(p):
    y = p.call("upsample", np.linspace(0, 1, 20, dtype=np.float32).reshape(2, 10), 100)

    def check(r):
        expect.tensor(r[y], shape=(2, 100), dtype="float32")
    return check


@CASES.case("test_upsample", 1, "values against linear interpolation (align_corners=False)")
def upsample_values(p):
    frames = np.random.default_rng(1).normal(size=(3, 7))
    y = p.call("upsample", frames, 45)
    z = p.call("upsample", frames.astype(np.float32), 64)

    def check(r):
        hint = "sample i sits at frame position (i + 0.5) * n_frames / n_samples - 0.5, clamped at the ends."
        expect.close(expect.tensor(r[y], shape=(3, 45), dtype="float64"), interp_oracle(frames, 45), atol=1e-12,
                     what="float64 values", hint=hint)
        expect.close(expect.tensor(r[z], shape=(3, 64), dtype="float32"), interp_oracle(frames, 64), atol=1e-5,
                     what="float32 values", hint=hint)
    return check


@CASES.case("test_upsample", 1, "any number of leading dimensions")
def upsample_leading(p):
    frames = np.random.default_rng(2).normal(size=(2, 3, 5)).astype(np.float32)
    vector = np.array([0.0, 1.0, -1.0], np.float32)
    y = p.call("upsample", frames, 50)
    z = p.call("upsample", vector, 12)

    def check(r):
        expect.close(expect.tensor(r[y], shape=(2, 3, 50), dtype="float32"), interp_oracle(frames, 50), atol=1e-5,
                     hint="flatten the leading dimensions, interpolate, restore them.")
        expect.close(expect.tensor(r[z], shape=(12,), dtype="float32"), interp_oracle(vector, 12), atol=1e-6,
                     what="a 1-D envelope")
    return check


@CASES.case("test_upsample", 1, "one frame gives a constant")
def upsample_one_frame(p):
    y = p.call("upsample", np.array([[0.3], [-2.0]]), 33)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 33), dtype="float64")
        expect.close(got, np.repeat([[0.3], [-2.0]], 33, axis=1), atol=1e-12)
    return check


@CASES.case("test_upsample", 1, "gradients flow back to the frames")
def upsample_gradient(p):
    frames = np.random.default_rng(3).normal(size=(2, 6))
    cot = np.random.default_rng(4).normal(size=(2, 40))
    x = p.tensor(frames, requires_grad=True)
    y = p.call("upsample", x, 40)
    g = p.grad(y, [x], cotangent=cot)

    def check(r):
        # the interpolation is linear: its VJP is the transpose of its matrix
        matrix = np.stack([interp_oracle(e, 40) for e in np.eye(6)], axis=0)  # (6, 40)
        grads = expect.sequence(r[g], 1, what="the gradient")
        expect.close(expect.tensor(grads[0], shape=(2, 6), dtype="float64"), cot @ matrix.T, atol=1e-10,
                     what="d(upsample)/d(frames)", hint="use differentiable torch ops only.")
    return check


# ---------------------------------------------------------------- sinusoid
@CASES.case("test_sinusoid", 1, "shape, dtype and a first sample of amplitude*sin(0)", visible=True)
def sinusoid_visible(p):
    y = p.call("sinusoid", np.ones((1, 4), np.float32), np.full((1, 4), 0.1, np.float32), 100)

    def check(r):
        got = expect.tensor(r[y], shape=(1, 100), dtype="float32")
        expect.close(got, np.sin(0.1 * np.arange(100))[None], atol=1e-5,
                     hint="phase[n] = sum of omega[m] for m < n (exclusive): the first sample is sin(0).")
    return check


@CASES.case("test_sinusoid", 2, "float64 values against a float64 oracle (time-varying controls)")
def sinusoid_float64(p):
    amp, omega = controls(2, 12, 5, np.float64)
    y = p.call("sinusoid", amp, omega, 4000)

    def check(r):
        expect.close(expect.tensor(r[y], shape=(2, 4000), dtype="float64"), sinusoid_oracle(amp, omega, 4000),
                     atol=1e-8, hint="upsample amplitude and frequency per sample, then accumulate the phase "
                                      "exclusively (the first sample uses phase 0).")
    return check


@CASES.case("test_sinusoid", 1, "float32 values within the oscillator tolerance")
def sinusoid_float32(p):
    amp, omega = controls(3, 20, 6, np.float32)
    y = p.call("sinusoid", amp, omega, 16000)

    def check(r):
        expect.close(expect.tensor(r[y], shape=(3, 16000), dtype="float32"), sinusoid_oracle(amp, omega, 16000),
                     atol=float32_atol(omega, 16000, amp), hint="keep float32 in, float32 out; exclusive phase.")
    return check


@CASES.case("test_sinusoid", 1, "initial_phase per batch item")
def sinusoid_initial_phase(p):
    amp, omega = controls(3, 5, 7, np.float64)
    phi0 = np.array([0.0, 1.0, -2.5])
    y = p.call("sinusoid", amp, omega, 800, phi0)

    def check(r):
        expect.close(expect.tensor(r[y], shape=(3, 800), dtype="float64"), sinusoid_oracle(amp, omega, 800, phi0),
                     atol=1e-8, hint="add initial_phase[b] to every phase of batch item b.")
    return check


@CASES.case("test_sinusoid", 1, "differentiable in amplitude and frequency")
def sinusoid_gradients(p):
    amp, omega = controls(2, 6, 8, np.float64)
    cot = np.random.default_rng(9).normal(size=(2, 300))
    a = p.tensor(amp, requires_grad=True)
    w = p.tensor(omega, requires_grad=True)
    y = p.call("sinusoid", a, w, 300)
    g = p.grad(y, [a, w], cotangent=cot)

    def check(r):
        out = r[y]
        expect.that(out.requires_grad, "the output does not require grad: the graph was cut.")
        grads = expect.sequence(r[g], 2, what="the gradients")
        eps = 1e-6
        for k, (base, name) in enumerate(((amp, "amplitude"), (omega, "frequency"))):
            numeric = np.zeros_like(base)
            for idx in np.ndindex(base.shape):
                up, down = base.copy(), base.copy()
                up[idx] += eps
                down[idx] -= eps
                args_up = (up, omega) if k == 0 else (amp, up)
                args_down = (down, omega) if k == 0 else (amp, down)
                numeric[idx] = np.sum(cot * (sinusoid_oracle(*args_up, 300) - sinusoid_oracle(*args_down, 300))) / (2 * eps)
            got = expect.tensor(grads[k], shape=base.shape, dtype="float64", what=f"the gradient in {name}")
            expect.close(got, numeric, atol=1e-5 * (1 + np.max(np.abs(numeric))), what=f"d/d{name}",
                         hint="build the phase with differentiable ops (cumsum, sin), no numpy round trips.")
    return check


# ---------------------------------------------------------------- fit_amplitude_envelope
def fit_target(dtype, seed=0):
    rng = np.random.default_rng(seed)
    true = rng.uniform(0.2, 1.0, (2, 10))
    omega = np.full((2, 10), 2 * np.pi * 440 / SR)
    omega[1] = 2 * np.pi * 660 / SR
    return true, omega.astype(dtype), sinusoid_oracle(true, omega, 4000).astype(dtype)


@CASES.case("test_fit_amplitude_envelope", 1, "shape, dtype and detached result", visible=True, timeout=60)
def fit_visible(p):
    true, omega, target = fit_target(np.float32)
    y = p.call("fit_amplitude_envelope", target, omega, 10, 5, 0.01, 0)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(2, 10), dtype="float32")
        expect.that(not out.requires_grad and not out.has_grad_fn,
                    "the envelope should be returned detached (.detach()).")
    return check


@CASES.case("test_fit_amplitude_envelope", 2, "recovers a known envelope (200 Adam steps, lr 0.01)", timeout=90)
def fit_recovers(p):
    true, omega, target = fit_target(np.float32, seed=11)
    y = p.call("fit_amplitude_envelope", target, omega, 10, 200, 0.01, 0)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 10), dtype="float32")
        err = float(np.max(np.abs(got - true)))
        expect.that(err <= 0.02, f"the fitted envelope is {err:.3f} from the truth at worst (bar 0.02). Hint: Adam "
                                 "on waveform L1 through your sinusoid, with the lr and steps given.")
    return check


@CASES.case("test_fit_amplitude_envelope", 1, "float64 targets give float64 envelopes", timeout=90)
def fit_float64(p):
    true, omega, target = fit_target(np.float64, seed=12)
    y = p.call("fit_amplitude_envelope", target, omega, 10, 200, 0.01, 3)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 10), dtype="float64")
        err = float(np.max(np.abs(got - true)))
        expect.that(err <= 0.02, f"the float64 fit is {err:.3f} from the truth at worst (bar 0.02).")
    return check


@CASES.case("test_fit_amplitude_envelope", 1, "the start is drawn from the seed (deterministic)", timeout=60)
def fit_seeded(p):
    true, omega, target = fit_target(np.float32, seed=13)
    a = p.call("fit_amplitude_envelope", target, omega, 10, 3, 0.01, 5)
    b = p.call("fit_amplitude_envelope", target, omega, 10, 3, 0.01, 5)
    c = p.call("fit_amplitude_envelope", target, omega, 10, 3, 0.01, 6)

    def check(r):
        x, y, z = (expect.tensor(r[k], shape=(2, 10), dtype="float32") for k in (a, b, c))
        expect.that(np.array_equal(x, y), "two fits with the same seed differ. Hint: draw the start with "
                                          "torch.Generator().manual_seed(seed).")
        expect.that(not np.array_equal(x, z), "fits with different seeds are identical: use the seed.")
    return check


# ---------------------------------------------------------------- angular_cumsum
def circular_error(out, reference):
    return np.abs(np.remainder(out.astype(np.float64) - reference + np.pi, 2 * np.pi) - np.pi)


@CASES.case("test_angular_cumsum", 1, "a small inclusive sum", visible=True)
def cumsum_visible(p):
    y = p.call("angular_cumsum", np.array([0.1, 0.2, 0.3], np.float32))

    def check(r):
        expect.close(expect.tensor(r[y], shape=(3,), dtype="float32"), [0.1, 0.3, 0.6], atol=1e-6,
                     hint="inclusive: phase[n] = sum of omega[m] for m <= n (torch.cumsum semantics).")
    return check


@CASES.case("test_angular_cumsum", 2, "2,000,000-sample chirp: circular error <= 2e-2", timeout=60)
def cumsum_chirp(p):
    omega = (2 * np.pi * np.linspace(100, 4000, 2_000_000) / SR).astype(np.float32)
    y = p.call("angular_cumsum", omega)

    def check(r):
        got = expect.tensor(r[y], shape=omega.shape, dtype="float32")
        err = float(np.max(circular_error(got, np.cumsum(omega.astype(np.float64)))))
        expect.that(err <= 2e-2, f"the phase drifts by up to {err:.3g} rad (bar 2e-2). Hint: float32 cannot hold "
                                 "a phase of 1e6 rad precisely: sum chunks in float32, keep the offsets in float64.")
    return check


@CASES.case("test_angular_cumsum", 1, "wrapped into [-pi, pi]")
def cumsum_wrapped(p):
    omega = np.full((2, 5000), 2.0, np.float32)
    y = p.call("angular_cumsum", omega, chunk_size=700)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 5000), dtype="float32")
        expect.that(np.all(np.abs(got) <= np.pi + 1e-5), "some phases lie outside [-pi, pi]: wrap them.")
        err = float(np.max(circular_error(got, np.cumsum(omega.astype(np.float64), axis=-1))))
        expect.that(err <= 1e-3, f"the wrapped phase is off by up to {err:.3g} rad. Hint: inclusive sum, "
                                 "chunk offsets carried correctly for any chunk_size.")
    return check


@CASES.case("test_angular_cumsum", 1, "float64 in, float64 out, batched")
def cumsum_float64(p):
    omega = np.random.default_rng(14).uniform(0, np.pi, (3, 2, 2345))
    y = p.call("angular_cumsum", omega, 1000)

    def check(r):
        got = expect.tensor(r[y], shape=omega.shape, dtype="float64")
        err = float(np.max(circular_error(got, np.cumsum(omega, axis=-1))))
        expect.that(err <= 1e-9, f"float64 phases are off by up to {err:.3g} rad: keep float64 throughout "
                                 "and sum along the last dimension only.")
    return check
