"""Classify a critical point by the second-derivative test (section 4.3.1), exactly when the
point is exact.

The Hessian's inertia (numbers of positive, negative and zero eigenvalues) decides: positive
definite -> strict minimum, negative definite -> strict maximum, eigenvalues of both signs ->
saddle (also when some are zero), otherwise singular with one sign -> the test is inconclusive
and `symopt.analysis.classify.degenerate.test.classify_degenerate` is asked.

* Exact points (rationals, radicals, CRootOf, algebraic points from the polynomial rung): the
  inertia comes from Descartes' rule on det(tI - H) with exactly decided coefficient signs.
* Numeric points (any Float coordinate): mpmath eigenvalues at raised precision with a rigorous
  residual bound; a sign counts only outside its bound, otherwise the eigenvalue is reported as
  possibly zero.
"""

from __future__ import annotations

import mpmath
import sympy as sp

from symopt.analysis.classify import numeric as numeric_eigen
from symopt.budget import budget
from symopt.analysis.exact.inertia import Inertia, exact_inertia, rational_inertia
from symopt.analysis.exact.signs import exact_sign
from symopt.analysis.classify.criticality import Criticality, check_gradient
from symopt.analysis.conditioning import spectral_figures
from symopt.analysis.results import Classification, Kind, Method, Test
from symopt.core.calculus import hessian as hessian_matrix
from symopt.core.symbols import as_real, exact_value, float_as_rational, floats_as_rationals
from symopt.errors import BudgetExceeded, DefinitionError, DimensionError

SINGULAR_REASON = "singular Hessian: the second-derivative test is inconclusive"


def _hessian(f, variables):
    return sp.ImmutableMatrix(hessian_matrix(f, variables))


class ExactPoint:
    """A point with closed exact coordinates (SymPy numbers)."""

    def __init__(self, variables, point: dict):
        self.variables = tuple(variables)
        self.point = dict(point)
        self.rational = all(sp.sympify(v, strict=True).is_Rational for v in self.point.values())

    def at(self, expr):
        return sp.sympify(expr, strict=True).xreplace(self.point)

    def inertia(self, hessian) -> Inertia | None:
        H = hessian.xreplace(self.point)
        if all(e.is_Rational for e in H):
            return rational_inertia(H)
        return exact_inertia(H.applyfunc(sp.expand))

    def sign(self, expr) -> int | None:
        return exact_sign(sp.expand(self.at(expr)) if self.rational else self.at(expr))

    def value(self, f):
        v = self.at(f)
        if self.rational:
            return sp.expand(v)
        if exact_sign(v, 1.0) == 0:      # proven zero (e.g. a zero of a sum of squares)
            return sp.Integer(0)
        return sp.radsimp(sp.expand(v)) if v.is_algebraic else v

    def sign_ring(self, poly):
        """Sign at the point of a polynomial given as a ring element over these variables."""
        if not self.rational:
            return self.sign(poly.as_expr())
        dom = poly.ring.domain
        v = poly.evaluate([(g, dom.convert(sp.Rational(self.point[var])))
                           for g, var in zip(poly.ring.gens, self.variables)])
        return (v > 0) - (v < 0)

    def exact_hessian(self, hessian):
        H = hessian.xreplace(self.point)
        return H if all(e.is_Rational for e in H) else None

    def numeric_hessian(self, hessian, dps):
        with mpmath.workdps(dps):
            return mpmath.matrix([[mpmath.mpf(sp.N(self.at(hessian[i, j]), dps))
                                   for j in range(hessian.cols)] for i in range(hessian.rows)])

    def shifted(self, direction, s):
        return {v: self.point[v] + s * d for v, d in zip(self.variables, direction)}


def _normalize_point(variables, point):
    if isinstance(point, dict):
        by_name = {getattr(k, "name", str(k)): _exact(v) for k, v in point.items()}
        missing = [v for v in variables if v.name not in by_name]
        if missing:
            raise DimensionError(f"the point gives no value for {', '.join(map(str, missing))}")
        return {v: by_name[v.name] for v in variables}
    values = list(point)
    if len(values) != len(variables):
        raise DimensionError(f"the point has {len(values)} coordinates for {len(variables)} variables")
    return {v: _exact(x) for v, x in zip(variables, values)}


def _exact(value):
    return exact_value(value)


def _prepare(f, variables, point, hessian):
    if isinstance(f, str):
        raise DefinitionError("classify got text; parse it first (symopt.parse)")
    f = floats_as_rationals(as_real(_exact(f)))   # float coefficients read as exact decimals
    variables = tuple(as_real(v) for v in variables)
    pt = _normalize_point(variables, point)
    H = _hessian(f, variables) if hessian is None else \
        floats_as_rationals(sp.ImmutableMatrix(as_real(hessian)))
    return f, variables, pt, H


