"""classify(): exact second-derivative test, numeric points with error bounds, inertia."""

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symopt.analysis.classify.second_derivative import classify
from symopt.analysis.exact.inertia import Inertia, exact_inertia, rational_inertia
from symopt.analysis.results import Kind
from symopt.core.symbols import real_symbol
from symopt.errors import DimensionError

x, y, z = (real_symbol(n) for n in "xyz")
R = sp.Rational


def test_minimum_maximum_saddle_at_rational_points():
    assert classify(x**2 + y**2, (x, y), {x: 0, y: 0}).kind is Kind.MINIMUM
    assert classify(-x**2 - y**2, (x, y), (0, 0)).kind is Kind.MAXIMUM
    c = classify(x**2 - y**2, (x, y), {"x": 0, "y": 0})
    assert c.kind is Kind.SADDLE and not c.degenerate
    assert sorted(c.eigenvalues) == [-2, 2]
    assert c.witness is not None


def test_saddle_witness_is_true():
    f = x**3 + y**3 - 3 * x * y
    c = classify(f, (x, y), {x: 0, y: 0})
    w = c.witness
    s = w["step"]
    up = f.xreplace({x: s * w["direction_up"][0], y: s * w["direction_up"][1]})
    down = f.xreplace({x: s * w["direction_down"][0], y: s * w["direction_down"][1]})
    assert up > 0 > down


def test_algebraic_point_sqrt3():
    f = x**3 - x + y**2
    assert classify(f, (x, y), {x: sp.sqrt(3) / 3, y: 0}).kind is Kind.MINIMUM
    assert classify(f, (x, y), {x: -sp.sqrt(3) / 3, y: 0}).kind is Kind.SADDLE


def test_crootof_point():
    # f = x^4/4 - x^2 - x (grad x^3 - 2x - 1 = (x + 1)(x^2 - x - 1)) + y^2
    f = x**4 / 4 - x**2 - x + y**2
    r = sp.CRootOf(x**2 - x - 1, 1)      # golden ratio: f'' = 3 phi^2 - 2 > 0
    assert classify(f, (x, y), {x: r, y: 0}).kind is Kind.MINIMUM
    # at x = -1: f'' = 3 - 2 = 1 > 0 and f_yy = 2
    assert classify(f, (x, y), {x: -1, y: 0}).kind is Kind.MINIMUM


def test_crootof_point_kinds_against_second_derivative():
    f = x**4 / 4 - x**2 - x - y**2
    for k, expected in [(0, Kind.MAXIMUM), (1, Kind.SADDLE)]:
        # roots of x^2 - x - 1: (1 - sqrt5)/2 has f'' = 3x^2 - 2 < 0, (1 + sqrt5)/2 has > 0
        c = classify(f, (x, y), {x: sp.CRootOf(x**2 - x - 1, k), y: 0})
        assert c.kind is expected


def test_degenerate_minimum_decided_by_higher_order():
    c = classify(x**4 + y**2, (x, y), (0, 0))
    assert c.degenerate and c.kind is Kind.MINIMUM and c.test == "higher-order"


def test_monkey_saddle_degenerate():
    c = classify(x**3 - 3 * x * y**2, (x, y), (0, 0))
    assert c.degenerate and c.kind is Kind.SADDLE and c.test == "higher-order"


def test_cusp_x2_plus_y3_is_a_saddle():
    c = classify(x**2 + y**3, (x, y), (0, 0))
    assert c.degenerate and c.kind is Kind.SADDLE and c.test == "higher-order"


HIMMELBLAU = (x**2 + y - 11)**2 + (x + y**2 - 7)**2
NEAR = {x: sp.Rational(1, 10**5), y: sp.Rational(1, 10**5)}


def test_float_point_that_is_exactly_critical_is_classified_exactly():
    # 3.0 and 2.0 are the numbers 3 and 2: grad f vanishes there exactly
    c = classify(HIMMELBLAU, (x, y), {x: 3.0, y: 2.0})
    assert c.kind is Kind.MINIMUM and c.method == "exact"


def test_six_digit_approximation_is_not_a_critical_point():
    # within the floats' own rounding, grad f is bounded away from 0: no verdict
    c = classify(HIMMELBLAU, (x, y), {x: -0.270845, y: -0.923039})
    assert c.kind is Kind.NOT_CRITICAL and c.method == "certified"
    assert abs(float(c.gradient[0]) - 2.04610076e-5) < 1e-12


def test_approximate_point_with_a_radius_is_certified():
    c = classify(HIMMELBLAU, (x, y), {x: -0.270845, y: -0.923039}, radius=NEAR)
    assert c.kind is Kind.MAXIMUM and c.method == "certified" and "Krawczyk" in c.reason
    c = classify(HIMMELBLAU, (x, y), {x: 0.0866775, y: 2.884255}, radius=NEAR)
    assert c.kind is Kind.SADDLE and c.method == "certified"


