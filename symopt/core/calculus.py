"""Exact multivariate calculus for optimization (chapter sections 4.3 and 4.3.1).

Every result is an exact SymPy object, in the caller's own symbols: a variable is matched to the
symbol of the same name in the expression (so `Symbol("x")` and `real_symbol("x")` both work),
and the expression itself is never rewritten to other symbols.

* `gradient(f, variables)`: column vector (n x 1) of df/dx_i.
* `jacobian(F, variables)`: J[i, j] = dF_i/dx_j.
* `hessian(f, variables)`: eq. 4.6, symmetric by construction (eq. 4.7: each unordered pair is
  differentiated once) and sparse (H[i, j] = 0 without differentiating when x_j does not occur in
  df/dx_i).
* `directional_derivative` u' grad f (eq. 4.3), `second_directional_derivative` d' H d.
* `taylor2` the quadratic model (eq. 4.8), `gradient_step_value` eq. 4.9,
  `optimal_step` eq. 4.10, `taylor` the general multivariate Taylor polynomial.

Points `x0` are dicts {symbol or name: value} or sequences in the order of `variables`.
Derivatives come from `symopt.core.differentiation.Differentiator` (memoized, term-wise,
sparsity-aware), which is much faster than `sympy.hessian` on large sums.
"""

from __future__ import annotations

from itertools import combinations_with_replacement
from math import factorial
from typing import Protocol, runtime_checkable

import sympy as sp

from symopt.budget import budget
from symopt.core.differentiation import Differentiator, hessian_entries
from symopt.errors import DefinitionError, DimensionError, DomainError

__all__ = [
    "gradient", "jacobian", "hessian", "gradient_and_hessian", "directional_derivative",
    "second_directional_derivative", "taylor2", "gradient_step_value", "optimal_step",
    "taylor", "NoOptimalStep",
]


class NoOptimalStep(DomainError):
    """eq. 4.10 has no answer at this point. `reason` is "zero-gradient" (x0 is critical),
    "nonpositive-curvature" (g'Hg <= 0: the quadratic model decreases without bound along -g)
    or "undecided-curvature" (the sign of g'Hg could not be proven)."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


# -- input normalization ---------------------------------------------------------------------

def _to_sympy(value, what: str):
    if isinstance(value, str):
        raise DefinitionError(f"{what} is text ({value!r}); parse it with symopt.parse first")
    if isinstance(value, sp.MatrixBase):
        return sp.ImmutableMatrix(value)
    if isinstance(value, sp.Basic):
        return value
    try:
        result = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise DefinitionError(f"{what} is not an expression: {value!r}") from exc
    if not isinstance(result, sp.Basic):
        raise DefinitionError(f"{what} is not an expression: {value!r}")
    return result


@runtime_checkable
class FunctionLike(Protocol):
    """What calculus needs of a function object (symopt.Function declares it): its expression
    and its variables. Declared here so that calculus never imports the objects built on it."""

    expr: object
    variables: tuple


def _unwrap_function(f):
    """(expression, default variables) for a function object or a plain expression."""
    if isinstance(f, FunctionLike) and not isinstance(f, sp.Basic):
        return f.expr, f.variables
    return f, None


def _scalar(f):
    f, default_vars = _unwrap_function(f)
    expr = _to_sympy(f, "f")
    if isinstance(expr, sp.MatrixBase):
        if expr.shape != (1, 1):
            raise DimensionError(
                f"expected a scalar function, got a {expr.shape[0]}x{expr.shape[1]} matrix "
                "(use jacobian for vector-valued functions)")
        expr = expr[0, 0]
    if isinstance(expr, sp.MatrixExpr) or expr.atoms(sp.MatrixSymbol):
        raise DefinitionError("symbolic matrix expressions (MatrixSymbol) are handled by "
                              "symopt.core.matrix_calculus")
    if not isinstance(expr, sp.Expr):
        raise DefinitionError(f"f must be an expression, got {type(expr).__name__}")
    if expr.has(sp.nan, sp.zoo):
        raise DomainError(f"f is undefined (contains nan or complex infinity): {expr}")
    return expr, default_vars


def _variables(free_symbols, variables, default_vars) -> tuple:
    """The variables as a tuple of Symbols, each matched by name to the expression's symbol."""
    if variables is None:
        variables = default_vars
    if variables is None:
        from symopt.core.symbols import sorted_variables
        return sorted_variables(s for s in free_symbols if isinstance(s, sp.Symbol))
    if isinstance(variables, sp.Symbol):
        variables = (variables,)
    if isinstance(variables, sp.MatrixBase):
        variables = list(variables)
    try:
        variables = tuple(variables)
    except TypeError as exc:
        raise DefinitionError(f"variables must be a sequence of symbols, got {variables!r}") from exc
    by_name: dict = {}
    for s in free_symbols:
        if isinstance(s, sp.Symbol):
            by_name.setdefault(s.name, []).append(s)
    out = []
    for v in variables:
        if isinstance(v, str):
            raise DefinitionError(f"variable {v!r} is a string; pass SymPy symbols")
        if not isinstance(v, sp.Symbol):
            raise DefinitionError(f"variables must be symbols, got {v!r}")
        if v not in free_symbols and len(by_name.get(v.name, ())) == 1:
            v = by_name[v.name][0]  # same name, other assumptions: use the expression's symbol
        out.append(v)
    if len(set(out)) != len(out):
        raise DefinitionError(f"repeated variable in {tuple(variables)}")
    return tuple(out)


