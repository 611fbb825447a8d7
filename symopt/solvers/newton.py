"""Newton's method: the chapter's eq. 4.12 verbatim, and the globalized form users expect.

Pure Newton jumps to the critical point of the second-order Taylor model,
    x' = x - H(x)^{-1} grad f(x)                                         (eq. 4.12),
which is the minimum in one step for a positive definite quadratic, and is attracted to ANY
nearby critical point, saddles included (chapter 4.3: "Newton's method is only appropriate when
the nearby critical point is a minimum").

Globalized Newton keeps the Newton direction where H is positive definite (a Cholesky
factorization succeeds) and otherwise replaces H = Q diag(lambda) Q' by
Q diag(max(|lambda|, delta)) Q' before solving, so d is a descent direction that moves AWAY from
saddles along negative curvature; a strong Wolfe line search (first trial alpha = 1, longer steps
allowed when the slope is still steep) then makes every step decrease f.
"""

from __future__ import annotations

import numpy as np

from symopt.solvers.base import State
from symopt.solvers.descent import StepFailed
from symopt.solvers.objective import NonFinite

_EPS = np.finfo(float).eps

try:  # scipy is optional at run time: triangular solves when present, a plain solve otherwise
    from scipy.linalg import solve_triangular as _solve_triangular
except ImportError:  # pragma: no cover
    _solve_triangular = None


def _cholesky_solve(factor: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve L L' d = rhs given the lower Cholesky factor L."""
    if _solve_triangular is None:
        return np.linalg.solve(factor @ factor.T, rhs)
    y = _solve_triangular(factor, rhs, lower=True, check_finite=False)
    return _solve_triangular(factor.T, y, lower=False, check_finite=False)


def _is_positive_definite(h: np.ndarray):
    try:
        return np.linalg.cholesky(h)
    except np.linalg.LinAlgError:
        return None


class PureNewtonDirection:
    """d = -H^{-1} g, no safeguard (use with a unit step: eq. 4.12)."""

    def init(self, x, f, g, objective):
        return None

    def propose(self, state: State, objective):
        h = objective.hessian(state.x)
        flags = frozenset() if _is_positive_definite(h) is not None else frozenset({"hessian-not-pd"})
        try:
            d = np.linalg.solve(h, -state.g)
        except np.linalg.LinAlgError:
            raise StepFailed(f"the Hessian is singular at iterate {state.k}: eq. 4.12 is undefined")
        if not np.isfinite(d).all() or np.linalg.norm(d) > 1e150:
            raise StepFailed(f"the Hessian is numerically singular at iterate {state.k}")
        return d, 1.0, None, flags

    def update(self, memory, old: State, new: State):
        return None

    def on_failure(self, memory):
        return memory, False


class ModifiedNewtonDirection:
    """Newton direction on a positive definite modification of the Hessian.

    Cholesky first (the common, cheap case); on failure an eigendecomposition with every
    eigenvalue replaced by max(|lambda|, delta), delta = sqrt(eps) * max(1, |lambda|_max),
    flagged "hessian-modified" (and "negative-curvature" when some lambda < 0)."""

    def init(self, x, f, g, objective):
        return None

    def propose(self, state: State, objective):
        h = objective.hessian(state.x)
        factor = _is_positive_definite(h)
        if factor is not None:
            d = _cholesky_solve(factor, -state.g)
            if np.isfinite(d).all() and float(d @ state.g) < 0:
                return d, 1.0, None, frozenset()
        lam, q = np.linalg.eigh(h)
        delta = np.sqrt(_EPS) * max(1.0, float(np.max(np.abs(lam))))
        flags = {"hessian-modified"}
        if lam.min() < -delta:
            flags.add("negative-curvature")
        modified = np.maximum(np.abs(lam), delta)
        d = -(q @ ((q.T @ state.g) / modified))
        return d, 1.0, None, frozenset(flags)

    def update(self, memory, old: State, new: State):
        return None

    def on_failure(self, memory):
        return memory, False

    def escape(self, state: State, objective) -> State | None:
        """At a point with ||g|| <= tol: None if the Hessian shows no clearly negative
        eigenvalue; else a step along the eigenvector u of lambda_min < 0, where
        f(x + a u) = f(x) + a g'u + a^2 lambda_min / 2 + ... decreases (second-order descent),
        so the globalized method never stops at a saddle the Hessian reveals."""
        h = objective.hessian(state.x)
        lam, q = np.linalg.eigh(h)
        margin = np.sqrt(_EPS) * max(1.0, float(np.max(np.abs(lam))))
        if lam[0] >= -margin:
            return None
        u = q[:, 0] if float(q[:, 0] @ state.g) <= 0 else -q[:, 0]
        alpha = 1.0
        for _ in range(60):
            x_new = state.x + alpha * u
            try:
                f_new = objective.value(x_new)
            except NonFinite:
                f_new = np.inf
            if f_new <= state.f + 0.25 * alpha * alpha * lam[0]:  # a fraction of the model decrease
                return State(x_new, f_new, objective.gradient(x_new), state.k + 1, None, alpha,
                             frozenset({"saddle-escape"}))
            alpha *= 0.5
        return None
