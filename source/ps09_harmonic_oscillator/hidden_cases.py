"""Grader-only cases for ps09_harmonic_oscillator (never copied to release/).

Oracles are independent of the solution: closed forms for the state-space matrices,
``scipy.signal.cont2discrete(method="bilinear")`` for the discretisation, the plain recursion
in numpy float64 for the simulation (its vector-Jacobian products by central finite
differences of that float64 recursion), ``numpy.linalg.eigvals`` / ``scipy.linalg.expm`` for the
frequency read-back, numpy complex128 for the two-pole response, and analytic trajectories and
responses (true omega known) for the two fits, graded on outcome.
"""
import numpy as np
import scipy.linalg
import scipy.signal

from ddsp_course.grade.cases import expect
from ddsp_course.grade.cases import Cases
from oracles import fd_vjp, rng

CASES = Cases()

F32, F64 = np.float32, np.float64
FIT_TOLERANCE = 0.02   # the spec: fits within 2 % of the true omega
FIT_TIMEOUT = 120.0    # generous: the reference fit takes under a second, a sample-loop model a few seconds


# ------------------------------------------------------------------ helpers
def sho(k, m, dtype=F32):
    """The spec's undamped mass-spring matrices (A, B, C), closed form."""
    A = np.array([[0.0, 1.0], [-k / m, 0.0]], dtype)
    B = np.array([[0.0], [1.0 / m]], dtype)
    C = np.array([[1.0, 0.0]], dtype)
    return A, B, C


def damped(k, c, m=1.0):
    """A of the damped oscillator m x'' + c x' + k x = f (float64)."""
    return np.array([[0.0, 1.0], [-k / m, -c / m]])


def scipy_bilinear(A, B, C, D, dt):
    """The first four results of scipy's bilinear discretisation, float64."""
    out = scipy.signal.cont2discrete(tuple(np.asarray(M, F64) for M in (A, B, C, D)), float(dt), method="bilinear")
    return [np.asarray(M, F64) for M in out[:4]]


def recursion(A, B, C, u, x0):
    """x[n+1] = A x[n] + B u[n], y[n] = C x[n+1], in float64."""
    A, B, C, u, x0 = (np.asarray(M, F64) for M in (A, B, C, u, x0))
    x = x0.copy()
    y = np.empty(u.shape[0])
    for n in range(u.shape[0]):
        x = A @ x + B @ u[n]
        y[n] = (C @ x)[0]
    return y


def stable_matrix(seed, size, radius):
    """A random real matrix scaled to spectral radius ``radius`` (float64)."""
    M = rng(seed).standard_normal((size, size))
    return M * (radius / np.max(np.abs(np.linalg.eigvals(M))))


def eig_frequency(A_d, dt):
    """|Im log(lambda)| / dt from numpy, float64, for the exact matrix sent (same for both eigenvalues)."""
    lam = np.linalg.eigvals(np.asarray(A_d, F64))
    return float(np.max(np.abs(np.angle(lam)))) / dt


def two_pole(pole, omega):
    s = 1j * np.asarray(omega, F64)
    p = complex(pole)
    return 1.0 / ((s - p) * (s - np.conj(p)))


def pole_of(omega0, zeta):
    return complex(-zeta * omega0, omega0 * np.sqrt(1 - zeta**2))


def check_matrices(r, ref, names, expected, dtype, atol_rel, rtol, hint):
    out = expect.sequence(r[ref], length=len(names), what="the result")
    for got, name, want in zip(out, names, expected):
        arr = expect.tensor(got, shape=want.shape, dtype=dtype, what=name)
        scale = max(1.0, float(np.max(np.abs(want))))
        expect.close(arr, want, atol=atol_rel * scale, rtol=rtol, what=f"the values of {name}", hint=hint)


# ================================================================== sho_state_space
SHO_NAMES = ("A", "B", "C")
SHO_HINT = "A = [[0, 1], [-k/m, 0]], B = [[0], [1/m]], C = [[1, 0]]; state [position, velocity], input = force."


@CASES.case("test_sho_state_space", points=1, name="shapes (2, 2), (2, 1), (1, 2), float32 for Python floats",
            visible=True)
def sho_visible_shapes(p):
    out = p.call("sho_state_space", 4.0, 2.0)

    def check(r):
        mats = expect.sequence(r[out], length=3, what="sho_state_space's result (A, B, C)")
        for got, name, shape in zip(mats, SHO_NAMES, ((2, 2), (2, 1), (1, 2))):
            expect.tensor(got, shape=shape, dtype="float32", what=name)
    return check


@CASES.case("test_sho_state_space", points=1, name="values for k = 4, m = 2", visible=True)
def sho_visible_values(p):
    out = p.call("sho_state_space", 4.0, 2.0)

    def check(r):
        check_matrices(r, out, SHO_NAMES, [M.astype(F64) for M in sho(4.0, 2.0)], None, 1e-6, 0.0, SHO_HINT)
    return check


