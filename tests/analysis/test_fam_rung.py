"""FamiliesRung: positive-dimensional critical sets with their isolated points (known answers)."""

import sympy as sp
from hypothesis import given, settings, strategies as st

from symopt.analysis.ladder.families.rung import FamiliesRung
from symopt.analysis.ladder.protocol import GradientSystem
from symopt.analysis.results import Kind
from symopt.core.symbols import real_symbol

x, y, z = (real_symbol(n) for n in "xyz")


def solve(f, variables):
    gradient = tuple(sp.diff(f, v) for v in variables)
    system = GradientSystem(f, tuple(variables), gradient,
                            sp.ImmutableMatrix(sp.hessian(f, variables)))
    outcome = FamiliesRung().attempt(system)
    assert outcome.answer is not None, outcome.note
    return outcome.answer


def same_zero_set(equations, expected, variables):
    """The family's equations generate the same ideal as `expected`."""
    mine = sp.groebner(list(equations), *variables, order="grevlex")
    theirs = sp.groebner(list(expected), *variables, order="grevlex")
    return mine.exprs == theirs.exprs


def check_samples(answer, family):
    assert family.samples, family
    for s in family.samples:
        assert all(sp.simplify(g.subs(s)) == 0 for g in answer.gradient)
        assert all(sp.simplify(e.subs(s)) == 0 for e in family.equations)


def test_circle_of_minima_and_maximum_at_origin():
    answer = solve((x**2 + y**2 - 1)**2, (x, y))
    assert answer.complete
    (family,) = answer.families
    assert same_zero_set(family.equations, [x**2 + y**2 - 1], (x, y))
    assert family.dimension == 1 and family.kind is Kind.MINIMUM and family.strict is False
    check_samples(answer, family)
    (origin,) = answer.points
    assert origin.point == {x: 0, y: 0} and origin.kind is Kind.MAXIMUM


def test_negated_circle_is_a_family_of_maxima():
    answer = solve(-(x**2 + y**2 - 1)**2, (x, y))
    assert [f.kind for f in answer.families] == [Kind.MAXIMUM]
    assert [p.kind for p in answer.points] == [Kind.MINIMUM]


def test_line_of_minima():
    answer = solve((x - y)**2, (x, y))
    (family,) = answer.families
    assert same_zero_set(family.equations, [x - y], (x, y))
    assert family.kind is Kind.MINIMUM and not answer.points and answer.complete
    check_samples(answer, family)


def test_both_axes_of_x2y2_are_minima():
    answer = solve(x**2 * y**2, (x, y))
    assert answer.complete and not answer.points
    eqs = sorted(str(f.equations) for f in answer.families)
    assert eqs == ["(x,)", "(y,)"]
    assert all(f.kind is Kind.MINIMUM for f in answer.families)
    for f in answer.families:
        check_samples(answer, f)


def test_three_axes_of_xyz_are_saddles():
    answer = solve(x * y * z, (x, y, z))
    assert answer.complete and len(answer.families) == 3 and not answer.points
    for f in answer.families:
        assert f.dimension == 1 and f.kind is Kind.SADDLE
        check_samples(answer, f)
    axes = {frozenset(map(str, f.equations)) for f in answer.families}
    assert axes == {frozenset({"x", "y"}), frozenset({"x", "z"}), frozenset({"y", "z"})}


def test_kind_varying_along_a_family_is_inconclusive():
    # x^2 y: on x = 0, a minimum where y > 0 and a maximum where y < 0
    answer = solve(x**2 * y, (x, y))
    (family,) = answer.families
    assert family.kind is Kind.INCONCLUSIVE and family.strict is None and family.reason


def test_hyperbola_family_and_saddle():
    answer = solve((x * y - 1)**2, (x, y))
    (family,) = answer.families
    assert same_zero_set(family.equations, [x * y - 1], (x, y))
    assert family.kind is Kind.MINIMUM
    (origin,) = answer.points
    assert origin.kind is Kind.SADDLE


