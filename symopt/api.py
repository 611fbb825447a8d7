"""The public functions of CONTRACT section 4: thin wrappers that accept text, SymPy objects,
Function or Problem objects, coerce every caller value through `symopt.values` (never eval,
never a guessed closed form), and hand over to the floors below."""

from __future__ import annotations

from typing import Any

import sympy as sp

from symopt import values
from symopt.core.objects import Function, Problem
from symopt.errors import DefinitionError, DimensionError


# -- coercion ------------------------------------------------------------------------------
def parse(text: str):
    """Text -> SymPy expression / ImmutableMatrix / Function / Problem (CONTRACT section 1)."""
    from symopt.language import parse as _parse
    return _parse(text)


def to_text(expr) -> str:
    """Any expression back in symopt syntax: parse(to_text(e)) == e."""
    from symopt.language import to_text as _to_text
    return _to_text(expr)


def as_function(obj, variables=None) -> Function:
    """A Function from text, a SymPy expression, a number, a Function or an unconstrained
    Problem (its objective: min f and max f have the same critical points)."""
    variables = values.variables(variables)
    if isinstance(obj, str):
        obj = parse(obj)
    if isinstance(obj, Problem):
        if obj.equalities or obj.inequalities:
            raise DefinitionError("this is a constrained problem; use symopt.kkt (symopt solve)")
        obj = Function("f", obj.variables, obj.objective)
    if isinstance(obj, Function):
        if variables is not None:
            missing = set(variables) - set(obj.variables) - obj.expr.free_symbols
            if missing:
                raise DefinitionError(f"unknown variable(s): {', '.join(sorted(s.name for s in missing))}")
            return Function(obj.name, variables, obj.expr)
        return obj
    if not isinstance(obj, (sp.Basic, sp.MatrixBase)):
        obj = values.number(obj, "function")[0]
    return Function.from_expr(obj, variables)


def as_scalar_function(obj, variables=None) -> Function:
    fn = as_function(obj, variables)
    if fn.is_vector:
        if fn.expr.shape == (1, 1):
            return Function(fn.name, fn.variables, fn.expr[0, 0])
        raise DimensionError(f"expected a scalar function, got a {fn.expr.shape[0]}x{fn.expr.shape[1]} matrix")
    return fn


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
    return _critical_points(fn.expr, fn.variables, box=values.box(box, fn.variables),
                            seconds=values.seconds(seconds))


def classify(f, point, variables=None, radius=None):
    """What f has at `point`: first whether grad f vanishes there (exactly, or, for float
    coordinates, within their rounding or the given `radius`); then minimum / maximum / saddle /
    inconclusive with the evidence. Kind.NOT_CRITICAL (with the gradient) where it does not."""
    from symopt.analysis.classify.second_derivative import classify as _classify
    fn = as_scalar_function(f, variables)
    pt = values.point(point, fn.variables)
    rad = dict(pt.radius)
    if radius is not None:
        for v, r in values.radius(radius, fn.variables).items():
            rad[v] = max(rad[v], r)
    return _classify(fn.expr, fn.variables, pt.values, radius=rad)


def convexity(f, domain=None, variables=None):
    """convex / strictly convex / concave / neither / unknown, with a witness or a reason."""
    from symopt.analysis.convexity.verdict import convexity as _convexity
    fn = as_scalar_function(f, variables)
    return _convexity(fn.expr, fn.variables, domain=values.box(domain, fn.variables, "domain"))


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
    return _analyze(fn, box=values.box(box, fn.variables), seconds=values.seconds(seconds))


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
    start = values.point(x0, fn.variables, "starting point")
    return _minimize(fn, [float(start.values[v]) for v in fn.variables], method=method, **options)
