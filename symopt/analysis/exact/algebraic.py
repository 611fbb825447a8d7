"""Exact real algebraic points: x = (p_1(t0), ..., p_n(t0)) with t0 a real root of an
irreducible r in Q[t], isolated in a rational interval.

Arithmetic happens in the number field Q[t]/(r): a rational function of x is mapped to one
polynomial of degree < deg r, which is zero iff it vanishes at the point (r is irreducible).
Nonzero signs are decided by refining t0's isolating interval and evaluating in outward-rounded
interval arithmetic (mpmath.iv) until the enclosure excludes 0, which must happen. No floats
decide anything.
"""

from __future__ import annotations

import mpmath
import sympy as sp
from sympy.polys.domains import QQ

from symopt.budget import check
from symopt.analysis.exact.inertia import Inertia, inertia_from_charpoly_signs
from symopt.analysis.exact.intervals import ivprec
from symopt.analysis.exact.numberfield import (RING, _eval_rational, _minimal_polynomial,
                                         _mpf_to_rational, _ring, _ring_poly, charpoly_mod,
                                         horner_interval, iv, to_sympy_poly)

class AlgebraicPoint:
    """A real point of the variety, living in Q[t]/(r) (internal; not a result object)."""

    def __init__(self, r, lo, hi, coords, variables, index: int, multiplicity: int = 1,
                 shared: dict | None = None):
        self.r = r                      # irreducible PolyElement in RING
        self.r_poly = to_sympy_poly(r)
        self.lo, self.hi = sp.Rational(lo), sp.Rational(hi)
        self.coords = tuple(c % r for c in coords)
        self.variables = tuple(variables)
        self.index = index              # position of t0 among r's real roots (increasing)
        self.multiplicity = multiplicity
        # everything below depends on r and the coordinates only, not on which root t0 is:
        # points from the same factor share it
        self.shared = {} if shared is None else shared
        self._powers = self.shared.setdefault("powers", {})
        self._elements = self.shared.setdefault("elements", {})

    # -- the field ----------------------------------------------------------------------------
    @property
    def degree(self) -> int:
        return self.r.degree()

    def _pow(self, i: int, e: int):
        key = (i, e)
        if key not in self._powers:
            self._powers[key] = RING.one if e == 0 else (self._pow(i, e - 1) * self.coords[i]) % self.r
        return self._powers[key]

    def evaluate_poly(self, poly):
        """A ring element of Q[x_1..x_n] (sympy.polys.rings) evaluated at the point, mod r."""
        acc = RING.zero
        for monom, coeff in poly.terms():
            term = RING(coeff)
            for i, e in enumerate(monom):
                if e:
                    term = (term * self._pow(i, e)) % self.r
            acc += term
        return acc % self.r

    def element(self, expr):
        """A rational function of the variables, as an element of Q[t]/(r).
        Raises ZeroDivisionError when its denominator vanishes at the point."""
        expr = sp.sympify(expr, strict=True)
        if expr not in self._elements:
            self._elements[expr] = self._element(expr)
        return self._elements[expr]

    def _element(self, expr):
        try:  # fast path: a polynomial
            return self.evaluate_poly(_ring(self.variables).from_expr(expr))
        except (ValueError, TypeError, sp.CoercionFailed):
            pass
        num, den = sp.fraction(sp.together(sp.sympify(expr, strict=True)))
        n = self.evaluate_poly(_ring_poly(num, self.variables))
        d = self.evaluate_poly(_ring_poly(den, self.variables))
        if d == 0:
            raise ZeroDivisionError("denominator vanishes at the point")
        if d.degree() <= 0:
            return n * RING(QQ(1) / d.LC) if d != RING.one else n
        s, _, g = d.gcdex(self.r)      # s d = g mod r, and g = 1 since r is irreducible
        return (n * s * RING(QQ(1) / g.LC)) % self.r

    # -- signs --------------------------------------------------------------------------------
    def refine(self, prec: int) -> None:
        """Shrink t0's isolating interval to about 2^-max(prec, 256) relative width: Newton's
        method in mpmath proposes [a, b] inside [lo, hi]; it is accepted only when r changes
        sign on it (exact rational evaluation), so the unique root stays inside."""
        if self.degree <= 1:
            return
        bits = max(prec, 256)
        proposal = self._newton_interval(bits)
        if proposal is not None:
            self.lo, self.hi = proposal
            return
        scale = max(abs(self.lo), abs(self.hi), 1)
        eps = min((self.hi - self.lo) / 2 ** 16, scale / sp.Integer(2) ** bits)
        self.lo, self.hi = self.r_poly.refine_root(self.lo, self.hi, eps=eps)

    def _newton_interval(self, bits: int):
        from fractions import Fraction
        coeffs = [Fraction(int(c.numerator), int(c.denominator)) for c in self.r.to_dense()]
        with mpmath.workprec(bits + 64):
            mp_coeffs = [mpmath.mpf(c.numerator) / c.denominator for c in coeffs]
            lo = mpmath.mpf(self.lo.p) / self.lo.q
            hi = mpmath.mpf(self.hi.p) / self.hi.q
            x = (lo + hi) / 2
            tol = mpmath.mpf(2) ** (-bits) * max(1, abs(x))
            for _ in range(200):
                fx, dfx = mpmath.polyval(mp_coeffs, x, derivative=True)
                if dfx == 0:
                    return None
                step = fx / dfx
                x -= step
                if not lo <= x <= hi:
                    return None
                if abs(step) < tol:
                    break
            else:
                return None
            a, b = x - tol, x + tol
            a, b = _mpf_to_rational(a), _mpf_to_rational(b)
        if a < self.lo or b > self.hi:
            return None

        def value(q):
            q = Fraction(int(q.p), int(q.q))
            acc = Fraction(0)
            for c in coeffs:
                acc = acc * q + c
            return acc
        va, vb = value(a), value(b)
        if va == 0 or vb == 0 or (va > 0) == (vb > 0):
            return None
        return a, b

    def t_interval(self, prec: int):
        with ivprec(prec):
            a = iv.mpf(self.lo.p) / self.lo.q
            b = iv.mpf(self.hi.p) / self.hi.q
            return iv.mpf([a.a, b.b])

    def sign_element(self, h, max_rounds: int = 60) -> int | None:
        h = h % self.r
        if h == 0:
            return 0
        if h.degree() <= 0:
            return 1 if h.LC > 0 else -1
        if self.degree == 1:  # t0 is rational: exact evaluation
            v = _eval_rational(h, self.rational_t())
            return (v > 0) - (v < 0)
        prec = 64
        for _ in range(max_rounds):
            check()
            box = horner_interval(h, self.t_interval(prec), prec)
            if box.a > 0:
                return 1
            if box.b < 0:
                return -1
            self.refine(prec)
            prec = min(prec * 2, 4096)
        return None

    def rational_t(self):
        c1, c0 = self.r.to_dense() if len(self.r.to_dense()) == 2 else (self.r.LC, QQ(0))
        return -c0 / c1

    def sign(self, expr) -> int | None:
        return self.sign_element(self.element(expr))

    def sign_ring(self, poly) -> int | None:
        """Sign at the point of a polynomial given as a ring element over these variables."""
        return self.sign_element(self.evaluate_poly(poly))

    def approx_element(self, h, dps: int = 30):
        """mpmath value of h(t0) (for display only)."""
        prec = int(dps * 3.33) + 20
        while True:
            check()
            box = horner_interval(h % self.r, self.t_interval(prec), prec)
            with mpmath.workprec(prec):
                a, b = mpmath.mpf(box.a), mpmath.mpf(box.b)
                if self.degree <= 1 or b - a <= mpmath.mpf(10) ** (-dps) * max(1, abs(a)):
                    return (a + b) / 2
            # refine t0 only when its own interval is the bottleneck, not the working precision
            width = (self.hi - self.lo) / max(abs(self.lo), abs(self.hi), 1)
            if width > sp.Integer(2) ** (-prec):
                self.refine(prec)
            prec = min(2 * prec, 8192)

    def inertia(self, hessian) -> Inertia | None:
        """Exact inertia of the Hessian at the point: det(tI - H) over Q[t]/(r), signs exact."""
        key = ("charpoly", hessian)
        if key not in self.shared:
            n = hessian.rows
            rows = [[self.element(hessian[i, j]) for j in range(n)] for i in range(n)]
            self.shared[key] = charpoly_mod(rows, self.r)
        coeffs = self.shared[key]
        signs = [self.sign_element(c) for c in coeffs]
        if any(s is None for s in signs):
            return None
        return inertia_from_charpoly_signs(signs)

    # -- exact display --------------------------------------------------------------------------
    def exact_value(self, h, max_minpoly_degree: int | None = None, minpoly_hint=None):
        """h(t0) as a closed SymPy number: rational, radical (degree 2), else CRootOf of its
        minimal polynomial, the root picked by interval isolation. Above max_minpoly_degree,
        the cheaper exact form h(theta) with theta = CRootOf(r, index)."""
        h = h % self.r
        if h.degree() <= 0:
            return QQ.to_sympy(h.LC) if h != 0 else sp.Integer(0)
        if max_minpoly_degree is not None and self.degree > max_minpoly_degree:
            theta = self.theta()
            return sum((QQ.to_sympy(c) * theta ** k
                        for k, c in enumerate(reversed(h.to_dense())) if c), sp.Integer(0))
        m, roots0, pure = _minimal_polynomial(h, self.r, minpoly_hint)
        if m.degree() == 1:
            c1, c0 = m.all_coeffs()
            return -c0 / c1
        roots = [list(ab) for ab in roots0]
        candidates = list(range(len(roots)))
        prec = 64
        while len(candidates) > 1:
            check()
            box = horner_interval(h, self.t_interval(prec), prec)
            candidates = [k for k in candidates
                          if not (box.b < roots[k][0] or box.a > roots[k][1])]
            if len(candidates) > 1:
                self.refine(prec)
                prec = min(prec * 2, 4096)
                for k in candidates:
                    a, b = roots[k]
                    roots[k] = list(m.refine_root(a, b, eps=(b - a) / 2 ** 16))
        if not candidates:
            raise ArithmeticError("lost the root while isolating it")
        k = candidates[0]
        if m.degree() == 2:
            _, a1, a0 = m.all_coeffs()
            disc = sp.sqrt(a1 ** 2 - 4 * a0)
            # m is monic, so the root with -disc is the smaller one
            return sp.radsimp([(-a1 - disc) / 2, (-a1 + disc) / 2][k])
        # m is irreducible: build the CRootOf directly instead of re-factoring m
        return sp.CRootOf._new(pure, k)

    def theta(self):
        """t0 itself as a CRootOf of r (r irreducible: no re-factoring)."""
        if "theta_poly" not in self.shared:
            _, prim = self.r_poly.clear_denoms(convert=True)
            prim = prim.primitive()[1]
            x = sp.Symbol("x")  # the printed name of the polynomial's variable
            self.shared["theta_poly"] = sp.PurePoly(prim.as_expr().subs(prim.gen, x), x)
        if self.degree == 1:
            return self.rational_t_sympy()
        return sp.CRootOf._new(self.shared["theta_poly"], self.index)

    def rational_t_sympy(self):
        c1, c0 = self.r_poly.all_coeffs()
        return -c0 / c1

    def exact_point(self) -> dict:
        known = self.shared.get("coordinate_minpolys", {})
        return {v: self.exact_value(c, minpoly_hint=known.get(i))
                for i, (v, c) in enumerate(zip(self.variables, self.coords))}


