"""Curvature diagnostics of a finished run, from numpy's eigvalsh: APPROXIMATE floats.

For a quadratic J = 1/2 theta'A theta, constant-step gradient descent multiplies the error along
the eigenvector of lambda_i by (1 - alpha lambda_i) each step (lecture, "Learning Rate"): it
decays iff 0 < alpha lambda_i < 2, so the step must stay below 2/lambda_max, and the
condition number lambda_max/lambda_min (chapter eq. 4.2) governs the speed. Near a minimum the
Hessian plays the role of A.
"""

from __future__ import annotations

import numpy as np

from symopt.solvers.base import Diagnostics, Status

_MAX_N = 2000  # no dense eigendecomposition beyond this size

_NOTES = {
    "hessian-modified": ("the Hessian was not positive definite at {n} iterate(s); its eigenvalues "
                         "were replaced by max(|lambda|, delta) so that each step descends "
                         "(plain Newton, eq. 4.12, is attracted to saddle points)"),
    "hessian-not-pd": ("the Hessian was not positive definite at {n} iterate(s): there eq. 4.12 "
                       "jumps toward the Taylor model's saddle or maximum (Newton is attracted "
                       "to saddle points)"),
    "exact-step-undefined": ("g'Hg <= 0 at {n} iterate(s): eq. 4.10 has no positive step there; "
                             "an Armijo backtracking step was used instead"),
    "saddle-escape": ("||grad|| <= tol at {n} point(s) where the Hessian had a negative eigenvalue "
                      "(saddles): the method stepped off along negative curvature instead of stopping"),
    "line-search-failed": "the line search failed at {n} iterate(s)",
    "bfgs-reset": "the BFGS matrix was reset to the identity {n} time(s)",
}


def _eigenvalues(objective, x) -> np.ndarray | None:
    """Hessian eigenvalues at x, not counted in nhev (diagnostic only)."""
    if not objective.has_hessian or len(x) > _MAX_N:
        return None
    try:
        h = np.asarray(objective.inner.hessian(x), dtype=float).reshape(len(x), len(x))
    except Exception:  # noqa: BLE001 - a diagnostic must never spoil a finished run
        return None
    if not np.isfinite(h).all():
        return None
    return np.linalg.eigvalsh(0.5 * (h + h.T))


def _stable(alpha: float, lam: np.ndarray | None) -> bool | None:
    if lam is None:
        return None
    return bool(np.all((alpha * lam > 0) & (alpha * lam < 2)))


def curvature_diagnostics(method, objective, start, end, counts, status):
    """(Diagnostics, note) where note says when a converged x is not a minimum, else None."""
    lam = _eigenvalues(objective, end.x)
    notes = [template.format(n=counts[flag]) for flag, template in _NOTES.items() if counts.get(flag)]
    condition = bound = None
    not_minimum = None
    if lam is not None:
        lam_min, lam_max = float(lam[0]), float(lam[-1])
        if lam_min > 0:
            condition = lam_max / lam_min
        if lam_max > 0:
            bound = 2.0 / lam_max
        # a sign is only trusted outside a rounding margin relative to the Hessian's scale
        margin = np.sqrt(np.finfo(float).eps) * max(1.0, float(np.max(np.abs(lam))))
        if status is Status.CONVERGED and lam_min < -margin:
            not_minimum = ("x is a saddle point, not a minimum (Hessian eigenvalues of both signs, "
                           "approximate)" if lam_max > margin else
                           "x is not a minimum: the Hessian has only negative or zero eigenvalues "
                           "(approximate); a local maximum or a degenerate point")
    alpha = getattr(method, "constant_step", None)
    stable_end = stable_start = None
    if alpha is not None:
        lam_start = _eigenvalues(objective, start.x)
        stable_end = _stable(alpha, lam)
        stable_start = _stable(alpha, lam_start)
        if stable_start is False or stable_end is False:
            where = " and ".join(w for w, s in (("start", stable_start), ("end", stable_end)) if s is False)
            bounds = [f"{w} {2.0 / float(v[-1]):.3g}" for w, v in (("start", lam_start), ("end", lam))
                      if v is not None and v[-1] > 0]
            shown = f" (2/lambda_max: {', '.join(bounds)})" if bounds else ""
            notes.append(f"the constant step lr = {alpha:g} violates 0 < lr*lambda < 2 for some "
                         f"Hessian eigenvalue at the {where}{shown}; the lecture's analysis: unstable "
                         "beyond 2/lambda_max, and no decay where lambda <= 0")
    if stable_end and lam is not None and np.any(alpha * lam > 1):
        notes.append("lr*lambda lies in (1, 2) for some Hessian eigenvalue at the end: the iterates "
                     "oscillate (zig-zag) along its eigenvector while they converge")
    if getattr(method, "name", "") == "gd-exact":
        notes.append("eps* = g'g/g'Hg (eq. 4.10) minimizes the second-order Taylor model along "
                     "-g: the exact line minimizer for a quadratic, the model's step otherwise")
    diagnostics = Diagnostics(
        eigenvalues=None if lam is None else tuple(float(v) for v in lam),
        condition_number=condition, step_bound=bound, step_stable=stable_end,
        step_stable_at_start=stable_start, counts=dict(counts), notes=tuple(notes))
    return diagnostics, not_minimum
