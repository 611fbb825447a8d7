"""Compile SymPy expressions into interval programs (mpmath.iv, outward rounding).

`IntervalProgram(exprs, variables)` shares common subexpressions (sympy.cse) and evaluates all
outputs on interval arguments: the true value of each expression over the box is contained in
the returned interval (the inclusion property that interval Newton / Krawczyk rest on). Also
evaluates at mpmath points with high precision for Newton refinement.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from symopt.errors import SymoptError

iv = mpmath.iv


class NotIntervalizable(SymoptError):
    """The expression has a node with no interval rule here."""


_UNARY = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan",
          sp.atan: "atan", sp.sinh: "sinh", sp.cosh: "cosh", sp.tanh: "tanh"}


def _prepare(expr):
    """Rewrite symopt's ML nodes (sigmoid, softplus, logsumexp) to exp/log, which have rules."""
    from symopt.core import functions as ml
    kinds = tuple(getattr(ml, n) for n in ("sigmoid", "softplus", "logsumexp") if hasattr(ml, n))
    if kinds and expr.has(*kinds):
        expr = expr.replace(lambda e: isinstance(e, kinds), lambda e: e.rewrite(sp.exp))
    return expr


class IntervalProgram:
    """A straight-line program for several expressions in the same variables."""

    def __init__(self, exprs, variables):
        self.variables = tuple(variables)
        exprs = [_prepare(sp.sympify(e, strict=True)) for e in exprs]
        replacements, reduced = sp.cse(exprs, optimizations=None)
        self._slots = {v: i for i, v in enumerate(self.variables)}
        self._ops = []  # (slot, kind, payload)
        self._consts = {}
        self._count = 0
        for sym, sub in replacements:
            self._slots[sym] = self._emit(sub)
        self._outputs = [self._emit(e) for e in reduced]

    # -- compilation -------------------------------------------------------------------------
    def _new(self, kind, payload):
        self._count += 1
        slot = ("op", self._count)
        self._ops.append((slot, kind, payload))
        return slot

    def _emit(self, e):
        if e in self._slots:
            return self._slots[e]
        if e.is_Rational or e.is_Float or e in (sp.pi, sp.E):
            return self._new("const", e)
        if e.is_number and e.is_real is False:
            raise NotIntervalizable(f"non-real constant {e}")
        if e.is_Atom:
            raise NotIntervalizable(f"no interval rule for the atom {e}")
        if e.is_Add:
            return self._new("add", [self._emit(a) for a in e.args])
        if e.is_Mul:
            return self._new("mul", [self._emit(a) for a in e.args])
        if e.is_Pow:
            base, ex = e.args
            b = self._emit(base)
            if ex.is_Integer:
                return self._new("ipow", (b, int(ex)))
            if ex == sp.S.Half:
                return self._new("sqrt", b)
            return self._new("pow", (b, self._emit(ex)))
        if isinstance(e, sp.Abs):
            return self._new("abs", self._emit(e.args[0]))
        for cls, name in _UNARY.items():
            if isinstance(e, cls):
                return self._new(name, self._emit(e.args[0]))
        raise NotIntervalizable(f"no interval rule for {type(e).__name__} in {e}")

    # -- evaluation --------------------------------------------------------------------------
    def __call__(self, args, ctx=iv):
        """Evaluate every output. ctx = mpmath.iv (interval arguments) or mpmath.mp (points)."""
        values = {self._slots[v]: a for v, a in zip(self.variables, args)}
        for slot, kind, p in self._ops:
            if kind == "const":
                values[slot] = self._const(p, ctx)
            elif kind == "add":
                total = values[p[0]]
                for q in p[1:]:
                    total = total + values[q]
                values[slot] = total
            elif kind == "mul":
                total = values[p[0]]
                for q in p[1:]:
                    total = total * values[q]
                values[slot] = total
            elif kind == "ipow":
                values[slot] = values[p[0]] ** p[1]
            elif kind == "sqrt":
                values[slot] = ctx.sqrt(values[p])
            elif kind == "pow":
                values[slot] = ctx.exp(values[p[1]] * ctx.log(values[p[0]]))
            elif kind == "abs":
                values[slot] = abs(values[p])
            elif ctx is iv and kind in _IV_EXTRA:
                values[slot] = _IV_EXTRA[kind](values[p])
            else:
                values[slot] = getattr(ctx, kind)(values[p])
        return [values[s] for s in self._outputs]

    def _const(self, c, ctx):
        key = (id(ctx), ctx.prec, c)
        if key not in self._consts:
            self._consts[key] = constant(c, ctx)
        return self._consts[key]


def _increasing(point_enclosure, X):
    """Enclosure of an increasing function over X from enclosures at its two endpoints."""
    lo = point_enclosure(iv.mpf(X.a))
    hi = point_enclosure(iv.mpf(X.b))
    return iv.mpf([lo.a, hi.b])


def _iv_cosh(X):
    def at(t):
        return (iv.exp(t) + iv.exp(-t)) / 2
    if X.a >= 0:
        return _increasing(at, X)
    if X.b <= 0:
        return _increasing(at, -X)
    top = max(at(iv.mpf(X.a)).b, at(iv.mpf(X.b)).b)
    return iv.mpf([1, top])


# mpmath.iv lacks these: monotone pieces built from exp / atan2 enclosures at the endpoints
_IV_EXTRA = {
    "sinh": lambda X: _increasing(lambda t: (iv.exp(t) - iv.exp(-t)) / 2, X),
    "tanh": lambda X: _increasing(lambda t: 1 - 2 / (iv.exp(2 * t) + 1), X),
    "atan": lambda X: _increasing(lambda t: iv.atan2(t, iv.mpf(1)), X),
    "cosh": _iv_cosh,
}


def constant(c, ctx=iv):
    """An enclosure (iv) or a close value (mp) of an exact real constant."""
    c = sp.sympify(c, strict=True)
    if c.is_Rational:
        return ctx.mpf(int(c.p)) / int(c.q)
    if c.is_Float:
        return ctx.mpf(mpmath.mpf(c._mpf_))
    if c is sp.pi:
        return ctx.pi
    if c is sp.E:
        return ctx.e
    # a closed expression (sqrt(2), exp(-1), ...): evaluate it as a program with no variables
    return IntervalProgram([c], ())([], ctx)[0]
