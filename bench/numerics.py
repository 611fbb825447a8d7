"""Speed of generated numpy code vs hand-written numpy and sympy.lambdify (and jax when present).

Extended Rosenbrock f = sum_{i=1}^{n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2 at n = 2, 10, 100:
f, gradient and Hessian, one point and a batch, plus compile times. Run: python bench/numerics.py
"""

from __future__ import annotations

import math
import os
import sys
import time
import timeit

import numpy as np
import sympy as sp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from symopt.codegen.compile import compile_function  # noqa: E402
from symopt.core.symbols import real_symbol  # noqa: E402

BATCH = 10_000


# -- hand-written numpy (works for (n,) and (..., n)) ----------------------------------------

def rosen(X):
    return np.sum(100.0 * (X[..., 1:] - X[..., :-1] ** 2) ** 2 + (1.0 - X[..., :-1]) ** 2,
                  axis=-1)


def rosen_grad(X):
    xm, xp = X[..., :-1], X[..., 1:]
    d = xp - xm ** 2
    g = np.zeros_like(X)
    g[..., :-1] = -400.0 * xm * d - 2.0 * (1.0 - xm)
    g[..., 1:] += 200.0 * d
    return g


def rosen_hess(X):
    n = X.shape[-1]
    H = np.zeros(X.shape + (n,))
    diag = np.zeros_like(X)
    diag[..., :-1] = 1200.0 * X[..., :-1] ** 2 - 400.0 * X[..., 1:] + 2.0
    diag[..., 1:] += 200.0
    off = -400.0 * X[..., :-1]
    i = np.arange(n - 1)
    H[..., i, i + 1] = off
    H[..., i + 1, i] = off
    k = np.arange(n)
    H[..., k, k] = diag
    return H


def rosenbrock_expr(n):
    xs = [real_symbol(f"x{i}") for i in range(1, n + 1)]
    f = sp.Add(*[100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1)])
    return f, xs


def best(fn, arg, budget=0.05):
    """Best per-call time (seconds): an auto-sized loop, best of several repeats."""
    timer = timeit.Timer(lambda: fn(arg))
    number = 1
    while timer.timeit(number) < budget / 5 and number < 1_000_000:
        number *= 4
    return min(timer.repeat(3, number)) / number


def race(candidates, arg, rounds=4):
    """Best time of each candidate, measured round-robin so that load from other processes
    on the machine hits all of them alike."""
    times = [math.inf] * len(candidates)
    for _ in range(rounds):
        for k, fn in enumerate(candidates):
            try:
                times[k] = min(times[k], best(fn, arg))
            except Exception as exc:  # noqa: BLE001 - lambdify's batch Hessian fails
                times[k] = f"fails ({type(exc).__name__})"
                break
    return times


def lambdified(f, xs):
    t0 = time.perf_counter()
    g = [sp.diff(f, v) for v in xs]
    H = sp.hessian(f, xs)
    lf = sp.lambdify(xs, f, "numpy")
    lg = sp.lambdify(xs, g, "numpy")
    lh = sp.lambdify(xs, H, "numpy")
    seconds = time.perf_counter() - t0
    return ((lambda X: lf(*X)), (lambda X: np.array(lg(*X))),
            (lambda X: np.array(lh(*X))), (lambda X: lf(*np.moveaxis(X, -1, 0))),
            (lambda X: np.array(lg(*np.moveaxis(X, -1, 0)))),
            (lambda X: np.array(lh(*np.moveaxis(X, -1, 0)))), seconds)


def fmt(t):
    if t < 1e-6:
        return f"{t * 1e9:9.1f} ns"
    return f"{t * 1e6:9.2f} us" if t < 1e-2 else f"{t * 1e3:9.2f} ms"


def row(label, hand, ours, ours_nocheck, lamb):
    cells = [f"{label:<16}", fmt(hand), f"{fmt(ours)} ({ours / hand:5.2f}x)",
             f"{fmt(ours_nocheck)} ({ours_nocheck / hand:5.2f}x)"]
    cells.append(lamb if isinstance(lamb, str) else f"{fmt(lamb)} ({lamb / hand:5.2f}x)")
    print(" | ".join(cells))


def bench(n, rng):
    f, xs = rosenbrock_expr(n)
    t0 = time.perf_counter()
    c = compile_function(f, xs)
    compile_s = time.perf_counter() - t0
    c.hessian(np.zeros(n))  # the Hessian is compiled on first use
    hessian_s = c.hessian_compile_seconds
    c_fast = compile_function(f, xs, check=False)
    c_fast.hessian(np.zeros(n))
    lf, lg, lh, lfb, lgb, lhb, lamb_s = lambdified(f, xs)
    x = rng.normal(size=n)
    for name, ours, hand in (("f", c(x), rosen(x)), ("grad", c.gradient(x), rosen_grad(x)),
                             ("hess", c.hessian(x), rosen_hess(x))):
        assert np.allclose(ours, hand, rtol=1e-12, atol=1e-9), name
    print(f"\n=== n = {n}: compile symopt f+grad {compile_s * 1e3:.0f} ms, Hessian (first "
          f"use) {hessian_s * 1e3:.0f} ms "
          f"(path for one point: {sorted(c._scalar) or 'numpy only'} use math code), "
          f"lambdify+diff {lamb_s * 1e3:.0f} ms")
    print(f"{'':<16} | {'hand numpy':>12} | {'symopt (check)':>22} | {'symopt check=False':>22}"
          f" | sympy.lambdify")
    m = BATCH if n <= 10 else BATCH // 10
    X = rng.normal(size=(BATCH, n))
    XH = X[:m]
    vg = (lambda z: (rosen(z), rosen_grad(z)))
    cases = [("f, 1 point", x, 1, rosen, c, c_fast, lf),
             ("grad, 1 point", x, 1, rosen_grad, c.gradient, c_fast.gradient, lg),
             ("hess, 1 point", x, 1, rosen_hess, c.hessian, c_fast.hessian, lh),
             ("f+grad, 1 point", x, 1, vg, c.value_and_grad, c_fast.value_and_grad, None),
             (f"f, {BATCH} pts", X, BATCH, rosen, c, c_fast, lfb),
             (f"grad, {BATCH} pts", X, BATCH, rosen_grad, c.gradient, c_fast.gradient, lgb),
             (f"hess, {m} pts", XH, m, rosen_hess, c.hessian, c_fast.hessian, lhb)]
    for label, arg, count, *fns in cases:
        times = race([fn for fn in fns if fn is not None], arg)
        times = [t / count if isinstance(t, float) else t for t in times]
        row(label, *times, *(["-"] if fns[-1] is None else []))
    try:
        import jax  # noqa: F401
    except ImportError:
        print("(jax not installed: skipped)")


def _try(fn):
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - lambdify's batch Hessian fails: say so
        return f"fails ({type(exc).__name__})"


def main():
    rng = np.random.default_rng(0)
    print("per-call times (batch rows: per point); ratios are vs hand-written numpy")
    for n in (2, 10, 100):
        bench(n, rng)
    solvers = os.path.join(os.path.dirname(os.path.abspath(__file__)), "numerics_solvers.py")
    if os.path.exists(solvers):
        import importlib.util
        spec = importlib.util.spec_from_file_location("numerics_solvers", solvers)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print("\n=== bench/numerics_solvers.py")
        module.main()


if __name__ == "__main__":
    main()
