"""Grader-only cases for ps06_fir_filters (never copied to release/).

Oracles are float64 numpy written from the spec's rules, never from the solution's torch code:
``np.convolve`` truncated to the input length (causal FIR), ``np.fft.irfft`` + ``np.roll`` + the
periodic Hann formula (frequency sampling), and a plain frame loop for ``time_varying_fir``
(``np.pad(mode="reflect")``, frame i at ``i*hop`` of the padded axis, ``np.convolve`` of each windowed
frame with its own IR, overlap-add, division by the overlap-added windows, crop). Every map graded
here is linear in the differentiated input, so vector-Jacobian products are computed exactly from the
same oracles (explicit sums, or the oracle applied to unit vectors).

``filtered_noise`` has pinned seed semantics: the noise is
``torch.rand(n, generator=torch.Generator().manual_seed(seed), dtype=dtype) * 2 - 1``. Torch's
generator stream has no numpy equivalent, so the grader draws that noise itself with torch, on its
own side, as the spec defines it; the filtering is then the numpy oracle.
"""
import numpy as np

from ddsp_course.grade.cases import expect
from ddsp_course.grade.cases import Cases
from oracles import hann_periodic, noise, rng

CASES = Cases()


# ------------------------------------------------------------------ inputs
def magnitudes(seed, shape, dtype=np.float32, low=0.0, high=2.0):
    return rng(seed).uniform(low, high, shape).astype(dtype)


def torch_noise(n_samples, seed, dtype):
    """The spec's noise, drawn on the grader's side: float32 draws the float32 stream, float64 the
    float64 one."""
    import torch

    tdtype = {"float32": torch.float32, "float64": torch.float64}[dtype]
    g = torch.Generator().manual_seed(seed)
    return (torch.rand(n_samples, generator=g, dtype=tdtype) * 2 - 1).numpy().astype(np.float64)


# ------------------------------------------------------------------ oracles (float64 numpy)
def conv_oracle(x, h):
    """Causal FIR, output length = input length: ``np.convolve(x, h)[:n]`` row by row."""
    x = np.asarray(x, np.float64)
    h = np.asarray(h, np.float64)
    rows = x.reshape(-1, x.shape[-1])
    out = np.stack([np.convolve(row, h)[: x.shape[-1]] for row in rows])
    return out.reshape(x.shape)


def conv_vjp_oracle(x, h, c):
    """Gradients of ``sum(c * y)`` for y[b, n] = sum_m h[m] x[b, n - m]:
    dx[b, k] = sum_m h[m] c[b, k + m] and dh[m] = sum_b sum_n c[b, n] x[b, n - m]."""
    x = np.asarray(x, np.float64).reshape(-1, np.shape(x)[-1])
    c = np.asarray(c, np.float64).reshape(x.shape)
    h = np.asarray(h, np.float64)
    n = x.shape[-1]
    dx = np.zeros_like(x)
    dh = np.zeros_like(h)
    for m in range(len(h)):
        if m < n:
            dx[:, : n - m] += h[m] * c[:, m:]
            dh[m] = np.sum(c[:, m:] * x[:, : n - m])
    return dx, dh


