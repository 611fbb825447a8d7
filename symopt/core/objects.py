"""`Function` (an expression with ordered variables) and `Problem` (an optimization problem).

Both are frozen dataclasses: what the language returns and what every later floor consumes.
Calculus methods on `Function` delegate to `symopt.core.calculus`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from symopt.core import calculus
from symopt.core.symbols import sorted_variables


def _latex(obj) -> str:
    return sp.latex(obj)


@dataclass(frozen=True)
class Function:
    """f(x1, ..., xn) = expr. `expr` is a SymPy scalar or an ImmutableMatrix (vector-valued f)."""

    name: str
    variables: tuple[sp.Symbol, ...]
    expr: sp.Basic

    @classmethod
    def from_expr(cls, expr, variables=None, name: str = "f") -> "Function":
        """Wrap an expression; without `variables`, its free symbols in natural order."""
        from symopt.core.symbols import as_real
        expr = as_real(sp.sympify(expr, strict=True)) if not isinstance(expr, sp.MatrixBase) else as_real(sp.ImmutableMatrix(expr))
        if variables is None:
            variables = sorted_variables(expr.free_symbols)
        else:
            variables = tuple(as_real(v) for v in variables)
        return cls(name, tuple(variables), expr)

    @property
    def is_vector(self) -> bool:
        return isinstance(self.expr, sp.MatrixBase)

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        """Free names that are not variables (kept symbolic)."""
        return sorted_variables(self.expr.free_symbols - set(self.variables))

    # -- calculus (eq. 4.6-4.10 of the reference chapter) ------------------------------------
    def gradient(self):
        return calculus.gradient(self.expr, self.variables)

    def jacobian(self):
        return calculus.jacobian(self.expr, self.variables)

    def hessian(self):
        return calculus.hessian(self.expr, self.variables)

    def directional_derivative(self, u):
        return calculus.directional_derivative(self.expr, self.variables, u)

    def second_directional_derivative(self, d):
        return calculus.second_directional_derivative(self.expr, self.variables, d)

    def taylor2(self, x0):
        return calculus.taylor2(self.expr, self.variables, x0)

    def gradient_step_value(self, x0, eps):
        return calculus.gradient_step_value(self.expr, self.variables, x0, eps)

    def optimal_step(self, x0):
        return calculus.optimal_step(self.expr, self.variables, x0)

    def taylor(self, x0, order: int):
        return calculus.taylor(self.expr, self.variables, x0, order)

    def __call__(self, *values):
        """Exact substitution: f(1, 2)."""
        if len(values) != len(self.variables):
            from symopt.errors import DefinitionError
            raise DefinitionError(
                f"{self.name} takes {len(self.variables)} argument(s), got {len(values)}")
        return self.expr.subs(dict(zip(self.variables, (sp.sympify(v, strict=True) for v in values))),
                              simultaneous=True)

    # -- display -----------------------------------------------------------------------------
    def __repr__(self) -> str:
        names = ", ".join(v.name for v in self.variables)
        return f"{self.name}({names}) = {self.expr}"

    def _repr_latex_(self) -> str:
        names = ", ".join(_latex(v) for v in self.variables)
        return f"$\\displaystyle {_latex(sp.Symbol(self.name))}\\left({names}\\right) = {_latex(self.expr)}$"

    def to_dict(self) -> dict:
        return {"name": self.name, "variables": [v.name for v in self.variables],
                "expr": str(self.expr)}


@dataclass(frozen=True)
class Problem:
    """min/max objective over variables, subject to g(x) = 0 (equalities) and h(x) <= 0
    (inequalities): the chapter's convention (eq. 4.14)."""

    sense: str  # "min" or "max"
    objective: sp.Expr
    variables: tuple[sp.Symbol, ...]
    equalities: tuple[sp.Expr, ...] = field(default_factory=tuple)
    inequalities: tuple[sp.Expr, ...] = field(default_factory=tuple)

    @property
    def parameters(self) -> tuple[sp.Symbol, ...]:
        free = set(self.objective.free_symbols)
        for c in self.equalities + self.inequalities:
            free |= c.free_symbols
        return sorted_variables(free - set(self.variables))

    def __repr__(self) -> str:
        head = "minimize" if self.sense == "min" else "maximize"
        names = ", ".join(v.name for v in self.variables)
        cons = [f"{g} = 0" for g in self.equalities] + [f"{h} <= 0" for h in self.inequalities]
        tail = f" subject to {', '.join(cons)}" if cons else ""
        return f"{head} {self.objective} over {names}{tail}"

    def _repr_latex_(self) -> str:
        head = r"\min" if self.sense == "min" else r"\max"
        names = ", ".join(_latex(v) for v in self.variables)
        cons = [f"{_latex(g)} = 0" for g in self.equalities]
        cons += [f"{_latex(h)} \\le 0" for h in self.inequalities]
        body = f"{head}_{{{names}}}\\ {_latex(self.objective)}"
        if cons:
            body += r"\quad \text{subject to}\quad " + r",\ ".join(cons)
        return f"$\\displaystyle {body}$"

    def to_dict(self) -> dict:
        return {"sense": self.sense, "objective": str(self.objective),
                "variables": [v.name for v in self.variables],
                "equalities": [str(g) for g in self.equalities],
                "inequalities": [str(h) for h in self.inequalities]}
