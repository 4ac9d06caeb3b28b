"""Grader-only cases for ps10_modal_synthesis (never copied to release/).

Oracles are numpy float64 and scipy: the string's matrices assembled element by element, the
generalised eigenproblem by ``scipy.linalg.eigh``, the modal sum and its derivatives written out,
the biquad bank evaluated from its definition with its Wirtinger derivatives, and the fits judged
through that same float64 response (mean absolute dB error, poles inside the unit circle).
"""
import numpy as np
import scipy.linalg

from ddsp_course.grade.cases import expect
from ddsp_course.grade.cases import Cases

CASES = Cases()

SR = 16000


# ------------------------------------------------------------------ oracles
def fem_oracle(n_nodes, length, density, tension):
    """Assemble the 2x2 element matrices over every element, then drop the two fixed end nodes."""
    h = length / (n_nodes - 1)
    k_e = tension / h * np.array([[1.0, -1.0], [-1.0, 1.0]])
    m_e = density * h / 6 * np.array([[2.0, 1.0], [1.0, 2.0]])
    K = np.zeros((n_nodes, n_nodes))
    M = np.zeros((n_nodes, n_nodes))
    for e in range(n_nodes - 1):
        K[e:e + 2, e:e + 2] += k_e
        M[e:e + 2, e:e + 2] += m_e
    return K[1:-1, 1:-1], M[1:-1, 1:-1]


def eig_oracle(K, M):
    lam, V = scipy.linalg.eigh(np.asarray(K, np.float64), np.asarray(M, np.float64))
    return np.sqrt(np.maximum(lam, 0.0)), V


def spd_pair(n, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n))
    b = rng.standard_normal((n, n))
    return a @ a.T + n * np.eye(n), b @ b.T + n * np.eye(n)


def modal_oracle(f, d, a, n_samples, sample_rate):
    f, d, a = np.broadcast_arrays(*(np.asarray(x, np.float64) for x in (f, d, a)))
    t = np.arange(n_samples) / sample_rate
    return np.sum(a[..., None] * np.exp(-d[..., None] * t) * np.sin(2 * np.pi * f[..., None] * t), axis=-2)


def modal_vjp_oracle(f, d, a, n_samples, sample_rate, cot):
    """Gradients of sum(cot * y) in f, d and a (all (batch, K), cot (batch, n_samples)), written out."""
    t = np.arange(n_samples) / sample_rate
    env = np.exp(-d[..., None] * t)
    s = np.sin(2 * np.pi * f[..., None] * t)
    c = np.cos(2 * np.pi * f[..., None] * t)
    w = cot[..., None, :]
    return (np.sum(w * a[..., None] * env * c * 2 * np.pi * t, axis=-1),
            np.sum(w * -t * a[..., None] * env * s, axis=-1),
            np.sum(w * env * s, axis=-1))


def modal_float32_atol(f, a, n_samples, sample_rate):
    """The spec's oscillator tolerance: 2.4e-7 * 2 pi f_max * duration * sum_k |a_k| (worst batch item)."""
    a = np.atleast_2d(np.abs(np.asarray(a, np.float64)))
    return 2.4e-7 * 2 * np.pi * float(np.max(f)) * n_samples / sample_rate * float(np.max(a.sum(-1))) + 1e-6


def bank_parts(poles, zeros, gains, omega):
    """Unit sections (F, C, P) and the gains, in complex128."""
    e = np.exp(1j * np.asarray(omega, np.float64))[:, None, None]
    p = np.asarray(poles, np.complex128)
    z = np.asarray(zeros, np.complex128)
    unit = (e - z) * (e - np.conj(z)) / ((e - p) * (e - np.conj(p)))
    return e, p, z, unit, np.asarray(gains, np.float64)


def bank_oracle(poles, zeros, gains, omega):
    _, _, _, unit, g = bank_parts(poles, zeros, gains, omega)
    return np.prod(g * unit, axis=1).sum(axis=1)


def bank_vjp_oracle(poles, zeros, gains, omega, v):
    """torch's gradients of Re(sum conj(v) H): for a complex parameter x, dL/dRe x + i dL/dIm x = 2 dL/d(conj x).

    With B the branch product of the section holding x: dH/dp = B/(e-p), dH/d(conj p) = B/(e-conj p),
    dH/dz = -B/(e-z), dH/d(conj z) = -B/(e-conj z), dH/dg = B/g.
    """
    e, p, z, unit, g = bank_parts(poles, zeros, gains, omega)
    branch = np.prod(g * unit, axis=1, keepdims=True)          # (F, 1, P)
    vv = np.asarray(v)[:, None, None]

    def wirtinger(d_h, d_h_conj):
        return np.sum(np.conj(vv) * d_h_conj + vv * np.conj(d_h), axis=0)

    grad_p = wirtinger(branch / (e - p), branch / (e - np.conj(p)))
    grad_z = wirtinger(-branch / (e - z), -branch / (e - np.conj(z)))
    grad_g = np.sum(np.real(np.conj(vv) * branch / g), axis=0)
    return grad_p, grad_z, grad_g


