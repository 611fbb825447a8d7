"""Condition numbers (eq. 4.2) and the largest stable gradient-descent step."""

import numpy as np
import pytest
import sympy as sp

from symopt.analysis.conditioning import condition_number, learning_rate_bound
from symopt.errors import DimensionError


def test_chapter_figure_4_6_condition_number_5():
    H = sp.Matrix([[3, 2], [2, 3]])   # eigenvalues 5 (along [1, 1]) and 1 (along [1, -1])
    assert condition_number(H) == 5
    assert learning_rate_bound(H) == sp.Rational(2, 5)


def test_exact_radical_condition_number():
    H = sp.Matrix([[2, 1], [1, 1]])   # (3 +- sqrt5)/2
    k = condition_number(H)
    assert sp.simplify(k - (3 + sp.sqrt(5)) / (3 - sp.sqrt(5))) == 0


def test_singular_is_infinite():
    assert condition_number(sp.Matrix([[1, 1], [1, 1]])) == sp.oo
    assert condition_number(np.array([[1.0, 2.0], [2.0, 4.0]])) == float("inf")


def test_nonsymmetric_uses_singular_values():
    A = sp.Matrix([[1, 1], [0, 1]])
    k = condition_number(A)
    s = np.linalg.svd(np.array([[1.0, 1.0], [0.0, 1.0]]), compute_uv=False)
    assert abs(float(k) - s[0] / s[1]) < 1e-12


def test_numeric_matches_numpy():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(5, 5))
    H = A @ A.T + np.eye(5)
    ev = np.linalg.eigvalsh(H)
    assert abs(condition_number(H) - ev.max() / ev.min()) < 1e-8 * ev.max() / ev.min()
    assert abs(learning_rate_bound(H) - 2 / ev.max()) < 1e-12


def test_large_rational_falls_back_to_float():
    H = sp.Matrix(6, 6, lambda i, j: sp.Rational(1, i + j + 1))  # Hilbert matrix
    k = condition_number(H)
    assert isinstance(k, float) and 1.4e7 < k < 1.6e7


def test_bad_shapes():
    with pytest.raises(DimensionError):
        condition_number(sp.Matrix([[1, 2, 3]]))
    with pytest.raises(DimensionError):
        condition_number(np.ones((2, 3)))
