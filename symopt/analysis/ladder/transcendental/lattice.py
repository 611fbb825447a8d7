"""Exact real solution sets of separable transcendental systems, as lattices of points.

The system is F_1 = 0, ..., F_n = 0 where each F_i is a product of factors and every factor
depends on ONE variable (cos(x), sin(y), y, 2 sin(x) - 1, ...). Its solution set is the union,
over one chosen factor per equation, of products of one-variable sets; each one-variable set
is the intersection of the chosen factors' real zero sets, solved by sympy's solveset:
finite values and arithmetic progressions a + p k (k integer: ImageSet results). Everything
here is exact: membership is decided by substitution and an exact zero test, never by floats.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

from symopt.budget import budget, check
from symopt.analysis.exact.signs import is_zero
from symopt.errors import BudgetExceeded

MAX_CASES = 512


class Unsolvable(Exception):
    """The system is outside what this module solves exactly (the message says why)."""


FREE = "free"


@dataclass(frozen=True)
class Progression:
    """{offset + period * k : k integer}, period > 0, 0 <= offset < period."""

    offset: sp.Expr
    period: sp.Expr

    def at(self, k):
        return self.offset + self.period * k


def _normalize(offset, period):
    period = sp.Abs(period)
    offset = sp.nsimplify(offset) if offset.is_Float else offset
    turns = sp.floor(offset / period)
    if not turns.is_Integer:
        turns = sp.floor(sp.simplify(offset / period))
    return Progression(sp.expand(offset - period * turns), period)


def solve_univariate(factor, var, seconds):
    """Real zeros of factor(var): a list of exact values and Progressions."""
    try:
        return _solve_univariate(factor, var, seconds)
    except Unsolvable:
        # sigmoid, tanh, ... written with exp often become solvable (sigmoid(x) = 1/2 -> x = 0)
        rewritten = sp.fraction(sp.together(factor.rewrite(sp.exp)))[0]
        if rewritten == factor:
            raise
        with budget("rewriting with exp", seconds):
            rewritten = sp.factor(rewritten)
        return _solve_univariate(rewritten, var, seconds)


def _solve_univariate(factor, var, seconds):
    try:
        with budget(f"solveset {factor} = 0", seconds):
            solution = sp.solveset(factor, var, sp.S.Reals)
    except BudgetExceeded as exc:
        raise Unsolvable(f"solveset ran out of time on {factor} = 0") from exc
    except NotImplementedError as exc:
        raise Unsolvable(f"solveset cannot solve {factor} = 0") from exc
    atoms = _atoms(solution, factor)
    return merge_progressions(atoms)


def _atoms(solution, factor):
    if solution is sp.S.EmptySet:
        return []
    if isinstance(solution, sp.FiniteSet):
        values = list(solution)
        if not all(v.is_real for v in values):
            raise Unsolvable(f"solveset returned non-real values for {factor} = 0")
        return values
    if isinstance(solution, sp.Union):
        return [a for part in solution.args for a in _atoms(part, factor)]
    if isinstance(solution, sp.ImageSet) and solution.base_sets == (sp.S.Integers,):
        (n,) = solution.lamda.variables
        expr = solution.lamda.expr
        if sp.Poly(expr, n).degree() == 1:
            period = sp.diff(expr, n)
            if period.is_number and period.is_real and period != 0:
                return [_normalize(expr.subs(n, 0), period)]
    raise Unsolvable(f"solveset gave {solution} for {factor} = 0, not values or progressions")


def merge_progressions(atoms):
    """Union of progressions with a common period P: m of them spaced P/m apart are one
    progression of period P/m (cos x = 0: pi/2 + 2 pi k and 3 pi/2 + 2 pi k -> pi/2 + pi k)."""
    atoms = list(atoms)
    changed = True
    while changed:
        changed = False
        progs = [a for a in atoms if isinstance(a, Progression)]
        for a in progs:
            same = [b for b in progs if is_zero(b.period - a.period)]
            for m in range(len(same), 1, -1):
                step = a.period / m
                members = []
                for j in range(m):
                    target = _normalize(a.offset + j * step, a.period)
                    hit = next((b for b in same if is_zero(b.offset - target.offset)), None)
                    if hit is None:
                        break
                    members.append(hit)
                if len(members) == m:
                    atoms = [x for x in atoms if x not in members]
                    atoms.append(_normalize(a.offset, step))
                    changed = True
                    break
            if changed:
                break
    return atoms


def restrict(atoms, factor, var):
    """The atoms' points where factor vanishes (exact), splitting progressions by residues."""
    kept = []
    k = sp.Dummy("k", integer=True)
    for atom in atoms:
        if not isinstance(atom, Progression):
            verdict = is_zero(factor.subs(var, atom))
            if verdict is None:
                raise Unsolvable(f"cannot decide whether {factor} vanishes at {var} = {atom}")
            if verdict:
                kept.append(atom)
            continue
        kept.extend(_restrict_progression(atom, factor, var, k))
    return kept


