"""Grader-only cases for ps11_waveguide (never copied to release/).

Oracles are float64 numpy written from the spec's rules, never from the solution's torch code:
the Karplus-Strong recursion and the fractional-delay string run sample by sample in plain loops,
linear interpolation is ``np.interp`` on the delayed time axis (with a zero before the start), the
pitch of the loop is the analytic ``sample_rate / (D + 0.5)``, and the response of linear
interpolation to a cosine is ``(1 - f) + f e^{-j w}``. Karplus-Strong is linear in its excitation
and fractional delay is linear in x, so vector-Jacobian products come exactly from the oracles
(explicit sums, or the oracle applied to unit vectors); the derivative in the loss comes from the
recursion differentiated by hand (forward mode), the derivative in the delay from
``d y[n] / d delay = x[n - d - 1] - x[n - d]``.

Fits are graded on outcome (spec): noiseless 0.5 s fractional-delay strings at 16 kHz, float32 and
float64 targets, f0 150-400 Hz, loss 0.99-0.998, delays near k + 0.5 below 90 samples included,
init_loss 0.98, n_iter 300, lr 0.05, starts 2 % to 5 % off in pitch either side: the pitch
``sample_rate / (delay + 0.5)`` within 0.5 % and the decay rate ``-ln(loss) sample_rate / (delay + 0.5)``
within 5 %.
"""
import math

import numpy as np

from ddsp_course.grade.cases import expect
from ddsp_course.grade.cases import Cases
from oracles import rng

CASES = Cases()

SR = 16000


# ------------------------------------------------------------------ inputs
def excitation(seed, n, dtype=np.float32):
    """Zero-mean uniform white noise in [-1, 1]."""
    x = rng(seed).uniform(-1.0, 1.0, n)
    return (x - x.mean()).astype(dtype)


# ------------------------------------------------------------------ oracles (float64 numpy)
def ks_oracle(x, D, loss, n_samples):
    """y[:D] = x, then y[n] = loss (y[n-D] + y[n-D-1]) / 2 with y[-1] = 0, sample by sample."""
    x = np.asarray(x, np.float64)
    y = np.zeros(n_samples)
    m = min(D, n_samples)
    y[:m] = x[:m]
    for i in range(D, n_samples):
        y[i] = loss * (y[i - D] + (y[i - D - 1] if i - D - 1 >= 0 else 0.0)) / 2
    return y


def ks_dloss_oracle(x, D, loss, n_samples):
    """d y / d loss, the recursion differentiated by hand:
    dy[n] = (y[n-D] + y[n-D-1]) / 2 + loss (dy[n-D] + dy[n-D-1]) / 2, dy = 0 on the excitation."""
    y = ks_oracle(x, D, loss, n_samples)
    dy = np.zeros(n_samples)
    for i in range(D, n_samples):
        y1 = y[i - D - 1] if i - D - 1 >= 0 else 0.0
        dy1 = dy[i - D - 1] if i - D - 1 >= 0 else 0.0
        dy[i] = (y[i - D] + y1) / 2 + loss * (dy[i - D] + dy1) / 2
    return dy


def ks_vjp_oracle(x, D, loss, n_samples, cot):
    """(d/dx, d/dloss) of sum(cot * y): y is linear in x, so column k of the Jacobian is the oracle of e_k."""
    cot = np.asarray(cot, np.float64)
    gx = np.array([cot @ ks_oracle(np.eye(D)[k], D, loss, n_samples) for k in range(D)])
    return gx, float(cot @ ks_dloss_oracle(x, D, loss, n_samples))


def fd_oracle(x, delay):
    """Linear interpolation of x at times n - delay, with a zero at time -1 and before: np.interp."""
    x = np.asarray(x, np.float64)
    n = x.shape[-1]
    grid = np.arange(-1, n, dtype=np.float64)
    rows = x.reshape(-1, n)
    out = np.stack([np.interp(np.arange(n) - delay, grid, np.concatenate([[0.0], row]), left=0.0, right=0.0)
                    for row in rows])
    return out.reshape(x.shape)


