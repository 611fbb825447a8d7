"""The objective the solvers consume, and the adapters that build one.

An objective is any object with `__call__(x)`, `gradient(x)`, `hessian(x)` and optionally
`value_and_grad(x)` on numpy arrays of shape (n,): exactly what
`symopt.codegen.compile.compile_function(f, variables)` returns. `Counted` wraps one, counts
evaluations (nfev, njev, nhev) and turns non-finite values into `NonFinite`, which line searches
read as "step too long" and the loop as divergence.
"""

from __future__ import annotations

import numpy as np

from symopt.errors import DefinitionError, DimensionError, SolverError


class NonFinite(Exception):
    """Internal: an evaluation gave inf/NaN (or overflowed). Never leaves symopt.solvers."""


_ARITH = (ArithmeticError,)  # FloatingPointError, OverflowError, ZeroDivisionError, EvaluationError


class Counted:
    """An objective with evaluation counters and finiteness checks."""

    __slots__ = ("inner", "n", "nfev", "njev", "nhev", "_vg")

    def __init__(self, inner, n: int):
        for needed in ("gradient",):
            if not callable(getattr(inner, needed, None)):
                raise SolverError(f"the objective has no {needed}(x) method; pass a SymPy expression "
                                  "or an object with __call__, gradient and hessian")
        if not callable(inner):
            raise SolverError("the objective is not callable")
        self.inner = inner
        self.n = n
        self.nfev = self.njev = self.nhev = 0
        self._vg = getattr(inner, "value_and_grad", None)

    def value(self, x: np.ndarray) -> float:
        self.nfev += 1
        try:
            f = float(np.asarray(self.inner(x)).reshape(()))
        except _ARITH as exc:
            raise NonFinite(str(exc)) from exc
        if f != f or f in (np.inf, -np.inf):
            raise NonFinite("f is not finite")
        return f

    def gradient(self, x: np.ndarray) -> np.ndarray:
        self.njev += 1
        try:
            g = np.asarray(self.inner.gradient(x), dtype=float).reshape(self.n)
        except _ARITH as exc:
            raise NonFinite(str(exc)) from exc
        if not np.isfinite(g).all():
            raise NonFinite("the gradient is not finite")
        return g

    def value_and_grad(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        if self._vg is None:
            return self.value(x), self.gradient(x)
        self.nfev += 1
        self.njev += 1
        try:
            f, g = self._vg(x)
            f = float(np.asarray(f).reshape(()))
            g = np.asarray(g, dtype=float).reshape(self.n)
        except _ARITH as exc:
            raise NonFinite(str(exc)) from exc
        if f != f or f in (np.inf, -np.inf) or not np.isfinite(g).all():
            raise NonFinite("f or its gradient is not finite")
        return f, g

    def hessian(self, x: np.ndarray) -> np.ndarray:
        hess = getattr(self.inner, "hessian", None)
        if not callable(hess):
            raise SolverError("this method needs the Hessian, and the objective has no hessian(x)")
        self.nhev += 1
        try:
            h = np.asarray(hess(x), dtype=float).reshape(self.n, self.n)
        except _ARITH as exc:
            raise NonFinite(str(exc)) from exc
        if not np.isfinite(h).all():
            raise NonFinite("the Hessian is not finite")
        return h

    @property
    def has_hessian(self) -> bool:
        return callable(getattr(self.inner, "hessian", None))

    def check_shapes(self, x0: np.ndarray) -> None:
        """Fail early and clearly when the objective's outputs do not fit n = len(x0)."""
        try:
            g = np.asarray(self.inner.gradient(x0), dtype=float)
        except _ARITH:
            return  # reported as "not finite at x0" by the caller
        except (TypeError, IndexError) as exc:
            raise DimensionError(f"the objective cannot be evaluated at a point of length {self.n}: {exc}") from exc
        if g.size != self.n:
            raise DimensionError(f"the gradient has {g.size} entries but x0 has {self.n}")


class LambdifiedObjective:
    """f, grad f and the Hessian of a SymPy expression as numpy functions (sympy.lambdify).

    The small stand-in for symopt.codegen's compiled functions (no stabilizing rewrites)."""

    def __init__(self, expr, variables):
        import sympy as sp
        self.variables = tuple(variables)
        grad = [sp.diff(expr, v) for v in self.variables]
        hess = [[sp.diff(gi, v) for v in self.variables] for gi in grad]
        self._f = sp.lambdify([self.variables], expr, "numpy")
        self._g = sp.lambdify([self.variables], grad, "numpy")
        self._h = sp.lambdify([self.variables], hess, "numpy")

    def __call__(self, x):
        return float(self._f(np.asarray(x, float)))

    def gradient(self, x):
        return np.asarray(self._g(np.asarray(x, float)), dtype=float)

    def hessian(self, x):
        return np.asarray(self._h(np.asarray(x, float)), dtype=float)


def compile_sympy(expr, variables):
    """The objective object for a SymPy expression: symopt.codegen's compile_function when it
    is available, else the lambdify stand-in."""
    import sympy as sp
    from symopt.core.symbols import as_real, sorted_variables
    expr = as_real(sp.sympify(expr, strict=True))
    if isinstance(expr, sp.MatrixBase):
        raise DimensionError("minimize needs a scalar objective, got a matrix")
    if variables is None:
        variables = sorted_variables(expr.free_symbols)
    variables = tuple(as_real(v) for v in variables)
    if not variables:
        raise DefinitionError("the objective has no variables")
    extra = expr.free_symbols - set(variables)
    if extra:
        names = ", ".join(sorted(s.name for s in extra))
        raise DefinitionError(f"give values to the parameter(s) {names} before minimizing")
    from symopt.budget import DEFAULT_SECONDS, budget
    # differentiating and generating code for a huge expression can blow up: bounded
    with budget("compiling the objective for the solver", 3 * DEFAULT_SECONDS):
        try:
            from symopt.codegen.compile import compile_function
        except ImportError:
            return LambdifiedObjective(expr, variables), variables
        return compile_function(expr, variables), variables
