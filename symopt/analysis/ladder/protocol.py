"""The protocol of the critical-point ladder.

`critical_points` (in `critical.py`) builds one `GradientSystem` and tries each rung in order:
polynomial (exact, Groebner) -> families (positive-dimensional polynomial) -> transcendental
(exact periodic lattices / isolated exact roots) -> certified (interval Newton in a box). A rung
returns a `RungOutcome`: `answer` (a CriticalSet, ending the climb) or None with a `note` saying
why it passed (does not apply, positive-dimensional, budget exceeded, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import sympy as sp

from symopt.analysis.results import CriticalSet


@dataclass(frozen=True)
class GradientSystem:
    """grad f = 0 for f in `variables`, with what every rung needs.

    f: the scalar SymPy expression (real symbols). gradient: tuple of partial derivatives.
    hessian: ImmutableMatrix. box: variable -> (lo, hi) exact bounds, or None.
    seconds: the time budget per symbolic step. notes: what earlier rungs learned
    (e.g. "positive-dimensional"), so later rungs need not redo it.
    """

    f: sp.Expr
    variables: tuple
    gradient: tuple
    hessian: sp.ImmutableMatrix
    box: dict | None = None
    seconds: float = 10.0
    notes: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class RungOutcome:
    answer: CriticalSet | None
    note: str = ""


class Rung(Protocol):
    """One method of finding critical points."""

    name: str

    def attempt(self, system: GradientSystem) -> RungOutcome:
        ...
