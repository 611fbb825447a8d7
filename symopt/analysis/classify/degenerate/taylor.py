"""Local algebra for the higher-order test: Taylor germs, Lagrange reduction, splitting lemma.

A germ is g(u) = f(p + u) - f(p) as a dict {exponent tuple: exact coefficient}. For a polynomial
f it is exact (every term); otherwise it is the Taylor polynomial of degree N (coefficients
D^alpha f(p) / alpha!, each decided exactly zero or nonzero), and every statement drawn from it
accounts for the unknown terms of degree > N.

Splitting lemma (Morse lemma with parameters): with the quadratic part positive semidefinite of
rank r, write u = V a + K b (V: r directions where the form is definite, K: kernel basis). The
equations dG/da = 0 have a unique solution a = phi(b) near 0 (implicit function theorem, phi =
O(|b|^2)), computed order by order; then G(a, b) - h(b), h(b) = G(phi(b), b), is a positive
definite quadratic form in a - phi(b) up to higher order. So f - f(p) has a (strict) minimum at p
iff h has one at 0, and takes negative values near p iff h does.
"""

from __future__ import annotations

import itertools
import math

import sympy as sp

from symopt.budget import check
from symopt.analysis.exact.signs import decided_sign


def expr_to_dict(expr, gens) -> dict:
    """Polynomial expression -> {exponents: coefficient}, zero coefficients dropped.

    Algebraic numbers given as CRootOf are swapped for placeholders first (SymPy's domain
    construction would otherwise evaluate them over and over), and each coefficient is reduced
    modulo their minimal polynomials."""
    if not gens:
        return {(): expr} if expr != 0 else {}
    roots = sorted(expr.atoms(sp.CRootOf), key=str)
    if not roots:
        poly = sp.Poly(sp.expand(expr), *gens)
        return {m: c for m, c in poly.terms() if c != 0}
    holders = [sp.Dummy(f"r{i}") for i in range(len(roots))]
    back = dict(zip(holders, roots))
    poly = sp.Poly(sp.expand(expr.xreplace(dict(zip(roots, holders)))), *gens, *holders)
    grouped = {}
    for m, c in poly.terms():
        key = m[:len(gens)]
        grouped[key] = grouped.get(key, 0) + c * sp.Mul(*[h ** e for h, e in zip(holders, m[len(gens):])])
    out = {}
    for key, c in grouped.items():
        for root, R in zip(roots, holders):
            c = sp.rem(sp.expand(c), root.poly.as_expr().xreplace({root.poly.gen: R}), R)
        c = sp.expand(c).xreplace(back)
        if c != 0:
            out[key] = c
    return out


def dict_to_expr(d: dict, gens) -> sp.Expr:
    return sp.Add(*[c * sp.Mul(*[g ** e for g, e in zip(gens, m)]) for m, c in d.items()])


def truncate(d: dict, order: int | None) -> dict:
    if order is None:
        return dict(d)
    return {m: c for m, c in d.items() if sum(m) <= order}


def drop_zeros(d: dict) -> dict:
    """Remove coefficients proven zero; raise Undecided for those that cannot be decided."""
    out = {}
    for m, c in d.items():
        c = sp.expand(c) if not c.is_Rational else c
        if decided_sign(c) != 0:
            out[m] = c
    return out


def germ(f, variables, point, order: int):
    """(g, exact): g = f(p + u) - f(p) as a dict over u (the same symbols as `variables`).

    exact is True when g holds every term (f polynomial); else g is the Taylor polynomial of
    degree `order` of the germ.
    """
    variables = tuple(variables)
    shift = {v: point[v] + v for v in variables}
    if f.is_polynomial(*variables):
        g = expr_to_dict(sp.expand(f.xreplace(shift)), variables)
        g.pop(tuple(0 for _ in variables), None)
        return drop_zeros(g), True
    n = len(variables)
    derivatives = {tuple([0] * n): f}
    coeffs = {}
    for degree in range(1, order + 1):
        for alpha in _exponents(n, degree):
            check()
            i = next(j for j, e in enumerate(alpha) if e)
            parent = tuple(e - (j == i) for j, e in enumerate(alpha))
            d = derivatives[parent].diff(variables[i])
            derivatives[alpha] = d
            value = d.xreplace(point)
            if value.has(sp.Derivative, sp.Subs):
                value = value.doit()
            c = value / math.prod(math.factorial(e) for e in alpha)
            if decided_sign(c) != 0:
                coeffs[alpha] = c
    return coeffs, False


