"""Descent methods composed from a direction and a step rule: x' = x + alpha d.

A direction (steepest descent, Newton, BFGS) proposes d and, optionally, a first trial step; a
step rule (constant, the chapter's exact step eq. 4.10, Armijo backtracking, strong Wolfe)
chooses alpha. `DescentMethod(direction, step_rule)` is a Method for `symopt.solvers.loop.run`,
so a new direction or rule composes with every existing one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from symopt.solvers.base import State
from symopt.solvers.line_search import LineSearchFailed, armijo, strong_wolfe


class StepFailed(Exception):
    """Internal: the method cannot take a step (e.g. a singular Hessian in eq. 4.12)."""


# -- step rules --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConstantStep:
    """alpha = lr every step (eq. 4.5 with a constant learning rate)."""

    lr: float

    def __call__(self, objective, state: State, d, first_trial):
        x_new = state.x + self.lr * d
        f_new, g_new = objective.value_and_grad(x_new)
        return self.lr, x_new, f_new, g_new, frozenset()


@dataclass(frozen=True)
class ExactQuadraticStep:
    """alpha = -g'd / d'Hd; for d = -g this is the chapter's eps* = g'g / g'Hg (eq. 4.10).

    It minimizes the second-order Taylor model along d (eq. 4.9): exact line minimization for
    a quadratic, only the model's step otherwise. Where d'Hd <= 0 the model has no minimum
    along d; then the step falls back to Armijo backtracking (flag "exact-step-undefined")."""

    def __call__(self, objective, state: State, d, first_trial):
        curvature = float(d @ objective.hessian(state.x) @ d)
        if curvature > 0:
            alpha = -float(state.g @ d) / curvature
            x_new = state.x + alpha * d
            f_new, g_new = objective.value_and_grad(x_new)
            return alpha, x_new, f_new, g_new, frozenset()
        alpha, x_new, f_new, g_new = armijo(objective, state.x, state.f, state.g, d, 1.0)
        return alpha, x_new, f_new, g_new, frozenset({"exact-step-undefined"})


@dataclass(frozen=True)
class ArmijoStep:
    """Backtracking until f(x + alpha d) <= f(x) + c1 alpha g'd (sufficient decrease).

    The first trial is the direction's suggestion (1 for Newton-type directions), else
    `initial`, or, with adaptive=True, twice the previous accepted step."""

    initial: float = 1.0
    c1: float = 1e-4
    adaptive: bool = False

    def __call__(self, objective, state: State, d, first_trial):
        alpha0 = first_trial if first_trial is not None else self.initial
        if self.adaptive and state.step_length:
            alpha0 = 2.0 * state.step_length
        alpha, x_new, f_new, g_new = armijo(objective, state.x, state.f, state.g, d, alpha0, self.c1)
        return alpha, x_new, f_new, g_new, frozenset()


@dataclass(frozen=True)
class WolfeStep:
    """A step satisfying the strong Wolfe conditions (c1, c2)."""

    c1: float = 1e-4
    c2: float = 0.9

    def __call__(self, objective, state: State, d, first_trial):
        alpha0 = 1.0 if first_trial is None else first_trial
        alpha, x_new, f_new, g_new = strong_wolfe(objective, state.x, state.f, state.g, d,
                                                  alpha0, self.c1, self.c2)
        return alpha, x_new, f_new, g_new, frozenset()


# -- the composition ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DescentMethod:
    """x_{k+1} = x_k + alpha_k d_k with d from `direction` and alpha from `step_rule`.

    direction: object with init(x, f, g, objective) -> memory,
      propose(state, objective) -> (d, first_trial_step or None, memory, flags),
      update(memory, old_state, new_state) -> memory, and on_failure(memory) -> (memory, retry).
    """

    name: str
    direction: Any
    step_rule: Any
    constant_step: float | None = None  # set for constant-step GD (stability diagnostics)

    def init(self, x0, objective) -> State:
        f, g = objective.value_and_grad(x0)
        return State(x0, f, g, 0, self.direction.init(x0, f, g, objective))

    def escape(self, state: State, objective) -> State | None:
        """A step away from a critical point that is not a minimum, if the direction knows one."""
        escape = getattr(self.direction, "escape", None)
        return None if escape is None else escape(state, objective)

    def step(self, state: State, objective) -> State:
        d, first_trial, memory, flags = self.direction.propose(state, objective)
        try:
            alpha, x_new, f_new, g_new, step_flags = self.step_rule(objective, state, d, first_trial)
        except LineSearchFailed as exc:
            memory, retry = self.direction.on_failure(memory)
            if not retry:
                raise StepFailed(f"the line search failed ({exc})") from exc
            return State(state.x, state.f, state.g, state.k + 1, memory, 0.0,
                         flags | {"line-search-failed"})
        new = State(x_new, f_new, g_new, state.k + 1, memory, alpha, flags | step_flags)
        return dataclasses.replace(new, memory=self.direction.update(memory, state, new))


class SteepestDescent:
    """d = -grad f(x): the gradient-descent direction (chapter eq. 4.5)."""

    def init(self, x, f, g, objective):
        return None

    def propose(self, state: State, objective):
        return -state.g, None, None, frozenset()

    def update(self, memory, old: State, new: State):
        return None

    def on_failure(self, memory):
        return memory, False
