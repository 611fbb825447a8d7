"""BFGS: Newton's direction with the inverse Hessian replaced by an approximation built from
gradient differences (Nocedal & Wright, Numerical Optimization, section 6.1).

With s = x' - x and y = g' - g, the inverse approximation is updated by
    H' = (I - rho s y') H (I - rho y s') + rho s s',    rho = 1 / (y's),
which keeps H positive definite whenever y's > 0 (guaranteed by a Wolfe line search). Before the
first update H0 = I is rescaled to (y's / y'y) I (N&W eq. 6.20). The first step from H0 = I is a
gradient step with trial length min(1, 1/||g||).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symopt.solvers.base import State


@dataclass(frozen=True)
class BFGSMemory:
    inverse_hessian: np.ndarray
    updates: int = 0
    resets: int = 0


class BFGSDirection:
    """d = -H g with H the BFGS inverse-Hessian approximation."""

    def __init__(self, scale_initial: bool = True):
        self.scale_initial = scale_initial

    def init(self, x, f, g, objective):
        return BFGSMemory(np.eye(len(x)))

    def propose(self, state: State, objective):
        memory: BFGSMemory = state.memory
        d = -(memory.inverse_hessian @ state.g)
        flags = frozenset()
        if not float(d @ state.g) < 0:  # H lost positive definiteness to rounding: restart
            memory = BFGSMemory(np.eye(len(state.x)), 0, memory.resets + 1)
            d = -state.g
            flags = frozenset({"bfgs-reset"})
        first = min(1.0, 1.0 / float(np.linalg.norm(state.g))) if memory.updates == 0 else None
        return d, first, memory, flags

    def update(self, memory: BFGSMemory, old: State, new: State) -> BFGSMemory:
        s = new.x - old.x
        y = new.g - old.g
        sy = float(s @ y)
        if not sy > 1e-12 * float(np.linalg.norm(s)) * float(np.linalg.norm(y)):
            return memory  # curvature condition fails: skip this update
        h = memory.inverse_hessian
        if memory.updates == 0 and self.scale_initial:
            h = (sy / float(y @ y)) * np.eye(len(s))
        rho = 1.0 / sy
        hy = h @ y
        # (I - rho s y') H (I - rho y s') + rho s s', expanded to rank-two corrections
        h = h + (rho * rho * float(y @ hy) + rho) * np.outer(s, s) - rho * (np.outer(hy, s) + np.outer(s, hy))
        return BFGSMemory(h, memory.updates + 1, memory.resets)

    def on_failure(self, memory: BFGSMemory):
        """A failed line search: retry once from H = I, then give up."""
        if memory.updates == 0:
            return memory, False
        return BFGSMemory(np.eye(len(memory.inverse_hessian)), 0, memory.resets + 1), True
