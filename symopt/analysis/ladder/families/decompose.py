"""Real solution set of a polynomial system as a union of components (no primary decomposition
in SymPy, so: Groebner bases, factorization of their elements and case splits).

V(G) = V(G + p1) u V(G + p2) when p1 * p2 is in the ideal, so every reducible basis element
splits the problem; q^k is replaced by q (same zero set); a factor that is positive everywhere
(x^2 + 1) is dropped; a sum of even monomials with positive coefficients (x^2 + y^4) vanishes on
the reals exactly where every monomial does. What is left is either zero-dimensional (solved
exactly, all solutions: the component is finite) or positive-dimensional with irreducible basis
elements: a family, described by its equations. Each split is exact, so the components cover
every real solution; `complete` records whether each finite component was solved in full.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import sympy as sp

from symopt.budget import budget, check
from symopt.analysis.exact.nonnegative import sign_structure
from symopt.analysis.exact.signs import exact_sign
from symopt.errors import BudgetExceeded, SymoptError

MAX_COMPONENTS = 64


@dataclass
class Component:
    basis: tuple            # reduced Groebner basis (grevlex) of the component's ideal
    dimension: int          # Krull dimension of the (complex) component
    independent: tuple      # a maximal independent set of variables (size = dimension)
    points: list = field(default_factory=list)  # for dimension 0: exact real solutions


@dataclass
class Decomposition:
    components: list
    complete: bool
    notes: list


def krull_dimension(basis, gens):
    """Dimension of V(basis) and a maximal independent set: the largest U such that no leading
    monomial (grevlex) uses only variables in U."""
    leads = [sp.Poly(p, *gens).monoms(order="grevlex")[0] for p in basis]
    supports = [{g for g, k in zip(gens, m) if k} for m in leads]
    for size in range(len(gens), -1, -1):
        for subset in itertools.combinations(gens, size):
            s = set(subset)
            if not any(sup <= s for sup in supports):
                return size, subset
    return 0, ()


def _groebner(polys, gens):
    gb = sp.groebner(list(polys), *gens, order="grevlex")
    return tuple(gb.exprs)


def _positive_everywhere(q) -> bool:
    return sign_structure(q) == 1 and _has_constant_term(q)


def _has_constant_term(q) -> bool:
    # x^2 + y^2 >= 0 vanishes at 0; x^2 + 1 > 0 never does: require a positive constant part.
    const = q.as_coeff_Add()[0]
    return const.is_positive is True and sign_structure(q - const) == 1


def _monomial_sum_of_squares(q, gens):
    """The monomials of q if q is a sum (>= 2 terms) of c * even monomial with c > 0 (and no
    constant term), else None: on the reals q = 0 iff every monomial = 0."""
    poly = sp.Poly(q, *gens)
    terms = poly.terms()
    if len(terms) < 2:
        return None
    monomials = []
    for monom, coeff in terms:
        if not any(monom) or any(k % 2 for k in monom) or exact_sign(coeff) != 1:
            return None
        monomials.append(sp.Mul(*[g for g, k in zip(gens, monom) if k]))
    return monomials


def _split(basis, gens):
    """One refinement step: a list of generator lists whose real zero sets cover V(basis),
    or None when no basis element can be split further."""
    for p in basis:
        _, factors = sp.factor_list(p, *gens)
        nonconstant = [q for q, _ in factors if q.free_symbols & set(gens)]
        vanishing = [q for q in nonconstant if not _positive_everywhere(q)]
        if not vanishing:
            return []  # p > 0 everywhere: no real solution
        rest = [b for b in basis if b != p]
        if len(vanishing) > 1:
            return [rest + [q] for q in vanishing]
        q = vanishing[0]
        if not sp.cancel(p / q).is_number:
            return [rest + [q]]  # q^k or q * (positive factor) -> q: same real zeros
        monomials = _monomial_sum_of_squares(q, gens)
        if monomials is not None:
            return [rest + monomials]
    return None


def real_solutions(basis, gens, seconds):
    """Every real solution of a zero-dimensional system, exactly, or raise SymoptError.

    Uses the polynomial rung's solver, whose solution count is checked against the dimension of
    the quotient ring, so "every" is proven rather than trusted to a black box."""
    if len(gens) == 1 and len(basis) == 1:
        with budget("families: solving a zero-dimensional component", seconds):
            # one polynomial in one variable: its real roots, exactly (CRootOf if needed)
            return [{gens[0]: r} for r in dict.fromkeys(sp.Poly(basis[0], gens[0]).real_roots())]
    from symopt.analysis.ladder.polynomial.rung import _ring, solve_system
    R = _ring(tuple(gens))
    try:
        with budget("families: solving a zero-dimensional component", seconds):
            sol = solve_system([R(sp.expand(b)) for b in basis], [], R, tuple(gens), seconds)
            points = [pt.exact_point() for pt in sol.points]
    except (sp.PolynomialError, sp.CoercionFailed) as exc:
        raise SymoptError(f"cannot solve {list(basis)} exactly: {exc}") from None
    if not sol.complete:
        raise SymoptError(f"the solutions of {list(basis)} are not proven complete ({sol.status or 'count mismatch'})")
    return points


def _is_real(value) -> bool | None:
    if value.is_real is not None:
        return bool(value.is_real)
    im = sp.im(value)
    if im.is_zero is not None:
        return bool(im.is_zero)
    sign = exact_sign(sp.simplify(im))
    return None if sign is None else sign == 0


def decompose(polys, gens, seconds: float = 10.0) -> Decomposition:
    """Split V_R(polys) into finite and positive-dimensional components (see module doc)."""
    gens = tuple(gens)
    notes, complete = [], True
    work = [list(polys)]
    done, seen = [], set()
    while work:
        check()
        generators = work.pop()
        if len(done) + len(work) > MAX_COMPONENTS:
            notes.append(f"more than {MAX_COMPONENTS} components: stopped splitting")
            complete = False
            break
        with budget("families: groebner basis", seconds):
            basis = _groebner(generators, gens)
        if basis in seen:
            continue
        seen.add(basis)
        if len(basis) == 1 and basis[0].is_number:
            continue  # the unit ideal: no solution
        with budget("families: factoring the basis", seconds):
            pieces = _split(basis, gens)
        if pieces is not None:
            work.extend(pieces)
            continue
        dim, independent = krull_dimension(basis, gens)
        comp = Component(basis, dim, independent)
        if dim == 0:
            try:
                comp.points = real_solutions(basis, gens, seconds)
            except (SymoptError, BudgetExceeded) as exc:
                notes.append(f"a finite component ({len(basis)} equations) not solved: {exc}")
                complete = False
                continue
        done.append(comp)
    return Decomposition(done, complete, notes)


def contains(basis_small, basis_big, gens) -> bool:
    """V(basis_small) is inside V(basis_big): every generator of big reduces to 0 modulo the
    Groebner basis `basis_small`."""
    for p in basis_big:
        _, r = sp.reduced(p, list(basis_small), *gens, order="grevlex")
        if sp.expand(r) != 0:
            return False
    return True


def on_variety(point: dict, basis) -> bool:
    return all(sp.simplify(p.subs(point)) == 0 for p in basis)


TRIAL_VALUES = (1, -1, 2, 0, sp.Rational(1, 2), -2, 3, sp.Rational(-1, 2), 5)


def family_samples(comp: Component, gens, want: int = 3, seconds: float = 5.0):
    """Real exact points of a positive-dimensional component: fix the independent variables at
    small rationals, solve the rest exactly, keep the real solutions."""
    samples = []
    rest = [g for g in gens if g not in comp.independent]
    trials = itertools.product(TRIAL_VALUES, repeat=len(comp.independent))
    try:
        with budget("families: sample points", seconds):
            for count, values in enumerate(trials):
                if len(samples) >= want or count > 40:
                    break
                fixed = dict(zip(comp.independent, values))
                system = [sp.expand(p.subs(fixed)) for p in comp.basis]
                system = [p for p in system if p != 0]
                if any(p.is_number for p in system):
                    continue
                if not rest:
                    samples.append(fixed)
                    continue
                try:
                    sub = _groebner(system, rest)
                    if not sp.groebner(list(sub), *rest, order="grevlex").is_zero_dimensional:
                        continue
                    for sol in real_solutions(sub, rest, seconds):
                        samples.append({**fixed, **sol})
                except SymoptError:
                    continue
    except BudgetExceeded:
        pass
    ordered = [{g: s[g] for g in gens} for s in samples]
    unique = []
    for s in ordered:
        if s not in unique:
            unique.append(s)
    return unique[: max(want, 1) * 2]


def is_smooth_point(comp: Component, gens, point) -> bool:
    """The Jacobian of the component's equations has rank n - dim at `point`: the real family is
    a manifold of dimension `dim` near it."""
    jac = sp.Matrix([[sp.diff(p, g) for g in gens] for p in comp.basis]).subs(point)
    return jac.rank(simplify=True) == len(gens) - comp.dimension
