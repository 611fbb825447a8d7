"""Arithmetic in Q[t]/(r) for an irreducible r: the ring Q[t], interval Horner evaluation,
characteristic polynomials over the field, minimal polynomials of field elements, and the
conversion of rational functions of the variables to ring elements.
"""

from __future__ import annotations

import mpmath
import sympy as sp
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from symopt.budget import check
from symopt.analysis.exact.intervals import ivprec

T = sp.Dummy("t")
TRING = sp.QQ[T]          # the domain Q[t]
RING = TRING.ring
TGEN = RING.gens[0]
iv = mpmath.iv


def to_sympy_poly(h) -> sp.Poly:
    return sp.Poly(h.as_expr(), T, domain=sp.QQ)


def horner_interval(h, box, prec: int):
    """Enclosure of h(t) for t in the mpmath interval `box`."""
    with ivprec(prec):
        acc = iv.mpf(0)
        for c in h.to_dense():
            r = QQ.to_sympy(c)
            acc = acc * box + iv.mpf(r.p) / r.q
        return acc


def charpoly_mod(rows, r):
    """det(tI - A) for A over Q[t]/(r), highest coefficient first (Faddeev-LeVerrier:
    M_1 = I, c_{n-k} = -tr(A M_k)/k, M_{k+1} = A M_k + c_{n-k} I), reducing mod r throughout."""
    n = len(rows)
    if n == 1:
        return [RING.one, -rows[0][0]]
    if n == 2:
        (a, b), (c, d) = rows
        return [RING.one, -(a + d), (a * d - b * c) % r]
    if n == 3:
        (a, b, c), (d, e, f), (g, h, i) = rows
        ei, fh = (e * i) % r, (f * h) % r
        minors = (ei - fh) + (a * e - b * d) % r + (a * i - c * g) % r
        det = (a * (ei - fh) - b * ((d * i - f * g) % r) + c * ((d * h - e * g) % r)) % r
        return [RING.one, -(a + e + i), minors % r, -det]
    M = [[RING.one if i == j else RING.zero for j in range(n)] for i in range(n)]
    coeffs = [RING.one]
    for k in range(1, n + 1):
        check()
        AM = [[sum((rows[i][l] * M[l][j] for l in range(n)), RING.zero) % r for j in range(n)]
              for i in range(n)]
        c = (sum((AM[i][i] for i in range(n)), RING.zero) * RING(QQ(-1, k))) % r
        coeffs.append(c)
        M = [[AM[i][j] + (c if i == j else RING.zero) for j in range(n)] for i in range(n)]
    return coeffs


def _mpf_to_rational(x) -> sp.Rational:
    """The exact binary value of an mpmath mpf."""
    sign, man, exp, _ = x._mpf_
    man = -int(man) if sign else int(man)
    return sp.Rational(man * 2 ** exp) if exp >= 0 else sp.Rational(man, 2 ** (-exp))


def _eval_rational(h, t0):
    acc = QQ(0)
    for c in h.to_dense():
        acc = acc * t0 + c
    return acc


_minpoly_cache: dict = {}


def _minimal_polynomial(h, r, hint=None):
    """(m, real-root isolating intervals of m, m as a primitive integer PurePoly), cached: all
    roots of r share the same h, hence the same minimal polynomial."""
    key = (tuple(h.to_dense()), tuple(r.to_dense()))
    if key not in _minpoly_cache:
        if h.degree() == 1:
            m = _minimal_polynomial_linear(h, r)
        elif hint is not None and hint.degree() == r.degree():
            # the caller knows hint(h) = 0 (an eliminant: hint(x_i) lies in the ideal, by
            # Cayley-Hamilton) and that h takes deg r distinct values on r's roots: minimal
            m = sp.Poly([QQ.to_sympy(c) for c in hint.monic().to_dense()], sp.Symbol("x"),
                        domain=sp.QQ)
        else:
            m = _minimal_polynomial_raw(h, r)
        roots = [ab for ab, _ in m.intervals()] if m.degree() > 1 else []
        _, prim = m.clear_denoms(convert=True)
        prim = prim.primitive()[1]
        if prim.LC() < 0:
            prim = -prim
        _minpoly_cache[key] = (m, roots, sp.PurePoly(prim.as_expr(), prim.gen))
    return _minpoly_cache[key]


def _minimal_polynomial_linear(h, r) -> sp.Poly:
    """h = a t + b: the minimal polynomial of a t0 + b is r((X - b)/a), made monic."""
    X = sp.Symbol("x")
    dense = h.to_dense()
    a, b = QQ.to_sympy(dense[0]), QQ.to_sympy(dense[1])
    rx = sp.Poly(r.as_expr().subs(TGEN.as_expr(), (X - b) / a), X, domain=sp.QQ)
    return rx.monic()


def _minimal_polynomial_raw(h, r) -> sp.Poly:
    """Minimal polynomial of h(t0) over Q: the first linear dependency among 1, h, h^2, ...
    in Q[t]/(r) (coordinates in the basis 1, t, ..., t^(d-1)), found by one exact rref."""
    d = r.degree()
    cols, power = [], RING.one
    for _ in range(d + 1):
        dense = list(reversed(power.to_dense())) if power != 0 else []
        cols.append(dense + [QQ(0)] * (d - len(dense)))
        power = (power * h) % r
    rows = [[cols[j][i] for j in range(d + 1)] for i in range(d)]
    rref, pivots = DomainMatrix(rows, (d, d + 1), QQ).rref()
    k = next(j for j in range(d + 1) if j >= len(pivots) or pivots[j] != j)
    coeffs = [-rref[i, k].element for i in range(k)]          # h^k = sum coeffs_i h^i
    X = sp.Symbol("x")
    return sp.Poly([QQ(1)] + [QQ.to_sympy(c) for c in reversed(coeffs)], X, domain=sp.QQ)


_ring_cache: dict = {}
_poly_cache: dict = {}


def _ring_poly(expr, variables):
    """expr as an element of Q[x_1..x_n] (sympy.polys.rings), cached."""
    pkey = (expr, tuple(variables))
    if pkey not in _poly_cache:
        if len(_poly_cache) > 4096:
            _poly_cache.clear()
        _poly_cache[pkey] = _ring_poly_raw(expr, variables)
    return _poly_cache[pkey]


def _ring(variables):
    key = tuple(variables)
    if key not in _ring_cache:
        _ring_cache[key] = sp.polys.rings.ring(list(variables), QQ, sp.polys.orderings.grevlex)[0]
    return _ring_cache[key]


def _ring_poly_raw(expr, variables):
    key = tuple(variables)
    if key not in _ring_cache:
        _ring_cache[key] = sp.polys.rings.ring(list(variables), QQ, sp.polys.orderings.grevlex)[0]
    R = _ring_cache[key]
    return R(sp.Poly(expr, *variables, domain=sp.QQ).as_expr()) if expr.free_symbols else R(QQ.convert(sp.Rational(expr)))