def _point(variables, x0) -> dict:
    """{variable: exact value} from a dict (keys: symbols or names) or a sequence."""
    n = len(variables)
    if isinstance(x0, dict):
        names = {v.name: v for v in variables}
        point = {}
        for key, value in x0.items():
            name = key if isinstance(key, str) else getattr(key, "name", None)
            if name not in names:
                raise DimensionError(f"point has a value for {key}, which is not a variable "
                                     f"(variables: {', '.join(names)})")
            point[names[name]] = _to_sympy(value, f"the value of {name}")
        missing = [v.name for v in variables if v not in point]
        if missing:
            raise DimensionError(f"point has no value for {', '.join(missing)}")
        return point
    if isinstance(x0, sp.MatrixBase):
        x0 = list(x0)
    try:
        values = list(x0)
    except TypeError as exc:
        raise DimensionError(f"point must be a dict or a sequence, got {x0!r}") from exc
    if len(values) != n:
        raise DimensionError(f"point has {len(values)} coordinate(s), expected {n}")
    return {v: _to_sympy(value, f"the value of {v.name}") for v, value in zip(variables, values)}


def _vector(values, n: int, what: str) -> list:
    if isinstance(values, sp.MatrixBase):
        if 1 not in values.shape:
            raise DimensionError(f"{what} must be a vector, got a {values.shape} matrix")
        values = list(values)
    elif isinstance(values, sp.Basic) or isinstance(values, (int, float, str)):
        values = [values]
    values = [_to_sympy(v, what) for v in values]
    if len(values) != n:
        raise DimensionError(f"{what} has {len(values)} component(s), expected {n}")
    return values


def _at(expr, point: dict):
    """expr at the point, exactly; DomainError when undefined there (0/0, log 0, ...)."""
    value = expr.xreplace(point)
    if value.has(sp.nan, sp.zoo, sp.oo, sp.S.NegativeInfinity):
        raise DomainError(f"{expr} is not defined at {point}")
    return value


# -- derivatives -----------------------------------------------------------------------------

def gradient(f, variables=None) -> sp.ImmutableMatrix:
    """grad f = (df/dx_1, ..., df/dx_n)' as an n x 1 ImmutableMatrix."""
    expr, default_vars = _scalar(f)
    variables = _variables(expr.free_symbols, variables, default_vars)
    engine = Differentiator()
    return sp.ImmutableMatrix(len(variables), 1, [engine.diff(expr, v) for v in variables])


