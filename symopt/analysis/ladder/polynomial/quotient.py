"""The quotient algebra Q[x]/I of a zero-dimensional ideal, and what the polynomial rung
computes in it: standard monomials, multiplication matrices, the radical (Seidenberg), a
separating linear form, the shape lemma by Krylov linear algebra, multiplicities.
"""

from __future__ import annotations

import random

from sympy.polys.domains import QQ
from sympy.polys.groebnertools import groebner as ring_groebner
from sympy.polys.matrices import DomainMatrix

from symopt.budget import check
from symopt.analysis.exact.numberfield import RING, TGEN

# -- the quotient algebra ----------------------------------------------------------------------
def standard_monomials(G, nvars):
    """Monomials not divisible by any leading monomial of G (G zero-dimensional)."""
    leads = [g.LM for g in G]
    bounds = []
    for i in range(nvars):
        pure = [m[i] for m in leads if all(m[j] == 0 for j in range(nvars) if j != i) and m[i] > 0]
        bounds.append(min(pure))
    out = []

    def divisible(m):
        return any(all(m[j] >= l[j] for j in range(nvars)) for l in leads)

    def walk(prefix):
        i = len(prefix)
        if i == nvars:
            if not divisible(tuple(prefix)):
                out.append(tuple(prefix))
            return
        for e in range(bounds[i]):
            check()
            if divisible(tuple(prefix + [e] + [0] * (nvars - i - 1))):
                break
            walk(prefix + [e])
    walk([])
    return out


def is_zero_dimensional(G, nvars) -> bool:
    leads = [g.LM for g in G]
    return all(any(m[i] > 0 and all(m[j] == 0 for j in range(nvars) if j != i) for m in leads)
               for i in range(nvars))


class Quotient:
    """Q[x]/I for a zero-dimensional reduced Groebner basis G: basis and multiplication maps."""

    def __init__(self, G, R):
        self.G, self.R = G, R
        self.n = R.ngens
        self.basis = standard_monomials(G, self.n)
        self.index = {m: k for k, m in enumerate(self.basis)}
        self.dim = len(self.basis)
        self._mult = {}

    def coords(self, p):
        """Coordinates of the normal form of p in the standard basis."""
        rem = p.rem(self.G) if self.G else p
        vec = [QQ(0)] * self.dim
        for m, c in rem.terms():
            vec[self.index[m]] = c
        return vec

    def monomial(self, m):
        return self.R({m: QQ(1)})

    def mult_matrix(self, i):
        if i not in self._mult:
            gen = self.R.gens[i]
            cols = []
            for m in self.basis:
                check()
                cols.append(self.coords(gen * self.monomial(m)))
            rows = [[cols[j][k] for j in range(self.dim)] for k in range(self.dim)]
            self._mult[i] = DomainMatrix(rows, (self.dim, self.dim), QQ)
        return self._mult[i]

    def linear_form_matrix(self, c):
        M = DomainMatrix.zeros((self.dim, self.dim), QQ)
        for i, ci in enumerate(c):
            if ci:
                M = M + self.mult_matrix(i) * QQ(ci)
        return M


def _upoly(coeffs):
    """A PolyElement in t from charpoly coefficients (highest first)."""
    p = RING.zero
    for c in coeffs:
        p = p * TGEN + c
    return p


def _squarefree(p):
    return p.quo(p.gcd(p.diff(TGEN))).monic()


def radical_basis(G, R, Q):
    """Reduced Groebner basis of sqrt(I), adding the squarefree eliminants (Seidenberg), and
    the squarefree eliminants themselves (s_i(x_i) vanishes exactly on the i-th coordinates)."""
    extra, eliminants = [], []
    for i in range(Q.n):
        e = _upoly(Q.mult_matrix(i).charpoly())
        s = _squarefree(e)
        eliminants.append(s)
        if s.degree() < e.degree():
            extra.append(_in_variable(s, R, i))
    if not extra:
        return G, False, eliminants
    return ring_groebner(list(G) + extra, R), True, eliminants


def _in_variable(s, R, i):
    x = R.gens[i]
    p = R.zero
    for c in s.to_dense():
        p = p * x + c
    return p


def separating_form(Q, seed: int = 1729, tries: int = 24):
    """(c, q) with u = sum c_i x_i separating the points of the radical quotient Q: q =
    charpoly(M_u) is squarefree (degree dim Q). Single variables first (nicest shape), then
    random integer forms with growing range (a random form fails with probability at most
    (number of pairs of points) / range)."""
    rng = random.Random(seed)
    candidates = [[1 if j == i else 0 for j in range(Q.n)] for i in reversed(range(Q.n))]
    for attempt in range(tries):
        bound = 10 ** (1 + attempt // 4)
        candidates.append([rng.randint(-bound, bound) or 1 for _ in range(Q.n)])
    for c in candidates:
        check()
        q = _upoly(Q.linear_form_matrix(c).charpoly())
        if q.gcd(q.diff(TGEN)).degree() == 0:
            return c, q.monic()
    return None, None


def shape_polynomials(Q, c):
    """p_i with x_i = p_i(u) on the radical quotient (shape lemma, by Krylov linear algebra)."""
    Mu = Q.linear_form_matrix(c)
    one = Q.coords(Q.R.one)
    v = DomainMatrix([[a] for a in one], (Q.dim, 1), QQ)
    cols = [v]
    for _ in range(Q.dim - 1):
        cols.append(Mu * cols[-1])
    K = DomainMatrix.hstack(*cols) if len(cols) > 1 else cols[0]
    rhs = DomainMatrix.hstack(*[Q.mult_matrix(i) * v for i in range(Q.n)])
    sol = K.lu_solve(rhs)
    out = []
    for i in range(Q.n):
        coeffs = [sol[k, i].element for k in range(Q.dim)]
        out.append(_upoly(list(reversed(coeffs))))
    return out


def multiplicities(Q, c, factors):
    """Multiplicity of each irreducible factor's roots in charpoly(M_u) on Q[x]/I."""
    chi = _upoly(Q.linear_form_matrix(c).charpoly())
    out = []
    for r in factors:
        k = 0
        while True:
            quo, rem = chi.div(r)
            if rem != 0:
                break
            chi, k = quo, k + 1
        out.append(k)
    return out


def compose_at(poly, shape, r, powers: dict | None = None):
    """poly(p_1(t), ..., p_n(t)) mod r. `powers` caches p_i^e mod r across calls with the same
    shape and r."""
    powers = {} if powers is None else powers

    def power(i, e):
        if (i, e) not in powers:
            powers[(i, e)] = RING.one if e == 0 else (power(i, e - 1) * shape[i]) % r
        return powers[(i, e)]

    acc = RING.zero
    for monom, coeff in poly.terms():
        check()
        term = RING(coeff)
        for i, e in enumerate(monom):
            if e:
                term = (term * power(i, e)) % r
        acc += term
    return acc % r
