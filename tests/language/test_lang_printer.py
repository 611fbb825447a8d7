"""to_text: golden outputs and the round trip parse(to_text(e)) == e (structural equality)."""

import pytest
import sympy as sp
from hypothesis import assume, given, settings, strategies as st

from symopt.core.functions import logsumexp, sigmoid, softmax_vector, softplus
from symopt.core.objects import Function, Problem
from symopt.core.symbols import real_symbol
from symopt.language import UnprintableError, parse, to_text

x, y, z = (real_symbol(n) for n in "xyz")
R = sp.Rational

GOLDEN = [
    (x**2, "x^2"), (-x**2, "-x^2"), ((-1)**x, "(-1)^x"), (sp.exp(-x), "exp(-x)"),
    (2**x, "2^x"), (1 / (x * y), "1/(x*y)"), (x**R(1, 2), "sqrt(x)"), (x**R(-1, 2), "1/sqrt(x)"),
    (x**-2, "x^(-2)"), (x**R(1, 3), "x^(1/3)"), (R(1, 2)**x, "(1/2)^x"), ((x**y)**z, "(x^y)^z"),
    (x**(y**z), "x^(y^z)"), (x**(y + 1), "x^(y + 1)"), (sp.E, "e"), (sp.pi * x, "pi*x"),
    (sp.Abs(x), "abs(x)"), (sp.Min(x, y), "min(x, y)"), (sp.Max(x, 1), "max(1, x)"),
    (sp.ceiling(x), "ceil(x)"), (sigmoid(x), "sigmoid(x)"), (softplus(x), "softplus(x)"),
    (logsumexp(x, y), "logsumexp(x, y)"), (R(-3, 4), "-3/4"), (x / 2, "x/2"),
    (sp.ImmutableMatrix([x, y]), "[x, y]"), (sp.ImmutableMatrix([[1, 2], [3, 4]]), "[[1, 2], [3, 4]]"),
    (sp.ImmutableMatrix([[x, y]]), "[[x, y]]"), (sp.log(x), "log(x)"), (sp.atan2(y, x), "atan2(y, x)"),
    (sp.sqrt(2) * x, "sqrt(2)*x"), ((x + 1)**2, "(x + 1)^2"), (sp.exp(x)**2, "exp(2*x)"),
]


@pytest.mark.parametrize("expr,text", GOLDEN)
def test_golden_text(expr, text):
    assert to_text(expr) == text
    assert parse(text) == expr


def test_function_and_problem_round_trip():
    f = Function("f", (y, x), x**2 - y)
    assert to_text(f) == "f(y, x) = x^2 - y"
    assert parse(to_text(f)) == f
    vector = Function("F", (x, y), sp.ImmutableMatrix([x * y, x + y]))
    assert parse(to_text(vector)) == vector
    pb = Problem("max", x * y, (x, y), (x + y - 1,), (-x, y - 2))
    assert to_text(pb) == "maximize x*y over x, y subject to x + y - 1 = 0, -x <= 0, y - 2 <= 0"
    assert parse(to_text(pb)) == pb
    free = Problem("min", x**2, (x,))
    assert parse(to_text(free)) == free


def test_softmax_round_trip():
    v = softmax_vector([x, y, z])
    assert parse(to_text(v)) == v


def test_floats_are_refused_unless_not_strict():
    with pytest.raises(UnprintableError):
        to_text(sp.Float("0.1") * x)
    assert to_text(sp.Float("0.1") * x, strict=False) == "0.1*x"
    assert parse(to_text(sp.Float("0.1") * x, strict=False)) == x / 10


@pytest.mark.parametrize("expr", [sp.I * x, sp.oo, sp.zoo, sp.nan, sp.Derivative(sp.Function("g")(x), x),
                                  sp.Function("g")(x), sp.gamma(x), real_symbol("e") + 1,
                                  real_symbol("sin"), sp.Symbol("x y"), sp.Dummy("d"),
                                  sp.Eq(x, 1), sp.ImmutableMatrix(0, 0, [])])
def test_unprintable_objects_are_refused(expr):
    with pytest.raises(UnprintableError):
        to_text(expr)


def test_non_real_symbols_come_back_real():
    assert parse(to_text(sp.Symbol("x") ** 2)) == x**2


# -- hypothesis: random expressions over x, y, z with the language's functions -------------
UNARY = [sp.sin, sp.cos, sp.tan, sp.atan, sp.sinh, sp.cosh, sp.tanh, sp.exp, sp.log, sp.sqrt,
         sp.Abs, sigmoid, softplus, sp.asin, sp.acos, sp.erf, sp.sign, sp.floor, sp.ceiling]
BINARY = [lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b,
          sp.Min, sp.Max, logsumexp, sp.atan2, lambda a, b: sp.log(a, b)]

leaves = st.one_of(
    st.sampled_from([x, y, z, sp.pi, sp.E]),
    st.integers(-5, 5).map(sp.Integer),
    st.fractions(min_value=-5, max_value=5, max_denominator=7).map(lambda f: sp.Rational(f.numerator, f.denominator)),
)


def _safe(function, *args):
    """SymPy refuses some combinations (Min(zoo, 1)); those become nan and are filtered."""
    try:
        return function(*args)
    except (TypeError, ValueError, ZeroDivisionError, RecursionError):
        return sp.nan


def _power(base, exponent):
    return _safe(sp.Pow, base, exponent)


exponents = st.one_of(st.integers(-3, 4).map(sp.Integer), st.sampled_from([R(1, 2), R(-1, 2), R(1, 3), R(3, 2), x, y]))


def _extend(children):
    return st.one_of(
        st.builds(_safe, st.sampled_from(UNARY), children),
        st.builds(_safe, st.sampled_from(BINARY), children, children),
        st.builds(_power, children, exponents),
        st.builds(lambda a: -a, children),
    )


expressions = st.recursive(leaves, _extend, max_leaves=8)


def _rebuilt(expr):
    return expr.func(*[_rebuilt(a) for a in expr.args]) if expr.args else expr


def _representable(expr) -> bool:
    """Finite and real wherever it is a number (the language refuses the rest), and in SymPy's
    canonical form: SymPy sometimes leaves a tree that its own constructors would not build
    (a Mul nested in a Mul); parsing evaluates, so only canonical trees can come back equal."""
    if isinstance(expr, sp.Expr) and _rebuilt(expr) != expr:
        return False
    if not isinstance(expr, sp.Expr) or expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) \
            or expr.has(sp.AccumBounds):
        return False
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Expr) and node.is_number and node.is_extended_real is False:
            return False
        if node.is_Rational and max(abs(node.p), abs(node.q)) > 10**30:
            return False
    return True


@settings(max_examples=250, deadline=None)
@given(expressions)
def test_round_trip_random_expressions(expr):
    try:
        ok = _representable(expr)
    except (TypeError, ValueError, RecursionError):
        ok = False
    assume(ok)
    text = to_text(expr)
    assert parse(text) == expr, text


@settings(max_examples=60, deadline=None)
@given(st.lists(expressions, min_size=1, max_size=4), st.integers(1, 2))
def test_round_trip_random_matrices(entries, rows):
    try:
        ok = all(_representable(e) for e in entries)
    except (TypeError, ValueError, RecursionError):
        ok = False
    assume(ok and len(entries) % rows == 0)
    matrix = sp.ImmutableMatrix(rows, len(entries) // rows, entries)
    assert parse(to_text(matrix)) == matrix
