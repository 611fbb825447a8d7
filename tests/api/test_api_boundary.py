"""The Python API's boundary (issue 8): classify never gives a verdict where grad f != 0, no caller
value is evaluated as code, a float is the number it is."""

import pathlib
import re

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import symopt
from symopt.analysis.results import Kind, Method

PAYLOAD = "__import__('os').system('touch {}')"


def test_classify_refuses_verdicts_at_non_critical_points():
    c = symopt.classify("x^2 + y^2", {"x": 1, "y": 0})
    assert c.kind is Kind.NOT_CRITICAL and c.gradient == (2, 0) and c.method is Method.EXACT
    assert symopt.classify("x^3", {"x": 1}).kind is Kind.NOT_CRITICAL
    assert symopt.classify("sin(x)", {"x": "1/2"}).kind is Kind.NOT_CRITICAL
    c = symopt.classify("sin(x)", {"x": "pi/2"})
    assert c.kind is Kind.MAXIMUM and c.method is Method.EXACT
    assert c.to_dict()["kind"] == "maximum"
    assert symopt.classify("x^2 + y^2", {"x": 1, "y": 0}).to_dict()["gradient"] == ["2", "0"]


def test_float_point_is_the_number_it_is_not_a_guessed_closed_form():
    c = symopt.classify("(x - 7071067811865476/10^16)^2", {"x": 0.7071067811865476})
    assert c.kind is Kind.MINIMUM and c.method is Method.EXACT and c.value == 0
    # sqrt(2)/2 is within one ulp of the float, but not equal to it: certified, not exact
    c = symopt.classify("(x - sqrt(2)/2)^2", {"x": 0.7071067811865476})
    assert c.kind is Kind.MINIMUM and c.method is Method.CERTIFIED


def test_a_radius_widens_the_error_bound():
    f = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"
    assert symopt.classify(f, {"x": -0.270845, "y": -0.923039}).kind is Kind.NOT_CRITICAL
    c = symopt.classify(f, {"x": -0.270845, "y": -0.923039}, radius=1e-5)
    assert c.kind is Kind.MAXIMUM and c.method is Method.CERTIFIED


@pytest.mark.parametrize("call", [
    lambda s: symopt.classify("x^2", {"x": s}),
    lambda s: symopt.classify("x^2", s),
    lambda s: symopt.critical_points("x^2", box={"x": (s, 1)}),
    lambda s: symopt.analyze("x^2", box={"x": (0, s)}),
    lambda s: symopt.minimize("x^2", {"x": s}),
    lambda s: symopt.minimize("x^2", [s]),
    lambda s: symopt.convexity("x^2", domain={"x": (s, 1)}),
])
def test_no_caller_string_is_evaluated_as_code(tmp_path, call):
    marker = tmp_path / "ran"
    with pytest.raises(symopt.SymoptError):
        call(PAYLOAD.format(marker))
    assert not marker.exists()


def test_no_module_evaluates_text():
    """No sympify without strict=True (strict refuses strings), no eval/exec anywhere in the
    package (SymPy's `def eval` classmethods are not calls)."""
    root = pathlib.Path(symopt.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if "noqa: S102" in line:  # exec of our own generated numpy source
                continue
            code = line.split("#")[0]
            if re.search(r"sympify\((?!.*strict=True)", code) or re.search(r"(?<![\w.])(?<!def )(eval|exec)\(", code):
                offenders.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize("point, error", [
    ({"x": 1, "z": 2}, "not a variable"),
    ({"x": 1}, "no value for y"),
    ([1], "1 coordinate"),
    ({"x": True, "y": 1}, "expected a number"),
    ({"x": float("nan"), "y": 1}, "not a finite number"),
    ({"x": "y", "y": 1}, "not a constant"),
    ({"x": "1 +", "y": 1}, "line 1"),
])
def test_bad_points_are_clear_errors(point, error):
    with pytest.raises(symopt.SymoptError, match=error):
        symopt.classify("x^2 + y^2", point)


def test_boxes_take_language_text_and_infinite_bounds():
    cs = symopt.critical_points("x^3 - 3x", box={"x": (0, "oo")})
    assert [p.point for p in cs.points] == [{sp.Symbol("x", real=True): 1}]
    cs = symopt.critical_points("x^3 - 3x", box="x=-oo..0")
    assert [p.point[sp.Symbol("x", real=True)] for p in cs.points] == [-1]
    with pytest.raises(symopt.SymoptError, match="empty range"):
        symopt.critical_points("x^2", box={"x": (2, 1)})


def test_numbers_of_every_python_kind():
    from fractions import Fraction
    from decimal import Decimal
    import numpy as np
    for half in (Fraction(1, 2), Decimal("0.5"), 0.5, np.float64(0.5), sp.Rational(1, 2), "1/2"):
        c = symopt.classify("(x - 1/2)^2", {"x": half})
        assert c.kind is Kind.MINIMUM and c.method is Method.EXACT, half


@settings(max_examples=30, deadline=None)
@given(a=st.fractions(max_denominator=50).filter(lambda q: abs(q) < 100),
       d=st.fractions(max_denominator=50).filter(lambda q: q != 0 and abs(q) < 100))
def test_property_verdict_only_at_the_critical_point(a, d):
    f = f"(x - ({a.numerator}/{a.denominator}))^2 + y^2"
    assert symopt.classify(f, {"x": a, "y": 0}).kind is Kind.MINIMUM
    c = symopt.classify(f, {"x": a + d, "y": 0})
    assert c.kind is Kind.NOT_CRITICAL
    assert c.gradient[0] == 2 * sp.Rational(d.numerator, d.denominator)