def shift(x, k):
    """x[n - k] along the last axis, zeros before the start."""
    x = np.asarray(x, np.float64)
    out = np.zeros_like(x)
    if k < x.shape[-1]:
        out[..., k:] = x[..., :x.shape[-1] - k]
    return out


def fd_vjp_oracle(x, delay, cot):
    """(d/dx, d/ddelay) of sum(cot * y) for y[n] = (1 - f) x[n - d] + f x[n - d - 1]:
    dx[k] = (1 - f) cot[k + d] + f cot[k + d + 1]; ddelay = sum cot (x[n-d-1] - x[n-d])."""
    d = math.floor(delay)
    f = delay - d
    cot = np.asarray(cot, np.float64)
    n = cot.shape[-1]

    def advance(c, k):  # c[n + k], zeros past the end
        out = np.zeros_like(c)
        if k < n:
            out[..., :n - k] = c[..., k:]
        return out

    gx = (1 - f) * advance(cot, d) + f * advance(cot, d + 1)
    gdelay = float(np.sum(cot * (shift(x, d + 1) - shift(x, d))))
    return gx, gdelay


def string_oracle(x, delay, loss, n_samples):
    """The fractional-delay string: y = x + loss * fractional_delay(avg(y), delay),
    avg(y)[n] = (y[n] + y[n-1]) / 2, sample by sample (zero before the start)."""
    d = math.floor(delay)
    f = delay - d
    x = np.concatenate([np.asarray(x, np.float64), np.zeros(n_samples)])[:n_samples]
    y = np.zeros(n_samples)
    avg = np.zeros(n_samples)
    for i in range(n_samples):
        acc = x[i]
        if i - d >= 0:
            acc += loss * (1 - f) * avg[i - d]
        if i - d - 1 >= 0:
            acc += loss * f * avg[i - d - 1]
        y[i] = acc
        avg[i] = (acc + (y[i - 1] if i > 0 else 0.0)) / 2
    return y


def peak_hz(y, sample_rate, expected_hz):
    """The spectral peak near expected_hz (within 8 %), mean removed, zero-padded FFT, parabolic refinement."""
    y = np.asarray(y, np.float64)
    y = y - y.mean()
    n_fft = 1 << 19
    spectrum = np.abs(np.fft.rfft(y * np.hanning(y.size), n_fft))
    freqs = np.arange(spectrum.size) * sample_rate / n_fft
    band = np.flatnonzero((freqs > 0.92 * expected_hz) & (freqs < 1.08 * expected_hz))
    k = band[np.argmax(spectrum[band])]
    a, b, c = np.log(spectrum[k - 1:k + 2] + 1e-300)
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * sample_rate / n_fft


# ================================================================== karplus_strong
KS_RECURSION = ("the excitation fills y[0:D], then y[n] = loss * (y[n-D] + y[n-D-1]) / 2 with y[-1] = 0 "
                "(the sample before the excitation is zero, nothing wraps around).")


@CASES.case("test_karplus_strong", points=1,
            name="an impulse through a loop of 4 samples: shape, dtype, values; grad with a tensor loss",
            visible=True)
def ks_visible(p):
    y = p.call("karplus_strong", np.array([1.0, 0.0, 0.0, 0.0], np.float32), 4, 1.0, 12)
    loss = p.tensor(np.array(0.9, np.float32), requires_grad=True)
    y_grad = p.call("karplus_strong", np.array([1.0, 0.0, 0.0, 0.0], np.float32), 4, loss, 12)

    def check(r):
        got = expect.tensor(r[y], shape=(12,), dtype="float32", what="the output")
        expect.close(got, [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.25, 0.5, 0.25, 0], atol=1e-6, what="the output values",
                     hint=KS_RECURSION)
        out = r[y_grad]
        expect.tensor(out, shape=(12,), what="the output with a tensor loss")
        expect.that(out.requires_grad, "the output does not require grad when the loss does. Hint: keep loss a "
                                       "tensor (no float(loss), no .item()).")
    return check


@CASES.case("test_karplus_strong", points=1, name="float32 values against a float64 sample loop (D = 37, "
                                                 "n_samples not a multiple of D)")
