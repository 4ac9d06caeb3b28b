"""Benchmark: the all-pole filter of ps07_iir_filters. Prints figures; asserts nothing.

For T = 16 000 and 64 000 samples and filter orders 2 and 20 (float32, one signal), it times
the forward and the forward+backward pass of

- ``AllPoleFilter`` (the master solution: scipy forward, hand-written backward),
- autograd through the plain sample loop (the master's ``allpole_direct``),

and ``scipy.signal.lfilter``'s forward, all in one run, and prints them as ratios to lfilter's
forward. The course's goals (issue 4): the hand-written backward at least 20x faster than autograd
through the loop at T = 16 000, and the forward within 10x of lfilter.

    .venv/bin/python benchmarks/allpole.py [--loop-repeats N] [--repeats N]

The master's functions are loaded by executing its setup and solution cells
(``tests/support.py::in_process_namespace``), so the figures are those of the notebook's code.
The loop takes seconds per pass at 64 000 samples, so it is timed fewer times (the median is printed).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import numpy as np  # noqa: E402
import scipy.signal  # noqa: E402
import torch  # noqa: E402
from support import in_process_namespace  # noqa: E402

LENGTHS = (16000, 64000)
ORDERS = (2, 20)


def stable_coefficients(order: int, seed: int) -> np.ndarray:
    """a (after the leading 1) of a real all-pole filter with poles at radius 0.5-0.95."""
    rng = np.random.default_rng(seed)
    radius = rng.uniform(0.5, 0.95, order // 2)
    angle = rng.uniform(0.1, np.pi - 0.1, order // 2)
    poles = radius * np.exp(1j * angle)
    return np.real(np.poly(np.concatenate([poles, poles.conj()])))[1:].astype(np.float32)


def time_pass(fn, x_np, a_np, repeats: int) -> tuple[float, float]:
    """Median forward time and median forward+backward time (seconds) of fn(x, a), gradients in both."""
    forward, total = [], []
    cotangent = torch.from_numpy(np.random.default_rng(1).standard_normal(x_np.shape).astype(np.float32))
    for _ in range(repeats):
        x = torch.from_numpy(x_np).requires_grad_()
        a = torch.from_numpy(a_np).requires_grad_()
        start = time.perf_counter()
        y = fn(x, a)
        middle = time.perf_counter()
        y.backward(cotangent)
        end = time.perf_counter()
        forward.append(middle - start)
        total.append(end - start)
    return statistics.median(forward), statistics.median(total)


def time_lfilter(x_np, a_np, repeats: int) -> float:
    denominator = np.concatenate([[1.0], a_np]).astype(np.float32)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        scipy.signal.lfilter([1.0], denominator, x_np)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=30, help="repetitions of the fast passes")
    parser.add_argument("--loop-repeats", type=int, default=0,
                        help="repetitions of the sample loop (default: 3 at 16 000 samples, 1 at 64 000)")
    args = parser.parse_args()

    namespace = in_process_namespace("ps07_iir_filters")
    allpole_filter = namespace["AllPoleFilter"].apply
    allpole_loop = namespace["allpole_direct"]
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, scipy {scipy.__version__}, float32, one signal, 1 torch thread; "
          "times are medians")
    print()

    rows = []
    start_all = time.perf_counter()
    for length in LENGTHS:
        for order in ORDERS:
            x_np = np.random.default_rng(length + order).standard_normal(length).astype(np.float32)
            a_np = stable_coefficients(order, seed=order)
            loop_repeats = args.loop_repeats or (3 if length <= 16000 else 1)
            allpole_filter(torch.from_numpy(x_np), torch.from_numpy(a_np))  # warm-up
            lfilter_fwd = time_lfilter(x_np, a_np, args.repeats)
            apf_fwd, apf_total = time_pass(allpole_filter, x_np, a_np, args.repeats)
            loop_fwd, loop_total = time_pass(allpole_loop, x_np, a_np, loop_repeats)
            rows.append((length, order, lfilter_fwd, apf_fwd, apf_total, loop_fwd, loop_total))
            print(f"  measured T = {length}, order {order} ({time.perf_counter() - start_all:.0f} s so far)",
                  flush=True)

    print()
    print("absolute times (ms)")
    print(f"{'T':>6} {'M':>3} | {'lfilter fwd':>11} | {'AllPole fwd':>11} {'AllPole f+b':>11} | "
          f"{'loop fwd':>10} {'loop f+b':>10}")
    for length, order, lf, af, at, lpf, lpt in rows:
        print(f"{length:>6} {order:>3} | {1e3 * lf:>11.3f} | {1e3 * af:>11.3f} {1e3 * at:>11.3f} | "
              f"{1e3 * lpf:>10.0f} {1e3 * lpt:>10.0f}")
    print()
    print("ratios to scipy.signal.lfilter's forward (= 1)")
    print(f"{'T':>6} {'M':>3} | {'AllPole fwd':>11} {'AllPole f+b':>11} | {'loop fwd':>10} {'loop f+b':>10} | "
          f"{'loop f+b / AllPole f+b':>22}")
    for length, order, lf, af, at, lpf, lpt in rows:
        print(f"{length:>6} {order:>3} | {af / lf:>11.1f} {at / lf:>11.1f} | {lpf / lf:>10.0f} {lpt / lf:>10.0f} | "
              f"{lpt / at:>21.0f}x")
    print()
    print("goals (issue 4), reported, not asserted:")
    for length, order, lf, af, at, lpf, lpt in rows:
        if length == 16000:
            print(f"  T = 16000, order {order:>2}: forward+backward {lpt / at:.0f}x faster than autograd through "
                  f"the loop (goal >= 20x): {'met' if lpt / at >= 20 else 'NOT met'}")
    for length, order, lf, af, at, lpf, lpt in rows:
        print(f"  T = {length}, order {order:>2}: AllPoleFilter forward {af / lf:.1f}x lfilter's "
              f"(goal <= 10x): {'met' if af / lf <= 10 else 'NOT met'}")
    print(f"\ntotal {time.perf_counter() - start_all:.0f} s")


if __name__ == "__main__":
    main()