@CASES.case("test_sho_state_space", points=1, name="values for several k and m (Python ints too)")
def sho_values(p):
    params = [(50.0, 0.5), (9, 1), (1.0e4, 3.0), (0.25, 4), (7, 2)]
    outs = [p.call("sho_state_space", k, m) for k, m in params]

    def check(r):
        for (k, m), out in zip(params, outs):
            want = [M.astype(F64) for M in sho(float(k), float(m), F64)]
            check_matrices(r, out, SHO_NAMES, want, "float32", 0.0, 1e-6,
                           SHO_HINT + " Ints must give float32 matrices too.")
    return check


@CASES.case("test_sho_state_space", points=1, name="0-dim float64 tensors give float64 matrices")
def sho_float64(p):
    k, m = np.array(123.4, F64), np.array(0.7, F64)
    out = p.call("sho_state_space", k, m)

    def check(r):
        check_matrices(r, out, SHO_NAMES, list(sho(float(k), float(m), F64)), "float64", 0.0, 1e-12,
                       "build the matrices from k and m in their dtype (no float(...), no hard-coded float32).")
    return check


@CASES.case("test_sho_state_space", points=1, name="0-dim tensors that require grad: gradients reach k and m")
def sho_gradients(p):
    kv, mv = 25.0, 2.0
    k = p.tensor(np.array(kv, F32), requires_grad=True)
    m = p.tensor(np.array(mv, F32), requires_grad=True)
    A = p.item(p.call("sho_state_space", k, m), 0)
    B = p.item(p.call("sho_state_space", k, m), 1)
    ga = p.grad(A, [k, m], cotangent=np.array([[0.0, 0.0], [1.0, 0.0]], F32))   # d A[1, 0]
    gb = p.grad(B, [k, m], cotangent=np.array([[0.0], [1.0]], F32))             # d B[1, 0]

    def check(r):
        for ref, what in ((A, "A"), (B, "B")):
            got = r[ref]
            expect.tensor(got, what=what)
            expect.that(got.requires_grad, f"{what} does not require grad when k and m do. Hint: build the "
                                           "matrices with torch operations on k and m (torch.stack), not "
                                           "torch.tensor([...]) or float(k).")
        dk, dm = r[ga]
        expect.that(dk is not None and dm is not None, "no gradient reaches k or m through A. Hint: A[1, 0] = -k/m.")
        expect.close(expect.tensor(dk, what="dA[1,0]/dk"), -1.0 / mv, atol=1e-6, what="dA[1,0]/dk",
                     hint="A[1, 0] = -k/m.")
        expect.close(expect.tensor(dm, what="dA[1,0]/dm"), kv / mv**2, atol=1e-5, what="dA[1,0]/dm",
                     hint="A[1, 0] = -k/m.")
        dk, dm = r[gb]
        expect.that(dm is not None, "no gradient reaches m through B. Hint: B[1, 0] = 1/m.")
        expect.that(dk is None or abs(float(np.asarray(dk.array))) == 0.0,
                    "B depends on k. Hint: B = [[0], [1/m]].")
        expect.close(expect.tensor(dm, what="dB[1,0]/dm"), -1.0 / mv**2, atol=1e-6, what="dB[1,0]/dm",
                     hint="B[1, 0] = 1/m.")
    return check


# ================================================================== bilinear_discretize
BIL_NAMES = ("A_d", "B_d", "C_d", "D_d")
BIL_HINT = ("M = I - A dt/2: A_d = M^-1 (I + A dt/2), B_d = M^-1 B dt, C_d = C M^-1, D_d = D + C B_d / 2 "
            "(scipy's cont2discrete, method='bilinear').")


def bilinear_visible_inputs():
    A, B, C = sho(4.0, 1.0)
    return A, B, C, np.zeros((1, 1), F32), 0.1


def bilinear_closed_form(w2, dt):
    """The visible test's closed form for the SHO with m = 1 (float64)."""
    h = dt / 2
    det = 1 + w2 * h * h
    A_d = np.array([[1 - w2 * h * h, 2 * h], [-2 * w2 * h, 1 - w2 * h * h]]) / det
    B_d = dt * np.array([[h], [1.0]]) / det
    C_d = np.array([[1.0, h]]) / det
    D_d = np.array([[dt * h / (2 * det)]])
    return [A_d, B_d, C_d, D_d]


@CASES.case("test_bilinear_discretize", points=1, name="oscillator: four float32 matrices of the right shapes",
            visible=True)
