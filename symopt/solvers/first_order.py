"""First-order methods: gradient descent (chapter eq. 4.5) with three step rules, and the
lecture's momentum, Nesterov, RMSprop and Adam updates.

Update rules (g = grad J(theta), all operations per coordinate):

momentum (lecture, "Momentum"):      p <- mu p - alpha g;   theta <- theta + p.
    On a plane (g constant) p tends to the terminal velocity -alpha/(1 - mu) g.
Nesterov (Sutskever et al. 2013):    p <- mu p - alpha grad J(theta + mu p);   theta <- theta + p
    (the gradient is taken at the look-ahead point; one extra gradient per step).
RMSprop (lecture, "RMSprop and Adam"): s <- (1 - gamma) s + gamma g^2;
    theta <- theta - alpha / sqrt(s + eps) * g.
    As on the slide, eps is INSIDE the square root; s starts at 0 and there is no bias
    correction (so the first step is alpha/sqrt(gamma) per unit sign of g).
Adam (Kingma & Ba 2015, Algorithm 1; the lecture's "RMSprop + momentum"):
    m <- beta1 m + (1 - beta1) g;   v <- beta2 v + (1 - beta2) g^2;
    with bias correction m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t) (t = 1, 2, ...),
    theta <- theta - alpha m_hat / (sqrt(v_hat) + eps)   (eps OUTSIDE the root, as in the
    paper). The lecture's RMSprop gamma corresponds to 1 - beta2. bias_correction=False uses
    m and v themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symopt.solvers.base import State
from symopt.solvers.descent import (ArmijoStep, ConstantStep, DescentMethod, ExactQuadraticStep,
                                    SteepestDescent)


def gradient_descent(lr: float = 0.01, step: str = "constant") -> DescentMethod:
    """x <- x - eps grad f(x) (eq. 4.5) with eps constant (= lr), the exact step eps* =
    g'g/g'Hg (eq. 4.10; exact for quadratics, the Taylor model's step otherwise) or an Armijo
    backtracking line search (first trial lr, then twice the previous step)."""
    if step == "constant":
        return DescentMethod("gd", SteepestDescent(), ConstantStep(float(lr)), constant_step=float(lr))
    if step == "exact":
        return DescentMethod("gd-exact", SteepestDescent(), ExactQuadraticStep())
    return DescentMethod("gd-backtracking", SteepestDescent(), ArmijoStep(float(lr), adaptive=True))


@dataclass(frozen=True)
class Momentum:
    """The heavy-ball update of the lecture: p <- mu p - alpha g; theta <- theta + p."""

    lr: float = 0.01
    mu: float = 0.9
    name: str = "momentum"

    def init(self, x0, objective) -> State:
        f, g = objective.value_and_grad(x0)
        return State(x0, f, g, 0, np.zeros_like(x0))

    def step(self, state: State, objective) -> State:
        p = self.mu * state.memory - self.lr * state.g
        x = state.x + p
        f, g = objective.value_and_grad(x)
        return State(x, f, g, state.k + 1, p, self.lr)


@dataclass(frozen=True)
class Nesterov:
    """Nesterov's accelerated gradient in momentum form: the gradient at theta + mu p."""

    lr: float = 0.01
    mu: float = 0.9
    name: str = "nesterov"

    def init(self, x0, objective) -> State:
        f, g = objective.value_and_grad(x0)
        return State(x0, f, g, 0, np.zeros_like(x0))

    def step(self, state: State, objective) -> State:
        p_old = state.memory
        look_ahead = objective.gradient(state.x + self.mu * p_old) if p_old.any() else state.g
        p = self.mu * p_old - self.lr * look_ahead
        x = state.x + p
        f, g = objective.value_and_grad(x)
        return State(x, f, g, state.k + 1, p, self.lr)


@dataclass(frozen=True)
class RMSprop:
    """The lecture's RMSprop: s <- (1-gamma) s + gamma g^2; theta <- theta - alpha g/sqrt(s+eps)."""

    lr: float = 0.01
    gamma: float = 0.1
    eps: float = 1e-8
    name: str = "rmsprop"

    def init(self, x0, objective) -> State:
        f, g = objective.value_and_grad(x0)
        return State(x0, f, g, 0, np.zeros_like(x0))

    def step(self, state: State, objective) -> State:
        s = (1.0 - self.gamma) * state.memory + self.gamma * state.g * state.g
        x = state.x - self.lr * state.g / np.sqrt(s + self.eps)
        f, g = objective.value_and_grad(x)
        return State(x, f, g, state.k + 1, s, self.lr)


@dataclass(frozen=True)
class Adam:
    """Adam (Kingma & Ba): moment estimates m, v with bias correction; eps outside the root."""

    lr: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    bias_correction: bool = True
    name: str = "adam"

    def init(self, x0, objective) -> State:
        f, g = objective.value_and_grad(x0)
        return State(x0, f, g, 0, (np.zeros_like(x0), np.zeros_like(x0)))

    def step(self, state: State, objective) -> State:
        m, v = state.memory
        g = state.g
        t = state.k + 1
        m = self.beta1 * m + (1.0 - self.beta1) * g
        v = self.beta2 * v + (1.0 - self.beta2) * g * g
        if self.bias_correction:
            m_hat, v_hat = m / (1.0 - self.beta1 ** t), v / (1.0 - self.beta2 ** t)
        else:
            m_hat, v_hat = m, v
        x = state.x - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        f, g_new = objective.value_and_grad(x)
        return State(x, f, g_new, t, (m, v), self.lr)