def gradient_and_hessian(f, variables=None):
    """(gradient, Hessian) sharing one derivative cache: the fast path for both at once."""
    expr, default_vars = _scalar(f)
    variables = _variables(expr.free_symbols, variables, default_vars)
    engine = Differentiator()
    grad = [engine.diff(expr, v) for v in variables]
    rows = hessian_entries(grad, variables, engine)
    n = len(variables)
    flat = [entry for row in rows for entry in row]
    return sp.ImmutableMatrix(n, 1, grad), sp.ImmutableMatrix(n, n, flat)


def hessian(f, variables=None) -> sp.ImmutableMatrix:
    """H[i, j] = d^2 f / dx_i dx_j (eq. 4.6), symmetric by construction (eq. 4.7)."""
    return gradient_and_hessian(f, variables)[1]


def jacobian(F, variables=None) -> sp.ImmutableMatrix:
    """J[i, j] = dF_i/dx_j for F a vector (list, tuple, Matrix, vector Function) or a scalar
    (then J is the 1 x n row grad f')."""
    F, default_vars = _unwrap_function(F)
    if isinstance(F, (list, tuple)):
        components = [_to_sympy(c, "F component") for c in F]
    else:
        F = _to_sympy(F, "F")
        if isinstance(F, sp.MatrixBase):
            if 1 not in F.shape and F.shape != (0, 0):
                raise DimensionError(f"jacobian needs a vector-valued F, got a {F.shape} matrix")
            components = list(F)
        else:
            components = [F]
    for c in components:
        if not isinstance(c, sp.Expr) or isinstance(c, sp.MatrixExpr):
            raise DimensionError(f"each component of F must be a scalar expression, got {c!r}")
    free = set().union(*(c.free_symbols for c in components)) if components else set()
    variables = _variables(free, variables, default_vars)
    engine = Differentiator()
    return sp.ImmutableMatrix(len(components), len(variables),
                              [engine.diff(c, v) for c in components for v in variables])


def directional_derivative(f, variables, u):
    """u' grad f (eq. 4.3); `u` is not normalized (pass a unit vector for the slope)."""
    expr, default_vars = _scalar(f)
    variables = _variables(expr.free_symbols, variables, default_vars)
    u = _vector(u, len(variables), "direction u")
    engine = Differentiator()
    return sp.Add(*[ui * engine.diff(expr, v) for ui, v in zip(u, variables) if ui != 0])


def second_directional_derivative(f, variables, d):
    """d' H d = sum_ij d_i d_j H_ij (the curvature along d, section 4.3.1)."""
    expr, default_vars = _scalar(f)
    variables = _variables(expr.free_symbols, variables, default_vars)
    d = _vector(d, len(variables), "direction d")
    return _quadratic_form(expr, variables, d, Differentiator(), None)


def _quadratic_form(expr, variables, d, engine, point):
    """d' H d using only the entries of H that d touches; H at `point` when one is given."""
    n = len(variables)
    grad = [engine.diff(expr, v) if d_i != 0 else sp.S.Zero for v, d_i in zip(variables, d)]
    terms = []
    for i in range(n):
        if d[i] == 0:
            continue
        free_i = engine.free(grad[i])
        for j in range(i, n):
            if d[j] == 0 or variables[j] not in free_i:
                continue
            h = engine.diff(grad[i], variables[j])
            if point is not None:
                h = _at(h, point)
            terms.append((1 if i == j else 2) * d[i] * d[j] * h)
    return sp.Add(*terms)


# -- Taylor models (eq. 4.8 - 4.10) ----------------------------------------------------------

def _model_parts(f, variables, x0):
    """(expr, variables, point, engine, f(x0), g at x0) shared by the eq. 4.8-4.10 helpers."""
    expr, default_vars = _scalar(f)
    variables = _variables(expr.free_symbols, variables, default_vars)
    point = _point(variables, x0)
    engine = Differentiator()
    g = [_at(engine.diff(expr, v), point) for v in variables]
    return expr, variables, point, engine, _at(expr, point), g