def random_bank(shape, seed, dtype=np.complex128):
    rng = np.random.default_rng(seed)
    poles = rng.uniform(0.5, 0.95, shape) * np.exp(1j * rng.uniform(0.2, 2.9, shape))
    zeros = rng.uniform(0.1, 1.2, shape) * np.exp(1j * rng.uniform(0.0, np.pi, shape))
    gains = rng.uniform(0.3, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    real = np.float64 if dtype == np.complex128 else np.float32
    return poles.astype(dtype), zeros.astype(dtype), gains.astype(real)


def resonator_target(angles, radii, weights, n_points=512):
    """The spec's fit targets: |a parallel bank of two-pole resonators| on linspace(0, pi, n_points).

    Resonator k is g_k e^{2jw} / ((e^{jw} - p_k)(e^{jw} - conj p_k)) (zeros at the origin), with
    p_k = r_k e^{j theta_k} and g_k = w_k (1 - r_k) 2 sin(theta_k), so that each peak is near |w_k|.
    """
    angles, radii, weights = (np.asarray(x, np.float64) for x in (angles, radii, weights))
    omega = np.linspace(0, np.pi, n_points)
    poles = (radii * np.exp(1j * angles))[None]
    gains = (weights * (1 - radii) * 2 * np.sin(angles))[None]
    return np.abs(bank_oracle(poles, np.zeros_like(poles), gains, omega)), omega


def db_error(poles, zeros, gains, target, omega):
    """Mean |20 log10 |H| - 20 log10 target| through the float64 oracle."""
    h = np.abs(bank_oracle(poles, zeros, gains, omega))
    with np.errstate(divide="ignore"):
        err = np.abs(20 * np.log10(h) - 20 * np.log10(np.asarray(target, np.float64)))
    return float(np.mean(err)) if np.all(np.isfinite(err)) else float("inf")


def sign_invariant_overlap(V, M, V_ref):
    """|V^T M V_ref|: the identity when V's columns are V_ref's up to sign."""
    return np.abs(np.asarray(V, np.float64).T @ np.asarray(M, np.float64) @ V_ref)


# ================================================================== string_fem_matrices
@CASES.case("test_string_fem_matrices", points=1, name="5 nodes of a unit string: shapes, dtype, values",
            visible=True)
def fem_visible(p):
    out = p.call("string_fem_matrices", 5, 1.0, 1.0, 1.0)

    def check(r):
        K, M = expect.sequence(r[out], length=2, what="the result (K, M)")
        K = expect.tensor(K, shape=(3, 3), dtype="float32", what="K")
        M = expect.tensor(M, shape=(3, 3), dtype="float32", what="M")
        expect.close(K, 4.0 * np.array([[2, -1, 0], [-1, 2, -1], [0, -1, 2]]), atol=1e-5, what="the entries of K",
                     hint="K = T/h tridiag(-1, 2, -1) with h = L/(n_nodes - 1).")
        expect.close(M, np.array([[4, 1, 0], [1, 4, 1], [0, 1, 4]]) / 24, atol=1e-6, what="the entries of M",
                     hint="the consistent mass matrix rho h/6 tridiag(1, 4, 1).")
    return check


@CASES.case("test_string_fem_matrices", points=1, name="a guitar string, 12 nodes: values against assembled elements")
def fem_values(p):
    out = p.call("string_fem_matrices", 12, 0.65, 0.0052, 71.0)

    def check(r):
        K, M = expect.sequence(r[out], length=2, what="the result (K, M)")
        K_ref, M_ref = fem_oracle(12, 0.65, 0.0052, 71.0)
        K = expect.tensor(K, shape=(10, 10), dtype="float32", what="K")
        M = expect.tensor(M, shape=(10, 10), dtype="float32", what="M")
        expect.close(K, K_ref, atol=1e-7 * float(np.max(np.abs(K_ref))), rtol=1e-6, what="the entries of K",
                     hint="stiffness T/h on the element scale, h = L/(n_nodes - 1); two elements meet at each "
                          "interior node.")
        expect.that(np.all(np.abs(M - M_ref) <= 1e-6 * np.abs(M_ref) + 1e-12),
                    "the entries of M are off. Hint: each interior node collects 2 rho h/6 from each of its two "
                    "elements (4 rho h/6 on the diagonal) and rho h/6 off the diagonal; a lumped (diagonal) mass "
                    "matrix is a different model.")
    return check


@CASES.case("test_string_fem_matrices", points=1, name="3 nodes (the smallest string): 1 x 1 matrices")
def fem_three_nodes(p):
    out = p.call("string_fem_matrices", 3, 2.0, 0.5, 10.0)

    def check(r):
        K, M = expect.sequence(r[out], length=2, what="the result (K, M)")
        K = expect.tensor(K, shape=(1, 1), dtype="float32", what="K")
        M = expect.tensor(M, shape=(1, 1), dtype="float32", what="M")
        K_ref, M_ref = fem_oracle(3, 2.0, 0.5, 10.0)
        expect.close(K, K_ref, atol=0.0, rtol=1e-6, what="K for 3 nodes",
                     hint="one free node between two elements of length L/2.")
        expect.close(M, M_ref, atol=0.0, rtol=1e-6, what="M for 3 nodes",
                     hint="one free node between two elements of length L/2.")
    return check


@CASES.case("test_string_fem_matrices", points=1,
            name="the modes of K and M lie just above n pi sqrt(T/rho)/L (consistent mass)")
def fem_frequencies(p):
    out = p.call("string_fem_matrices", 40, 0.65, 0.0052, 71.0)

    def check(r):
        K, M = expect.sequence(r[out], length=2, what="the result (K, M)")
        K = expect.tensor(K, shape=(38, 38), what="K")
        M = expect.tensor(M, shape=(38, 38), what="M")
        expect.that(np.allclose(M, M.T) and np.all(np.linalg.eigvalsh(M.astype(np.float64)) > 0),
                    "M is not symmetric positive definite. Hint: tridiag(1, 4, 1) times rho h/6.")
        omegas, _ = eig_oracle(K, M)
        exact = np.arange(1, 6) * np.pi * np.sqrt(71.0 / 0.0052) / 0.65
        rel = omegas[:5] / exact - 1
        expect.that(np.all(rel < 0.01) and np.all(rel > -0.01),
                    "the lowest frequencies of your K and M are more than 1 % from n pi sqrt(T/rho)/L. Hint: "
                    "check h = L/(n_nodes - 1) and which factors carry T, rho and h.")
        expect.that(np.all(rel > 1e-6),
                    "the lowest frequencies of your K and M lie below the exact ones. With linear elements a "
                    "consistent mass matrix errs upwards and a lumped (diagonal) one downwards. Hint: use the "
                    "consistent mass matrix.")
    return check


# ================================================================== modal_decomposition
VIS_K = np.array([[2.0, -1.0], [-1.0, 2.0]], np.float32)
VIS_M = np.array([[2.0, 0.0], [0.0, 2.0]], np.float32)


@CASES.case("test_modal_decomposition", points=1, name="a 2 x 2 problem: shapes, dtype, values, M-orthonormal",
            visible=True)
def decomposition_visible(p):
    out = p.call("modal_decomposition", VIS_K, VIS_M)

    def check(r):
        omegas, modes = expect.sequence(r[out], length=2, what="the result (omegas, modes)")
        omegas = expect.tensor(omegas, shape=(2,), dtype="float32", what="omegas")
        modes = expect.tensor(modes, shape=(2, 2), dtype="float32", what="modes")
        expect.close(omegas, np.sqrt([0.5, 1.5]), atol=1e-6, what="omegas",
                     hint="the square roots of the generalised eigenvalues, ascending.")
        expect.close(modes.T @ VIS_M @ modes, np.eye(2), atol=1e-5, what="modes.T @ M @ modes",
                     hint="normalise each column v so that v^T M v = 1.")
    return check


def check_decomposition(r, out, K, M, dtype, omega_rtol, overlap_atol, what):
    omegas, modes = expect.sequence(r[out], length=2, what="the result (omegas, modes)")
    n = K.shape[0]
    omegas = expect.tensor(omegas, shape=(n,), dtype=dtype, what=f"omegas ({what})")
    modes = expect.tensor(modes, shape=(n, n), dtype=dtype, what=f"modes ({what})")
    ref_omegas, ref_modes = eig_oracle(K, M)
    expect.close(omegas, ref_omegas, atol=0.0, rtol=omega_rtol, what=f"omegas ({what})",
                 hint="sqrt of the eigenvalues of K v = lambda M v, ascending, in rad/s (no 2 pi), solved in "
                      "float64 whatever the input dtype.")
    expect.close(modes.astype(np.float64).T @ M @ modes, np.eye(n), atol=overlap_atol,
                 what=f"modes.T @ M @ modes ({what})",
                 hint="columns are modes, each scaled so that v^T M v = 1 (M-orthonormal), not to unit length.")
    expect.close(sign_invariant_overlap(modes, M, ref_modes), np.eye(n), atol=overlap_atol,
                 what=f"|modes.T @ M @ reference modes| ({what})",
                 hint="column k must be the mode of omegas[k] (columns, not rows; same order as omegas).")


@CASES.case("test_modal_decomposition", points=1, name="random symmetric pair in float64: values, M-orthonormal, "
                                                     "each column its mode (up to sign)")
def decomposition_float64(p):
    K, M = spd_pair(8, 0)
    out = p.call("modal_decomposition", K, M)

    def check(r):
        check_decomposition(r, out, K, M, "float64", 1e-10, 1e-9, "float64 pair")
    return check


@CASES.case("test_modal_decomposition", points=1, name="the same in float32 (float32 results)")
def decomposition_float32(p):
    K, M = (x.astype(np.float32) for x in spd_pair(6, 1))
    out = p.call("modal_decomposition", K, M)

    def check(r):
        check_decomposition(r, out, K.astype(np.float64), M.astype(np.float64), "float32", 1e-5, 1e-4,
                            "float32 pair")
    return check


def string_float32(n_nodes, length, density, tension):
    """K = k tridiag(-1, 2, -1), M = m tridiag(1, 4, 1) in float32, with k and m the float32 values of
    T/h and rho h/6 (scaling by 2 and 4 is exact, so the float32 matrices keep the exact structure)."""
    n = n_nodes - 2
    h = length / (n_nodes - 1)
    k, m = np.float32(tension / h), np.float32(density * h / 6)
    band = np.eye(n, k=1, dtype=np.float32) + np.eye(n, k=-1, dtype=np.float32)
    return k * (2 * np.eye(n, dtype=np.float32) - band), m * (4 * np.eye(n, dtype=np.float32) + band)


def string_eig_oracle(n_nodes, K, M):
    """The discrete eigenpairs of k tridiag(-1, 2, -1) v = lambda m tridiag(1, 4, 1) v in closed form:
    v_j[i] = sin(j pi (i + 1) / N), lambda_j = k (2 - 2 cos x_j) / (m (4 + 2 cos x_j)), x_j = j pi / N,
    N = n_nodes - 1 elements; v_j^T M v_j = m (4 + 2 cos x_j) N / 2."""
    N = n_nodes - 1
    k, m = -float(K[0, 1]), float(M[0, 1])
    j = np.arange(1, N)
    x = j * np.pi / N
    omegas = np.sqrt(k * (2 - 2 * np.cos(x)) / (m * (4 + 2 * np.cos(x))))
    V = np.sin(np.outer(np.arange(1, N), j) * np.pi / N) / np.sqrt(m * (4 + 2 * np.cos(x)) * N / 2)
    return omegas, V


@CASES.case("test_modal_decomposition", points=1,
            name="a float32 string of 200 nodes: the low modes to float64 accuracy")
def decomposition_string200(p):
    K, M = string_float32(200, 0.65, 0.0052, 71.0)
    out = p.call("modal_decomposition", K, M)

    def check(r):
        omegas, modes = expect.sequence(r[out], length=2, what="the result (omegas, modes)")
        omegas = expect.tensor(omegas, shape=(198,), dtype="float32", what="omegas")
        modes = expect.tensor(modes, shape=(198, 198), dtype="float32", what="modes")
        ref_omegas, ref_modes = string_eig_oracle(200, K, M)
        expect.close(omegas[:20], ref_omegas[:20], atol=0.0, rtol=1e-5, what="the 20 lowest omegas",
                     hint="a float32 eigensolve errs by ~1e-4 here, more than the discretisation error: "
                          "convert K and M to float64, solve, and cast the results back.")
        expect.close(sign_invariant_overlap(modes[:, :20], M, ref_modes[:, :20]), np.eye(20), atol=1e-4,
                     what="|modes.T @ M @ reference modes| for the 20 lowest modes",
                     hint="M-orthonormal columns, solved in float64.")
    return check


@CASES.case("test_modal_decomposition", points=1, name="ascending order when the matrices are given out of order")
def decomposition_order(p):
    K = np.diag([9.0, 1.0, 16.0, 4.0])
    M = np.diag([1.0, 2.0, 1.0, 1.0])
    out = p.call("modal_decomposition", K, M)

    def check(r):
        omegas, modes = expect.sequence(r[out], length=2, what="the result (omegas, modes)")
        omegas = expect.tensor(omegas, shape=(4,), dtype="float64", what="omegas")
        expect.that(np.all(np.diff(omegas) > 0), "omegas are not in ascending order. Hint: a general eigensolver "
                                                  "(torch.linalg.eig) does not sort; eigh does, or sort yourself "
                                                  "and permute the columns with the same indices.")
        check_decomposition(r, out, K, M, "float64", 1e-10, 1e-9, "diagonal pair")
    return check


@CASES.case("test_modal_decomposition", points=1, name="a rigid-body mode: a slightly negative eigenvalue gives 0")
def decomposition_clamp(p):
    # A free-free string (no node fixed) has a zero-frequency mode; shift it just below zero.
    n = 7
    K = 2 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)
    K[0, 0] = K[-1, -1] = 1.0
    M = (4 * np.eye(n) + np.eye(n, k=1) + np.eye(n, k=-1)) / 6
    M[0, 0] = M[-1, -1] = 2 / 6
    K = K - 1e-10 * M
    out = p.call("modal_decomposition", K, M)

    def check(r):
        omegas, _ = expect.sequence(r[out], length=2, what="the result (omegas, modes)")
        omegas = expect.tensor(omegas, shape=(n,), dtype="float64", what="omegas")
        expect.that(np.all(np.isfinite(omegas)), "omegas contain NaN. Hint: clamp the eigenvalues at 0 before "
                                                 "the square root (rounding makes a zero eigenvalue slightly "
                                                 "negative).")
        expect.that(abs(omegas[0]) <= 1e-6, "the rigid-body mode's frequency is not 0. Hint: clamp negative "
                                            "eigenvalues to 0 (not their absolute value).")
        expect.close(omegas[1:], eig_oracle(K, M)[0][1:], atol=0.0, rtol=1e-10, what="the other omegas")
    return check


