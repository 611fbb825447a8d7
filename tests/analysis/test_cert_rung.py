"""CertifiedRung: Krawczyk-certified critical points in a box, completeness by branch and bound."""

import itertools

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symopt.analysis.ladder.certified.rung import CertifiedRung
from symopt.analysis.exact.programs import IntervalProgram
from symopt.analysis.ladder.protocol import GradientSystem
from symopt.analysis.results import Kind
from symopt.core.symbols import real_symbol

x, y = real_symbol("x"), real_symbol("y")
iv = mpmath.iv


def attempt(f, variables, box=None, seconds=8.0):
    gradient = tuple(sp.diff(f, v) for v in variables)
    system = GradientSystem(f, tuple(variables), gradient,
                            sp.ImmutableMatrix(sp.hessian(f, variables)), box=box)
    return CertifiedRung(seconds=seconds).attempt(system)


def solve(f, variables, box=None, seconds=8.0):
    outcome = attempt(f, variables, box, seconds)
    assert outcome.answer is not None, outcome.note
    return outcome.answer


def check_enclosures(answer):
    """Each enclosure holds a zero of the gradient (interval evaluation contains 0) and the
    enclosures are pairwise disjoint."""
    program = IntervalProgram(list(answer.gradient), answer.variables)
    boxes = []
    for p in answer.points:
        assert p.method == "certified"
        enc = [p.enclosure[v] for v in answer.variables]
        with mpmath.workprec(200):
            iv.prec = 200
            try:
                values = program([iv.mpf([str(lo), str(hi)]) for lo, hi in enc])
            finally:
                iv.prec = 53
        assert all(v.a <= 0 <= v.b for v in values)
        for v, (lo, hi) in zip(answer.variables, enc):
            assert lo <= p.point[v] <= hi
        boxes.append(enc)
    for a, b in itertools.combinations(boxes, 2):
        assert any(ha < lb or hb < la for (la, ha), (lb, hb) in zip(a, b))


def dense_roots(gradient, variables, lo, hi, side=40):
    """Independent search: Newton (scipy) from a dense grid; distinct roots inside the box."""
    from scipy.optimize import root
    g = sp.lambdify(variables, list(gradient), "numpy")
    jac = sp.lambdify(variables, sp.Matrix(gradient).jacobian(variables), "numpy")
    found = []
    axes = [np.linspace(lo, hi, side)] * len(variables)
    for start in itertools.product(*axes):
        sol = root(lambda v: np.array(g(*v), float), np.array(start),
                   jac=lambda v: np.array(jac(*v), float))
        if sol.success and np.all(sol.x >= lo) and np.all(sol.x <= hi) \
                and np.linalg.norm(g(*sol.x)) < 1e-9:
            if all(np.linalg.norm(sol.x - r) > 1e-5 for r in found):
                found.append(sol.x)
    return found


def test_quartic_with_exp_coupling():
    f = x**4 - 4 * x * y + y**4 + sp.exp(x * y)
    answer = solve(f, (x, y), {x: (-5, 5), y: (-5, 5)})
    assert answer.complete
    check_enclosures(answer)
    kinds = sorted((round(float(p.point[x]), 6), round(float(p.point[y]), 6), p.kind.value)
                   for p in answer.points)
    a = kinds[-1][0]
    assert kinds == [(-a, -a, "minimum"), (0.0, 0.0, "saddle"), (a, a, "minimum")]
    # x = y = a solves 4a^3 + a e^{a^2} - 4a = 0, i.e. 4a^2 + e^{a^2} = 4
    assert abs(4 * a**2 + np.exp(a**2) - 4) < 1e-5
    independent = dense_roots(answer.gradient, (x, y), -3, 3, side=12)
    assert len(independent) == 3


def test_sin_sin_agrees_with_the_lattice():
    box = {x: (-4, 4), y: (-4, 4)}
    answer = solve(sp.sin(x) * sp.sin(y), (x, y), box)
    assert answer.complete and len(answer.points) == 13
    check_enclosures(answer)
    exact = [(a * sp.pi, b * sp.pi) for a, b in itertools.product((-1, 0, 1), repeat=2)]
    exact += [(a * sp.pi / 2, b * sp.pi / 2) for a, b in itertools.product((-1, 1), repeat=2)]
    for px, py in exact:
        (hit,) = [p for p in answer.points
                  if p.enclosure[x][0] <= px <= p.enclosure[x][1]
                  and p.enclosure[y][0] <= py <= p.enclosure[y][1]]
        value = sp.sin(px) * sp.sin(py)
        want = Kind.SADDLE if value == 0 else Kind.MAXIMUM if value == 1 else Kind.MINIMUM
        assert hit.kind is want


