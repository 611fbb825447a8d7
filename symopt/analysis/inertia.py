"""Exact inertia of a symmetric matrix: how many eigenvalues are positive, negative, zero.

No radicals are needed. For a real symmetric H every root of p(t) = det(t I - H) is real, so
Descartes' rule of signs is exact: the sign changes of p's coefficients count the positive
eigenvalues, those of p(-t) the negative ones, and the lowest nonzero coefficient's index is the
multiplicity of t = 0. This is the second-derivative test of section 4.3.1 done exactly: the
Hessian is positive definite iff all n eigenvalues are positive.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from symopt.analysis.intervals import exact_sign
from symopt.errors import DimensionError


@dataclass(frozen=True)
class Inertia:
    positive: int
    negative: int
    zero: int

    @property
    def definite(self) -> str | None:
        n = self.positive + self.negative + self.zero
        if self.positive == n:
            return "positive"
        if self.negative == n:
            return "negative"
        return None


def _sign_changes(signs) -> int:
    nonzero = [s for s in signs if s != 0]
    return sum(1 for a, b in zip(nonzero, nonzero[1:]) if a != b)


def inertia_from_charpoly_signs(signs) -> Inertia:
    """Inertia from the exact signs of det(tI - H)'s coefficients, highest degree first.

    Valid because the characteristic polynomial of a real symmetric matrix is real-rooted."""
    signs = list(signs)
    if any(s is None for s in signs):
        raise ValueError("undecided coefficient sign")
    n = len(signs) - 1
    zero = 0
    while zero < n and signs[n - zero] == 0:
        zero += 1
    positive = _sign_changes(signs)
    # p(-t): the coefficient of t^k is multiplied by (-1)^k
    negative = _sign_changes([s * (-1) ** (n - i) for i, s in enumerate(signs)])
    if positive + negative + zero != n:
        raise ArithmeticError("Descartes counts do not add up: the matrix is not symmetric real")
    return Inertia(positive, negative, zero)


def _check_square(H):
    if H.rows != H.cols:
        raise DimensionError(f"inertia needs a square matrix, got {H.rows}x{H.cols}")


def rational_charpoly(H) -> list:
    """Coefficients (highest first) of det(tI - H) for a rational matrix, via DomainMatrix."""
    rows = [[QQ.convert(sp.Rational(H[i, j])) for j in range(H.cols)] for i in range(H.rows)]
    return DomainMatrix(rows, (H.rows, H.cols), QQ).charpoly()


def rational_inertia(H) -> Inertia:
    """Exact inertia of a symmetric matrix with rational entries."""
    H = sp.ImmutableMatrix(H)
    _check_square(H)
    if H.rows == 0:
        return Inertia(0, 0, 0)
    coeffs = rational_charpoly(H)
    return inertia_from_charpoly_signs([(c > 0) - (c < 0) for c in coeffs])


def exact_inertia(H, seconds: float | None = 5.0) -> Inertia | None:
    """Exact inertia of a symmetric matrix with closed exact entries (rationals, radicals,
    CRootOf, ...). Signs of the characteristic polynomial's coefficients are decided by interval
    enclosures and exact zero tests; None when some sign cannot be decided."""
    H = sp.ImmutableMatrix(H)
    _check_square(H)
    if all(e.is_Rational for e in H):
        return rational_inertia(H)
    t = sp.Dummy("t")
    coeffs = sp.Matrix(H).charpoly(t).all_coeffs()
    signs = [exact_sign(c, seconds) for c in coeffs]
    if any(s is None for s in signs):
        return None
    return inertia_from_charpoly_signs(signs)