# ================================================================== modal_synth
@CASES.case("test_modal_synth", points=1, name="one undamped 1 kHz mode: 16 samples, shape, dtype, values",
            visible=True)
def synth_visible(p):
    y = p.call("modal_synth", np.array([1000.0], np.float32), np.array([0.0], np.float32),
               np.array([1.0], np.float32), 16, 16000)

    def check(r):
        got = expect.tensor(r[y], shape=(16,), dtype="float32", what="the output")
        expect.close(got, np.sin(2 * np.pi * np.arange(16) / 16), atol=1e-5, what="the output values",
                     hint="sin(2 pi f t) with t = n / sample_rate, starting at n = 0.")
    return check


@CASES.case("test_modal_synth", points=1, name="(batch, K) controls give (batch, n_samples): shape, dtype, "
                                             "values (decays 8/s)", visible=True)
def synth_visible_batch(p):
    f = np.array([[250.0, 500.0, 1000.0], [300.0, 600.0, 900.0]], np.float32)
    d = np.full((2, 3), 8.0, np.float32)
    a = np.array([[1.0, 0.5, 0.25], [0.2, 0.2, 0.2]], np.float32)
    y = p.call("modal_synth", f, d, a, 4000, 16000)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 4000), dtype="float32", what="the output")
        expect.close(got, modal_oracle(f, d, a, 4000, 16000), atol=1e-3, what="the output values",
                     hint="a_k exp(-d_k t) sin(2 pi f_k t), summed over k; decays are rates in 1/s.")
    return check


