"""Rung of the critical-point ladder: exact solutions of transcendental gradients.

1. Factors that provably never vanish (exp(...), positive constants, 1 + x^2, cosh, sigmoid)
   are removed from each gradient component. A component with nothing left never vanishes:
   f has no critical point at all (x + y, exp(x) + y), with that proof.
2. What is left polynomial is solved exactly by the families machinery (finite components
   and families): x exp(-x) -> x = 1; exp(-(x^2 + y^2)) (x^2 - y^2) -> its 5 points. Complete,
   because the removed factors never vanish.
3. Separable systems (every factor a function of one variable: cos(x) sin(y), ...) are solved
   by solveset into lattices a + p k (transcendental_lattice). Each lattice is a Family with
   integer parameters; it is split into residue classes modulo the gradient's period, one
   representative per class is classified, and the class shares its verdict because the
   gradient (hence every derivative, and f up to a constant) repeats with that period.
   With a box, every lattice point inside it is also listed.
Anything else passes to the certified rung, saying why.
"""

from __future__ import annotations

import dataclasses
import itertools

import sympy as sp

from symopt.analysis.exact.boxes import in_box
from symopt.budget import budget
from symopt.analysis.ladder.families.rung import critical_set_from_polynomials
from symopt.analysis.classify.second_derivative import classify_critical as classify_point
from symopt.analysis.exact.nonnegative import sign_structure
from symopt.analysis.ladder.protocol import GradientSystem, RungOutcome
from symopt.analysis.results import CriticalPoint, CriticalSet, Family, Kind
from symopt.analysis.ladder.transcendental.lattice import (FREE, Progression, Unsolvable, is_zero,
                                                    progression_range, solve_separable)
from symopt.errors import BudgetExceeded, SymoptError

MAX_BOX_POINTS = 2000
CLASSIFY_EACH_UP_TO = 60
NON_SMOOTH = (sp.sign, sp.Heaviside, sp.Piecewise, sp.Abs, sp.Max, sp.Min, sp.DiracDelta,
              sp.floor, sp.ceiling)
PARAMETER_NAMES = ("k", "m", "j", "l", "n", "p", "q", "r")


class TranscendentalRung:
    name = "transcendental"

    def attempt(self, system: GradientSystem) -> RungOutcome:
        # A failure inside is recorded by the ladder (critical.py), which then climbs on.
        variables = tuple(system.variables)
        if any(g.free_symbols - set(variables) for g in system.gradient):
            return RungOutcome(None, "transcendental: symbolic parameters are not handled")
        if any(g.has(*NON_SMOOTH) for g in system.gradient):
            return RungOutcome(None, "transcendental: the gradient is not smooth (sign, "
                                     "Heaviside, Piecewise, ...): not handled here")
        try:
            with budget("transcendental: factoring the gradient", system.seconds):
                reduced = [reduce_component(g, variables) for g in system.gradient]
        except BudgetExceeded as exc:
            return RungOutcome(None, f"transcendental: budget exceeded in {exc.step}")
        for var, g, (factors, removed, _) in zip(variables, system.gradient, reduced):
            if factors is not None and not factors:
                return RungOutcome(_no_critical_points(system, var, g, removed),
                                   "transcendental: a gradient component never vanishes")
        dens = [d for _, _, d in reduced if d is not None]
        live = [(factors, removed) for factors, removed, _ in reduced if factors is not None]
        removed_all = list(dict.fromkeys(r for _, rem, _ in reduced for r in rem
                                         if not r.is_number))
        try:
            if all(q.is_polynomial(*variables) for factors, _ in live for q in factors):
                if not removed_all and all(g.is_polynomial(*variables) for g in system.gradient):
                    return RungOutcome(None, "transcendental: polynomial gradient (earlier rungs)")
                polys = [sp.expand(sp.Mul(*factors)) for factors, _ in live] or [sp.S.Zero]
                answer = critical_set_from_polynomials(system, polys, dens, "transcendental")
                note = ("removed factors that never vanish: " + ", ".join(map(str, removed_all))
                        if removed_all else "no factor removed")
                return RungOutcome(dataclasses.replace(answer, notes=answer.notes + (note,)),
                                   "transcendental: reduced to a polynomial system")
            if dens:
                return RungOutcome(None, "transcendental: a denominator may vanish; not handled")
            with budget("transcendental: separable solve", system.seconds):
                cells = solve_separable([factors for factors, _ in live], variables,
                                        system.seconds)
                answer = lattice_answer(system, cells)
        except Unsolvable as exc:
            return _linear_forms(system, live, variables, str(exc))
        except BudgetExceeded as exc:
            return RungOutcome(None, f"transcendental: budget exceeded in {exc.step}")
        except SymoptError as exc:
            return RungOutcome(None, f"transcendental: {exc}")
        return RungOutcome(answer, "transcendental: solved exactly")


