"""Exact case split of a linear system M(p) x = r(p) whose entries are rational in parameters p.

This is the first-order condition grad f = 0 (eq. 4.13) of every f that is quadratic in the
variables, e.g. f = 1/2 x'Ax - b'x (eq. 4.16) with symbolic entries. The split:

* generic case: every factor of det M is nonzero -> the unique point x = M^-1 r = adj(M) r / det M;
* for each factor q of det M: impose q = 0 by solving it for one parameter (itself split when
  the parameter's leading coefficient can vanish), substitute, and start again (depth-limited);
* a matrix that is singular for all parameter values is row-reduced with a split on every
  pivot that is not a nonzero constant and on every consistency condition (rhs = 0).

A branch is a `Branch`: the substitutions made (parameter -> value), the expressions assumed
nonzero, and the solution (a point, an affine family, or nothing). `covered` is False when a
zero set could not be described completely (the list of branches then misses some parameters).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from symopt.budget import budget

MAX_DEPTH = 6


@dataclass
class Branch:
    subs: dict                      # parameter -> value, applied everywhere
    nonzero: list                   # expressions assumed != 0 in this branch
    point: dict | None = None       # variable -> value (unique solution)
    family: list | None = None      # rows (coefficients, rhs): coefficients . x = rhs
    free: tuple = ()                # free variables of the family
    matrix: sp.Matrix | None = None  # M under the substitutions (the Hessian)
    covered: bool = True
    notes: list = field(default_factory=list)


def _clean(e):
    return sp.factor(sp.cancel(sp.together(e)))


def _is_const(e) -> bool:
    return not e.free_symbols


def _factors(expr):
    """Non-constant factors of the numerator of expr (each once)."""
    num, _ = sp.fraction(sp.cancel(sp.together(expr)))
    _, facs = sp.factor_list(num)
    return [q for q, _ in facs if not _is_const(q)]


def _known_nonzero(e, nonzero) -> bool | None:
    """True if e is provably nonzero in the branch, False if it is identically zero."""
    e = sp.cancel(sp.together(e))
    if e == 0:
        return False
    if _is_const(e) or e.is_zero is False:
        return True
    known = [sp.expand(z) for z in nonzero]
    for q in _factors(e):
        if q.is_zero is False:
            continue
        if not any(_is_const(sp.cancel(q / z)) for z in known if z != 0):
            return None
    return True


def _apply(sub, branch_subs, nonzero):
    """Compose a new substitution with the branch's; None if a nonzero assumption dies."""
    subs = {k: _clean(v.subs(sub)) for k, v in branch_subs.items()}
    subs.update(sub)
    kept = []
    for z in nonzero:
        z2 = sp.cancel(z.subs(sub))
        if z2 == 0:
            return None
        if not _is_const(z2):
            kept.append(z2)
    return subs, kept


def zero_sets(q, parameters, depth=0):
    """Describe {q = 0} as a list of (substitution, nonzero assumptions, complete) triples."""
    q = sp.cancel(sp.together(q))
    num, _ = sp.fraction(q)
    if _is_const(num):
        return [] if num != 0 else [({}, [], True)]
    if depth > MAX_DEPTH:
        return [({}, [], False)]
    choices, others = [], []
    for s in sorted(num.free_symbols & set(parameters), key=str):
        if not num.is_polynomial(s):
            others.append(s)
            continue
        poly = sp.Poly(num, s)
        lc = poly.LC()
        choices.append((poly.degree(), not _is_const(lc), str(s), s, poly, lc))
    if not choices:
        return _transcendental_zeros(num, others)
    deg, symbolic_lc, _, s, poly, lc = min(choices)
    if deg == 1:
        rest = num - lc * s
        out = [({s: _clean(-rest / lc)}, _factors(lc), True)]
        if symbolic_lc:  # lc = 0 forces rest = 0 as well
            for sub, nz, ok in zero_sets(lc, parameters, depth + 1):
                for sub2, nz2, ok2 in zero_sets(rest.subs(sub), parameters, depth + 1):
                    merged = {k: _clean(v.subs(sub2)) for k, v in sub.items()}
                    merged.update(sub2)
                    out.append((merged, [z.subs(sub2) for z in nz] + nz2, ok and ok2))
        return out
    with budget("solving a determinant factor for a parameter"):
        roots = sp.solve(num, s)
    # sympy.solve finds every real root of a univariate polynomial, and the quadratic formula
    # every root of a quadratic with constant leading coefficient
    complete = len(num.free_symbols) == 1 or (deg <= 2 and not symbolic_lc)
    if not roots and complete:
        return []  # q = 0 has no real solution: the branch is empty
    return [({s: _clean(r)}, [], complete) for r in roots] or [({}, [], False)]


