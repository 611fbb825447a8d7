"""The polynomial rung: every critical point of a polynomial or rational gradient, exactly.

grad f = 0 is a polynomial system (numerators after `together`). The method, with each step on
a time budget:

1. a Groebner basis G of I = <numerators> (grevlex); I is zero-dimensional iff every variable
   has a pure power among the leading monomials;
2. the quotient algebra A = Q[x]/I: its standard monomials (dim A = number of complex solutions
   counted with multiplicity) and the multiplication matrices M_{x_i};
3. the radical: e_i = charpoly(M_{x_i}) vanishes on every solution's i-th coordinate, and
   sqrt(I) = I + <squarefree(e_i)(x_i)> (Seidenberg's lemma, characteristic 0);
4. a separating linear form u = sum c_i x_i: charpoly of M_u on Q[x]/sqrt(I) squarefree of
   degree dim Q[x]/sqrt(I); the shape lemma then gives x_i = p_i(u) with p_i found by linear
   algebra on the Krylov basis 1, u, u^2, ... and all solutions are the roots t0 of q = charpoly;
5. factor q over Q, isolate its real roots exactly, verify grad f(p(t)) = 0 mod each factor
   (exact), and compare multiplicities (charpoly of M_u on Q[x]/I) with dim A.

Completeness is therefore proven: every complex solution is one of deg q distinct points, the
multiplicities add up to dim A, and the real ones are exactly the real roots of q.
"""

from __future__ import annotations

import sympy as sp
from sympy.polys.domains import QQ
from sympy.polys.groebnertools import groebner as ring_groebner
from sympy.polys.orderings import grevlex
from sympy.polys.rings import ring

from symopt.core.symbols import floats_as_rationals
from symopt.analysis.exact.algebraic import AlgebraicPoint
from symopt.budget import budget, check
from symopt.analysis.exact.numberfield import RING, TGEN
from symopt.analysis.ladder.polynomial.quotient import (Quotient, compose_at, is_zero_dimensional, multiplicities,
                                      radical_basis, separating_form, shape_polynomials)
from symopt.analysis.ladder.protocol import GradientSystem, RungOutcome
from symopt.errors import BudgetExceeded


class NotPolynomial(Exception):
    pass


def split_rational(exprs, variables, R):
    """(numerators, denominators) as ring elements; NotPolynomial when an entry is not a
    rational function of the variables with rational coefficients."""
    nums, dens = [], []
    for g in exprs:
        g = floats_as_rationals(sp.sympify(g, strict=True))
        num, den = sp.fraction(sp.cancel(sp.together(g)))
        for part, bucket in ((num, nums), (den, dens)):
            try:
                poly = sp.Poly(part, *variables, domain=sp.QQ)
            except (sp.PolynomialError, sp.CoercionFailed, sp.GeneratorsNeeded) as exc:
                raise NotPolynomial(str(exc)) from None
            bucket.append(R(poly.as_expr()) if not poly.is_ground else R(QQ.convert(poly.LC())))
    return nums, dens


class Solution:
    """What the algebra found: the real points, counts, and whether it is all of them."""

    def __init__(self):
        self.points: list[AlgebraicPoint] = []
        self.singular: list[AlgebraicPoint] = []
        self.dim = 0
        self.distinct = 0
        self.complete = False
        self.notes: list[str] = []
        self.status = ""