def bilinear_visible_shapes(p):
    out = p.call("bilinear_discretize", *bilinear_visible_inputs())

    def check(r):
        mats = expect.sequence(r[out], length=4, what="bilinear_discretize's result (A_d, B_d, C_d, D_d)")
        for got, name, shape in zip(mats, BIL_NAMES, ((2, 2), (2, 1), (1, 2), (1, 1))):
            expect.tensor(got, shape=shape, dtype="float32", what=name)
    return check


@CASES.case("test_bilinear_discretize", points=1, name="oscillator k = 4, m = 1, dt = 0.1: the closed form",
            visible=True)
def bilinear_visible_values(p):
    out = p.call("bilinear_discretize", *bilinear_visible_inputs())

    def check(r):
        check_matrices(r, out, BIL_NAMES, bilinear_closed_form(4.0, 0.1), None, 1e-6, 0.0, BIL_HINT)
    return check


@CASES.case("test_bilinear_discretize", points=1, name="oscillators against scipy for several k, m, dt (float32)")
def bilinear_sho_scipy(p):
    params = [(100.0, 1.0, 0.02, 0.0), (2500.0, 0.5, 0.004, 0.3), (1.0, 2.0, 0.5, -1.0), (4.0e4, 1.0, 0.001, 0.0)]
    steps = []
    for k, m, dt, d in params:
        A, B, C = sho(k, m)
        D = np.array([[d]], F32)
        steps.append(((A, B, C, D, dt), p.call("bilinear_discretize", A, B, C, D, dt)))

    def check(r):
        for args, out in steps:
            check_matrices(r, out, BIL_NAMES, scipy_bilinear(*args), "float32", 1e-5, 1e-5, BIL_HINT)
    return check


GENERAL = (stable_matrix(1, 4, 3.0).astype(F32), rng(2).standard_normal((4, 2)).astype(F32),
           rng(3).standard_normal((3, 4)).astype(F32), rng(4).standard_normal((3, 2)).astype(F32))


@CASES.case("test_bilinear_discretize", points=1, name="a general system (4 states, 2 inputs, 3 outputs) against scipy")
def bilinear_general(p):
    out = p.call("bilinear_discretize", *GENERAL, 0.1)

    def check(r):
        check_matrices(r, out, BIL_NAMES, scipy_bilinear(*GENERAL, 0.1), "float32", 1e-5, 1e-5,
                       BIL_HINT + " Use the shapes of A, B, C, D as given (S states, I inputs, O outputs).")
    return check


F64_SYSTEM = (stable_matrix(5, 3, 10.0), rng(6).standard_normal((3, 1)), rng(7).standard_normal((1, 3)),
              rng(8).standard_normal((1, 1)))


@CASES.case("test_bilinear_discretize", points=1, name="float64 in, float64 out (against scipy at 1e-10)")
def bilinear_float64(p):
    out = p.call("bilinear_discretize", *F64_SYSTEM, 0.05)

    def check(r):
        check_matrices(r, out, BIL_NAMES, scipy_bilinear(*F64_SYSTEM, 0.05), "float64", 1e-10, 1e-10,
                       "keep A's dtype throughout (torch.eye(..., dtype=A.dtype)); " + BIL_HINT)
    return check


@CASES.case("test_bilinear_discretize", points=1, name="dt as a 0-dim tensor")
def bilinear_tensor_dt(p):
    A, B, C = sho(900.0, 1.0)
    D = np.array([[0.5]], F32)
    dt = np.array(0.01, F32)
    out = p.call("bilinear_discretize", A, B, C, D, dt)

    def check(r):
        check_matrices(r, out, BIL_NAMES, scipy_bilinear(A, B, C, D, float(dt)), "float32", 1e-5, 1e-5,
                       "dt may be a Python float or a 0-dim tensor; keep A's dtype. " + BIL_HINT)
    return check


@CASES.case("test_bilinear_discretize", points=1,
            name="gradients in A, B, C and D (float64) against finite differences of scipy")
def bilinear_gradients(p):
    system = (stable_matrix(9, 2, 5.0), rng(10).standard_normal((2, 1)), rng(11).standard_normal((1, 2)),
              rng(12).standard_normal((1, 1)))
    dt = 0.1
    leaves = [p.tensor(M, requires_grad=True) for M in system]
    cots = [rng(20 + i).standard_normal(M.shape) for i, M in enumerate(scipy_bilinear(*system, dt))]
    outs, grads = [], []
    for i in range(4):   # one call per output: each backward gets its own graph
        out = p.item(p.call("bilinear_discretize", *leaves, dt), i)
        outs.append(out)
        grads.append(p.grad(out, leaves, cotangent=cots[i]))
    wants = [fd_vjp(lambda *a, i=i: scipy_bilinear(*a, dt)[i], system, cots[i], range(4)) for i in range(4)]

    def check(r):
        for i, (out, g, want) in enumerate(zip(outs, grads, wants)):
            name = BIL_NAMES[i]
            expect.that(r[out].requires_grad, f"{name} does not require grad when A, B, C, D do. Hint: stay in "
                                              "torch (torch.linalg.solve or inv), no numpy or scipy round trip.")
            for got, ref, arg in zip(r[g], want, ("A", "B", "C", "D")):
                if got is None:
                    expect.that(np.max(np.abs(ref)) < 1e-8,
                                f"no gradient reaches {arg} through {name}. Hint: {BIL_HINT}")
                    continue
                scale = max(1.0, float(np.max(np.abs(ref))))
                expect.close(expect.tensor(got, shape=ref.shape, what=f"the gradient of {name} in {arg}"), ref,
                             atol=1e-6 * scale, what=f"the gradient of {name} in {arg}", hint=BIL_HINT)
    return check


