"""The public functions of CONTRACT section 4: thin wrappers that accept text, SymPy objects,
Function or Problem objects, and hand over to the floors below."""

from __future__ import annotations

from typing import Any

import sympy as sp

from symopt.core.objects import Function, Problem
from symopt.core.symbols import as_real, real_symbol
from symopt.errors import DefinitionError, DimensionError, SymoptError


# -- coercion ------------------------------------------------------------------------------
def parse(text: str):
    """Text -> SymPy expression / ImmutableMatrix / Function / Problem (CONTRACT section 1)."""
    from symopt.language import parse as _parse
    return _parse(text)


def to_text(expr) -> str:
    """Any expression back in symopt syntax: parse(to_text(e)) == e."""
    from symopt.language import to_text as _to_text
    return _to_text(expr)


def _variables(names) -> tuple[sp.Symbol, ...] | None:
    if names is None:
        return None
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    return tuple(real_symbol(v) if isinstance(v, str) else as_real(v) for v in names)


def as_function(obj, variables=None) -> Function:
    """A Function from text, a SymPy expression, a Function or a Problem (its objective)."""
    variables = _variables(variables)
    if isinstance(obj, str):
        obj = parse(obj)
    if isinstance(obj, Problem):
        if obj.equalities or obj.inequalities:
            raise DefinitionError("this is a constrained problem; use symopt.kkt (symopt solve)")
        obj = Function("f", obj.variables, obj.objective if obj.sense == "min" else obj.objective)
    if isinstance(obj, Function):
        if variables is not None:
            missing = set(variables) - set(obj.variables) - obj.expr.free_symbols
            if missing:
                raise DefinitionError(f"unknown variable(s): {', '.join(sorted(s.name for s in missing))}")
            return Function(obj.name, variables, obj.expr)
        return obj
    if isinstance(obj, (int, float)) and not isinstance(obj, bool):
        obj = sp.Rational(obj) if isinstance(obj, int) else sp.nsimplify(obj)
    if isinstance(obj, (sp.Basic, sp.MatrixBase)):
        return Function.from_expr(obj, variables)
    raise SymoptError(f"cannot make a function out of {type(obj).__name__}")


def as_scalar_function(obj, variables=None) -> Function:
    fn = as_function(obj, variables)
    if fn.is_vector:
        if fn.expr.shape == (1, 1):
            return Function(fn.name, fn.variables, fn.expr[0, 0])
        raise DimensionError(f"expected a scalar function, got a {fn.expr.shape[0]}x{fn.expr.shape[1]} matrix")
    return fn


def _point(point, variables) -> dict:
    """A point as {symbol: exact value}: from a dict (names or symbols), a sequence, or text."""
    if isinstance(point, str):
        from symopt.language.assignments import parse_assignments
        return {real_symbol(k): v for k, v in parse_assignments(point).items()}
    if isinstance(point, dict):
        out = {}
        for k, v in point.items():
            key = real_symbol(k) if isinstance(k, str) else as_real(k)
            out[key] = sp.nsimplify(v) if isinstance(v, float) else sp.sympify(v, strict=True)
        return out
    values = list(point)
    if len(values) != len(variables):
        raise DimensionError(f"the point has {len(values)} coordinate(s), the function {len(variables)} variable(s)")
    return {v: (sp.Float(x) if isinstance(x, float) else sp.sympify(x, strict=True)) for v, x in zip(variables, values)}


# -- calculus ------------------------------------------------------------------------------
def gradient(f, variables=None):
    """Column vector of partial derivatives (exact)."""
    fn = as_scalar_function(f, variables)
    return fn.gradient()


def hessian(f, variables=None):
    """H[i, j] = d^2 f / dx_i dx_j (eq. 4.6), symmetric by construction."""
    fn = as_scalar_function(f, variables)
    return fn.hessian()


def jacobian(F, variables=None):
    """J[i, j] = d F_i / d x_j."""
    fn = as_function(F, variables)
    return fn.jacobian()


# -- analysis ------------------------------------------------------------------------------
def critical_points(f, box=None, variables=None, seconds=None):
    """Every real critical point (and family) of f, with a proof of completeness when there is one."""
    from symopt.analysis.critical import critical_points as _critical_points
    fn = as_scalar_function(f, variables)
    return _critical_points(fn.expr, fn.variables, box=_box(box), seconds=seconds)


def classify(f, point, variables=None):
    """Minimum / maximum / saddle / inconclusive at a critical point, with the evidence."""
    from symopt.analysis.classify.second_derivative import classify as _classify
    fn = as_scalar_function(f, variables)
    return _classify(fn.expr, fn.variables, _point(point, fn.variables))


def convexity(f, domain=None, variables=None):
    """convex / strictly convex / concave / neither / unknown, with a witness or a reason."""
    from symopt.analysis.convexity.verdict import convexity as _convexity
    fn = as_scalar_function(f, variables)
    return _convexity(fn.expr, fn.variables, domain=_box(domain))


def condition_number(A):
    """The condition number of a matrix (eq. 4.2), exact where possible."""
    from symopt.analysis.conditioning import condition_number as _cond
    if isinstance(A, str):
        A = parse(A)
    return _cond(A)


def analyze(f, box=None, variables=None, seconds=None):
    """Gradient, Hessian, all critical points with classification, convexity (symopt analyze)."""
    from symopt.analysis.analyze import analyze as _analyze
    fn = as_scalar_function(f, variables)
    return _analyze(fn, box=_box(box), seconds=seconds)


def _box(box):
    if box is None:
        return None
    if isinstance(box, str):
        from symopt.language.assignments import parse_box
        return {real_symbol(k): v for k, v in parse_box(box).items()}
    return {(real_symbol(k) if isinstance(k, str) else as_real(k)): (sp.sympify(lo, strict=True), sp.sympify(hi, strict=True))
            for k, (lo, hi) in box.items()}


# -- numerics ------------------------------------------------------------------------------
def compile(f, variables=None, stabilize: bool = True):  # noqa: A001 - the contract's name
    """numpy callables for f, its gradient and Hessian, vectorized, stabilized."""
    from symopt.codegen.compile import compile_function
    fn = as_scalar_function(f, variables)
    return compile_function(fn.expr, fn.variables, stabilize=stabilize)


def minimize(f, x0, method: str = "bfgs", variables=None, **options) -> Any:
    """Run an iterative solver from x0 on generated numpy code; result with OptimizeResult names."""
    from symopt.solvers import minimize as _minimize
    fn = as_scalar_function(f, variables)
    start = _point(x0, fn.variables) if isinstance(x0, (str, dict)) else x0
    if isinstance(start, dict):
        unknown = set(start) - set(fn.variables)
        if unknown:
            raise DefinitionError(f"--from names unknown variable(s): {', '.join(sorted(s.name for s in unknown))}")
        missing = [v.name for v in fn.variables if v not in start]
        if missing:
            raise DefinitionError(f"the starting point needs a value for {', '.join(missing)}")
        start = [float(sp.N(start[v], 17)) for v in fn.variables]
    return _minimize(fn, start, method=method, **options)
