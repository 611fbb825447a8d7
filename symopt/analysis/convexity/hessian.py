"""Second-order convexity tests: exact sign proofs of Hessian minors, exact counter-witnesses.

f (twice differentiable, on a convex domain) is convex iff its Hessian is positive semidefinite
everywhere, iff every principal minor is >= 0 everywhere; positive leading principal minors
everywhere (Sylvester) give a positive definite Hessian and strict convexity. In one variable,
f'' >= 0 that vanishes only at isolated points (a nonzero polynomial or rational f'') also gives
strict convexity. Signs are proven, never sampled: SymPy's assumption system on several
equivalent forms (together, factor, exp-rewrite), and Sturm counts for one-variable polynomials.
Sampling is used only to find a point where the Hessian is exactly not PSD / not NSD.
"""

from __future__ import annotations

import itertools

import sympy as sp

from symopt.analysis.exact.boxes import in_box
from symopt.budget import budget, check
from symopt.analysis.exact.signs import Undecided, exact_sign
from symopt.analysis.classify.degenerate.taylor import lagrange_directions
from symopt.core.functions import logsumexp, sigmoid, softplus
from symopt.errors import BudgetExceeded


def _forms(expr):
    """Equivalent forms of expr to show to SymPy's sign inference, cheapest first."""
    yield expr
    yield sp.together(expr)
    yield sp.factor(sp.together(expr))
    if expr.has(sigmoid, softplus, logsumexp):
        rewritten = expr.rewrite(sp.exp)
        yield sp.factor(sp.together(rewritten))
        yield sp.factor(sp.together(sp.powsimp(sp.expand(rewritten))))
    yield sp.simplify(expr)


def prove_sign(expr, strict: bool):
    """A form of expr proven >= 0 (strict: > 0) for all values of its real symbols (their
    assumptions included), or None. The form is returned so reasons can show it."""
    try:
        with budget("sign proof of a Hessian minor", 3.0):
            for form in _forms(expr):
                check()
                verdict = form.is_positive if strict else form.is_nonnegative
                if verdict or _univariate_polynomial_sign(form, strict):
                    return form
    except BudgetExceeded as exc:
        if exc.step != "sign proof of a Hessian minor":
            raise
    return None


def _univariate_polynomial_sign(expr, strict: bool) -> bool:
    """Sturm-based proof for a polynomial in one symbol s, on R or on s > 0 (s >= 0) when the
    symbol is declared positive (nonnegative): no root (strict) / no root of odd multiplicity
    (non-strict) inside the domain, and a positive value at one point."""
    free = list(expr.free_symbols)
    if len(free) != 1 or not expr.is_polynomial(free[0]):
        return False
    s = free[0]
    P = sp.Poly(expr, s)
    if P.domain not in (sp.ZZ, sp.QQ) or P.is_zero:
        return P.is_zero and not strict
    half_line = bool(s.is_nonnegative)
    zero_excluded = bool(s.is_positive)
    factors = [P] if strict else [q for q, m in P.sqf_list()[1] if m % 2 == 1]
    for q in factors:
        if q.degree() == 0:
            continue
        roots = q.count_roots(0, None) if half_line else q.count_roots()
        if half_line and q.eval(0) == 0 and (zero_excluded or not strict):
            roots -= 1
        if roots > 0:
            return False
    probe = 1
    while P.eval(probe) == 0:
        probe += 1
    return P.eval(probe) > 0  # the sign is constant on the domain (up to even-order zeros)


def principal_minors(H, leading_only: bool = False):
    n = H.rows
    if leading_only:
        for k in range(1, n + 1):
            yield tuple(range(k)), H[:k, :k].det(method="berkowitz")
        return
    for k in range(1, n + 1):
        for idx in itertools.combinations(range(n), k):
            yield idx, H.extract(list(idx), list(idx)).det(method="berkowitz")


def hessian_semidefinite(H, variables, sign: int, max_vars: int = 4):
    """(proven PSD (sign=+1) or NSD (sign=-1) everywhere, proven PD/ND, reason)."""
    n = H.rows
    if n > max_vars:
        return False, False, f"{n} variables: too many principal minors to prove signs"
    M = sign * H
    for idx, minor in principal_minors(M):
        if prove_sign(sp.expand(minor) if minor.is_polynomial() else minor, strict=False) is None:
            return False, False, f"cannot prove the principal minor on rows {idx} is >= 0"
    strict = leading_minors_positive(M)
    what = "positive" if sign > 0 else "negative"
    reason = (f"every principal minor of {'the Hessian' if sign > 0 else '-Hessian'} is "
              f"provably >= 0, so the Hessian is {what} semidefinite everywhere")
    if strict:
        reason += "; its leading principal minors are provably > 0 (Sylvester): definite everywhere"
    return True, strict, reason


def leading_minors_positive(M) -> bool:
    """Every leading principal minor of M is provably > 0 everywhere (Sylvester: M is PD)."""
    return all(prove_sign(minor, strict=True) is not None
               for _, minor in principal_minors(M, leading_only=True))


def isolated_zeros_1d(second, variable) -> bool:
    """f'' (one variable) vanishes only at isolated points, whatever the parameters: a rational
    function of the variable alone (no parameters) that is not identically zero."""
    second = sp.together(second)
    return second != 0 and second.free_symbols == {variable} and \
        second.is_rational_function(variable)


