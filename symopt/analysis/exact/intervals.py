"""Interval enclosures of exact real numbers with mpmath.iv.

`enclosure(expr, prec)` evaluates a closed SymPy expression (rationals, radicals, CRootOf, pi, E,
exp, log, sin, cos, ...) in outward-rounded interval arithmetic, so the true value is inside the
returned interval. The sign test built on it is `symopt.analysis.exact.signs.exact_sign`.
"""

from __future__ import annotations

import contextlib

import mpmath
import sympy as sp


iv = mpmath.iv

_UNARY = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan",
          sp.atan: "atan", sp.sinh: "sinh", sp.cosh: "cosh", sp.tanh: "tanh"}


@contextlib.contextmanager
def ivprec(prec: int):
    """Set mpmath.iv's working precision (bits) inside the block."""
    old = iv.prec
    iv.prec = max(int(prec), 53)
    try:
        yield
    finally:
        iv.prec = old


class NotEnclosable(Exception):
    """The expression has a node this evaluator does not know."""


def rational_interval(lo, hi, prec: int):
    """An mpmath interval containing the rational interval [lo, hi]."""
    with ivprec(prec):
        a = iv.mpf(sp.Rational(lo).p) / sp.Rational(lo).q
        b = iv.mpf(sp.Rational(hi).p) / sp.Rational(hi).q
        return iv.mpf([a.a, b.b])


def root_interval(root: sp.CRootOf, prec: int):
    """Enclosure of a real CRootOf, refined to about 2^-prec relative width."""
    if not root.is_real:
        raise NotEnclosable("complex root")
    poly = sp.Poly(root.expr, root.poly.gen) if hasattr(root, "expr") else root.poly
    lo, hi = _root_bounds(root)
    eps = sp.Rational(1, 2 ** max(prec - 4, 8))
    lo, hi = poly.refine_root(lo, hi, eps=eps)
    return rational_interval(lo, hi, prec)


def _root_bounds(root):
    interval = root._get_interval()
    return sp.Rational(interval.a), sp.Rational(interval.b)


def _nth_root(b, q: int):
    """b^(1/q) for an interval b >= 0 (mpmath.iv has sqrt but no working root): monotone, so
    the ends' roots, each widened outward by exp/log's own outward rounding."""
    if q == 2:
        return iv.sqrt(b)
    if b.b == 0:
        return iv.mpf(0)
    hi = iv.exp(iv.log(iv.mpf(b.b)) / q).b
    lo = 0 if b.a <= 0 else iv.exp(iv.log(iv.mpf(b.a)) / q).a
    return iv.mpf([lo, hi])


def enclosure(expr, prec: int = 64):
    """An mpmath.iv interval that contains the exact value of the closed expression `expr`."""
    with ivprec(prec):
        return _enc(expr if isinstance(expr, sp.Basic) else sp.sympify(expr, strict=True), prec)


def _enc(e, prec):
    if e.is_Rational:
        return iv.mpf(e.p) / e.q
    if e.is_Float:
        return iv.mpf(mpmath.mpf(e._mpf_))  # a float is taken as the exact binary number it is
    if e is sp.pi:
        return iv.pi
    if e is sp.E:
        return iv.e
    if isinstance(e, sp.CRootOf):
        return root_interval(e, prec)
    if e.is_Add:
        total = iv.mpf(0)
        for a in e.args:
            total += _enc(a, prec)
        return total
    if e.is_Mul:
        total = iv.mpf(1)
        for a in e.args:
            total *= _enc(a, prec)
        return total
    if e.is_Pow:
        base, ex = e.args
        b = _enc(base, prec)
        if ex.is_Integer:
            return b ** int(ex)
        if ex.is_Rational:
            if b.a < 0:
                raise NotEnclosable("even root of a negative enclosure")
            return _nth_root(b, int(ex.q)) ** int(ex.p)
        return iv.exp(_enc(ex, prec) * iv.log(b))
    from symopt.core.functions import logsumexp, sigmoid, softplus
    if isinstance(e, sigmoid):       # 1/(1 + exp(-x)): monotone, so the interval rule is exact
        return 1 / (1 + iv.exp(-_enc(e.args[0], prec)))
    if isinstance(e, softplus):      # log(1 + exp(x))
        return iv.log(1 + iv.exp(_enc(e.args[0], prec)))
    if isinstance(e, logsumexp):     # m + log(sum exp(x_i - m)) with m the largest lower end
        parts = [_enc(a, prec) for a in e.args]
        m = max(p.a for p in parts)
        total = iv.mpf(0)
        for p in parts:
            total += iv.exp(p - m)
        return m + iv.log(total)
    for cls, name in _UNARY.items():
        if isinstance(e, cls) and hasattr(iv, name):  # mpmath.iv lacks atan, sinh, cosh, tanh
            return getattr(iv, name)(_enc(e.args[0], prec))
    raise NotEnclosable(f"no interval rule for {type(e).__name__}")
