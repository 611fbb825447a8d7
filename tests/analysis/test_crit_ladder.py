"""The ladder's edges: boxes, rational gradients, budgets, parameters, bad input."""

import pytest
import sympy as sp

from symopt.analysis.critical import critical_points, default_rungs
from symopt.analysis.results import Kind
from symopt.core.symbols import real_symbol
from symopt.errors import DefinitionError, DimensionError

x, y, z = (real_symbol(n) for n in "xyz")
R = sp.Rational
HIMMELBLAU = (x**2 + y - 11)**2 + (x + y**2 - 7)**2


def test_rung_order():
    assert [r.name for r in default_rungs()] == ["polynomial", "families", "transcendental", "certified"]


def test_box_keeps_only_points_inside_and_stays_complete():
    cs = critical_points(HIMMELBLAU, box={x: (0, 5), y: (0, 5)})
    assert cs.complete
    approx = sorted((round(p.approx[x], 3), round(p.approx[y], 3)) for p in cs.points)
    assert approx == [(0.087, 2.884), (3.0, 2.0), (3.385, 0.074)]


def test_box_by_name_and_exact_bound_on_a_point():
    cs = critical_points(x**3 + y**3 - 3 * x * y, box={"x": (1, 2), "y": (1, 2)})
    assert [p.point for p in cs.points] == [{x: 1, y: 1}]  # the closed box contains (1, 1)
    cs = critical_points(x**3 + y**3 - 3 * x * y, box={"x": (R(1, 2), sp.pi), "y": (-1, 1)})
    assert [p.point for p in cs.points] == [{x: 1, y: 1}]


def test_empty_box_is_an_error():
    with pytest.raises(DefinitionError):
        critical_points(x**2, box={x: (1, 0)})


def test_rational_gradient_excludes_and_reports_poles():
    # f = x^2 + y^2 + 1/(x - 1): df/dx = 2x - 1/(x-1)^2; the poles are not critical points
    f = x**2 + y**2 + 1 / (x - 1)
    cs = critical_points(f)
    assert cs.complete
    # 2x(x-1)^2 = 1 has one real root (a local minimum); independent check with numpy
    import numpy as np
    real = [r.real for r in np.roots([2, -4, 2, -1]) if abs(r.imag) < 1e-9]
    assert len(real) == 1
    assert len(cs.points) == 1 and abs(cs.points[0].approx[x] - real[0]) < 1e-9
    assert cs.points[0].kind is Kind.MINIMUM


def test_pole_where_the_numerators_vanish_is_singular_not_critical():
    # f = x/(x^2 + y^2): numerators y^2 - x^2 and -2xy vanish only at the pole (0, 0)
    cs = critical_points(x / (x**2 + y**2))
    assert cs.points == ()
    assert cs.singular == ({x: 0, y: 0},)
    assert cs.complete


def test_rational_gradient_positive_dimensional_numerators():
    # f = x^2 y^2 / (x^2 + y^2) has numerators vanishing on the axes and a pole at 0:
    # numerators 2 x y^4, 2 x^4 y vanish on both axes: positive-dimensional, handed on
    f = (x * y)**2 / (x**2 + y**2)
    cs = critical_points(f)
    assert "polynomial: positive-dimensional" in cs.method_trail[0] or not cs.points


def test_rational_gradient_pole_solution_goes_to_singular():
    # f = (x - 1)^2 (x + 2)^3 / (x + 2)^... keep it simple: f = x + 1/x has grad 1 - 1/x^2,
    # numerator x^2 - 1: two critical points, no pole among them
    cs = critical_points(x + 1 / x)
    assert sorted(p.point[x] for p in cs.points) == [-1, 1]
    kinds = {p.point[x]: p.kind for p in cs.points}
    assert kinds == {1: Kind.MINIMUM, -1: Kind.MAXIMUM}