def ks_values_float32(p):
    x = excitation(1, 37)
    y = p.call("karplus_strong", x, 37, 0.996, 3001)

    def check(r):
        got = expect.tensor(r[y], shape=(3001,), dtype="float32", what="the output")
        ref = ks_oracle(x, 37, 0.996, 3001)
        expect.close(got, ref, atol=1e-5, what="the output values",
                     hint=KS_RECURSION + " Each block of D samples needs the previous block and the one sample "
                                         "before it.")
    return check


@CASES.case("test_karplus_strong", points=1, name="float64 in, float64 out (values to 1e-10)")
def ks_values_float64(p):
    x = excitation(2, 50, np.float64)
    y = p.call("karplus_strong", x, 50, 0.99, 2000)

    def check(r):
        got = expect.tensor(r[y], shape=(2000,), dtype="float64", what="the output for a float64 excitation")
        expect.close(got, ks_oracle(x, 50, 0.99, 2000), atol=1e-10, what="the float64 output values",
                     hint=KS_RECURSION + " Keep the excitation's dtype throughout (no float32 constants "
                                         "or buffers).")
    return check


@CASES.case("test_karplus_strong", points=1, name="loss given as a 0-dim tensor (float32)")
def ks_tensor_loss(p):
    x = excitation(3, 23)
    y = p.call("karplus_strong", x, 23, np.array(0.97, np.float32), 500)

    def check(r):
        got = expect.tensor(r[y], shape=(500,), dtype="float32", what="the output with a tensor loss")
        expect.close(got, ks_oracle(x, 23, float(np.float32(0.97)), 500), atol=1e-5,
                     what="the output values with a tensor loss", hint=KS_RECURSION)
    return check


@CASES.case("test_karplus_strong", points=1, name="short loops (D = 1 and D = 2) against the sample loop")
def ks_short_loops(p):
    x1 = np.array([0.8], np.float64)
    x2 = np.array([1.0, -0.5], np.float64)
    y1 = p.call("karplus_strong", x1, 1, 0.9, 40)
    y2 = p.call("karplus_strong", x2, 2, 0.95, 41)

    def check(r):
        for ref_y, x, D, loss, n in ((y1, x1, 1, 0.9, 40), (y2, x2, 2, 0.95, 41)):
            got = expect.tensor(r[ref_y], shape=(n,), dtype="float64", what=f"the output for D = {D}")
            expect.close(got, ks_oracle(x, D, loss, n), atol=1e-12, what=f"the output values for D = {D}",
                         hint=KS_RECURSION)
    return check


@CASES.case("test_karplus_strong", points=1, name="n_samples <= D gives the first n_samples of the excitation")
def ks_short_output(p):
    x = excitation(4, 30)
    a = p.call("karplus_strong", x, 30, 0.99, 10)
    b = p.call("karplus_strong", x, 30, 0.99, 30)

    def check(r):
        got = expect.tensor(r[a], shape=(10,), dtype="float32", what="the output for n_samples = 10 < D")
        expect.close(got, x[:10], atol=0.0, what="the output for n_samples < D",
                     hint="before the loop comes round, the output is the excitation itself.")
        got = expect.tensor(r[b], shape=(30,), dtype="float32", what="the output for n_samples = D")
        expect.close(got, x, atol=0.0, what="the output for n_samples = D",
                     hint="before the loop comes round, the output is the excitation itself.")
    return check