# ================================================================== simulate_state_space
SIM_HINT = "x[n+1] = A x[n] + B u[n], then y[n] = C x[n+1] (the output after the update), starting from x0."


def sim_visible_decay():
    A = np.array([[0.5, 0.0], [0.0, 0.5]], F32)
    B = np.array([[1.0], [0.0]], F32)
    C = np.array([[1.0, 0.0]], F32)
    return A, B, C, np.zeros((6, 1), F32), np.array([1.0, 0.0], F32)


def sim_visible_impulse():
    A = np.array([[0.9, 0.2], [-0.2, 0.9]], F32)
    B = np.array([[1.0], [0.5]], F32)
    C = np.array([[1.0, -1.0]], F32)
    u = np.zeros((8, 1), F32)
    u[0, 0] = 1.0
    return A, B, C, u, np.zeros(2, F32)


@CASES.case("test_simulate_state_space", points=1, name="free decay from x0: shape (N,), float32, y[n] = 0.5^(n+1)",
            visible=True)
def sim_visible_decay_case(p):
    out = p.call("simulate_state_space", *sim_visible_decay())

    def check(r):
        got = expect.tensor(r[out], shape=(6,), dtype="float32", what="the output")
        expect.close(got, 0.5 ** np.arange(1, 7), atol=1e-6, what="the output values", hint=SIM_HINT)
    return check


@CASES.case("test_simulate_state_space", points=1, name="impulse response C A^n B, on the autograd graph",
            visible=True)
def sim_visible_impulse_case(p):
    A, B, C, u, x0 = sim_visible_impulse()
    out = p.call("simulate_state_space", p.tensor(A, requires_grad=True), B, C, u, x0)

    def check(r):
        got = expect.tensor(r[out], shape=(8,), dtype="float32", what="the output")
        want = np.array([(C.astype(F64) @ np.linalg.matrix_power(A.astype(F64), n) @ B)[0, 0] for n in range(8)])
        expect.close(got, want, atol=1e-5, what="the impulse response", hint=SIM_HINT)
        expect.that(r[out].requires_grad, "the output does not require grad when A does. Hint: build y from "
                                          "torch operations (torch.stack / torch.cat), no .item() or numpy.")
    return check


def bilinear_oscillator(omega, dt, dtype=F32):
    A, B, C = sho(omega**2, 1.0, F64)
    A_d, B_d, C_d, _ = scipy_bilinear(A, B, C, np.zeros((1, 1)), dt)
    return A_d.astype(dtype), B_d.astype(dtype), C_d.astype(dtype)


def check_sim(r, out, args, dtype, rel, hint=SIM_HINT):
    want = recursion(*args)
    got = expect.tensor(r[out], shape=want.shape, dtype=dtype, what="the output")
    expect.close(got, want, atol=rel * max(1e-30, float(np.max(np.abs(want)))), what="the output values", hint=hint)


@CASES.case("test_simulate_state_space", points=1,
            name="a bilinear oscillator driven by a force, against the float64 recursion")
def sim_oscillator(p):
    A_d, B_d, C_d = bilinear_oscillator(2 * np.pi * 5.0, 0.005)
    u = (200.0 * rng(30).standard_normal((400, 1))).astype(F32)
    x0 = np.array([1.0, 0.0], F32)
    args = (A_d, B_d, C_d, u, x0)
    out = p.call("simulate_state_space", *args)

    def check(r):
        check_sim(r, out, args, "float32", 1e-4)
    return check


@CASES.case("test_simulate_state_space", points=1, name="4 states, 2 inputs (random stable system)")
def sim_multi_input(p):
    args = (stable_matrix(31, 4, 0.95).astype(F32), rng(32).standard_normal((4, 2)).astype(F32),
            rng(33).standard_normal((1, 4)).astype(F32), rng(34).standard_normal((200, 2)).astype(F32),
            rng(35).standard_normal(4).astype(F32))
    out = p.call("simulate_state_space", *args)

    def check(r):
        check_sim(r, out, args, "float32", 1e-4, SIM_HINT + " B u[n] is (S, I) @ (I,).")
    return check


