"""Sums of indexed terms: the slice code (runs, scatter-add gradients, diagonal runs of the
Hessian) must equal exact SymPy derivatives for random chained objectives of random length,
in one-point and batch calls."""

from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symopt.codegen.compile import compile_function
from symopt.codegen.structure import find_runs, group_sum_terms
from symopt.core.symbols import real_symbol

p0, p1, p2 = sp.symbols("p0 p1 p2", real=True)

TERMS = [(p1 - p0**2) ** 2, (1 - p0) ** 2, p0 * p1 * p2, sp.sin(p0 - p2),
         sp.exp(p1 / 4) * p0, (p0 - 2 * p1 + p2) ** 2, sp.log(1 + p1**2), sp.cos(p0) * p1**3]


@settings(max_examples=25, deadline=None)
@given(n=st.integers(3, 9), picks=st.lists(st.integers(0, len(TERMS) - 1), min_size=1,
                                           max_size=3),
       extra=st.booleans(), seed=st.integers(0, 2**16))
def test_slice_code_equals_exact_derivatives(n, picks, extra, seed):
    xs = [real_symbol(f"x{i}") for i in range(1, n + 1)]
    template = sp.Add(*[TERMS[k] for k in picks])
    f = sp.Add(*[template.xreplace({p0: xs[i], p1: xs[i + 1], p2: xs[(i + 2) % n]})
                 for i in range(n - 1)])
    if extra:
        f += xs[0] * xs[-1] + xs[n // 2] ** 4
    c = compile_function(f, xs, path="array")
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(2, n))
    subs = {v: sp.Float(val, 30) for v, val in zip(xs, X[0])}
    grad = np.array([float(sp.diff(f, v).evalf(30, subs=subs)) for v in xs])
    hess = np.array([[float(sp.diff(f, a, b).evalf(30, subs=subs)) for b in xs] for a in xs])
    np.testing.assert_allclose(c(X[0]), float(f.evalf(30, subs=subs)), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c.gradient(X[0]), grad, rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(c.hessian(X[0]), hess, rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(c.gradient(X)[0], grad, rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(c.hessian(X)[0], hess, rtol=1e-11, atol=1e-11)


def test_runs_and_groups_are_found():
    xs = [real_symbol(f"x{i}") for i in range(1, 8)]
    index_of = {v: k for k, v in enumerate(xs)}
    entries = [(i, 2 * xs[i] - xs[i + 1]) for i in range(6)] + [(6, xs[6])]
    runs, singles = find_runs(entries, index_of)
    assert [(r.start, r.stop) for r in runs] == [(0, 6)] and singles == [(6, xs[6])]
    f = sp.Add(*[(xs[i] - xs[i + 1]) ** 2 for i in range(6)]) + xs[0] ** 3
    runs, rest = group_sum_terms(f, tuple(xs))
    assert [(r.start, r.stop) for r in runs] == [(0, 6)] and rest == (xs[0] ** 3,)


def test_dense_quadratic_form_goes_to_matrix_products():
    n = 12
    xs = [real_symbol(f"x{i}") for i in range(1, n + 1)]
    rng = np.random.default_rng(3)
    A = rng.integers(-3, 4, size=(n, n))
    A = A + A.T + 20 * np.eye(n, dtype=int)
    b = rng.integers(-5, 6, size=n)
    f = sp.Add(*[int(A[i, j]) * xs[i] * xs[j] for i in range(n) for j in range(n)]) / 2 \
        + sp.Add(*[int(b[i]) * xs[i] for i in range(n)]) + sp.cos(xs[2])
    c = compile_function(f, xs)
    assert "X @ _gA" in c.source and "X @ _Q" in c.source
    X = rng.normal(size=(4, n))
    want_f = 0.5 * np.einsum("ki,ij,kj->k", X, A, X) + X @ b + np.cos(X[:, 2])
    want_g = X @ A + b
    want_g[:, 2] -= np.sin(X[:, 2])
    np.testing.assert_allclose(c(X), want_f, rtol=1e-13)
    np.testing.assert_allclose(c.gradient(X), want_g, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c.gradient(X[1]), want_g[1], rtol=1e-12, atol=1e-12)
    H = c.hessian(X[0])
    want_H = A.astype(float)
    want_H[2, 2] -= np.cos(X[0, 2])
    np.testing.assert_allclose(H, want_H, rtol=1e-13, atol=1e-13)
