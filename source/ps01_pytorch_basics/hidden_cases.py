"""Grader-only cases for ps01_pytorch_basics (never copied to release/).

Oracles are independent of torch: derivatives written out analytically (numpy's polynomial
derivative, cos for sin, -2x exp(-x^2)) in float64; the closed form
``x_k = 1.5 + (x0 - 1.5) (1 - 2 lr)^k`` of gradient descent on ``x^2 - 3x + 1`` and float64 numpy
recursions for other functions; numpy's least squares for the fitted line, and the float64
recursion of full-batch gradient descent on the mean squared error for short fits.
"""
import numpy as np
from numpy.polynomial import polynomial as npoly

from ddsp_course.grade.cases import expect
from ddsp_course.grade.cases import Cases, Fn
from oracles import noise

CASES = Cases()

HISTORY_ATOL = 1e-5  # the spec: gradient_descent histories elementwise against the closed form, atol 1e-5
QUADRATIC = [1.0, -3.0, 1.0]  # x^2 - 3x + 1, coefficients c_0, c_1, c_2


def python_float(value, what):
    """``value`` must be a Python float (not a tensor, a numpy scalar or an int)."""
    expect.number(value, what=what)
    expect.that(type(value) is float, f"{what} should be a Python float, got a {type(value).__name__}. "
                                      "Hint: .item() on a floating-point 0-dim tensor gives one.")
    return value


def f32(x0):
    """The float32 value a Python number becomes in a float32 tensor, as a Python float."""
    return float(np.float32(x0))


# ------------------------------------------------------------------ oracles
def polynomial_derivative(coefficients, x0):
    return float(npoly.polyval(np.float64(x0), npoly.polyder(np.asarray(coefficients, np.float64))))


def quadratic_closed_form(x0, lr, n_iter):
    """The n_iter iterates of x <- x - lr (2x - 3) from float32(x0), before each step."""
    return 1.5 + (f32(x0) - 1.5) * (1.0 - 2.0 * lr) ** np.arange(n_iter, dtype=np.float64)


def descent_oracle(derivative, x0, lr, n_iter):
    """Plain gradient descent in float64 from float32(x0): the n_iter values before each step."""
    x = f32(x0)
    history = []
    for _ in range(n_iter):
        history.append(x)
        x = x - lr * derivative(x)
    return np.array(history)


