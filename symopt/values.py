"""The one coercion of caller values (CONTRACT section 4): points, boxes, starts, radii, names.

Every value a Python caller (or the CLI and the REPL) passes goes through here:

* int, Fraction, Decimal, numpy integers: the exact rational they are;
* float, numpy floats, SymPy Floats: the float policy — the number the float is, read as its
  shortest decimal exactly (0.1 is 1/10), never a guessed closed form; the point then also
  carries one ulp per coordinate as its radius (the caller's intended value lies within it);
* strings: expressions of the symopt language (`"1/2"`, `"-pi"`, `"sqrt(2)/2"`, `"oo"` for a box
  bound), parsed by the language and required to be closed real numbers; never `eval`/`sympify`;
* SymPy numbers: taken as they are, if closed and real;
* anything else is refused with a DefinitionError naming what was given.
"""

from __future__ import annotations

import decimal
import fractions
import numbers
import re
from dataclasses import dataclass, field

import sympy as sp

from symopt.core.symbols import as_real, float_as_rational, real_symbol
from symopt.errors import DefinitionError, DimensionError

_IDENTIFIER = re.compile(r"[^\W\d]\w*\Z")


@dataclass(frozen=True)
class Point:
    """Exact coordinates and, for coordinates that came from floats, their radius (one ulp)."""

    values: dict
    radius: dict = field(default_factory=dict)

    @property
    def is_exact(self) -> bool:
        return not any(self.radius.values())


def number(value, what: str = "value", allow_infinite: bool = False):
    """(exact SymPy number, radius) for one caller value."""
    if isinstance(value, bool) or value is None:
        raise DefinitionError(f"{what}: expected a number, got {value!r}")
    if isinstance(value, str):
        return _from_text(value, what, allow_infinite), sp.Integer(0)
    if isinstance(value, numbers.Integral):
        return sp.Integer(int(value)), sp.Integer(0)
    if isinstance(value, fractions.Fraction):
        return sp.Rational(value.numerator, value.denominator), sp.Integer(0)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise DefinitionError(f"{what}: not a finite number: {value}")
        return sp.Rational(str(value)), sp.Integer(0)
    if isinstance(value, (float, sp.Float)) or _is_numpy_float(value):
        try:
            return float_as_rational(value)
        except ValueError:
            if allow_infinite and float(value) in (float("inf"), float("-inf")):
                return (sp.oo if float(value) > 0 else -sp.oo), sp.Integer(0)
            raise DefinitionError(f"{what}: not a finite number: {value}") from None
    if isinstance(value, sp.Basic):
        return _closed_real(value, what, allow_infinite), sp.Integer(0)
    raise DefinitionError(f"{what}: expected a number or language text, got "
                          f"{type(value).__name__}")


def _is_numpy_float(value) -> bool:
    try:
        import numpy as np
    except ImportError:  # numpy is a dependency; the guard only keeps this helper total
        return False
    return isinstance(value, np.floating)


def _from_text(text: str, what: str, allow_infinite: bool):
    from symopt.language import parse
    from symopt.language.assignments import infinity
    if allow_infinite and infinity(text) is not None:
        return infinity(text)
    value = parse(text)
    if not isinstance(value, sp.Expr):
        raise DefinitionError(f"{what}: {text!r} is not a number")
    return _closed_real(value, what, allow_infinite)


def _closed_real(value, what: str, allow_infinite: bool):
    if not isinstance(value, sp.Expr) or value.free_symbols:
        raise DefinitionError(f"{what}: {value} is not a constant number")
    if value.has(sp.Float):
        raise DefinitionError(f"{what}: {value} mixes floats into an expression; give a float, "
                              "or exact text such as '1/10'")
    if value in (sp.oo, -sp.oo):
        if allow_infinite:
            return value
        raise DefinitionError(f"{what}: {value} is not a finite number")
    if value.has(sp.oo, -sp.oo, sp.zoo, sp.nan) or value.is_real is False:
        raise DefinitionError(f"{what}: {value} is not a real number")
    return value


def variables(names) -> tuple[sp.Symbol, ...] | None:
    """Variable names ("x, y", ["x", "y"] or SymPy symbols) -> real symbols, in that order."""
    if names is None:
        return None
    from symopt.language.functions import RESERVED
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    out = []
    for v in names:
        if isinstance(v, sp.Symbol):
            out.append(as_real(v))
            continue
        if not isinstance(v, str) or not _IDENTIFIER.match(v):
            raise DefinitionError(f"not a variable name: {v!r}")
        if v in RESERVED:
            raise DefinitionError(f"{v!r} is a reserved word of the language, not a variable")
        out.append(real_symbol(v))
    if len(set(out)) != len(out):
        raise DefinitionError("a variable is named twice")
    return tuple(out)


