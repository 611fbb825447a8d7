"""Exactly checked witnesses for the higher-order test, and where Taylor arguments apply.

Signs are decided by the one exact sign test (`symopt.analysis.exact.signs`).
"""

from __future__ import annotations

import sympy as sp

from symopt.analysis.exact.signs import exact_sign


def is_numeric_point(point: dict) -> bool:
    """A point with floating-point coordinates (no exact knowledge of where it is)."""
    return any(sp.sympify(v, strict=True).has(sp.Float) for v in point.values())


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


_ENTIRE = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tanh, sp.atan)


def non_analytic_reason(f, point) -> str | None:
    """Why f may fail to be real-analytic at the point (Taylor arguments then do not apply), or
    None when every node is analytic there: entire functions, sigmoid/softplus/logsumexp,
    log / non-integer powers of a positive value, negative powers / |.| of a nonzero value,
    asin/acos inside (-1, 1), tan where cos != 0."""
    from symopt.core.functions import logsumexp, sigmoid, softplus

    def at(e):
        return exact_sign(sp.sympify(e, strict=True).xreplace(point))

    for node in sp.preorder_traversal(f):
        if node.is_Atom or node.is_Add or node.is_Mul:
            continue
        if node.is_Pow:
            e = node.exp
            if e.is_Integer and e >= 0:
                continue
            if e.free_symbols:
                if at(node.base) != 1:
                    return f"{node}: variable exponent of a base not shown positive"
                continue
            need = 1 if not e.is_Integer else None
            s = at(node.base)
            if (need == 1 and s != 1) or (need is None and s in (0, None)):
                return f"{node} is not analytic at the point (base {node.base} there)"
            continue
        if isinstance(node, _ENTIRE + (sigmoid, softplus, logsumexp)):
            continue
        if isinstance(node, sp.log):
            if at(node.args[0]) != 1:
                return f"{node}: its argument is not shown positive at the point"
            continue
        if isinstance(node, (sp.Abs, sp.sign, sp.Heaviside)):
            if at(node.args[0]) in (0, None):
                return f"{node} is not smooth at the point (argument 0 or undecided)"
            continue
        if isinstance(node, (sp.Max, sp.Min)):
            args = node.args
            if any(at(a - b) in (0, None) for i, a in enumerate(args) for b in args[i + 1:]):
                return f"{node}: two arguments tie at the point (a kink)"
            continue
        if isinstance(node, (sp.asin, sp.acos)):
            if at(1 - node.args[0] ** 2) != 1:
                return f"{node}: argument not inside (-1, 1)"
            continue
        if isinstance(node, sp.tan):
            if at(sp.cos(node.args[0])) in (0, None):
                return f"{node}: cos of the argument not shown nonzero"
            continue
        return f"{node.func} is not known to be analytic at the point"
    return None
