"""Derivatives from symopt.core.calculus against high-precision finite differences (mpmath.diff),
against sympy.diff and symengine, and the structural properties of the Hessian (eq. 4.6, 4.7)."""

import mpmath
import pytest
import symengine
import sympy as sp
from hypothesis import example, given, settings, strategies as st

from symopt.core import calculus
from symopt.core.differentiation import Differentiator
from symopt.core.functions import logsumexp, sigmoid, softplus
from symopt.core.symbols import real_symbol

X, Y, Z = (real_symbol(n) for n in "xyz")
VARS = (X, Y, Z)

MPMATH_FUNCS = [{
    "sigmoid": lambda t: 1 / (1 + mpmath.exp(-t)),
    "softplus": lambda t: mpmath.log(1 + mpmath.exp(t)),
    "logsumexp": lambda *a: mpmath.log(mpmath.fsum(mpmath.exp(v) for v in a)),
}, "mpmath"]

_leaves = st.sampled_from([X, Y, Z, sp.Integer(2), sp.Integer(-3), sp.Rational(1, 2)])


def _grow(children):
    unary = st.sampled_from([
        sp.sin, sp.cos, sp.tanh, sigmoid, softplus, sp.atan,
        lambda u: sp.exp(u / 4), lambda u: sp.log(1 + u ** 2), lambda u: sp.sqrt(2 + u ** 2),
        lambda u: u ** 2, lambda u: u ** 3])
    return st.one_of(
        st.builds(lambda f, u: f(u), unary, children),
        st.builds(lambda a, b: a + b, children, children),
        st.builds(lambda a, b: a * b, children, children),
        st.builds(lambda a, b: a / (1 + b ** 2), children, children),
        st.builds(lambda a, b, c: logsumexp(a, b, c), children, children, children),
    )


expressions = st.recursive(_leaves, _grow, max_leaves=7)
points = st.tuples(*[st.floats(-1.5, 1.5, allow_nan=False).map(lambda v: round(v, 3))] * 3)


def _mp(expr):
    return sp.lambdify(VARS, expr, modules=MPMATH_FUNCS)


@settings(max_examples=40, deadline=None)
@given(expressions, points)
@example(sigmoid(X * Y) * softplus(Z - X), (0.3, -0.7, 1.1))
@example(logsumexp(X, Y ** 2, sp.sin(Z)) / (1 + X ** 2), (-1.2, 0.4, 0.9))
@example(softplus(sigmoid(X) * Y) + sp.exp(X * Y * Z), (1.0, -1.0, 0.5))
def test_gradient_matches_mpmath_finite_differences(expr, point):
    mpmath.mp.dps = 30
    grad = calculus.gradient(expr, VARS)
    f = _mp(expr)
    p = [mpmath.mpf(v) for v in point]
    for i in range(3):
        exact = _mp(grad[i])(*p)
        order = tuple(1 if k == i else 0 for k in range(3))
        numeric = mpmath.diff(f, p, order)
        assert abs(exact - numeric) <= mpmath.mpf("1e-18") * (1 + abs(numeric))


@settings(max_examples=25, deadline=None)
@given(expressions, points, st.integers(0, 2), st.integers(0, 2))
@example(sigmoid(X * Y) * softplus(Z - X), (0.3, -0.7, 1.1), 0, 1)
@example(logsumexp(X, 2 * Y, X * Z), (-1.2, 0.4, 0.9), 2, 0)
@example(softplus(X ** 2 * Y), (0.6, -0.2, 0.0), 0, 0)
def test_hessian_entry_matches_mpmath_finite_differences(expr, point, i, j):
    mpmath.mp.dps = 30
    H = calculus.hessian(expr, VARS)
    p = [mpmath.mpf(v) for v in point]
    order = [0, 0, 0]
    order[i] += 1
    order[j] += 1
    numeric = mpmath.diff(_mp(expr), p, tuple(order))
    exact = _mp(H[i, j])(*p)
    assert abs(exact - numeric) <= mpmath.mpf("1e-15") * (1 + abs(numeric))


@settings(max_examples=40, deadline=None)
@given(expressions)
def test_hessian_is_symmetric_by_construction(expr):
    H = calculus.hessian(expr, VARS)
    assert H.shape == (3, 3)
    assert H == H.T  # structurally equal, not just numerically


def _same(a, b) -> bool:
    difference = sp.expand(a - b)
    return difference == 0 or sp.simplify(difference) == 0


