"""Grader-only cases for ps02_differentiable_gain (never copied to release/).

Oracles are float64 numpy: the spectral loss from ``np.fft.rfft``, its gradient derived by
hand (chain rule through the magnitude of each bin), and the SGD recursions of ``fit_gain``
with the derivative of each loss in the gain written out analytically.
"""
import numpy as np

from ddsp_course.grade.cases import expect
from ddsp_course.grade.cases import Cases, Fn
from oracles import noise

CASES = Cases()

SAMPLE_RATE = 16000
HISTORY_ATOL = 1e-4  # the spec: histories elementwise, atol 1e-4


# ------------------------------------------------------------------ inputs

def sine_pair(n_samples=16000, f_hz=440.0, amplitude=0.5, phase=1.0):
    """The spec's graded fit: a unit sine and ``amplitude*sin(omega*n + phase)``, (1, n) float32."""
    n = np.arange(n_samples, dtype=np.float64)
    omega = 2 * np.pi * f_hz / SAMPLE_RATE
    source = np.sin(omega * n).astype(np.float32)[None]
    target = (amplitude * np.sin(omega * n + phase)).astype(np.float32)[None]
    return source, target


# ------------------------------------------------------------------ oracles
def spectral_oracle(x, y, power):
    a = np.abs(np.fft.rfft(np.asarray(x, np.float64), axis=-1)) ** power
    b = np.abs(np.fft.rfft(np.asarray(y, np.float64), axis=-1)) ** power
    return float(np.mean(np.abs(a - b)))


def spectral_vjp_oracle(x, y, power, cotangent=1.0):
    """Gradients of ``mean| |X|^p - |Y|^p |`` in x and y, for X = rfft(x) (no zero bins).

    With A = |X|: dL/dA_k = sign(A_k^p - B_k^p) p A_k^(p-1) / M and
    dA_k/dx_n = Re(conj(X_k) exp(-2 pi i k n / N)) / A_k, so
    dL/dx_n = Re(sum_k c_k conj(X_k)/A_k exp(-2 pi i k n / N)): an N-point FFT of the
    zero-padded bin weights.
    """
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    n = x.shape[-1]
    big_x, big_y = np.fft.rfft(x, axis=-1), np.fft.rfft(y, axis=-1)
    a, b = np.abs(big_x), np.abs(big_y)
    s = np.sign(a**power - b**power) * cotangent / big_x.size

    def back(z, mag, weight):
        return np.real(np.fft.fft(weight * np.conj(z) / mag, n=n, axis=-1))

    return back(big_x, a, s * power * a ** (power - 1)), back(big_y, b, -s * power * b ** (power - 1))


def sgd_oracle(derivative, init, lr, n_iter):
    """Plain SGD on one parameter in float64, from float32(init): (history, value after the last step)."""
    g = float(np.float32(init))
    history = []
    for _ in range(n_iter):
        history.append(g)
        g = g - lr * derivative(g)
    return np.array(history), g


def l1_derivative(source, target):
    s, t = np.asarray(source, np.float64), np.asarray(target, np.float64)
    return lambda g: float(np.mean(np.sign(g * s - t) * s))


def mse_derivative(source, target):
    s, t = np.asarray(source, np.float64), np.asarray(target, np.float64)
    return lambda g: float(np.mean(2 * (g * s - t) * s))


def spectral_derivative(source, target, power):
    """d/dg mean| |g|^p |X|^p - |Y|^p | = mean( sign(|g|^p A - B) p |g|^(p-1) sign(g) A ), A = |X|^p."""
    a = np.abs(np.fft.rfft(np.asarray(source, np.float64), axis=-1)) ** power
    b = np.abs(np.fft.rfft(np.asarray(target, np.float64), axis=-1)) ** power
    return lambda g: float(np.mean(np.sign(abs(g) ** power * a - b) * power * abs(g) ** (power - 1) * np.sign(g) * a))


# ================================================================== LinearGain
@CASES.case("test_LinearGain", points=1, name="LinearGain(0.5) on ones(2, 3): shape, dtype, values", visible=True)
def linear_gain_visible_forward(p):
    obj = p.call("LinearGain", 0.5)
    y = p.method(obj, "forward", np.ones((2, 3), np.float32))

    def check(r):
        got = expect.tensor(r[y], shape=(2, 3), dtype="float32", what="the output")
        expect.close(got, np.full((2, 3), 0.5), atol=1e-6, what="the output values", hint="forward(x) = gain * x.")
    return check