def fs_oracle(mags):
    """Frequency sampling: irfft to L = 2(M-1), circular shift by L//2, periodic Hann."""
    mags = np.asarray(mags, np.float64)
    length = 2 * (mags.shape[-1] - 1)
    h = np.fft.irfft(mags, n=length, axis=-1)
    return np.roll(h, length // 2, axis=-1) * hann_periodic(length)


def fs_matrix(n_bins):
    """The (L, M) matrix of the (linear) frequency-sampling map, column k = fs_oracle(e_k)."""
    return np.stack([fs_oracle(np.eye(n_bins)[k]) for k in range(n_bins)], axis=-1)


def tv_oracle(x, mags, n_fft, hop, irs=None):
    """time_varying_fir from the spec's framing rules, as a plain loop."""
    x = np.asarray(x, np.float64)
    n = len(x)
    pad = n_fft // 2
    padded = np.pad(x, pad, mode="reflect")
    window = hann_periodic(n_fft)
    irs = fs_oracle(mags) if irs is None else irs
    n_frames = n // hop + 1
    assert irs.shape[0] == n_frames
    length = irs.shape[-1]
    out = np.zeros(len(padded) + n_fft + length)
    wsum = np.zeros_like(out)
    for i in range(n_frames):
        s = i * hop
        out[s: s + n_fft + length - 1] += np.convolve(padded[s: s + n_fft] * window, irs[i])
        wsum[s: s + n_fft] += window
    return out[pad: pad + n] / wsum[pad: pad + n]


def tv_amplification(n, n_fft, hop):
    """max(1, (K/2) / S[t]) with S the overlap-added windows on the output samples and K/2 = n_fft/(2 hop)
    their value away from the ends. Near the end of the signal only the tail of the last window may
    cover a sample (S as small as w[n_fft - 2] when hop = n_fft/2), and dividing by it magnifies the
    rounding error of any float32 implementation by the same factor: the tolerance follows it."""
    window = hann_periodic(n_fft)
    wsum = np.zeros(n + 2 * n_fft)
    for i in range(n // hop + 1):
        wsum[i * hop: i * hop + n_fft] += window
    wsum = wsum[n_fft // 2: n_fft // 2 + n]
    return np.maximum(1.0, (n_fft / (2 * hop)) / wsum)


def tv_vjp_mags(x, n_frames, n_bins, n_fft, hop, c):
    """d sum(c * y) / d magnitudes: y is linear in the IRs, the IRs linear in the magnitudes.
    Column j of the Jacobian in frame i's IR is tv_oracle with only that IR set to e_j."""
    c = np.asarray(c, np.float64)
    length = 2 * (n_bins - 1)
    grad_ir = np.zeros((n_frames, length))
    for i in range(n_frames):
        for j in range(length):
            irs = np.zeros((n_frames, length))
            irs[i, j] = 1.0
            grad_ir[i, j] = np.dot(c, tv_oracle(x, None, n_fft, hop, irs=irs))
    return grad_ir @ fs_matrix(n_bins)


def scale_of(x, h):
    """The size of a filter's output: max|x| * sum|h| (per IR, the largest)."""
    return float(np.max(np.abs(x)) * np.max(np.sum(np.abs(np.atleast_2d(h)), axis=-1)))


# float32 tolerances, relative to the output's scale (max|x| * sum|h|; for time_varying_fir also times
# tv_amplification). Measured on the master and the alternatives (direct, loop, FFT sizes, float64
# inside): errors of at most about 3e-7 of that scale. The wrong conventions caught here err by 1e-2
# of it or more.
F32_REL = 1e-5
F64_REL = 1e-10

CONV_HINT = ("y[n] = sum_m h[m] x[n-m], causal (x is zero before the start), same length as x. "
             "torch's conv1d computes a correlation: flip h, and pad L-1 zeros on the left only.")
FFT_HINT = ("zero-pad both signals to N >= n + L - 1 before the FFT so nothing wraps around, "
            "pass n=N to irfft, and keep the first n samples.")
FS_HINT = ("irfft(magnitudes, n=L) with L = 2*(M-1), then torch.roll by L//2 along the last dimension, "
           "then multiply by torch.hann_window(L) (periodic), in that order.")
TV_HINT = ("frame as torch.stft(center=True) does (reflect padding, periodic Hann), convolve each frame "
           "linearly (FFT size >= n_fft + L - 1), overlap-add, divide by the overlap-added windows "
           "(not squared, no synthesis window), crop [n_fft//2, n_fft//2 + n).")


def check_filter_output(r, ref, oracle, shape, dtype, scale, what, hint, amplification=1.0):
    """Values within rel * scale (per sample times ``amplification``, for time_varying_fir's ends)."""
    got = expect.tensor(r[ref], shape=shape, dtype=dtype, what=what)
    rel = F64_REL if dtype == "float64" else F32_REL
    expect.close(got, oracle, atol=rel * scale * np.asarray(amplification), what=f"the values of {what}", hint=hint)
    return got


# ================================================================== fir_conv1d
VIS_X = noise(0, (2, 300))
VIS_H = noise(1, (16,))


@CASES.case("test_fir_conv1d", points=1, name="an impulse through h = [1, 2, 3]: the IR, causal, float32",
            visible=True)
def conv_visible_impulse(p):
    x = np.zeros(6, np.float32)
    x[0] = 1.0
    y = p.call("fir_conv1d", x, np.array([1.0, 2.0, 3.0], np.float32))

    def check(r):
        got = expect.tensor(r[y], shape=(6,), dtype="float32", what="fir_conv1d(delta, h)")
        expect.close(got, [1, 2, 3, 0, 0, 0], atol=1e-6, what="the values of fir_conv1d(delta, h)",
                     hint=CONV_HINT)
    return check


@CASES.case("test_fir_conv1d", points=1, name="a batch (2, 300) of noise against numpy's convolve",
            visible=True)
def conv_visible_batch(p):
    y = p.call("fir_conv1d", VIS_X, VIS_H)

    def check(r):
        expect.tensor(r[y], shape=(2, 300), dtype="float32", what="fir_conv1d on a batch")
        expect.close(r[y].array, conv_oracle(VIS_X, VIS_H), atol=1e-5, what="the values of fir_conv1d on a batch",
                     hint=CONV_HINT)
    return check


@CASES.case("test_fir_conv1d", points=1, name="1-D noise, an asymmetric 31-tap IR: values against a float64 oracle")
def conv_values_1d(p):
    x, h = noise(10, (1000,)), noise(11, (31,)) * np.exp(-np.arange(31) / 8).astype(np.float32)
    y = p.call("fir_conv1d", x, h)

    def check(r):
        check_filter_output(r, y, conv_oracle(x, h), (1000,), "float32", scale_of(x, h), "fir_conv1d(x, h)",
                            CONV_HINT)
    return check


@CASES.case("test_fir_conv1d", points=1, name="a batch (3, 500), rows differ, 64 taps")
def conv_values_batch(p):
    x, h = noise(12, (3, 500)), noise(13, (64,))
    x[1] *= 3.0
    x[2] = np.roll(x[2], 17)
    y = p.call("fir_conv1d", x, h)

    def check(r):
        check_filter_output(r, y, conv_oracle(x, h), (3, 500), "float32", scale_of(x, h),
                            "fir_conv1d on a batch",
                            "filter every row independently with the same h (reshape to (batch, 1, n) for conv1d). "
                            + CONV_HINT)
    return check


@CASES.case("test_fir_conv1d", points=1, name="float64 inputs give a float64 output at float64 accuracy")
def conv_float64(p):
    x, h = noise(14, (2, 400), np.float64), noise(15, (25,), np.float64)
    y = p.call("fir_conv1d", x, h)

    def check(r):
        check_filter_output(r, y, conv_oracle(x, h), (2, 400), "float64", scale_of(x, h),
                            "fir_conv1d for float64 inputs", "no float32 cast inside. " + CONV_HINT)
    return check


@CASES.case("test_fir_conv1d", points=1, name="edge cases: one tap (a gain) and an IR longer than the signal")
def conv_edges(p):
    x1, h1 = noise(16, (2, 50)), np.array([-0.75], np.float32)
    x2, h2 = noise(17, (10,)), noise(18, (25,))
    y1 = p.call("fir_conv1d", x1, h1)
    y2 = p.call("fir_conv1d", x2, h2)

    def check(r):
        check_filter_output(r, y1, conv_oracle(x1, h1), (2, 50), "float32", scale_of(x1, h1),
                            "fir_conv1d with a one-tap IR", CONV_HINT)
        check_filter_output(r, y2, conv_oracle(x2, h2), (10,), "float32", scale_of(x2, h2),
                            "fir_conv1d with L > n", "only the first n samples of the full convolution; "
                            "an IR longer than the signal must work. " + CONV_HINT)
    return check


@CASES.case("test_fir_conv1d", points=1, name="gradients in x and h against the exact vector-Jacobian product")
def conv_gradients(p):
    xv, hv, cv = noise(19, (2, 200), np.float64), noise(20, (12,), np.float64), noise(21, (2, 200), np.float64)
    x, h = p.tensor(xv, requires_grad=True), p.tensor(hv, requires_grad=True)
    y = p.call("fir_conv1d", x, h)
    grads = p.grad(y, [x, h], cotangent=cv)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(2, 200), dtype="float64", what="the output")
        expect.that(out.requires_grad, "the output does not require grad when x and h do. Hint: stay in torch "
                                       "(no numpy, no .detach()).")
        dx_ref, dh_ref = conv_vjp_oracle(xv, hv, cv)
        gx, gh = r[grads]
        expect.that(gx is not None and gh is not None, "no gradient reaches x or h. Hint: use both in the "
                                                       "differentiable computation.")
        expect.close(expect.tensor(gx, shape=(2, 200), what="the gradient in x"), dx_ref,
                     atol=1e-9 * float(np.max(np.abs(dx_ref))), what="the gradient values in x", hint=CONV_HINT)
        expect.close(expect.tensor(gh, shape=(12,), what="the gradient in h"), dh_ref,
                     atol=1e-9 * float(np.max(np.abs(dh_ref))), what="the gradient values in h", hint=CONV_HINT)
    return check


# ================================================================== fir_fft
@CASES.case("test_fir_fft", points=1, name="an impulse through h = [1, 2, 3]: the IR, causal, float32",
            visible=True)
def fft_visible_impulse(p):
    x = np.zeros(6, np.float32)
    x[0] = 1.0
    y = p.call("fir_fft", x, np.array([1.0, 2.0, 3.0], np.float32))

    def check(r):
        got = expect.tensor(r[y], shape=(6,), dtype="float32", what="fir_fft(delta, h)")
        expect.close(got, [1, 2, 3, 0, 0, 0], atol=1e-5, what="the values of fir_fft(delta, h)", hint=FFT_HINT)
    return check


@CASES.case("test_fir_fft", points=1, name="a batch (2, 300) of noise: the same result as fir_conv1d",
            visible=True)
def fft_visible_batch(p):
    y = p.call("fir_fft", VIS_X, VIS_H)

    def check(r):
        expect.tensor(r[y], shape=(2, 300), dtype="float32", what="fir_fft on a batch")
        expect.close(r[y].array, conv_oracle(VIS_X, VIS_H), atol=1e-4, what="the values of fir_fft on a batch",
                     hint=FFT_HINT)
    return check


@CASES.case("test_fir_fft", points=1, name="4000 samples, 257 taps: values against a float64 oracle")
def fft_values_long(p):
    x, h = noise(30, (4000,)), noise(31, (257,)) * np.hanning(257).astype(np.float32)
    y = p.call("fir_fft", x, h)

    def check(r):
        check_filter_output(r, y, conv_oracle(x, h), (4000,), "float32", scale_of(x, h), "fir_fft(x, h)",
                            FFT_HINT)
    return check


@CASES.case("test_fir_fft", points=1, name="a batch (3, 500) with n + L - 1 odd, rows differ")
def fft_values_odd(p):
    x, h = noise(32, (3, 500)), noise(33, (40,))  # 500 + 40 - 1 = 539
    x[2] *= 0.1
    y = p.call("fir_fft", x, h)

    def check(r):
        check_filter_output(r, y, conv_oracle(x, h), (3, 500), "float32", scale_of(x, h), "fir_fft on a batch",
                            "for an odd FFT size, irfft needs n=N (its default length is even). " + FFT_HINT)
    return check


@CASES.case("test_fir_fft", points=1, name="float64 inputs give a float64 output at float64 accuracy")
def fft_float64(p):
    x, h = noise(34, (2, 1000), np.float64), noise(35, (100,), np.float64)
    y = p.call("fir_fft", x, h)

    def check(r):
        check_filter_output(r, y, conv_oracle(x, h), (2, 1000), "float64", scale_of(x, h),
                            "fir_fft for float64 inputs", "no float32 cast inside. " + FFT_HINT)
    return check


@CASES.case("test_fir_fft", points=1, name="edge cases: L equal to n, and L greater than n")
def fft_edges(p):
    x1, h1 = noise(36, (2, 64)), noise(37, (64,))
    x2, h2 = noise(38, (9,)), noise(39, (20,))
    y1 = p.call("fir_fft", x1, h1)
    y2 = p.call("fir_fft", x2, h2)

    def check(r):
        check_filter_output(r, y1, conv_oracle(x1, h1), (2, 64), "float32", scale_of(x1, h1),
                            "fir_fft with L = n", FFT_HINT)
        check_filter_output(r, y2, conv_oracle(x2, h2), (9,), "float32", scale_of(x2, h2),
                            "fir_fft with L > n", FFT_HINT)
    return check


@CASES.case("test_fir_fft", points=1, name="gradients in x and h against the exact vector-Jacobian product")
def fft_gradients(p):
    xv, hv, cv = noise(40, (2, 150), np.float64), noise(41, (33,), np.float64), noise(42, (2, 150), np.float64)
    x, h = p.tensor(xv, requires_grad=True), p.tensor(hv, requires_grad=True)
    y = p.call("fir_fft", x, h)
    grads = p.grad(y, [x, h], cotangent=cv)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(2, 150), dtype="float64", what="the output")
        expect.that(out.requires_grad, "the output does not require grad when x and h do. Hint: torch.fft, "
                                       "not numpy.")
        dx_ref, dh_ref = conv_vjp_oracle(xv, hv, cv)
        gx, gh = r[grads]
        expect.that(gx is not None and gh is not None, "no gradient reaches x or h.")
        expect.close(expect.tensor(gx, shape=(2, 150), what="the gradient in x"), dx_ref,
                     atol=1e-9 * float(np.max(np.abs(dx_ref))), what="the gradient values in x", hint=FFT_HINT)
        expect.close(expect.tensor(gh, shape=(33,), what="the gradient in h"), dh_ref,
                     atol=1e-9 * float(np.max(np.abs(dh_ref))), what="the gradient values in h", hint=FFT_HINT)
    return check


# ================================================================== frequency_sampling_fir
@CASES.case("test_frequency_sampling_fir", points=1,
            name="a flat response (ones(17)): float32, length 32, an impulse at L/2", visible=True)
def fs_visible_flat(p):
    h = p.call("frequency_sampling_fir", np.ones(17, np.float32))

    def check(r):
        got = expect.tensor(r[h], shape=(32,), dtype="float32", what="frequency_sampling_fir(ones(17))")
        expect.close(got, np.eye(32)[16], atol=1e-6, what="the values of frequency_sampling_fir(ones(17))",
                     hint=FS_HINT)
    return check


VIS_MAGS = magnitudes(2, (33,))


@CASES.case("test_frequency_sampling_fir", points=1,
            name="random magnitudes: h[0] = 0 and h symmetric about L/2 (linear phase)", visible=True)
def fs_visible_symmetry(p):
    h = p.call("frequency_sampling_fir", VIS_MAGS)

    def check(r):
        got = expect.tensor(r[h], shape=(64,), dtype="float32", what="frequency_sampling_fir(magnitudes)")
        expect.close(got[0], 0.0, atol=1e-6, what="h[0]", hint="the periodic Hann window is 0 at n = 0.")
        expect.close(got[33:], got[31:0:-1], atol=1e-6, what="h[L/2 + k] - h[L/2 - k]",
                     hint="shift by L//2 and use the periodic Hann window (torch.hann_window's default).")
    return check


@CASES.case("test_frequency_sampling_fir", points=1, name="random magnitudes (M = 33): values against a float64 oracle")
def fs_values(p):
    mags = magnitudes(50, (33,))
    h = p.call("frequency_sampling_fir", mags)

    def check(r):
        check_filter_output(r, h, fs_oracle(mags), (64,), "float32", float(np.sum(mags)) / 32,
                            "frequency_sampling_fir(magnitudes)", FS_HINT)
    return check


@CASES.case("test_frequency_sampling_fir", points=1, name="a low-pass response: the IR's values and its delay")
def fs_lowpass(p):
    mags = (np.arange(65) < 20).astype(np.float32)
    h = p.call("frequency_sampling_fir", mags)

    def check(r):
        got = check_filter_output(r, h, fs_oracle(mags), (128,), "float32", float(np.sum(mags)) / 64,
                                  "frequency_sampling_fir(low-pass)", FS_HINT)
        expect.that(int(np.argmax(got)) == 64, "the IR of a low-pass should peak at L/2 (a delay of L/2). "
                                               "Hint: circular shift by L//2 after the irfft.")
    return check


@CASES.case("test_frequency_sampling_fir", points=1, name="leading dimensions (2, 3, M): one IR per response")
def fs_batch(p):
    mags = magnitudes(51, (2, 3, 9))
    h = p.call("frequency_sampling_fir", mags)

    def check(r):
        check_filter_output(r, h, fs_oracle(mags), (2, 3, 16), "float32", float(np.max(np.sum(mags, -1))) / 8,
                            "frequency_sampling_fir on a (2, 3, 9) input",
                            "transform, shift and window along the last dimension only. " + FS_HINT)
    return check


@CASES.case("test_frequency_sampling_fir", points=1, name="float64 magnitudes give a float64 IR at float64 accuracy")
def fs_float64(p):
    mags = magnitudes(52, (4, 129), np.float64)
    h = p.call("frequency_sampling_fir", mags)

    def check(r):
        check_filter_output(r, h, fs_oracle(mags), (4, 256), "float64", float(np.max(np.sum(mags, -1))) / 128,
                            "frequency_sampling_fir for float64 input",
                            "make the window in the input's dtype (torch.hann_window(L, dtype=...)). " + FS_HINT)
    return check


@CASES.case("test_frequency_sampling_fir", points=1, name="smallest sizes: M = 2 (L = 2) and M = 3 (L = 4)")
def fs_small(p):
    m2 = np.array([[1.0, 0.5], [0.2, 1.5]], np.float32)
    m3 = np.array([1.0, 2.0, 0.5], np.float32)
    h2 = p.call("frequency_sampling_fir", m2)
    h3 = p.call("frequency_sampling_fir", m3)

    def check(r):
        check_filter_output(r, h2, fs_oracle(m2), (2, 2), "float32", 2.0, "frequency_sampling_fir with M = 2",
                            FS_HINT)
        check_filter_output(r, h3, fs_oracle(m3), (4,), "float32", 2.0, "frequency_sampling_fir with M = 3",
                            FS_HINT)
    return check


@CASES.case("test_frequency_sampling_fir", points=1, name="gradients in the magnitudes (exact VJP of the linear map)")
def fs_gradients(p):
    mv, cv = magnitudes(53, (3, 17), np.float64), noise(54, (3, 32), np.float64)
    m = p.tensor(mv, requires_grad=True)
    h = p.call("frequency_sampling_fir", m)
    grads = p.grad(h, [m], cotangent=cv)

    def check(r):
        out = r[h]
        expect.tensor(out, shape=(3, 32), dtype="float64", what="the IR")
        expect.that(out.requires_grad, "the IR does not require grad when the magnitudes do. Hint: torch.fft and "
                                       "torch.roll, no numpy.")
        ref = cv @ fs_matrix(17)
        (g,) = r[grads]
        expect.that(g is not None, "no gradient reaches the magnitudes.")
        expect.close(expect.tensor(g, shape=(3, 17), what="the gradient in the magnitudes"), ref,
                     atol=1e-10 * float(np.max(np.abs(ref))), what="the gradient values in the magnitudes",
                     hint=FS_HINT)
    return check


# ================================================================== time_varying_fir
def tv_inputs(seed, n, n_fft, hop, n_bins, dtype=np.float32, constant=False):
    x = noise(seed, (n,), dtype)
    n_frames = n // hop + 1
    mags = magnitudes(seed + 1, (1 if constant else n_frames, n_bins), dtype)
    if constant:
        mags = np.repeat(mags, n_frames, axis=0)
    return x, mags


def tv_scale(x, mags):
    return scale_of(x, fs_oracle(mags))


VIS_TV_X, VIS_TV_MAGS = tv_inputs(3, 1000, 64, 16, 17, constant=True)


@CASES.case("test_time_varying_fir", points=1, name="shape (1000,) and float32 for n_fft 64, hop 16, M 17",
            visible=True)
def tv_visible_shape(p):
    y = p.call("time_varying_fir", VIS_TV_X, VIS_TV_MAGS, 64, 16)

    def check(r):
        expect.tensor(r[y], shape=(1000,), dtype="float32", what="time_varying_fir's output")
    return check


@CASES.case("test_time_varying_fir", points=1,
            name="a constant response equals fir_conv1d(x, ir) where the spec says it must", visible=True)
def tv_visible_constant(p):
    y = p.call("time_varying_fir", VIS_TV_X, VIS_TV_MAGS, 64, 16)

    def check(r):
        got = expect.tensor(r[y], shape=(1000,), dtype="float32", what="time_varying_fir's output")
        ir = fs_oracle(VIS_TV_MAGS[0])
        lo, hi = 64 // 2 - 16 + len(ir) - 1, 1000 - 64 // 2
        expect.close(got[lo:hi], conv_oracle(VIS_TV_X, ir)[lo:hi], atol=1e-4,
                     what="the output in the steady range", hint=TV_HINT)
    return check


@CASES.case("test_time_varying_fir", points=1,
            name="time-varying magnitudes, L = n_fft: the whole output against a float64 oracle")
def tv_values_long_ir(p):
    x, mags = tv_inputs(60, 1000, 64, 16, 33)
    y = p.call("time_varying_fir", x, mags, 64, 16)
    expected, scale = tv_oracle(x, mags, 64, 16), tv_scale(x, mags)

    def check(r):
        check_filter_output(r, y, expected, (1000,), "float32", scale,
                            "time_varying_fir's output", TV_HINT, tv_amplification(1000, 64, 16))
    return check


@CASES.case("test_time_varying_fir", points=1,
            name="time-varying magnitudes, L = n_fft/4, n_fft 128, hop 32: whole output")
def tv_values_short_ir(p):
    x, mags = tv_inputs(62, 2000, 128, 32, 17)
    y = p.call("time_varying_fir", x, mags, 128, 32)
    expected, scale = tv_oracle(x, mags, 128, 32), tv_scale(x, mags)

    def check(r):
        check_filter_output(r, y, expected, (2000,), "float32", scale,
                            "time_varying_fir's output", TV_HINT, tv_amplification(2000, 128, 32))
    return check


@CASES.case("test_time_varying_fir", points=1,
            name="a constant response, including both ends (reflect padding, partial window sums)")
def tv_constant_edges(p):
    x, mags = tv_inputs(64, 700, 64, 16, 17, constant=True)
    y = p.call("time_varying_fir", x, mags, 64, 16)
    expected, scale = tv_oracle(x, mags, 64, 16), tv_scale(x, mags)

    def check(r):
        check_filter_output(r, y, expected, (700,), "float32", scale,
                            "time_varying_fir's output at the ends",
                            "the first and last samples depend on the reflect padding and on the partial sum of "
                            "windows there: divide by the overlap-added windows at each position. " + TV_HINT,
                            tv_amplification(700, 64, 16))
    return check


@CASES.case("test_time_varying_fir", points=1,
            name="float64, hop n_fft/2, n not a multiple of hop, n_fft 48: float64 accuracy")
def tv_float64(p):
    x, mags = tv_inputs(66, 1001, 48, 24, 13, np.float64)
    y = p.call("time_varying_fir", x, mags, 48, 24)
    expected, scale = tv_oracle(x, mags, 48, 24), tv_scale(x, mags)

    def check(r):
        check_filter_output(r, y, expected, (1001,), "float64", scale,
                            "time_varying_fir for float64 inputs", "no float32 cast; windows in the input's dtype. "
                            + TV_HINT, tv_amplification(1001, 48, 24))
    return check


@CASES.case("test_time_varying_fir", points=1, name="the shortest signal allowed: n = n_fft//2 + 1")
def tv_short(p):
    x, mags = tv_inputs(68, 17, 32, 8, 9)
    y = p.call("time_varying_fir", x, mags, 32, 8)
    expected, scale = tv_oracle(x, mags, 32, 8), tv_scale(x, mags)

    def check(r):
        check_filter_output(r, y, expected, (17,), "float32", scale,
                            "time_varying_fir's output for n = n_fft//2 + 1", TV_HINT, tv_amplification(17, 32, 8))
    return check


@CASES.case("test_time_varying_fir", points=1, name="gradients in the magnitudes against the exact VJP")
def tv_gradients(p):
    n, n_fft, hop, n_bins = 120, 32, 8, 9
    xv, mv = tv_inputs(70, n, n_fft, hop, n_bins, np.float64)
    cv = noise(71, (n,), np.float64)
    m = p.tensor(mv, requires_grad=True)
    y = p.call("time_varying_fir", xv, m, n_fft, hop)
    grads = p.grad(y, [m], cotangent=cv)
    ref = tv_vjp_mags(xv, mv.shape[0], n_bins, n_fft, hop, cv)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(n,), dtype="float64", what="the output")
        expect.that(out.requires_grad, "the output does not require grad when the magnitudes do. Hint: stay in "
                                       "torch from the magnitudes to the output.")
        (g,) = r[grads]
        expect.that(g is not None, "no gradient reaches the magnitudes.")
        expect.close(expect.tensor(g, shape=mv.shape, what="the gradient in the magnitudes"), ref,
                     atol=1e-9 * float(np.max(np.abs(ref))), what="the gradient values in the magnitudes",
                     hint=TV_HINT)
    return check


