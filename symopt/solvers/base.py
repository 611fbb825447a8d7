"""What every solver shares: the iteration state, the method protocol, the status enum, the
option declarations and the frozen result (scipy.optimize.OptimizeResult's field names).

A method is a small object with `init(x0, objective) -> State` and
`step(state, objective) -> State` (optax/optimistix habits); `symopt.solvers.loop.run` drives it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from symopt.core.enums import TextEnum
from symopt.errors import SolverError


class Status(TextEnum):
    """Why a run ended. The value is the CONTRACT section 3 string; `.message` explains it."""

    CONVERGED = ("converged", "||grad|| <= tol")
    MAX_ITERATIONS = ("max-iterations", "the iteration limit was reached before ||grad|| <= tol")
    DIVERGED = ("diverged", "the run blew up (non-finite values, or |f - f(x0)| beyond f_limit); "
                            "x is the last finite iterate")
    STALLED = ("stalled", "no progress in x or f (a line search found no decrease, or the "
                          "steps fell below xtol / the f changes below ftol)")

    @property
    def success(self) -> bool:
        return self is Status.CONVERGED


@dataclass(frozen=True)
class State:
    """One iterate: x, f(x), grad f(x), the iteration count k, the method's own `memory`
    (momentum, moment estimates, inverse-Hessian approximation, ...), the last step length and
    `flags`: events of the last step (e.g. "hessian-modified") that the loop tallies."""

    x: np.ndarray
    f: float
    g: np.ndarray
    k: int = 0
    memory: Any = None
    step_length: float | None = None
    flags: frozenset = frozenset()


class Method(Protocol):
    """An iterative method: `init` evaluates the start, `step` returns the next State."""

    name: str

    def init(self, x0: np.ndarray, objective) -> State: ...

    def step(self, state: State, objective) -> State: ...


@dataclass(frozen=True)
class Option:
    """A declared option of a method: its default and a one-line meaning."""

    default: Any
    doc: str
    check: Any = None  # callable(value) -> error text or None

    def validate(self, name: str, value):
        if self.check is not None:
            problem = self.check(value)
            if problem:
                raise SolverError(f"option {name}={value!r}: {problem}")
        return value


def positive(value) -> str | None:
    try:
        ok = float(value) > 0 and math.isfinite(float(value))
    except (TypeError, ValueError):
        ok = False
    return None if ok else "must be a positive finite number"


def non_negative(value) -> str | None:
    try:
        ok = float(value) >= 0 and math.isfinite(float(value))
    except (TypeError, ValueError):
        ok = False
    return None if ok else "must be a non-negative finite number"


def in_unit_interval(value) -> str | None:
    try:
        ok = 0 <= float(value) < 1
    except (TypeError, ValueError):
        ok = False
    return None if ok else "must lie in [0, 1)"


def positive_int(value) -> str | None:
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value > 0
    return None if ok else "must be a positive integer"


def one_of(*choices):
    def check(value):
        return None if value in choices else f"must be one of {', '.join(map(repr, choices))}"
    return check


@dataclass(frozen=True)
class Path:
    """Iterates for plots: iteration numbers `k`, points `x` (m x n) and values `f` (m,).
    Long runs are thinned (every `stride`-th iterate, always the first and the last)."""

    k: np.ndarray
    x: np.ndarray
    f: np.ndarray
    stride: int = 1

    def __len__(self) -> int:
        return len(self.k)

    def __repr__(self) -> str:
        return f"Path({len(self)} points, stride {self.stride})"


@dataclass(frozen=True)
class Diagnostics:
    """Curvature at the final (and initial) iterate, from numpy eigvalsh: APPROXIMATE floats.

    eigenvalues: of the Hessian at the returned x. condition_number: lambda_max / lambda_min
    (chapter eq. 4.2) when the Hessian is positive definite, else None. step_bound: 2/lambda_max,
    the largest stable constant gradient-descent step (lecture: 0 < alpha*lambda < 2).
    step_stable / step_stable_at_start: for constant-step methods, whether alpha*lambda lies in
    (0, 2) for every eigenvalue at the end / start (None when not applicable).
    counts: how often each step event happened; notes: sentences for the user."""

    eigenvalues: tuple[float, ...] | None = None
    condition_number: float | None = None
    step_bound: float | None = None
    step_stable: bool | None = None
    step_stable_at_start: bool | None = None
    counts: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"hessian_eigenvalues_approx": None if self.eigenvalues is None else list(self.eigenvalues),
                "condition_number_approx": self.condition_number,
                "step_bound_approx": self.step_bound,
                "step_stable": self.step_stable,
                "step_stable_at_start": self.step_stable_at_start,
                "counts": dict(self.counts), "notes": list(self.notes)}


def safe_norm(v: np.ndarray) -> float:
    """||v||_2 without overflow in the squares (finite for every finite v up to ~1e308)."""
    scale = float(np.max(np.abs(v))) if v.size else 0.0
    if scale == 0.0 or not math.isfinite(scale):
        return scale
    return scale * float(np.linalg.norm(v / scale))


def _num(v) -> str:
    return "None" if v is None else f"{v:.6g}"


@dataclass(frozen=True)
class OptimizeResult:
    """The outcome of `symopt.solvers.minimize`, with scipy.optimize.OptimizeResult's names:
    x, fun, jac (the gradient at x), nit, nfev, njev, nhev, status (a Status; compares equal to
    its string), success (converged, and not at a point the final Hessian shows to be a saddle),
    message; plus method, the options used, path, diagnostics and the
    variable names (when known)."""

    x: np.ndarray
    fun: float
    jac: np.ndarray
    nit: int
    nfev: int
    njev: int
    nhev: int
    status: Status
    success: bool
    message: str
    method: str
    options: dict = field(default_factory=dict)
    path: Path | None = None
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    variables: tuple[str, ...] | None = None
    x0: np.ndarray | None = None

    @property
    def grad_norm(self) -> float:
        return safe_norm(self.jac)

    def point(self) -> dict | list:
        values = [float(v) for v in self.x]
        if self.variables is None:
            return values
        return dict(zip(self.variables, values))

    def to_dict(self) -> dict:
        """CONTRACT section 3 `minimize` keys (plus njev, nhev, options, diagnostics)."""
        return {"x": self.point(), "fun": float(self.fun), "grad_norm": self.grad_norm,
                "nit": self.nit, "nfev": self.nfev, "njev": self.njev, "nhev": self.nhev,
                "status": self.status.value, "success": self.success, "message": self.message,
                "method": self.method,
                "options": {k: v for k, v in self.options.items()
                            if isinstance(v, (int, float, str, bool, type(None)))},
                "diagnostics": self.diagnostics.to_dict()}

    def __repr__(self) -> str:
        point = self.point()
        if isinstance(point, dict):
            shown = ", ".join(f"{k}={_num(v)}" for k, v in list(point.items())[:8])
        else:
            shown = ", ".join(_num(v) for v in point[:8])
        if len(self.x) > 8:
            shown += ", ..."
        lines = [f"{self.method}: {self.status.value} ({'success' if self.success else 'no success'})",
                 f"  message: {self.message}",
                 f"        x: [{shown}]",
                 f"      fun: {_num(self.fun)}   ||grad||: {_num(self.grad_norm)}",
                 f"      nit: {self.nit}   nfev: {self.nfev}   njev: {self.njev}   nhev: {self.nhev}"]
        d = self.diagnostics
        if d.eigenvalues is not None:
            lines.append(f"  Hessian at x (approx.): cond = {_num(d.condition_number)}, "
                         f"2/lambda_max = {_num(d.step_bound)}")
        if d.step_stable is not None:
            lines.append(f"  constant step stable (0 < alpha*lambda < 2): start {d.step_stable_at_start}, "
                         f"end {d.step_stable}")
        lines += [f"  note: {n}" for n in d.notes]
        return "\n".join(lines)

    def _repr_latex_(self) -> str:
        names = self.variables or tuple(f"x_{{{i + 1}}}" for i in range(len(self.x)))
        shown = ", ".join(f"{n} = {_num(float(v))}" for n, v in list(zip(names, self.x))[:8])
        if len(self.x) > 8:
            shown += r", \dots"
        status = self.status.value.replace("-", " ")
        rows = [rf"\text{{method}} & \text{{{self.method}}} \\",
                rf"\text{{status}} & \text{{{status}}} \\",
                rf"x^\ast & {shown} \\",
                rf"f(x^\ast) & {_num(self.fun)} \\",
                rf"\|\nabla f(x^\ast)\| & {_num(self.grad_norm)} \\",
                rf"\text{{iterations}} & {self.nit} \\"]
        return r"$\begin{array}{ll}" + "\n".join(rows) + r"\end{array}$"
