"""Critical points of f with parameters (free names that are not variables), case by case.

* Gradient linear in the variables (f quadratic in x, the Hessian M free of x): grad f = M x - r
  is solved exactly with a split on the parameters (parametric_linear.py): the generic case
  det M != 0 gives x = M^-1 r; each factor of det M = 0 is imposed and split further. Since f is
  then exactly quadratic in x, the Hessian M decides every point (section 4.3.1): Sylvester's
  leading principal minors D_k give the conditions (all D_k > 0: minimum; (-1)^k D_k > 0:
  maximum; otherwise, det M != 0: saddle). The cases cover every parameter value, so the answer
  is complete when every branch could be described.
* Otherwise sympy.solve is tried under a budget; every solution is verified by exact
  substitution, reported for generic parameters, and the answer is never called complete.
"""

from __future__ import annotations

import sympy as sp

from symopt.budget import budget
from symopt.analysis.parametric.linear import Branch, solve_linear
from symopt.analysis.results import (Classification, CriticalPoint, CriticalSet, Family, Kind,
                                     ParametricCase)
from symopt.core.symbols import sorted_variables
from symopt.errors import BudgetExceeded

GENERIC = "generic parameters"


def _clean(e):
    return sp.factor(sp.cancel(sp.together(e)))


def _vanishes(g, point: dict, subs: dict, seconds) -> bool:
    with budget("verifying a parametric critical point", seconds):
        e = g.subs(subs).subs(point)
        return sp.cancel(sp.together(e)) == 0 or sp.simplify(e) == 0


def _minors(H):
    n = H.rows
    return [_clean(H[:k, :k].det(method="berkowitz")) for k in range(1, n + 1)]


def _truth(rel):
    """`rel` (lhs op 0) normalized: lhs factored, its numeric factor divided out (flipping the
    inequality when negative), then evaluated by SymPy from the symbols' assumptions."""
    if isinstance(rel, sp.logic.boolalg.BooleanAtom):
        return rel
    d = _clean(rel.lhs - rel.rhs)
    coeff, rest = d.as_coeff_Mul()
    if coeff == 0 or not rest.free_symbols:
        return sp.sympify(rel.func(d, 0), strict=True)
    flip = {sp.StrictGreaterThan: sp.Lt, sp.StrictLessThan: sp.Gt,
            sp.GreaterThan: sp.Le, sp.LessThan: sp.Ge}
    op = flip.get(rel.func, rel.func) if coeff < 0 else rel.func
    return op(rest, 0)


def sign_cases(H, det_nonzero: bool):
    """[(condition, kind, reason)] covering all parameter values, for a Hessian H (n x n)
    constant in the variables: Sylvester's criterion on the leading principal minors."""
    n = H.rows
    D = _minors(H)
    min_c = sp.And(*[_truth(sp.Gt(d, 0)) for d in D])
    max_c = sp.And(*[_truth(sp.Gt((-1) ** (k + 1) * d, 0)) for k, d in enumerate(D)])
    det = D[-1]
    out = [(min_c, Kind.MINIMUM, "all leading principal minors of the Hessian are positive"),
           (max_c, Kind.MAXIMUM, "the leading principal minors alternate in sign, starting negative")]
    if n == 2:
        out.append((_truth(sp.Lt(det, 0)), Kind.SADDLE, "det of the Hessian < 0"))
    elif n > 2:
        out.append((sp.And(sp.Not(min_c), sp.Not(max_c), _truth(sp.Ne(det, 0))), Kind.SADDLE,
                    "the Hessian is nonsingular and neither definite (indefinite)"))
    if not det_nonzero:
        out.append((_truth(sp.Eq(det, 0)), Kind.INCONCLUSIVE,
                    "singular Hessian: the second-derivative test is inconclusive"))
    return [(c, k, r) for c, k, r in out if c is not sp.false]


def _fractional_powers(expr) -> set:
    return {p for p in expr.atoms(sp.Pow)
            if p.exp.is_Rational and not p.exp.is_integer and p.exp > 0}


