"""The Krawczyk test (interval Newton) for grad f = 0, and high-precision Newton refinement.

For a box X with centre c and Y ~ J(c)^{-1} (J = the Hessian, the Jacobian of the gradient),
    K(X) = c - Y g(c) + (I - Y J(X)) (X - c)
contains every zero of g in X. So K(X) inside the interior of X proves exactly one zero in X
(Krawczyk 1969; Moore), and K(X) disjoint from X proves none. All of it in mpmath.iv interval
arithmetic with outward rounding, so the conclusions are proofs, not estimates.
"""

from __future__ import annotations

import enum

import mpmath

from symopt.analysis.exact.intervals import ivprec as iv_precision  # the one precision manager

iv, mp = mpmath.iv, mpmath.mp

class Verdict(enum.Enum):
    """What the Krawczyk test proved about a box; the value is its message."""

    UNIQUE = "exactly one zero of the gradient in the box"
    NONE = "no zero of the gradient in the box"
    UNKNOWN = "the test could not decide"


EVAL_ERRORS = (ArithmeticError, ValueError, TypeError, mpmath.libmp.libmpf.ComplexResult)




def midpoint(box):
    return [(lo + hi) / 2 for lo, hi in box]


def to_intervals(box):
    return [iv.mpf([lo, hi]) for lo, hi in box]


def inverse_jacobian(hess_prog, center, n):
    """Y = J(center)^{-1} in floating point (any approximation works: the test stays sound)."""
    try:
        values = hess_prog(center, mp)
        jac = mp.matrix([[values[i * n + j] for j in range(n)] for i in range(n)])
        return mp.inverse(jac)
    except (ZeroDivisionError, *EVAL_ERRORS):
        return None


def krawczyk(grad_prog, hess_prog, box, center=None):
    """Verdict.UNIQUE (exactly one zero in box), NONE (no zero) or UNKNOWN."""
    n = len(box)
    center = midpoint(box) if center is None else center
    try:
        X = to_intervals(box)
        gc = grad_prog([iv.mpf(c) for c in center])
        J = hess_prog(X)
        # mean-value form g(X) in g(c) + J(X)(X - c): often excludes 0 where g(X) cannot
        for i in range(n):
            s = gc[i]
            for j in range(n):
                s += J[i * n + j] * (X[j] - iv.mpf(center[j]))
            if s.a > 0 or s.b < 0:
                return Verdict.NONE
    except EVAL_ERRORS:
        return Verdict.UNKNOWN
    Y = inverse_jacobian(hess_prog, center, n)
    if Y is None:
        return Verdict.UNKNOWN
    try:
        K = []
        for i in range(n):
            s = iv.mpf(center[i])
            for j in range(n):
                s -= iv.mpf(Y[i, j]) * gc[j]
            for j in range(n):
                m = iv.mpf(1 if i == j else 0)
                for k in range(n):
                    m -= iv.mpf(Y[i, k]) * J[k * n + j]
                s += m * (X[j] - iv.mpf(center[j]))
            K.append(s)
    except EVAL_ERRORS:
        return Verdict.UNKNOWN
    if any(not (mpmath.isfinite(k.a) and mpmath.isfinite(k.b)) for k in K):
        return Verdict.UNKNOWN
    if any(k.b < x.a or k.a > x.b for k, x in zip(K, X)):
        return Verdict.NONE
    if all(k.a > x.a and k.b < x.b for k, x in zip(K, X)):
        return Verdict.UNIQUE
    return Verdict.UNKNOWN


def refine(grad_prog, hess_prog, start, digits: int = 50, steps: int = 40):
    """Newton's method at `digits` digits from `start`; the point or None if it fails."""
    n = len(start)
    with mp.workdps(digits + 10):
        x = mp.matrix([mp.mpf(s) for s in start])
        for _ in range(steps):
            try:
                g = mp.matrix(grad_prog(list(x), mp))
                hv = hess_prog(list(x), mp)
                jac = mp.matrix([[hv[i * n + j] for j in range(n)] for i in range(n)])
                step = mp.lu_solve(jac, g)
            except (ZeroDivisionError, *EVAL_ERRORS):
                return None
            x = x - step
            if mp.norm(step) <= mp.mpf(10) ** (-digits - 5) * (1 + mp.norm(x)):
                return [x[i] for i in range(n)]
        return [x[i] for i in range(n)] if mp.norm(step) < mp.mpf(10) ** (-digits // 2) else None


def certify(grad_prog, hess_prog, point, search_width, digits: int = 50):
    """(tight enclosure, exclusion region) for a refined root, or None.

    tight: a box of radius ~10^-(digits-8) proven to hold exactly one zero (at ~digits+5
    digits of working precision). region: the largest box (radius search_width/4, /32, ...)
    also proven to hold exactly one zero, used to settle sub-boxes in the branch and bound."""
    bits = int((digits + 8) * 3.33)
    with iv_precision(bits), mp.workprec(bits):
        radius = mp.mpf(10) ** (-(digits - 8)) * (1 + max(abs(p) for p in point))
        tight = [(p - radius, p + radius) for p in point]
        if krawczyk(grad_prog, hess_prog, tight, center=point) is not Verdict.UNIQUE:
            return None
    region = tight
    with iv_precision(64), mp.workprec(64):
        r = mp.mpf(search_width) / 4
        for _ in range(12):
            box = [(p - r, p + r) for p in point]
            if krawczyk(grad_prog, hess_prog, box, center=[mp.mpf(p) for p in point]) is Verdict.UNIQUE:
                region = box
                break
            r /= 8
    return tight, region