def _linear_forms(system, live, variables, why_not_separable):
    """Second try: factors that are functions of linear forms (after sum-to-product)."""
    from symopt.analysis.ladder.transcendental.linear import (affine_answer, product_factors,
                                                       solve_linear_cases)
    try:
        with budget("transcendental: linear forms", system.seconds):
            components = [product_factors(sp.Mul(*factors), variables) for factors, _ in live]
            components = [[q for q in c if not never_zero(q)] for c in components]
            if any(not c for c in components):
                return RungOutcome(None, "transcendental: a component became nonzero after "
                                         "rewriting (unexpected); not decided")
            cells = solve_linear_cases(components, variables, system.seconds)
            answer = affine_answer(system, cells)
    except Unsolvable as exc:
        return RungOutcome(None, f"transcendental: {why_not_separable}; {exc}")
    except BudgetExceeded as exc:
        return RungOutcome(None, f"transcendental: budget exceeded in {exc.step}")
    except SymoptError as exc:
        return RungOutcome(None, f"transcendental: {exc}")
    return RungOutcome(answer, "transcendental: solved exactly (linear forms)")


def never_zero(q) -> bool:
    """q provably has no real zero."""
    if q.is_number:
        return is_zero(q) is False
    if isinstance(q, (sp.exp, sp.cosh)) or q.is_positive or q.is_negative:
        return True
    const = q.as_coeff_Add()[0]
    return bool(const.is_positive) and sign_structure(q - const) == 1


def reduce_component(g, variables):
    """(vanishing factors | None when g == 0, removed factors, denominator | None)."""
    num, den = sp.fraction(sp.together(g))
    removed = [] if den.is_number or not never_zero(den) else [1 / den]
    den = None if den.is_number or never_zero(den) else den
    if num == 0:
        return None, removed, den
    try:
        factored = sp.factor(num)
    except (sp.PolynomialError, NotImplementedError):
        factored = sp.factor_terms(num)
    vanishing = []
    for factor in sp.Mul.make_args(factored):
        base, exponent = factor.as_base_exp()
        if never_zero(base):
            removed.append(factor)
        elif exponent.is_positive:
            if base not in vanishing:
                vanishing.append(base)
        elif not exponent.is_positive:
            removed.append(factor)  # a negative power is never zero where it is defined
    return vanishing, removed, den


def _no_critical_points(system, var, g, removed):
    why = f"df/d{var} = {g} never vanishes"
    removed = [r for r in removed if not r.is_number]
    if removed:
        why += f" (product of factors that are never zero: {', '.join(map(str, removed))})"
    return CriticalSet(system.f, tuple(system.variables), tuple(system.gradient), system.hessian,
                       complete=True, box=system.box,
                       method_trail=("transcendental: no critical point",),
                       notes=(why + ": f has no critical point",))


def _parameters(variables, count):
    names = [n for n in PARAMETER_NAMES if n not in {v.name for v in variables}]
    return [sp.Symbol(n, integer=True) for n in names[:count]]


def _period_multiple(gradient, var, period):
    """The least m in 1..4 with grad f(var + m*period) == grad f(var), or None."""
    for m in (1, 2, 3, 4):
        shift = m * period
        if all(is_zero(sp.expand_trig(g.subs(var, var + shift)) - sp.expand_trig(g)) is True
               or is_zero(g.subs(var, var + shift) - g) is True for g in gradient):
            return m
    return None


def lattice_answer(system, cells):
    variables, f = tuple(system.variables), system.f
    points, families, notes = [], [], []
    for cell, equations in cells:
        lattice_vars = [v for v in variables if isinstance(cell[v], Progression)]
        free_vars = [v for v in variables if cell[v] == FREE]
        if not lattice_vars and not free_vars:
            pt = {v: cell[v] for v in variables}
            if in_box(pt, system.box) is not False:
                points.append(CriticalPoint(pt, classify_point(f, variables, pt, system.hessian)))
            continue
        if free_vars:
            families.append(_free_family(system, cell, equations, lattice_vars, free_vars))
            continue
        fams, classes = _lattice_families(system, cell, equations, lattice_vars)
        families += fams
        if system.box is not None:
            points += _box_points(system, cell, lattice_vars, classes, notes)
    if system.box is not None and families:
        notes.append("every lattice point inside the box is listed; lattices are reported whole")
    return CriticalSet(f, variables, tuple(system.gradient), system.hessian,
                       points=tuple(points), families=tuple(families), complete=True,
                       box=system.box, method_trail=("transcendental: separable, solved exactly",),
                       notes=tuple(notes))