def _restrict_progression(prog, factor, var, k):
    verdict = is_zero(factor.subs(var, prog.at(k)))
    if verdict is not None:
        return [prog] if verdict else []
    for m in (2, 3, 4, 6):
        parts, decided = [], True
        for r in range(m):
            sub = Progression(prog.offset + prog.period * r, prog.period * m)
            v = is_zero(factor.subs(var, sub.at(k)))
            if v is None:
                decided = False
                break
            if v:
                parts.append(_normalize(sub.offset, sub.period))
        if decided:
            return parts
    raise Unsolvable(f"cannot decide where {factor} vanishes on {prog.offset} + {prog.period} k")


def _is_integer(value) -> bool:
    """value is (provably) an integer: the nearest integer n and an exact test value - n = 0."""
    value = sp.sympify(value, strict=True)
    if value.is_integer is not None:
        return bool(value.is_integer)
    approx = value.evalf(30)
    if not approx.is_Number:
        return False
    n = int(round(float(approx)))
    if abs(approx - n) > 1e-12:
        return False
    return is_zero(value - n) is True


def contains_atom(big, small) -> bool:
    if big == FREE:
        return True
    if small == FREE:
        return False
    if isinstance(big, Progression):
        if isinstance(small, Progression):
            return _is_integer(small.period / big.period) and \
                _is_integer((small.offset - big.offset) / big.period)
        return _is_integer((small - big.offset) / big.period)
    return not isinstance(small, Progression) and is_zero(big - small) is True


def solve_separable(components, variables, seconds):
    """Cells (dict var -> value | Progression | FREE) whose union is the real solution set of
    prod(components[i]) = 0 for all i. components[i] is the list of factors of equation i."""
    for factors in components:
        for q in factors:
            if len(q.free_symbols & set(variables)) != 1:
                raise Unsolvable(f"factor {q} is not a function of a single variable")
    n_cases = 1
    for factors in components:
        n_cases *= len(factors)
    if n_cases > MAX_CASES:
        raise Unsolvable(f"{n_cases} factor combinations: too many cases")
    solved = {}
    cells = []
    for choice in itertools.product(*components):
        check()
        per_var = {}
        for v in variables:
            mine = [q for q in dict.fromkeys(choice) if v in q.free_symbols]
            if not mine:
                per_var[v] = [FREE]
                continue
            if mine[0] not in solved:
                solved[mine[0]] = solve_univariate(mine[0], v, seconds)
            atoms = solved[mine[0]]
            for q in mine[1:]:
                atoms = restrict(atoms, q, v)
            per_var[v] = atoms
        for combo in itertools.product(*(per_var[v] for v in variables)):
            cells.append((dict(zip(variables, combo)), tuple(dict.fromkeys(choice))))
    return _dedupe(cells, variables)


def _dedupe(cells, variables):
    kept = []
    for i, (cell, eqs) in enumerate(cells):
        covered = False
        for j, (other, _) in enumerate(cells):
            if i == j:
                continue
            inside = all(contains_atom(other[v], cell[v]) for v in variables)
            if inside:
                same = all(contains_atom(cell[v], other[v]) for v in variables)
                if not same or j < i:  # strictly inside another, or a duplicate seen earlier
                    covered = True
                    break
        if not covered:
            kept.append((cell, eqs))
    return kept


def progression_range(prog: Progression, lo, hi):
    """The integers k with lo <= offset + period k <= hi (exact)."""
    first = sp.ceiling(sp.simplify((lo - prog.offset) / prog.period))
    last = sp.floor(sp.simplify((hi - prog.offset) / prog.period))
    if not (first.is_Integer and last.is_Integer):
        raise Unsolvable(f"cannot locate {prog.offset} + {prog.period} k in [{lo}, {hi}]")
    return range(int(first), int(last) + 1)