def _exponents(n: int, degree: int):
    """All exponent tuples of n variables with the given total degree."""
    for cut in itertools.combinations(range(degree + n - 1), n - 1):
        parts, prev = [], -1
        for c in cut + (degree + n - 1,):
            parts.append(c - prev - 1)
            prev = c
        yield tuple(parts)


def quadratic_form(g: dict, n: int) -> sp.ImmutableMatrix:
    """The Hessian of the germ at 0, read off its degree-2 coefficients."""
    H = sp.zeros(n, n)
    for m, c in g.items():
        if sum(m) != 2:
            continue
        idx = [i for i, e in enumerate(m) for _ in range(e)]
        i, j = idx
        if i == j:
            H[i, i] = 2 * c
        else:
            H[i, j] = H[j, i] = c
    return sp.ImmutableMatrix(H)


def lagrange_directions(H) -> list:
    """Lagrange's reduction of the quadratic form u^T H u: a list of (v, v^T H v, sign) for
    H-orthogonal directions v with nonzero value. The signs give the inertia (Sylvester's law),
    decided exactly; the directions are rational when H is."""
    n = H.rows
    basis = [sp.Matrix([int(i == j) for j in range(n)]) for i in range(n)]
    found = []
    while basis:
        S = [[(bi.T * H * bj)[0, 0] for bj in basis] for bi in basis]
        signs = [decided_sign(sp.expand(S[i][i])) for i in range(len(basis))]
        pivot = next((i for i, s in enumerate(signs) if s != 0), None)
        if pivot is None:
            pair = next(((i, j) for i in range(len(basis)) for j in range(i + 1, len(basis))
                         if decided_sign(sp.expand(S[i][j])) != 0), None)
            if pair is None:
                break
            i, j = pair
            basis[i] = basis[i] + basis[j]  # value becomes 2 S_ij != 0
            continue
        v, d = basis[pivot], S[pivot][pivot]
        found.append((sp.ImmutableMatrix(v), d, signs[pivot]))
        basis = [sp.expand(basis[j] - S[pivot][j] / d * v) for j in range(len(basis)) if j != pivot]
    return found


class Split:
    """The result of the splitting lemma for a germ with PSD quadratic part.

    V, K: matrices (columns: definite directions, kernel basis); a, b: symbols; M: the diagonal
    of the quadratic form in a; phi: {a_i: polynomial in b}; h: residual dict over b;
    exact: h and phi are exact (not truncated)."""

    def __init__(self, V, K, a, b, M, phi, h, exact):
        self.V, self.K, self.a, self.b, self.M = V, K, a, b, M
        self.phi, self.h, self.exact = phi, h, exact

    def displacement(self, b_values):
        """u = V phi(b) + K b for exact values of b (a tuple)."""
        sub = dict(zip(self.b, b_values))
        a_values = [sp.expand(self.phi[ai].xreplace(sub)) for ai in self.a]
        u = sp.zeros(self.K.rows, 1)
        if self.a:
            u += self.V * sp.Matrix(a_values)
        if self.b:
            u += self.K * sp.Matrix(b_values)
        return tuple(u)