def test_one_dimensional_several_roots():
    answer = solve(sp.cos(x) + x**2 / 10, (x,), {x: (-10, 10)})
    assert answer.complete
    check_enclosures(answer)
    pts = sorted((float(p.point[x]), p.kind) for p in answer.points)
    assert [k for _, k in pts] == [Kind.MINIMUM, Kind.MAXIMUM, Kind.MINIMUM]
    r = mpmath.findroot(lambda t: t - 5 * mpmath.sin(t), 2.5)
    assert abs(pts[2][0] - float(r)) < 1e-12 and pts[1][0] == 0


def test_rosenbrock_minimum():
    answer = solve((1 - x)**2 + 100 * (y - x**2)**2, (x, y), {x: (-2, 2), y: (-1, 3)})
    assert answer.complete
    (p,) = answer.points
    assert p.kind is Kind.MINIMUM and abs(float(p.point[x]) - 1) < 1e-40
    assert abs(float(p.point[y]) - 1) < 1e-40


def test_gaussian_saddle_default_box():
    answer = solve(sp.exp(-(x**2 + y**2)) * (x**2 - y**2), (x, y))
    # all five found and the default box exhausted, but nothing outside it was searched
    assert not answer.complete and len(answer.points) == 5
    assert any("default box only" in n for n in answer.notes)
    check_enclosures(answer)


def test_family_is_never_called_complete():
    answer = solve((x**2 + y**2 - 1)**2, (x, y), {x: (-2, 2), y: (-2, 2)}, seconds=2.0)
    assert not answer.complete
    assert any("undecided" in n or "could not be certified" in n for n in answer.notes)


@settings(max_examples=6, deadline=None)
@given(c=st.sampled_from([sp.Rational(1, 40), sp.Rational(1, 20), sp.Rational(1, 7),
                          sp.Rational(1, 3), sp.Rational(2, 3)]),
       shift=st.integers(-2, 2))
def test_cos_plus_parabola_matches_sign_changes(c, shift):
    f = sp.cos(x) + c * (x - shift)**2
    answer = solve(f, (x,), {x: (-12, 12)}, seconds=5.0)
    assert answer.complete
    check_enclosures(answer)
    fp = sp.lambdify(x, sp.diff(f, x), "numpy")
    grid = np.linspace(-12, 12, 200000)  # an even count: no grid point at a symmetric root 0
    values = fp(grid)
    changes = int(np.sum(np.sign(values[1:]) != np.sign(values[:-1])))
    assert len(answer.points) == changes
    kinds = [p.kind for p in sorted(answer.points, key=lambda p: float(p.point[x]))]
    # minima and maxima alternate, starting and ending with a minimum (f -> +inf)
    assert kinds[0] is Kind.MINIMUM and kinds[-1] is Kind.MINIMUM
    assert all(a is not b for a, b in zip(kinds, kinds[1:]))


def test_no_interval_rule_passes():
    outcome = attempt(sp.gamma(x) + x**2, (x,))
    assert outcome.answer is None and "certified" in outcome.note


@pytest.mark.parametrize("f", [x + y, sp.exp(x) + y])
def test_no_zero_in_the_box(f):
    answer = solve(f, (x, y), {x: (-1, 1), y: (-1, 1)})
    assert answer.complete and not answer.points


def test_hyperbolic_and_irrational_constants():
    answer = solve(y * sp.tanh(x) + sp.sqrt(2) * (x**2 + y**2) / 100, (x, y), {x: (-3, 3), y: (-3, 3)})
    assert answer.complete
    check_enclosures(answer)
    origin = [p for p in answer.points if abs(float(p.point[x])) < 1e-30]
    assert len(origin) == 1 and origin[0].kind is Kind.SADDLE


def test_interval_program_contains_true_values():
    rng = np.random.default_rng(1)
    exprs = [sp.tanh(x) * sp.cosh(y), sp.atan(x * y) + sp.sinh(x), sp.exp(-x**2) * sp.sin(y)]
    program = IntervalProgram(exprs, (x, y))
    fns = [sp.lambdify((x, y), e, "mpmath") for e in exprs]
    for _ in range(30):
        a, b = sorted(rng.uniform(-3, 3, 2))
        c, d = sorted(rng.uniform(-3, 3, 2))
        enclosures = program([iv.mpf([a, b]), iv.mpf([c, d])])
        for t, s in rng.uniform(0, 1, (5, 2)):
            px, py = a + t * (b - a), c + s * (d - c)
            for fn, box in zip(fns, enclosures):
                assert box.a <= fn(px, py) <= box.b


def test_default_box_completed_by_slab_exclusion():
    # f' = x/5 - sin x: |x/5| > 1 >= |sin x| outside [-10, 10], proved by interval enclosures
    answer = solve(sp.cos(x) + x**2 / 10, (x,))
    assert answer.complete and len(answer.points) == 3
    assert any("unbounded slab" in n for n in answer.notes)