@settings(max_examples=30, deadline=None)
@given(expressions)
def test_engine_agrees_exactly_with_sympy_diff(expr):
    engine = Differentiator()
    for v in VARS:
        assert _same(engine.diff(expr, v), sp.diff(expr, v))


_elementary = st.recursive(
    _leaves,
    lambda c: st.one_of(
        st.builds(lambda f, u: f(u), st.sampled_from([sp.sin, sp.exp, sp.cos]), c),
        st.builds(lambda a, b: a + b, c, c), st.builds(lambda a, b: a * b, c, c),
        st.builds(lambda a: a ** 3, c)),
    max_leaves=6)


@settings(max_examples=30, deadline=None)
@given(_elementary)
def test_engine_agrees_exactly_with_symengine(expr):
    """symengine (an independent C++ differentiator) as the oracle on elementary expressions."""
    back = {sp.Symbol(v.name): v for v in VARS}
    H = calculus.hessian(expr, VARS)
    se_expr = symengine.sympify(expr)
    for i, vi in enumerate(VARS):
        for j, vj in enumerate(VARS):
            theirs = se_expr.diff(symengine.Symbol(vi.name)).diff(symengine.Symbol(vj.name))
            assert _same(H[i, j], sp.sympify(theirs).xreplace(back))


def test_custom_nodes_stay_recognizable():
    g = calculus.gradient(softplus(X * Y) + logsumexp(X, 2 * Y), (X, Y))
    assert g[0] == Y * sigmoid(X * Y) + sp.exp(X - logsumexp(X, 2 * Y))
    assert g[0].has(sigmoid) and g[0].has(logsumexp)
    H = calculus.hessian(sigmoid(X), (X,))
    assert H[0, 0].has(sigmoid) and not H[0, 0].has(sp.exp)


def test_hessian_sparsity_skips_absent_variables():
    n = 30
    xs = [real_symbol(f"x{i}") for i in range(1, n + 1)]
    f = sum(100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1))
    H = calculus.hessian(f, xs)
    for i in range(n):
        for j in range(n):
            if abs(i - j) > 1:
                assert H[i, j] == 0
    assert H[0, 0] == 1200 * xs[0] ** 2 - 400 * xs[1] + 2
    assert H[4, 5] == -400 * xs[4]
    assert H[n - 1, n - 1] == 200


def test_dense_logsumexp_hessian_is_compact_and_correct():
    """Hessian of logsumexp(a_k . x) = sum_k a_ki a_kj p_k - g_i g_j, p = softmax."""
    xs = [real_symbol(f"x{i}") for i in range(1, 4)]
    A = [[1, -2, 3], [2, 1, -1], [-3, 2, 2], [1, 1, 1]]
    rows = [sum(a * x for a, x in zip(row, xs)) for row in A]
    f = logsumexp(*rows)
    g, H = calculus.gradient_and_hessian(f, xs)
    p = [sp.exp(r - f) for r in rows]
    for i in range(3):
        assert g[i] == sp.Add(*[A[k][i] * p[k] for k in range(4)])
        for j in range(3):
            expected = sum(A[k][i] * A[k][j] * p[k] for k in range(4)) - g[i] * g[j]
            at = {xs[0]: sp.Rational(1, 3), xs[1]: -1, xs[2]: sp.Rational(1, 2)}
            assert abs(sp.N((H[i, j] - expected).xreplace(at), 40)) < 1e-35
    assert sp.count_ops(H[0, 1]) < 3 * sp.count_ops(g[0]) * 3


def test_hessian_work_is_linear_for_a_banded_sum(monkeypatch):
    """Sparsity and term-wise differentiation: for extended Rosenbrock the number of derivative
    nodes computed grows linearly in n (no n^2 calls for the zero entries)."""
    calls = []
    original = Differentiator._diff_uncached

    def counting(self, expr, var):
        calls.append(1)
        return original(self, expr, var)

    monkeypatch.setattr(Differentiator, "_diff_uncached", counting)
    counts = {}
    for n in (20, 40):
        xs = [real_symbol(f"x{i}") for i in range(1, n + 1)]
        f = sum(100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(n - 1))
        calls.clear()
        calculus.gradient_and_hessian(f, xs)
        counts[n] = len(calls)
    assert counts[40] <= 2.2 * counts[20]
    assert counts[40] < 40 * 40  # far below one call per Hessian entry
