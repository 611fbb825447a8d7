"""Parametric critical points of quadratics: the exact case split on det of the Hessian."""

import functools

import sympy as sp
from hypothesis import given, settings, strategies as st

from symopt.analysis.critical import critical_points
from symopt.analysis.results import Kind
from symopt.core.symbols import real_symbol

x, y = real_symbol("x"), real_symbol("y")
a, b, c, d = (real_symbol(n) for n in "abcd")


def _equalities(case):
    cond = case.condition
    atoms = sp.And.make_args(cond) if isinstance(cond, sp.Basic) else ()
    return {e.lhs: e.rhs for e in atoms if isinstance(e, sp.Eq) and e.lhs.is_Symbol}


def assert_every_point_is_critical(cs):
    for case in cs.cases:
        subs = _equalities(case)
        for p in case.points:
            for g in cs.gradient:
                assert sp.simplify(g.subs(subs).subs(p.point)) == 0, (case, g)
        for fam in case.families:
            eqs = [e.subs(subs) for e in fam.equations]
            sol = sp.solve(eqs, list(cs.variables), dict=True) if eqs else [{}]
            assert sol, fam
            for g in cs.gradient:
                assert sp.simplify(g.subs(subs).subs(sol[0])) == 0, (case, fam, g)


def _holding_case(cs, values):
    hits = [k for k in cs.cases if sp.sympify(k.condition).subs(values) is sp.true]
    assert hits, values
    return hits


def test_one_variable_quadratic_three_regimes():
    cs = critical_points(a * x**2 + b * x + c, variables=[x])
    assert cs.complete and cs.points == ()
    by_cond = {str(k.condition): k for k in cs.cases}
    assert by_cond["a > 0"].points[0].point[x] == -b / (2 * a)
    assert by_cond["a > 0"].points[0].kind is Kind.MINIMUM
    assert by_cond["a < 0"].points[0].kind is Kind.MAXIMUM
    no_point = [k for k in cs.cases if not k.points and not k.families]
    assert len(no_point) == 1 and no_point[0].condition == sp.And(sp.Eq(a, 0), sp.Ne(b, 0))
    every = [k for k in cs.cases if k.families]
    assert len(every) == 1 and every[0].condition == sp.And(sp.Eq(a, 0), sp.Eq(b, 0))
    assert every[0].families[0].dimension == 1 and every[0].families[0].equations == ()
    assert_every_point_is_critical(cs)


def test_two_by_two_symbolic_quadratic():
    f = a * x**2 + b * x * y + c * y**2 - d * x
    cs = critical_points(f, variables="x,y".split(","))
    assert cs.complete
    generic = [k for k in cs.cases if k.points]
    assert {k.points[0].kind for k in generic} == {Kind.MINIMUM, Kind.MAXIMUM, Kind.SADDLE}
    p = generic[0].points[0].point
    assert sp.simplify(p[x] - 2 * c * d / (4 * a * c - b**2)) == 0
    saddle = [k for k in generic if k.points[0].kind is Kind.SADDLE][0]
    assert saddle.condition == (4 * a * c - b**2 < 0)
    assert_every_point_is_critical(cs)


@functools.lru_cache(maxsize=1)
def _two_by_two():
    return critical_points(a * x**2 + b * x * y + c * y**2 - d * x, variables=[x, y])


@settings(max_examples=20, deadline=None)
@given(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3))
def test_cases_agree_with_the_concrete_ladder(av, bv, cv, dv):
    f = a * x**2 + b * x * y + c * y**2 - d * x
    cs = _two_by_two()
    values = {a: av, b: bv, c: cv, d: dv}
    concrete = critical_points(f.subs(values), variables=[x, y])
    for case in _holding_case(cs, values):
        if case.points:
            p = case.points[0]
            point = {v: sp.simplify(e.subs(values)) for v, e in p.point.items()}
            assert concrete.complete and [q.point for q in concrete.points] == [point]
            assert concrete.points[0].kind is p.kind
        elif not case.families:
            assert concrete.complete and concrete.points == () and concrete.families == ()


def test_ridge_regression_closed_form():
    lam = sp.Symbol("lam", positive=True)
    A = sp.Matrix([[1, 2], [3, 4], [5, 6]])
    bb = sp.Matrix([1, 0, 2])
    X = sp.Matrix([x, y])
    f = sp.Rational(1, 2) * ((A * X - bb).T * (A * X - bb))[0] + lam / 2 * (X.T * X)[0]
    cs = critical_points(f, variables=[x, y])
    assert cs.complete and len(cs.cases) == 1   # lam > 0 decides every sign
    (p,) = cs.cases[0].points
    expected = (A.T * A + lam * sp.eye(2)).inv() * A.T * bb
    assert all(sp.simplify(p.point[v] - e) == 0 for v, e in zip((x, y), expected))
    assert p.kind is Kind.MINIMUM
    assert_every_point_is_critical(cs)


def test_ridge_without_sign_splits_and_stays_exact():
    lam = real_symbol("lam")
    X = sp.Matrix([x, y])
    A = sp.Matrix([[1, 0], [0, 0]])
    f = sp.Rational(1, 2) * ((A * X - sp.Matrix([1, 1])).T * (A * X - sp.Matrix([1, 1])))[0] \
        + lam / 2 * (X.T * X)[0]
    cs = critical_points(f, variables=[x, y])
    assert cs.complete
    at_zero = [k for k in cs.cases if sp.sympify(k.condition).subs(lam, 0) is sp.true]
    # lam = 0: f = (x-1)^2/2 + 1/2, the line x = 1 of non-strict minima
    assert len(at_zero) == 1 and at_zero[0].families[0].kind is Kind.MINIMUM
    assert at_zero[0].families[0].equations == (x - 1,)
    assert_every_point_is_critical(cs)


def test_three_variables_indefinite_is_a_saddle():
    z = real_symbol("z")
    cs = critical_points(a * x**2 + y**2 - z**2 + b * z, variables=[x, y, z])
    kinds = {str(k.condition): k.points[0].kind for k in cs.cases if k.points}
    assert set(kinds.values()) == {Kind.SADDLE}
    assert_every_point_is_critical(cs)


def test_transcendental_coefficient_is_never_complete():
    # cos(a) = 0 has infinitely many solutions; sympy.solve lists two
    cs = critical_points(sp.cos(a) * x**2 + x, variables=[x])
    assert not cs.complete
    assert {k.points[0].kind for k in cs.cases if k.points} == {Kind.MINIMUM, Kind.MAXIMUM}
    assert_every_point_is_critical(cs)


def test_leading_coefficient_that_can_vanish_is_split():
    # det = 4 a b^2 - 1 = 0 <=> a = 1/(4 b^2) with b != 0 (b = 0 makes det = -1)
    cs = critical_points(a * b * x**2 + x * y + b * y**2 - x, variables=[x, y])
    assert cs.complete
    degenerate = [k for k in cs.cases if not k.points]
    assert len(degenerate) == 1 and not degenerate[0].families
    assert degenerate[0].condition == sp.And(sp.Ne(b, 0), sp.Eq(a, 1 / (4 * b**2)))
    assert_every_point_is_critical(cs)


def test_generic_case_only_is_not_complete():
    from symopt.analysis.parametric.linear import solve_linear
    M = sp.Matrix([[a, 1], [1, b]])
    branches = solve_linear(M, sp.Matrix([1, 0]), (a, b), max_depth=0)
    assert branches[0].point == [b / (a * b - 1), -1 / (a * b - 1)]
    assert not all(br.covered for br in branches[1:]) and len(branches) > 1