def synth_controls(batch, k, seed, dtype, f_max=4000.0):
    rng = np.random.default_rng(seed)
    f = rng.uniform(60.0, f_max, (batch, k)).astype(dtype)
    d = rng.uniform(0.5, 30.0, (batch, k)).astype(dtype)
    a = (rng.uniform(0.1, 1.0, (batch, k)) * rng.choice([-1.0, 1.0], (batch, k))).astype(dtype)
    return f, d, a


@CASES.case("test_modal_synth", points=1, name="float64: one second of 6 modes against a float64 oracle (1e-8)")
def synth_float64(p):
    f, d, a = synth_controls(3, 6, 10, np.float64, f_max=7900.0)
    y = p.call("modal_synth", f, d, a, 16000, 16000)
    expected = modal_oracle(f, d, a, 16000, 16000)

    def check(r):
        got = expect.tensor(r[y], shape=(3, 16000), dtype="float64", what="the output for float64 controls")
        expect.close(got, expected, atol=1e-8, what="the float64 output values",
                     hint="t = n / sample_rate in the controls' dtype (torch.arange defaults to float32 and int64); "
                          "frequencies in Hz, so the phase is 2 pi f t.")
    return check


@CASES.case("test_modal_synth", points=1, name="float32: one second of 8 modes up to 4 kHz at 22.05 kHz, the "
                                             "oscillator tolerance")