def _lattice_families(system, cell, equations, lattice_vars):
    """Families for one lattice cell, one per group of residue classes with the same verdict;
    also returns {residue tuple: Classification} for listing box points."""
    variables, f = tuple(system.variables), system.f
    params = _parameters(variables, len(lattice_vars))
    mults = [_period_multiple(system.gradient, v, cell[v].period) for v in lattice_vars]
    base = {v: (cell[v].at(k) if v in lattice_vars else cell[v])
            for v, k in zip(variables, _spread(variables, lattice_vars, params))}
    eqs = tuple(sp.Eq(q, 0) for q in equations)
    if None in mults:
        rep = {v: (cell[v].offset if v in lattice_vars else cell[v]) for v in variables}
        return [Family(description=f"lattice of critical points {_show(base)}", equations=eqs,
                       dimension=0, kind=Kind.INCONCLUSIVE, strict=None, samples=(rep,),
                       parameters=tuple(params), parametrization=base,
                       reason="the gradient is not periodic with a small multiple of the "
                              "lattice step, so one representative cannot decide the class")], {}
    classes = {}
    for residues in itertools.product(*(range(m) for m in mults)):
        rep = {v: (cell[v].at(r) if v in lattice_vars else cell[v])
               for v, r in zip(variables, _spread(variables, lattice_vars, residues))}
        classes[residues] = (rep, classify_point(f, variables, rep, system.hessian))
    groups = {}
    for residues, (rep, cls) in classes.items():
        groups.setdefault((cls.kind, cls.strict), []).append(residues)
    periods = ", ".join(f"{m * cell[v].period} in {v}" for v, m in zip(lattice_vars, mults))
    families = []
    for (kind, strict), members in groups.items():
        whole = len(groups) == 1
        for residues in ([members[0]] if whole else members):
            if whole:
                param = base
            else:
                param = {v: (sp.expand(cell[v].at(m * k + r)) if v in lattice_vars else cell[v])
                         for v, k, m, r in zip(variables,
                                               _spread(variables, lattice_vars, params),
                                               _spread(variables, lattice_vars, mults),
                                               _spread(variables, lattice_vars, residues))}
            rep, cls = classes[residues]
            families.append(Family(
                description=f"{kind.value} lattice {_show(param)} "
                            f"({', '.join(map(str, params))} integers)",
                equations=eqs, dimension=0, kind=kind, strict=strict, samples=(rep,),
                parameters=tuple(params), parametrization=param,
                reason=f"{cls.reason} at {_show(rep)}; the gradient repeats with period "
                       f"{periods}, so every point of this residue class has the same "
                       "local behaviour"))
    return families, {r: c for r, (_, c) in classes.items()}


def _spread(variables, lattice_vars, values):
    """values (one per lattice variable) laid out along all variables (None elsewhere)."""
    it = iter(values)
    return [next(it) if v in lattice_vars else None for v in variables]


def _free_family(system, cell, equations, lattice_vars, free_vars):
    variables = tuple(system.variables)
    params = _parameters(variables, len(lattice_vars))
    k_of = dict(zip(lattice_vars, params))
    param = {v: (v if cell[v] == FREE else cell[v].at(k_of[v]) if v in k_of else cell[v])
             for v in variables}
    sample = {v: (sp.S.Zero if cell[v] == FREE else cell[v].offset if v in k_of else cell[v])
              for v in variables}
    return Family(description=f"{len(free_vars)}-dimensional family {_show(param)}",
                  equations=tuple(sp.Eq(q, 0) for q in equations), dimension=len(free_vars),
                  kind=Kind.INCONCLUSIVE, strict=None, samples=(sample,),
                  parameters=tuple(params), parametrization=param,
                  reason="positive-dimensional family of a transcendental gradient: "
                         "not classified")


def _box_points(system, cell, lattice_vars, classes, notes):
    variables, f = tuple(system.variables), system.f
    ranges = []
    for v in variables:
        lo, hi = system.box.get(v, (None, None))
        if v in lattice_vars:
            if lo is None or not (sp.sympify(lo, strict=True).is_finite and sp.sympify(hi, strict=True).is_finite):
                notes.append(f"{v} is unbounded in the box: lattice points not listed")
                return []
            ranges.append([cell[v].at(k) for k in progression_range(cell[v], lo, hi)])
        else:
            inside = lo is None or (is_zero(cell[v] - lo) or sp.simplify(cell[v] - lo) >= 0) \
                and (is_zero(hi - cell[v]) or sp.simplify(hi - cell[v]) >= 0)
            ranges.append([cell[v]] if inside else [])
    total = 1
    for r in ranges:
        total *= len(r)
    if total > MAX_BOX_POINTS:
        notes.append(f"{total} lattice points in the box: listing only the first {MAX_BOX_POINTS}")
    mults = [len({r[i] for r in classes}) for i in range(len(lattice_vars))] if classes else []
    out = []
    for values in itertools.islice(itertools.product(*ranges), MAX_BOX_POINTS):
        pt = dict(zip(variables, values))
        if total <= CLASSIFY_EACH_UP_TO or not classes:
            cls = classify_point(f, variables, pt, system.hessian)
        else:
            residues = tuple(int(sp.simplify((pt[v] - cell[v].offset) / cell[v].period)) % m
                             for v, m in zip(lattice_vars, mults))
            cls = dataclasses.replace(classes[residues], value=sp.simplify(f.subs(pt)),
                                      witness=None)
        out.append(CriticalPoint(pt, cls))
    return out


def _show(mapping) -> str:
    return "{" + ", ".join(f"{v} free" if e == v else f"{v} = {e}"
                           for v, e in mapping.items()) + "}"
