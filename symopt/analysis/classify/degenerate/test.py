"""Degenerate critical points: beyond the second-derivative test (chapter section 4.3.1).

The second-derivative test is inconclusive when the Hessian has a zero eigenvalue and no two
nonzero eigenvalues of opposite sign. Then, exactly:

1. translate the point to the origin: g(u) = f(p + u) - f(p) (exact for polynomials, else the
   Taylor polynomial of degree N, raised until the answer no longer depends on unknown terms);
2. Lagrange-reduce the quadratic part (exact inertia; opposite signs => saddle at once);
3. splitting lemma: eliminate the definite directions order by order; what is left is the
   residual h(b) on the kernel of the Hessian, and g has a (strict) minimum iff h has one;
4. 1-D residual: its first nonvanishing term (the first nonvanishing derivative in 1-D: odd =>
   inflection, reported as a saddle; even => minimum or maximum by its sign);
   n-D residual: quasi-homogeneous principal parts from the Newton polyhedron: one taking a
   negative value => values below f(p) arbitrarily close; one positive definite (proved exactly:
   Sturm sequences on the weighted circle) => strict minimum; in two kernel variables, a
   convenient Newton polygon whose edge polynomials are all positive off the axes => strict
   minimum (curve selection); exact polynomial residuals that factor into a unit times
   nonnegative factors => (non-strict) extremum.

Every saddle carries a witness: two nearby rational points with f above and below f(p), checked
by exact arithmetic. Anything not proven is `inconclusive` with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

from symopt.budget import budget
from symopt.analysis.classify.degenerate.witness import is_numeric_point, non_analytic_reason, search_witness
from symopt.analysis.exact.signs import Undecided, exact_sign
from symopt.analysis.classify.degenerate.newton import (candidate_weights, curve_exponents, definite,
                                               factored_sign, monomial_squares,
                                               newton_positive_2d,
                                               principal_part, sign_points, truncation_safe,
                                               vanishing_axis)
from symopt.analysis.classify.degenerate.taylor import germ, lagrange_directions, quadratic_form, split
from symopt.analysis.results import Classification, Kind
from symopt.errors import BudgetExceeded

_ORDERS_1D = (8, 12, 16, 24)
_ORDERS_ND = (4, 6, 8, 10, 12)


@dataclass
class _Verdict:
    kind: str  # "min", "max", "saddle", "more"
    strict: bool | None = None
    reason: str = ""
    below: list = field(default_factory=list)  # curves t -> displacement u with f < f(p)
    above: list = field(default_factory=list)

    def flipped(self, note: str) -> "_Verdict":
        kind = {"min": "max", "max": "min"}.get(self.kind, self.kind)
        return _Verdict(kind, self.strict, note + self.reason, self.above, self.below)


def classify_degenerate(f, variables, point, hessian, seconds: float | None = None):
    """Decide a critical point whose Hessian is singular (see the module doc).

    f: SymPy expression (or symopt Function); variables: ordered symbols; point: {var: exact
    value}; hessian: the exact Hessian at the point (ImmutableMatrix) or None. Returns a
    Classification with degenerate=True, test "higher-order" (n-D) or
    "first-nonvanishing-derivative" (1-D), method "exact"; kind inconclusive when nothing is
    proven (numeric point, undecidable constant, budget ran out: the reason says which).
    """
    f = getattr(f, "expr", f)
    f = sp.sympify(f, strict=True)
    variables = tuple(variables)
    point = {v: sp.sympify(point[v], strict=True) for v in variables}
    test = "first-nonvanishing-derivative" if len(variables) == 1 else "higher-order"
    try:
        value = f.xreplace(point)
        if hessian is None:
            hessian = sp.hessian(f, variables).xreplace(point)
    except (sp.polys.polyerrors.BasePolynomialError, TypeError, ValueError) as exc:
        return Classification(Kind.INCONCLUSIVE, None, True, test=test, reason=(
            f"cannot evaluate f at the point ({type(exc).__name__}: {exc})"))
    eigenvalues = _eigenvalues(hessian)
    common = dict(degenerate=True, eigenvalues=eigenvalues, test=test, value=value)
    if f.has(sp.Float):
        return Classification(Kind.INCONCLUSIVE, None, method="numeric", reason=(
            "f has floating-point coefficients: its higher-order terms are not known exactly"),
            **common)
    if is_numeric_point(point):
        return Classification(Kind.INCONCLUSIVE, None, method="numeric", reason=(
            "the Hessian is singular at a floating-point point: higher-order terms cannot decide "
            "a degenerate point without its exact location"), **common)
    try:
        with budget("higher-order test", seconds):
            why = None if f.is_polynomial(*variables) else non_analytic_reason(f, point)
            if why:
                return Classification(Kind.INCONCLUSIVE, None, method="exact", reason=(
                    "higher-order test not applicable: Taylor expansion needs f analytic at the "
                    "point, but " + why), **common)
            verdict = _decide(f, variables, point)
            return _to_classification(verdict, f, variables, point, value, common)
    except BudgetExceeded as exc:
        reason = f"the step '{exc.step}' ran out of its time budget ({exc.seconds:g} s)"
    except Undecided as exc:
        reason = f"could not decide exactly whether {exc.value} is zero"
    except _NotCritical as exc:
        reason = str(exc)
    except (sp.polys.polyerrors.BasePolynomialError, NotImplementedError,
            ZeroDivisionError) as exc:
        reason = f"exact algebra failed ({type(exc).__name__}: {exc})"
    return Classification(Kind.INCONCLUSIVE, None, method="exact",
                          reason="higher-order test inconclusive: " + reason, **common)


def _eigenvalues(hessian) -> tuple:
    try:
        with budget("eigenvalues of the Hessian", 2.0):
            vals = sp.Matrix(hessian).eigenvals()
            return tuple(ev for ev, mult in vals.items() for _ in range(mult))
    except (BudgetExceeded, sp.polys.polyerrors.PolynomialError, NotImplementedError):
        return ()


class _NotCritical(Exception):
    """The gradient does not vanish at the point."""


def _decide(f, variables, point) -> _Verdict:
    n = len(variables)
    verdict = _Verdict("more", reason="no Taylor term decides")
    for order in (_ORDERS_1D if n == 1 else _ORDERS_ND):
        with budget(f"Taylor expansion to order {order}", None):
            g, exact = germ(f, variables, point, order)
        linear = {m: c for m, c in g.items() if sum(m) == 1}
        if linear:
            raise _NotCritical(f"the point is not critical: f has first-order terms "
                               f"{list(linear.values())} there")
        verdict = _analyze(g, n, order, exact, variables)
        if verdict.kind != "more":
            break
    if n == 1 and verdict.kind != "more":
        verdict.reason = "first nonvanishing derivative test: " + verdict.reason
    return verdict


def _analyze(g: dict, n: int, order: int, exact: bool, variables) -> _Verdict:
    if not g:
        if exact:
            return _Verdict("min", False, "f is constant near the point (so the point is also "
                                          "a non-strict maximum)")
        return _Verdict("more", reason=f"every Taylor coefficient up to order {order} vanishes")
    H = quadratic_form(g, n)
    directions = lagrange_directions(H)
    pos = [d for d in directions if d[2] > 0]
    neg = [d for d in directions if d[2] < 0]
    if pos and neg:
        vp, vn = pos[0][0], neg[0][0]
        return _Verdict("saddle", False, "the Hessian is indefinite (Lagrange reduction finds "
                        "directions of positive and negative curvature)",
                        below=[lambda t: tuple(t * vn)], above=[lambda t: tuple(t * vp)])
    flip = bool(neg)
    if flip:
        g = {m: -c for m, c in g.items()}
        pos = [(v, -d, 1) for v, d, _ in neg]
    kernel = H.nullspace()
    if len(kernel) + len(pos) != n:
        raise Undecided(H)
    if not kernel:
        verdict = _Verdict("min", True, "the Hessian is definite")
    else:
        names = None if pos else tuple(f"u_{v}" for v in variables)
        verdict = _residual(split(g, n, pos, kernel, order, exact, names), len(pos), order)
    if flip:
        return verdict.flipped("the Hessian is negative semidefinite; for -f: ")
    return verdict


def _residual(s, r: int, order: int) -> _Verdict:
    h, k = s.h, len(s.b)
    trunc = None if s.exact else order
    basis = ", ".join(f"{bi}: {tuple(s.K[:, j])}" for j, bi in enumerate(s.b))
    where = (f"the residual h(b) on the {k}-dimensional kernel of the Hessian (coordinates "
             f"{basis}) after eliminating the {r} definite direction(s) by the splitting lemma"
             if r else "the germ f(p + u) - f(p)")
    range_curve = [lambda t: tuple(t * s.V[:, 0])] if r else []

    def along(v, e):
        return lambda t: s.displacement(tuple(sp.Rational(vi) * t ** ei for vi, ei in zip(v, e)))

    if not h:
        if s.exact:
            return _Verdict("min", False, f"{where} vanishes identically (exactly): f - f(p) >= 0 "
                            "with a set of zeros through the point")
        return _Verdict("more", reason=f"{where} vanishes up to order {order}")
    if k == 1:
        (m,), c = min(h.items(), key=lambda item: item[0][0])
        term = f"{where} starts with ({c})*{s.b[0]}^{m}"
        curve = along((1,), (1,))
        if m > 2 and r == 0:
            term += f" (f^({m})(p) = {c * math.factorial(m)})"
        if m % 2 == 1:
            return _Verdict("saddle", False, f"{term}: odd order, so f changes sign through the "
                            "point (an inflection along that direction)", [curve], [curve])
        if exact_sign(c) > 0:
            return _Verdict("min", True, f"{term}: even order with positive coefficient, so a "
                            "strict local minimum")
        if r:
            return _Verdict("saddle", False, f"{term}: negative while the other directions curve "
                            "upwards", [curve], range_curve)
        return _Verdict("max", True, f"{term}: even order with negative coefficient, so a "
                        "strict local maximum")
    neg = pos = pd = nd = None
    for w in candidate_weights(h, k):
        d, hw = principal_part(h, w)
        if not truncation_safe(w, d, trunc):
            continue
        pts, e = sign_points(hw, k), curve_exponents(w)
        label = f"the principal part {_show(hw, s.b)} for weights {tuple(str(x) for x in w)}"
        if -1 in pts and neg is None:
            neg = (label + f" is negative at {pts[-1]}", along(pts[-1], e))
        if 1 in pts and pos is None:
            pos = (label + f" is positive at {pts[1]}", along(pts[1], e))
        if -1 not in pts and pd is None:
            ok, why = definite(hw, k)
            if ok:
                pd = f"{label} is positive definite: {why}"
        if 1 not in pts and nd is None and r == 0:
            ok, why = definite({m: -c for m, c in hw.items()}, k)
            if ok:
                nd = f"{label} is negative definite: {why}"
    if neg and (pos or r):
        above = [pos[1]] if pos else range_curve
        why = f"{neg[0]}" + (f" and {pos[0]}" if pos else "; the eliminated directions curve upwards")
        return _Verdict("saddle", False, f"in {where}, {why}", [neg[1]], above)
    if pd and not neg:
        return _Verdict("min", True, f"in {where}, {pd}: strict local minimum")
    if nd and not pos:
        return _Verdict("max", True, f"in {where}, {nd}: strict local maximum")
    if k == 2 and not neg:
        ok, why = newton_positive_2d(h, trunc)
        if ok:
            return _Verdict("min", True, f"in {where}, {why}: strict local minimum")
    if k == 2 and r == 0 and not pos:
        ok, why = newton_positive_2d({m: -c for m, c in h.items()}, trunc)
        if ok:
            return _Verdict("max", True, f"in {where}, for -h {why}: strict local maximum")
    if s.exact and not (neg and pos):
        fs = factored_sign(h, s.b)
        if fs is not None and (fs[0] > 0 or r == 0):
            sign, strict, parts = fs
            kind = "min" if sign > 0 else "max"
            zeros = {True: "vanishing only at 0", False: "vanishing on a hypersurface through "
                     "the point: a non-strict extremum", None: "(strictness not decided)"}[strict]
            return _Verdict(kind, strict, f"{where} factors exactly as a nonzero-at-0 unit of sign "
                            f"{sign} times {parts} (each factor >= 0), {zeros}")
    if s.exact:
        for sign, kind in ((1, "min"), (-1, "max")):
            if sign == -1 and r:
                break
            signed = {m: sign * c for m, c in h.items()}
            if monomial_squares(signed):
                j = vanishing_axis(signed, k)
                strict = j is None
                extra = ("and vanishes only at 0" if strict else
                         f"and vanishes identically along the {s.b[j]} axis: a non-strict extremum")
                return _Verdict(kind, strict, f"{where} is exactly a sum of "
                                f"{'positive' if sign > 0 else 'negative'} even monomials "
                                f"{_show(h, s.b)} {extra}")
    evidence = neg[0] if neg else pos[0] if pos else "no principal part is definite"
    return _Verdict("more", reason=f"in {where}, {evidence}; principal parts are semidefinite")


def _show(d: dict, gens) -> str:
    return str(sp.Add(*[c * sp.Mul(*[g ** e for g, e in zip(gens, m)]) for m, c in d.items()]))


def _to_classification(verdict, f, variables, point, value, common) -> Classification:
    if verdict.kind == "more":
        return Classification(Kind.INCONCLUSIVE, None, method="exact",
                              reason="higher-order test inconclusive: " + verdict.reason, **common)
    kind = {"min": Kind.MINIMUM, "max": Kind.MAXIMUM, "saddle": Kind.SADDLE}[verdict.kind]
    witness = None
    if kind is Kind.SADDLE:
        found = {}
        for label, curves, want in (("below", verdict.below, -1), ("above", verdict.above, 1)):
            for curve in curves:
                hit = search_witness(f, variables, point, value, curve, want)
                if hit:
                    found[label] = hit
                    break
        if len(found) == 2:
            witness = {"below": found["below"][0], "above": found["above"][0],
                       "values": {"below": found["below"][1], "point": value,
                                  "above": found["above"][1]}}
        else:
            verdict.reason += " (no exact witness pair found at the tried scales)"
    return Classification(kind, verdict.strict, method="exact", witness=witness,
                          reason=verdict.reason, **common)
