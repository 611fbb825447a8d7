"""Rung of the critical-point ladder: positive-dimensional polynomial systems, i.e. families of
critical points (a line of minima for (x - y)^2, the circle of minima of (x^2 + y^2 - 1)^2, the
axes of x^2 y^2), reported ALONGSIDE the isolated points of the same function.

The real critical set V_R(grad f) is split into components (families_decompose); each family is
reported with its equations, dimension, exact sample points (verified to zero the gradient) and
a classification that is proved or called inconclusive:
- f is constant on the family (f reduces to a constant modulo the family's Groebner basis) and
  f - value >= 0 everywhere by its structure (squares, even powers): a global, non-strict
  minimum (<= 0: maximum);
- otherwise the Morse-Bott test at smooth sample points: the Hessian's kernel is exactly the
  tangent space (dim zero eigenvalues) and the normal eigenvalues all have one sign (min/max at
  those points), or the Hessian is indefinite (saddle: section 4.3.1's test, one negative and
  one positive curvature).
"""

from __future__ import annotations

import sympy as sp

from symopt.analysis.exact.boxes import in_box
from symopt.budget import budget
from symopt.analysis.classify.second_derivative import classify_critical as classify_point
from symopt.analysis.exact.inertia import exact_inertia
from symopt.analysis.exact.nonnegative import sign_structure
from symopt.analysis.exact.signs import is_zero
from symopt.analysis.ladder.families.decompose import (contains, decompose, family_samples,
                                                is_smooth_point, on_variety)
from symopt.analysis.ladder.protocol import GradientSystem, RungOutcome
from symopt.analysis.results import CriticalPoint, CriticalSet, Family, Kind
from symopt.errors import BudgetExceeded, SymoptError


class FamiliesRung:
    name = "families"

    def attempt(self, system: GradientSystem) -> RungOutcome:
        # A failure inside is recorded by the ladder (critical.py), which then climbs on.
        split = polynomial_numerators(system.gradient, system.variables)
        if split is None:
            return RungOutcome(None, "families: not a polynomial/rational gradient")
        numerators, denominators = split
        try:
            answer = critical_set_from_polynomials(system, numerators, denominators, "families")
        except BudgetExceeded as exc:
            return RungOutcome(None, f"families: budget exceeded in {exc.step}")
        except SymoptError as exc:
            return RungOutcome(None, f"families: {exc}")
        if not answer.families and not answer.complete:
            # Nothing positive-dimensional, and the finite part was not solved in full: the
            # numeric rungs can still find (and certify) the points, so do not end the climb.
            return RungOutcome(None, "families: no family; the finite part was not solved in "
                                     "full (" + "; ".join(answer.notes)[:160] + ")")
        return RungOutcome(answer, "families: decomposed")


def polynomial_numerators(gradient, variables):
    """(numerators, denominators) of a rational gradient with no parameters, else None."""
    nums, dens = [], []
    for g in gradient:
        if g.free_symbols - set(variables):
            return None
        num, den = sp.fraction(sp.together(g))
        if not (num.is_polynomial(*variables) and den.is_polynomial(*variables)):
            return None
        nums.append(sp.expand(num))
        if not den.is_number:
            dens.append(den)
    return nums, dens


def critical_set_from_polynomials(system: GradientSystem, numerators, denominators, trail):
    """The CriticalSet of system.f given polynomials whose real zero set contains its critical
    points (and points where a denominator vanishes, which are excluded)."""
    gens, f = tuple(system.variables), system.f
    seconds = system.seconds
    decomposition = decompose(numerators, gens, seconds)
    notes = list(decomposition.notes)
    complete = decomposition.complete

    families, fam_components = [], []
    comps = sorted([c for c in decomposition.components if c.dimension > 0],
                   key=lambda c: -c.dimension)
    for comp in comps:
        if any(contains(comp.basis, other.basis, gens) for other in fam_components):
            continue  # inside a bigger family already reported
        family, ok, why = _family(system, comp, denominators)
        notes += why
        complete = complete and ok
        fam_components.append(comp)
        families.append(family)

    points, singular = [], []
    for comp in decomposition.components:
        for pt in comp.points:
            if any(on_variety(pt, c.basis) for c in fam_components):
                continue
            if any(sp.simplify(d.subs(pt)) == 0 for d in denominators):
                singular.append(pt)
                continue
            if in_box(pt, system.box) is False:
                continue
            if pt not in [p.point for p in points]:
                points.append(CriticalPoint(pt, classify_point(f, gens, pt, system.hessian)))
    if denominators:
        notes.append("points where a denominator of the gradient vanishes are excluded")
    if families and system.box is not None:
        notes.append("families are reported whole, not cut to the box")
    return CriticalSet(f, gens, tuple(system.gradient), system.hessian,
                       points=tuple(points), families=tuple(families), complete=complete,
                       box=system.box, singular=tuple(singular),
                       method_trail=(f"{trail}: decomposed into {len(decomposition.components)}"
                                     " component(s)",), notes=tuple(notes))


