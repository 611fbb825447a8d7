"""The second-derivative test at a numeric point, with a rigorous error bound on each sign.

The Hessian is evaluated at the given floats (taken as the exact binary numbers they are) in
interval arithmetic, giving a midpoint matrix A and a radius matrix R with H in A +- R. mpmath's
symmetric eigensolver gives A Q ~ Q diag(lambda). Every eigenvalue of H then lies within

    b = ||A Q - Q Lambda||_F + ||Q'Q - I||_F ||A||_F + ||R||_F

of its computed counterpart (residual bound for a nearly orthonormal Q, plus Weyl's inequality
for the entry uncertainty). A sign is decided only when |lambda| > b; otherwise the precision is
raised, and an eigenvalue still inside its bound at the highest precision is reported as
possibly zero (a degenerate, inconclusive verdict).
"""

from __future__ import annotations

import functools

import mpmath
import sympy as sp

from symopt.analysis.exact.intervals import NotEnclosable, enclosure, ivprec, rational_interval
from symopt.analysis.exact.krawczyk import EVAL_ERRORS
from symopt.analysis.exact.programs import IntervalProgram, NotIntervalizable
from symopt.analysis.conditioning import spectral_figures
from symopt.analysis.results import Classification, Kind, Method, Test

PRECISIONS = (30, 60, 120)


def _entry(expr, dps, heuristic: list | None = None):
    """(midpoint, radius) of an exact expression evaluated at float coordinates. Nodes without
    an interval rule fall back to evalf with a generous radius, recorded in `heuristic`."""
    prec = int(dps * 3.33) + 10
    try:
        box = enclosure(expr, prec)
        with mpmath.workprec(prec):
            a, b = mpmath.mpf(box.a), mpmath.mpf(box.b)
            return (a + b) / 2, (b - a) / 2
    except (NotEnclosable, ZeroDivisionError, ValueError):
        if heuristic is not None:
            heuristic.append(expr)
        with mpmath.workdps(dps):
            v = mpmath.mpf(sp.N(expr, dps))
            return v, abs(v) * mpmath.mpf(10) ** (5 - dps) + mpmath.mpf(10) ** (-dps)


@functools.lru_cache(maxsize=64)
def _program(entries: tuple, variables: tuple) -> IntervalProgram:
    return IntervalProgram(list(entries), variables)


def _box_entries(hessian, variables, box, dps):
    """(midpoint, radius) of every Hessian entry enclosed over a box of points (interval
    arithmetic: every point of the box has its Hessian inside)."""
    n = hessian.rows
    bits = int(dps * 3.33) + 10
    program = _program(tuple(hessian), tuple(variables))
    with ivprec(bits), mpmath.workprec(bits):
        X = [rational_interval(lo, hi, bits) for lo, hi in (box[v] for v in variables)]
        values = program(X)
        entries = [(mpmath.mpf(e.mid), mpmath.mpf(e.delta) / 2 + abs(mpmath.mpf(e.mid)) * mpmath.mpf(2) ** (1 - bits)) for e in values]
    return [[entries[i * n + j] for j in range(n)] for i in range(n)]


def _width_dominates(entries, bound) -> bool:
    width = mpmath.sqrt(sum(r ** 2 for row in entries for _, r in row))
    return width > bound / 2


def spectrum_with_bound(H_at_point, dps, heuristic: list | None = None, entries=None):
    """(eigenvalues, eigenvector matrix, uniform error bound) at `dps` digits. `entries`: the
    (midpoint, radius) of each entry when already enclosed (over a box), else computed here."""
    n = H_at_point.rows
    with mpmath.workdps(dps):
        mids = mpmath.matrix(n, n)
        rad2 = mpmath.mpf(0)
        for i in range(n):
            for j in range(n):
                m, r = entries[i][j] if entries is not None else \
                    _entry(H_at_point[i, j], dps, heuristic)
                mids[i, j] = m
                rad2 += r ** 2
        A = (mids + mids.T) / 2
        E, Q = mpmath.eigsy(A)
        L = mpmath.diag(E)
        residual = mpmath.mnorm(A * Q - Q * L, "f")
        ortho = mpmath.mnorm(Q.T * Q - mpmath.eye(n), "f") * mpmath.mnorm(A, "f")
        asym = mpmath.mnorm(mids - A, "f")
        bound = residual + ortho + mpmath.sqrt(rad2) + asym + mpmath.mpf(10) ** (3 - dps)
        return list(E), Q, bound


def classify_numeric(f, variables, point, hessian, box=None, method=Method.NUMERIC,
                     preface: str = "") -> Classification:
    """The second-derivative test at a float point with rigorous eigenvalue bounds. With `box`
    (variable -> (lo, hi)), the Hessian is enclosed over the whole box, so the verdict holds for
    every critical point in it; `method` and `preface` say what is known about criticality."""
    n = len(variables)
    H = hessian.xreplace(point)
    signs, E, Q, bound = None, [], None, None
    heuristic: list = []
    for dps in PRECISIONS:
        try:
            entries = None if box is None else _box_entries(hessian, variables, box, dps)
            E, Q, bound = spectrum_with_bound(H, dps, heuristic, entries)
        except (TypeError, ValueError, ZeroDivisionError, NotIntervalizable, *EVAL_ERRORS):
            return Classification(Kind.INCONCLUSIVE, None, False, method="numeric",
                                  reason="the Hessian could not be evaluated at this point")
        signs = [1 if e > bound else -1 if e < -bound else 0 for e in E]
        if all(signs) or (entries is not None and _width_dominates(entries, bound)):
            break   # decided, or the box's own width makes the bound: more digits cannot help
    vals = tuple(float(e) for e in E)
    vecs = tuple(tuple(float(Q[i, k]) for i in range(n)) for k in range(n))
    try:
        value = sp.Float(sp.N(f.xreplace(point), 17), 17)
    except (TypeError, ValueError):
        value = None
    pos, neg, undecided = signs.count(1), signs.count(-1), signs.count(0)
    note = f" (numeric: eigenvalues at {dps} digits, each within {float(bound):.2e}"
    note += ("; the bound is heuristic for entries without interval rules)" if heuristic else ")")
    if pos == n:
        kind, strict, reason = Kind.MINIMUM, True, "Hessian positive definite" + note
    elif neg == n:
        kind, strict, reason = Kind.MAXIMUM, True, "Hessian negative definite" + note
    elif pos and neg:
        kind, strict, reason = Kind.SADDLE, None, "Hessian indefinite" + note
    else:
        return Classification(Kind.INCONCLUSIVE, None, True, vals, vecs, Test.SECOND_DERIVATIVE,
                              method, value, reason=preface + f"{undecided} eigenvalue(s) within the "
                              f"error bound of 0: the Hessian is numerically singular and the "
                              f"second-derivative test is inconclusive{note}")
    kappa, step, contraction = spectral_figures(vals, kind is Kind.MINIMUM)
    return Classification(kind, strict, undecided > 0, vals, vecs, Test.SECOND_DERIVATIVE, method,
                          value, kappa, step, contraction, None, preface + reason)
