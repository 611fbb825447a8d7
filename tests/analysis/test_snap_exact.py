"""Numeric critical points recognized as exact only when the exact gradient vanishes there."""

import sympy as sp

from symopt.analysis.critical import critical_points
from symopt.analysis.results import Kind
from symopt.core.symbols import real_symbol

x, y = real_symbol("x"), real_symbol("y")


def test_origin_of_a_transcendental_function_becomes_exact():
    cs = critical_points(x**4 - 4 * x * y + y**4 + sp.exp(x * y), box={x: (-3, 3), y: (-3, 3)})
    exact = [p for p in cs.points if p.method == "exact"]
    assert [p.point for p in exact] == [{x: 0, y: 0}]
    assert exact[0].kind is Kind.SADDLE
    assert all(g.xreplace(exact[0].point) == 0 for g in cs.gradient)
    # the two minima at x = y = 0.7494... are not simple numbers: they stay certified
    assert sorted(p.method for p in cs.points) == ["certified", "certified", "exact"]


def test_rational_point_of_a_mixed_function():
    cs = critical_points((x - sp.Rational(1, 3))**2 + sp.sin(y)**2 + sp.exp(x) * y**2,
                         box={x: (-4, 4), y: (-1, 1)})
    assert [(p.point, p.kind, p.method) for p in cs.points] == [
        ({x: sp.Rational(1, 3), y: 0}, Kind.MINIMUM, "exact")]


def test_a_near_miss_is_not_snapped():
    # the root of cos(x) + x^2/10 near 2.5957 is not a simple closed form: it stays certified
    cs = critical_points(sp.cos(x) + x**2 / 10, box={x: (1, 4)})
    assert [p.method for p in cs.points] == ["certified"]