def solve_system(nums, dens, R, variables, seconds) -> Solution:
    """Exact real solutions of nums = 0 with dens != 0. Raises BudgetExceeded naming the step;
    returns status "positive-dimensional" when the solution set is not finite."""
    out = Solution()
    with budget("groebner", seconds):
        G = ring_groebner([p for p in nums if p != 0], R) if any(p != 0 for p in nums) else []
    if any(g.is_ground and g != 0 for g in G):
        out.complete, out.status = True, "no complex solutions (the Groebner basis is [1])"
        return out
    if not G or not is_zero_dimensional(G, R.ngens):
        out.status = "positive-dimensional"
        return out
    with budget("quotient algebra", seconds):
        Q = Quotient(G, R)
        out.dim = Q.dim
    with budget("radical", seconds):
        Grad, changed, eliminants = radical_basis(G, R, Q)
        Qr = Quotient(Grad, R) if changed else Q
        out.distinct = Qr.dim
    with budget("separating element", seconds):
        c, q = separating_form(Qr)
        if c is None:
            out.status = "no separating linear form found"
            return out
        shape = shape_polynomials(Qr, c)
    with budget("factorization", seconds):
        factors = [f.monic() for f, _ in q.factor_list()[1]]
        mults = multiplicities(Q, c, factors)
    if sum(f.degree() * k for f, k in zip(factors, mults)) != Q.dim:
        out.notes.append("multiplicities do not add up to dim Q[x]/I; completeness not claimed")
    power_caches = {id(r): {} for r in factors}
    with budget("verification", seconds):
        for r in factors:
            for g in nums:
                if compose_at(g, shape, r, power_caches[id(r)]) != 0:
                    raise ArithmeticError("a candidate failed exact verification")
    with budget("root isolation", seconds):
        for r, k in zip(factors, mults):
            rp = sp.Poly(r.as_expr(), TGEN.as_expr(), domain=sp.QQ)
            if r.degree() == 1:
                t0 = -rp.all_coeffs()[1] / rp.all_coeffs()[0]
                intervals = [(t0, t0)]
            else:
                intervals = [ab for ab, _ in rp.intervals()]
            coords = [p % r for p in shape]
            # a coordinate that separates all Qr.dim points, on a factor of that full degree,
            # has the squarefree eliminant itself as minimal polynomial
            shared: dict = {"coordinate_minpolys": {
                i: s for i, s in enumerate(eliminants)
                if s.degree() == Qr.dim == r.degree() and len(variables) == len(eliminants)}}
            for index, (lo, hi) in enumerate(intervals):
                check()
                pt = AlgebraicPoint(r, lo, hi, coords, variables, index, k, shared)
                if any(pt.sign_element(compose_at(d, shape, r, power_caches[id(r)])) == 0
                       for d in dens):
                    out.singular.append(pt)
                else:
                    out.points.append(pt)
    out.complete = not out.notes
    out.status = (f"{Q.dim} complex solution(s) with multiplicity, {Qr.dim} distinct, "
                  f"{len(out.points) + len(out.singular)} real")
    return out


# -- the rung -----------------------------------------------------------------------------------
def _ring(variables):
    return ring(list(variables), QQ, grevlex)[0]


def _solve_with_saturation(nums, dens, variables, seconds):
    """Solve nums = 0 with prod(dens) != 0 via w * prod(dens) = 1 (Rabinowitsch), for rational
    gradients whose numerators alone vanish on a curve inside the poles."""
    w = sp.Dummy("w")
    R2 = _ring(tuple(variables) + (w,))
    lift = [R2(p.as_expr()) for p in nums]
    prod = R2.one
    for d in dens:
        prod *= R2(d.as_expr())
    sol = solve_system(lift + [R2.gens[-1] * prod - 1], [], R2, tuple(variables) + (w,), seconds)
    for pt in sol.points:
        pt.coords, pt.variables = pt.coords[:-1], tuple(variables)
    return sol


def _in_box(pt: AlgebraicPoint, box) -> bool | None:
    """Exact membership of an algebraic point in the box (None: undecided)."""
    if not box:
        return True
    for v, (lo, hi) in box.items():
        i = pt.variables.index(v)
        x = pt.coords[i]
        for bound, side in ((lo, 1), (hi, -1)):
            if bound in (sp.oo, -sp.oo):
                continue
            if bound.is_Rational:
                s = pt.sign_element((x - RING(QQ.convert(bound))) * side)
            else:
                from symopt.analysis.exact.signs import exact_sign
                s = exact_sign(side * (pt.exact_value(x) - bound))
            if s is None:
                return None
            if s < 0:
                return False
    return True


