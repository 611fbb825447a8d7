"""Golden tests for every feature of the language: text -> the exact SymPy tree."""

import pytest
import sympy as sp

from symopt.core.functions import log_softmax_vector, logsumexp, sigmoid, softmax_vector, softplus
from symopt.core.objects import Function, Problem
from symopt.core.symbols import real_symbol
from symopt.errors import DimensionError, ParseError
from symopt.language import Session, parse

x, y, z, t = (real_symbol(n) for n in "xyzt")
x1, x2, x10 = real_symbol("x1"), real_symbol("x2"), real_symbol("x10")
R = sp.Rational

GOLDEN = [
    # exact numbers and constants
    ("2.5", R(5, 2)), ("1e-3", R(1, 1000)), (".5", R(1, 2)), ("1.", 1), ("2E2", 200),
    ("1.25e1", R(25, 2)), ("pi", sp.pi), ("e", sp.E), ("e^x", sp.exp(x)), ("2e", 2 * sp.E),
    # names
    ("x", x), ("x1", x1), ("x_1", real_symbol("x_1")), ("theta", real_symbol("theta")),
    ("lambda", real_symbol("lambda")), ("xy", real_symbol("xy")), ("α", real_symbol("α")),
    # operators and precedence
    ("-2^2", -4), ("2^3^2", 512), ("2^-1", R(1, 2)), ("2**-1", R(1, 2)), ("2**3**2", 512),
    ("-x^2", -x**2), ("(-x)^2", x**2), ("x - y - z", x - y - z), ("x / y / z", x / (y * z)),
    ("x^-y", x**(-y)), ("-x*y", -x * y), ("+x", x), ("--x", x), ("x - -y", x + y),
    ("2 * 3 + 4", 10), ("2 * (3 + 4)", 14), ("8/4/2", 1), ("2^2^-1", sp.sqrt(2)),
    # juxtaposition
    ("2x", 2 * x), ("2 x", 2 * x), ("3(x+1)", 3 * x + 3), ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("x y", x * y), ("2x^2", 2 * x**2), ("x y^2", x * y**2), ("1/2 x", x / 2),
    ("x(1 - x)", x * (1 - x)), ("2 pi x", 2 * sp.pi * x), ("x' y", x * y),
    ("2(x)(y)", 2 * x * y), ("-2x^2", -2 * x**2), ("x^2 y^2", x**2 * y**2),
    # functions
    ("sin(x)", sp.sin(x)), ("cos(x) + tan(y)", sp.cos(x) + sp.tan(y)),
    ("asin(x) + acos(x) + atan(x)", sp.asin(x) + sp.acos(x) + sp.atan(x)),
    ("sinh(x) cosh(y) tanh(z)", sp.sinh(x) * sp.cosh(y) * sp.tanh(z)),
    ("exp(x)", sp.exp(x)), ("log(x)", sp.log(x)), ("ln(x)", sp.log(x)),
    ("log(x, 2)", sp.log(x) / sp.log(2)), ("sqrt(x)", sp.sqrt(x)), ("abs(x)", sp.Abs(x)),
    ("min(x, y)", sp.Min(x, y)), ("max(x, y, 1)", sp.Max(x, y, 1)), ("max(x)", x),
    ("sigmoid(x)", sigmoid(x)), ("softplus(x)", softplus(x)),
    ("logsumexp(x, y)", logsumexp(x, y)), ("logsumexp([x, y, z])", logsumexp(x, y, z)),
    ("softmax([x, y])", softmax_vector([x, y])), ("log_softmax([x, y])", log_softmax_vector([x, y])),
    ("atan2(y, x)", sp.atan2(y, x)), ("sin (x)", sp.sin(x)), ("sin(x)^2", sp.sin(x)**2),
    ("exp([x, y])", sp.ImmutableMatrix([sp.exp(x), sp.exp(y)])), ("sqrt(4)", 2),
    ("sigmoid(0)", R(1, 2)), ("abs(-3)", 3),
    # vectors, matrices, norms
    ("[x, y]", sp.ImmutableMatrix([x, y])), ("[[2, 1], [1, 3]]", sp.ImmutableMatrix([[2, 1], [1, 3]])),
    ("[[1, 2, 3]]", sp.ImmutableMatrix([[1, 2, 3]])), ("[x, y]'", sp.ImmutableMatrix([[x, y]])),
    ("[x, y]' [x, y]", x**2 + y**2), ("[x, y]' * [1, 2]", x + 2 * y), ("[1, 2]' @ [x, y]", x + 2 * y),
    ("[[2, 1], [1, 3]] [x, y]", sp.ImmutableMatrix([2 * x + y, x + 3 * y])),
    ("2 [x, y]", sp.ImmutableMatrix([2 * x, 2 * y])), ("[x, y] / 2", sp.ImmutableMatrix([x / 2, y / 2])),
    ("[x, y] + [1, 2]", sp.ImmutableMatrix([x + 1, y + 2])), ("-[x, y]", sp.ImmutableMatrix([-x, -y])),
    ("dot([x, y], [1, 2])", x + 2 * y), ("||[3, 4]||", 5), ("norm([x, y])", sp.sqrt(x**2 + y**2)),
    ("||x||", sp.Abs(x)), ("norm(x)", sp.Abs(x)), ("||[x, y]||^2", x**2 + y**2),
    ("1/2 ||[x, y]||^2", (x**2 + y**2) / 2), ("|| ||[3, 4]|| ||", 5),
    ("||[x, 1]|| ||[y, 1]||", sp.sqrt(x**2 + 1) * sp.sqrt(y**2 + 1)),
    ("[[1, 2], [3, 4]]^2", sp.ImmutableMatrix([[7, 10], [15, 22]])),
    ("[[2, 0], [0, 4]]^-1", sp.ImmutableMatrix([[R(1, 2), 0], [0, R(1, 4)]])),
    ("[[1, 2], [3, 4]]'", sp.ImmutableMatrix([[1, 3], [2, 4]])),
    ("[\n  [1, 2],\n  [3, 4]\n]", sp.ImmutableMatrix([[1, 2], [3, 4]])),
    ("[x]", sp.ImmutableMatrix([x])),
    # comments, separators, programs
    ("x  # a comment", x), ("x; y", y), ("x\n\ny\n", y), ("a = 2; a x", 2 * x),
    ("x + \\\n y", x + y), ("(x +\n y)", x + y),
    # unicode operators
    ("x \u2212 y", x - y), ("2\u00b7x", 2 * x),
    # a leading sign covers the product; after an operator it is a factor's
    ("-x y", -(x * y)), ("x * -y", -x * y), ("2^-x y", y / 2**x),
]