@CASES.case("test_LinearGain", points=1, name="the gain is a registered parameter named gain", visible=True)
def linear_gain_visible_parameter(p):
    params = p.parameters(p.call("LinearGain", 0.5))

    def check(r):
        expect.that(isinstance(r[params], dict) and "gain" in r[params],
                    "LinearGain has no parameter named gain. Hint: wrap the value in nn.Parameter and assign "
                    "it to self.gain, so that model.parameters() yields it.")
    return check


@CASES.case("test_LinearGain", points=1, name="the gain parameter is float32, 0-dim, requires grad, holds the value")
def linear_gain_parameter(p):
    params = p.parameters(p.call("LinearGain", 0.25))

    def check(r):
        expect.that(isinstance(r[params], dict) and "gain" in r[params],
                    "LinearGain has no parameter named gain. Hint: nn.Parameter assigned to self.gain.")
        gain = r[params]["gain"]
        value = expect.tensor(gain, shape=(), dtype="float32", what="the gain parameter")
        expect.that(gain.requires_grad, "the gain parameter does not require grad. Hint: nn.Parameter does.")
        expect.close(value, np.float32(0.25), atol=0.0,
                     what="the values of the stored gain", hint="store the number given.")
    return check


@CASES.case("test_LinearGain", points=1, name="default gain is 1; an integer gain works")
def linear_gain_default_and_int(p):
    x = noise(1, (2, 50))
    y1 = p.method(p.call("LinearGain"), "forward", x)
    y2 = p.method(p.call("LinearGain", 2), "forward", x)

    def check(r):
        got = expect.tensor(r[y1], shape=(2, 50), dtype="float32", what="LinearGain() output")
        expect.close(got, x, atol=0.0, what="the values of LinearGain() output", hint="the default gain is 1.0.")
        got = expect.tensor(r[y2], shape=(2, 50), dtype="float32", what="LinearGain(2) output")
        expect.close(got, 2.0 * x.astype(np.float64), atol=1e-6, what="the values of LinearGain(2) output",
                     hint="a Python int is a valid gain: store it as a float32 tensor (an int tensor cannot "
                          "require grad).")
    return check


@CASES.case("test_LinearGain", points=1, name="float64 input gives a float64 output")
def linear_gain_float64(p):
    x = noise(2, (3, 40), np.float64)
    y = p.method(p.call("LinearGain", 0.3), "forward", x)

    def check(r):
        got = expect.tensor(r[y], shape=(3, 40), dtype="float64", what="the output for a float64 input")
        expect.close(got, float(np.float32(0.3)) * x, atol=1e-12, what="the values for a float64 input",
                     hint="multiply the input by the parameter; do not cast the input.")
    return check


@CASES.case("test_LinearGain", points=1, name="any shape: (2, 3, 5), (7,) and 0-dim inputs")
def linear_gain_shapes(p):
    obj = p.call("LinearGain", -1.5)
    xs = [noise(3, (2, 3, 5)), noise(4, (7,)), np.array(0.75, np.float32)]
    # A 0-dim input is made in the sandbox by indexing a (1,) tensor (x[0]), so that it is 0-dim
    # whatever the transport does with 0-dim arrays.
    inputs = [xs[0], xs[1], p.item(p.tensor(xs[2].reshape(1)), 0)]
    ys = [p.method(obj, "forward", x) for x in inputs]

    def check(r):
        for x, y in zip(xs, ys):
            got = expect.tensor(r[y], shape=x.shape, dtype="float32",
                                what=f"the output for an input of shape {x.shape}")
            expect.close(got, -1.5 * x.astype(np.float64), atol=1e-6, what=f"the output values for shape {x.shape}",
                         hint="a 0-dim gain broadcasts against any shape; a gain of shape (1,) does not keep 0-dim "
                              "inputs 0-dim.")
    return check