class AlgebraicField:
    """Adapter giving an AlgebraicPoint the interface `classify.classify_exact` expects."""

    def __init__(self, point: AlgebraicPoint, exact_point: dict | None = None):
        self.alg = point
        self.variables = point.variables
        self._exact = exact_point

    def exact_point(self) -> dict:
        if self._exact is None:
            self._exact = self.alg.exact_point()
        return self._exact

    @property
    def point(self) -> dict:
        return self.exact_point()

    def inertia(self, hessian):
        return self.alg.inertia(hessian)

    def sign(self, expr):
        return self.alg.sign(expr)

    def sign_ring(self, poly):
        return self.alg.sign_ring(poly)

    def value(self, f):
        try:
            return self.alg.exact_value(self.alg.element(f), max_minpoly_degree=8)
        except (ValueError, TypeError, sp.CoercionFailed, sp.PolynomialError):
            # f has constants outside Q (e, pi, ...): substitute the exact coordinates
            return f.xreplace(self.exact_point())

    def exact_hessian(self, hessian):
        if self.alg.degree != 1:
            return None
        H = hessian.xreplace(self.exact_point())
        return H if all(e.is_Rational for e in H) else None

    def numeric_hessian(self, hessian, dps):
        with mpmath.workdps(dps):
            return mpmath.matrix([[self.alg.approx_element(self.alg.element(hessian[i, j]), dps)
                                   for j in range(hessian.cols)] for i in range(hessian.rows)])
