"""Exact recognition of numeric critical points.

A certified or numeric point whose coordinates are close to simple exact numbers (0, 3/2,
sqrt(2)/2, pi/4, ...) is replaced by the exact point when, and only when, the exact gradient
vanishes there identically (checked symbolically, never by a float) and the exact point lies in
the certified enclosure when there is one. The point is then classified by the exact path.
"""

from __future__ import annotations

import dataclasses
import time

import sympy as sp

from symopt.analysis.exact.boxes import in_box
from symopt.analysis.exact.signs import is_zero
from symopt.budget import budget
from symopt.errors import BudgetExceeded

#: Relative tolerance for proposing a candidate: certified points carry 50 digits, numeric
#: ones about 15. A wrong proposal costs only its (exact) rejection.
_TOLERANCE = {"certified": 1e-30, "numeric": 1e-10}


def _candidate(value, tolerance):
    x = sp.Float(value, 50) if not isinstance(value, sp.Float) else value
    if abs(x) < tolerance:
        return sp.S.Zero
    for constants in ([], [sp.pi, sp.E]):  # plain algebraic numbers first: cheaper
        guess = sp.nsimplify(x, constants, tolerance=tolerance * max(1.0, float(abs(x))))
        if _simple(guess):
            return guess
    return None


def _simple(guess) -> bool:
    """A closed form worth proposing: few operations and small rationals (nsimplify falls back
    to the decimal expansion as a huge fraction, which is no recognition at all)."""
    if guess.has(sp.Float) or sp.count_ops(guess) > 12:
        return False
    return all(abs(r.p) < 10**8 and r.q < 10**4 for r in guess.atoms(sp.Rational))


def _inside(candidate, enclosure) -> bool:
    """The candidate lies in the certified enclosure (its printed bounds widened by 1e-40)."""
    if not enclosure:
        return True
    slack = sp.Rational(1, 10**40)
    widened = {v: (sp.Rational(str(lo)) - slack, sp.Rational(str(hi)) + slack)
               for v, (lo, hi) in enclosure.items()}
    return in_box(candidate, widened) is True


def snap_point(point, f, variables, gradient, hessian, seconds: float = 2.0):
    """The exact CriticalPoint for `point` (a CriticalPoint with method certified/numeric), or
    None when no simple exact point near it provably zeroes the gradient."""
    from symopt.analysis.classify.second_derivative import classify_critical as classify
    from symopt.analysis.results import CriticalPoint
    tolerance = _TOLERANCE.get(point.method, 1e-10)
    try:
        with budget("recognizing an exact point", seconds):
            candidate = {}
            for v in variables:
                c = _candidate(point.point[v], tolerance)
                if c is None:
                    return None
                candidate[v] = c
            if not _inside(candidate, point.enclosure):
                return None
            if not all(is_zero(g.xreplace(candidate)) is True for g in gradient):
                return None
            classification = classify(f, variables, candidate, hessian)
    except (BudgetExceeded, TypeError, ValueError, ZeroDivisionError):
        return None
    return CriticalPoint(candidate, classification, "exact", point.enclosure)


def snap_points(answer, seconds: float = 2.0):
    """`answer` (a CriticalSet) with every non-exact point replaced by its exact twin when one
    is proven; a note says how many were recognized."""
    snapped, count, seen = [], 0, set()
    deadline = time.monotonic() + 3 * seconds  # all points together: a bounded extra
    for p in answer.points:
        q = None
        if p.method != "exact" and time.monotonic() < deadline:
            q = snap_point(p, answer.function, answer.variables, answer.gradient,
                           answer.hessian, seconds)
        if q is not None:
            key = tuple(q.point[v] for v in answer.variables)
            if key in seen:
                continue
            seen.add(key)
            count += 1
        snapped.append(q or p)
    if not count:
        return answer
    note = (f"{count} numeric point(s) recognized as exact: the exact gradient vanishes there "
            f"identically")
    return dataclasses.replace(answer, points=tuple(snapped), notes=tuple(answer.notes) + (note,))
