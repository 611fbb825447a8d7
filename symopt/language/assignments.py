"""Command-line value lists: `"x=-1.2, y=1"` (a point) and `"x=-5..5, y=0..pi"` (a box).

Each value is an expression of the language (`-10/121`, `pi/2`), parsed by `parse`, and must be
a constant. Errors are ParseErrors that point into the given text.
"""

from __future__ import annotations

import re

import sympy as sp

from symopt.errors import ParseError

_NAME = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*=(?!=)")


def _split_top_level(text: str) -> list[tuple[int, str]]:
    """Split on commas outside brackets; each piece with its start offset."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            pieces.append((start, text[start:i]))
            start = i + 1
    pieces.append((start, text[start:]))
    return [(s, p) for s, p in pieces if p.strip()]


def _error(text: str, column: int, message: str) -> ParseError:
    caret = " " * (column - 1) + "^"
    return ParseError(f"{message}\n  {text}\n  {caret}", 1, column)


def _constant(text: str, offset: int, piece: str):
    from symopt.language import parse
    try:
        value = parse(piece)
    except ParseError as exc:
        column = offset + (exc.column or 1) + (len(piece) - len(piece.lstrip())) * 0
        raise _error(text, column, f"bad value {piece.strip()!r}: {str(exc).splitlines()[0]}") from None
    if not isinstance(value, sp.Expr) or value.free_symbols:
        raise _error(text, offset + 1, f"{piece.strip()!r} is not a constant number")
    if value.is_real is False:
        raise _error(text, offset + 1, f"{piece.strip()!r} is not a real number")
    return value


_INFINITE = {"oo": sp.oo, "+oo": sp.oo, "inf": sp.oo, "+inf": sp.oo, "\u221e": sp.oo,
             "-oo": -sp.oo, "-inf": -sp.oo, "-\u221e": -sp.oo}


def infinity(piece: str):
    """oo / -oo for the texts of an infinite box bound (oo, inf, the symbol for infinity), else
    None: the expression language itself has no infinity."""
    return _INFINITE.get(piece.strip().replace(" ", ""))


def _bound(text: str, offset: int, piece: str):
    """A box bound: a constant of the language, or -oo / oo."""
    inf = infinity(piece)
    return inf if inf is not None else _constant(text, offset, piece)


def _entries(text: str):
    if not text.strip():
        raise ParseError("empty list: expected entries like x=1, y=2", 1, 1)
    seen = set()
    for offset, piece in _split_top_level(text):
        m = _NAME.match(piece)
        if not m:
            raise _error(text, offset + len(piece) - len(piece.lstrip()) + 1,
                         "expected NAME=VALUE (for example x=-1.2)")
        name = m.group(1)
        if name in seen:
            raise _error(text, offset + m.start(1) + 1, f"{name} is given twice")
        seen.add(name)
        yield name, offset + m.end(), piece[m.end():]


def parse_assignments(text: str) -> dict[str, sp.Expr]:
    """`"x=-1.2, y=1"` -> {"x": -6/5, "y": 1}."""
    return {name: _constant(text, off, rest) for name, off, rest in _entries(text)}


def parse_box(text: str) -> dict[str, tuple[sp.Expr, sp.Expr]]:
    """`"x=-5..5, y=0..oo"` -> {"x": (-5, 5), "y": (0, oo)}; lo <= hi is required."""
    box = {}
    for name, off, rest in _entries(text):
        if ".." not in rest:
            raise _error(text, off + 1, f"expected a range LO..HI for {name}")
        cut = rest.index("..")
        lo = _bound(text, off, rest[:cut])
        hi = _bound(text, off + cut + 2, rest[cut + 2:])
        if lo == sp.oo or hi == -sp.oo or (hi - lo).is_negative:
            raise _error(text, off + 1, f"empty range for {name}: {lo} > {hi}")
        box[name] = (lo, hi)
    return box