@CASES.case("test_karplus_strong", points=1, name="gradients in excitation and loss against a float64 oracle")
def ks_gradients(p):
    xv = excitation(5, 19, np.float64)
    cot = rng(6).standard_normal(400)
    x = p.tensor(xv, requires_grad=True)
    loss = p.tensor(np.array(0.97), requires_grad=True)
    y = p.call("karplus_strong", x, 19, loss, 400)
    g = p.grad(y, [x, loss], cotangent=cot)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(400,), dtype="float64", what="the output")
        expect.that(out.requires_grad, "the output does not require grad when the excitation and the loss do. "
                                       "Hint: torch operations only (no numpy, no float(loss), no .item()).")
        gx, gloss = expect.sequence(r[g], length=2, what="the gradients")
        ref_x, ref_loss = ks_vjp_oracle(xv, 19, 0.97, 400, cot)
        expect.that(gx is not None, "no gradient reaches the excitation.")
        expect.that(gloss is not None, "no gradient reaches the loss. Hint: keep loss a tensor (do not convert "
                                       "it with float() or .item()).")
        gx = expect.tensor(gx, shape=(19,), what="the gradient in the excitation")
        expect.close(gx, ref_x, atol=1e-9 * (1 + float(np.max(np.abs(ref_x)))),
                     what="the gradient in the excitation", hint=KS_RECURSION)
        gloss = expect.tensor(gloss, shape=(), what="the gradient in the loss")
        expect.close(gloss, ref_loss, atol=1e-9 * (1 + abs(ref_loss)), what="the gradient in the loss",
                     hint="the loss multiplies every pass round the loop: y depends on it through the whole "
                          "recursion.")
    return check


@CASES.case("test_karplus_strong", points=1, name="float32 gradients at loss = 1 are finite and correct")
def ks_gradients_lossless(p):
    xv = excitation(7, 10)
    cot = rng(8).standard_normal(300).astype(np.float32)
    x = p.tensor(xv, requires_grad=True)
    loss = p.tensor(np.array(1.0, np.float32), requires_grad=True)
    y = p.call("karplus_strong", x, 10, loss, 300)
    g = p.grad(y, [x, loss], cotangent=cot)

    def check(r):
        expect.tensor(r[y], shape=(300,), dtype="float32", what="the output")
        gx, gloss = expect.sequence(r[g], length=2, what="the gradients")
        expect.that(gx is not None and gloss is not None, "a gradient is missing (excitation or loss).")
        ref_x, ref_loss = ks_vjp_oracle(xv, 10, 1.0, 300, cot.astype(np.float64))
        gx = expect.tensor(gx, shape=(10,), dtype="float32", what="the gradient in the excitation")
        expect.close(gx, ref_x, atol=1e-4 * (1 + float(np.max(np.abs(ref_x)))),
                     what="the gradient in the excitation at loss = 1", hint=KS_RECURSION)
        gloss = expect.tensor(gloss, shape=(), dtype="float32", what="the gradient in the loss")
        expect.close(gloss, ref_loss, atol=1e-4 * (1 + abs(ref_loss)), what="the gradient in the loss at loss = 1",
                     hint="multiply by the loss itself; a log or a division by (1 - loss) is not finite at 1.")
    return check


@CASES.case("test_karplus_strong", points=1, name="the pitch is sample_rate / (D + 0.5) (spectral peak, D = 40)")
def ks_pitch(p):
    x = excitation(9, 40)
    y = p.call("karplus_strong", x, 40, 0.999, 16000)

    def check(r):
        got = expect.tensor(r[y], shape=(16000,), dtype="float32", what="the output")
        expected = SR / 40.5
        found = peak_hz(got, SR, expected)
        expect.that(abs(found / expected - 1) < 2e-3,
                    f"the fundamental of a D = 40 loop is {100 * abs(found / expected - 1):.2f} % away from "
                    "sample_rate / (D + 0.5). Hint: the delay line is D samples and the two-point average adds "
                    "half a sample; average y[n-D] and y[n-D-1].")
    return check


# ================================================================== fractional_delay
FD_RULE = ("y[n] = (1 - f) x[n - d] + f x[n - d - 1] with d = floor(delay), f = delay - d, and zeros before the "
           "start (no wrap-around).")


@CASES.case("test_fractional_delay", points=1, name="a ramp delayed by 1.5 and by 2 samples: shape, dtype, values",
            visible=True)
def fd_visible(p):
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0], np.float32)
    a = p.call("fractional_delay", x, 1.5)
    b = p.call("fractional_delay", x, 2.0)

    def check(r):
        got = expect.tensor(r[a], shape=(5,), dtype="float32", what="the ramp delayed by 1.5")
        expect.close(got, [0.0, 0.5, 1.5, 2.5, 3.5], atol=1e-6, what="the ramp delayed by 1.5", hint=FD_RULE)
        got = expect.tensor(r[b], shape=(5,), dtype="float32", what="the ramp delayed by 2")
        expect.close(got, [0.0, 0.0, 1.0, 2.0, 3.0], atol=1e-6, what="the ramp delayed by 2", hint=FD_RULE)
    return check