def taylor2(f, variables, x0):
    """The quadratic model of eq. 4.8, as an expression in the variables:
    f(x0) + (x - x0)' g + 1/2 (x - x0)' H (x - x0), with g and H evaluated at x0."""
    expr, variables, point, engine, f0, g = _model_parts(f, variables, x0)
    dx = [v - point[v] for v in variables]
    first = sp.Add(*[gi * di for gi, di in zip(g, dx)])
    second = _quadratic_form(expr, variables, dx, engine, point)
    return f0 + first + second / 2


def gradient_step_value(f, variables, x0, eps):
    """Eq. 4.9: f(x0 - eps g) ~ f(x0) - eps g'g + eps^2/2 g'Hg (eps may be a symbol)."""
    expr, variables, point, engine, f0, g = _model_parts(f, variables, x0)
    eps = _to_sympy(eps, "eps")
    gg = sp.Add(*[gi ** 2 for gi in g])
    gHg = _quadratic_form(expr, variables, g, engine, point)
    return f0 - eps * gg + eps ** 2 / 2 * gHg


def optimal_step(f, variables, x0):
    """Eq. 4.10: eps* = g'g / g'Hg, the step minimizing the quadratic model along -g.

    Raises NoOptimalStep (a DomainError) when g = 0 (nothing to step along) or when
    g'Hg <= 0 is proven (the model decreases without bound: eq. 4.9 has no minimizer) or when
    the sign of a constant g'Hg cannot be proven. When g'Hg depends on parameters the ratio is
    returned as is: it is the optimal step where g'Hg > 0."""
    expr, variables, point, engine, f0, g = _model_parts(f, variables, x0)
    gg = sp.Add(*[gi ** 2 for gi in g])
    if gg.is_zero:
        raise NoOptimalStep(f"the gradient vanishes at {point}: no descent direction",
                            "zero-gradient")
    gHg = _quadratic_form(expr, variables, g, engine, point)
    if gHg.is_nonpositive:
        raise NoOptimalStep(f"g'Hg = {gHg} <= 0 at {point}: the quadratic model decreases "
                            "without bound along -g (eq. 4.9), so eq. 4.10 has no answer",
                            "nonpositive-curvature")
    if not gHg.is_positive and not gHg.free_symbols:
        raise NoOptimalStep(f"cannot prove the sign of g'Hg = {gHg} at {point}",
                            "undecided-curvature")
    return gg / gHg


def taylor(f, variables, x0, order: int, seconds: float | None = None):
    """The Taylor polynomial of `order` at x0:
    sum over multi-indices |a| <= order of D^a f(x0) / a! (x - x0)^a.

    Each derivative is taken once per sorted index tuple (Schwarz), extending the tuple's
    prefix, and only when the last variable occurs in it. Runs under a time budget (step
    "taylor"); BudgetExceeded when it runs out."""
    if isinstance(order, bool) or not isinstance(order, int) or order < 0:
        raise DefinitionError(f"order must be a non-negative integer, got {order!r}")
    expr, default_vars = _scalar(f)
    variables = _variables(expr.free_symbols, variables, default_vars)
    point = _point(variables, x0)
    dx = [v - point[v] for v in variables]
    engine = Differentiator()
    with budget("taylor", seconds):
        derivatives = {(): expr}
        terms = [_at(expr, point)]
        for k in range(1, order + 1):
            for index in combinations_with_replacement(range(len(variables)), k):
                parent = derivatives.get(index[:-1])
                if parent is None or variables[index[-1]] not in engine.free(parent):
                    continue
                d = engine.diff(parent, variables[index[-1]])
                if d == 0:
                    continue
                derivatives[index] = d
                value = _at(d, point)
                if value == 0:
                    continue
                denominator = 1
                monomial = sp.S.One
                for i in set(index):
                    m = index.count(i)
                    denominator *= factorial(m)
                    monomial *= dx[i] ** m
                terms.append(value / denominator * monomial)
    return sp.Add(*terms)
