"""Degenerate critical points: known verdicts, exactly checked witnesses, random germs."""

import sympy as sp
import pytest
from hypothesis import given, settings, assume, strategies as st

from symopt.analysis.classify.degenerate.test import classify_degenerate
from symopt.analysis.results import Kind
from symopt.core.symbols import real_symbol

x, y, z = (real_symbol(n) for n in "xyz")


def decide(f, variables, point=None):
    point = point or {v: sp.Integer(0) for v in variables}
    hess = sp.ImmutableMatrix(sp.hessian(f, variables).xreplace(point))
    return classify_degenerate(f, variables, point, hess)


def assert_witness(c, f, point):
    """f(below) < f(point) < f(above), decided with 50 correct digits (exact for polynomials)."""
    w = c.witness
    assert w is not None, c.reason
    f0 = f.xreplace(point)
    below, above = f.xreplace(w["below"]) - f0, f.xreplace(w["above"]) - f0
    if f.is_polynomial() and all(sp.sympify(v).is_Rational for v in point.values()):
        below, above = sp.expand(below), sp.expand(above)
        assert below.is_Rational and above.is_Rational
        assert below < 0 < above
    else:
        assert below.evalf(50) < 0 < above.evalf(50)
    assert w["below"] != point and w["above"] != point


ONE_D = [
    (x**3, Kind.SADDLE, False), (x**5, Kind.SADDLE, False), (x**4, Kind.MINIMUM, True),
    (-x**6, Kind.MAXIMUM, True), (x - sp.sin(x), Kind.SADDLE, False),
    (sp.cosh(x) + sp.cos(x), Kind.MINIMUM, True), (sp.exp(x) - 1 - x - x**2 / 2, Kind.SADDLE, False),
    (sp.cos(x) - 1 + x**2 / 2, Kind.MINIMUM, True), (x**3 * sp.exp(x), Kind.SADDLE, False),
    (-(x**8) + x**9, Kind.MAXIMUM, True),
]


@pytest.mark.parametrize("f, kind, strict", ONE_D)
def test_one_dimensional(f, kind, strict):
    c = decide(f, (x,))
    assert (c.kind, c.strict, c.degenerate) == (kind, strict, True), c.reason
    assert c.test == "first-nonvanishing-derivative" and c.method == "exact"
    if kind is Kind.SADDLE:
        assert "inflection" in c.reason
        assert_witness(c, f, {x: 0})
    else:
        assert "derivative" in c.reason


def test_one_dimensional_away_from_origin():
    f = (x - 1) ** 4 + 3
    c = decide(f, (x,), {x: sp.Integer(1)})
    assert c.kind is Kind.MINIMUM and c.strict and c.value == 3
    f = sp.sin(x) - 1  # maximum at pi/2, second derivative -1: not degenerate; a flat one:
    g = (sp.sin(x) - 1) ** 2 * (x - sp.pi / 2)  # third-order zero at pi/2
    c = decide(g, (x,), {x: sp.pi / 2})
    assert c.kind is Kind.SADDLE
    assert_witness(c, g, {x: sp.pi / 2})


TWO_D = [
    (x**2 + y**4, Kind.MINIMUM, True), (x**2 + y**3, Kind.SADDLE, False),
    (x**2 - y**4, Kind.SADDLE, False), (x**4 + y**4, Kind.MINIMUM, True),
    (x**3 - 3 * x * y**2, Kind.SADDLE, False), ((y - x**2) * (y - 2 * x**2), Kind.SADDLE, False),
    (x**2 * y**2, Kind.MINIMUM, False), (x**4 - y**4, Kind.SADDLE, False),
    (x**2 + 2 * x * y + y**2 + x**4, Kind.MINIMUM, True), (x**2, Kind.MINIMUM, False),
    (-x**2 - y**4, Kind.MAXIMUM, True), (sp.cos(x) + y**4, Kind.SADDLE, False),
    (x**6 - x**3 * y**2 + y**4, Kind.MINIMUM, True), (x**2 * y + y**4, Kind.SADDLE, False),
    (x**4 + y**6 - x**2 * y**3, Kind.MINIMUM, True),
    ((x - y**2) ** 2 + y**6, Kind.MINIMUM, True), ((x - y**2) ** 2 - y**6, Kind.SADDLE, False),
    (-(x - y**3) ** 2 - y**8, Kind.MAXIMUM, True), ((x + y) ** 2, Kind.MINIMUM, False),
    (sp.Integer(0) * x + 0 * y + 5, Kind.MINIMUM, False),
]


