"""Quasi-homogeneous principal parts of a residual germ h(b) and their exact sign analysis.

For positive weights w, the w-principal part h_w of h is the sum of its terms of least weighted
degree d = min w.alpha. Along the weighted curve b(t) = (v_i t^(w_i L)) (L clears denominators)
h(b(t)) = t^(dL) h_w(v) + o(t^(dL)), so a point v with h_w(v) < 0 proves h takes negative values
arbitrarily near 0. If h_w > 0 on R^k minus 0, then h_w >= c rho^d on the weighted sphere and h has
a strict minimum at 0 (the higher weighted terms are o(rho^d)). Candidate weights are those of
the compact faces of the Newton polyhedron (solve w.alpha = 1 on k support points, keep the
supporting ones) plus the uniform weight.

A truncated h (known to total degree N) only yields h_w when every unknown monomial has a larger
weighted degree: (N + 1) min(w) > d. Callers pass `order=None` for an exact h.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import sympy as sp

from symopt.budget import check
from symopt.analysis.exact.signs import exact_sign


def candidate_weights(h: dict, k: int, limit: int = 16) -> list:
    """Weight vectors (tuples of Fractions) normalised so the principal part has degree 1."""
    support = sorted(h, key=lambda m: (sum(m), m))[:limit]
    weights = []
    low = min(sum(m) for m in support)
    weights.append(tuple(Fraction(1, low) for _ in range(k)))
    for combo in itertools.combinations(support, k):
        check()
        A = sp.Matrix([list(m) for m in combo])
        if A.det() == 0:
            continue
        w = A.solve(sp.ones(k, 1))
        w = tuple(Fraction(int(sp.numer(x)), int(sp.denom(x))) for x in w)
        if any(x <= 0 for x in w):
            continue
        if min(sum(wi * e for wi, e in zip(w, m)) for m in h) != 1:
            continue  # not a supporting face
        if w not in weights:
            weights.append(w)
    return weights


def principal_part(h: dict, w) -> tuple:
    """(d, h_w): the least weighted degree and the terms attaining it."""
    degs = {m: sum(Fraction(wi) * e for wi, e in zip(w, m)) for m in h}
    d = min(degs.values())
    return d, {m: c for m, c in h.items() if degs[m] == d}


def truncation_safe(w, d, order) -> bool:
    """Every unknown term (total degree > order) has weighted degree > d."""
    return order is None or (order + 1) * min(w) > d


def curve_exponents(w) -> tuple:
    """Integer exponents e_i = w_i L of the weighted curve b_i = v_i t^(e_i)."""
    L = 1
    for x in w:
        L = L * x.denominator // math.gcd(L, x.denominator)
    return tuple(int(x * L) for x in w)


def _evaluate(hw: dict, v) -> sp.Expr:
    total = sp.S.Zero
    for m, c in hw.items():
        total += c * sp.Mul(*[sp.Rational(x) ** e for x, e in zip(v, m)])
    return total


def _grid(k: int):
    if k <= 2:
        values = [0, 1, -1, 2, -2, Fraction(1, 2), Fraction(-1, 2), 3, -3, Fraction(1, 3), Fraction(-1, 3)]
    elif k == 3:
        values = [0, 1, -1, 2, -2, Fraction(1, 2), Fraction(-1, 2)]
    else:
        values = [0, 1, -1, 2, -2]
    for v in itertools.product(values, repeat=k):
        if any(v):
            yield v


def sign_points(hw: dict, k: int) -> dict:
    """{-1: v, +1: v} for rational points where h_w is negative / positive (exact values)."""
    found = {}
    for v in _grid(k):
        check()
        s = exact_sign(_evaluate(hw, v))
        if s in (-1, 1) and s not in found:
            found[s] = v
            if len(found) == 2:
                break
    return found


def positive_on_line(p: sp.Expr, s: sp.Symbol) -> bool | None:
    """p(s) > 0 for every real s, decided exactly (Sturm count); None when undecidable."""
    P = sp.Poly(sp.expand(p), s)
    if P.is_zero:
        return False
    lead = exact_sign(P.LC())
    if lead is None:
        return None
    if P.degree() == 0:
        return lead > 0
    if P.degree() % 2 == 1 or lead < 0:
        return False
    if P.domain not in (sp.ZZ, sp.QQ):
        try:
            P = sp.Poly(P.as_expr(), s, domain=sp.QQ)
        except (sp.polys.polyerrors.PolynomialError, sp.polys.polyerrors.CoercionFailed):
            # irrational coefficients: only the obvious case, even powers with positive weights
            terms = P.terms()
            if all(m[0] % 2 == 0 and exact_sign(c) == 1 for m, c in terms) and \
                    any(m[0] == 0 for m, _ in terms):
                return True
            return None
    return P.count_roots() == 0


def definite(hw: dict, k: int) -> tuple[bool | None, str]:
    """Is the quasi-homogeneous h_w positive on R^k minus 0? (answer, argument).

    k = 1: one term c b^m with m even and c > 0. k = 2: every v != 0 is a positive weighted
    rescaling of (+-1, s) or (0, +-1), so h_w > 0 iff h_w(+-1, s) > 0 for all real s (Sturm) and
    h_w(0, +-1) > 0. k >= 3: a sum of positive even monomials containing a pure power of every
    variable (a sum of squares). None: not decided.
    """
    if k == 1:
        (m,), c = next(iter(hw.items()))
        ok = len(hw) == 1 and m % 2 == 0 and exact_sign(c) == 1
        return ok, f"its lowest term {c}*b^{m} has even degree and positive coefficient"
    if k == 2:
        s = sp.Symbol("s", real=True)
        for sign in (1, -1):
            line = sp.Add(*[c * sp.Integer(sign) ** m[0] * s ** m[1] for m, c in hw.items()])
            ok = positive_on_line(line, s)
            if ok is not True:
                return ok, ""
            edge = sp.Add(*[c * sp.Integer(sign) ** m[1] for m, c in hw.items() if m[0] == 0])
            if exact_sign(edge) != 1:
                return False, ""
        return True, ("h_w(+-1, s) has no real root and positive leading coefficient (Sturm "
                      "sequence) and h_w(0, +-1) > 0, so h_w > 0 on the weighted circle")
    squares = all(all(e % 2 == 0 for e in m) and exact_sign(c) == 1 for m, c in hw.items())
    pure = all(any(m[i] > 0 and sum(m) == m[i] for m in hw) for i in range(k))
    if squares and pure:
        return True, "it is a sum of positive even monomials including a pure power of every variable"
    return None, ""


def monomial_squares(h: dict) -> bool:
    """Every term is a positive coefficient times a monomial with even exponents (so h >= 0)."""
    return bool(h) and all(all(e % 2 == 0 for e in m) and exact_sign(c) == 1 for m, c in h.items())


def vanishing_axis(h: dict, k: int):
    """An index j with h(t e_j) identically 0 (h vanishes on a coordinate axis), else None."""
    for j in range(k):
        if not any(m[j] == sum(m) for m in h):
            return j
    return None


def newton_boundary_2d(h: dict):
    """Vertices (left to right) of the Newton boundary of a convenient h(b0, b1), else None.

    Convenient: pure powers b1^m2 and b0^m1 occur. The boundary is the lower convex hull of the
    support from (0, m2) to (m1, 0)."""
    m2 = min((m[1] for m in h if m[0] == 0), default=None)
    m1 = min((m[0] for m in h if m[1] == 0), default=None)
    if m1 is None or m2 is None:
        return None
    pts = sorted({m for m in h if m[0] <= m1 and m[1] <= m2})
    hull = []
    for p in pts:
        while len(hull) >= 2 and _cross(hull[-2], hull[-1], p) <= 0:
            hull.pop()
        hull.append(p)
    # keep the part from (0, m2) down to (m1, 0)
    start, end = hull.index((0, m2)), hull.index((m1, 0))
    return hull[start:end + 1]


def _cross(o, a, b):
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def newton_positive_2d(h: dict, order: int | None) -> tuple[bool, str]:
    """h(b0, b1) > 0 near 0 except at 0, by Newton nondegeneracy.

    Criterion: the Newton polygon is convenient, every edge polynomial h_E is positive on the
    torus (b0 b1 != 0) and every vertex monomial is positive there (positive coefficient, even
    exponents). Proof: if h <= 0 at points arbitrarily close to 0, the curve selection lemma gives
    an analytic arc b(t) = (a t^p + ..., c t^q + ...) with h(b(t)) <= 0; its leading term is
    h_F(a, c) t^d for the face F of weight (p, q) (or a pure power if the arc lies on an axis), and
    that is positive. For a truncated h every unknown monomial (degree > order >= m1, m2) lies
    strictly above the segment joining the pure powers, hence above the boundary.
    """
    verts = newton_boundary_2d(h)
    if verts is None:
        return False, ""
    if order is not None and max(verts[0][1], verts[-1][0]) > order:
        return False, ""
    for (i, j) in verts:
        c = h[(i, j)]
        if i % 2 or j % 2 or exact_sign(c) != 1:
            return False, ""
    s = sp.Symbol("s", real=True)
    edges = []
    for p, q in zip(verts, verts[1:]):
        w = (p[1] - q[1], q[0] - p[0])  # inner normal of the edge
        d = w[0] * p[0] + w[1] * p[1]
        face = {m: c for m, c in h.items() if w[0] * m[0] + w[1] * m[1] == d}
        low = min(m[1] for m in face)
        for sign in (1, -1):
            line = sp.Add(*[c * sp.Integer(sign) ** m[0] * s ** (m[1] - low) for m, c in face.items()])
            if low % 2 or positive_on_line(line, s) is not True:
                return False, ""
        edges.append(_show_face(face))
    return True, ("the Newton polygon is convenient (vertices " + ", ".join(map(str, verts)) +
                  "), its vertex monomials are positive even powers and every edge polynomial (" +
                  "; ".join(edges) + ") is positive off the axes (Sturm); by curve selection "
                  "every arc into the point sees a positive leading term")


def _show_face(face: dict) -> str:
    b0, b1 = sp.symbols("b0 b1")
    return str(sp.Add(*[c * b0 ** m[0] * b1 ** m[1] for m, c in face.items()]))


def factored_sign(h: dict, gens) -> tuple[int, bool | None, str] | None:
    """Sign of an exact polynomial h near 0 from its factorization, or None.

    h = c * prod p_i^e_i. A factor with p_i(0) != 0 keeps its sign near 0; a factor vanishing at
    0 must be an even power or a sum of positive even monomials (>= 0). Then h has the constant
    sign s = sign(c * prod p_i(0)) or vanishes: a (non-strict) extremum. strict: False when a
    vanishing factor has a nonzero linear part (a smooth hypersurface of zeros passes through
    0), True when every vanishing factor is a sum of positive even monomials containing a pure
    power of every variable (zero only at 0), else None.
    """
    expr = sp.Add(*[c * sp.Mul(*[g ** e for g, e in zip(gens, m)]) for m, c in h.items()])
    try:
        c, factors = sp.factor_list(expr, *gens)
    except (sp.polys.polyerrors.PolynomialError, NotImplementedError):
        return None
    sign = exact_sign(c)
    if not sign:
        return None
    origin = {g: 0 for g in gens}
    strict, parts = True, []
    for p, e in factors:
        p0 = p.xreplace(origin)
        s0 = exact_sign(p0)
        if s0 is None:
            return None
        if s0 != 0:
            sign *= s0 ** e
            continue
        pd = sp.Poly(p, *gens).as_dict()
        own = None if e % 2 == 0 or monomial_squares(pd) else strict_germ_sign(pd, len(gens))
        if e % 2 == 0:
            parts.append(f"({p})^{e}")
        elif monomial_squares(pd):
            parts.append(f"({p})")
        elif own is not None:
            sign *= own
            parts.append(f"({own}*({p}) > 0 off 0)")
            continue
        else:
            return None
        linear = any(sum(m) == 1 for m in pd)
        pure = all(any(m[i] > 0 and sum(m) == m[i] for m in pd) for i in range(len(gens)))
        definite_sq = monomial_squares(pd) and pure
        if linear or not pure:
            strict = False  # zeros along a smooth hypersurface, or along a whole axis
        elif not definite_sq and strict is not False:
            strict = None
    if not parts:
        return None
    return sign, strict, " * ".join(parts)


def strict_germ_sign(pd: dict, k: int) -> int | None:
    """+1 / -1 when the exact polynomial germ pd (zero at 0) is provably > 0 / < 0 near 0 except
    at 0 (a definite weighted principal part, or Newton nondegeneracy in two variables)."""
    for sign in (1, -1):
        signed = {m: sign * c for m, c in pd.items() if c != 0}
        if not signed or any(sum(m) == 0 for m in signed):
            return None
        for w in candidate_weights(signed, k):
            _, hw = principal_part(signed, w)
            if definite(hw, k)[0]:
                return sign
        if k == 2 and newton_positive_2d(signed, None)[0]:
            return sign
    return None