@CASES.case("test_LinearGain", points=1, name="gradients reach the gain and the input")
def linear_gain_gradients(p):
    xv = noise(5, (2, 64))
    cot = noise(6, (2, 64))
    obj = p.call("LinearGain", 0.7)
    x = p.tensor(xv, requires_grad=True)
    y = p.method(obj, "forward", x)
    grads = p.grad(y, [x, p.attr(obj, "gain")], cotangent=cot)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(2, 64), dtype="float32", what="the output")
        expect.that(out.requires_grad, "the output does not require grad. Hint: do not detach the gain "
                                       "(no .item(), no float(...)).")
        gx, gg = r[grads]
        expect.that(gg is not None, "no gradient reaches the gain. Hint: use the parameter itself in forward.")
        expect.close(expect.tensor(gx, what="the gradient in x"), float(np.float32(0.7)) * cot, atol=1e-5,
                     what="the gradient values in x", hint="d(gain*x)/dx = gain.")
        expect.close(expect.tensor(gg, what="the gradient in the gain"),
                     np.sum(cot.astype(np.float64) * xv), atol=1e-3, rtol=1e-5,
                     what="the gradient values in the gain", hint="d(gain*x)/dgain = x.")
    return check


# ================================================================== spectral_loss
IMPULSE_3 = np.zeros((1, 8), np.float32)
IMPULSE_3[0, 0] = 3.0
IMPULSE_1 = np.zeros((1, 8), np.float32)
IMPULSE_1[0, 0] = 1.0


@CASES.case("test_spectral_loss", points=1, name="impulses: 0-dim float32 result, value for power 1", visible=True)
def spectral_visible_impulse(p):
    loss = p.call("spectral_loss", IMPULSE_3, IMPULSE_1)

    def check(r):
        got = expect.tensor(r[loss], shape=(), dtype="float32", what="the loss")
        expect.close(got, 2.0, atol=1e-6, what="the loss values", hint="flat spectra 3 and 1: mean| 3 - 1 |.")
    return check


@CASES.case("test_spectral_loss", points=1, name="impulses: value for power 2", visible=True)
def spectral_visible_power2(p):
    loss = p.call("spectral_loss", IMPULSE_3, IMPULSE_1, power=2.0)

    def check(r):
        got = expect.tensor(r[loss], shape=(), what="the loss")
        expect.close(got, 8.0, atol=1e-5, what="the loss values for power 2",
                     hint="raise each magnitude to the power, then take the difference.")
    return check


VISIBLE_NOISE = noise(0, (2, 100))


@CASES.case("test_spectral_loss", points=1, name="a circular shift leaves the loss at zero", visible=True)
def spectral_visible_shift(p):
    loss = p.call("spectral_loss", VISIBLE_NOISE, np.roll(VISIBLE_NOISE, 7, axis=-1))

    def check(r):
        got = expect.tensor(r[loss], shape=(), what="the loss")
        expect.close(got, 0.0, atol=1e-4, what="the loss values of a signal against its circular shift",
                     hint="compare magnitudes, which ignore phase, not complex values.")
    return check


@CASES.case("test_spectral_loss", points=1, name="values against a float64 oracle (power 1, batch of noise)")
def spectral_values(p):
    x, y = noise(10, (3, 1000)), 0.5 * noise(11, (3, 1000))
    loss = p.call("spectral_loss", x, y)

    def check(r):
        got = expect.tensor(r[loss], shape=(), dtype="float32", what="the loss")
        expect.close(got, spectral_oracle(x, y, 1.0), atol=0.0, rtol=1e-4, what="the loss values",
                     hint="rfft over the last dimension, unscaled, mean over every batch item and bin.")
    return check


@CASES.case("test_spectral_loss", points=1, name="powers 0.5 and 2 against a float64 oracle")
def spectral_powers(p):
    x, y = noise(12, (2, 512)), 2.0 * noise(13, (2, 512))
    losses = {power: p.call("spectral_loss", x, y, power=power) for power in (0.5, 2.0)}

    def check(r):
        for power, ref in losses.items():
            got = expect.tensor(r[ref], shape=(), dtype="float32", what=f"the loss for power {power}")
            expect.close(got, spectral_oracle(x, y, power), atol=0.0, rtol=1e-4,
                         what=f"the loss values for power {power}",
                         hint="| |X|^p - |Y|^p |: the power applies to each magnitude, before the difference.")
    return check


