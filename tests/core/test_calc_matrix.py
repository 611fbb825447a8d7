"""Symbolic matrix calculus: results in matrix form, checked against explicit matrices."""

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symopt.core import calculus
from symopt.core.matrix_calculus import matrix_gradient, matrix_hessian, squared_norm
from symopt.core.symbols import real_symbol
from symopt.errors import DefinitionError, DimensionError

N = 3
A = sp.MatrixSymbol("A", N, N)
C = sp.MatrixSymbol("C", N, N)
b = sp.MatrixSymbol("b", N, 1)
x = sp.MatrixSymbol("x", N, 1)
HALF = sp.Rational(1, 2)


def test_the_three_common_forms_in_matrix_form():
    least_squares = HALF * squared_norm(A * x - b)
    assert matrix_gradient(least_squares, x) == A.T * (A * x - b)
    assert matrix_hessian(least_squares, x) == A.T * A
    assert matrix_gradient(x.T * A * x, x) == (A + A.T) * x
    assert matrix_hessian(x.T * A * x, x) == A + A.T
    assert matrix_gradient(b.T * x, x) == b
    assert matrix_hessian(b.T * x, x) == sp.ZeroMatrix(N, N)


def test_symbolic_dimension():
    n = sp.Symbol("n", integer=True, positive=True)
    M, v = sp.MatrixSymbol("M", n, n), sp.MatrixSymbol("v", n, 1)
    assert matrix_gradient(v.T * M * v, v) == (M + M.T) * v
    assert matrix_hessian(v.T * M * v, v) == M + M.T


def _explicit(expr, values):
    return sp.ImmutableMatrix(expr.subs(values).doit().as_explicit())


matrices = st.lists(st.integers(-4, 4), min_size=N * N, max_size=N * N).map(
    lambda v: sp.ImmutableMatrix(N, N, v))
vectors = st.lists(st.integers(-4, 4), min_size=N, max_size=N).map(
    lambda v: sp.ImmutableMatrix(N, 1, v))


@settings(max_examples=15, deadline=None)
@given(matrices, matrices, vectors, st.integers(-3, 3), st.integers(-3, 3))
def test_sums_and_multiples_agree_with_explicit_calculus(Av, Cv, bv, s, t):
    f = s * HALF * squared_norm(A * x - b) + t * x.T * C * x - 2 * b.T * x
    xs = [real_symbol(f"x{i}") for i in range(N)]
    values = {A: Av, C: Cv, b: bv, x: sp.ImmutableMatrix(xs)}
    explicit_f = _explicit(f, values)[0, 0]
    g, H = calculus.gradient_and_hessian(explicit_f, xs)
    assert (_explicit(matrix_gradient(f, x), values) - g).expand() == sp.zeros(N, 1)
    assert _explicit(matrix_hessian(f, x), values) == H


def test_unsupported_forms_raise_clear_errors():
    with pytest.raises(DefinitionError):
        matrix_gradient(sp.sin((x.T * x)[0, 0]), x)
    with pytest.raises(DefinitionError):
        matrix_gradient((x.T * A * x)[0, 0], x)  # SymPy would silently answer 0 here
    with pytest.raises(DimensionError):
        matrix_gradient(A * x, x)
    with pytest.raises(DefinitionError):
        matrix_gradient(x.T * x, A * x)
    with pytest.raises(DimensionError):
        matrix_gradient(A[0:1, :] * A, A)