@pytest.mark.parametrize("f, kind, strict", TWO_D)
def test_two_dimensional(f, kind, strict):
    c = decide(f, (x, y))
    assert (c.kind, c.strict, c.degenerate) == (kind, strict, True), c.reason
    assert c.test == "higher-order" and c.reason
    if kind is Kind.SADDLE:
        assert_witness(c, f, {x: 0, y: 0})


def test_peano_surface_is_a_minimum_on_every_line_but_a_saddle():
    f = (y - x**2) * (y - 2 * x**2)
    t, a, b = sp.symbols("t a b", real=True)
    # along every line through 0 the restriction has a strict minimum at t = 0 ...
    assert sp.expand(f.subs({x: t, y: 0})) == 2 * t**4
    line = sp.expand(f.subs({x: t, y: b * t}))
    assert line.coeff(t, 2) == b**2
    # ... yet the verdict is saddle, with a witness between the two parabolas
    c = decide(f, (x, y))
    assert c.kind is Kind.SADDLE
    bx, by = c.witness["below"][x], c.witness["below"][y]
    assert bx**2 < by < 2 * bx**2


def test_semidefinite_principal_part_is_never_guessed():
    """-(x^2 - y^3)^2 - y^8 is a strict maximum, but its Newton principal part -(x^2 - y^3)^2 is
    only semidefinite (zero on a cusp). The Newton-polygon test cannot decide it and must say so
    rather than guess from the principal part."""
    c = decide(-(x**2 - y**3) ** 2 - y**8, (x, y))
    assert c.kind is Kind.INCONCLUSIVE and "semidefinite" in c.reason


def test_three_dimensional():
    assert decide(x**4 + y**4 + z**4, (x, y, z)).kind is Kind.MINIMUM
    c = decide(x**2 + y**2 + z**3, (x, y, z))
    assert c.kind is Kind.SADDLE
    assert_witness(c, x**2 + y**2 + z**3, {x: 0, y: 0, z: 0})
    c = decide(x**2 + (y + z) ** 2 + z**4, (x, y, z))
    assert (c.kind, c.strict) == (Kind.MINIMUM, True)


def test_indefinite_singular_hessian_is_a_saddle():
    f = x**2 - y**2 + z**4
    c = decide(f, (x, y, z))
    assert c.kind is Kind.SADDLE
    assert_witness(c, f, {x: 0, y: 0, z: 0})


def test_eigenvalues_are_exact():
    c = decide(x**2 + 2 * x * y + y**2 + x**4, (x, y))
    assert sorted(c.eigenvalues) == [0, 4]


def test_numeric_point_is_inconclusive():
    c = classify_degenerate(x**4, (x,), {x: sp.Float(0.0)}, sp.ImmutableMatrix([[0]]))
    assert c.kind is Kind.INCONCLUSIVE and "floating-point" in c.reason


def test_symbolic_parameter_is_inconclusive_not_wrong():
    a = real_symbol("a")
    c = decide(a * x**4, (x,))
    assert c.kind is Kind.INCONCLUSIVE


def test_to_dict_keys():
    d = decide(x**3, (x,)).to_dict()
    assert d["kind"] == "saddle" and d["test"] == "first-nonvanishing-derivative"
    assert set(d["witness"]) == {"below", "above", "values"}
    assert d["witness"]["below"] == {"x": "-1/2"}


rationals = st.fractions(min_value=-4, max_value=4, max_denominator=5)