# ================================================================== filtered_noise
VIS_FN_MAGS = magnitudes(4, (8000 // 128 + 1, 65))


@CASES.case("test_filtered_noise", points=1, name="shape (8000,) and float32", visible=True)
def fn_visible_shape(p):
    y = p.call("filtered_noise", VIS_FN_MAGS, 8000, 256, 128, 0)

    def check(r):
        expect.tensor(r[y], shape=(8000,), dtype="float32", what="filtered_noise's output")
    return check


@CASES.case("test_filtered_noise", points=1, name="the same seed gives the same output, another seed another",
            visible=True)
def fn_visible_seed(p):
    a = p.call("filtered_noise", VIS_FN_MAGS, 8000, 256, 128, 0)
    b = p.call("filtered_noise", VIS_FN_MAGS, 8000, 256, 128, 0)
    c = p.call("filtered_noise", VIS_FN_MAGS, 8000, 256, 128, 1)

    def check(r):
        ya, yb, yc = (expect.tensor(r[ref], shape=(8000,), what="filtered_noise's output") for ref in (a, b, c))
        expect.that(np.array_equal(ya, yb), "two calls with the same seed differ. Hint: draw from "
                                            "torch.Generator().manual_seed(seed), not the global generator.")
        expect.that(not np.allclose(ya, yc), "seeds 0 and 1 give the same output. Hint: use the seed.")
    return check


def fn_oracle(mags, n_samples, n_fft, hop, seed, dtype):
    return tv_oracle(torch_noise(n_samples, seed, dtype), mags, n_fft, hop)


FN_HINT = ("noise = torch.rand(n_samples, generator=torch.Generator().manual_seed(seed), "
           "dtype=magnitudes.dtype) * 2 - 1, then time_varying_fir(noise, magnitudes, n_fft, hop_length).")


@CASES.case("test_filtered_noise", points=1, name="float32 values for seeds 0 and 7 against the oracle")
def fn_values(p):
    mags = magnitudes(80, (3000 // 64 + 1, 33))
    ys = {seed: p.call("filtered_noise", mags, 3000, 128, 64, seed) for seed in (0, 7)}
    expected = {seed: fn_oracle(mags, 3000, 128, 64, seed, "float32") for seed in ys}
    scale = float(np.max(np.sum(np.abs(fs_oracle(mags)), -1)))

    def check(r):
        for seed, ref in ys.items():
            check_filter_output(r, ref, expected[seed], (3000,), "float32", scale,
                                f"filtered_noise's output for seed {seed}", FN_HINT, tv_amplification(3000, 128, 64))
    return check


@CASES.case("test_filtered_noise", points=1, name="float64 magnitudes: a float64 output from the float64 stream")
def fn_float64(p):
    mags = magnitudes(81, (2000 // 32 + 1, 17), np.float64)
    y = p.call("filtered_noise", mags, 2000, 64, 32, 3)
    expected, scale = fn_oracle(mags, 2000, 64, 32, 3, "float64"), float(np.max(np.sum(np.abs(fs_oracle(mags)), -1)))

    def check(r):
        check_filter_output(r, y, expected, (2000,), "float64", scale,
                            "filtered_noise's output for float64 magnitudes",
                            "draw the noise with dtype=magnitudes.dtype: the float64 stream differs from the "
                            "float32 one, so drawing float32 and casting is not the same. " + FN_HINT,
                            tv_amplification(2000, 64, 32))
    return check


@CASES.case("test_filtered_noise", points=1, name="gradients in the magnitudes against the exact VJP")
def fn_gradients(p):
    n, n_fft, hop, n_bins, seed = 100, 32, 16, 9, 5
    mv = magnitudes(82, (n // hop + 1, n_bins), np.float64)
    cv = noise(83, (n,), np.float64)
    m = p.tensor(mv, requires_grad=True)
    y = p.call("filtered_noise", m, n, n_fft, hop, seed)
    grads = p.grad(y, [m], cotangent=cv)
    ref = tv_vjp_mags(torch_noise(n, seed, "float64"), mv.shape[0], n_bins, n_fft, hop, cv)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(n,), dtype="float64", what="the output")
        expect.that(out.requires_grad, "the output does not require grad when the magnitudes do.")
        (g,) = r[grads]
        expect.that(g is not None, "no gradient reaches the magnitudes.")
        expect.close(expect.tensor(g, shape=mv.shape, what="the gradient in the magnitudes"), ref,
                     atol=1e-9 * float(np.max(np.abs(ref))), what="the gradient values in the magnitudes",
                     hint=FN_HINT)
    return check
