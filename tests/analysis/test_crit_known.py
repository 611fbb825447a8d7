"""Known critical sets of classical test functions, with their kinds, found exactly and proven
complete (critical_points / PolynomialRung)."""

from collections import Counter

import mpmath
import pytest
import sympy as sp

from symopt.analysis.critical import critical_points
from symopt.analysis.results import Kind
from symopt.core.symbols import real_symbol

x, y, z = (real_symbol(n) for n in "xyz")
R = sp.Rational


def kinds(cs):
    return Counter(p.kind.value for p in cs.points)


def exact_zero_gradient(f, variables, point):
    """grad f vanishes exactly at the point (minimal polynomial of each component is x)."""
    X = sp.Dummy("X")
    for v in variables:
        g = sp.diff(f, v).xreplace(point)
        if g == 0:
            continue
        if any(isinstance(a, sp.CRootOf) for a in g.atoms(sp.CRootOf)):
            # a polynomial expression in several CRootOf: check with 60-digit numerics only as a
            # sanity net; the exactness proof is the solver's own reduction modulo r
            assert abs(sp.N(g, 60)) < sp.Float(10) ** -40
        else:
            assert sp.minimal_polynomial(g, X) == X
    return True


def test_himmelblau_nine_points_four_minima_four_saddles_one_maximum():
    f = (x**2 + y - 11)**2 + (x + y**2 - 7)**2
    cs = critical_points(f)
    assert cs.complete
    assert len(cs.points) == 9
    assert kinds(cs) == {"minimum": 4, "saddle": 4, "maximum": 1}
    mins = [p for p in cs.points if p.kind is Kind.MINIMUM]
    assert {x: 3, y: 2} in [p.point for p in mins]
    assert all(p.value == 0 for p in mins)          # Himmelblau's four zeros
    assert all(p.classification.witness for p in cs.points if p.kind is Kind.SADDLE)
    maximum = next(p for p in cs.points if p.kind is Kind.MAXIMUM)
    assert abs(maximum.approx[x] + 0.270845) < 1e-5 and abs(maximum.approx[y] + 0.923039) < 1e-5