@pytest.mark.parametrize("text,expected", GOLDEN)
def test_golden(text, expected):
    result = parse(text)
    if isinstance(expected, (int, sp.Basic)) and not isinstance(expected, sp.MatrixBase):
        expected = sp.sympify(expected)
    assert result == expected
    assert type(result) is type(expected) or isinstance(result, sp.Basic)


def test_names_are_real_symbols():
    assert parse("x") == real_symbol("x")
    assert parse("x").is_real
    assert parse("x") != sp.Symbol("x")


def test_numbers_are_exact():
    assert isinstance(parse("0.1"), sp.Rational)
    assert parse("0.1 + 0.2") == R(3, 10)
    assert not parse("3.14159 x").has(sp.Float)


def test_precedence_facts():
    assert parse("-2^2") == -4
    assert parse("2^3^2") == 512
    assert parse("2^-1") == R(1, 2)
    assert parse("-x^2") == -(x**2)
    assert parse("2x^2") == 2 * x**2


def test_rosenbrock_is_one_flat_add():
    n = 50
    text = " + ".join(f"100(x{i + 1} - x{i}^2)^2 + (1 - x{i})^2" for i in range(1, n))
    xs = [real_symbol(f"x{i}") for i in range(1, n + 1)]
    expected = sp.Add(*[100 * (xs[i + 1] - xs[i]**2)**2 + (1 - xs[i])**2 for i in range(n - 1)])
    assert parse(text) == expected


def test_function_definition_keeps_variable_order():
    f = parse("f(y, x) = x^2 - y^2")
    assert isinstance(f, Function)
    assert f.name == "f" and f.variables == (y, x) and f.expr == x**2 - y**2


def test_defined_function_calls_substitute_with_arity_check():
    assert parse("f(x, y) = x^2 + y; f(1, 2)") == 3
    g = parse("f(x, y) = x^2 + y; g(t) = f(t, t^2)")
    assert g == Function("g", (t,), 2 * t**2)
    with pytest.raises(ParseError, match="f takes 2 argument"):
        parse("f(x, y) = x^2 + y; f(1)")