def _real_root_conditions(sol: dict, condition):
    """`condition` on a point with roots u^(p/q) in its coordinates, rewritten for the real
    point: principal roots are real only for u >= 0 and are then >= 0, so u^(p/q) < 0 is
    impossible, u^(p/q) > 0 means u > 0 and u^(p/q) = 0 means u = 0."""
    roots = set().union(*(_fractional_powers(e) for e in sol.values()))
    if not roots:
        return condition
    roots |= _fractional_powers(condition)
    dummies = {r: sp.Dummy(nonnegative=True) for r in roots}
    c = condition.xreplace(dummies)
    back = {}
    for rel in c.atoms(sp.core.relational.Relational):
        lhs = sp.expand(rel.lhs - rel.rhs)
        for r, t in dummies.items():
            k = sp.cancel(lhs / t)
            if lhs.free_symbols == {t} and k.is_number and k != 0:
                if isinstance(rel, sp.Equality):
                    back[rel] = sp.Eq(r.base, 0)
                elif isinstance(rel, sp.Unequality):
                    back[rel] = sp.Ne(r.base, 0)
                else:
                    back[rel] = rel.func(k * r.base, 0) if k > 0 else rel.func(0, -k * r.base)
    c = c.xreplace(back).xreplace({t: r for r, t in dummies.items()})
    return sp.And(c, *[sp.Ge(r.base, 0) for r in roots])


def _decide_fixed(f, variables, parameters, point, condition, seconds):
    """When `condition` fixes every parameter (a = 0, ...), f is a concrete function there: the
    full classification (the higher-order test included) decides the point."""
    values = {}
    for atom in sp.And.make_args(condition):
        if isinstance(atom, sp.Equality):
            solved = sp.solve(atom, list(atom.free_symbols & set(parameters)), dict=True)
            if len(solved) == 1:
                values.update({k: v for k, v in solved[0].items() if not v.free_symbols})
    if set(values) != set(parameters):
        return None
    from symopt.analysis.classify.second_derivative import classify_critical as classify
    try:
        with budget("classifying at fixed parameter values", seconds):
            concrete = {v: sp.simplify(x.subs(values)) for v, x in point.point.items()}
            cls = classify(f.subs(values), variables, concrete)
    except (BudgetExceeded, TypeError, ValueError):
        return None
    return CriticalPoint(point=concrete, classification=cls, method="exact")


def _base_condition(branch: Branch):
    parts = [sp.Eq(k, v) for k, v in branch.subs.items()]
    parts += [_truth(sp.Ne(z, 0)) for z in branch.nonzero]
    return sp.And(*parts)


def _merge(base, extra):
    """base & extra, dropping `z != 0` when extra already states a strict sign of z."""
    strict = [sp.expand(a.lhs - a.rhs) for a in sp.And.make_args(extra)
              if isinstance(a, (sp.StrictGreaterThan, sp.StrictLessThan))]
    kept = []
    for a in sp.And.make_args(base):
        if isinstance(a, sp.Unequality) and a.rhs == 0 and any(
                s != 0 and not sp.cancel(a.lhs / s).free_symbols for s in strict):
            continue
        kept.append(a)
    cond = sp.And(*kept, extra)
    try:
        with budget("simplifying a case condition", 2.0):
            return cond.simplify()
    except BudgetExceeded:
        return cond


def _point(variables, coords, f, subs, kind, reason, H):
    point = dict(zip(variables, coords))
    value = _clean(f.subs(subs).subs(point))
    eig = (H[0, 0],) if H is not None and H.rows == 1 else ()
    strict = True if kind in (Kind.MINIMUM, Kind.MAXIMUM) else None
    cls = Classification(kind=kind, strict=strict, degenerate=kind is Kind.INCONCLUSIVE,
                         eigenvalues=eig, test="second-derivative", method="exact",
                         value=value, reason=reason)
    return CriticalPoint(point=point, classification=cls, method="exact")


def family_sign_cases(H):
    """[(condition, kind, reason)] for a quadratic f whose Hessian H (constant in x, singular)
    has symbolic entries. det(tI - H) = t^n + c_1 t^(n-1) + ... + c_n has only real roots, so
    H is positive semidefinite iff (-1)^k c_k >= 0 for all k, negative semidefinite iff all
    c_k >= 0 (Descartes' rule, exact for real-rooted polynomials); otherwise indefinite."""
    t = sp.Dummy("t")
    coeffs = H.charpoly(t).all_coeffs()[1:]
    psd = sp.And(*[_truth(sp.Ge((-1) ** k * _clean(c), 0)) for k, c in enumerate(coeffs, 1)])
    nsd = sp.And(*[_truth(sp.Ge(_clean(c), 0)) for c in coeffs])
    out = [(psd, Kind.MINIMUM, "f is quadratic with a positive semidefinite Hessian (non-strict)"),
           (sp.And(nsd, sp.Not(psd)), Kind.MAXIMUM,
            "f is quadratic with a negative semidefinite Hessian (non-strict)"),
           (sp.And(sp.Not(psd), sp.Not(nsd)), Kind.SADDLE,
            "f is quadratic with an indefinite Hessian")]
    return [(c, k, r) for c, k, r in out if c is not sp.false]