@CASES.case("test_simulate_state_space", points=1, name="float64 in, float64 out (against the recursion at 1e-12)")
def sim_float64(p):
    A_d, B_d, C_d = bilinear_oscillator(300.0, 1 / 2000, F64)
    args = (A_d, B_d, C_d, rng(36).standard_normal((300, 1)), np.array([0.2, -30.0]))
    out = p.call("simulate_state_space", *args)

    def check(r):
        check_sim(r, out, args, "float64", 1e-12, SIM_HINT + " Keep the inputs' dtype.")
    return check


@CASES.case("test_simulate_state_space", points=1, name="one step (N = 1): y[0] = C (A x0 + B u[0])")
def sim_one_step(p):
    args = (stable_matrix(37, 3, 0.9).astype(F32), rng(38).standard_normal((3, 2)).astype(F32),
            rng(39).standard_normal((1, 3)).astype(F32), rng(40).standard_normal((1, 2)).astype(F32),
            rng(41).standard_normal(3).astype(F32))
    out = p.call("simulate_state_space", *args)

    def check(r):
        check_sim(r, out, args, "float32", 1e-5)
    return check


def damped_discrete(k, c, dt):
    A = damped(k, c)
    A_d, B_d, C_d, _ = scipy_bilinear(A, np.array([[0.0], [1.0]]), np.array([[1.0, 0.0]]), np.zeros((1, 1)), dt)
    return A_d, B_d, C_d


def sim_gradient_case(p, dtype, n):
    A_d, B_d, C_d = (M.astype(dtype) for M in damped_discrete(400.0, 2.0, 0.01))
    u = rng(42).standard_normal((n, 1)).astype(dtype)
    x0 = np.array([0.5, -3.0], dtype)
    cot = rng(43).standard_normal(n).astype(dtype)
    leaves = [p.tensor(M, requires_grad=True) for M in (A_d, B_d, C_d)]
    x0_leaf = p.tensor(x0, requires_grad=True)
    out = p.call("simulate_state_space", leaves[0], leaves[1], leaves[2], u, x0_leaf)
    grads = p.grad(out, leaves + [x0_leaf], cotangent=cot)
    want = fd_vjp(lambda A, B, C, x: recursion(A, B, C, u, x), (A_d, B_d, C_d, x0), cot, range(4))
    return out, grads, want


def check_sim_grads(r, out, grads, want, dtype, rel):
    expect.that(r[out].requires_grad, "the output does not require grad when A, B, C and x0 do. Hint: stay in "
                                      "torch and build y with torch.stack / torch.cat.")
    for got, ref, arg in zip(r[grads], want, ("A", "B", "C", "x0")):
        expect.that(got is not None, f"no gradient reaches {arg}. Hint: {SIM_HINT}")
        arr = expect.tensor(got, shape=ref.shape, dtype=dtype, what=f"the gradient in {arg}")
        expect.close(arr, ref, atol=rel * float(np.max(np.abs(ref))), what=f"the gradient in {arg}", hint=SIM_HINT)


@CASES.case("test_simulate_state_space", points=1,
            name="gradients in A, B, C and x0 (float64) against finite differences of the recursion")
def sim_gradients_float64(p):
    out, grads, want = sim_gradient_case(p, F64, 60)

    def check(r):
        check_sim_grads(r, out, grads, want, "float64", 1e-6)
    return check


@CASES.case("test_simulate_state_space", points=1, name="gradients in A, B, C and x0 for float32 inputs")
def sim_gradients_float32(p):
    out, grads, want = sim_gradient_case(p, F32, 150)

    def check(r):
        check_sim_grads(r, out, grads, want, "float32", 2e-3)
    return check


# ================================================================== omega_from_discrete
OMEGA_HINT = ("|Im(log(lambda))| / dt = |angle(lambda)| / dt for an eigenvalue lambda of A_d, in rad/s; "
              "no un-warping, no 2 pi, no magnitude of the log.")


def rotation(theta, dtype=F32):
    return np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]], dtype)


def check_omega(r, ref, A_d, dt, dtype, rtol, atol=0.0, hint=OMEGA_HINT):
    got = expect.tensor(r[ref], shape=(), dtype=dtype, what="the frequency")
    expect.close(got, eig_frequency(A_d, dt), atol=atol, rtol=rtol, what="the frequency read back", hint=hint)


@CASES.case("test_omega_from_discrete", points=1,
            name="rotation by 0.3 rad per step at dt = 0.01: a 0-dim float32 tensor, 30 rad/s", visible=True)
