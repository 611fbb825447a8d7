"""`minimize(objective, x0, method="bfgs", **options)`: the solvers' entry point.

objective: a SymPy expression (compiled with symopt.codegen's compile_function, imported
lazily), a symopt Function, or an object with __call__(x), gradient(x), hessian(x) and
optionally value_and_grad(x) on numpy arrays of shape (n,). x0: a sequence, or a dict
{symbol or name: value} when the variables are known.
"""

from __future__ import annotations

import math

import numpy as np

from symopt.errors import DefinitionError, DimensionError, SolverError
from symopt.solvers.base import OptimizeResult
from symopt.solvers.loop import run
from symopt.solvers.objective import Counted, compile_sympy
from symopt.solvers.registry import build_method


def _objective_and_variables(objective, variables):
    """(numpy objective, variable symbols or None)."""
    import sympy as sp
    from symopt.core.objects import Function
    if isinstance(objective, Function):
        if objective.is_vector:
            raise DimensionError("minimize needs a scalar objective, got a vector-valued function")
        return compile_sympy(objective.expr, variables or objective.variables)
    if isinstance(objective, str):
        from symopt.language import parse  # the language floor sits below the solvers
        return _objective_and_variables(parse(objective), variables)
    if isinstance(objective, (sp.Basic, int, float)) and not callable(objective):
        return compile_sympy(objective, variables)
    if callable(objective):
        return objective, variables if variables is not None else getattr(objective, "variables", None)
    raise SolverError(f"cannot minimize a {type(objective).__name__}: pass a SymPy expression, a "
                      "symopt Function or an object with __call__, gradient and hessian")


def _start(x0, variables) -> np.ndarray:
    if isinstance(x0, dict):
        if variables is None:
            raise SolverError("x0 is a dict but the objective's variables are unknown; pass a sequence")
        by_name = {getattr(k, "name", k): v for k, v in x0.items()}
        names = [getattr(v, "name", str(v)) for v in variables]
        unknown = sorted(set(by_name) - set(names))
        if unknown:
            raise DefinitionError(f"x0 names unknown variable(s): {', '.join(map(str, unknown))}")
        missing = [n for n in names if n not in by_name]
        if missing:
            raise DefinitionError(f"x0 needs a value for {', '.join(missing)}")
        x0 = [by_name[n] for n in names]
    try:
        x = np.array([float(v) for v in np.ravel(np.asarray(x0, dtype=object))], dtype=float)
    except (TypeError, ValueError) as exc:
        raise SolverError(f"x0 must be numbers: {exc}") from exc
    if x.size == 0:
        raise DimensionError("x0 is empty")
    if not all(math.isfinite(v) for v in x):
        raise SolverError("x0 must be finite")
    if variables is not None and len(variables) != x.size:
        raise DimensionError(f"x0 has {x.size} entries but the objective has {len(variables)} variables")
    return x


def minimize(objective, x0, method: str = "bfgs", *, variables=None, **options) -> OptimizeResult:
    """Minimize `objective` from `x0` with the named method (see `symopt.solvers.METHODS`).

    Options (validated per method; None means "the default"): tol, max_iter, xtol, ftol,
    patience, f_limit, max_path for every method, plus the method's own (lr, step, mu, gamma,
    eps, beta1, beta2, bias_correction, c1, c2). Divergence is a status, never an exception;
    misconfiguration raises SolverError, bad input a SymoptError subclass.
    """
    numeric, variables = _objective_and_variables(objective, variables)
    x = _start(x0, variables)
    method_obj, loop_options, chosen = build_method(method, x.size, options)
    counted = Counted(numeric, x.size)
    counted.check_shapes(x)
    names = None if variables is None else tuple(getattr(v, "name", str(v)) for v in variables)
    return run(method_obj, counted, x, options=chosen, variables=names, **loop_options)
