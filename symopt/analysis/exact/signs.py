"""The one exact sign test of symopt: signs of closed real numbers, proven or left undecided.

`exact_sign(c)` is -1, 0 or 1 only with a proof, else None:

* a nonzero sign comes from an outward-rounded interval enclosure that excludes 0, refined by
  raising the precision (`enclosure`), or, for nodes the interval evaluator does not know, from
  SymPy's error-tracking evaluation (`evalf(strict=True)` raises rather than return a digit it
  cannot guarantee);
* 0 comes only from an exact proof: the expression expands to 0, its reduction modulo the
  minimal polynomials of its CRootOf's vanishes, its minimal polynomial is t, or it simplifies
  to 0 within the budget.

A number within 1e-40 of zero but not zero gets its sign from a fine enough enclosure; a float
is the binary number it is. Every caller in the package decides signs here.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from symopt.analysis.exact.intervals import NotEnclosable, enclosure
from symopt.budget import budget, remaining
from symopt.errors import BudgetExceeded

#: Default seconds for one sign decision when the caller gives none.
SIGN_SECONDS = 2.0
_MAX_PREC = 4096
_POLY_ERRORS = (NotImplementedError, ValueError, ArithmeticError, TypeError,
                sp.polys.polyerrors.BasePolynomialError)


class Undecided(Exception):
    """The sign of an exact constant could not be decided (neither proven zero nor nonzero)."""

    def __init__(self, value):
        super().__init__(f"cannot decide the sign of {value}")
        self.value = value


def as_expr(value) -> sp.Expr:
    """A SymPy object for an internal value (int, Fraction, float, SymPy); strings are refused,
    so no text is ever evaluated here."""
    if isinstance(value, sp.Basic):
        return value
    return sp.sympify(value, strict=True)


def exact_sign(value, seconds: float | None = None) -> int | None:
    """-1, 0 or 1 for a closed real constant, proven; None when undecided or not a real constant."""
    value = as_expr(value)
    if value.is_Rational:
        return int(sp.sign(value))
    if value in (sp.oo, -sp.oo):
        return 1 if value is sp.oo else -1
    if value.free_symbols or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or value.is_real is False:
        return None
    if value.is_zero is True:
        return 0
    seconds = SIGN_SECONDS if seconds is None else seconds
    try:
        with budget("sign decision", seconds):
            return _decide(value)
    except BudgetExceeded:
        if remaining() <= 0:
            raise  # an enclosing budget ran out too: its owner reports it
        return None


def _decide(value) -> int | None:
    if value.has(sp.CRootOf):
        reduced = reduce_algebraic(value)
        if reduced.is_Rational:
            return int(sp.sign(reduced))
        value = reduced
    prec = 64
    while prec <= _MAX_PREC:
        try:
            box = enclosure(value, prec)
        except (NotEnclosable, ValueError, ZeroDivisionError, TypeError, AttributeError):
            break  # no rule (mpmath.iv lacks some functions): certified evalf decides below
        if box.a > 0:
            return 1
        if box.b < 0:
            return -1
        if prec == 128 and _proven_zero(value, simplify=False):
            return 0
        prec *= 2
    else:
        return 0 if _proven_zero(value, simplify=True) else None
    sign = _certified_evalf_sign(value)
    if sign is not None:
        return sign
    return 0 if _proven_zero(value, simplify=True) else None


def _certified_evalf_sign(value) -> int | None:
    """The sign from SymPy's error-tracking evaluation, for nodes without an interval rule."""
    for digits in (30, 120):
        try:
            approx = value.evalf(digits, strict=True)
        except (PrecisionExhausted, TypeError, ValueError, ZeroDivisionError, AttributeError):
            continue
        re, im = approx.as_real_imag()
        if not (im == 0 or im.is_zero):
            return None
        if re.is_Number and re != 0:
            return 1 if re > 0 else -1
    return None


def _proven_zero(value, simplify: bool) -> bool:
    expanded = sp.expand(value)
    if expanded == 0:
        return True
    if expanded.is_Rational:
        return False
    try:
        t = sp.Dummy("t")
        if sp.minimal_polynomial(expanded, t) == t:
            return True
    except _POLY_ERRORS:
        pass
    return bool(simplify and sp.simplify(value) == 0)


def decided_sign(value) -> int:
    """exact_sign, raising Undecided instead of returning None."""
    s = exact_sign(value)
    if s is None:
        raise Undecided(value)
    return s


def is_zero(expr) -> bool | None:
    """Exact zero test of an expression (constant or not): True / False when decided, else None.

    A constant is zero iff exact_sign proves 0; an expression with symbols is identically zero
    when SymPy's assumptions or simplify (within the budget) say so."""
    expr = as_expr(expr)
    if expr == 0:
        return True
    if expr.is_number:
        sign = exact_sign(expr)
        return None if sign is None else sign == 0
    if expr.is_zero is not None:
        return bool(expr.is_zero)
    try:
        with budget("zero test", SIGN_SECONDS):
            simple = sp.simplify(expr)
    except BudgetExceeded:
        if remaining() <= 0:
            raise
        return None
    if simple == 0:
        return True
    return None if simple.is_zero is None else bool(simple.is_zero)


def reduce_algebraic(value):
    """value with each CRootOf r replaced by a placeholder R, reduced modulo r's minimal
    polynomial, and put back: an equal expression of low degree in r; 0 exactly when the
    reduction (over Q) vanishes. Values that are not polynomials in the roots come back as-is."""
    roots = sorted(value.atoms(sp.CRootOf), key=str)
    holders = [sp.Dummy(f"r{i}") for i in range(len(roots))]
    expr = sp.expand(value.xreplace(dict(zip(roots, holders))))
    if not expr.is_polynomial(*holders) or expr.free_symbols - set(holders):
        return value
    try:
        for root, R in zip(roots, holders):
            minpoly = root.poly.as_expr().xreplace({root.poly.gen: R})
            expr = sp.rem(expr, minpoly, R)
    except (sp.polys.polyerrors.BasePolynomialError, TypeError):
        return value
    return sp.expand(expr).xreplace(dict(zip(holders, roots)))
