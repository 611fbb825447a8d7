"""Point and box lists of the command line: exact values, errors that point at the spot."""

import pytest
import sympy as sp

from symopt.errors import ParseError
from symopt.language.assignments import parse_assignments, parse_box


def test_point_values_are_exact_expressions():
    assert parse_assignments("x=-1.2, y=1") == {"x": sp.Rational(-6, 5), "y": 1}
    assert parse_assignments("a = -10/121, b = pi/2") == {"a": sp.Rational(-10, 121), "b": sp.pi / 2}


def test_commas_inside_brackets_do_not_split():
    assert parse_assignments("x=max(1, 2), y=min(3, 4)") == {"x": 2, "y": 3}


def test_box_ranges():
    box = parse_box("x=-5..5, y=0..pi")
    assert box == {"x": (-5, 5), "y": (0, sp.pi)}


@pytest.mark.parametrize("text, fragment", [
    ("x=", "bad value"),
    ("x=1, x=2", "given twice"),
    ("1=2", "NAME=VALUE"),
    ("x=y", "not a constant"),
    ("x=5..-5", "empty range"),
    ("x=5", "LO..HI"),
    ("", "empty"),
])
def test_bad_lists_are_parse_errors(text, fragment):
    parser = parse_box if fragment in ("empty range", "LO..HI") else parse_assignments
    with pytest.raises(ParseError) as info:
        parser(text)
    assert fragment in str(info.value)