@settings(max_examples=25, deadline=None)
@given(a=st.fractions(min_value=sp.Rational(1, 5), max_value=4, max_denominator=5),
       b=rationals, c=rationals, e=rationals, shear=st.integers(-2, 2), sign=st.sampled_from([1, -1]))
def test_random_quadratic_plus_quartic(a, b, c, e, shear, sign):
    """f = s (a u^2 + b u v^2 + c v^4 + e v^5), u = x + k y, v = y: the splitting lemma gives
    the residual (c - b^2 / (4a)) v^4, so 4ac > b^2 => strict extremum, 4ac < b^2 => saddle."""
    a, b, c, e = (sp.Rational(q.numerator, q.denominator) for q in (a, b, c, e))
    disc = 4 * a * c - b**2
    assume(disc != 0)
    u, v = x + shear * y, y
    f = sign * (a * u**2 + b * u * v**2 + c * v**4 + e * v**5)
    r = decide(f, (x, y))
    if disc > 0:
        assert (r.kind, r.strict) == ((Kind.MINIMUM if sign > 0 else Kind.MAXIMUM), True), r.reason
    else:
        assert r.kind is Kind.SADDLE, r.reason
        assert_witness(r, f, {x: 0, y: 0})


@settings(max_examples=15, deadline=None)
@given(entries=st.lists(st.integers(-3, 3), min_size=3, max_size=3), m=st.sampled_from([3, 4, 5, 6]),
       c=st.integers(-3, 3).filter(bool))
def test_random_pd_block_plus_kernel_term(entries, m, c):
    """A PD quadratic in (x, y) (L L^T, L lower triangular with positive diagonal) plus c z^m:
    z^m decides: odd m => saddle, even m => min if c > 0 else saddle."""
    l11, l21, l22 = abs(entries[0]) + 1, entries[1], abs(entries[2]) + 1
    p, q = l11 * x, l21 * x + l22 * y
    f = p**2 + q**2 + c * z**m + x * z**2 * 0 + y * z**m
    r = decide(f, (x, y, z))
    if m % 2 == 0 and c > 0:
        assert (r.kind, r.strict) == (Kind.MINIMUM, True), r.reason
    else:
        assert r.kind is Kind.SADDLE, r.reason
        assert_witness(r, f, {x: 0, y: 0, z: 0})


def test_algebraic_points():
    r2 = sp.sqrt(2)
    f = (x**2 - 2) ** 3
    c = decide(f, (x,), {x: r2})
    assert c.kind is Kind.SADDLE
    assert_witness(c, f, {x: r2})
    f = (x**2 - 2) ** 2 - (y - x) ** 4
    c = decide(f, (x, y), {x: r2, y: r2})
    assert c.kind is Kind.SADDLE
    below = sp.expand(f.xreplace(c.witness["below"]))
    assert below.evalf(50) < 0
    c = decide((x**2 - 2) ** 2 + (y - x) ** 4, (x, y), {x: r2, y: r2})
    assert (c.kind, c.strict) == (Kind.MINIMUM, True)


def test_transcendental_two_dimensional():
    from symopt.core.functions import softplus
    c = decide(softplus(x) - sp.log(2) - x / 2 - x**2 / 8, (x,))
    assert (c.kind, c.strict) == (Kind.MAXIMUM, True)  # softplus = log 2 + x/2 + x^2/8 - x^4/192 + ...
    f = sp.cos(x * y) - 1 + x**6 + y**6  # -(xy)^2/2 dominates along x = y
    c = decide(f, (x, y))
    assert c.kind is Kind.SADDLE
    assert_witness(c, f, {x: 0, y: 0})
    c = decide(sp.exp(x * y) - 1 - x * y + x**4 + y**4, (x, y))
    assert (c.kind, c.strict) == (Kind.MINIMUM, True)