def test_six_hump_camel_fifteen_points():
    # 6 minima (two global at (+-0.0898, -+0.7126), f = -1.0316), 2 maxima, 7 saddles
    f = (4 - R(21, 10) * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2
    cs = critical_points(f)
    assert cs.complete and len(cs.points) == 15
    assert kinds(cs) == {"minimum": 6, "maximum": 2, "saddle": 7}
    best = min((p for p in cs.points if p.kind is Kind.MINIMUM), key=lambda p: float(sp.N(p.value)))
    assert abs(float(sp.N(best.value)) + 1.0316284535) < 1e-9
    assert abs(abs(best.approx[x]) - 0.0898420131) < 1e-8


def test_beale_minimum_and_saddles():
    f = (R(3, 2) - x + x * y)**2 + (R(9, 4) - x + x * y**2)**2 + (R(21, 8) - x + x * y**3)**2
    cs = critical_points(f)
    assert cs.complete
    pts = {tuple(p.point[v] for v in (x, y)): p.kind for p in cs.points}
    assert pts[(3, R(1, 2))] is Kind.MINIMUM
    assert pts[(0, 1)] is Kind.SADDLE
    assert len(cs.points) == 3 and kinds(cs) == {"minimum": 1, "saddle": 2}


def test_float_coefficients_read_as_exact_decimals():
    f = (1.5 - x + x * y)**2 + (2.25 - x + x * y**2)**2 + (2.625 - x + x * y**3)**2
    cs = critical_points(f)
    assert {x: 3, y: R(1, 2)} in [p.point for p in cs.points]


def test_folium_saddle_at_origin_minimum_at_one_one():
    cs = critical_points(x**3 + y**3 - 3 * x * y)
    assert cs.complete
    got = {tuple(p.point.values()): p.kind for p in cs.points}
    assert got == {(0, 0): Kind.SADDLE, (1, 1): Kind.MINIMUM}
    saddle = next(p for p in cs.points if p.kind is Kind.SADDLE)
    assert saddle.classification.witness is not None


def test_quartic_two_minima_one_saddle():
    cs = critical_points(x**4 + y**4 - 4 * x * y + 1)
    got = {tuple(p.point.values()): (p.kind, p.value) for p in cs.points}
    assert got == {(1, 1): (Kind.MINIMUM, -1), (-1, -1): (Kind.MINIMUM, -1), (0, 0): (Kind.SADDLE, 1)}
    assert cs.complete


def test_rosenbrock_single_minimum():
    cs = critical_points((1 - x)**2 + 100 * (y - x**2)**2)
    assert cs.complete and len(cs.points) == 1
    p = cs.points[0]
    assert p.point == {x: 1, y: 1} and p.kind is Kind.MINIMUM and p.value == 0
    c = p.classification
    # Hessian [[802, -400], [-400, 200]]: eigenvalues 501 +- sqrt(250601)
    lam_max = 501 + sp.sqrt(250601)
    assert sp.simplify(c.max_stable_step - 2 / lam_max) == 0
    assert abs(float(c.condition_number) - float(lam_max / (501 - sp.sqrt(250601)))) < 1e-6


def test_quadratic_exact_spectrum_and_conditioning():
    # the chapter's figure 4.6: curvature 5x larger along [1, 1] than along [1, -1]
    f = 3 * x**2 + 4 * x * y + 3 * y**2 - 2 * x
    cs = critical_points(f)
    (p,) = cs.points
    assert p.kind is Kind.MINIMUM and cs.complete
    c = p.classification
    assert sorted(c.eigenvalues) == [2, 10]
    assert c.condition_number == 5
    assert c.max_stable_step == R(1, 5)
    assert c.contraction == R(2, 3)
    assert p.point == {x: R(3, 5), y: R(-2, 5)}


def test_radical_coordinates_for_quadratic_fields():
    # grad = (3x^2 - 1, 2y): x = +-sqrt(3)/3
    cs = critical_points(x**3 - x + y**2)
    got = {p.point[x]: p.kind for p in cs.points}
    assert got == {sp.sqrt(3) / 3: Kind.MINIMUM, -sp.sqrt(3) / 3: Kind.SADDLE}


def test_three_variable_quartic_27_complex_solutions():
    f = x**4 + y**4 + z**4 - 4 * x * y * z + x * y + y * z - z
    cs = critical_points(f)
    assert cs.complete
    assert "27 complex" in cs.method_trail[0]
    assert len(cs.points) == 7
    assert kinds(cs) == {"minimum": 4, "saddle": 3}


def test_every_point_zeroes_the_gradient_exactly_low_degree():
    f = x**4 + y**4 - 4 * x * y + x + 1
    cs = critical_points(f)
    for p in cs.points:
        for v in (x, y):
            g = sp.diff(f, v).xreplace(p.point)
            assert sp.N(g, 80) == 0 or abs(sp.N(g, 80)) < sp.Float(10) ** -70


def test_no_critical_points_is_complete_and_empty():
    cs = critical_points(x + y**2 + 3)
    assert cs.complete and cs.points == ()
    cs = critical_points(x**3 + x + y**2)  # 3x^2 + 1 = 0 has no real roots
    assert cs.complete and cs.points == ()


def test_maximum_of_concave_quadratic():
    (p,) = critical_points(-(x - 1)**2 - 2 * (y + 3)**2).points
    assert p.kind is Kind.MAXIMUM and p.point == {x: 1, y: -3} and p.classification.strict


def test_singular_hessian_decided_by_the_higher_order_test():
    cs = critical_points(x**4 + y**2)
    (p,) = cs.points
    assert p.classification.degenerate and p.classification.strict
    assert p.kind is Kind.MINIMUM and p.classification.test == "higher-order"


def test_singular_hessian_with_both_signs_is_a_saddle():
    # Hessian at 0: diag(2, -2, 0)
    cs = critical_points(x**2 - y**2 + z**4)
    (p,) = cs.points
    assert p.kind is Kind.SADDLE and p.classification.degenerate


def test_multiplicities_counted_double_root():
    # grad = (2x, 3y^2): the origin has multiplicity 2; one distinct point, still complete
    cs = critical_points(x**2 + y**3)
    assert cs.complete and len(cs.points) == 1
    assert "2 complex solution(s) with multiplicity, 1 distinct" in cs.method_trail[0]
    assert any("multiplicity 2" in n for n in cs.notes)
    assert cs.points[0].kind is Kind.SADDLE or cs.points[0].classification.degenerate


@pytest.mark.parametrize("f, expected", [
    (x**2 + y**2, 1), (x**2 * y**2 + x**2 + y**2 - x, None)])
def test_to_dict_has_contract_keys(f, expected):
    cs = critical_points(f)
    d = cs.to_dict()
    assert set(d) >= {"variables", "function", "gradient", "hessian", "critical_points",
                      "families", "complete"}
    for p in d["critical_points"]:
        assert set(p) >= {"point", "approx", "value", "kind", "strict", "degenerate",
                          "eigenvalues", "method", "test"}
        assert p["method"] == "exact"
    if expected is not None:
        assert len(d["critical_points"]) == expected