def omega_visible_rotation(p):
    out = p.call("omega_from_discrete", rotation(0.3), 0.01)

    def check(r):
        got = expect.tensor(r[out], shape=(), dtype="float32", what="the frequency")
        expect.close(got, 30.0, atol=1e-3, what="the frequency read back", hint=OMEGA_HINT)
    return check


@CASES.case("test_omega_from_discrete", points=1,
            name="a bilinear oscillator reads back (2/dt) atan(omega0 dt / 2)", visible=True)
def omega_visible_bilinear(p):
    A_d = bilinear_closed_form(100.0, 0.02)[0].astype(F32)
    out = p.call("omega_from_discrete", A_d, 0.02)

    def check(r):
        got = expect.tensor(r[out], shape=(), dtype="float32", what="the frequency")
        expect.close(got, 100.0 * np.arctan(0.1), atol=1e-3, what="the frequency read back",
                     hint="the bilinear transform warps frequency; read it back as written. " + OMEGA_HINT)
    return check


@CASES.case("test_omega_from_discrete", points=1, name="damped oscillator, exact discretisation: the damped frequency")
def omega_damped(p):
    dt = 0.01
    A_d = scipy.linalg.expm(damped(400.0, 12.0) * dt).astype(F32)
    out = p.call("omega_from_discrete", A_d, dt)

    def check(r):
        check_omega(r, out, A_d, dt, "float32", 2e-4,
                    hint="only the angle of the eigenvalue carries frequency; its modulus is the decay. " + OMEGA_HINT)
    return check


@CASES.case("test_omega_from_discrete", points=1,
            name="bilinear oscillators from scipy (omega0 dt from 0.1 to 0.8): warped, as written")
def omega_bilinear(p):
    params = [(10.0, 0.01), (40.0, 0.005), (200.0, 0.004), (6.0, 1 / 30)]
    steps = []
    for omega0, dt in params:
        A_d = bilinear_oscillator(omega0, dt)[0]
        steps.append((A_d, dt, p.call("omega_from_discrete", A_d, dt)))

    def check(r):
        for A_d, dt, out in steps:
            check_omega(r, out, A_d, dt, "float32", 2e-4)
    return check


@CASES.case("test_omega_from_discrete", points=1, name="a general 2x2 matrix with complex eigenvalues")
def omega_general(p):
    T = np.array([[1.0, 0.4], [-0.3, 2.0]])
    A_d = (T @ (0.97 * rotation(0.7, F64)) @ np.linalg.inv(T)).astype(F32)
    out = p.call("omega_from_discrete", A_d, 0.002)

    def check(r):
        check_omega(r, out, A_d, 0.002, "float32", 2e-4,
                    hint="use the eigenvalues, not the entries of A_d (it need not be a rotation matrix). "
                         + OMEGA_HINT)
    return check


@CASES.case("test_omega_from_discrete", points=1, name="an overdamped system (real positive eigenvalues) reads 0")
def omega_overdamped(p):
    dt = 0.01
    A_d = scipy.linalg.expm(damped(100.0, 40.0) * dt).astype(F32)
    out = p.call("omega_from_discrete", A_d, dt)

    def check(r):
        got = expect.tensor(r[out], shape=(), dtype="float32", what="the frequency")
        expect.close(got, 0.0, atol=1e-3, what="the frequency of a system with real eigenvalues",
                     hint="a real positive eigenvalue has angle 0: only Im(log(lambda)) counts. " + OMEGA_HINT)
    return check


@CASES.case("test_omega_from_discrete", points=1, name="float64 in, float64 out (3000 rad/s at 16 kHz)")
def omega_float64(p):
    dt = 1 / 16000
    A_d = bilinear_oscillator(3000.0, dt, F64)[0]
    out = p.call("omega_from_discrete", A_d, dt)

    def check(r):
        check_omega(r, out, A_d, dt, "float64", 1e-10, hint="keep A_d's dtype. " + OMEGA_HINT)
    return check


# ================================================================== two_pole_response
TWO_POLE_HINT = ("H(j omega) = 1 / ((j omega - p)(j omega - conj(p))): continuous time, s = j omega with omega in "
                 "rad/s, both poles of the pair.")
DTYPE_HINT = "complex64 only when every input is single precision; complex128 as soon as p or omega is double."


@CASES.case("test_two_pole_response", points=1, name="p = -1 + 10j, omega = [0, 10]: complex64 values",
            visible=True)
def two_pole_visible(p):
    out = p.call("two_pole_response", np.array(-1 + 10j, np.complex64), np.array([0.0, 10.0], F32))

    def check(r):
        got = expect.tensor(r[out], shape=(2,), dtype="complex64", what="the response")
        expect.close(got, np.array([1 / 101, (1 - 20j) / 401]), atol=1e-6, what="the response values",
                     hint=TWO_POLE_HINT)
    return check


