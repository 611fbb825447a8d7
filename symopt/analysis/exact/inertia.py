"""Exact inertia of a symmetric matrix: how many eigenvalues are positive, negative, zero.

No radicals are needed. For a real symmetric H every root of p(t) = det(t I - H) is real, so
Descartes' rule of signs is exact: the sign changes of p's coefficients count the positive
eigenvalues, those of p(-t) the negative ones, and the lowest nonzero coefficient's index is the
multiplicity of t = 0. Rational matrices take a faster road: symmetric elimination (LDL') with
exact Fractions and Sylvester's law of inertia. This is the second-derivative test of section 4.3.1 done exactly: the
Hessian is positive definite iff all n eigenvalues are positive.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

import sympy as sp
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix

from symopt.analysis.exact.signs import exact_sign
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
    """Exact inertia of a symmetric matrix with rational entries: scale to integers (a positive
    factor keeps the inertia), then fraction-free symmetric elimination."""
    if not isinstance(H, sp.MatrixBase):
        H = sp.ImmutableMatrix(H)
    _check_square(H)
    n = H.rows
    rep = getattr(H, "_rep", None)
    if rep is not None and rep.domain in (QQ, sp.ZZ):
        flat = [(int(e.numerator), int(e.denominator)) for e in rep.to_list_flat()]
    else:
        flat = [(int(sp.Rational(e).p), int(sp.Rational(e).q)) for e in H]
    lcm = math.lcm(*(q for _, q in flat)) if flat else 1
    ints = [p * (lcm // q) for p, q in flat]
    rows = [ints[i * n:(i + 1) * n] for i in range(n)]
    if any(rows[i][j] != rows[j][i] for i in range(n) for j in range(i)):
        raise DimensionError("inertia needs a symmetric matrix")
    return ldl_inertia(rows)


def ldl_inertia(A) -> Inertia:
    """Inertia of a symmetric integer matrix (list of lists; modified) by fraction-free
    symmetric elimination (Sylvester's law of inertia: congruence keeps the inertia).

    A nonzero diagonal pivot d contributes sign(d) and leaves the Schur complement scaled by d,
    i.e. with its inertia swapped when d < 0. When every remaining diagonal entry is 0 but some
    a_ij is not, the pivot block [[0, a], [a, 0]] contributes one positive and one negative
    eigenvalue (Schur complement scaled by a). Rows are divided by their common gcd to keep the
    integers small (a positive factor)."""
    active = list(range(len(A)))
    pos = neg = 0
    flipped = False
    while active:
        k = next((i for i in active if A[i][i] != 0), None)
        if k is not None:
            d = A[k][k]
            if (d > 0) != flipped:
                pos += 1
            else:
                neg += 1
            active.remove(k)
            row_k = A[k]
            for i in active:
                row_i, f = A[i], row_k[i]
                for j in active:
                    row_i[j] = d * row_i[j] - f * row_k[j]
            scale = d
        else:
            pair = next(((i, j) for i in active for j in active if i < j and A[i][j] != 0), None)
            if pair is None:
                break                     # the rest is the zero matrix
            i, j = pair
            a = A[i][j]
            pos, neg = pos + 1, neg + 1
            active = [r for r in active if r not in (i, j)]
            for r in active:
                ri, rj, row_r = A[r][i], A[r][j], A[r]
                for c in active:
                    row_r[c] = a * row_r[c] - (ri * A[j][c] + rj * A[i][c])
            scale = a
        if scale < 0:
            flipped = not flipped
        g = math.gcd(*(A[r][c] for r in active for c in active)) if active else 1
        if g > 1:
            for r in active:
                row = A[r]
                for c in active:
                    row[c] //= g
    return Inertia(pos, neg, len(A) - pos - neg)


def expression_charpoly(H) -> list:
    """det(tI - H) coefficients (highest first) for a matrix of closed expressions, by
    Faddeev-LeVerrier with plain expansion (no simplify: signs are decided afterwards)."""
    n = H.rows
    A = [[H[i, j] for j in range(n)] for i in range(n)]
    M = [[sp.Integer(1) if i == j else sp.Integer(0) for j in range(n)] for i in range(n)]
    coeffs = [sp.Integer(1)]
    for k in range(1, n + 1):
        AM = [[sp.expand(sum(A[i][l] * M[l][j] for l in range(n))) for j in range(n)]
              for i in range(n)]
        c = sp.expand(-sum(AM[i][i] for i in range(n)) / k)
        coeffs.append(c)
        M = [[AM[i][j] + (c if i == j else 0) for j in range(n)] for i in range(n)]
    return coeffs


def exact_inertia(H, seconds: float | None = 5.0) -> Inertia | None:
    """Exact inertia of a symmetric matrix with closed exact entries (rationals, radicals,
    CRootOf, ...). Signs of the characteristic polynomial's coefficients are decided by interval
    enclosures and exact zero tests; None when some sign cannot be decided."""
    H = sp.ImmutableMatrix(H)
    _check_square(H)
    if all(e.is_Rational for e in H):
        return rational_inertia(H)
    coeffs = expression_charpoly(H)
    signs = [exact_sign(c, seconds) for c in coeffs]
    if any(s is None for s in signs):
        return None
    return inertia_from_charpoly_signs(signs)