def test_numerator_zero_at_pole_is_singular():
    # g = d/dx (x^3/3 - x^2/2 ... ) built directly: f = (x - 1)^2 * log-free rational:
    # f = x^2/(x - 1)^0 ... use f = (x^3 - 3x)/(x^2 + 1) + y^2 (no poles) as a control
    f = (x**3 - 3 * x) / (x**2 + 1) + y**2
    cs = critical_points(f)
    assert cs.complete and cs.singular == ()
    # f' = (x^4 + 6x^2 - 3)/(x^2 + 1)^2: x^2 = -3 + 2 sqrt(3)
    xs = sorted(float(sp.N(p.point[x])) for p in cs.points)
    assert len(xs) == 2 and abs(xs[1] - float(sp.sqrt(-3 + 2 * sp.sqrt(3)))) < 1e-12


def test_tiny_budget_names_the_step_and_is_not_complete():
    f = x**4 + y**4 + z**4 - 4 * x * y * z + x * y + y * z - z
    cs = critical_points(f, seconds=0.001)
    assert not cs.complete
    assert any("budget exceeded in" in note for note in cs.method_trail + cs.notes)


def test_not_polynomial_passes_with_a_note():
    cs = critical_points(sp.sin(x) + y**2)
    assert cs.method_trail[0].startswith("polynomial: not polynomial")


def test_positive_dimensional_is_handed_on():
    cs = critical_points((x**2 + y**2 - 1)**2)
    assert cs.method_trail[0].startswith("polynomial: positive-dimensional")


def test_parameters_are_reported_not_guessed():
    a = real_symbol("a")
    cs = critical_points(x**2 + a * x, variables=[x])
    assert cs.points == ()  # parametric answers live in cs.cases (symopt.analysis.parametric.cases)
    assert [(str(k.condition), k.points[0].point[x]) for k in cs.cases] == [("True", -a / 2)]


def test_constant_and_vector_input():
    cs = critical_points(sp.Integer(5))
    assert cs.points == () and not cs.complete
    with pytest.raises(DimensionError):
        critical_points(sp.Matrix([x, y]))
    with pytest.raises(DefinitionError):
        critical_points("x^2")


def test_plain_sympy_symbols_are_made_real():
    X, Y = sp.symbols("x y")
    cs = critical_points(X**2 + Y**2 - 2 * X)
    assert cs.points[0].point == {x: 1, y: 0}


def test_polynomial_rung_names_the_step_that_ran_out():
    from symopt.analysis.ladder.protocol import GradientSystem
    from symopt.analysis.ladder.polynomial.rung import PolynomialRung
    f = x**6 + y**6 + z**6 - x * y * z          # 125 complex solutions: not done in 0.05 s
    grad = tuple(sp.diff(f, v) for v in (x, y, z))
    system = GradientSystem(f, (x, y, z), grad, sp.ImmutableMatrix(sp.hessian(f, (x, y, z))),
                            seconds=0.05)
    outcome = PolynomialRung().attempt(system)
    assert outcome.answer is None
    assert outcome.note.startswith("polynomial: budget exceeded in ")


def test_exact_decimal_note_for_float_coefficients():
    cs = critical_points(0.5 * x**2 + y**2)
    assert cs.points[0].point == {x: 0, y: 0}
    assert any("exact decimals" in n for n in cs.notes)


def test_box_with_infinite_and_irrational_bounds():
    cs = critical_points(HIMMELBLAU, box={x: (0, sp.oo), y: (-sp.oo, 0)})
    assert cs.complete and len(cs.points) == 1
    assert abs(cs.points[0].approx[x] - 3.584428340330) < 1e-9
    cs = critical_points(HIMMELBLAU, box={x: (sp.sqrt(2), sp.pi)})
    assert [p.point for p in cs.points] == [{x: 3, y: 2}]


def test_a_failing_rung_is_recorded_and_the_climb_continues(monkeypatch):
    import symopt.analysis.critical as critical
    from symopt.analysis.ladder.polynomial.rung import PolynomialRung

    class Broken:
        name = "broken"

        def attempt(self, system):
            raise RuntimeError("boom")

    monkeypatch.setattr(critical, "default_rungs", lambda: [Broken(), PolynomialRung()])
    cs = critical.critical_points(x**2 + y**2)
    assert cs.method_trail[0] == "broken: failed (RuntimeError: boom)"
    assert cs.points[0].point == {x: 0, y: 0} and cs.complete
