"""The exception tree: every error symopt raises on purpose derives from `SymoptError`."""

from __future__ import annotations


class SymoptError(Exception):
    """Root of all symopt errors."""


class ParseError(SymoptError, ValueError):
    """Malformed user text. `line` and `column` are 1-based; the message shows a caret."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class DefinitionError(SymoptError, ValueError):
    """Undefined names, wrong arity, redefinitions that make no sense."""


class DimensionError(SymoptError, ValueError):
    """Shapes that do not fit: a matrix times a vector of the wrong length, a ragged matrix."""


class DomainError(SymoptError, ValueError):
    """A point outside the domain: division by zero, a non-differentiable point, log of a negative."""


class BudgetExceeded(SymoptError):
    """A symbolic step ran out of its time budget. `step` names the step."""

    def __init__(self, step: str, seconds: float):
        super().__init__(f"{step} ran out of its time budget ({seconds:g} s)")
        self.step = step
        self.seconds = seconds


class EvaluationError(SymoptError, ArithmeticError):
    """Numeric evaluation overflowed or produced NaN where the true value is out of range."""


class SolverError(SymoptError):
    """A solver was misconfigured (unknown method or option); divergence is a status, not this."""


class InfeasibleError(SymoptError):
    """A constrained problem has no feasible point."""