def test_sum_of_even_powers_has_no_real_family():
    # grad of (x^2 + y^2)^2 vanishes on the complex lines x = +-iy; the only real point is 0
    answer = solve((x**2 + y**2)**2, (x, y))
    assert not answer.families and answer.complete
    assert [p.point for p in answer.points] == [{x: 0, y: 0}]


def test_rational_gradient_family():
    answer = solve((x - y)**2 / (1 + x**2), (x, y))
    (family,) = answer.families
    assert same_zero_set(family.equations, [x - y], (x, y))
    assert family.kind is Kind.MINIMUM


def test_not_polynomial_passes():
    gradient = (sp.cos(x),)
    system = GradientSystem(sp.sin(x), (x,), gradient, sp.ImmutableMatrix([[-sp.sin(x)]]))
    outcome = FamiliesRung().attempt(system)
    assert outcome.answer is None and "not" in outcome.note


@settings(max_examples=12, deadline=None)
@given(a=st.integers(-3, 3), b=st.integers(-3, 3), r=st.integers(1, 4))
def test_square_of_a_circle_is_a_minimum_family(a, b, r):
    p = (x - a)**2 + (y - b)**2 - r
    answer = solve(p**2, (x, y))
    fams = [f for f in answer.families if same_zero_set(f.equations, [p], (x, y))]
    assert len(fams) == 1 and fams[0].kind is Kind.MINIMUM
    check_samples(answer, fams[0])
    # the centre is the one isolated critical point: a local maximum of p^2
    assert [q.point for q in answer.points] == [{x: a, y: b}]
    assert answer.points[0].kind is Kind.MAXIMUM


def test_odd_order_across_the_family_is_a_saddle_family():
    answer = solve(x**3 * y**3, (x, y))
    assert len(answer.families) == 2
    assert all(f.kind is Kind.SADDLE and f.strict is False for f in answer.families)


def test_four_lines_of_minima_and_a_maximum():
    answer = solve((x**2 - 1)**2 * (y**2 - 1)**2, (x, y))
    assert answer.complete
    eqs = sorted(str(f.equations[0]) for f in answer.families)
    assert eqs == ["x + 1", "x - 1", "y + 1", "y - 1"]
    assert all(f.kind is Kind.MINIMUM for f in answer.families)
    assert [(p.point, p.kind) for p in answer.points] == [({x: 0, y: 0}, Kind.MAXIMUM)]


def test_sphere_is_a_two_dimensional_family():
    answer = solve((x**2 + y**2 + z**2 - 1)**2, (x, y, z))
    (family,) = answer.families
    assert family.dimension == 2 and family.kind is Kind.MINIMUM
    check_samples(answer, family)
    assert [p.kind for p in answer.points] == [Kind.MAXIMUM]


linear = st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3)).filter(
    lambda t: t[0] != 0 or t[1] != 0)


@settings(max_examples=10, deadline=None)
@given(first=linear, second=linear)
def test_two_squared_lines_are_two_minimum_families(first, second):
    a, b, c = first
    d, e, g = second
    if a * e - b * d == 0:  # parallel lines: another test
        return
    l1, l2 = a * x + b * y + c, d * x + e * y + g
    answer = solve(l1**2 * l2**2, (x, y))
    assert answer.complete and not answer.points
    assert len(answer.families) == 2
    for expected in (l1, l2):
        (fam,) = [f for f in answer.families if same_zero_set(f.equations, [expected], (x, y))]
        assert fam.kind is Kind.MINIMUM and fam.dimension == 1
        check_samples(answer, fam)


@settings(max_examples=8, deadline=None)
@given(first=linear, second=linear)
def test_sum_of_two_squared_forms_in_three_variables_is_a_line(first, second):
    a, b, c = first
    d, e, g = second
    if a * e - b * d == 0:
        return
    l1, l2 = a * x + b * y + c * z, d * x + e * y + g * z
    answer = solve(l1**2 + l2**2, (x, y, z))
    (fam,) = answer.families
    assert fam.dimension == 1 and fam.kind is Kind.MINIMUM
    assert same_zero_set(fam.equations, [l1, l2], (x, y, z))
