"""Matrix calculus with symbolic matrices (SymPy MatrixSymbol), results in matrix form.

Covered: scalar (1 x 1) matrix expressions in a column vector x built from sums, products,
transposes and scalar multiples of symbolic matrices and vectors, such as

    f = 1/2 ||A x - b||^2 = 1/2 (A x - b)'(A x - b)   grad = A'(A x - b)  (eq. 4.22)   H = A'A
    f = x' A x                                        grad = (A + A') x                H = A + A'
    f = b' x                                          grad = b                         H = 0

and their sums and scalar multiples. The derivative rules are SymPy's matrix-expression
derivatives (sympy >= 1.12); this module fixes the edge cases around them: it rejects the forms
SymPy gets wrong or leaves unevaluated (matrix elements such as (x'Ax)[0, 0], functions of
matrices), returns a ZeroMatrix instead of `Derivative(b, x)` for constant gradients, and
factors a common right factor: A x + A' x -> (A + A') x.
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import (
    Identity, MatAdd, MatMul, MatrixExpr, MatrixSymbol, Transpose, ZeroMatrix,
)

from symopt.budget import budget
from symopt.errors import DefinitionError, DimensionError

__all__ = ["squared_norm", "matrix_gradient", "matrix_hessian"]

def squared_norm(v: MatrixExpr) -> MatrixExpr:
    """||v||^2 = v' v for a column vector expression v (a 1 x 1 matrix expression)."""
    if not isinstance(v, MatrixExpr) or v.shape[1] != 1:
        raise DimensionError(f"squared_norm needs a column vector expression, got {v!r}")
    return v.T * v


def _check_variable(x) -> None:
    if not isinstance(x, MatrixSymbol):
        raise DefinitionError(f"the variable must be a MatrixSymbol column vector, got {x!r}")
    if x.shape[1] != 1:
        raise DimensionError(f"the variable must be a column vector (n x 1), got shape {x.shape}")


def _check_supported(f) -> None:
    """Only trees of matrix sums/products/transposes with scalar coefficients free of matrices."""
    if isinstance(f, (MatrixSymbol, Identity, ZeroMatrix)):
        return
    if isinstance(f, (MatAdd, MatMul, Transpose)):
        for arg in f.args:
            if isinstance(arg, MatrixExpr):
                _check_supported(arg)
            elif arg.atoms(MatrixSymbol):
                raise DefinitionError(f"unsupported matrix form (matrix inside a scalar): {arg}")
        return
    raise DefinitionError(
        f"unsupported matrix form {type(f).__name__}: {f}. Supported: sums, products, "
        "transposes and scalar multiples of symbolic matrices (e.g. 1/2 (Ax-b)'(Ax-b), x'Ax, "
        "b'x); for anything else use explicit matrices and symopt.core.calculus")


def _scalar_matrix_expr(f, x):
    _check_variable(x)
    if not isinstance(f, MatrixExpr):
        raise DefinitionError(f"expected a matrix expression in {x}, got {f!r}")
    if f.shape != (1, 1):
        raise DimensionError(f"expected a scalar (1 x 1) matrix expression, got shape {f.shape}")
    _check_supported(f)
    return f


def _factor_right(expr: MatrixExpr, x: MatrixSymbol) -> MatrixExpr:
    """sum_k L_k x -> (sum_k L_k) x when every term ends in x (x alone counts as I x)."""
    if not isinstance(expr, MatAdd):
        return expr
    lefts = []
    for term in expr.args:
        if term == x:
            lefts.append(Identity(x.shape[0]))
        elif isinstance(term, MatMul) and term.args[-1] == x and len(term.args) >= 2:
            lefts.append(MatMul(*term.args[:-1]).doit() if len(term.args) > 2 else term.args[0])
        else:
            return expr
    left = MatAdd(*lefts).doit()
    if not isinstance(left, MatrixExpr):
        return expr
    return MatMul(left, x)


def _finish(result, shape, what: str):
    if result.has(sp.Derivative) or type(result).__name__.endswith("Derivative"):
        raise DefinitionError(f"SymPy left the {what} unevaluated: {result}")
    if not isinstance(result, MatrixExpr):
        result = sp.ImmutableMatrix(result) if isinstance(result, sp.MatrixBase) else result
    if getattr(result, "shape", None) != shape:
        raise DimensionError(f"the {what} came out with shape {getattr(result, 'shape', None)}, "
                             f"expected {shape}")
    return result


def matrix_gradient(f: MatrixExpr, x: MatrixSymbol, seconds: float | None = None) -> MatrixExpr:
    """grad_x f as an n x 1 matrix expression, e.g. A'(Ax - b) for 1/2 ||Ax - b||^2."""
    f = _scalar_matrix_expr(f, x)
    n = x.shape[0]
    if x not in f.free_symbols:
        return ZeroMatrix(n, 1)
    with budget("matrix gradient", seconds):
        g = f.diff(x)
    if getattr(g, "shape", None) == (1, n):
        g = g.T
    g = _finish(g, (n, 1), "gradient")
    return _factor_right(g, x)


def matrix_hessian(f: MatrixExpr, x: MatrixSymbol, seconds: float | None = None) -> MatrixExpr:
    """The n x n Hessian of f in x, e.g. A'A for 1/2 ||Ax - b||^2, A + A' for x'Ax."""
    g = matrix_gradient(f, x, seconds)
    n = x.shape[0]
    if x not in g.free_symbols:
        return ZeroMatrix(n, n)
    with budget("matrix hessian", seconds):
        H = g.diff(x)
    return _finish(H, (n, n), "Hessian")