def least_squares(x, y):
    """(slope, intercept) minimising sum((slope*x + intercept - y)^2), by numpy's lstsq in float64."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    design = np.stack([x, np.ones_like(x)], axis=1)
    (slope, intercept), *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(slope), float(intercept)


def line_descent_oracle(x, y, n_iter, lr):
    """Full-batch gradient descent on mean((a x + b - y)^2) from a = b = 0, in float64."""
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    a = b = 0.0
    for _ in range(n_iter):
        residual = a * x + b - y
        a, b = a - lr * 2.0 * np.mean(residual * x), b - lr * 2.0 * np.mean(residual)
    return a, b


# ================================================================== derivative_at
DERIVATIVE_HINT = "create a floating-point tensor at x0 with requires_grad=True, call f on it, backward()."


@CASES.case("test_derivative_at", points=1, name="d/dx (x^2 - 3x + 1) at 2.0 is the Python float 1.0", visible=True)
def derivative_visible_polynomial(p):
    d = p.call("derivative_at", Fn("polynomial", QUADRATIC), 2.0)

    def check(r):
        got = python_float(r[d], "derivative_at's result")
        expect.scalar_close(got, 1.0, atol=1e-6, what="the derivative of x^2 - 3x + 1 at 2", hint=DERIVATIVE_HINT)
    return check


@CASES.case("test_derivative_at", points=1, name="d/dx sin(x) at 0.0 is 1.0", visible=True)
def derivative_visible_sine(p):
    d = p.call("derivative_at", Fn("sine_times", 1.0), 0.0)

    def check(r):
        got = python_float(r[d], "derivative_at's result")
        expect.scalar_close(got, 1.0, atol=1e-6, what="the derivative of sin at 0", hint=DERIVATIVE_HINT)
    return check


POLYNOMIAL_POINTS = [
    ([0.5, -2.0, 0.0, 1.5, 0.25], -1.7),
    ([0.5, -2.0, 0.0, 1.5, 0.25], 0.3),
    ([0.5, -2.0, 0.0, 1.5, 0.25], 2.2),
    (QUADRATIC, 1.5),                      # a stationary point: exactly 0
    ([0.0, 0.0, 0.0, 0.0, 1.0], 10.0),     # x^4 at 10: a large slope, 4000
]


@CASES.case("test_derivative_at", points=1, name="polynomials at several points against the analytic derivative")
def derivative_polynomials(p):
    ds = [p.call("derivative_at", Fn("polynomial", c), x0) for c, x0 in POLYNOMIAL_POINTS]

    def check(r):
        for (c, x0), d in zip(POLYNOMIAL_POINTS, ds):
            got = python_float(r[d], "derivative_at's result")
            expect.scalar_close(got, polynomial_derivative(c, f32(x0)), atol=1e-5, rtol=1e-5,
                                what=f"the derivative of a degree-{len(c) - 1} polynomial at x0 = {x0}",
                                hint="use autograd (exact up to float32 rounding), not a finite difference.")
    return check


SMOOTH_POINTS = [("sine_times", (3.0,), x0, lambda x: 3.0 * np.cos(3.0 * x)) for x0 in (-1.2, 0.4, 2.5)] + [
    ("exp_minus_square", (), x0, lambda x: -2.0 * x * np.exp(-x * x)) for x0 in (-0.8, 0.5, 1.3)]


@CASES.case("test_derivative_at", points=1,
            name="sin(3x) and exp(-x^2) at several points against the analytic derivative")
def derivative_smooth(p):
    ds = [p.call("derivative_at", Fn(name, *args), x0) for name, args, x0, _ in SMOOTH_POINTS]

    def check(r):
        for (name, args, x0, derivative), d in zip(SMOOTH_POINTS, ds):
            got = python_float(r[d], "derivative_at's result")
            expect.scalar_close(got, derivative(f32(x0)), atol=1e-5, rtol=1e-5,
                                what=f"the derivative of {name} at x0 = {x0}",
                                hint="use autograd (exact up to float32 rounding), not a finite difference.")
    return check


@CASES.case("test_derivative_at", points=1, name="an integer x0 works")
def derivative_int(p):
    d1 = p.call("derivative_at", Fn("polynomial", [0.5, -2.0, 0.0, 1.5, 0.25]), 2)
    d2 = p.call("derivative_at", Fn("exp_minus_square"), -1)

    def check(r):
        got = python_float(r[d1], "derivative_at's result for x0 = 2")
        expect.scalar_close(got, polynomial_derivative([0.5, -2.0, 0.0, 1.5, 0.25], 2.0), atol=1e-5, rtol=1e-5,
                            what="the derivative at the integer x0 = 2",
                            hint="torch.tensor(2) is an integer tensor, which cannot require grad: convert x0 "
                                 "to a float (or give a floating dtype) first.")
        got = python_float(r[d2], "derivative_at's result for x0 = -1")
        expect.scalar_close(got, 2.0 * np.exp(-1.0), atol=1e-5, rtol=1e-5, what="the derivative at the integer x0 = -1",
                            hint="convert an integer x0 to a floating-point tensor.")
    return check


@CASES.case("test_derivative_at", points=1, name="a float64 0-dim tensor x0: the derivative in float64 precision")
def derivative_float64(p):
    x_sine = np.array(0.123456789, np.float64)
    x_bump = np.array(0.7, np.float64)
    d1 = p.call("derivative_at", Fn("sine_times", 1000.0), x_sine)
    d2 = p.call("derivative_at", Fn("exp_minus_square"), x_bump)

    def check(r):
        got = python_float(r[d1], "derivative_at's result for a float64 tensor")
        expect.scalar_close(got, 1000.0 * np.cos(1000.0 * float(x_sine)), atol=1e-8, rtol=1e-10,
                            what="the derivative of sin(1000 x) at a float64 x0",
                            hint="keep the dtype of a tensor x0 (work on x0.detach().clone()); a float32 copy "
                                 "loses about 7 digits.")
        got = python_float(r[d2], "derivative_at's result for a float64 tensor")
        xb = float(x_bump)
        expect.scalar_close(got, -2.0 * xb * np.exp(-xb * xb), atol=1e-12, rtol=1e-10,
                            what="the derivative of exp(-x^2) at a float64 x0",
                            hint="keep the dtype of a tensor x0.")
    return check


@CASES.case("test_derivative_at", points=1,
            name="a tensor x0 is left untouched: two calls on it give their own derivatives")
def derivative_input_untouched(p):
    x = p.tensor(np.array(0.7, np.float32))
    d1 = p.call("derivative_at", Fn("polynomial", [0.0, 0.0, 1.0]), x)
    d2 = p.call("derivative_at", Fn("sine_times", 2.0), x)
    requires_grad = p.attr(x, "requires_grad")
    grad = p.attr(x, "grad")

    def check(r):
        x0 = f32(0.7)
        got1 = python_float(r[d1], "derivative_at's first result")
        got2 = python_float(r[d2], "derivative_at's second result")
        expect.scalar_close(got1, 2.0 * x0, atol=1e-5, rtol=1e-5, what="the derivative of x^2 at a float32 tensor x0",
                            hint=DERIVATIVE_HINT)
        expect.scalar_close(got2, 2.0 * np.cos(2.0 * x0), atol=1e-5, rtol=1e-5,
                            what="the derivative of sin(2x) at the same tensor, in a second call",
                            hint="gradients accumulate in .grad: differentiate a fresh copy "
                                 "(x0.detach().clone().requires_grad_()), never the caller's tensor.")
        expect.that(r[requires_grad] is False and r[grad] is None,
                    "derivative_at changed the caller's tensor (it now requires grad or holds a .grad). "
                    "Hint: differentiate a detached copy of x0.")
    return check


# ================================================================== gradient_descent
def check_history(r, ref, x0, lr, n_iter):
    """The history as a list of n_iter Python floats."""
    history = expect.sequence(r[ref], length=n_iter, what=f"the history (x0 = {x0}, lr = {lr}, n_iter = {n_iter})",
                              types=(list,))
    return [python_float(h, "each history entry") for h in history]


@CASES.case("test_gradient_descent", points=1,
            name="a list of n_iter = 100 Python floats whose first is x0", visible=True)
def gd_visible_types(p):
    h = p.call("gradient_descent", Fn("polynomial", QUADRATIC), 0.0, lr=0.1, n_iter=100)

    def check(r):
        history = check_history(r, h, 0.0, 0.1, 100)
        expect.that(history[0] == 0.0, "history[0] should be x0. Hint: record x before each step, starting "
                                       "before the first one.")
    return check


@CASES.case("test_gradient_descent", points=1,
            name="x^2 - 3x + 1 from x0 = 0 at lr = 0.1: the closed form", visible=True)
def gd_visible_closed_form(p):
    h = p.call("gradient_descent", Fn("polynomial", QUADRATIC), 0.0, lr=0.1, n_iter=100)

    def check(r):
        history = check_history(r, h, 0.0, 0.1, 100)
        expect.close(history, quadratic_closed_form(0.0, 0.1, 100), atol=HISTORY_ATOL, what="the history values",
                     hint="plain SGD, zero_grad before each backward, x recorded before each step.", plot="values")
    return check


CONVERGENT = [(4.0, 0.3, 40), (-2.5, 0.45, 60), (3.0, 0.8, 50), (10.0, 0.02, 300)]


@CASES.case("test_gradient_descent", points=1, name="the closed form for other starts and 0 < lr < 1")
def gd_convergent(p):
    hs = [p.call("gradient_descent", Fn("polynomial", QUADRATIC), x0, lr, n) for x0, lr, n in CONVERGENT]

    def check(r):
        for (x0, lr, n), h in zip(CONVERGENT, hs):
            history = check_history(r, h, x0, lr, n)
            expect.close(history, quadratic_closed_form(x0, lr, n), atol=HISTORY_ATOL,
                         what=f"the history values for x0 = {x0}, lr = {lr}",
                         hint="use x0 and lr as given; plain SGD, zero_grad before each backward, x recorded "
                              "before each step.")
    return check


@CASES.case("test_gradient_descent", points=1, name="lr = 0.5 reaches the minimum in one step and stays there")
def gd_one_step(p):
    h = p.call("gradient_descent", Fn("polynomial", QUADRATIC), 7.25, 0.5, 10)

    def check(r):
        history = check_history(r, h, 7.25, 0.5, 10)
        expect.close(history, quadratic_closed_form(7.25, 0.5, 10), atol=HISTORY_ATOL, what="the history values",
                     hint="the first entry is x0, the value before the first step.")
    return check


DIVERGENT = [(0.5, 1.0, 20), (1.0, 1.1, 15)]


@CASES.case("test_gradient_descent", points=1, name="lr >= 1: lr = 1 oscillates forever, lr = 1.1 diverges")
def gd_divergent(p):
    hs = [p.call("gradient_descent", Fn("polynomial", QUADRATIC), x0, lr, n) for x0, lr, n in DIVERGENT]

    def check(r):
        for (x0, lr, n), h in zip(DIVERGENT, hs):
            history = check_history(r, h, x0, lr, n)
            expect.close(history, quadratic_closed_form(x0, lr, n), atol=HISTORY_ATOL,
                         what=f"the history values for lr = {lr}",
                         hint="plain SGD with the lr given, no clipping, x recorded before each step.")
    return check


@CASES.case("test_gradient_descent", points=1, name="n_iter = 0 gives [] and n_iter = 1 gives [x0]")
def gd_short(p):
    h0 = p.call("gradient_descent", Fn("polynomial", QUADRATIC), 2.0, 0.1, 0)
    h1 = p.call("gradient_descent", Fn("polynomial", QUADRATIC), 2.0, 0.1, 1)

    def check(r):
        check_history(r, h0, 2.0, 0.1, 0)
        history = check_history(r, h1, 2.0, 0.1, 1)
        expect.that(history[0] == 2.0, "with n_iter = 1 the history should be [x0]. Hint: the value after the "
                                       "last step is not returned.")
    return check


@CASES.case("test_gradient_descent", points=1, name="an integer x0 works")
def gd_int(p):
    h = p.call("gradient_descent", Fn("polynomial", QUADRATIC), 3, 0.25, 20)

    def check(r):
        history = check_history(r, h, 3, 0.25, 20)
        expect.close(history, quadratic_closed_form(3, 0.25, 20), atol=HISTORY_ATOL, what="the history values",
                     hint="x is a float32 tensor even when x0 is an int: torch.tensor(3) is an integer tensor, "
                          "which cannot require grad.")
    return check


@CASES.case("test_gradient_descent", points=1, name="x is float32: from x0 = 0.1 the first entry is float32(0.1)")
def gd_float32(p):
    h = p.call("gradient_descent", Fn("polynomial", QUADRATIC), 0.1, 0.05, 50)

    def check(r):
        history = check_history(r, h, 0.1, 0.05, 50)
        expect.that(history[0] == f32(0.1), "history[0] is not the float32 value of x0 = 0.1. Hint: x is a 0-dim "
                                            "float32 tensor (the default dtype), not float64.")
        expect.close(history, quadratic_closed_form(0.1, 0.05, 50), atol=HISTORY_ATOL, what="the history values",
                     hint="plain SGD, x recorded before each step.")
    return check


OTHER_FUNCTIONS = [
    ("sine_times", (1.0,), lambda x: np.cos(x), 1.0, 0.5, 50),                           # to -pi/2
    ("polynomial", ([0.0, 0.0, -0.5, 0.0, 0.25],), lambda x: x**3 - x, 0.3, 0.1, 100),  # double well, to 1
    ("exp_minus_square", (), lambda x: -2.0 * x * np.exp(-x * x), 0.5, 0.5, 40),        # away from the maximum
]


@CASES.case("test_gradient_descent", points=1, name="sin(x), a double well and exp(-x^2) against a float64 recursion")
def gd_other_functions(p):
    hs = [p.call("gradient_descent", Fn(name, *args), x0, lr, n) for name, args, _, x0, lr, n in OTHER_FUNCTIONS]

    def check(r):
        for (name, _, derivative, x0, lr, n), h in zip(OTHER_FUNCTIONS, hs):
            history = check_history(r, h, x0, lr, n)
            expect.close(history, descent_oracle(derivative, x0, lr, n), atol=HISTORY_ATOL,
                         what=f"the history values for {name}",
                         hint="f is any differentiable function of a 0-dim tensor; plain SGD, x recorded before "
                              "each step.")
    return check


# ================================================================== fit_line
LINE_HINT = ("predict slope * x + intercept of shape (N,), loss ((pred - y)**2).mean(), plain SGD from 0, "
             "zero_grad before each backward.")


def check_line(r, ref, what):
    result = expect.sequence(r[ref], length=2, what=f"fit_line's result ({what})")
    return python_float(result[0], "the slope"), python_float(result[1], "the intercept")


def linspace32(start, stop, n):
    return np.linspace(start, stop, n).astype(np.float32)


@CASES.case("test_fit_line", points=1, name="Line() has two float32 0-dim parameters, slope and intercept, both 0",
            visible=True)
def line_visible_parameters(p):
    params = p.parameters(p.call("Line"))

    def check(r):
        found = r[params]
        expect.that(isinstance(found, dict) and set(found) == {"slope", "intercept"},
                    "Line's parameters should be exactly slope and intercept. Hint: assign two nn.Parameter "
                    "objects to self.slope and self.intercept (no nn.Linear).")
        for name in ("slope", "intercept"):
            value = expect.tensor(found[name], shape=(), dtype="float32", what=f"the parameter {name}")
            expect.that(float(value) == 0.0, f"the parameter {name} should start at 0. Hint: torch.zeros(()).")
    return check


X_VISIBLE = linspace32(-1.0, 1.0, 100)


@CASES.case("test_fit_line", points=1, name="y = 2x + 1 on linspace(-1, 1, 100), 500 steps at lr 0.1: Python floats "
                                           "near (2, 1)", visible=True)
def line_visible_fit(p):
    y = (2.0 * X_VISIBLE + 1.0).astype(np.float32)
    result = p.call("fit_line", X_VISIBLE, y, n_iter=500, lr=0.1)

    def check(r):
        slope, intercept = check_line(r, result, "y = 2x + 1")
        expect.scalar_close(slope, 2.0, atol=1e-3, what="the slope", hint=LINE_HINT)
        expect.scalar_close(intercept, 1.0, atol=1e-3, what="the intercept", hint=LINE_HINT)
    return check


def noisy_line(seed, x, slope, intercept, sigma, dtype=np.float32):
    return (slope * x.astype(np.float64) + intercept + sigma * noise(seed, x.shape, np.float64)).astype(dtype)


BROADCAST_HINT = ("a prediction of shape (N, 1) against y of shape (N,) broadcasts to (N, N) and fits a flat "
                  "line at the mean of y: keep the prediction (N,).")


@CASES.case("test_fit_line", points=1, name="y = 2x + 1 + 0.1 noise, 500 steps at lr 0.1: numpy's least squares "
                                           "within 1e-3")
def line_spec_case(p):
    y = noisy_line(1, X_VISIBLE, 2.0, 1.0, 0.1)
    result = p.call("fit_line", X_VISIBLE, y, 500, 0.1)

    def check(r):
        slope, intercept = check_line(r, result, "noisy line")
        ref_slope, ref_intercept = least_squares(X_VISIBLE, y)
        expect.scalar_close(slope, ref_slope, atol=1e-3, what="the slope against least squares",
                            hint=BROADCAST_HINT)
        expect.scalar_close(intercept, ref_intercept, atol=1e-3, what="the intercept against least squares",
                            hint=LINE_HINT)
    return check


X_OFFSET = linspace32(0.0, 3.0, 60)


@CASES.case("test_fit_line", points=1,
            name="x in [0, 3], negative slope, 500 steps at lr 0.2: least squares within 1e-3")
def line_offset_case(p):
    y = noisy_line(2, X_OFFSET, -1.5, 0.5, 0.2)
    result = p.call("fit_line", X_OFFSET, y, 500, 0.2)

    def check(r):
        slope, intercept = check_line(r, result, "x in [0, 3]")
        ref_slope, ref_intercept = least_squares(X_OFFSET, y)
        expect.scalar_close(slope, ref_slope, atol=1e-3, what="the slope against least squares", hint=BROADCAST_HINT)
        expect.scalar_close(intercept, ref_intercept, atol=1e-3, what="the intercept against least squares",
                            hint=LINE_HINT)
    return check


@CASES.case("test_fit_line", points=1, name="float64 x and y work: least squares within 1e-4")
def line_float64(p):
    x = np.linspace(-2.0, 2.0, 80)
    y = noisy_line(3, x, 0.75, -0.3, 0.05, np.float64)
    result = p.call("fit_line", x, y, 400, 0.1)

    def check(r):
        slope, intercept = check_line(r, result, "float64 data")
        ref_slope, ref_intercept = least_squares(x, y)
        expect.scalar_close(slope, ref_slope, atol=1e-4, what="the slope for float64 data",
                            hint="a float32 0-dim parameter times a float64 tensor is float64: no cast needed "
                                 "(nn.Linear's matrix product would need one). " + BROADCAST_HINT)
        expect.scalar_close(intercept, ref_intercept, atol=1e-4, what="the intercept for float64 data", hint=LINE_HINT)
    return check


@CASES.case("test_fit_line", points=1, name="n_iter = 0 returns the starting parameters (0.0, 0.0)")
def line_no_steps(p):
    y = noisy_line(4, X_VISIBLE, 2.0, 1.0, 0.1)
    result = p.call("fit_line", X_VISIBLE, y, 0, 0.1)

    def check(r):
        slope, intercept = check_line(r, result, "n_iter = 0")
        expect.that(slope == 0.0 and intercept == 0.0, "with n_iter = 0 fit_line should return the starting "
                                                       "parameters. Hint: slope and intercept both start at 0.")
    return check


X_SHORT = (linspace32(-1.0, 1.0, 50) + np.float32(0.3)).astype(np.float32)


@CASES.case("test_fit_line", points=1, name="10 steps at lr 0.05 from (0, 0): the result of plain full-batch SGD")
def line_short_fit(p):
    y = noisy_line(5, X_SHORT, 3.0, -2.0, 0.1)
    result = p.call("fit_line", X_SHORT, y, 10, 0.05)

    def check(r):
        slope, intercept = check_line(r, result, "10 steps")
        ref_slope, ref_intercept = line_descent_oracle(X_SHORT, y, 10, 0.05)
        hint = ("use n_iter and lr as given, start from 0, plain SGD (no momentum) on the mean (not the sum) of "
                "the squared errors, zero_grad before each backward.")
        expect.scalar_close(slope, ref_slope, atol=1e-5, what="the slope after 10 steps", hint=hint)
        expect.scalar_close(intercept, ref_intercept, atol=1e-5, what="the intercept after 10 steps", hint=hint)
    return check


@CASES.case("test_fit_line", points=1, name="Line()(x) maps a (7,) input to a (7,) prediction")
def line_forward_shape(p):
    y = p.method(p.call("Line"), "forward", linspace32(-1.0, 1.0, 7))

    def check(r):
        got = expect.tensor(r[y], shape=(7,), dtype="float32", what="Line()(x) for x of shape (7,)")
        expect.close(got, np.zeros(7), atol=0.0, what="the prediction of a fresh Line",
                     hint="slope * x + intercept with both parameters at 0.")
    return check
