"""TranscendentalRung: exact lattices, isolated exact roots, proofs of no critical point."""

import itertools

import sympy as sp
from hypothesis import given, settings, strategies as st

from symopt.analysis.ladder.protocol import GradientSystem
from symopt.analysis.results import Kind
from symopt.analysis.ladder.transcendental.rung import TranscendentalRung
from symopt.core.symbols import real_symbol

x, y = real_symbol("x"), real_symbol("y")


def attempt(f, variables, box=None):
    gradient = tuple(sp.diff(f, v) for v in variables)
    system = GradientSystem(f, tuple(variables), gradient,
                            sp.ImmutableMatrix(sp.hessian(f, variables)), box=box)
    return TranscendentalRung().attempt(system)


def solve(f, variables, box=None):
    outcome = attempt(f, variables, box)
    assert outcome.answer is not None, outcome.note
    return outcome.answer


def zeroes_gradient(answer, point):
    return all(sp.simplify(g.subs(point)) == 0 for g in answer.gradient)


def test_sin_sin_lattices_and_classes():
    answer = solve(sp.sin(x) * sp.sin(y), (x, y))
    assert answer.complete
    saddles = [f for f in answer.families if f.kind is Kind.SADDLE]
    assert len(saddles) == 1
    (k, m) = saddles[0].parameters
    assert saddles[0].parametrization == {x: k * sp.pi, y: m * sp.pi}
    extrema = [f for f in answer.families if f.kind in (Kind.MINIMUM, Kind.MAXIMUM)]
    assert len(extrema) == 4
    for fam in extrema:  # max exactly where sin x sin y = 1, min where = -1
        for kv, mv in itertools.product(range(-2, 3), repeat=2):
            pt = {v: e.subs(dict(zip(fam.parameters, (kv, mv))))
                  for v, e in fam.parametrization.items()}
            assert zeroes_gradient(answer, pt)
            value = sp.simplify(answer.function.subs(pt))
            assert value == (1 if fam.kind is Kind.MAXIMUM else -1)


def test_sin_sin_box_lists_every_lattice_point():
    box = {x: (-4, 4), y: (-4, 4)}
    answer = solve(sp.sin(x) * sp.sin(y), (x, y), box)
    listed = {(p.point[x], p.point[y]): p.kind for p in answer.points}
    expected = {}
    for a, b in itertools.product(range(-2, 3), repeat=2):
        if abs(a * sp.pi) <= 4 and abs(b * sp.pi) <= 4:
            expected[(a * sp.pi, b * sp.pi)] = Kind.SADDLE
    for a, b in itertools.product(range(-3, 3), repeat=2):
        px, py = sp.pi / 2 + a * sp.pi, sp.pi / 2 + b * sp.pi
        if abs(px) <= 4 and abs(py) <= 4:
            value = sp.sin(px) * sp.sin(py)
            expected[(px, py)] = Kind.MAXIMUM if value == 1 else Kind.MINIMUM
    assert listed == expected and len(listed) == 13
    for p in answer.points:
        assert zeroes_gradient(answer, p.point)


def test_x_exp_minus_x_has_its_maximum_at_one():
    answer = solve(x * sp.exp(-x), (x,))
    assert answer.complete
    assert [(p.point, p.kind) for p in answer.points] == [({x: 1}, Kind.MAXIMUM)]


def test_gaussian_saddle_has_five_points():
    answer = solve(sp.exp(-(x**2 + y**2)) * (x**2 - y**2), (x, y))
    assert answer.complete
    kinds = {(p.point[x], p.point[y]): p.kind for p in answer.points}
    assert kinds == {(0, 0): Kind.SADDLE, (1, 0): Kind.MAXIMUM, (-1, 0): Kind.MAXIMUM,
                     (0, 1): Kind.MINIMUM, (0, -1): Kind.MINIMUM}


def test_no_critical_points_with_proof():
    for f in (x + y, sp.exp(x) + y, sp.exp(x) * (1 + y**2)):
        answer = solve(f, (x, y))
        assert answer.complete and not answer.points and not answer.families
        assert any("never vanishes" in n for n in answer.notes)


