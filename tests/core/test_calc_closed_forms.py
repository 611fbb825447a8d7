"""Closed forms from the chapter (sections 4.3, 4.3.1, 4.5) and the calculus API's contracts."""

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symopt.core import calculus
from symopt.core.calculus import NoOptimalStep
from symopt.core.objects import Function
from symopt.core.symbols import real_symbol
from symopt.errors import DefinitionError, DimensionError, DomainError, SymoptError

X1, X2, X3 = (real_symbol(n) for n in ("x1", "x2", "x3"))


def test_least_squares_gradient_is_eq_4_22():
    """f = 1/2 ||Ax - b||^2 has gradient A'(Ax - b) and Hessian A'A (eq. 4.21, 4.22)."""
    A = sp.Matrix([[1, 2, 0], [3, -1, 4], [0, 5, 2], [2, 2, -3]])
    b = sp.Matrix([1, -2, 3, sp.Rational(1, 2)])
    x = sp.Matrix([X1, X2, X3])
    r = A * x - b
    f = (r.T * r)[0, 0] / 2
    g, H = calculus.gradient_and_hessian(f, [X1, X2, X3])
    assert (g - A.T * (A * x - b)).expand() == sp.zeros(3, 1)
    assert H == A.T * A
    # a 1 x 1 matrix is accepted as a scalar
    assert calculus.gradient(r.T * r / 2, [X1, X2, X3]).expand() == g.expand()


def test_saddle_of_figure_4_5():
    f = X1 ** 2 - X2 ** 2
    assert calculus.gradient(f, [X1, X2]) == sp.ImmutableMatrix([2 * X1, -2 * X2])
    assert calculus.hessian(f, [X1, X2]) == sp.ImmutableMatrix([[2, 0], [0, -2]])


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9), st.integers(-5, 5), st.integers(-5, 5))
def test_optimal_step_is_inverse_eigenvalue_along_an_eigenvector(l1, l2, a, b):
    """eq. 4.10 on f = 1/2 x'Hx + c'x: when g is an eigenvector of H with eigenvalue lambda,
    eps* = g'g / g'Hg = 1/lambda."""
    Q = sp.Matrix([[3, -4], [4, 3]]) / 5  # rotation: eigenvectors are its columns
    H = Q * sp.diag(l1, l2) * Q.T
    x = sp.Matrix([X1, X2])
    f = (x.T * H * x)[0, 0] / 2
    x0 = Q[:, 0] * sp.Integer(a or 1)  # g = H x0 = l1 x0, an eigenvector
    assert calculus.optimal_step(f, [X1, X2], list(x0)) == sp.Rational(1, l1)
    x0 = Q[:, 1] * sp.Integer(b or 2)
    assert calculus.optimal_step(f, [X1, X2], list(x0)) == sp.Rational(1, l2)


def test_optimal_step_refuses_nonpositive_curvature_and_critical_points():
    saddle = X1 ** 2 - X2 ** 2
    with pytest.raises(NoOptimalStep) as info:
        calculus.optimal_step(saddle, [X1, X2], [0, 1])  # g = (0, -2), g'Hg = -8
    assert info.value.reason == "nonpositive-curvature"
    assert isinstance(info.value, DomainError) and isinstance(info.value, SymoptError)
    with pytest.raises(NoOptimalStep) as info:
        calculus.optimal_step(saddle, [X1, X2], [0, 0])
    assert info.value.reason == "zero-gradient"
    # along a mixed direction the saddle's curvature can be positive: g = (2, -1), g'Hg = 6
    assert calculus.optimal_step(saddle, [X1, X2], [1, sp.Rational(1, 2)]) == sp.Rational(5, 6)


def test_gradient_step_value_eq_4_9_and_its_minimizer_eq_4_10():
    f = 3 * X1 ** 2 + X1 * X2 + X2 ** 2 - X1
    eps = sp.Symbol("epsilon")
    model = calculus.gradient_step_value(f, [X1, X2], [1, 2], eps)
    g = calculus.gradient(f, [X1, X2]).subs({X1: 1, X2: 2})
    # for a quadratic the model is exact: f(x0 - eps g)
    exact = f.subs({X1: 1 - eps * g[0], X2: 2 - eps * g[1]}, simultaneous=True)
    assert sp.expand(model - exact) == 0
    best = calculus.optimal_step(f, [X1, X2], [1, 2])
    assert sp.solve(sp.diff(model, eps), eps) == [best]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(-6, 6), min_size=10, max_size=10))
def test_taylor_models_of_a_quadratic_are_the_quadratic(c):
    f = (c[0] * X1 ** 2 + c[1] * X1 * X2 + c[2] * X2 ** 2 + c[3] * X1 * X3 + c[4] * X3 ** 2
         + c[5] * X1 + c[6] * X2 + c[7] * X3 + c[8])
    x0 = {X1: c[9], "x2": sp.Rational(c[8], 3), X3: -1}
    assert sp.expand(calculus.taylor2(f, [X1, X2, X3], x0) - f) == 0
    assert sp.expand(calculus.taylor(f, [X1, X2, X3], x0, 2) - f) == 0
    assert sp.expand(calculus.taylor(f, [X1, X2, X3], x0, 5) - f) == 0


