"""Transcendental systems whose factors are functions of LINEAR FORMS of the variables:
cos(x + y/2), sin(x - y), y - x, cos(y/2) (the separable case is the one with coordinate forms).

Each factor q = h(L(x)) with L = c . x (numeric c, normalised so its first nonzero entry is 1);
h(u) = 0 is solved by solveset (values and progressions a + p k). Factors on the same form are
intersected exactly (transcendental_lattice.restrict). When the distinct forms of a case are
linearly independent, L_i(x) = a_i + p_i k_i is a linear system: its solutions are an affine
lattice x = x0 + sum k_i v_i (+ free directions when there are fewer forms than variables).
Sums of sines/cosines are first turned into products (sympy's fu TR9: sum-to-product), so
sin x + sin y + sin(x + y) is handled. Exact throughout.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import sympy as sp
from sympy.simplify.fu import TR9, TR10i

from symopt.analysis.exact.boxes import in_box
from symopt.budget import budget, check
from symopt.analysis.classify.second_derivative import classify_critical as classify_point
from symopt.analysis.exact.signs import is_zero
from symopt.analysis.results import CriticalPoint, CriticalSet, Family, Kind
from symopt.analysis.ladder.transcendental.lattice import (MAX_CASES, Progression, Unsolvable,
                                                    progression_range, restrict,
                                                    solve_univariate)

MAX_BOX_POINTS = 2000


@dataclass(frozen=True)
class AffineCell:
    """x = parametrization(k..., t...): k integer parameters, t real (free directions)."""

    parametrization: dict
    integers: tuple          # integer parameter symbols k_i
    free: tuple              # real parameter symbols t_j
    constraints: tuple       # (coeffs, Progression, k) for each progression: L(x) = a + p k
    equations: tuple


def linear_form(q, variables):
    """(normalised coefficients, h(u), u) with q = h(c . x), or None."""
    u = sp.Dummy("u")
    candidates = []
    if q.is_polynomial(*variables) and sp.Poly(q, *variables).total_degree() == 1:
        candidates.append(q - q.as_coeff_Add()[0])
    candidates += [a for fn in q.atoms(sp.Function) for a in fn.args]
    for arg in candidates:
        if not arg.is_polynomial(*variables):
            continue
        poly = sp.Poly(arg, *variables)
        if poly.total_degree() != 1:
            continue
        coeffs = [poly.coeff_monomial(v) for v in variables]
        if not all(c.is_number for c in coeffs):
            continue
        lead = next(c for c in coeffs if c != 0)
        coeffs = tuple(sp.nsimplify(c / lead) for c in coeffs)
        pivot = next(i for i, c in enumerate(coeffs) if c != 0)
        v = variables[pivot]
        rest = sum(c * w for c, w in zip(coeffs, variables) if w is not v)
        h = sp.simplify(q.subs(v, u - rest))
        if not (h.free_symbols & set(variables)):
            return coeffs, h, u
    return None


def product_factors(expr, variables):
    """The non-constant factors of expr, trying sum-to-product (TR9) when a factor is not a
    function of one linear form."""
    factors = [b for b in (f.as_base_exp()[0] for f in sp.Mul.make_args(sp.factor(expr)))
               if b.free_symbols & set(variables)]
    if all(linear_form(q, variables) for q in factors):
        return factors
    for rewrite in (TR9, lambda e: TR9(TR10i(e))):
        with budget("sum-to-product", 3.0):
            product = sp.factor(rewrite(expr))
        factors = [b for b in (f.as_base_exp()[0] for f in sp.Mul.make_args(product))
                   if b.free_symbols & set(variables)]
        if all(linear_form(q, variables) for q in factors):
            break
    return factors


def solve_linear_cases(components, variables, seconds):
    """AffineCells covering the real solutions of prod(components[i]) = 0 for all i."""
    forms = {}
    for factors in components:
        for q in factors:
            form = linear_form(q, variables)
            if form is None:
                raise Unsolvable(f"factor {q} is not a function of one linear form")
            forms[q] = form
    n_cases = 1
    for factors in components:
        n_cases *= len(factors)
    if n_cases > MAX_CASES:
        raise Unsolvable(f"{n_cases} factor combinations: too many cases")
    cells = []
    for choice in itertools.product(*components):
        check()
        cells += _solve_case(tuple(dict.fromkeys(choice)), forms, variables, seconds)
    return cells


def _solve_case(choice, forms, variables, seconds):
    groups = {}
    for q in choice:
        coeffs, h, u = forms[q]
        groups.setdefault(coeffs, []).append(h.subs(u, _U))
    sets = []
    for coeffs, hs in groups.items():
        atoms = solve_univariate(hs[0], _U, seconds)
        for h in hs[1:]:
            atoms = restrict(atoms, h, _U)
        if not atoms:
            return []
        sets.append((coeffs, atoms))
    A = sp.Matrix([list(c) for c, _ in sets])
    if A.rank() < len(sets):
        raise Unsolvable("linearly dependent forms in one case (not handled)")
    cells = []
    for combo in itertools.product(*(atoms for _, atoms in sets)):
        ks, rhs, constraints = [], [], []
        for (coeffs, _), atom in zip(sets, combo):
            if isinstance(atom, Progression):
                k = sp.Symbol(f"k{len(ks) + 1}", integer=True)
                ks.append(k)
                rhs.append(atom.at(k))
                constraints.append((coeffs, atom, k))
            else:
                rhs.append(atom)
        solution, taus = A.gauss_jordan_solve(sp.Matrix(rhs))
        frees = []
        for j, tau in enumerate(taus):
            t = sp.Symbol(f"t{j + 1}", real=True)
            solution = solution.subs(tau, t)
            frees.append(t)
        param = {v: sp.expand(e) for v, e in zip(variables, solution)}
        cells.append(AffineCell(param, tuple(ks), tuple(frees), tuple(constraints),
                                tuple(choice)))
    return cells


_U = sp.Dummy("u")


# -- the answer ------------------------------------------------------------------------------

def shift_invariant(gradient, shift) -> bool:
    """grad f(x + shift) == grad f(x) identically (exact)."""
    moved = {v: v + d for v, d in shift.items()}
    for g in gradient:
        diff = g.subs(moved, simultaneous=True) - g
        if is_zero(diff) is not True and is_zero(sp.expand_trig(diff)) is not True:
            return False
    return True


def axis_periods(gradient, variables, cells):
    """For each variable, the least period T (from the lattices' own periods and small
    multiples) with grad f(x + T e_v) == grad f(x); None when one is not found."""
    base = {c[1].period for cell in cells for c in cell.constraints}
    candidates = sorted({sp.nsimplify(p * r) for p in base
                         for r in (sp.Rational(1, 2), 1, 2, 3, 4, 6)}, key=float)
    periods = {}
    for v in variables:
        periods[v] = next((T for T in candidates if shift_invariant(gradient, {v: T})), None)
        if periods[v] is None:
            return None
    return periods


def affine_answer(system, cells):
    if cells and not any(cell.free for cell in cells):
        periods = axis_periods(system.gradient, tuple(system.variables), cells)
        if periods is not None:
            return _orbit_answer(system, cells, periods)
    return _cell_answer(system, cells)


def _orbit_answer(system, cells, periods):
    """The critical set is invariant under x -> x + T_v e_v: list one representative per orbit
    in the fundamental domain prod [0, T_v), each a lattice family p + (T_v k_v)."""
    variables, f = tuple(system.variables), system.f
    domain = {v: (sp.S.Zero, periods[v]) for v in variables}
    notes, reps = [], []
    for cell in cells:
        for pt in _lattice_points(cell, variables, domain, notes):
            if any(is_zero(pt[v] - periods[v]) is True for v in variables):
                continue  # the closed domain's far faces repeat the near ones
            if not any(all(is_zero(r[v] - pt[v]) is True for v in variables) for r in reps):
                reps.append(pt)
    params = [sp.Symbol(n, integer=True) for n in ("k", "m", "j", "l", "n", "q")
              if n not in {v.name for v in variables}][: len(variables)]
    families, points = [], []
    for rep in reps:
        cls = classify_point(f, variables, rep, system.hessian)
        param = {v: rep[v] + periods[v] * k for v, k in zip(variables, params)}
        families.append(Family(
            description=f"{cls.kind.value} lattice {_show(param)} "
                        f"({', '.join(map(str, params))} integers)",
            equations=(), dimension=0, kind=cls.kind, strict=cls.strict, samples=(rep,),
            parameters=tuple(params), parametrization=param,
            reason=f"{cls.reason} at {_show(rep)}; the gradient has period "
                   + ", ".join(f"{periods[v]} in {v}" for v in variables)
                   + ", so every point of the lattice behaves alike"))
        if system.box is not None:
            for pt in _orbit_in_box(rep, periods, system.box, notes):
                _add_point(points, system, pt, cls if len(reps) > 20 else None)
    if system.box is not None:
        notes.append("every lattice point inside the box is listed; lattices are reported whole")
    return CriticalSet(f, variables, tuple(system.gradient), system.hessian,
                       points=tuple(points), families=tuple(families), complete=True,
                       box=system.box,
                       method_trail=("transcendental: linear forms, one family per orbit of "
                                     "the period lattice",), notes=tuple(notes))


def _orbit_in_box(rep, periods, box, notes):
    ranges = []
    for v, T in periods.items():
        lo, hi = (sp.sympify(t, strict=True) for t in box.get(v, (-sp.oo, sp.oo)))
        if not (lo.is_finite and hi.is_finite):
            notes.append(f"{v} is unbounded in the box: lattice points not listed")
            return []
        ranges.append([rep[v] + T * k for k in progression_range(Progression(rep[v], T), lo, hi)])
    return [dict(zip(periods, values)) for values in
            itertools.islice(itertools.product(*ranges), MAX_BOX_POINTS)]


def _cell_answer(system, cells):
    variables, f = tuple(system.variables), system.f
    points, families, notes = [], [], []
    for cell in cells:
        param = cell.parametrization
        if not cell.integers and not cell.free:
            _add_point(points, system, param)
            continue
        if cell.free:
            sample = {v: e.subs({p: 0 for p in cell.integers + cell.free}) for v, e in param.items()}
            families.append(Family(
                description=f"{len(cell.free)}-dimensional family {_show(param)}",
                equations=tuple(sp.Eq(q, 0) for q in cell.equations), dimension=len(cell.free),
                kind=Kind.INCONCLUSIVE, samples=(sample,),
                parameters=cell.integers + cell.free, parametrization=param,
                reason="positive-dimensional family of a transcendental gradient: not classified"))
            continue
        families += _lattice_families(system, cell)
        if system.box is not None:
            for pt in _lattice_points(cell, variables, system.box, notes):
                _add_point(points, system, pt)
    if system.box is not None and families:
        notes.append("every lattice point inside the box is listed; lattices are reported whole")
    return CriticalSet(f, variables, tuple(system.gradient), system.hessian,
                       points=tuple(points), families=tuple(families), complete=True,
                       box=system.box,
                       method_trail=("transcendental: linear forms, solved exactly",),
                       notes=tuple(notes))


def _lattice_families(system, cell):
    variables, f, param = tuple(system.variables), system.f, cell.parametrization
    steps = [{v: sp.diff(param[v], k) for v in variables} for k in cell.integers]
    mults = []
    for step in steps:
        m = next((m for m in (1, 2, 3, 4, 6)
                  if shift_invariant(system.gradient, {v: m * d for v, d in step.items()})), None)
        mults.append(m)
    eqs = tuple(sp.Eq(q, 0) for q in cell.equations)
    names = ", ".join(map(str, cell.integers))
    if None in mults:
        rep = {v: e.subs({k: 0 for k in cell.integers}) for v, e in param.items()}
        return [Family(description=f"lattice of critical points {_show(param)} ({names} integers)",
                       equations=eqs, dimension=0, kind=Kind.INCONCLUSIVE, samples=(rep,),
                       parameters=cell.integers, parametrization=param,
                       reason="the gradient is not periodic along the lattice with a small "
                              "period, so one representative cannot decide the class")]
    classes = {}
    for residues in itertools.product(*(range(m) for m in mults)):
        rep = {v: sp.simplify(e.subs(dict(zip(cell.integers, residues))))
               for v, e in param.items()}
        classes[residues] = (rep, classify_point(f, variables, rep, system.hessian))
    groups = {}
    for residues, (_, cls) in classes.items():
        groups.setdefault((cls.kind, cls.strict), []).append(residues)
    out = []
    for (kind, strict), members in groups.items():
        whole = len(groups) == 1
        for residues in ([members[0]] if whole else members):
            sub = {} if whole else {k: m * k + r for k, m, r in zip(cell.integers, mults, residues)}
            p = {v: sp.expand(e.subs(sub, simultaneous=True)) for v, e in param.items()}
            rep, cls = classes[residues]
            out.append(Family(
                description=f"{kind.value} lattice {_show(p)} ({names} integers)",
                equations=eqs, dimension=0, kind=kind, strict=strict, samples=(rep,),
                parameters=cell.integers, parametrization=p,
                reason=f"{cls.reason} at {_show(rep)}; the gradient is invariant under the "
                       f"lattice steps taken {mults} times, so the whole residue class "
                       "behaves alike"))
    return out


def _lattice_points(cell, variables, box, notes):
    """The cell's points inside the box (exact)."""
    ranges = []
    for coeffs, prog, k in cell.constraints:
        lo = hi = sp.S.Zero
        for c, v in zip(coeffs, variables):
            a, b = (sp.sympify(t, strict=True) for t in box.get(v, (-sp.oo, sp.oo)))
            if not (a.is_finite and b.is_finite):
                notes.append(f"{v} is unbounded in the box: lattice points not listed")
                return []
            lo += c * (a if c > 0 else b)
            hi += c * (b if c > 0 else a)
        ranges.append(progression_range(prog, lo, hi))
    out = []
    for ks in itertools.islice(itertools.product(*ranges), MAX_BOX_POINTS * 4):
        pt = {v: sp.simplify(e.subs(dict(zip(cell.integers, ks))))
              for v, e in cell.parametrization.items()}
        if in_box(pt, box) is not False:
            out.append(pt)
        if len(out) >= MAX_BOX_POINTS:
            notes.append(f"more than {MAX_BOX_POINTS} lattice points in the box: list cut")
            break
    return out


def _add_point(points, system, pt, known=None):
    """Add pt (if in the box and new); `known`: its classification by periodicity (the value
    is recomputed), else it is classified here."""
    if in_box(pt, system.box) is False:
        return
    for other in points:
        if all(is_zero(other.point[v] - pt[v]) is True for v in pt):
            return
    variables = tuple(system.variables)
    if known is not None:
        cls = dataclasses.replace(known, value=sp.simplify(system.f.subs(pt)), witness=None)
    else:
        cls = classify_point(system.f, variables, pt, system.hessian)
    points.append(CriticalPoint(pt, cls))


def _show(mapping) -> str:
    return "{" + ", ".join(f"{v} = {e}" for v, e in mapping.items()) + "}"
