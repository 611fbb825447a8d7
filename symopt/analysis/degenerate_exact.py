"""Exact sign decisions and exactly checked witnesses for the higher-order test.

`exact_sign(c)` decides the sign of a closed-form constant: rationals directly, other constants
by SymPy's certified evaluation (`evalf(strict=True)` raises unless every digit asked for is
correct, so a nonzero answer has a proven sign), and zero only when SymPy simplifies the constant
to 0. Anything else is `None` (undecided): callers never guess.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from symopt.analysis.budget import budget
from symopt.errors import BudgetExceeded

_DIGITS = 30
_SIMPLIFY_STEP = "simplify a constant to decide its sign"


class Undecided(Exception):
    """The sign of an exact constant could not be decided (neither proven zero nor nonzero)."""

    def __init__(self, value):
        super().__init__(f"cannot decide the sign of {value}")
        self.value = value


def exact_sign(value) -> int | None:
    """-1, 0 or 1 for a real constant, proven; None when undecided (or not a real constant)."""
    value = sp.sympify(value)
    if value.is_Rational:
        return int(sp.sign(value))
    if value.free_symbols or value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    if value.is_zero is True:
        return 0
    try:
        approx = value.evalf(_DIGITS, strict=True)
        re, im = approx.as_real_imag()
        if im != 0 and im.is_zero is not True:
            return None
        if re.is_Number and re != 0:
            return 1 if re > 0 else -1
    except (PrecisionExhausted, TypeError, ValueError, ZeroDivisionError, AttributeError):
        pass
    try:
        with budget(_SIMPLIFY_STEP, 2.0):
            if sp.simplify(value) == 0:
                return 0
    except BudgetExceeded as exc:
        if exc.step != _SIMPLIFY_STEP:
            raise  # an outer budget ran out: let its owner report it
    return None


def decided_sign(value) -> int:
    """exact_sign, raising Undecided instead of returning None."""
    s = exact_sign(value)
    if s is None:
        raise Undecided(value)
    return s


def is_numeric_point(point: dict) -> bool:
    """A point with floating-point coordinates (no exact knowledge of where it is)."""
    return any(sp.sympify(v).has(sp.Float) for v in point.values())


def search_witness(f, variables, point, value, curve, want: int, max_halvings: int = 48):
    """A point p + curve(t), t = +-1/2^k, where sign(f - f(p)) == want, checked exactly.

    curve(t) returns the displacement (tuple of exact expressions in t). Returns (point dict,
    exact value) or None. The first (largest) t that works is used, so the witness is the
    least extreme point showing the sign.
    """
    for k in range(1, max_halvings + 1):
        for t in (sp.Rational(1, 2 ** k), -sp.Rational(1, 2 ** k)):
            try:
                disp = curve(t)
            except (ZeroDivisionError, ValueError):
                continue
            where = {v: point[v] + d for v, d in zip(variables, disp)}
            try:
                fx = f.xreplace(where)
                fx = sp.expand(fx) if fx.is_polynomial() else fx
                if exact_sign(fx - value) == want:
                    return where, fx
            except (TypeError, ValueError, ZeroDivisionError):
                continue
    return None