@CASES.case("test_fractional_delay", points=1, name="batched float64 values against np.interp, several delays")
def fd_values_float64(p):
    x = rng(10).standard_normal((2, 3, 200))
    delays = (0.3, 7.25, 12.5, 150.9, 199.4)
    refs = [p.call("fractional_delay", x, d) for d in delays]

    def check(r):
        for ref, d in zip(refs, delays):
            got = expect.tensor(r[ref], shape=(2, 3, 200), dtype="float64", what=f"the output for delay {d}")
            expect.close(got, fd_oracle(x, d), atol=1e-12, what=f"the values for delay {d}",
                         hint=FD_RULE + " Shift along the last dimension only.")
    return check


@CASES.case("test_fractional_delay", points=1, name="float32 signal with a 0-dim float32 tensor delay")
def fd_values_float32(p):
    x = rng(11).standard_normal((4, 300)).astype(np.float32)
    y = p.call("fractional_delay", x, np.array(17.625, np.float32))

    def check(r):
        got = expect.tensor(r[y], shape=(4, 300), dtype="float32", what="the output")
        expect.close(got, fd_oracle(x, 17.625), atol=1e-5, what="the values for a tensor delay", hint=FD_RULE)
    return check


@CASES.case("test_fractional_delay", points=1, name="whole-sample delays are exact shifts; delay 0 is the identity")
def fd_integer(p):
    x = rng(12).standard_normal(64).astype(np.float32)
    zero = p.call("fractional_delay", x, 0.0)
    five = p.call("fractional_delay", x, 5.0)
    five_t = p.call("fractional_delay", x, np.array(5.0, np.float32))

    def check(r):
        got = expect.tensor(r[zero], shape=(64,), dtype="float32", what="the output for delay 0")
        expect.close(got, x, atol=0.0, what="the output for delay 0", hint="delay 0 returns x unchanged.")
        for ref, what in ((five, "a float"), (five_t, "a tensor")):
            got = expect.tensor(r[ref], shape=(64,), dtype="float32", what=f"the output for delay 5 ({what})")
            expect.close(got, shift(x, 5), atol=0.0, what=f"the output for delay 5 given as {what}",
                         hint="at a whole-sample delay f = 0: an exact shift, zeros first.")
    return check


@CASES.case("test_fractional_delay", points=1, name="delays at or beyond the length give zeros; just below, one tap")
def fd_long_delays(p):
    x = rng(13).standard_normal(50)
    refs = {d: p.call("fractional_delay", x, d) for d in (49.25, 50.0, 53.7)}

    def check(r):
        for d, ref in refs.items():
            got = expect.tensor(r[ref], shape=(50,), dtype="float64", what=f"the output for delay {d}")
            expect.close(got, fd_oracle(x, d), atol=1e-12, what=f"the values for delay {d} (length 50)",
                         hint="zeros before the start and nothing wraps round: a delay >= N leaves only zeros.")
    return check


@CASES.case("test_fractional_delay", points=1, name="gradients in x and delay (float64, non-integer delay)")
def fd_gradients(p):
    xv = rng(14).standard_normal(80)
    cot = rng(15).standard_normal(80)
    x = p.tensor(xv, requires_grad=True)
    delay = p.tensor(np.array(3.3), requires_grad=True)
    y = p.call("fractional_delay", x, delay)
    g = p.grad(y, [x, delay], cotangent=cot)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(80,), dtype="float64", what="the output")
        expect.that(out.requires_grad, "the output does not require grad when x and the delay do.")
        gx, gd = expect.sequence(r[g], length=2, what="the gradients")
        ref_x, ref_d = fd_vjp_oracle(xv, 3.3, cot)
        expect.that(gx is not None, "no gradient reaches x.")
        expect.that(gd is not None, "no gradient reaches the delay. Hint: take the floor of a detached copy, but "
                                    "compute f = delay - d from the tensor itself.")
        gx = expect.tensor(gx, shape=(80,), what="the gradient in x")
        expect.close(gx, ref_x, atol=1e-10, what="the gradient in x", hint=FD_RULE)
        gd = expect.tensor(gd, shape=(), what="the gradient in the delay")
        expect.close(gd, ref_d, atol=1e-10 * (1 + abs(ref_d)), what="the gradient in the delay",
                     hint="d y[n] / d delay = x[n - d - 1] - x[n - d].")
    return check