@CASES.case("test_two_pole_response", points=1, name="a complex128 pole gives complex128", visible=True)
def two_pole_visible_double(p):
    out = p.call("two_pole_response", np.array(-1 + 10j, np.complex128), np.array([0.0, 10.0], F32))

    def check(r):
        expect.tensor(r[out], shape=(2,), dtype="complex128", what="the response")
    return check


def check_two_pole(r, out, pole, omega, dtype, rtol, hint=TWO_POLE_HINT):
    want = two_pole(pole, omega)
    got = expect.tensor(r[out], shape=want.shape, dtype=dtype, what="the response")
    expect.close(got, want, atol=0.0, rtol=rtol, what="the response values", hint=hint)


@CASES.case("test_two_pole_response", points=1,
            name="values against a complex128 oracle (omega0 = 800 rad/s, zeta = 0.02, float32)")
def two_pole_values(p):
    pole = np.array(pole_of(800.0, 0.02), np.complex64)
    omega = np.linspace(0.0, 2400.0, 256).astype(F32)
    out = p.call("two_pole_response", pole, omega)

    def check(r):
        check_two_pole(r, out, pole, omega, "complex64", 1e-4)
    return check


@CASES.case("test_two_pole_response", points=1,
            name="a high resonance on a log grid (2800 rad/s, a decade either side)")
def two_pole_high(p):
    pole = np.array(pole_of(2800.0, 0.05), np.complex64)
    omega = np.geomspace(280.0, 28000.0, 300).astype(F32)
    out = p.call("two_pole_response", pole, omega)

    def check(r):
        check_two_pole(r, out, pole, omega, "complex64", 1e-4,
                       hint="omega is already in rad/s (no 2 pi), and this is the Laplace domain (no e^(j omega)). "
                            + TWO_POLE_HINT)
    return check


@CASES.case("test_two_pole_response", points=1, name="complex64 pole with a float64 grid gives complex128")
def two_pole_float64_grid(p):
    pole = np.array(pole_of(120.0, 0.1), np.complex64)
    omega = np.linspace(0.0, 360.0, 200)
    out = p.call("two_pole_response", pole, omega)

    def check(r):
        check_two_pole(r, out, pole, omega, "complex128", 1e-10, hint=DTYPE_HINT)
    return check


@CASES.case("test_two_pole_response", points=1, name="complex128 pole with a float32 grid gives complex128")
def two_pole_float32_grid(p):
    pole = np.array(pole_of(1234.5, 0.013), np.complex128)
    omega = np.linspace(0.0, 3000.0, 256).astype(F32)
    out = p.call("two_pole_response", pole, omega)

    def check(r):
        check_two_pole(r, out, pole, omega, "complex128", 1e-9,
                       hint=DTYPE_HINT + " Careful: torch lets a (F,) complex64 tensor win over a 0-dim complex128 "
                                         "one, so cast both to the result dtype first.")
    return check


# ================================================================== fit_omega_from_trajectory
def trajectory(omega, dt, periods, x0, v0, dtype):
    """Analytic free motion x(t) = x0 cos(omega t) + v0/omega sin(omega t) at t = n dt."""
    n_samples = int(round(periods * 2 * np.pi / (omega * dt)))
    t = np.arange(n_samples) * dt
    return (x0 * np.cos(omega * t) + v0 / omega * np.sin(omega * t)).astype(dtype)


def check_fit(r, out, omega, hint):
    got = expect.number(r[out], what="the fitted omega")
    expect.that(np.isfinite(got), "the fitted omega is not finite. Hint: " + hint)
    expect.that(abs(got / omega - 1) <= FIT_TOLERANCE,
                "the fitted omega is not within 2 % of the oscillator's. Hint: " + hint)


TRAJ_HINT = ("omega in rad/s; Adam on log(omega) with the given n_iter and lr; waveform MSE between y and the "
             "bilinear model's free response; fit the unknown initial state [position, velocity] too (least "
             "squares at every step, or jointly from a data-based start).")

VISIBLE_TRAJECTORY = dict(omega=10.0, dt=0.015, periods=3, x0=1.0, v0=0.0, dtype=F32)


@CASES.case("test_fit_omega_from_trajectory", points=1,
            name="cos(10 t), dt = 0.015, three periods, start 10 % high: a float within 2 %", visible=True,
            timeout=FIT_TIMEOUT)
def traj_visible(p):
    y = trajectory(**VISIBLE_TRAJECTORY)
    out = p.call("fit_omega_from_trajectory", y, 0.015, 11.0, n_iter=300, lr=0.05)

    def check(r):
        check_fit(r, out, 10.0, TRAJ_HINT)
    return check


