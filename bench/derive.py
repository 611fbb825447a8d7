"""Speed of exact gradients and Hessians: symopt vs sympy.parse_expr + sympy.hessian.

    python bench/derive.py            # everything; slow baselines capped (default 150 s each)
    python bench/derive.py --quick    # skip the baselines that take minutes
    python bench/derive.py --cap 60   # other cap, seconds

Cases (the functions are built as TEXT and parsed):
* rosenbrock-n: extended Rosenbrock sum_{i=1}^{n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2;
* lse-50x10: the dense log-sum-exp log(sum_{k=1}^{50} exp(a_k . x)), x in R^10, written with
  log and exp (as a user would type it), with fixed nonzero integer coefficients
  a_ki = ((7k + 3i) mod 11) - 5, replaced by 6 when that is 0, so every term involves every
  variable;
* lse-sym-50x10: the same with symbolic coefficients a<k>_<i> (500 parameters), the harder
  case for sympy;
* lse-node-50x10: the integer case written logsumexp(a_1 . x, ..., a_50 . x) (symopt only:
  sympy has no logsumexp).

symopt's side: `symopt.language.parse` (when the language package provides it, parser built
once before timing; otherwise the expression is built with SymPy constructors and the last
column says so), then
`symopt.core.calculus.gradient` and `gradient_and_hessian`. The baseline runs in a subprocess
with a timeout and prints "> CAP s" when capped. ratio = baseline total / symopt total.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import sympy as sp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


# -- the functions, as text (and, for the fallback, as SymPy constructors) -------------------

def _coefficient(k: int, i: int) -> int:
    return ((7 * k + 3 * i) % 11) - 5 or 6


def rosenbrock(n: int):
    names = [f"x{i}" for i in range(1, n + 1)]
    text = " + ".join(f"100*(x{i + 1} - x{i}**2)**2 + (1 - x{i})**2" for i in range(1, n))

    def build(x, symbol):
        return sp.Add(*[100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(n - 1)])
    return text, names, build


def lse(m: int = 50, n: int = 10, form: str = "log"):
    """form "log": log(sum exp(a_k . x)) with integer a_ki; "sym": the same with symbolic
    parameters a<k>_<i>; "node": logsumexp(a_1 . x, ..., a_m . x) with integer a_ki."""
    names = [f"x{i}" for i in range(1, n + 1)]
    if form == "sym":
        rows = [" + ".join(f"a{k}_{i}*x{i}" for i in range(1, n + 1)) for k in range(1, m + 1)]
    else:
        rows = [" + ".join(f"({_coefficient(k, i)})*x{i}" for i in range(1, n + 1))
                for k in range(1, m + 1)]
    if form == "node":
        text = "logsumexp(" + ", ".join(rows) + ")"
    else:
        text = "log(" + " + ".join(f"exp({r})" for r in rows) + ")"

    def build(x, symbol):
        from symopt.core.functions import logsumexp
        def a(k, i):
            return symbol(f"a{k}_{i}") if form == "sym" else _coefficient(k, i)
        linear = [sp.Add(*[a(k, i) * x[i - 1] for i in range(1, n + 1)]) for k in range(1, m + 1)]
        if form == "node":
            return logsumexp(*linear)
        return sp.log(sp.Add(*[sp.exp(r) for r in linear]))
    return text, names, build


CASES = {
    "rosenbrock-100": lambda: rosenbrock(100),
    "rosenbrock-200": lambda: rosenbrock(200),
    "rosenbrock-1000": lambda: rosenbrock(1000),
    "lse-50x10": lambda: lse(form="log"),
    "lse-sym-50x10": lambda: lse(form="sym"),
    "lse-node-50x10": lambda: lse(form="node"),
}
NO_BASELINE = {"lse-node-50x10"}
SLOW_BASELINES = {"rosenbrock-200", "rosenbrock-1000", "lse-50x10", "lse-sym-50x10"}


# -- symopt's side ----------------------------------------------------------------------------

def _symopt_parse(case: str):
    """(expr, variables, how): symopt.language.parse when available, else SymPy constructors
    (never from the text: symopt does not sympify text)."""
    from symopt.core.symbols import real_symbol
    text, names, build = CASES[case]()
    variables = [real_symbol(name) for name in names]
    try:
        from symopt.language import parse
    except ImportError:
        parse = None
    if parse is not None:
        result = parse(text)
        expr = getattr(result, "expr", result)
        found = {s.name for s in expr.free_symbols}
        assert set(names) <= found, f"parse lost variables: {sorted(set(names) - found)[:5]}"
        return expr, variables, "symopt.parse"
    return build(variables, real_symbol), variables, "built (no parse yet)"


def _warm_up() -> None:
    """Build the parser once (a one-time cost, lazily paid by the first parse)."""
    try:
        from symopt.language import parse
        parse("x + 1")
    except ImportError:
        pass


def run_symopt(case: str) -> dict:
    from symopt.core import calculus
    t0 = time.perf_counter()
    expr, variables, how = _symopt_parse(case)
    t1 = time.perf_counter()
    calculus.gradient(expr, variables)
    t2 = time.perf_counter()
    _, H = calculus.gradient_and_hessian(expr, variables)
    t3 = time.perf_counter()
    assert H == H.T
    return {"parse": t1 - t0, "how": how, "gradient": t2 - t1, "grad+hess": t3 - t2,
            "total": (t1 - t0) + (t3 - t2)}


# -- the baseline, in a subprocess ------------------------------------------------------------

def baseline_child(case: str) -> None:
    text, names, _ = CASES[case]()
    t0 = time.perf_counter()
    expr = sp.parse_expr(text)
    t1 = time.perf_counter()
    sp.hessian(expr, [sp.Symbol(n) for n in names])
    t2 = time.perf_counter()
    print(json.dumps({"parse": t1 - t0, "hessian": t2 - t1, "total": t2 - t0}))


def run_baseline(case: str, cap: float) -> dict | None:
    """None when capped."""
    try:
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--baseline-child", case],
                             capture_output=True, text=True, timeout=cap, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the table --------------------------------------------------------------------------------

def _s(seconds: float) -> str:
    return f"{seconds:8.3f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the slow baselines")
    parser.add_argument("--cap", type=float, default=150.0, help="baseline timeout, seconds")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated case names")
    parser.add_argument("--baseline-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_child:
        baseline_child(args.baseline_child)
        return 0
    cases = [c for c in args.cases.split(",") if c]
    _warm_up()
    header = (f"{'case':<16} {'parse':>8} {'grad':>8} {'g+H':>8} {'total':>8} | "
              f"{'sp.parse':>8} {'sp.hess':>8} {'sp.total':>9} | {'ratio':>7}  parse by")
    print(header)
    print("-" * len(header))
    for case in cases:
        ours = run_symopt(case)
        if case in NO_BASELINE or (args.quick and case in SLOW_BASELINES):
            base_cols, ratio = f"{'-':>8} {'-':>8} {'skipped':>9}", "-"
        else:
            base = run_baseline(case, args.cap)
            if base is None:
                base_cols = f"{'?':>8} {'?':>8} {'> %g s' % args.cap:>9}"
                ratio = f"> {args.cap / ours['total']:.0f}x"
            else:
                base_cols = f"{_s(base['parse'])} {_s(base['hessian'])} {base['total']:9.3f}"
                ratio = f"{base['total'] / ours['total']:.0f}x"
        print(f"{case:<16} {_s(ours['parse'])} {_s(ours['gradient'])} {_s(ours['grad+hess'])} "
              f"{_s(ours['total'])} | {base_cols} | {ratio:>7}  {ours['how']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