def test_no_verdict_where_the_gradient_does_not_vanish():
    c = classify(x**2 + y**2, (x, y), {x: 1, y: 0})
    assert c.kind is Kind.NOT_CRITICAL and c.gradient == (2, 0) and c.method == "exact"
    assert classify(x**3, (x,), {x: 1}).kind is Kind.NOT_CRITICAL
    assert classify(sp.sin(x), (x,), {x: sp.Rational(1, 2)}).kind is Kind.NOT_CRITICAL
    assert classify(sp.sin(x), (x,), {x: sp.pi / 2}).kind is Kind.MAXIMUM


def test_float_near_a_transcendental_critical_point():
    # 1.5707963267948966 is not pi/2, but pi/2 is within one ulp: certified maximum
    c = classify(sp.sin(x), (x,), {x: 1.5707963267948966})
    assert c.kind is Kind.MAXIMUM and c.method == "certified"
    # two ulps away from no critical point at all
    assert classify(sp.sin(x), (x,), {x: 1.5}).kind is Kind.NOT_CRITICAL


def test_float_zero_is_the_exact_zero():
    # 0.0 is 0: the exact higher-order test decides the degenerate point
    c = classify(x**4 + y**2, (x, y), {x: 0.0, y: 0.0})
    assert c.kind is Kind.MINIMUM and c.degenerate and c.method == "exact"


def test_numeric_tiny_but_nonzero_eigenvalue_is_decided_at_high_precision():
    eps = sp.Float("1e-25", 40)
    c = classify(eps * x**2 + y**2, (x, y), {x: 0.0, y: 0.0})
    assert c.kind is Kind.MINIMUM


def test_wrong_point_size():
    with pytest.raises(DimensionError):
        classify(x**2, (x, y), (0,))


def test_value_is_exact():
    c = classify(x**4 + y**4 - 4 * x * y + 1, (x, y), (1, 1))
    assert c.value == -1 and c.kind is Kind.MINIMUM and c.strict


# -- inertia ---------------------------------------------------------------------------------
def test_rational_inertia_known():
    assert rational_inertia(sp.Matrix([[2, 1], [1, 3]])) == Inertia(2, 0, 0)
    assert rational_inertia(sp.Matrix([[0, 1], [1, 0]])) == Inertia(1, 1, 0)
    assert rational_inertia(sp.diag(1, 0, -3, 0)) == Inertia(1, 1, 2)
    assert rational_inertia(sp.zeros(3, 3)) == Inertia(0, 0, 3)


def test_exact_inertia_algebraic_entries():
    s2 = sp.sqrt(2)
    # [[1, sqrt2], [sqrt2, 2]] is singular PSD: det = 0 exactly
    assert exact_inertia(sp.Matrix([[1, s2], [s2, 2]])) == Inertia(1, 0, 1)
    # a hair off singular: det = 2 + 10^-30 - 2 > 0
    assert exact_inertia(sp.Matrix([[1, s2], [s2, 2 + R(1, 10**30)]])) == Inertia(2, 0, 0)


def test_rational_inertia_6x6_agrees_with_eigenvalues():
    # (its speed is measured in bench/critical.py, not here)
    rng = np.random.default_rng(0)
    A = rng.integers(-9, 10, size=(6, 6))
    H = sp.Matrix(A + A.T) / 7
    inert = rational_inertia(H)
    eig = np.linalg.eigvalsh(np.array(H.tolist(), dtype=float))
    assert (inert.positive, inert.negative, inert.zero) == (
        int((eig > 1e-9).sum()), int((eig < -1e-9).sum()), int((abs(eig) <= 1e-9).sum()))


def test_generic_exact_path_agrees_with_the_number_field_path():
    # classify() on CRootOf coordinates (interval signs + exact zero tests) must reproduce the
    # kinds the polynomial rung found in Q[t]/(r)
    from symopt.analysis.critical import critical_points
    f = (x**2 + y - 11)**2 + (x + y**2 - 7)**2
    for p in critical_points(f).points:
        c = classify(f, (x, y), p.point)
        assert c.kind is p.kind
        if p.kind is Kind.MINIMUM:
            assert c.value == 0          # Himmelblau's minima are its four zeros


@settings(max_examples=25, deadline=None)
@given(t=st.floats(min_value=0.3, max_value=6.0))
def test_no_verdict_from_a_rounding_error_on_a_family(t):
    """sin(x y) has curves of critical points x y = pi/2 (f = 1). A float64 point on the curve
    has a tangent eigenvalue ~1e-17 that is rounding, not curvature: known to 1e-12, the point
    gets no strict verdict (the ladder's uncertified points are classified this way)."""
    xv = t
    yv = float(mpmath.pi / 2 / t)
    r = sp.Rational(1, 10**12)
    c = classify(sp.sin(x * y), (x, y), {x: xv, y: yv}, radius={x: r, y: r})
    assert c.kind is Kind.INCONCLUSIVE and c.degenerate