@CASES.case("test_spectral_loss", points=1, name="odd length and leading dimensions (2, 3, 257)")
def spectral_leading_dims(p):
    x, y = noise(14, (2, 3, 257)), noise(15, (2, 3, 257))
    loss = p.call("spectral_loss", x, y, power=1.5)

    def check(r):
        got = expect.tensor(r[loss], shape=(), dtype="float32", what="the loss")
        expect.close(got, spectral_oracle(x, y, 1.5), atol=0.0, rtol=1e-4, what="the loss values",
                     hint="transform each signal along the last dimension only (n//2 + 1 bins), whatever "
                          "the leading dimensions.")
    return check


@CASES.case("test_spectral_loss", points=1, name="float64 inputs give a float64 result")
def spectral_float64(p):
    x, y = noise(16, (2, 300), np.float64), noise(17, (2, 300), np.float64)
    loss = p.call("spectral_loss", x, y, power=0.5)

    def check(r):
        got = expect.tensor(r[loss], shape=(), dtype="float64", what="the loss for float64 inputs")
        expect.close(got, spectral_oracle(x, y, 0.5), atol=0.0, rtol=1e-10, what="the loss values for float64 inputs",
                     hint="no float32 cast inside.")
    return check


@CASES.case("test_spectral_loss", points=1, name="gradients in x and y (power 1, float32 noise)")
def spectral_gradients(p):
    xv, yv = noise(18, (2, 256)), noise(19, (2, 256))
    x, y = p.tensor(xv, requires_grad=True), p.tensor(yv, requires_grad=True)
    loss = p.call("spectral_loss", x, y)
    grads = p.grad(loss, [x, y])  # a 0-dim loss: the cotangent is 1

    def check(r):
        out = r[loss]
        expect.tensor(out, shape=(), what="the loss")
        expect.that(out.requires_grad, "the loss does not require grad when its inputs do. Hint: stay in torch "
                                       "(torch.fft), no numpy round trip.")
        gx_ref, gy_ref = spectral_vjp_oracle(xv, yv, 1.0)
        for got, ref, what in zip(r[grads], (gx_ref, gy_ref), ("x", "y")):
            expect.that(got is not None, f"no gradient reaches {what}.")
            scale = float(np.max(np.abs(ref)))
            expect.close(expect.tensor(got, shape=ref.shape, what=f"the gradient in {what}"), ref,
                         atol=1e-4 * scale, what=f"the gradient values in {what}",
                         hint="build the loss from differentiable torch operations only.")
    return check


@CASES.case("test_spectral_loss", points=1, name="gradients for powers 0.5 and 2 (float64 noise)")
def spectral_gradients_powers(p):
    xv, yv = noise(20, (3, 128), np.float64), noise(21, (3, 128), np.float64)
    steps = {}
    for power in (0.5, 2.0):
        x, y = p.tensor(xv, requires_grad=True), p.tensor(yv, requires_grad=True)
        loss = p.call("spectral_loss", x, y, power=power)
        steps[power] = p.grad(loss, [x, y])

    def check(r):
        for power, ref in steps.items():
            for got, want, what in zip(r[ref], spectral_vjp_oracle(xv, yv, power), ("x", "y")):
                expect.that(got is not None, f"no gradient reaches {what} (power {power}).")
                expect.close(expect.tensor(got, shape=want.shape, dtype="float64", what=f"the gradient in {what}"),
                             want, atol=1e-10 * float(np.max(np.abs(want))),
                             what=f"the gradient values in {what} for power {power}",
                             hint="| |X|^p - |Y|^p |, differentiable torch operations only.")
    return check


# ================================================================== fit_gain
ONES = np.ones((1, 10), np.float32)


@CASES.case("test_fit_gain", points=1, name="returns a float and a list of n_iter floats", visible=True)
def fit_visible_types(p):
    result = p.call("fit_gain", ONES, 0.5 * ONES, Fn("mse_loss"), n_iter=20, lr=0.1)

    def check(r):
        out = expect.sequence(r[result], length=2, what="fit_gain's result (gain, history)")
        expect.number(out[0], what="the returned gain")
        history = expect.sequence(out[1], length=20, what="the history", types=(list,))
        for h in history:
            expect.number(h, what="each history entry")
    return check