def test_cos_plus_square_lattice():
    answer = solve(sp.cos(x) + y**2, (x, y))
    kinds = {fam.kind: fam for fam in answer.families}
    assert set(kinds) == {Kind.SADDLE, Kind.MINIMUM}
    (k,) = kinds[Kind.MINIMUM].parameters
    assert sp.simplify(kinds[Kind.MINIMUM].parametrization[x] - (sp.pi + 2 * sp.pi * k)) == 0
    assert kinds[Kind.MINIMUM].parametrization[y] == 0


def test_non_periodic_function_with_periodic_gradient():
    answer = solve(sp.sin(x) + x / 2, (x,))
    offsets = sorted((fam.kind.value, fam.parametrization[x].subs(fam.parameters[0], 0))
                     for fam in answer.families)
    assert offsets == [("maximum", 2 * sp.pi / 3), ("minimum", 4 * sp.pi / 3)]


def test_unsolvable_passes_with_reason():
    outcome = attempt(sp.cos(x) + x**2 / 10, (x,))
    assert outcome.answer is None and "transcendental" in outcome.note


@settings(max_examples=5, deadline=None)
@given(a=st.integers(1, 3), b=st.integers(1, 3))
def test_scaled_sines_box_matches_lattice_formula(a, b):
    box = {x: (-3, 3), y: (-3, 3)}
    answer = solve(sp.sin(a * x) * sp.sin(b * y), (x, y), box)
    listed = {(p.point[x], p.point[y]) for p in answer.points}

    def grid(c, offset):
        return [offset + j * sp.pi / c for j in range(-12, 13) if abs(offset + j * sp.pi / c) <= 3]
    expected = set(itertools.product(grid(a, 0), grid(b, 0)))
    expected |= set(itertools.product(grid(a, sp.pi / (2 * a)), grid(b, sp.pi / (2 * b))))
    assert listed == expected
    for p in answer.points:
        assert zeroes_gradient(answer, p.point)


def test_non_smooth_gradient_passes():
    for f in (sp.Abs(x) + y**2, sp.Max(x, y) + x**2):
        outcome = attempt(f, (x, y))
        assert outcome.answer is None and "not smooth" in outcome.note


def test_tanh_lattice_free_product():
    # y tanh(x): grad = (y sech^2 x, tanh x) vanishes only at the origin, a saddle
    answer = solve(y * sp.tanh(x), (x, y))
    assert answer.complete
    assert [(p.point, p.kind) for p in answer.points] == [({x: 0, y: 0}, Kind.SADDLE)]


def test_sum_to_product_linear_forms():
    # sin x + sin y + sin(x + y): the classic; grad = 0 at (pi/3, pi/3) (max), (5pi/3, 5pi/3)
    # (min) and (pi, pi) (degenerate saddle), each repeated with period 2 pi in x and y
    box = {x: (0, 2 * sp.pi), y: (0, 2 * sp.pi)}
    answer = solve(sp.sin(x) + sp.sin(y) + sp.sin(x + y), (x, y), box)
    assert answer.complete
    listed = {(p.point[x], p.point[y]): p.kind for p in answer.points}
    assert listed == {(sp.pi / 3, sp.pi / 3): Kind.MAXIMUM,
                      (5 * sp.pi / 3, 5 * sp.pi / 3): Kind.MINIMUM,
                      (sp.pi, sp.pi): Kind.SADDLE}
    assert sorted(f.kind.value for f in answer.families) == ["maximum", "minimum", "saddle"]
    for fam in answer.families:
        k, m = fam.parameters
        for kv, mv in itertools.product((-1, 0, 2), repeat=2):
            pt = {v: e.subs({k: kv, m: mv}) for v, e in fam.parametrization.items()}
            assert zeroes_gradient(answer, pt)


def test_linear_form_family():
    answer = solve(sp.sin(x + y), (x, y))
    (family,) = answer.families
    assert family.dimension == 1
    sample = family.samples[0]
    assert zeroes_gradient(answer, sample)