@CASES.case("test_fractional_delay", points=1, name="float32 gradient in the delay alone, batched signal")
def fd_gradient_delay_only(p):
    xv = rng(16).standard_normal((2, 64)).astype(np.float32)
    cot = rng(17).standard_normal((2, 64)).astype(np.float32)
    delay = p.tensor(np.array(10.75, np.float32), requires_grad=True)
    y = p.call("fractional_delay", xv, delay)
    g = p.grad(y, [delay], cotangent=cot)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(2, 64), dtype="float32", what="the output")
        expect.that(out.requires_grad, "the output does not require grad when the delay does.")
        (gd,) = expect.sequence(r[g], length=1, what="the gradients")
        expect.that(gd is not None, "no gradient reaches the delay.")
        gd = expect.tensor(gd, shape=(), what="the gradient in the delay")
        ref = fd_vjp_oracle(xv, 10.75, cot)[1]
        expect.close(gd, ref, atol=1e-4 * (1 + abs(ref)), what="the gradient in the delay",
                     hint="d y[n] / d delay = x[n - d - 1] - x[n - d], summed over the batch by autograd.")
    return check


@CASES.case("test_fractional_delay", points=1,
            name="response to cosines: gain |(1 - f) + f e^{-jw}| and phase of the interpolator (analytic)")
def fd_cosine_response(p):
    n = np.arange(400)
    omegas = (0.3, 1.5, 2.8)
    x = np.stack([np.cos(w * n) for w in omegas])
    delay = 6.3
    y = p.call("fractional_delay", x, delay)

    def check(r):
        got = expect.tensor(r[y], shape=(3, 400), dtype="float64", what="the output")
        f = delay - 6
        for row, w in zip(got, omegas):
            h = (1 - f) + f * np.exp(-1j * w)
            ref = np.real(h * np.exp(1j * w * (n[7:] - 6)))          # steady state, from n = d + 1 on
            expect.close(row[7:], ref, atol=1e-9, what=f"the steady-state response to cos({w} n)",
                         hint="a delay of d whole samples followed by the two-tap filter (1 - f) + f z^-1.")
    return check