def classify_critical(f, variables, point, hessian=None) -> Classification:
    """Classify a point already known to be critical (the ladder's points: exact, or Floats from
    a certified or numeric rung), by the second-derivative test and, when it is inconclusive,
    the higher-order tests. Callers with points of unknown status use `classify`."""
    f, variables, pt, H = _prepare(f, variables, point, hessian)
    if any(v.atoms(sp.Float) for v in pt.values()):
        return numeric_eigen.classify_numeric(f, variables, pt, H)
    return classify_exact(f, variables, ExactPoint(variables, pt), H)


def classify(f, variables, point, hessian=None, radius=None) -> Classification:
    """Classify f at `point` (dict variable -> exact value, or a sequence), deciding first
    whether grad f vanishes there (never a minimum/maximum/saddle verdict where it does not).

    radius: variable -> r >= 0 when the point is known only within p +- r (a float from a
    caller). Then "critical" means: the gradient's enclosure over the box contains 0, and the
    Hessian is enclosed over the whole box, so the verdict holds for any critical point in it
    (certified when the Krawczyk test proves exactly one)."""
    f, variables, pt, H = _prepare(f, variables, point, hessian)
    ulps = {}            # a Float coordinate stands for every point within its last place
    for v, x in list(pt.items()):
        if isinstance(x, sp.Float):
            pt[v], ulps[v] = float_as_rational(x)
    radius = ulps if radius is None else radius
    if any(x.has(sp.Float) for x in pt.values()):
        raise DefinitionError("a coordinate mixes floats into an expression; give a number")
    check = check_gradient(f, variables, pt, radius)
    value = _safe(lambda: ExactPoint(variables, pt).value(f))
    if check.status is Criticality.NOT_CRITICAL:
        method = Method.CERTIFIED if radius and any(radius.values()) else Method.EXACT
        return Classification(Kind.NOT_CRITICAL, None, False, test=Test.GRADIENT, method=method,
                              value=value, gradient=check.gradient, reason=check.reason)
    if check.status is Criticality.UNDECIDED:
        return Classification(Kind.INCONCLUSIVE, None, False, test=Test.GRADIENT,
                              method=Method.NUMERIC, value=value, gradient=check.gradient,
                              reason=check.reason + "; no verdict at a point that may not be "
                                                    "critical")
    if check.status is Criticality.CRITICAL:
        return classify_exact(f, variables, ExactPoint(variables, pt), H)
    box = {v: (pt[v] - sp.Rational(radius.get(v, 0)), pt[v] + sp.Rational(radius.get(v, 0)))
           for v in variables}
    floats = {v: sp.Float(x, 30) for v, x in pt.items()}
    method = Method.CERTIFIED if check.status is Criticality.CERTIFIED else Method.NUMERIC
    return numeric_eigen.classify_numeric(f, variables, floats, H, box=box, method=method,
                                          preface=check.reason + "; ")


def _display_eigen(field, hessian):
    """(eigenvalues, eigenvectors) for display: exact for small rational Hessians, else
    mpmath at 30 digits rounded to floats."""
    H = field.exact_hessian(hessian)
    if H is not None and H.rows <= 2:
        vals, vecs = [], []
        for lam, mult, basis in sp.Matrix(H).eigenvects():
            for b in basis:
                vals.append(sp.radsimp(lam))
                vecs.append(tuple(sp.radsimp(c) for c in b))
        return tuple(vals), tuple(vecs), True
    A = field.numeric_hessian(hessian, 30)
    with mpmath.workdps(30):
        E, Qm = mpmath.eigsy(A)
    vals = tuple(float(e) for e in E)
    vecs = tuple(tuple(float(Qm[i, k]) for i in range(A.rows)) for k in range(A.rows))
    return vals, vecs, False


def _conditioning(kind, vals, inert):
    if inert.zero:
        return None, None, None
    return spectral_figures(vals, kind is Kind.MINIMUM)