def split(g: dict, n: int, positive: list, kernel: list, order: int, exact: bool,
          names: tuple | None = None) -> Split:
    """Eliminate the definite directions order by order (see module doc).

    positive: directions from `lagrange_directions` (all with sign +1); kernel: kernel basis;
    names: names for the kernel coordinates b (default b0, b1, ...).
    All series arithmetic is truncated at total degree `order` in b (phi = O(|b|^2), so terms
    are dropped before they are formed). With exact=True (g is the whole polynomial) and a
    polynomial phi that solves dG/da = 0 identically, h is computed exactly instead.
    """
    r, k = len(positive), len(kernel)
    a = sp.symbols(f"a0:{r}", real=True)
    b = sp.symbols(names if names and len(names) == k else f"b0:{k}", real=True)
    b = (b,) if isinstance(b, sp.Symbol) else tuple(b)
    V = sp.Matrix.hstack(*[v for v, _, _ in positive]) if r else sp.zeros(n, 0)
    K = sp.Matrix.hstack(*kernel) if k else sp.zeros(n, 0)
    M = [d for _, d, _ in positive]
    u_syms = sp.symbols(f"u0:{n}", real=True)
    u_of_ab = (V * sp.Matrix(a) if r else sp.zeros(n, 1)) + (K * sp.Matrix(b) if k else sp.zeros(n, 1))
    G_expr = sp.expand(dict_to_expr(g, u_syms).xreplace(dict(zip(u_syms, u_of_ab))))
    gens = tuple(a) + tuple(b)
    G = truncate(expr_to_dict(G_expr, gens), None if exact else order)
    if r == 0:
        return Split(V, K, a, b, M, {}, drop_zeros({m[r:]: c for m, c in G.items()}), exact)
    ring, *bring = sp.ring([str(s) for s in b], _domain(G, M))
    # F_i = dG/da_i - M_i a_i collects the terms of degree >= 2; a_i = -F_i / M_i.
    F = []
    for i in range(r):
        Fi = {}
        for m, c in G.items():
            if m[i] == 0:
                continue
            dm = tuple(e - (j == i) for j, e in enumerate(m))
            if sum(dm) == 1 and dm[i] == 1 and c * m[i] == M[i]:
                continue  # the linear term M_i a_i
            Fi[dm] = Fi.get(dm, 0) + c * m[i]
        F.append(Fi)
    phi = [ring.zero] * r
    for _ in range(order + 1):
        check()
        new = [_compose(Fi, r, phi, bring, ring, order) * ring.domain.convert(-1 / Mi)
               for Fi, Mi in zip(F, M)]
        if new == phi:
            break
        phi = new
    h = _compose(G, r, phi, bring, ring, order)
    phi_exact = False
    if exact and max((max(sum(m) for m in p.monoms()) if p else 0) for p in phi) * max(1, _degree(G)) <= 48:
        phi_exact = all(not _compose(Fi, r, phi, bring, ring, None) + p * ring.domain.convert(Mi)
                        for Fi, p, Mi in zip(F, phi, M))
        if phi_exact:
            h = _compose(G, r, phi, bring, ring, None)
    phi_map = {ai: p.as_expr(*b) for ai, p in zip(a, phi)}
    h_dict = {m: ring.domain.to_sympy(c) for m, c in h.terms()}
    return Split(V, K, a, b, M, phi_map, drop_zeros(h_dict), phi_exact)


def _domain(G: dict, M: list):
    if any(sp.sympify(c, strict=True).has(sp.CRootOf) for c in list(G.values()) + list(M)):
        return sp.EX
    try:
        domain, _ = sp.construct_domain(list(G.values()) + list(M), field=True)
    except (sp.polys.polyerrors.PolynomialError, ValueError):
        return sp.EX
    return domain if domain.is_Field else sp.EX


def _compose(G: dict, r: int, phi: list, bring: list, ring, order: int | None):
    """G(phi(b), b) truncated at total degree `order` in b (None: exact)."""
    total = ring.zero
    powers = [[ring.one] for _ in range(r)]
    for m, c in G.items():
        ma, mb = m[:r], m[r:]
        if order is not None and 2 * sum(ma) + sum(mb) > order:
            continue  # phi = O(|b|^2)
        term = ring.domain.convert(c) * ring.one
        for j, e in enumerate(mb):
            if e:
                term *= bring[j] ** e
        for i, e in enumerate(ma):
            while len(powers[i]) <= e:
                powers[i].append(_trunc(powers[i][-1] * phi[i], order))
            if e:
                term = _trunc(term * powers[i][e], order)
        total += term
    return _trunc(total, order)


def _trunc(p, order):
    if order is None or not p:
        return p
    return p.ring({m: c for m, c in p.items() if sum(m) <= order})


def _degree(d: dict) -> int:
    return max((sum(m) for m in d), default=0)