def synth_float32(p):
    f, d, a = synth_controls(2, 8, 11, np.float32)
    y = p.call("modal_synth", f, d, a, 22050, 22050)
    expected = modal_oracle(f, d, a, 22050, 22050)

    def check(r):
        got = expect.tensor(r[y], shape=(2, 22050), dtype="float32", what="the output")
        expect.close(got, expected, atol=modal_float32_atol(f, a, 22050, 22050),
                     what="the float32 output values",
                     hint="use the sample_rate given; exp(-d t) with d a rate in 1/s; sin, starting at t = 0.")
    return check


@CASES.case("test_modal_synth", points=1, name="(K,) controls give (n_samples,); (K,) broadcast against (batch, K)")
def synth_broadcast(p):
    f, d, a = synth_controls(3, 5, 12, np.float64)
    y_flat = p.call("modal_synth", f[0], d[0], a[0], 3000, 8000)
    y_mixed = p.call("modal_synth", f[0], d[0], a, 3000, 8000)
    y_mixed2 = p.call("modal_synth", f, d[1], a[2], 3000, 8000)

    def check(r):
        got = expect.tensor(r[y_flat], shape=(3000,), dtype="float64", what="the output for (K,) controls")
        expect.close(got, modal_oracle(f[0], d[0], a[0], 3000, 8000), atol=1e-8,
                     what="the output values for (K,) controls", hint="sum over the modes only.")
        got = expect.tensor(r[y_mixed], shape=(3, 3000), dtype="float64",
                            what="the output for (K,) frequencies and decays with (batch, K) amplitudes")
        expect.close(got, modal_oracle(f[0], d[0], a, 3000, 8000), atol=1e-8,
                     what="the output values with broadcast frequencies and decays",
                     hint="broadcast the three controls against each other (torch.broadcast_tensors).")
        got = expect.tensor(r[y_mixed2], shape=(3, 3000), dtype="float64",
                            what="the output for (batch, K) frequencies with (K,) decays and amplitudes")
        expect.close(got, modal_oracle(f, d[1], a[2], 3000, 8000), atol=1e-8,
                     what="the output values with broadcast decays and amplitudes")
    return check