def _family(system, comp, denominators):
    """(Family, proven_real, notes) for one positive-dimensional component."""
    gens = tuple(system.variables)
    samples = family_samples(comp, gens, want=3, seconds=min(system.seconds, 5.0))
    good = [s for s in samples
            if all(is_zero(d.subs(s)) is False for d in denominators)
            and all(is_zero(g.subs(s)) is True for g in system.gradient)]
    smooth = [s for s in good if is_smooth_point(comp, gens, s)]
    notes, ok = [], True
    if not smooth:
        ok = False
        notes.append(f"family {list(comp.basis)}: no smooth real sample found, so its real "
                     "dimension is not verified")
    kind, strict, reason = classify_family(system, comp, smooth or good)
    ordered = smooth + [s for s in good if s not in smooth]
    family = Family(description=_describe(comp, gens), equations=tuple(comp.basis),
                    dimension=comp.dimension, kind=kind, strict=strict,
                    samples=tuple(ordered[:3]), reason=reason)
    return family, ok, notes


def classify_family(system, comp, samples):
    """(kind, strict, reason) of a family: proved, or inconclusive with the reason."""
    gens, f = tuple(system.variables), system.f
    value = _constant_value(f, comp, gens, samples)
    if value is not None:
        sign = sign_structure(sp.expand(f - value)) if f.is_polynomial(*gens) else None
        if sign is None:
            sign = sign_structure(f - value)
        if sign == 1:
            return Kind.MINIMUM, False, (f"f = {value} on the family and f - ({value}) >= 0 "
                                         "everywhere: a global minimum, not strict")
        if sign == -1:
            return Kind.MAXIMUM, False, (f"f = {value} on the family and f - ({value}) <= 0 "
                                         "everywhere: a global maximum, not strict")
    if not samples:
        return Kind.INCONCLUSIVE, None, "no real sample point to test"
    verdicts = []
    for s in samples:
        inertia = exact_inertia(sp.ImmutableMatrix(system.hessian).xreplace(s))
        if inertia is None:
            return Kind.INCONCLUSIVE, None, f"Hessian signs undecided at {s}"
        pos, neg, zero = inertia.positive, inertia.negative, inertia.zero
        if pos and neg:
            verdicts.append(Kind.SADDLE)
        elif zero == comp.dimension and is_smooth_point(comp, gens, s):
            verdicts.append(Kind.MINIMUM if neg == 0 else Kind.MAXIMUM)
        else:
            verdicts.append(Kind.INCONCLUSIVE)
    if Kind.INCONCLUSIVE in verdicts and value is not None:
        odd = [_odd_normal_order(f, comp, gens, s, value) for s in samples]
        if all(odd):
            return Kind.SADDLE, False, (
                "not an extremum: along the normal line through each of the "
                f"{len(samples)} sample point(s), f - ({value}) starts with an odd power "
                "(orders " + ", ".join(map(str, odd)) + "), so it takes both signs nearby")
    kinds = set(verdicts)
    if len(kinds) == 1 and Kind.INCONCLUSIVE not in kinds:
        kind = kinds.pop()
        if kind is Kind.SADDLE:
            return kind, False, (f"indefinite Hessian at the {len(samples)} sample point(s) "
                                 "(an open condition: saddles there and nearby on the family)")
        return kind, False, (f"Morse-Bott test at {len(samples)} smooth sample point(s): the "
                             f"Hessian's {comp.dimension} zero eigenvalue(s) are the tangent "
                             "directions and the normal ones have one sign (local, not strict)")
    return Kind.INCONCLUSIVE, None, (
        "second-derivative test along the normal directions did not decide "
        f"(verdicts at samples: {[k.value for k in verdicts]})")


def _odd_normal_order(f, comp, gens, sample, value, max_order: int = 8):
    """The order of the first nonzero term of t -> f(sample + t n) - value, n the gradient of
    one of the family's equations at the sample, when that order is odd; else None."""
    t = sp.Dummy("t")
    for eq in comp.basis:
        normal = [sp.diff(eq, g).subs(sample) for g in gens]
        if all(c == 0 for c in normal):
            continue
        line = {g: sample[g] + t * c for g, c in zip(gens, normal)}
        try:
            with budget("families: normal-line expansion", 2.0):
                restricted = sp.expand(f.subs(line, simultaneous=True) - value)
                if not restricted.is_polynomial(t):
                    restricted = sp.series(restricted, t, 0, max_order + 1).removeO()
                poly = sp.Poly(restricted, t)
        except (BudgetExceeded, sp.PolynomialError, ValueError):
            continue
        terms = [m[0] for m, c in poly.terms() if c != 0]
        if terms:
            order = min(terms)
            if order % 2 == 1:
                return order
    return None


def _constant_value(f, comp, gens, samples):
    """The value of f on the family if proved constant (f reduces to a number modulo the
    family's Groebner basis), else None."""
    if f.is_polynomial(*gens):
        try:
            with budget("families: reducing f", 3.0):
                _, r = sp.reduced(sp.expand(f), list(comp.basis), *gens, order="grevlex")
            if r.is_number:
                return r
        except (BudgetExceeded, sp.PolynomialError):
            pass
    return None


def _describe(comp, gens) -> str:
    eqs = ", ".join(f"{p} = 0" for p in comp.basis)
    linear = all(sp.Poly(p, *gens).total_degree() == 1 for p in comp.basis)
    if comp.dimension == 1:
        shape = "line" if linear else "curve"
    elif comp.dimension == 2:
        shape = "plane" if linear else "surface"
    else:
        shape = f"{comp.dimension}-dimensional {'affine subspace' if linear else 'variety'}"
    return f"{shape} of critical points {{{eqs}}}"