def test_three_variable_principal_parts():
    c = decide(x**2 * y**2 + y**2 * z**2 + z**2 * x**2, (x, y, z))
    assert (c.kind, c.strict) == (Kind.MINIMUM, False)
    f = x**4 + y**4 + z**4 - 4 * x * y * z**2
    c = decide(f, (x, y, z))
    assert c.kind is Kind.SADDLE
    assert_witness(c, f, {x: 0, y: 0, z: 0})
    f = x * y * z
    assert_witness(decide(f, (x, y, z)), f, {x: 0, y: 0, z: 0})


def test_not_critical_or_inexact_is_inconclusive():
    assert decide(x**3 + x, (x,)).kind is Kind.INCONCLUSIVE
    assert decide(sp.Float(0.5) * x**4, (x,)).kind is Kind.INCONCLUSIVE


@pytest.mark.parametrize("f, kind", [
    (x**2 * y**2 + x**6 + y**6, Kind.MINIMUM),  # no single weight gives a definite part
    (-(x**2 * y**2) - x**6 - y**6, Kind.MAXIMUM),
    (x**6 + x**4 * y + x**2 * y**2 + y**6, Kind.MINIMUM),  # edge x^2 (x^4 + x^2 y + y^2) > 0 off axes
    (sp.cos(x * y) - 1 - x**6 - y**8, Kind.MAXIMUM),  # needs the Taylor order raised to 8
    (x**2 * y**2 + x**6 + y**6 - 3 * x**3 * y**2, Kind.MINIMUM),  # x^3 y^2 above the boundary
])
def test_newton_polygon_with_several_edges(f, kind):
    c = decide(f, (x, y))
    assert (c.kind, c.strict) == (kind, True), c.reason
    assert "Newton polygon" in c.reason


def test_negative_vertex_is_a_saddle():
    f = x**6 - x**2 * y**2 + y**6
    c = decide(f, (x, y))
    assert c.kind is Kind.SADDLE
    assert_witness(c, f, {x: 0, y: 0})


@pytest.mark.parametrize("f, kind", [
    (x * y**4 + y**4, Kind.MINIMUM),  # y^4 (1 + x): zero on the x axis
    (x**2 * y**3 - x**2 * y**2, Kind.MAXIMUM),  # -x^2 y^2 (1 - y)
    (-2 * x**6 + x**3 * y**4 - 2 * x**2 * y**4, Kind.MAXIMUM),  # -x^2 (2x^4 - x y^4 + 2y^4)
])
def test_non_isolated_extrema_by_factorization(f, kind):
    c = decide(f, (x, y))
    assert (c.kind, c.strict) == (kind, False), c.reason


@pytest.mark.parametrize("f", [
    -sp.Abs(x) ** 3 + x**4, (x**2 + y**2) ** sp.Rational(3, 2) - x**4, sp.Max(x**3, 0) - x**4,
])
def test_non_analytic_points_are_not_taylor_expanded(f):
    variables = tuple(sorted(f.free_symbols, key=str))
    c = decide(f, variables)
    assert c.kind is Kind.INCONCLUSIVE and "analytic" in c.reason


def test_locally_analytic_kinks_are_fine():
    g = sp.Abs(x - 5) + x - 5 + x**4  # = x^4 near 0
    c = decide(g, (x,))
    assert (c.kind, c.strict) == (Kind.MINIMUM, True), c.reason


def test_crootof_points_reduce_modulo_the_minimal_polynomial():
    t = sp.Dummy("t")
    r = sp.CRootOf(t**3 - t - 1, 0)
    point = {x: r, y: sp.Integer(0)}
    c = decide((x**3 - x - 1) ** 4 + y**2, (x, y), point)
    assert (c.kind, c.strict) == (Kind.MINIMUM, True)
    f = (x**3 - x - 1) ** 3 + y**2
    c = decide(f, (x, y), point)
    assert c.kind is Kind.SADDLE
    w = c.witness
    assert (f.xreplace(w["below"]) - f.xreplace(point)).evalf(50) < 0
    assert (f.xreplace(w["above"]) - f.xreplace(point)).evalf(50) > 0