@CASES.case("test_fit_gain", points=1, name="MSE on ones: history[0] == init and the closed form", visible=True)
def fit_visible_closed_form(p):
    result = p.call("fit_gain", ONES, 0.5 * ONES, Fn("mse_loss"), n_iter=20, lr=0.1)

    def check(r):
        gain, history = expect.sequence(r[result], length=2, what="fit_gain's result (gain, history)")
        history = [expect.number(h, what="each history entry") for h in
                   expect.sequence(history, length=20, what="the history")]
        expect.that(history[0] == 1.0, "history[0] should be the initial gain. Hint: record the gain before "
                                       "each step.")
        expect.close(history, [0.5 + 0.5 * 0.8**k for k in range(20)], atol=1e-5, what="the history entries",
                     hint="plain SGD, zero_grad before each backward.")
        expect.scalar_close(expect.number(gain, what="the gain"), 0.5 + 0.5 * 0.8**20, atol=1e-5,
                            what="the returned gain", hint="return the gain after the last step.")
    return check


def check_fit(r, result, history_ref, final_ref, n_iter, hint):
    gain, history = expect.sequence(r[result], length=2, what="fit_gain's result (gain, history)")
    gain = expect.number(gain, what="the returned gain")
    history = [expect.number(h, what="each history entry") for h in
               expect.sequence(history, length=n_iter, what="the history")]
    expect.close(history, history_ref, atol=HISTORY_ATOL, what="the gains in the history", hint=hint)
    expect.scalar_close(gain, final_ref, atol=HISTORY_ATOL, what="the returned gain",
                        hint="return the gain after the last step.")
    return gain


SINE, PHASED = sine_pair()


@CASES.case("test_fit_gain", points=1, name="spectral loss, 440 Hz sine to 0.5 sin(wn + 1), defaults: gain near 0.5")
def fit_spectral_outcome(p):
    result = p.call("fit_gain", SINE, PHASED, Fn("spectral_l1", 1.0))

    def check(r):
        gain, _ = expect.sequence(r[result], length=2, what="fit_gain's result (gain, history)")
        gain = expect.number(gain, what="the returned gain")
        expect.that(abs(gain - 0.5) <= 0.02, "the fitted gain is not within 0.02 of 0.5. Hint: defaults "
                                             "n_iter=300, lr=0.01, init=1.0; plain SGD with zero_grad each step.")
    return check


@CASES.case("test_fit_gain", points=1, name="spectral loss, defaults: history matches plain SGD")
def fit_spectral_history(p):
    result = p.call("fit_gain", SINE, PHASED, Fn("spectral_l1", 1.0))
    hist, final = sgd_oracle(spectral_derivative(SINE, PHASED, 1.0), 1.0, 0.01, 300)

    def check(r):
        check_fit(r, result, hist, final, 300,
                  hint="record the gain before each step; torch.optim.SGD, zero_grad every step.")
    return check


@CASES.case("test_fit_gain", points=1, name="waveform L1, defaults: history matches plain SGD")
def fit_l1_history(p):
    result = p.call("fit_gain", SINE, PHASED, Fn("l1_loss"))
    hist, final = sgd_oracle(l1_derivative(SINE, PHASED), 1.0, 0.01, 300)

    def check(r):
        check_fit(r, result, hist, final, 300,
                  hint="record the gain before each step; torch.optim.SGD, zero_grad every step.")
    return check


@CASES.case("test_fit_gain", points=1, name="init, lr and n_iter are honoured (float64 noise, MSE)")
def fit_arguments(p):
    source = noise(30, (2, 500), np.float64)
    target = -0.3 * source + 0.1 * noise(31, (2, 500), np.float64)
    result = p.call("fit_gain", source, target, Fn("mse_loss"), n_iter=40, lr=0.05, init=0.8)

    def check(r):
        hist, final = sgd_oracle(mse_derivative(source, target), 0.8, 0.05, 40)
        check_fit(r, result, hist, final, 40,
                  hint="start from LinearGain(init), use lr and n_iter as given; float64 inputs must work.")
    return check


@CASES.case("test_fit_gain", points=1, name="power-2 spectral loss on a batch of noise, small lr")
def fit_spectral_power2(p):
    source = noise(32, (2, 2000))
    target = (0.6 * np.roll(source, 37, axis=-1)).astype(np.float32)
    result = p.call("fit_gain", source, target, Fn("spectral_l1", 2.0), n_iter=60, lr=5e-6, init=1.0)

    def check(r):
        hist, final = sgd_oracle(spectral_derivative(source, target, 2.0), 1.0, 5e-6, 60)
        check_fit(r, result, hist, final, 60, hint="plain SGD with the given lr, zero_grad every step.")
    return check
