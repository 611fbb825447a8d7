"""Speed of the upper rungs of the critical-point ladder (families, transcendental, certified).

    python bench/critical_more.py            # the whole ladder (critical_points) and each rung alone
    python bench/critical_more.py --json     # machine-readable rows

Each case is timed through `symopt.analysis.critical.critical_points` (the ladder, which shows
which rung answered) and through the rung it targets called directly; the target is 10 s each.
Columns: seconds, points, families, complete, and the rung that answered.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import sympy as sp  # noqa: E402

from symopt.analysis.ladder.protocol import GradientSystem  # noqa: E402
from symopt.core.symbols import real_symbol  # noqa: E402

x, y, z = (real_symbol(n) for n in "xyz")
BOX4 = {x: (-4, 4), y: (-4, 4)}

# -- section: families, transcendental, certified (upper rungs) ---------------------------------
UPPER_RUNG_CASES = [
    # (name, f, variables, box, rung that should answer)
    ("circle of minima (x^2+y^2-1)^2", (x**2 + y**2 - 1)**2, (x, y), None, "families"),
    ("line of minima (x-y)^2", (x - y)**2, (x, y), None, "families"),
    ("axes of x^2 y^2", x**2 * y**2, (x, y), None, "families"),
    ("three axes of xyz", x * y * z, (x, y, z), None, "families"),
    ("sin x sin y (lattices)", sp.sin(x) * sp.sin(y), (x, y), None, "transcendental"),
    ("sin x sin y in [-4,4]^2", sp.sin(x) * sp.sin(y), (x, y), BOX4, "transcendental"),
    ("x exp(-x)", x * sp.exp(-x), (x,), None, "transcendental"),
    ("Gaussian saddle e^{-(x^2+y^2)}(x^2-y^2)", sp.exp(-(x**2 + y**2)) * (x**2 - y**2),
     (x, y), None, "transcendental"),
    ("no critical point: exp(x) + y", sp.exp(x) + y, (x, y), None, "transcendental"),
    ("x^4 - 4xy + y^4 + exp(xy)", x**4 - 4 * x * y + y**4 + sp.exp(x * y), (x, y), None,
     "certified"),
    ("x^4 - 4xy + y^4 + exp(xy) in [-10,10]^2", x**4 - 4 * x * y + y**4 + sp.exp(x * y),
     (x, y), {x: (-10, 10), y: (-10, 10)}, "certified"),
    ("cos x + x^2/10", sp.cos(x) + x**2 / 10, (x,), None, "certified"),
    ("sin x + sin y + sin(x+y) in [0,2pi]^2", sp.sin(x) + sp.sin(y) + sp.sin(x + y), (x, y),
     {x: (0, 2 * sp.pi), y: (0, 2 * sp.pi)}, "certified"),
    ("sin x sin y in [-4,4]^2, certified rung", sp.sin(x) * sp.sin(y), (x, y), BOX4,
     "certified"),
    ("Gaussian saddle, certified rung", sp.exp(-(x**2 + y**2)) * (x**2 - y**2), (x, y), None,
     "certified"),
    ("Rosenbrock, certified rung", (1 - x)**2 + 100 * (y - x**2)**2, (x, y), None,
     "certified"),
]


def _rung(name):
    if name == "families":
        from symopt.analysis.ladder.families.rung import FamiliesRung
        return FamiliesRung()
    if name == "transcendental":
        from symopt.analysis.ladder.transcendental.rung import TranscendentalRung
        return TranscendentalRung()
    from symopt.analysis.ladder.certified.rung import CertifiedRung
    return CertifiedRung()


def run_rung(f, variables, box, rung):
    gradient = tuple(sp.diff(f, v) for v in variables)
    system = GradientSystem(f, tuple(variables), gradient,
                            sp.ImmutableMatrix(sp.hessian(f, variables)), box=box)
    start = time.perf_counter()
    outcome = _rung(rung).attempt(system)
    return time.perf_counter() - start, outcome.answer, outcome.note


def run_ladder(f, variables, box):
    from symopt.analysis.critical import critical_points
    start = time.perf_counter()
    answer = critical_points(f, variables, box=box)
    return time.perf_counter() - start, answer, answer.method_trail[-1] if answer.method_trail else ""


def upper_rung_rows():
    rows = []
    for name, f, variables, box, rung in UPPER_RUNG_CASES:
        for how in ("ladder", rung):
            try:
                if how == "ladder":
                    seconds, answer, note = run_ladder(f, variables, box)
                else:
                    seconds, answer, note = run_rung(f, variables, box, rung)
            except Exception as exc:  # noqa: BLE001 - a bench row reports, never stops the bench
                rows.append({"case": name, "via": how, "seconds": None, "error": repr(exc)})
                continue
            rows.append({"case": name, "via": how, "seconds": round(seconds, 3),
                         "points": len(answer.points) if answer else None,
                         "families": len(answer.families) if answer else None,
                         "complete": answer.complete if answer else None,
                         "answered_by": note.split(":")[0] if note else ""})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = upper_rung_rows()
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print("## upper rungs: families, transcendental, certified (target: < 10 s each)")
    print(f"{'case':44} {'via':15} {'seconds':>8} {'pts':>4} {'fam':>4} {'complete':>8}  answered by")
    for r in rows:
        if r.get("error"):
            print(f"{r['case'][:44]:44} {r['via']:15} ERROR {r['error'][:60]}")
            continue
        print(f"{r['case'][:44]:44} {r['via']:15} {r['seconds']:8.2f} {str(r['points']):>4} "
              f"{str(r['families']):>4} {str(r['complete']):>8}  {r['answered_by']}")


if __name__ == "__main__":
    main()