class PolynomialRung:
    """Exact critical points of polynomial and rational gradients (see the module docstring)."""

    name = "polynomial"

    def attempt(self, system: GradientSystem) -> RungOutcome:
        from symopt.analysis.exact.algebraic import AlgebraicField
        from symopt.analysis.classify.second_derivative import classify_exact
        from symopt.analysis.results import CriticalPoint, CriticalSet

        variables = tuple(system.variables)
        if not variables:
            return RungOutcome(None, "polynomial: no variables")
        R = _ring(variables)
        try:
            with budget("rational form", system.seconds):
                nums, dens = split_rational(system.gradient, variables, R)
        except BudgetExceeded as exc:
            return RungOutcome(None, f"polynomial: budget exceeded in {exc.step}")
        except NotPolynomial:
            return RungOutcome(None, "polynomial: not polynomial (the gradient is not a rational "
                                     "function of the variables with rational coefficients)")
        notes = []
        try:
            sol = solve_system(nums, dens, R, variables, system.seconds)
            if sol.status == "positive-dimensional" and any(not d.is_ground for d in dens):
                sol = _solve_with_saturation(nums, dens, variables, system.seconds)
                if sol.status != "positive-dimensional":
                    notes.append("solved away from the poles (Rabinowitsch); the poles were "
                                 "not searched for singular points")
        except BudgetExceeded as exc:
            return RungOutcome(None, f"polynomial: budget exceeded in {exc.step}")
        except (ArithmeticError, StopIteration) as exc:  # an internal consistency check failed
            return RungOutcome(None, f"polynomial: gave up ({exc})")
        if sol.status == "positive-dimensional":
            return RungOutcome(None, "polynomial: positive-dimensional (the critical set of the "
                                     "numerators is not finite)")
        if sol.status.startswith("no separating"):
            return RungOutcome(None, "polynomial: " + sol.status)
        notes += sol.notes
        complete = sol.complete
        points, singular, done = [], [], 0
        step = "classification"
        sol.points.sort(key=lambda pt: tuple(float(pt.approx_element(c, 15)) for c in pt.coords))
        try:
            for pt in sol.points:
                step = "box test"
                with budget(step, system.seconds):
                    inside = _in_box(pt, system.box)
                if inside is False:
                    done += 1
                    continue
                if inside is None:
                    complete = False
                    notes.append("a point's membership in the box could not be decided; it is listed")
                step = "exact coordinates"
                with budget(step, system.seconds):
                    field = AlgebraicField(pt)
                    exact = field.exact_point()
                step = "classification"
                with budget(step, system.seconds):
                    cls = classify_exact(system.f, variables, field, system.hessian)
                points.append(CriticalPoint(exact, cls, "exact"))
                if pt.multiplicity > 1:
                    where = ", ".join(f"{v}={exact[v]}" for v in variables)
                    notes.append(f"({where}) is a multiple solution of grad f = 0 "
                                 f"(multiplicity {pt.multiplicity}): a degenerate critical point")
                done += 1
            step = "exact coordinates"
            with budget(step, system.seconds):
                for pt in sol.singular:
                    if _in_box(pt, system.box) is not False:
                        singular.append(pt.exact_point())
        except BudgetExceeded as exc:
            complete = False
            notes.append(f"budget exceeded in {exc.step} after {done} of {len(sol.points)} real points")
        trail = f"polynomial: solved ({sol.status})" if complete else \
            f"polynomial: partial ({sol.status}; {'; '.join(notes)})"
        answer = CriticalSet(system.f, variables, tuple(system.gradient), system.hessian,
                             tuple(points), (), complete, system.box, tuple(singular),
                             (trail,), tuple(notes))
        return RungOutcome(answer, trail)