TRAJECTORY_CASES = [
    # (case key, name, omega, dt, periods, x0, v0, start factor, dtype)
    ("traj_slow", "omega = 6 rad/s, omega dt = 0.2, 2.5 periods from rest, start 20 % low",
     6.0, 1 / 30, 2.5, 1.0, 0.0, 0.8, F32),
    ("traj_fast_sine", "omega = 40 rad/s, omega dt = 0.1, a pure sine (starts at 0 with velocity), start 20 % high",
     40.0, 0.0025, 3, 0.0, 20.0, 1.2, F32),
    ("traj_float64", "float64, omega = 25 rad/s, two periods, position and velocity, start 15 % low",
     25.0, 0.006, 2, 0.3, -8.0, 0.85, F64),
    ("traj_mixed", "omega = 15 rad/s, three periods, negative position and velocity, start 15 % high",
     15.0, 0.01, 3, -0.5, 10.0, 1.15, F32),
    ("traj_sine_float64", "float64, omega = 33 rad/s, omega dt = 0.2, a sine over 2.2 periods, start 10 % low",
     33.0, 0.006, 2.2, 0.0, 20.0, 0.9, F64),
]


def trajectory_case(omega, dt, periods, x0, v0, factor, dtype):
    def build(p):
        y = trajectory(omega, dt, periods, x0, v0, dtype)
        out = p.call("fit_omega_from_trajectory", y, dt, factor * omega, n_iter=300, lr=0.05)

        def check(r):
            check_fit(r, out, omega, TRAJ_HINT)
        return check
    return build


for _key, _name, *_args in TRAJECTORY_CASES:
    CASES.case("test_fit_omega_from_trajectory", points=1, name=_name, timeout=FIT_TIMEOUT,
               key=_key)(trajectory_case(*_args))


# ================================================================== fit_omega_from_response
def response(omega0, zeta, grid, dtype):
    """Raw |two-pole response| on the grid, both in dtype; the true Im(p)."""
    grid = np.asarray(grid, dtype)
    magnitude = np.abs(two_pole(pole_of(omega0, zeta), grid.astype(F64))).astype(dtype)
    return magnitude, grid, pole_of(omega0, zeta).imag


RESP_HINT = ("omega in rad/s; fit the log magnitude (linear-magnitude MSE stalls), the damping too; Adam on "
             "log(omega) with the given n_iter and lr; return Im(p) as a Python float.")


@CASES.case("test_fit_omega_from_response", points=1,
            name="omega0 = 300 rad/s, zeta = 0.05, linear grid, start 15 % high: a float within 2 %", visible=True,
            timeout=FIT_TIMEOUT)
def resp_visible(p):
    magnitude, grid, target = response(300.0, 0.05, np.linspace(0.0, 900.0, 512), F32)
    out = p.call("fit_omega_from_response", magnitude, grid, 345.0, n_iter=300, lr=0.05)

    def check(r):
        check_fit(r, out, target, RESP_HINT)
    return check


RESPONSE_CASES = [
    # (case key, name, omega0, zeta, grid kind, extent, n points, start factor, dtype)
    ("resp_low_log", "omega0 = 50 rad/s, zeta = 0.01, log grid, start 20 % low", 50.0, 0.01, "log", 0, 256, 0.8, F32),
    ("resp_high_linear", "float64, omega0 = 2800 rad/s, zeta = 0.1, linear grid to 2.5 omega0, start 20 % high",
     2800.0, 0.1, "linear", 2.5, 400, 1.2, F64),
    ("resp_mid_log", "float64, omega0 = 1000 rad/s, zeta = 0.02, log grid, start 10 % low",
     1000.0, 0.02, "log", 0, 512, 0.9, F64),
    ("resp_sharp_linear", "omega0 = 2000 rad/s, zeta = 0.01, linear grid to 2 omega0, start 15 % low",
     2000.0, 0.01, "linear", 2.0, 512, 0.85, F32),
    ("resp_sharp_log", "omega0 = 2800 rad/s, zeta = 0.01, log grid, start 20 % high",
     2800.0, 0.01, "log", 0, 256, 1.2, F32),
]


def response_case(omega0, zeta, kind, extent, n_points, factor, dtype):
    def build(p):
        if kind == "log":
            grid = np.geomspace(omega0 / 10, omega0 * 10, n_points)
        else:
            grid = np.linspace(0.0, extent * omega0, n_points)
        magnitude, grid, target = response(omega0, zeta, grid, dtype)
        out = p.call("fit_omega_from_response", magnitude, grid, factor * omega0, n_iter=300, lr=0.05)

        def check(r):
            check_fit(r, out, target, RESP_HINT)
        return check
    return build


for _key, _name, *_args in RESPONSE_CASES:
    CASES.case("test_fit_omega_from_response", points=1, name=_name, timeout=FIT_TIMEOUT,
               key=_key)(response_case(*_args))