@CASES.case("test_modal_synth", points=1, name="gradients in frequencies, decays and amplitudes (float64)")
def synth_gradients(p):
    fv, dv, av = synth_controls(2, 4, 13, np.float64, f_max=2000.0)
    cot = np.random.default_rng(14).standard_normal((2, 1500))
    f, d, a = (p.tensor(x, requires_grad=True) for x in (fv, dv, av))
    y = p.call("modal_synth", f, d, a, 1500, 16000)
    g = p.grad(y, [f, d, a], cotangent=cot)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(2, 1500), dtype="float64", what="the output")
        expect.that(out.requires_grad, "the output does not require grad. Hint: torch operations only, no numpy "
                                       "round trip, no .item().")
        grads = expect.sequence(r[g], length=3, what="the gradients")
        for got, ref, name in zip(grads, modal_vjp_oracle(fv, dv, av, 1500, 16000, cot),
                                  ("frequencies", "decays", "amplitudes")):
            expect.that(got is not None, f"no gradient reaches the {name}.")
            got = expect.tensor(got, shape=ref.shape, dtype="float64", what=f"the gradient in the {name}")
            expect.close(got, ref, atol=1e-9 * (1 + float(np.max(np.abs(ref)))), what=f"the gradient in the {name}",
                         hint="y = sum_k a_k exp(-d_k t) sin(2 pi f_k t), built from differentiable torch ops.")
    return check


@CASES.case("test_modal_synth", points=1, name="float32 gradients through broadcast (K,) frequencies")
def synth_gradients_broadcast(p):
    fv, dv, av = synth_controls(3, 4, 15, np.float32, f_max=1500.0)
    cot = np.random.default_rng(16).standard_normal((3, 800)).astype(np.float32)
    f = p.tensor(fv[0], requires_grad=True)
    d = p.tensor(dv[0], requires_grad=True)
    a = p.tensor(av, requires_grad=True)
    y = p.call("modal_synth", f, d, a, 800, 16000)
    g = p.grad(y, [f, d, a], cotangent=cot)

    def check(r):
        out = r[y]
        expect.tensor(out, shape=(3, 800), dtype="float32", what="the output")
        expect.that(out.requires_grad, "the output does not require grad when the controls do.")
        grads = expect.sequence(r[g], length=3, what="the gradients")
        f64, d64, a64 = (x.astype(np.float64) for x in (fv, dv, av))
        gf, gd, ga = modal_vjp_oracle(np.broadcast_to(f64[0], a64.shape), np.broadcast_to(d64[0], a64.shape), a64,
                                      800, 16000, cot.astype(np.float64))
        for got, ref, name in zip(grads, (gf.sum(0), gd.sum(0), ga), ("frequencies", "decays", "amplitudes")):
            expect.that(got is not None, f"no gradient reaches the {name}.")
            got = expect.tensor(got, shape=ref.shape, dtype="float32", what=f"the gradient in the {name}")
            expect.close(got, ref, atol=2e-4 * (1 + float(np.max(np.abs(ref)))), what=f"the gradient in the {name}",
                         hint="a (K,) control shared by every batch item collects the gradient of all of them.")
    return check


# ================================================================== biquad_bank_response
VIS_OMEGA = np.array([0.0, np.pi / 2, np.pi], np.float32)


@CASES.case("test_biquad_bank_response", points=1, name="one section, pole 0.5j, zeros at 0: shape, dtype, values",
            visible=True)
def bank_visible(p):
    h = p.call("biquad_bank_response", np.array([[0.5j]], np.complex64), np.array([[0j]], np.complex64),
               np.array([[1.0]], np.float32), VIS_OMEGA)

    def check(r):
        got = expect.tensor(r[h], shape=(3,), dtype="complex64", what="the response")
        expect.close(got, [0.8, 4 / 3, 0.8], atol=1e-6, what="the response values",
                     hint="g (e^{jw} - z)(e^{jw} - conj z) / ((e^{jw} - p)(e^{jw} - conj p)).")
    return check


@CASES.case("test_biquad_bank_response", points=1, name="a (2, 3) bank in float64 against the definition")
def bank_float64(p):
    poles, zeros, gains = random_bank((2, 3), 20)
    omega = np.linspace(0, np.pi, 300)
    h = p.call("biquad_bank_response", poles, zeros, gains, omega)

    def check(r):
        got = expect.tensor(r[h], shape=(300,), dtype="complex128", what="the response")
        ref = bank_oracle(poles, zeros, gains, omega)
        expect.close(got, ref, atol=1e-10 * float(np.max(np.abs(ref))), what="the complex response",
                     hint="each section has the conjugate pair of poles and of zeros; sections multiply down a "
                          "branch (the cascade, first axis) and branches add (second axis).")
    return check


@CASES.case("test_biquad_bank_response", points=1,
            name="a (3, 2) bank in float32 (complex64), negative frequencies too")