def test_constants_are_substituted_and_parameters_shadow_them():
    quad = parse("A = [[2, 1], [1, 3]]; v = [x, y]; v' A v")
    assert sp.expand(quad) == 2 * x**2 + 2 * x * y + 3 * y**2
    assert parse("x = 3; f(x) = x^2; f(2) + x") == 7
    assert parse("a = 2; minimize a x^2 over x").objective == 2 * x**2


def test_least_squares_with_constant_A_and_b():
    # eq. 4.21: f(x) = 1/2 ||A x - b||^2 with x a vector variable
    value = parse("A = [[1, 2], [3, 4]]; b = [1, 1]; 1/2 ||A x - b||^2")
    expected = R(1, 2) * ((x1 + 2 * x2 - 1)**2 + (3 * x1 + 4 * x2 - 1)**2)
    assert sp.expand(value - expected) == 0
    f = parse("A = [[1, 2], [3, 4]]; b = [1, 1]; f(x) = 1/2 ||A x - b||^2")
    assert f.variables == (x1, x2)
    assert sp.expand(f.expr - expected) == 0
    assert parse("A = [[1, 2], [3, 4]]; b = [1, 1]; f(x) = 1/2 ||A x - b||^2; f([1, 0])") == 2
    quad = parse("A = [[2, 1], [1, 3]]; x' A x")
    assert sp.expand(quad) == 2 * x1**2 + 2 * x1 * x2 + 3 * x2**2


def test_problem_without_over_uses_natural_order():
    pb = parse("minimize x10 + x2 + x1 subject to x1^2 + x2^2 <= 1")
    assert isinstance(pb, Problem)
    assert pb.sense == "min" and pb.variables == (x1, x2, x10)
    assert pb.inequalities == (x1**2 + x2**2 - 1,)


def test_problem_constraints_signs():
    pb = parse("maximize x y over x, y subject to x + y = 1, x >= 0, y <= 2, 0 <= x <= 3")
    assert pb.sense == "max" and pb.objective == x * y
    assert pb.equalities == (x + y - 1,)
    assert pb.inequalities == (-x, y - 2, -x, x - 3)


def test_problem_over_makes_other_names_parameters():
    pb = parse("minimize (x - a)^2 over x")
    assert pb.variables == (x,)
    assert pb.parameters == (real_symbol("a"),)


def test_problem_on_several_lines_and_vector_constraints():
    text = "minimize x^2 + y^2\n  over x, y\n  subject to\n    [x, y] >= [1, 2],\n    x + y == 4"
    pb = parse(text)
    assert pb.inequalities == (1 - x, 2 - y)
    assert pb.equalities == (x + y - 4,)
    assert parse("minimize x s.t. x >= 1").inequalities == (1 - x,)
    assert parse("minimize x\n# why\nsubject to x \u2265 1, x \u2264 3").inequalities == (1 - x, x - 3)
    assert parse("minimize x over x\n\n  s.t. x >= 1").variables == (x,)


def test_contract_examples():
    fn = parse("f(x, y) = x^2 - y^2")
    assert (fn.name, fn.variables, fn.expr) == ("f", (x, y), x**2 - y**2)
    pb = parse("minimize x + y subject to x^2 + y^2 <= 1")
    assert (pb.sense, pb.objective, pb.variables) == ("min", x + y, (x, y))
    assert pb.equalities == () and pb.inequalities == (x**2 + y**2 - 1,)


def test_bare_function_name_means_its_body():
    pb = parse("f(x, y) = x^2 + y^2; minimize f subject to x + y = 1")
    assert pb.objective == x**2 + y**2 and pb.variables == (x, y)


def test_session_keeps_definitions_and_resets():
    s = Session()
    s.parse("A = [[2, 1], [1, 3]]")
    assert sp.expand(s.parse("v = [x, y]; v' A v")) == 2 * x**2 + 2 * x * y + 3 * y**2
    assert set(s.definitions) == {"A", "v"}
    s.parse("f(t) = t^3")
    assert s.parse("f(2)") == 8
    s.reset()
    assert s.definitions == {}
    assert s.parse("A") == real_symbol("A")


def test_session_is_atomic_on_error():
    s = Session()
    with pytest.raises(ParseError):
        s.parse("a = 1; b = sinn(2)")
    assert s.definitions == {}


def test_scalar_at_scalar_is_a_dimension_error():
    with pytest.raises(DimensionError):
        parse("x @ y")
    with pytest.raises(ParseError):
        parse("x @ y")
