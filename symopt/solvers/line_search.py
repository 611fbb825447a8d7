"""Line searches along a descent direction d (g'd < 0): phi(alpha) = f(x + alpha d).

The chapter (section 4.3) calls trying several step sizes and keeping a good one a line search.
`armijo` backtracks until the sufficient-decrease condition
    phi(alpha) <= phi(0) + c1 alpha phi'(0)
holds; `strong_wolfe` also asks for the curvature condition |phi'(alpha)| <= c2 |phi'(0)|
(Nocedal & Wright, Numerical Optimization, Algorithms 3.5 and 3.6, cubic interpolation), which
keeps the BFGS update well defined (y's > 0). Near a minimum, where f(x + alpha d) - f(x) is
below f's rounding level, Hager & Zhang's approximate Wolfe test (the curvature condition, f
within rounding of f(x)) accepts the step instead of failing. A trial point where f is not finite counts as
"too long" and shrinks the step.
"""

from __future__ import annotations

import math

import numpy as np

from symopt.solvers.objective import NonFinite


class LineSearchFailed(Exception):
    """No acceptable step was found (usually: no decrease left at machine precision)."""


def armijo(objective, x, f0, g0, d, alpha0=1.0, c1=1e-4, max_steps=60):
    """Backtracking with safeguarded quadratic interpolation; returns (alpha, x, f, g)."""
    slope = float(g0 @ d)
    if not slope < 0:
        raise LineSearchFailed("not a descent direction")
    alpha = alpha0
    for _ in range(max_steps):
        x_new = x + alpha * d
        try:
            f_new = objective.value(x_new)
        except NonFinite:
            alpha *= 0.1
            continue
        if f_new <= f0 + c1 * alpha * slope:
            return alpha, x_new, f_new, objective.gradient(x_new)
        # minimizer of the quadratic through phi(0), phi'(0), phi(alpha), kept in [0.1, 0.5] alpha
        denom = 2.0 * (f_new - f0 - slope * alpha)
        trial = -slope * alpha * alpha / denom if denom > 0 else 0.5 * alpha
        alpha = min(max(trial, 0.1 * alpha), 0.5 * alpha)
        if alpha * np.linalg.norm(d) <= 1e-16 * (1.0 + np.linalg.norm(x)):
            break
    raise LineSearchFailed("backtracking found no sufficient decrease")


def _cubic_minimizer(a, fa, da, b, fb, db):
    """Minimizer of the cubic interpolating phi and phi' at a and b (N&W eq. 3.59), or None."""
    if a == b:
        return None
    d1 = da + db - 3.0 * (fa - fb) / (a - b)
    disc = d1 * d1 - da * db
    if not (disc >= 0 and math.isfinite(disc)):
        return None
    d2 = math.copysign(math.sqrt(disc), b - a)
    denom = db - da + 2.0 * d2
    if denom == 0 or not math.isfinite(denom):
        return None
    return b - (b - a) * (db + d2 - d1) / denom


def strong_wolfe(objective, x, f0, g0, d, alpha1=1.0, c1=1e-4, c2=0.9, max_steps=40):
    """A step satisfying the strong Wolfe conditions; returns (alpha, x, f, g)."""
    slope0 = float(g0 @ d)
    if not slope0 < 0:
        raise LineSearchFailed("not a descent direction")
    fuzz = 16 * np.finfo(float).eps * abs(f0)  # rounding level of f near f0
    lo = (0.0, f0, slope0, None, None)  # (alpha, phi, phi', x, g): best point with sufficient decrease
    hi = None
    alpha = alpha1
    evals = 0
    while evals < max_steps:
        evals += 1
        x_new = x + alpha * d
        try:
            f_new, g_new = objective.value_and_grad(x_new)
        except NonFinite:
            hi = (alpha, math.inf, math.nan, None, None)
        else:
            slope = float(g_new @ d)
            point = (alpha, f_new, slope, x_new, g_new)
            if f_new <= f0 + fuzz and abs(slope) <= -c2 * slope0 and slope <= 0.5 * abs(slope0):
                # approximate Wolfe (Hager & Zhang): f cannot resolve the decrease any more, but
                # the slope along d has shrunk as the curvature condition asks
                return alpha, x_new, f_new, g_new
            if f_new > f0 + c1 * alpha * slope0 or f_new >= lo[1]:
                hi = point
            elif abs(slope) <= -c2 * slope0:
                return alpha, x_new, f_new, g_new
            elif slope * ((hi[0] if hi else math.inf) - lo[0]) >= 0:
                hi, lo = lo, point
            else:
                lo = point
        if hi is None:  # still bracketing: extrapolate
            alpha = 2.0 * alpha if alpha < 1e10 else alpha
            if alpha >= 1e10:
                break
            continue
        a, b = lo[0], hi[0]
        width = abs(b - a)
        if width <= 1e-16 * max(1.0, abs(a)):
            break
        trial = None
        if math.isfinite(hi[1]) and math.isfinite(hi[2]):
            trial = _cubic_minimizer(a, lo[1], lo[2], b, hi[1], hi[2])
        left, right = min(a, b) + 0.1 * width, max(a, b) - 0.1 * width
        alpha = trial if trial is not None and left <= trial <= right else 0.5 * (a + b)
    if lo[3] is not None:  # sufficient decrease holds at lo; curvature may not
        return lo[0], lo[3], lo[1], lo[4]
    raise LineSearchFailed("no step with sufficient decrease")