def bank_float32(p):
    poles, zeros, gains = random_bank((3, 2), 21, np.complex64)
    omega = np.linspace(-np.pi, np.pi, 257).astype(np.float32)
    h = p.call("biquad_bank_response", poles, zeros, gains, omega)

    def check(r):
        got = expect.tensor(r[h], shape=(257,), dtype="complex64", what="the response")
        ref = bank_oracle(poles, zeros, gains, omega)
        expect.close(got, ref, atol=1e-5 * float(np.max(np.abs(ref))), rtol=1e-4, what="the complex response",
                     hint="a real filter: H(-w) = conj H(w); evaluate at z = e^{+jw}.")
    return check


@CASES.case("test_biquad_bank_response", points=1, name="a pure cascade (4, 1) and a pure parallel bank (1, 4)")
def bank_structure(p):
    poles, zeros, gains = random_bank((4, 1), 22)
    omega = np.linspace(0, np.pi, 64)
    h_cascade = p.call("biquad_bank_response", poles, zeros, gains, omega)
    h_parallel = p.call("biquad_bank_response", poles.T, zeros.T, gains.T, omega)

    def check(r):
        for ref_h, (pp, zz, gg), what in ((h_cascade, (poles, zeros, gains), "cascade (4, 1)"),
                                          (h_parallel, (poles.T, zeros.T, gains.T), "parallel bank (1, 4)")):
            got = expect.tensor(r[ref_h], shape=(64,), dtype="complex128", what=f"the response of the {what}")
            ref = bank_oracle(pp, zz, gg, omega)
            expect.close(got, ref, atol=1e-10 * float(np.max(np.abs(ref))), what=f"the response of the {what}",
                         hint="axis 0 is the cascade (sections multiply), axis 1 the parallel branches (they add).")
    return check


@CASES.case("test_biquad_bank_response", points=1,
            name="dtype rule: any double input gives complex128, all single give complex64")
def bank_dtypes(p):
    poles, zeros, gains = random_bank((2, 2), 23, np.complex64)
    omega32 = np.linspace(0, np.pi, 50).astype(np.float32)
    omega64 = omega32.astype(np.float64)
    h_omega = p.call("biquad_bank_response", poles, zeros, gains, omega64)
    h_gains = p.call("biquad_bank_response", poles, zeros, gains.astype(np.float64), omega32)
    h_poles = p.call("biquad_bank_response", poles.astype(np.complex128), zeros, gains, omega32)

    def check(r):
        ref = bank_oracle(poles, zeros, gains, omega64)
        for h, what in ((h_omega, "float64 omega"), (h_gains, "float64 gains"), (h_poles, "complex128 poles")):
            got = expect.tensor(r[h], shape=(50,), dtype="complex128", what=f"the response with {what}")
            expect.close(got, ref, atol=1e-5 * float(np.max(np.abs(ref))), what=f"the response with {what}",
                         hint="promote to double precision when any input is double.")
    return check


@CASES.case("test_biquad_bank_response", points=1, name="gradients in poles, zeros and gains (float64)")
def bank_gradients(p):
    poles, zeros, gains = random_bank((2, 2), 24)
    omega = np.linspace(0, np.pi, 40)
    rng = np.random.default_rng(25)
    cot = rng.standard_normal(40) + 1j * rng.standard_normal(40)
    tp, tz, tg = (p.tensor(x, requires_grad=True) for x in (poles, zeros, gains))
    h = p.call("biquad_bank_response", tp, tz, tg, omega)
    g = p.grad(h, [tp, tz, tg], cotangent=cot)

    def check(r):
        out = r[h]
        expect.tensor(out, shape=(40,), dtype="complex128", what="the response")
        expect.that(out.requires_grad, "the response does not require grad when the poles, zeros and gains do. "
                                       "Hint: torch operations only.")
        grads = expect.sequence(r[g], length=3, what="the gradients")
        for got, ref, name in zip(grads, bank_vjp_oracle(poles, zeros, gains, omega, cot), ("poles", "zeros", "gains")):
            expect.that(got is not None, f"no gradient reaches the {name}.")
            got = expect.tensor(got, shape=ref.shape, what=f"the gradient in the {name}")
            expect.close(got, ref, atol=1e-9 * (1 + float(np.max(np.abs(ref)))), what=f"the gradient in the {name}",
                         hint="use the parameters themselves (and .conj()) in differentiable torch operations.")
    return check


# ================================================================== fit_biquad_bank
# The spec's targets: parallel banks of 3 or 4 two-pole resonators, radii 0.95-0.99, angles in
# [0.15, pi - 0.15] at least 0.3 rad apart, gains of both signs, on 512 points of linspace(0, pi).
TARGET_3A = resonator_target([0.45, 1.35, 2.6], [0.97, 0.95, 0.985], [1.0, -0.7, 1.3])
TARGET_3B = resonator_target([0.25, 0.9, 2.1], [0.99, 0.96, 0.975], [0.8, 1.2, -1.0])
TARGET_4 = resonator_target([0.5, 1.2, 1.9, 2.75], [0.98, 0.96, 0.99, 0.955], [-1.0, 1.1, 0.6, -1.3])
DB_BAR = 3.0


