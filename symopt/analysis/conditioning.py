"""Condition numbers and the largest stable gradient-descent step.

* Symmetric matrices (Hessians): eq. 4.2, kappa = max_{i,j} |lambda_i / lambda_j|, which for a
  symmetric matrix equals the 2-norm condition number. Exact when the eigenvalues are cheap
  (rational entries, up to 4x4 under a time budget), numeric (float) otherwise.
* General square matrices: the 2-norm condition number sigma_max / sigma_min with singular values
  sigma = sqrt(eig(A' A)) (exact for small rational matrices, numeric otherwise). Eq. 4.2's
  eigenvalue ratio can differ from it for non-normal matrices; the docstring of the result says
  which one was computed.
* A singular matrix has condition number infinity (sympy.oo exact, float('inf') numeric; a float
  matrix counts as singular when sigma_min <= n * machine-eps * sigma_max).

`learning_rate_bound(H)` = 2 / lambda_max: gradient descent x <- x - eps H x on the quadratic
with Hessian H converges iff 0 < eps < 2/lambda_max (the lecture's analysis of ill-conditioned
curvature); near a minimum the error shrinks per step by at best (kappa - 1)/(kappa + 1).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symopt.budget import budget
from symopt.errors import BudgetExceeded, DimensionError

EXACT_MAX_SIZE = 4


def _as_matrix(A):
    if isinstance(A, np.ndarray):
        if A.ndim != 2 or A.shape[0] != A.shape[1]:
            raise DimensionError(f"a condition number needs a square matrix, got shape {A.shape}")
        return A
    M = sp.ImmutableMatrix(A)
    if M.rows != M.cols:
        raise DimensionError(f"a condition number needs a square matrix, got {M.rows}x{M.cols}")
    return M


def _exact_eigenvalues(M, seconds):
    """Exact eigenvalues (with multiplicity) of a small rational matrix, or None."""
    if M.rows > EXACT_MAX_SIZE or not all(e.is_Rational for e in M):
        return None
    try:
        with budget("exact eigenvalues", seconds):
            vals = M.eigenvals(multiple=True)
            if any(isinstance(v, sp.CRootOf) for v in vals):
                return None
            return [sp.radsimp(v) for v in vals]
    except (BudgetExceeded, NotImplementedError):
        return None


def _ratio(values):
    mags = [abs(v) for v in values]
    lo = min(mags, key=lambda v: float(v))
    hi = max(mags, key=lambda v: float(v))
    return lo, hi


def condition_number(A, seconds: float = 2.0):
    """Condition number of a square matrix (see the module docstring for which one).

    Symmetric: max|lambda|/min|lambda| (eq. 4.2); otherwise sigma_max/sigma_min. Exact SymPy
    number when cheap, else a float; infinity when singular."""
    M = _as_matrix(A)
    if isinstance(M, np.ndarray):
        M = M.astype(float)
        s = np.linalg.svd(M, compute_uv=False)
        # below n * machine-eps relative to sigma_max the matrix is singular to working precision
        if s[-1] <= max(M.shape) * np.finfo(float).eps * s[0]:
            return float("inf")
        return float(s[0] / s[-1])
    if M.rows == 0:
        raise DimensionError("a condition number needs a nonempty matrix")
    symmetric = M == M.T
    if all(e.is_Rational for e in M):
        if M.det() == 0:
            return sp.oo
        vals = _exact_eigenvalues(M if symmetric else M.T * M, seconds)
        if vals is not None:
            lo, hi = _ratio(vals)
            kappa = _tidy(sp.radsimp(hi / lo), seconds)
            return kappa if symmetric else sp.sqrt(kappa)
    try:
        N = np.array(M.evalf(30).tolist(), dtype=float)
    except TypeError:
        raise DimensionError("condition_number needs a matrix of numbers, not symbols") from None
    return condition_number(N)


def _tidy(value, seconds):
    """The shorter of value and its expansion ((sqrt(5) + 5)**2/20 -> sqrt(5)/2 + 3/2)."""
    from symopt.budget import budget
    from symopt.errors import BudgetExceeded
    try:
        with budget("tidying a condition number", min(seconds, 1.0)):
            expanded = sp.expand(value)
    except BudgetExceeded:
        return value
    return expanded if sp.count_ops(expanded) <= sp.count_ops(value) else value


def learning_rate_bound(H, seconds: float = 2.0):
    """2 / lambda_max for a symmetric H with lambda_max > 0 (largest stable gradient-descent
    step); None when H has no positive eigenvalue."""
    M = _as_matrix(H)
    if isinstance(M, np.ndarray):
        lam = float(np.linalg.eigvalsh(M.astype(float)).max())
        return 2.0 / lam if lam > 0 else None
    vals = _exact_eigenvalues(M, seconds)
    if vals is not None:
        lam = max(vals, key=lambda v: float(v))
        return sp.radsimp(2 / lam) if lam.is_positive else None
    lam = float(np.linalg.eigvalsh(np.array(M.evalf(30).tolist(), dtype=float)).max())
    return 2.0 / lam if lam > 0 else None


def spectral_figures(eigenvalues, at_minimum: bool):
    """(kappa, 2/lambda_max, (kappa - 1)/(kappa + 1)) from a Hessian's eigenvalues: the condition
    number of eq. 4.2, the largest stable gradient-descent step and GD's best per-step error
    factor near a minimum. kappa is None when an eigenvalue is zero; the two step figures are
    given at a minimum only. Works for exact SymPy values, floats and mpmath numbers alike."""
    if not eigenvalues:
        return None, None, None
    mags = [abs(v) for v in eigenvalues]
    lo, hi = min(mags, key=float), max(mags, key=float)
    if lo == 0:
        return None, None, None
    kappa = hi / lo
    if not at_minimum:
        return kappa, None, None
    lam_max = max(eigenvalues, key=float)
    return kappa, 2 / lam_max, (kappa - 1) / (kappa + 1)

