"""Solvers vs scipy.optimize.minimize on Rosenbrock, n = 2, 10, 100, from (-1.2, 1, -1.2, 1, ...).

symopt "bfgs" vs scipy "BFGS" and symopt "newton" vs scipy "trust-exact", with the SAME
derivatives for both: hand-written numpy, and symopt.codegen's compiled code when it imports.
Both stop at ||grad||_2 <= 1e-6 (scipy's BFGS with norm=2). Two Rosenbrock variants:
  extended (More, Garbow & Hillstrom): sum over pairs 100 (x_{2i} - x_{2i-1}^2)^2 + (1 - x_{2i-1})^2
  chained  (scipy.optimize.rosen, bench/numerics.py): sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2
Prints iterations, f, ||grad||, best-of-3 wall time, time per iteration and the symopt/scipy
ratios. Run: python bench/numerics_solvers.py
"""

from __future__ import annotations

import os
import sys
import time

# One BLAS thread for both sides: on a loaded 2-core machine a multi-threaded LAPACK call
# (eigh, 100 x 100) can take 300 ms instead of 1 ms while its threads wake up. Effective only
# when this script is the first to import numpy (python bench/numerics_solvers.py).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from symopt.solvers import minimize  # noqa: E402

TOL = 1e-6
REPEAT = 5


class Numpy:
    """An objective from hand-written numpy functions."""

    def __init__(self, f, g, h):
        self.f, self.g, self.h = f, g, h

    def __call__(self, x):
        return self.f(x)

    def gradient(self, x):
        return self.g(x)

    def hessian(self, x):
        return self.h(x)


def extended(x):
    a, b = x[0::2], x[1::2]
    return float(np.sum(100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2))


def extended_grad(x):
    a, b = x[0::2], x[1::2]
    g = np.empty_like(x)
    g[0::2] = -400.0 * a * (b - a * a) - 2.0 * (1.0 - a)
    g[1::2] = 200.0 * (b - a * a)
    return g


def extended_hess(x):
    n = len(x)
    h = np.zeros((n, n))
    a, b = x[0::2], x[1::2]
    i = np.arange(0, n, 2)
    h[i, i] = 1200.0 * a * a - 400.0 * b + 2.0
    h[i, i + 1] = h[i + 1, i] = -400.0 * a
    h[i + 1, i + 1] = 200.0
    return h


def _expr(kind, n):
    import sympy as sp
    from symopt.core.symbols import real_symbol
    xs = [real_symbol(f"x{i}") for i in range(1, n + 1)]
    if kind == "extended":
        terms = [100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(0, n, 2)]
    else:
        terms = [100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1)]
    return sp.Add(*terms), xs


def objectives(kind, n):
    """{label: objective} for the hand-written and (when available) compiled derivatives."""
    from scipy.optimize import rosen, rosen_der, rosen_hess
    hand = (Numpy(extended, extended_grad, extended_hess) if kind == "extended"
            else Numpy(rosen, rosen_der, rosen_hess))
    found = {"numpy": hand}
    try:
        from symopt.codegen.compile import compile_function
        expr, xs = _expr(kind, n)
        found["compiled"] = compile_function(expr, xs)
    except Exception as exc:  # report and go on with numpy derivatives only
        print(f"  (compiled objective unavailable: {type(exc).__name__}: {exc})")
    return found


def _best(run):
    best, out = float("inf"), None
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - t0)
    return best, out


def compare(obj, x0, ours, theirs):
    from scipy.optimize import minimize as scipy_minimize
    t_ours, r = _best(lambda: minimize(obj, x0, method=ours, tol=TOL))
    options = {"gtol": TOL, "norm": 2} if theirs == "BFGS" else {"gtol": TOL}
    hess = obj.hessian if theirs == "trust-exact" else None
    t_sc, s = _best(lambda: scipy_minimize(obj, x0, jac=obj.gradient, hess=hess, method=theirs,
                                           options=options))
    return (r.nit, float(r.fun), r.grad_norm, t_ours, r.status.value), \
           (int(s.nit), float(s.fun), float(np.linalg.norm(s.jac)), t_sc, "ok" if s.success else "fail")


def main():
    header = (f"{'variant':9} {'n':>4} {'derivs':8} {'solver':18} {'iters':>6} {'f':>10} "
              f"{'||grad||':>9} {'time ms':>9} {'ms/iter':>8}   ratio iters / ms/iter")
    print(f"symopt vs scipy.optimize.minimize, tol ||grad||_2 <= {TOL:g}, best of {REPEAT}")
    print(header)
    print("-" * len(header))
    for kind in ("extended", "chained"):
        for n in (2, 10, 100):
            x0 = np.array([-1.2, 1.0] * (n // 2))
            for label, obj in objectives(kind, n).items():
                for ours, theirs in (("bfgs", "BFGS"), ("newton", "trust-exact")):
                    a, b = compare(obj, x0, ours, theirs)
                    for name, row in ((f"symopt {ours}", a), (f"scipy {theirs}", b)):
                        nit, fun, gn, t, st = row
                        per = 1e3 * t / max(nit, 1)
                        line = (f"{kind:9} {n:>4} {label:8} {name:18} {nit:>6} {fun:>10.3g} "
                                f"{gn:>9.2g} {1e3 * t:>9.2f} {per:>8.3f}")
                        if name.startswith("scipy"):
                            ratio_it = a[0] / max(b[0], 1)
                            ratio_t = (a[3] / max(a[0], 1)) / (b[3] / max(b[0], 1))
                            line += f"   {ratio_it:5.2f} / {ratio_t:5.2f}"
                        if st not in ("converged", "ok"):
                            line += f"  [{st}]"
                        if name.startswith("scipy") and abs(a[1] - b[1]) > 1e-6 * (1 + abs(b[1])):
                            line += "  [different local minima]"
                        print(line)


if __name__ == "__main__":
    main()
