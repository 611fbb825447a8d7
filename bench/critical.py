"""Critical points: symopt vs sympy.solve vs sympy.nonlinsolve, side by side.

Each (tool, function) runs in its own subprocess capped at TIMEOUT seconds; times are measured
inside the subprocess (imports excluded; symopt after one warm-up call). Columns: real critical
points found (for sympy: real solutions that really zero the gradient / all returned), seconds.

    python bench/critical.py            # the table
    python bench/critical.py --quick    # skip the sympy columns
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

TIMEOUT = 20.0

NAMES = ["himmelblau", "six-hump camel", "beale", "folium x^3+y^3-3xy", "x^4+y^4-4xy+1",
         "rosenbrock", "3-var quartic (27 complex)"]

CHILD = r'''
import json, sys, time
import sympy as sp
from sympy import Rational as Q
x, y, z = sp.symbols("x y z", real=True)
FUNCTIONS = {
    "himmelblau": (x**2 + y - 11)**2 + (x + y**2 - 7)**2,
    "six-hump camel": (4 - Q(21, 10)*x**2 + x**4/3)*x**2 + x*y + (-4 + 4*y**2)*y**2,
    "beale": (Q(3, 2) - x + x*y)**2 + (Q(9, 4) - x + x*y**2)**2 + (Q(21, 8) - x + x*y**3)**2,
    "folium x^3+y^3-3xy": x**3 + y**3 - 3*x*y,
    "x^4+y^4-4xy+1": x**4 + y**4 - 4*x*y + 1,
    "rosenbrock": (1 - x)**2 + 100*(y - x**2)**2,
    "3-var quartic (27 complex)": x**4 + y**4 + z**4 - 4*x*y*z + x*y + y*z - z,
}
tool, name = sys.argv[1], sys.argv[2]
f = FUNCTIONS[name]
vs = sorted(f.free_symbols, key=lambda s: s.name)
grad = [sp.diff(f, v) for v in vs]
def valid(sol):
    try:
        vals = [complex(sp.N(sol[v], 30)) for v in vs]
    except Exception:
        return False
    if any(abs(v.imag) > 1e-12 for v in vals):
        return None  # complex: not a real critical point
    sub = {v: sp.Float(val.real, 30) for v, val in zip(vs, vals)}
    return all(abs(complex(sp.N(g.subs(sub), 30))) < 1e-6 for g in grad)
if tool == "symopt":
    from symopt.analysis.critical import critical_points
    critical_points(x**2 + y**2)
    t = time.perf_counter()
    cs = critical_points(f)
    dt = time.perf_counter() - t
    kinds = {}
    for p in cs.points:
        kinds[p.kind.value] = kinds.get(p.kind.value, 0) + 1
    print(json.dumps({"found": len(cs.points), "returned": len(cs.points), "seconds": dt,
                      "complete": cs.complete, "kinds": kinds}))
else:
    t = time.perf_counter()
    if tool == "solve":
        sols = sp.solve(grad, vs, dict=True)
    else:
        sols = [dict(zip(vs, s)) for s in sp.nonlinsolve(grad, vs)]
    dt = time.perf_counter() - t
    checks = [valid(s) for s in sols]
    print(json.dumps({"found": sum(1 for c in checks if c), "returned": len(sols),
                      "invalid": sum(1 for c in checks if c is False), "seconds": dt}))
'''


def run(tool: str, name: str) -> dict:
    try:
        out = subprocess.run([sys.executable, "-c", CHILD, tool, name], capture_output=True,
                             text=True, timeout=TIMEOUT + 15)
    except subprocess.TimeoutExpired:
        return {"timeout": True}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    res = json.loads(out.stdout.strip().splitlines()[-1])
    if res["seconds"] > TIMEOUT:
        res["timeout"] = True
    return res


def cell(res: dict) -> str:
    if res.get("timeout"):
        return f"timeout >{TIMEOUT:g}s"
    if "error" in res:
        return "error"
    extra = f" ({res['invalid']} bogus)" if res.get("invalid") else ""
    return f"{res['found']}{extra} in {res['seconds']:.3f}s"


def inertia_bench() -> float:
    import numpy as np
    import sympy as sp
    from symopt.analysis.exact.inertia import rational_inertia
    rng = np.random.default_rng(0)
    A = rng.integers(-9, 10, size=(6, 6))
    H = sp.ImmutableMatrix(sp.Matrix(A + A.T) / 7)
    rational_inertia(H)
    n = 200
    t = time.perf_counter()
    for _ in range(n):
        rational_inertia(H)
    return (time.perf_counter() - t) / n


def main() -> None:
    quick = "--quick" in sys.argv
    tools = ["symopt"] if quick else ["symopt", "solve", "nonlinsolve"]
    print(f"{'function':28s} | " + " | ".join(f"{t:24s}" for t in tools) + " | symopt kinds")
    print("-" * (32 + 27 * len(tools) + 20))
    for name in NAMES:
        results = [run(t, name) for t in tools]
        kinds = results[0].get("kinds", {})
        complete = "complete" if results[0].get("complete") else "NOT proven complete"
        print(f"{name:28s} | " + " | ".join(f"{cell(r):24s}" for r in results)
              + f" | {kinds} {complete}")
    print(f"\nexact inertia of a 6x6 rational Hessian: {inertia_bench() * 1e3:.3f} ms")
    # Beyond polynomials (families, lattices, certified numerics, degenerate points).
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    import critical_more
    print()
    critical_more.main([])


if __name__ == "__main__":
    main()