def _transcendental_zeros(num, symbols):
    """Some solutions of a non-polynomial q = 0 (e.g. cos(a) = 0 gives two of infinitely many):
    never complete."""
    for s in symbols:
        try:
            with budget("solving a determinant factor for a parameter"):
                roots = sp.solve(num, s)
        except (NotImplementedError, ValueError, TypeError, sp.PolynomialError):
            continue
        if roots:
            return [({s: r}, [], False) for r in roots]
    return [({}, [], False)]


def solve_linear(M, r, parameters, depth=0, subs=None, nonzero=None,
                 max_depth=MAX_DEPTH) -> list[Branch]:
    """All branches of M x = r (M n x n, r n x 1) over the parameter space; branches deeper
    than max_depth are returned unsolved (covered=False). max_depth=0: the generic case only."""
    subs, nonzero = subs or {}, list(nonzero or [])
    if depth > max_depth:
        return [Branch(subs, nonzero, covered=False, notes=["case split depth limit reached"])]
    with budget("determinant of the gradient system"):
        det = sp.cancel(sp.together(M.det(method="berkowitz")))
    if det == 0:
        return _row_reduce(M, r, parameters, depth, subs, nonzero, max_depth)
    branches = []
    generic_nonzero = nonzero + [q for q in _factors(det) if _known_nonzero(q, nonzero) is None]
    with budget("solving the generic case"):
        adj = M.adjugate(method="berkowitz")
        x = [_clean(e / det) for e in adj * r]
    branches.append(Branch(subs, generic_nonzero, point=x, matrix=M))
    factors = [q for q in _factors(det) if not _known_nonzero(q, nonzero)]
    return branches + _zero_branches(factors, M, r, parameters, depth, subs, nonzero, max_depth)


def _zero_branches(factors, M, r, parameters, depth, subs, nonzero, max_depth):
    """The branches where one of `factors` vanishes: each description of q = 0 substituted,
    then solved again one level deeper."""
    out = []
    for q in factors:
        for sub, nz, ok in zero_sets(q, parameters):
            if not sub:
                out.append(Branch(subs, nonzero, covered=False,
                                  notes=[f"could not describe {q} = 0"]))
                continue
            applied = _apply(sub, subs, nonzero + nz)
            if applied is None:
                continue
            new_subs, new_nz = applied
            for b in solve_linear(_subs(M, sub), _subs(r, sub), parameters, depth + 1,
                                  new_subs, new_nz, max_depth):
                b.covered = b.covered and ok
                out.append(b)
    return out


def _subs(A, sub):
    return A.subs(sub).applyfunc(lambda e: sp.cancel(sp.together(e)))


def _row_reduce(M, r, parameters, depth, subs, nonzero, max_depth=MAX_DEPTH) -> list[Branch]:
    """Gauss-Jordan on [M | r], splitting on every pivot and consistency condition that is
    neither a nonzero constant nor assumed nonzero."""
    if depth > max_depth:
        return [Branch(subs, nonzero, covered=False, notes=["case split depth limit reached"])]
    n = M.rows
    A = M.row_join(r).as_mutable()
    pivots, row = [], 0
    for col in range(n):
        found = None
        for i in range(row, n):
            known = _known_nonzero(A[i, col], nonzero)
            if known:
                found = i
                break
            if known is None and found is None:
                found = ("split", i)
        if found is None:
            continue
        if isinstance(found, tuple):  # a pivot that may vanish: split on it
            return _split(A[found[1], col], M, r, parameters, depth, subs, nonzero, max_depth)
        A.row_swap(row, found)
        piv = A[row, col]
        A[row, :] = (A[row, :] / piv).applyfunc(sp.cancel)
        for i in range(n):
            if i != row and A[i, col] != 0:
                A[i, :] = (A[i, :] - A[i, col] * A[row, :]).applyfunc(sp.cancel)
        pivots.append(col)
        row += 1
    for i in range(row, n):
        c = A[i, n]
        known = _known_nonzero(c, nonzero)
        if known:
            return [Branch(subs, nonzero, matrix=M)]  # inconsistent: no critical point
        if known is None:
            return _split(c, M, r, parameters, depth, subs, nonzero, max_depth)
    return [_affine_solution(A, pivots, M, subs, nonzero)]


def _split(e, M, r, parameters, depth, subs, nonzero, max_depth):
    """Two sides of `e = 0`: e != 0 (assumed) and each description of e = 0 (substituted)."""
    factors = [q for q in _factors(e) if _known_nonzero(q, nonzero) is None]
    out = _row_reduce(M, r, parameters, depth + 1, subs, nonzero + factors, max_depth)
    return out + _zero_branches(factors, M, r, parameters, depth, subs, nonzero, max_depth)


def _affine_solution(A, pivots, M, subs, nonzero) -> Branch:
    n = M.rows
    free = tuple(j for j in range(n) if j not in pivots)
    if not free:
        return Branch(subs, nonzero, point=[_clean(A[i, n]) for i in range(n)], matrix=M)
    rows = [(tuple(A[i, :n]), A[i, n]) for i in range(len(pivots))]  # coeffs . x = rhs
    return Branch(subs, nonzero, family=rows, free=free, matrix=M)