def test_general_taylor_polynomial_matches_univariate_series_and_known_terms():
    t = real_symbol("t")
    series = sp.series(sp.exp(t) * sp.cos(t), t, 0, 7).removeO()
    assert sp.expand(calculus.taylor(sp.exp(t) * sp.cos(t), [t], [0], 6) - series) == 0
    # e^x sin y at 0 to order 3: y + x y + x^2 y / 2 - y^3 / 6
    poly = calculus.taylor(sp.exp(X1) * sp.sin(X2), [X1, X2], [0, 0], 3)
    assert sp.expand(poly - (X2 + X1 * X2 + X1 ** 2 * X2 / 2 - X2 ** 3 / 6)) == 0
    assert calculus.taylor(sp.exp(X1 + X2), [X1, X2], [0, 0], 0) == 1


def test_directional_derivatives():
    f = X1 ** 2 * X2 + sp.sin(X2)
    u = [sp.Rational(3, 5), sp.Rational(4, 5)]
    expected = u[0] * 2 * X1 * X2 + u[1] * (X1 ** 2 + sp.cos(X2))
    assert sp.expand(calculus.directional_derivative(f, [X1, X2], u) - expected) == 0
    H = calculus.hessian(f, [X1, X2])
    d = sp.Matrix([2, -1])
    assert sp.expand(calculus.second_directional_derivative(f, [X1, X2], d) - (d.T * H * d)[0]) == 0


def test_jacobian_of_polar_coordinates():
    r, th = real_symbol("r"), real_symbol("theta")
    J = calculus.jacobian([r * sp.cos(th), r * sp.sin(th)], [r, th])
    assert J == sp.ImmutableMatrix([[sp.cos(th), -r * sp.sin(th)], [sp.sin(th), r * sp.cos(th)]])
    assert sp.simplify(J.det()) == r
    assert calculus.jacobian(sp.Matrix([X1 * X2, X1 + X3]), [X1, X2, X3]).shape == (2, 3)
    assert calculus.jacobian(X1 * X2, [X1, X2]) == sp.ImmutableMatrix([[X2, X1]])


def test_results_stay_in_the_callers_symbols():
    x, y = sp.symbols("x y")  # plain, non-real symbols
    f = x ** 2 * y
    g = calculus.gradient(f, [x, y])
    assert g == sp.ImmutableMatrix([2 * x * y, x ** 2])
    assert g.free_symbols == {x, y}
    # real variables of the same name are matched to the expression's symbols
    assert calculus.gradient(f, [real_symbol("x"), real_symbol("y")]) == g
    assert calculus.taylor2(f, [x, y], {"x": 1, "y": 1}).free_symbols == {x, y}


def test_function_objects_and_default_variables():
    fn = Function.from_expr(X2 * X1 ** 2 + X3)
    assert fn.hessian() == sp.ImmutableMatrix([[2 * X2, 2 * X1, 0], [2 * X1, 0, 0], [0, 0, 0]])
    assert calculus.gradient(fn) == fn.gradient()
    assert sp.expand(fn.taylor({X1: 1, X2: 0, X3: 2}, 3) - fn.expr) == 0
    assert fn.optimal_step([1, 1, 0]) == calculus.optimal_step(fn.expr, fn.variables, [1, 1, 0])
    assert calculus.gradient(X2 + X10 ** 2) == sp.ImmutableMatrix([1, 2 * X10])  # x2 before x10


X10 = real_symbol("x10")


def test_bad_input_raises_clear_errors():
    f = X1 * X2
    with pytest.raises(DimensionError):
        calculus.taylor2(f, [X1, X2], [1, 2, 3])
    with pytest.raises(DimensionError):
        calculus.taylor2(f, [X1, X2], {X1: 1})
    with pytest.raises(DimensionError):
        calculus.directional_derivative(f, [X1, X2], [1])
    with pytest.raises(DimensionError):
        calculus.gradient(sp.Matrix([X1, X2]), [X1, X2])
    with pytest.raises(DimensionError):
        calculus.jacobian(sp.Matrix([[X1, X2], [X2, X1]]), [X1, X2])
    with pytest.raises(DefinitionError):
        calculus.gradient("x1 * x2", [X1, X2])
    with pytest.raises(DefinitionError):
        calculus.gradient(f, [X1, X1])
    with pytest.raises(DefinitionError):
        calculus.gradient(f, [X1, 2])
    with pytest.raises(DefinitionError):
        calculus.taylor(f, [X1, X2], [0, 0], -1)
    with pytest.raises(DomainError):
        calculus.taylor2(sp.log(X1) + X2, [X1, X2], [0, 1])
    with pytest.raises(DomainError):
        calculus.gradient(X1 + float("nan"), [X1])
    with pytest.raises(DefinitionError):
        calculus.taylor2(X1 ** 2, [X1], [[1, 2]])