# ================================================================== fit_plucked_string
def string_target(f0_or_delay, loss, seed, dtype, by="f0"):
    """A noiseless 0.5 s fractional-delay string at 16 kHz and its true delay."""
    delay = SR / f0_or_delay - 0.5 if by == "f0" else float(f0_or_delay)
    x = excitation(seed, math.floor(delay), np.float64)
    return string_oracle(x, delay, loss, SR // 2).astype(dtype), delay


def check_fit(r, out, delay, loss, what):
    fitted = expect.sequence(r[out], length=2, what="the result (delay, loss)", types=(tuple, list))
    d = expect.number(fitted[0], what="the fitted delay")
    g = expect.number(fitted[1], what="the fitted loss")
    expect.that(math.isfinite(d) and math.isfinite(g) and d > -0.5 and 0 < g,
                f"the fitted delay and loss for {what} should be finite, delay > -0.5 and loss > 0.")
    pitch_err = (delay + 0.5) / (d + 0.5) - 1
    expect.that(abs(pitch_err) <= 5e-3,
                f"the fitted pitch for {what} is {100 * abs(pitch_err):.2f} % off (bar 0.5 %). Hint: return "
                "fractional_delay's argument (the loop's phase delay is delay + 0.5); predict each sample from "
                "the target one period earlier through the averaging filter and the fractional delay "
                "(teacher forcing), not from a free-running simulation.")
    rate, rate_fit = -math.log(loss) * SR / (delay + 0.5), -math.log(g) * SR / (d + 0.5)
    expect.that(abs(rate_fit / rate - 1) <= 0.05,
                f"the fitted decay rate for {what} is {100 * abs(rate_fit / rate - 1):.1f} % off (bar 5 %). Hint: "
                "with the delay right, the loss is the least-squares gain between the one-period prediction "
                "and the target.")


# CPU seconds per fit case. A fit calls fractional_delay 300 times on 8,000 samples, forward and backward:
# vectorised (the notebook's pad, conv1d, index masks) a case takes 0.2-1.8 s; a Python loop over samples
# (tests/mutants/slow) 170 s on the visible case, so it runs out whatever the machine's load. The notebook says so.
FIT_BUDGET = 30


def fit_case(f0, loss, seed, dtype, start_off, by="f0"):
    """The case's key, name and build; start_off: the start's pitch relative to the truth (+0.05: 5 % sharp,
    so a shorter delay)."""
    target, delay = string_target(f0, loss, seed, dtype, by)
    init_delay = (delay + 0.5) / (1 + start_off) - 0.5
    label = f"delay {delay:.2f} ({SR / (delay + 0.5):.1f} Hz), loss {loss}, {np.dtype(dtype).name}"

    def build(p):
        out = p.call("fit_plucked_string", target, SR, init_delay, 0.98, 300, 0.05)

        def check(r):
            check_fit(r, out, delay, loss, label)
        return check
    key = f"fit_{'d' if by == 'delay' else 'f'}{str(f0).replace('.', '_')}_{np.dtype(dtype).name}"
    name = (f"{label}, start {100 * start_off:+.0f} % in pitch: pitch within 0.5 %, decay rate within 5 % "
            "(300 steps, lr 0.05)")
    return key, name, build


@CASES.case("test_fit_plucked_string", points=1, name="a 0.5 s string at whole-sample delay 80: two Python floats, "
                                                     "pitch within 0.5 %, decay rate within 5 %", visible=True,
            timeout=FIT_BUDGET)
def fit_visible(p):
    x = excitation(0, 80)
    target = ks_oracle(x, 80, 0.995, SR // 2).astype(np.float32)     # equal to the fractional string at d = 80
    init_delay = 80.5 / 0.97 - 0.5                                   # 3 % flat
    out = p.call("fit_plucked_string", target, SR, init_delay, 0.98, 300, 0.05)

    def check(r):
        check_fit(r, out, 80.0, 0.995, "the whole-sample string")
    return check


# The basin of the teacher-forced objective (beyond two periods, loss by least squares) depends on the
# excitation: over 20 seeds it reaches from +-4.2 % to beyond +-10 % in pitch at 150-250 Hz (median 6.6 % at
# 150 Hz, 10-11 % at 200-250 Hz), so a 5 % start fails the recipe for some seeds. The seeds below give each
# case a basin of at least twice its start offset on the side it starts (measured with 0.25 % steps:
# 150 Hz seed 35: 10.8 / 14.0 %; delay 87.5 seed 28: 17.3 / 19.8 %, seed 32: 11.3 / 14.3 %; 400 Hz seed 21:
# 18.8 / 19.8 %; 300 Hz seed 23: > 19.8 % both sides; delay 63.5 seed 28: > 19.8 %; the visible delay-80
# case, seed 0: 9.8 / 12.3 %; flat side / sharp side).
for _args in ((150.0, 0.99, 35, np.float32, +0.05, "f0"),
              (87.5, 0.995, 28, np.float32, -0.05, "delay"),
              (87.5, 0.995, 32, np.float64, +0.02, "delay"),
              (400.0, 0.998, 21, np.float64, -0.02, "f0"),
              (300.0, 0.997, 23, np.float32, +0.04, "f0"),
              (63.5, 0.992, 28, np.float64, -0.035, "delay")):
    _key, _name, _build = fit_case(*_args)
    CASES.case("test_fit_plucked_string", points=1, name=_name, timeout=FIT_BUDGET, key=_key)(_build)