def _witness(f, field, vals, vecs, variables):
    """Two exact nearby points, below and above f(point), along principal directions."""
    try:
        up = next(v for lam, v in zip(vals, vecs) if float(lam) > 0)
        down = next(v for lam, v in zip(vals, vecs) if float(lam) < 0)
    except StopIteration:
        return None
    def rational_dir(v):  # any nearby rational direction will do: the claim is checked exactly
        return [c if isinstance(c, sp.Basic) and c.is_Rational
                else sp.Rational(float(c)).limit_denominator(1000) for c in v]
    try:
        with budget("saddle witness", 1.0):
            from sympy.polys.domains import QQ
            from sympy.polys.orderings import grevlex
            from sympy.polys.rings import ring
            Rg = ring(list(variables), QQ, grevlex)[0]
            F = Rg.from_expr(f)
            d_up, d_down = rational_dir(up), rational_dir(down)
            for k in range(1, 8):
                s = sp.Rational(1, 10 ** k)
                def shifted(d):
                    return F.compose([(g, g + QQ.convert(s * c)) for g, c in zip(Rg.gens, d)]) - F
                if field.sign_ring(shifted(d_up)) == 1 and field.sign_ring(shifted(d_down)) == -1:
                    return {"direction_up": tuple(d_up), "direction_down": tuple(d_down), "step": s,
                            "claim": "f(p + step*direction_up) > f(p) > f(p + step*direction_down)"}
    except (BudgetExceeded, TypeError, ValueError, ZeroDivisionError, sp.CoercionFailed):
        return None
    return None


def classify_exact(f, variables, field, hessian, with_witness: bool = True) -> Classification:
    """The exact second-derivative test at a point given by a `field` object (ExactPoint, or an
    AlgebraicPoint of the polynomial rung): inertia, kind, spectrum, conditioning, witness."""
    n = len(variables)
    value = _safe(lambda: field.value(f))
    try:
        with budget("inertia", 5.0):
            inert = field.inertia(hessian)
    except BudgetExceeded:
        inert = None
    try:
        with budget("eigenvalues for display", 5.0):
            vals, vecs, _ = _display_eigen(field, hessian)
    except (BudgetExceeded, TypeError, ValueError, ZeroDivisionError):
        vals, vecs = (), ()
    if inert is None:
        return Classification(Kind.INCONCLUSIVE, None, False, vals, vecs, value=value,
                              method="numeric", reason="the signs of the Hessian's eigenvalues "
                              "could not be decided exactly within the budget")
    if inert.zero == 0 and inert.positive == n:
        kind, strict, reason = Kind.MINIMUM, True, "Hessian positive definite (all eigenvalues > 0)"
    elif inert.zero == 0 and inert.negative == n:
        kind, strict, reason = Kind.MAXIMUM, True, "Hessian negative definite (all eigenvalues < 0)"
    elif inert.positive and inert.negative:
        kind, strict = Kind.SADDLE, None
        reason = (f"Hessian indefinite ({inert.positive} positive, {inert.negative} negative"
                  + (f", {inert.zero} zero" if inert.zero else "") + " eigenvalue(s))")
    else:
        kind, strict, reason = None, None, SINGULAR_REASON
    if kind is None:
        decided = _degenerate(f, variables, field, hessian)
        if decided is not None:
            return decided
        return Classification(Kind.INCONCLUSIVE, None, True, vals, vecs, "second-derivative",
                              "exact", value, None, None, None, None, reason)
    kappa, step, contraction = _conditioning(kind, vals, inert)
    witness = None
    degree = getattr(getattr(field, "alg", None), "degree", 99)
    cheap = getattr(field, "rational", False) or degree <= 30   # witness under a 1 s budget
    if kind is Kind.SADDLE and with_witness and cheap and vals and f.is_polynomial(*variables):
        witness = _witness(f, field, vals, vecs, variables)
    return Classification(kind, strict, inert.zero > 0, vals, vecs, "second-derivative", "exact",
                          value, kappa, step, contraction, witness, reason)


def _degenerate(f, variables, field, hessian):
    from symopt.analysis.classify.degenerate.test import classify_degenerate
    point = getattr(field, "point", None)
    if point is None:
        point = field.exact_point()
    try:
        # classify_degenerate wants the Hessian AT the point, not the symbolic one.
        at_point = sp.ImmutableMatrix(hessian).xreplace(dict(point))
        decided = classify_degenerate(f, variables, point, at_point)
    except Exception:  # a failure in the higher-order test must not lose the inertia verdict
        return None
    if decided is not None and decided.kind is Kind.SADDLE and decided.strict is not None:
        # strictness is a property of extrema; saddles report null, as the exact path does
        from dataclasses import replace
        decided = replace(decided, strict=None)
    return decided


def _safe(fn):
    try:
        with budget("value", 2.0):
            return fn()
    except (BudgetExceeded, ArithmeticError, ValueError, TypeError, sp.CoercionFailed,
            sp.PolynomialError):
        return None