def check_fit(r, out, target, omega, shape, dtype, what):
    poles, zeros, gains = expect.sequence(r[out], length=3, what="the result (poles, zeros, gains)")
    complex_dtype = "complex64" if dtype == "float32" else "complex128"
    parts = ((poles, "poles", complex_dtype), (zeros, "zeros", complex_dtype), (gains, "gains", dtype))
    for value, name, kind in parts:
        expect.tensor(value, shape=shape, dtype=kind, what=f"the fitted {name}")
        expect.that(not value.requires_grad, f"the fitted {name} should be detached (.detach()).")
    radius = float(np.max(np.abs(poles.array)))
    expect.that(radius < 1.0, f"a fitted pole lies on or outside the unit circle (|p| up to {radius:.3f}) for "
                              f"{what}. Hint: parametrise the radius through a sigmoid, so that every |p| < 1 "
                              "(a pole reflected outside has the same magnitude response but is unstable).")
    err = db_error(poles.array, zeros.array, gains.array, target, omega)
    expect.that(err < DB_BAR, f"the fit of {what} is {err:.2f} dB from the target on average (bar {DB_BAR} dB). "
                              "Hint: start the poles spread across (0, pi) at radius ~0.9, the gains at the "
                              "target's level; Adam on the L1 error in dB, zero_grad every step.")


def fit_case(name, target, shape, seed):
    magnitude, omega = target

    def build(p):
        out = p.call("fit_biquad_bank", magnitude.astype(np.float32), omega.astype(np.float32),
                     shape[0], shape[1], 500, 0.02, seed)

        def check(r):
            check_fit(r, out, magnitude, omega, shape, "float32", f"{name} with a {shape} bank, seed {seed}")
        return check
    return build


VIS_TARGET = resonator_target([0.8, 2.0], [0.95, 0.96], [1.0, -1.0])


@CASES.case("test_fit_biquad_bank", points=1, name="20 steps on two resonators: shapes, dtypes, detached, "
                                                 "poles inside the unit circle", visible=True, timeout=60)
def fit_visible(p):
    magnitude, omega = VIS_TARGET
    out = p.call("fit_biquad_bank", magnitude.astype(np.float32), omega.astype(np.float32), 1, 3, 20, 0.02, 0)

    def check(r):
        poles, zeros, gains = expect.sequence(r[out], length=3, what="the result (poles, zeros, gains)")
        for value, name, kind in ((poles, "poles", "complex64"), (zeros, "zeros", "complex64"),
                                  (gains, "gains", "float32")):
            expect.tensor(value, shape=(1, 3), dtype=kind, what=f"the fitted {name}")
            expect.that(not value.requires_grad, f"the fitted {name} should be detached (.detach()).")
        expect.that(float(np.max(np.abs(poles.array))) < 1.0, "a pole lies on or outside the unit circle. "
                                                               "Hint: radius through a sigmoid.")
    return check


for _name, _target, _shape in (("three resonators A", TARGET_3A, (1, 4)), ("three resonators B", TARGET_3B, (2, 3)),
                               ("four resonators", TARGET_4, (2, 4))):
    for _seed in (0, 1):
        CASES.case("test_fit_biquad_bank", points=1,
                   name=f"{_name}, a {_shape} bank, seed {_seed}: mean error < 3 dB, |p| < 1 (500 steps, lr 0.02)",
                   timeout=90, key=f"fit_{_name.replace(' ', '_')}_{_shape[0]}x{_shape[1]}_seed{_seed}",
                   )(fit_case(_name, _target, _shape, _seed))


@CASES.case("test_fit_biquad_bank", points=1, name="a float64 target: float64 results, mean error < 3 dB",
            timeout=90)
def fit_float64(p):
    magnitude, omega = TARGET_4
    out = p.call("fit_biquad_bank", magnitude, omega, 2, 4, 500, 0.02, 0)

    def check(r):
        check_fit(r, out, magnitude, omega, (2, 4), "float64", "the float64 target")
    return check


@CASES.case("test_fit_biquad_bank", points=1, name="the start is drawn from the seed (deterministic)", timeout=60)
def fit_seeded(p):
    magnitude, omega = (x.astype(np.float32) for x in TARGET_3A)
    a = p.call("fit_biquad_bank", magnitude, omega, 1, 4, 30, 0.02, 3)
    b = p.call("fit_biquad_bank", magnitude, omega, 1, 4, 30, 0.02, 3)
    c = p.call("fit_biquad_bank", magnitude, omega, 1, 4, 30, 0.02, 4)

    def check(r):
        fits = []
        for ref in (a, b, c):
            parts = expect.sequence(r[ref], length=3, what="the result (poles, zeros, gains)")
            fits.append([expect.tensor(x, shape=(1, 4)) for x in parts])
        same = all(np.array_equal(x, y) for x, y in zip(fits[0], fits[1]))
        expect.that(same, "two fits with the same seed differ. Hint: draw every random start from "
                          "torch.Generator().manual_seed(seed), not from the global generator.")
        expect.that(not all(np.array_equal(x, y) for x, y in zip(fits[0], fits[2])),
                    "fits with different seeds are identical: let the seed change the start.")
    return check
