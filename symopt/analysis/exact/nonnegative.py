"""Structural proofs that an expression has one sign for all real values of its symbols.

`sign_structure(e)` is +1 when e >= 0 everywhere (squares, even powers, exp, |.|, products and
sums of such, or a polynomial whose terms are all even monomials with coefficients of one sign),
-1 when e <= 0, 0 when e is identically 0, None when no proof is found. Constants are decided by
the one exact sign test. Used to prove that a family of critical points is a global minimum.
"""

from __future__ import annotations

import sympy as sp

from symopt.analysis.exact.signs import exact_sign
from symopt.budget import budget
from symopt.errors import BudgetExceeded

def sign_structure(expr) -> int | None:
    """+1 if expr >= 0 for all real values of its symbols (proved from its structure),
    -1 if expr <= 0, 0 if it is identically 0, None if no proof is found."""
    s = _sign(expr)
    if s is None:
        try:
            with budget("sign structure (factor)", 2.0):
                factored = sp.factor(expr)
            if factored != expr:
                s = _sign(factored)
        except (BudgetExceeded, sp.PolynomialError):
            pass
    if s is None:
        s = _even_polynomial_sign(expr)
    return s


def _sign(e) -> int | None:
    if e.is_number:
        sgn = exact_sign(e)
        return sgn
    if e.is_nonnegative:
        return 1
    if e.is_nonpositive:
        return -1
    if e.is_Pow:
        base, ex = e.args
        if ex.is_Integer and int(ex) % 2 == 0:
            return 1
        b = _sign(base)
        if ex.is_Integer and b is not None:
            return b if int(ex) > 0 or b != 0 else None
        if b == 1:
            return 1
        return None
    if isinstance(e, (sp.exp, sp.Abs)):
        return 1
    if e.is_Mul:
        total = 1
        for a in e.args:
            s = _sign(a)
            if s is None:
                return None
            total *= s
        return total
    if e.is_Add:
        signs = {_sign(a) for a in e.args}
        signs.discard(0)
        if None in signs or len(signs) > 1:
            return None
        return signs.pop() if signs else 0
    return None


def _even_polynomial_sign(e) -> int | None:
    """A polynomial whose terms are all c * (even monomial) with c of one sign."""
    free = sorted(e.free_symbols, key=str)
    if not free:
        return None
    try:
        poly = sp.Poly(sp.expand(e), *free)
    except sp.PolynomialError:
        return None
    signs = set()
    for monom, coeff in poly.terms():
        if any(k % 2 for k in monom):
            return None
        signs.add(exact_sign(coeff))
    if None in signs or len(signs) != 1:
        return None
    return signs.pop()