def _key(k, known, what):
    if isinstance(k, sp.Symbol):
        sym = as_real(k)
    elif isinstance(k, str) and _IDENTIFIER.match(k.strip()):
        sym = real_symbol(k.strip())
    else:
        raise DefinitionError(f"{what}: not a variable name: {k!r}")
    if known is not None and sym not in known:
        names = ", ".join(v.name for v in known)
        raise DefinitionError(f"{what} names {sym.name}, which is not a variable ({names})")
    return sym


def point(value, variables, what: str = "point") -> Point:
    """A point of the function's variables: a dict (names or symbols), a sequence in the
    variables' order, a number for one variable, or text "x=1/2, y=-1"."""
    variables = tuple(variables)
    if isinstance(value, str):
        from symopt.language.assignments import parse_assignments
        value = parse_assignments(value)
    if isinstance(value, dict):
        coords, radius = {}, {}
        for k, x in value.items():
            sym = _key(k, variables, what)
            coords[sym], radius[sym] = number(x, f"{what} {sym.name}")
        missing = [v.name for v in variables if v not in coords]
        if missing:
            raise DimensionError(f"the {what} gives no value for {', '.join(missing)}")
        return Point({v: coords[v] for v in variables}, {v: radius[v] for v in variables})
    if not hasattr(value, "__iter__"):
        value = [value]
    items = list(value.tolist() if hasattr(value, "tolist") else value)
    if len(items) != len(variables):
        raise DimensionError(f"the {what} has {len(items)} coordinate(s) for {len(variables)} "
                             f"variable(s) ({', '.join(v.name for v in variables)})")
    pairs = [number(x, f"{what} {v.name}") for v, x in zip(variables, items)]
    return Point({v: p[0] for v, p in zip(variables, pairs)},
                 {v: p[1] for v, p in zip(variables, pairs)})


def box(value, variables=None, what: str = "box") -> dict | None:
    """A box {symbol: (lo, hi)}: text "x=-5..5, y=0..pi", or a dict of names/symbols to
    (lo, hi) pairs or to "lo..hi" text. Bounds may be -oo/oo; lo <= hi is checked exactly."""
    if value is None:
        return None
    from symopt.analysis.exact.signs import exact_sign
    known = None if variables is None else tuple(variables)
    if isinstance(value, str):
        from symopt.language.assignments import parse_box
        value = parse_box(value)
    if not isinstance(value, dict):
        raise DefinitionError(f"{what}: expected text like 'x=-5..5' or a dict, got "
                              f"{type(value).__name__}")
    out = {}
    for k, rng in value.items():
        sym = _key(k, known, what)
        if isinstance(rng, str):
            from symopt.language.assignments import parse_box
            rng = parse_box(f"{sym.name}={rng}")[sym.name]
        try:
            lo, hi = rng
        except (TypeError, ValueError):
            raise DefinitionError(f"{what} {sym.name}: expected a pair (lo, hi)") from None
        lo = number(lo, f"{what} {sym.name} lower bound", allow_infinite=True)[0]
        hi = number(hi, f"{what} {sym.name} upper bound", allow_infinite=True)[0]
        finite = lo != -sp.oo and hi != sp.oo
        if lo == sp.oo or hi == -sp.oo or (finite and exact_sign(hi - lo) == -1):
            raise DefinitionError(f"{what} {sym.name}: empty range {lo}..{hi}")
        out[sym] = (lo, hi)
    return out


def radius(value, variables, what: str = "radius") -> dict:
    """A radius for every variable: one number for all, or a dict by name."""
    if isinstance(value, dict):
        out = {}
        for k, r in value.items():
            out[_key(k, tuple(variables), what)] = _nonnegative(r, what)
        return {v: out.get(v, sp.Integer(0)) for v in variables}
    r = _nonnegative(value, what)
    return {v: r for v in variables}


def _nonnegative(value, what):
    r = number(value, what)[0]
    if not r.is_Rational:
        r = sp.Rational(str(sp.N(r, 20)))
    if r < 0:
        raise DefinitionError(f"{what}: must be >= 0, got {r}")
    return r


def seconds(value, what: str = "seconds") -> float | None:
    """A time budget: a positive finite number of seconds, or None (the default)."""
    if value is None:
        return None
    s = number(value, what)[0]
    if not s.is_positive:
        raise DefinitionError(f"{what}: a time budget must be > 0, got {s}")
    return float(s)