def _family_kind(H):
    """Kind of every point of a family of a quadratic f with constant singular Hessian H."""
    from symopt.analysis.exact.inertia import exact_inertia
    inertia = exact_inertia(sp.ImmutableMatrix(H))
    if inertia is None:
        return Kind.INCONCLUSIVE, "the Hessian's inertia was not decided"
    if inertia.positive and inertia.negative:
        return Kind.SADDLE, "f is quadratic with an indefinite Hessian"
    if inertia.negative == 0 and inertia.positive == 0:
        return Kind.MINIMUM, "f is constant in the variables here (every point is a non-strict " \
                             "minimum and maximum)"
    if inertia.negative == 0:
        return Kind.MINIMUM, "f is quadratic with a positive semidefinite Hessian"
    return Kind.MAXIMUM, "f is quadratic with a negative semidefinite Hessian"


def _linear_cases(f, variables, gradient, branch: Branch, seconds) -> list[ParametricCase]:
    base = _base_condition(branch)
    how = "exact linear solve with a case split on the parameters"
    if branch.point is None and branch.family is None:
        if not branch.covered and branch.notes:
            return [ParametricCase(f"{base} and {branch.notes[0]}", (), (), False,
                                   "not analysed: " + "; ".join(branch.notes))]
        return [ParametricCase(base, (), (), True, how + ": the system is inconsistent, "
                               "no critical point")]
    H = branch.matrix
    if branch.family is not None:
        eqs = tuple(e for e in (sum((c * v for c, v in zip(coeffs, variables)), sp.Integer(0)) - rhs
                                for coeffs, rhs in branch.family) if e != 0)
        dim = len(branch.free)
        text = " and ".join(f"{e} = 0" for e in eqs) if eqs else "every point"
        kinds = family_sign_cases(H) if H.free_symbols else [(sp.true, *_family_kind(H))]
        out = []
        for extra, kind, why in kinds:
            cond = _merge(base, extra)
            if cond is sp.false:
                continue
            fam = Family(description=f"{text} (dimension {dim})", equations=eqs, dimension=dim,
                         kind=kind, strict=False if kind in (Kind.MINIMUM, Kind.MAXIMUM) else None,
                         reason=why)
            out.append(ParametricCase(cond, (), (fam,), True, how))
        return out
    point = dict(zip(variables, branch.point))
    if not all(_vanishes(g, point, branch.subs, seconds) for g in gradient):
        return [ParametricCase(base, (), (), False, "the solution failed verification")]
    cases = []
    for extra, kind, why in sign_cases(H, det_nonzero=True):
        cond = _merge(base, extra)
        if cond is sp.false:
            continue
        cases.append(ParametricCase(cond, (_point(variables, branch.point, f, branch.subs, kind,
                                                  why, H),), (), True, how))
    return cases


