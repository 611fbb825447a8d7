"""The one iteration loop that runs every method, and its stopping rules.

Stopping, checked before each step:
  converged       ||grad f(x)||_2 <= tol (Algorithm 4.1's test), unless the method can step off a
                  saddle there (globalized Newton, along negative curvature);
  max-iterations  k = max_iter;
and after each step:
  diverged        f or grad f not finite (the LAST FINITE iterate is returned), or
                  |f - f(x0)| > f_limit * max(1, |f(x0)|) (f exploding upward, or falling without
                  bound: "unbounded below");
  stalled         the step could not be taken (a failed line search, a singular Hessian in
                  eq. 4.12), or ||dx|| <= xtol (1 + ||x||) twice in a row, or
                  |df| <= ftol (1 + |f|) for `patience` steps in a row (ftol = 0 by default).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from symopt.errors import DomainError
from symopt.solvers.base import OptimizeResult, Path, State, Status, safe_norm
from symopt.solvers.descent import StepFailed
from symopt.solvers.diagnostics import curvature_diagnostics
from symopt.solvers.objective import Counted, NonFinite


class _PathRecorder:
    """Keeps at most ~2 * limit iterates by doubling the stride when full."""

    def __init__(self, limit: int):
        self.limit = max(2, int(limit))
        self.stride = 1
        self.k: list[int] = []
        self.x: list[np.ndarray] = []
        self.f: list[float] = []

    def add(self, state: State) -> None:
        if state.k % self.stride:
            return
        self.k.append(state.k)
        self.x.append(state.x)
        self.f.append(state.f)
        if len(self.k) >= 2 * self.limit:
            self.k, self.x, self.f = self.k[::2], self.x[::2], self.f[::2]
            self.stride *= 2

    def finish(self, last: State) -> Path:
        if not self.k or self.k[-1] != last.k:
            self.k.append(last.k)
            self.x.append(last.x)
            self.f.append(last.f)
        return Path(np.array(self.k), np.array(self.x), np.array(self.f), self.stride)


def _escape(method, state: State, objective) -> State | None:
    """Second-order methods may step off a saddle instead of stopping there."""
    escape = getattr(method, "escape", None)
    if escape is None:
        return None
    try:
        return escape(state, objective)
    except NonFinite:
        return None


def run(method, objective: Counted, x0: np.ndarray, *, tol: float, max_iter: int,
        xtol: float, ftol: float, patience: int, f_limit: float, max_path: int,
        options: dict | None = None, variables=None) -> OptimizeResult:
    """Run `method` from x0 until a stopping rule fires; never raises on divergence."""
    with np.errstate(all="ignore"):
        try:
            state = method.init(x0, objective)
        except NonFinite as exc:
            raise DomainError(f"the objective is not finite at the starting point ({exc})") from exc
        start = state
        f_bound = f_limit * max(1.0, abs(start.f))
        recorder = _PathRecorder(max_path)
        recorder.add(state)
        counts: Counter = Counter()
        reason = ""
        still_x = still_f = 0
        while True:
            grad_norm = safe_norm(state.g)
            if grad_norm <= tol:
                escaped = _escape(method, state, objective) if state.k < max_iter else None
                if escaped is None:
                    status, reason = Status.CONVERGED, f"||grad|| = {grad_norm:.3g} <= tol = {tol:g}"
                    break
                counts.update(escaped.flags)
                state = escaped
                recorder.add(state)
                continue
            if state.k >= max_iter:
                status, reason = Status.MAX_ITERATIONS, f"max_iter = {max_iter}, ||grad|| = {grad_norm:.3g}"
                break
            try:
                new = method.step(state, objective)
            except NonFinite as exc:
                status = Status.DIVERGED
                reason = f"step {state.k + 1} produced non-finite values ({exc}); x is iterate {state.k}"
                break
            except StepFailed as exc:
                status, reason = Status.STALLED, f"at iterate {state.k}: {exc}"
                break
            counts.update(new.flags)
            dx = float(np.linalg.norm(new.x - state.x))
            df = abs(new.f - state.f)
            state = new
            recorder.add(state)
            if abs(state.f - start.f) > f_bound:
                status = Status.DIVERGED
                if state.f < start.f:
                    reason = (f"f fell to {state.f:.3g} from {start.f:.3g} at iterate {state.k}: "
                              "the objective appears unbounded below")
                else:
                    reason = f"f grew to {state.f:.3g} from {start.f:.3g} at iterate {state.k}"
                break
            still_x = still_x + 1 if dx <= xtol * (1.0 + float(np.linalg.norm(state.x))) else 0
            still_f = still_f + 1 if ftol > 0 and df <= ftol * (1.0 + abs(state.f)) else 0
            if still_x >= 2 or still_f >= patience:
                what = "x" if still_x >= 2 else "f"
                status, reason = Status.STALLED, f"no progress in {what} at iterate {state.k}"
                break
        diagnostics, not_minimum = curvature_diagnostics(method, objective, start, state, counts,
                                                       status)
    message = f"{status.message} ({reason})"
    if not_minimum:
        message += f"; {not_minimum}"
    return OptimizeResult(
        x=state.x.copy(), fun=float(state.f), jac=state.g.copy(), nit=state.k,
        nfev=objective.nfev, njev=objective.njev, nhev=objective.nhev,
        status=status, success=status.success and not_minimum is None, message=message,
        method=method.name, options=dict(options or {}), path=recorder.finish(state),
        diagnostics=diagnostics, variables=variables, x0=start.x.copy())
