"""Variables are real: every symbol symopt makes or accepts is a real SymPy Symbol.

Real symbols let SymPy simplify sqrt(x^2) to |x| and keep conjugates out of derivatives. Plain
user symbols (sympy.Symbol("x")) are replaced by real ones of the same name at the API boundary,
so text and SymPy input mean the same thing.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp


@lru_cache(maxsize=None)
def real_symbol(name: str) -> sp.Symbol:
    """The real symbol called `name` (one object per name)."""
    return sp.Symbol(name, real=True)


def as_real(obj):
    """`obj` (expression or matrix) with every non-real Symbol replaced by `real_symbol(name)`."""
    if not hasattr(obj, "free_symbols"):
        return obj
    swap = {s: real_symbol(s.name) for s in obj.free_symbols
            if isinstance(s, sp.Symbol) and s.is_real is not True}
    return obj.xreplace(swap) if swap else obj


def natural_key(symbol: sp.Symbol):
    """Sort key giving the natural order x, y, z and x2 before x10 (CONTRACT section 1)."""
    import re
    parts = re.split(r"(\d+)", symbol.name)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p != "")


def sorted_variables(symbols) -> tuple[sp.Symbol, ...]:
    """Free symbols in natural order."""
    return tuple(sorted(symbols, key=natural_key))


def exact_value(value, what: str = "number"):
    """A SymPy object from a SymPy object or a Python number. Text is refused, not parsed:
    user text goes through the language, never through sympify."""
    from symopt.errors import DefinitionError
    if isinstance(value, str):
        raise DefinitionError(f"{what} {value!r} is text; parse it first (symopt.parse)")
    try:
        return sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError):
        raise DefinitionError(f"not a number: {value!r}") from None


def float_as_rational(x) -> tuple[sp.Rational, sp.Rational]:
    """The float policy (CONTRACT section 4): a float is the number it is, read as its shortest
    decimal exactly (0.1 is 1/10), never a guessed closed form. Returns (that rational, one unit
    in the last place of the float): the radius within which the caller's intended point lies.
    Works for Python floats, numpy floats and SymPy Floats (at their own precision)."""
    import math
    if isinstance(x, sp.Float):
        if not x.is_finite:
            raise ValueError(f"not a finite number: {x}")
        if x._prec <= 53:
            x = float(x)
        else:
            value = sp.Rational(str(x))
            ulp = abs(value) * sp.Rational(2) ** (1 - x._prec)
            return value, ulp
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {x}")
    return sp.Rational(repr(x)), sp.Rational(math.ulp(x)) if x != 0 else sp.Integer(0)


def floats_as_rationals(expr):
    """expr with every Float replaced by the rational the float policy reads it as (its
    shortest decimal, exactly: 2.1 -> 21/10). Works on expressions and matrices."""
    floats = expr.atoms(sp.Float) if hasattr(expr, "atoms") else set()
    if not floats:
        return expr
    return expr.xreplace({fl: float_as_rational(fl)[0] for fl in floats})
