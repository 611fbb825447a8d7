"""compile_function: values, gradients and Hessians against exact SymPy evaluation, batch shapes,
sparse Hessians, the slice-vectorized path, EvaluationError, and naive-vs-stable behaviour."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symopt.codegen.compile import compile_function
from symopt.core.functions import logsumexp, sigmoid, softmax_vector, softplus
from symopt.core.objects import Function
from symopt.core.symbols import real_symbol
from symopt.errors import DefinitionError, DimensionError, EvaluationError

x, y, z = real_symbol("x"), real_symbol("y"), real_symbol("z")

FUNCTIONS = {
    "rosenbrock": (100 * (y - x**2) ** 2 + (1 - x) ** 2, (x, y)),
    "trig_poly": (sp.sin(x) * sp.cos(y) + x**3 * y - 3 * x * y**2 + sp.exp(z / 3) * x, (x, y, z)),
    "ml": (sp.log(sp.exp(x) + sp.exp(y)) + softplus(x - z) + sigmoid(y * z) - x * y, (x, y, z)),
    "rational": (1 / (1 + x**2 + y**2) + sp.sqrt(1 + x**2) * y, (x, y)),
}


def exact_derivatives(expr, variables, point):
    """f, gradient, Hessian of the ORIGINAL expression, evaluated exactly then rounded."""
    subs = {v: sp.Float(p, 30) for v, p in zip(variables, point)}
    f = float(expr.evalf(30, subs=subs))
    grad = [float(sp.diff(expr, v).evalf(30, subs=subs)) for v in variables]
    hess = [[float(sp.diff(expr, a, b).evalf(30, subs=subs)) for b in variables]
            for a in variables]
    return f, np.array(grad), np.array(hess)


coordinate = st.floats(min_value=-3, max_value=3, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("path", ["scalar", "array"])
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_compiled_matches_exact_sympy(name, path, data):
    expr, variables = FUNCTIONS[name]
    c = _compiled(name, path)
    point = np.array(data.draw(st.tuples(*[coordinate] * len(variables))))
    f, g, H = exact_derivatives(expr, variables, point)
    np.testing.assert_allclose(c(point), f, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c.gradient(point), g, rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(c.hessian(point), H, rtol=1e-10, atol=1e-10)
    value, grad = c.value_and_grad(point)
    np.testing.assert_allclose(value, f, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad, g, rtol=1e-11, atol=1e-11)


_CACHE: dict = {}


def _compiled(name, path):
    if (name, path) not in _CACHE:
        expr, variables = FUNCTIONS[name]
        _CACHE[name, path] = compile_function(expr, variables, path=path)
    return _CACHE[name, path]


@pytest.mark.parametrize("shape", [(), (5,), (2, 3)])
def test_batch_shapes_and_batch_equals_pointwise(shape):
    expr, variables = FUNCTIONS["ml"]
    c = compile_function(expr, variables)
    rng = np.random.default_rng(1)
    X = rng.normal(size=shape + (3,))
    assert np.shape(c(X)) == shape
    assert c.gradient(X).shape == shape + (3,)
    assert c.hessian(X).shape == shape + (3, 3)
    flat = X.reshape(-1, 3)
    for k, point in enumerate(flat):
        idx = np.unravel_index(k, shape) if shape else ()
        assert c(X)[idx] == pytest.approx(c(point), rel=1e-14) if shape else True
        np.testing.assert_allclose(c.hessian(X)[idx], c.hessian(point), rtol=1e-13)


def test_constant_entries_broadcast_over_a_batch():
    c = compile_function(x**2 + 3 * y, (x, y))
    X = np.arange(8.0).reshape(4, 2)
    H = c.hessian(X)
    assert H.shape == (4, 2, 2)
    np.testing.assert_array_equal(H[:, 0, 0], 2.0)
    np.testing.assert_array_equal(H[:, 1, 1], 0.0)
    np.testing.assert_array_equal(c.gradient(X)[:, 1], 3.0)
    constant = compile_function(sp.Integer(5), (x,))
    np.testing.assert_array_equal(constant(np.zeros((3, 1))), [5.0, 5.0, 5.0])
    assert constant(np.zeros(1)) == 5.0


def extended_rosenbrock(n):
    xs = [real_symbol(f"x{i}") for i in range(1, n + 1)]
    f = sp.Add(*[100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1)])
    return f, xs


def rosen_grad(X):
    xm, xp = X[..., :-1], X[..., 1:]
    d = xp - xm**2
    g = np.zeros_like(X)
    g[..., :-1] = -400 * xm * d - 2 * (1 - xm)
    g[..., 1:] += 200 * d
    return g


def rosen_hess(x0):
    n = len(x0)
    H = np.zeros((n, n))
    for i in range(n - 1):
        H[i, i] += 1200 * x0[i] ** 2 - 400 * x0[i + 1] + 2
        H[i + 1, i + 1] += 200
        H[i, i + 1] = H[i + 1, i] = -400 * x0[i]
    return H


@pytest.mark.parametrize("n", [2, 5, 30])
def test_sparse_rosenbrock_hessian_has_exact_zeros(n):
    f, xs = extended_rosenbrock(n)
    c = compile_function(f, xs)
    rng = np.random.default_rng(n)
    X = rng.normal(size=(4, n))
    H = c.hessian(X)
    for k in range(4):
        np.testing.assert_allclose(H[k], rosen_hess(X[k]), rtol=1e-13, atol=1e-10)
        off_band = ~np.eye(n, dtype=bool) & ~np.eye(n, k=1, dtype=bool) & ~np.eye(n, k=-1,
                                                                                dtype=bool)
        assert np.all(H[k][off_band] == 0.0)
        np.testing.assert_array_equal(H[k], H[k].T)
    np.testing.assert_allclose(c.gradient(X), rosen_grad(X), rtol=1e-13, atol=1e-10)
    np.testing.assert_allclose(c.hessian(X[0]), rosen_hess(X[0]), rtol=1e-13, atol=1e-10)


def test_large_chained_objective_uses_slices_and_stays_exact():
    n = 12
    xs = [real_symbol(f"x{i}") for i in range(n)]
    f = sp.Add(*[(xs[i] - xs[i + 1]) ** 2 + xs[i] ** 4 / 4 + sp.cos(xs[i] * xs[i + 2])
                 for i in range(n - 2)]) + xs[-1] ** 2
    c = compile_function(f, xs)
    assert ":" in c.source  # runs of shift-equal terms evaluated on slices
    rng = np.random.default_rng(7)
    point = rng.uniform(-1, 1, size=n)
    fv, g, H = exact_derivatives(f, xs, point)
    assert c(point) == pytest.approx(fv, rel=1e-13)
    np.testing.assert_allclose(c.gradient(point), g, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c.hessian(point), H, rtol=1e-12, atol=1e-12)
    batch = np.stack([point, -point])
    np.testing.assert_allclose(c.hessian(batch)[0], H, rtol=1e-12, atol=1e-12)


def test_evaluation_error_names_output_and_point():
    c = compile_function(sp.exp(x) + y, (x, y))
    with pytest.raises(EvaluationError) as err:
        c(np.array([1000.0, 2.0]))
    message = str(err.value)
    assert message.startswith("f ") and "x=1000.0" in message and "y=2.0" in message
    assert "overflow" in message
    batch = np.array([[1.0, 0.0], [2.0, 0.0], [1000.0, 5.0]])
    with pytest.raises(EvaluationError) as err:
        c.gradient(batch)
    assert "gradient entry 0 (df/dx)" in str(err.value) and "batch index (2,)" in str(err.value)
    h = compile_function(sp.exp(x * y), (x, y))
    with pytest.raises(EvaluationError, match=r"Hessian entry \(0, 0\)"):
        h.hessian(np.array([30.0, 30.0]))
    nan = compile_function(sp.log(x), (x,))
    with pytest.raises(EvaluationError, match="NaN"):
        nan(np.array([-1.0]))


def test_check_false_returns_non_finite_values_silently():
    c = compile_function(sp.exp(x), (x,), check=False)
    assert c(np.array([1000.0])) == math.inf
    assert np.isinf(c.gradient(np.array([[1000.0], [0.0]]))[0, 0])


def test_naive_code_fails_where_stable_code_works():
    lse = sp.log(sp.exp(x) + sp.exp(y))
    naive = compile_function(lse, (x, y), stabilize=False)
    stable = compile_function(lse, (x, y))
    p = np.array([1000.0, 1000.0])
    with pytest.raises(EvaluationError):
        naive(p)
    assert stable(p) == pytest.approx(1000 + math.log(2), rel=1e-15)
    # its gradient is the softmax: stable once logsumexp is
    np.testing.assert_allclose(stable.gradient(p), [0.5, 0.5], rtol=1e-15)
    np.testing.assert_allclose(stable.hessian(p), [[0.25, -0.25], [-0.25, 0.25]], rtol=1e-15)
    # softmax of [1000, 1000]
    soft = softmax_vector([x, y])[0]
    with pytest.raises(EvaluationError):
        compile_function(soft, (x, y), stabilize=False)(p)
    assert compile_function(soft, (x, y))(p) == 0.5
    # sigmoid at -1000: naive log(sigmoid) is log(0) = -inf; written exp(x)/(1 + exp(x)) at
    # +1000 it is inf/inf
    with pytest.raises(EvaluationError):
        compile_function(sp.log(sigmoid(x)), (x,), stabilize=False)(np.array([-1000.0]))
    assert compile_function(sp.log(sigmoid(x)), (x,))(np.array([-1000.0])) == -1000.0
    written = sp.exp(x) / (1 + sp.exp(x))
    with pytest.raises(EvaluationError, match="NaN"):
        compile_function(written, (x,), stabilize=False)(np.array([1000.0]))
    assert compile_function(written, (x,))(np.array([1000.0])) == 1.0
    assert compile_function(sigmoid(x), (x,)).gradient(np.array([-1000.0]))[0] == 0.0
    # log(1 + 1e-20): naive loses every bit (returns 0), log1p does not
    assert compile_function(sp.log(1 + x), (x,), stabilize=False)(np.array([1e-20])) == 0.0
    assert compile_function(sp.log(1 + x), (x,))(np.array([1e-20])) == 1e-20


def test_logsumexp_hessian_keeps_relative_accuracy_when_one_weight_dominates():
    # diagonal p(1 - p) with 1 - p = 2 e^-40 / (1 + 2 e^-40): p - p^2 would round to 0
    c = compile_function(sp.log(sp.exp(x) + sp.exp(y) + sp.exp(z)), (x, y, z))
    H = c.hessian(np.array([40.0, 0.0, 0.0]))
    q = 1 / (math.exp(40) + 2)  # the two small softmax weights
    p = 1 - 2 * q
    assert H[0, 0] == pytest.approx(2 * q * p, rel=1e-14)
    assert H[1, 1] == pytest.approx(q * (1 - q), rel=1e-14)
    assert H[1, 2] == pytest.approx(-q * q, rel=1e-14)


def test_logsumexp_node_gradient_and_hessian_at_extremes():
    c = compile_function(logsumexp(x, y, z), (x, y, z))
    for p in ([1000.0, 1000.0, 1000.0], [-1000.0, -1000.0, -1000.0]):
        np.testing.assert_allclose(c.gradient(np.array(p)), [1 / 3] * 3, rtol=1e-15)
        H = c.hessian(np.array(p))
        np.testing.assert_allclose(H, (np.eye(3) - 1 / 3) / 3, rtol=1e-14, atol=1e-16)


def test_scalar_path_falls_back_on_math_errors():
    # math.exp(800) raises OverflowError; the true value exp(800 - 800) = 1 is fine
    c = compile_function(sp.exp(x) * sp.exp(-y), (x, y), path="scalar")
    assert c(np.array([1.0, 1.0])) == pytest.approx(1.0)
    with pytest.raises(EvaluationError):
        c(np.array([800.0, 0.0]))
    d = compile_function(x * sp.log(x), (x,), path="scalar")
    assert d(np.array([0.0])) == 0.0


def test_bad_input_raises_clear_errors():
    c = compile_function(x + y, (x, y))
    with pytest.raises(DimensionError, match="2 coordinates"):
        c(np.zeros(3))
    with pytest.raises(DefinitionError, match="z"):
        compile_function(x + z, (x,))
    with pytest.raises(DimensionError):
        compile_function(sp.Matrix([x, y]))
    with pytest.raises(DefinitionError):
        compile_function("x + y")


def test_accepts_function_objects_and_shows_source():
    fn = Function.from_expr(x**2 * y, name="f")
    c = compile_function(fn)
    assert c.variables == (x, y)
    assert c(np.array([3.0, 2.0])) == 18.0
    assert "def _gradient_array" in c.source and "def _hessian_array" not in c.source
    np.testing.assert_array_equal(c.hessian(np.array([3.0, 2.0])), [[4.0, 6.0], [6.0, 0.0]])
    assert "def _hessian_array" in c.source  # compiled on first use
    assert "CompiledFunction" in repr(c) and "stabilized" in repr(c)


def test_stabilizing_out_of_time_falls_back_and_says_so():
    xs = [real_symbol(f"u{i}") for i in range(400)]
    f = sp.Add(*[sp.log(1 + sp.exp(v)) * sp.cos(v) ** 2 for v in xs])
    c = compile_function(f, xs, seconds=0.01)
    assert c.notes and "stabilize" in c.notes[0]
    point = np.full(400, 0.5)
    assert c(point) == pytest.approx(400 * math.log(1 + math.exp(0.5)) * math.cos(0.5) ** 2,
                                     rel=1e-12)


def test_compiled_function_is_read_only_and_serializable():
    c = compile_function(sp.log(1 + sp.exp(x)) + y**2, (x, y))
    with pytest.raises(AttributeError):
        c.check = False
    d = c.to_dict()
    assert d["variables"] == ["x", "y"] and "logsumexp_written" in d["rules_applied"]
    assert d["compiled"] == str(softplus(x) + y**2)
    assert "softplus" in c._repr_latex_()


def test_kinks_and_unsupported_functions_are_reported_clearly():
    c = compile_function(3 * sp.Abs(x) + x**2, (x,))
    assert c(np.array([0.0])) == 0.0
    np.testing.assert_array_equal(c.hessian(np.array([[1.0], [-2.0]])), [[[2.0]], [[2.0]]])
    with pytest.raises(EvaluationError, match="kink"):
        c.hessian(np.array([0.0]))
    with pytest.raises(DefinitionError, match="zeta"):
        compile_function(sp.zeta(x), (x,))


def test_non_numeric_or_non_finite_input_is_reported():
    c = compile_function(x * y, (x, y))
    with pytest.raises(DimensionError, match="real numbers"):
        c(["a", "b"])
    with pytest.raises(EvaluationError, match="input point itself"):
        c(np.array([np.nan, 1.0]))