def _nonlinear(f, variables, parameters, gradient, hessian, seconds):
    trail = "parametric: sympy.solve (no completeness proof)"
    try:
        with budget("sympy.solve on the parametric gradient", seconds):
            sols = sp.solve(list(gradient), list(variables), dict=True)
    except BudgetExceeded as exc:
        return (), f"parametric: budget exceeded in {exc.step}", \
            (f"the parametric gradient system was not solved: budget exceeded in {exc.step}",)
    except (NotImplementedError, ValueError, TypeError) as exc:
        return (), f"parametric: sympy.solve failed ({type(exc).__name__})", \
            ("the parametric gradient system was not solved",)
    cases, dropped, nonreal = [], 0, 0
    for sol in sols:
        if set(sol) != set(variables) or any(e.has(*variables) for e in sol.values()):
            dropped += 1  # not isolated in this form
            continue
        if any(e.has(sp.I) or e.is_real is False for e in sol.values()):
            nonreal += 1  # written with I: not a real point in this form
            continue
        try:
            if not all(_vanishes(g, sol, {}, seconds) for g in gradient):
                dropped += 1
                continue
            with budget("classifying a parametric critical point", seconds):
                H = hessian.subs(sol).applyfunc(_clean)
                subcases = sign_cases(sp.Matrix(H), det_nonzero=False)
        except BudgetExceeded as exc:
            cases.append(ParametricCase(GENERIC, (_point(variables, [sol[v] for v in variables], f,
                                                         {}, Kind.INCONCLUSIVE,
                                                         f"budget exceeded in {exc.step}", None),),
                                        (), False, f"{GENERIC}: budget exceeded in {exc.step}"))
            continue
        for extra, kind, why in subcases:
            extra = _merge(sp.true, _real_root_conditions(sol, extra))
            if extra is sp.false:
                continue
            cond = GENERIC if extra is sp.true else extra
            point = _point(variables, [sol[v] for v in variables], f, {}, kind, why, H)
            if kind is Kind.INCONCLUSIVE:
                point = _decide_fixed(f, variables, parameters, point, cond, seconds) or point
            cases.append(ParametricCase(cond, (point,), (),
                                        False, f"{GENERIC}: found by sympy.solve, verified by "
                                        "exact substitution; not proven to be all"))
    unique = {}
    for case in cases:  # solutions that coincide for the case's parameter values: list once
        key = (str(case.condition), tuple(str(p.point) for p in case.points))
        unique.setdefault(key, case)
    cases = list(unique.values())
    notes = ["sympy.solve gives no completeness proof: other critical points may exist, and a "
             "point is real only for the parameter values where its coordinates are real"]
    if nonreal:
        notes.append(f"{nonreal} solution(s) of sympy.solve are written with I (non-real in that "
                     "form) and are not listed")
    if dropped:
        notes.append(f"{dropped} solution(s) of sympy.solve were not isolated or failed "
                     "verification and are not listed")
    return tuple(cases), trail, tuple(notes)


def parametric_critical_points(f, variables, parameters, gradient, hessian, seconds,
                               box=None) -> CriticalSet:
    """The critical points of f as functions of its parameters, as a tuple of ParametricCase
    on CriticalSet.cases (points/families stay empty)."""
    names = ", ".join(map(str, sorted_variables(parameters)))
    notes = [f"parameters {names}: results are given case by case"]
    if box:
        notes.append("the box is not applied to parametric critical points")
    params = tuple(sorted_variables(parameters))
    if hessian is not None and not any(h.has(*variables) for h in hessian) \
            and not any(g.has(sp.Derivative, sp.Subs) for g in gradient):
        M = sp.Matrix(hessian)
        zero = {v: 0 for v in variables}
        r = sp.Matrix([_clean(-(g - sum((M[i, j] * v for j, v in enumerate(variables)),
                                        sp.Integer(0))).subs(zero)) for i, g in enumerate(gradient)])
        trail = ["parametric: gradient linear in the variables; exact case split on det of "
                 "the Hessian"]
        try:
            with budget("parametric linear case split", seconds):
                branches = solve_linear(M, r, params)
        except BudgetExceeded as exc:
            trail.append(f"parametric linear: budget exceeded in {exc.step}; generic case only")
            try:
                with budget("parametric linear generic case", seconds):
                    branches = solve_linear(M, r, params, max_depth=0)
            except BudgetExceeded as exc2:
                trail.append(f"parametric linear: budget exceeded in {exc2.step}")
                return CriticalSet(f, variables, gradient, hessian, box=box,
                                   method_trail=tuple(trail), notes=tuple(notes))
        except (NotImplementedError, ValueError, TypeError, sp.PolynomialError) as exc:
            trail.append(f"parametric linear: failed ({type(exc).__name__}: {exc})")
            return CriticalSet(f, variables, gradient, hessian, box=box,
                               method_trail=tuple(trail), notes=tuple(notes))
        cases = []
        for b in branches:
            try:
                with budget("classifying a parametric case", seconds):
                    cases.extend(_linear_cases(f, variables, gradient, b, seconds))
            except BudgetExceeded as exc:
                cases.append(ParametricCase(_base_condition(b), (), (), False,
                                            f"not analysed: budget exceeded in {exc.step}"))
        covered = all(b.covered for b in branches)
        if not covered:
            notes.append("some parameter values were not analysed (see the cases marked not "
                         "complete)")
        complete = covered and all(c.complete for c in cases)
        return CriticalSet(f, variables, gradient, hessian, complete=complete, box=box,
                           cases=tuple(cases), notes=tuple(notes), method_trail=tuple(trail))
    cases, trail, more = _nonlinear(f, variables, params, gradient, sp.Matrix(hessian), seconds)
    return CriticalSet(f, variables, gradient, hessian, complete=False, box=box, cases=cases,
                       method_trail=(trail,), notes=tuple(notes) + more)