def _sample_values(lo, hi):
    base = [0, 1, -1, 2, -2, sp.Rational(1, 2), sp.Rational(-1, 2), 3, -3, sp.Rational(1, 3)]
    if lo is None and hi is None:
        return [sp.sympify(v, strict=True) for v in base]
    if lo is not None and hi is not None:
        return [lo + (hi - lo) * sp.Rational(k, 7) for k in (1, 3, 4, 6, 2, 5)]
    if lo is not None:
        return [lo + d for d in (1, sp.Rational(1, 2), 2, 3, sp.Rational(1, 5), 5)]
    return [hi - d for d in (1, sp.Rational(1, 2), 2, 3, sp.Rational(1, 5), 5)]


def find_curvature_witnesses(f, variables, H, box: dict | None, limit: int = 400) -> dict:
    """{"not convex": w, "not concave": w}, each proven by Jensen's inequality with exact values.

    Candidates come from points where the exact Hessian has a direction d of negative (positive)
    curvature d^T H d; each is then checked without any smoothness assumption: for some h,
    f(p) > (f(p - h d) + f(p + h d)) / 2 (not convex), resp. < (not concave), decided exactly.
    If the Hessian gives nothing (kinks: |x| - |y|), the same second differences are tried along
    coordinate directions. w = {"point", "direction", "curvature" (None if not from H),
    "jensen": {"a", "b", "f(a)", "f(b)", "f(midpoint)"}}."""
    found = {}
    grids = [_sample_values(*(_bounds(box, v))) for v in variables]
    points = [dict(zip(variables, values))
              for _, values in zip(range(limit), itertools.product(*grids))]
    for point in points:
        if len(found) == 2:
            break
        check()
        Hp = sp.ImmutableMatrix(H.xreplace(point))
        if Hp.has(sp.zoo, sp.nan, sp.oo, sp.I):
            continue
        try:
            directions = lagrange_directions(Hp)
        except Undecided:
            continue
        for v, d, sgn in directions:
            key = "not convex" if sgn < 0 else "not concave"
            if key not in found:
                jensen = _second_difference(f, variables, point, tuple(v), -sgn, box)
                if jensen:
                    found[key] = {"point": point, "direction": tuple(v), "curvature": d,
                                  "jensen": jensen}
    n = len(variables)
    unit = [tuple(int(i == j) for j in range(n)) for i in range(n)]
    pairs = [tuple(a + b for a, b in zip(unit[i], unit[j])) for i in range(n) for j in range(i + 1, n)]
    for point in points[:60]:
        if len(found) == 2:
            break
        for d in unit + pairs:
            check()
            for key, want in (("not convex", 1), ("not concave", -1)):
                if key in found:
                    continue
                jensen = _second_difference(f, variables, point, d, want, box, scales=3)
                if jensen:
                    found[key] = {"point": point, "direction": d, "curvature": None, "jensen": jensen}
    return found


def _second_difference(f, variables, point, d, want: int, box, scales: int = 24):
    """Exact a, b = p -+ h d with sign(f(p) - (f(a) + f(b)) / 2) == want, h = 1/2^k."""
    f_mid = _real_value(f, point)
    if f_mid is None:
        return None
    for k in range(scales):
        h = sp.Rational(1, 2 ** k)
        a = {v: point[v] - h * di for v, di in zip(variables, d)}
        b = {v: point[v] + h * di for v, di in zip(variables, d)}
        if not (in_box(a, box) is True and in_box(b, box) is True):
            continue
        fa, fb = _real_value(f, a), _real_value(f, b)
        if fa is None or fb is None or not _segment_in_domain(f, variables, a, b):
            continue
        if exact_sign(2 * f_mid - fa - fb) == want:
            return {"a": a, "b": b, "f(a)": fa, "f(b)": fb, "f(midpoint)": f_mid}
    return None


_EVERYWHERE_DEFINED = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tanh, sp.atan, sp.Abs, sp.Max,
                       sp.Min, sp.Piecewise, sigmoid, softplus, logsumexp)


def _segment_in_domain(f, variables, a, b) -> bool:
    """f is defined and continuous on the whole segment [a, b] (Jensen needs the segment in the
    domain): SymPy's continuous_domain of t -> f(a + t (b - a)) on [0, 1], or f built only from
    everywhere-defined pieces. Undecided counts as no."""
    t = sp.Dummy("t", real=True)
    g = f.xreplace({v: a[v] + t * (b[v] - a[v]) for v in variables})
    try:
        from sympy.calculus.util import continuous_domain
        with budget("domain of a Jensen segment", 2.0):
            for cls in (sigmoid, softplus, logsumexp):  # only these: rewrite(exp) alone
                g = g.rewrite(cls, sp.exp)              # would turn x^3 into exp(3 log x)
            return continuous_domain(g, t, sp.Interval(0, 1)) == sp.Interval(0, 1)
    except BudgetExceeded as exc:
        if exc.step != "domain of a Jensen segment":
            raise
    except (NotImplementedError, TypeError, ValueError):
        pass
    for node in sp.preorder_traversal(f):
        if node.is_Pow and not (node.exp.is_Integer and node.exp >= 0):
            return False
        if isinstance(node, sp.Function) and not isinstance(node, _EVERYWHERE_DEFINED):
            return False
    return True


def _real_value(f, point):
    value = f.xreplace(point)
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return None
    if exact_sign(sp.im(value)) != 0:
        return None
    return value


def _bounds(box, v):
    if not box or v not in box:
        return None, None
    lo, hi = box[v]
    lo = None if lo is None or lo == -sp.oo else sp.sympify(lo, strict=True)
    hi = None if hi is None or hi == sp.oo else sp.sympify(hi, strict=True)
    return lo, hi
