"""Every stabilizing rule against mpmath at 50 digits on adversarial inputs.

One parametrized test per rule of the table (the table is iterated, so a new rule without a case
fails `test_every_rule_has_a_case`). The stable compiled code must be finite wherever the true
value is finite and representable, and within a few ulps of it; the naive code
(stabilize=False) must fail (non-finite, or far off) at the point named in the case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np
import pytest
import sympy as sp

from symopt.codegen.compile import compile_function
from symopt.codegen.rules import RULES, RULES_BY_NAME
from symopt.codegen.stabilize import stabilize
from symopt.codegen.nodes import log_softmax_term, softmax_term
from symopt.core.functions import (log_softmax_vector, logsumexp, sigmoid, softmax_vector,
                                   softplus)
from symopt.core.symbols import real_symbol
from symopt.errors import EvaluationError

x, y, z = real_symbol("x"), real_symbol("y"), real_symbol("z")
mp = mpmath.mp
ULPS = 8


@dataclass(frozen=True)
class Case:
    expr: sp.Expr
    variables: tuple
    truth: object  # mpmath callable on mpf arguments (the exact definition)
    points: tuple  # adversarial inputs
    naive_fails_at: tuple | None  # a point where the naive code is non-finite or far off


def _sig(t):
    return 1 / (1 + mpmath.exp(-t))


CASES = {
    "log_exp": Case(sp.log(2 * sp.exp(x)), (x,), lambda t: mpmath.log(2 * mpmath.exp(t)),
                    ((1000.0,), (-1000.0,), (1e-300,), (0.0,), (5e-324,)), (1000.0,)),
    "logsumexp_written": Case(
        sp.log(sp.exp(x) + sp.exp(y) + sp.exp(z)), (x, y, z),
        lambda a, b, c: mpmath.log(mpmath.exp(a) + mpmath.exp(b) + mpmath.exp(c)),
        ((1000.0, 1000.0, 1000.0), (-1000.0, -1000.0, -1000.0), (1000.0, -1000.0, 0.0),
         (5e-324, 0.0, -5e-324), (700.0, 710.0, -1e300)), (1000.0, 1000.0, 1000.0)),
    "tanh_written": Case(
        (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x)), (x,),
        lambda t: (mpmath.exp(t) - mpmath.exp(-t)) / (mpmath.exp(t) + mpmath.exp(-t)),
        ((1000.0,), (-1000.0,), (1e-10,), (1e-300,), (0.5,)), (1000.0,)),
    "softmax_written": Case(
        sp.exp(x) / (sp.exp(x) + sp.exp(y)), (x, y),
        lambda a, b: mpmath.exp(a) / (mpmath.exp(a) + mpmath.exp(b)),
        ((1000.0, 1000.0), (-1000.0, -1000.0), (1000.0, 0.0), (-1000.0, 0.0), (-700.0, 0.0),
         (5e-324, -5e-324)), (1000.0, 1000.0)),
    "softmax_max_shift": Case(
        sp.exp(x - logsumexp(x, y, z)), (x, y, z),
        lambda a, b, c: mpmath.exp(a) / (mpmath.exp(a) + mpmath.exp(b) + mpmath.exp(c)),
        ((1000.0, 1000.0, 1000.0), (-1000.0, -1000.0, -1000.0), (1000.0, 0.0, -1000.0),
         (-1000.0, 0.0, 1000.0), (5e-324, 0.0, 0.0)), (1000.0, 1000.0, 1000.0)),
    "log_softmax": Case(
        sp.log(sp.exp(x) / (sp.exp(x) + sp.exp(y) + sp.exp(z))), (x, y, z),
        lambda a, b, c: mpmath.log(mpmath.exp(a) / (mpmath.exp(a) + mpmath.exp(b)
                                                    + mpmath.exp(c))),
        ((1000.0, 1000.0, 1000.0), (-1000.0, 0.0, 1000.0), (1000.0, -1000.0, -1000.0),
         (5e-324, 0.0, 0.0)), (-1000.0, 0.0, 1000.0)),
    "log_softmax_written": Case(
        y - logsumexp(x, y, z), (x, y, z),
        lambda a, b, c: b - mpmath.log(mpmath.exp(a) + mpmath.exp(b) + mpmath.exp(c)),
        ((1000.0, 1000.0, 1000.0), (-1000.0, 0.0, 1000.0), (1000.0, -1000.0, -1000.0),
         (5e-324, 0.0, 0.0)), (-1000.0, -1000.0, -1000.0)),
    "p_minus_p_squared": Case(
        sigmoid(x) - sigmoid(x) ** 2, (x,), lambda t: _sig(t) * (1 - _sig(t)),
        ((40.0,), (-1000.0,), (1000.0,), (0.5,), (-40.0,)), (40.0,)),
    "one_minus_softmax": Case(
        1 - sp.exp(x) / (sp.exp(x) + sp.exp(y) + sp.exp(z)), (x, y, z),
        lambda a, b, c: 1 - mpmath.exp(a) / (mpmath.exp(a) + mpmath.exp(b) + mpmath.exp(c)),
        ((40.0, 0.0, 0.0), (1000.0, 0.0, -3.0), (-1000.0, 0.0, 0.0), (0.0, 0.0, 0.0)),
        (40.0, 0.0, 0.0)),
    "log_sigmoid": Case(sp.log(sigmoid(x)), (x,), lambda t: mpmath.log(_sig(t)),
                        ((-1000.0,), (1000.0,), (40.0,), (1e-300,), (-40.0,)), (40.0,)),
    "log_one_minus_sigmoid": Case(
        sp.log(1 - sigmoid(x)), (x,), lambda t: mpmath.log(1 - _sig(t)),
        ((1000.0,), (-1000.0,), (-40.0,), (5e-324,), (40.0,)), (1000.0,)),
    "one_minus_sigmoid": Case(1 - sigmoid(x), (x,), lambda t: 1 - _sig(t),
                              ((40.0,), (-1000.0,), (1000.0,), (5e-324,), (700.0,)), (40.0,)),
    "log1p": Case(sp.log(1 + x), (x,), lambda t: mpmath.log(1 + t),
                  ((1e-20,), (1e-300,), (5e-324,), (-0.5,), (1e300,), (-1e-17,)), (1e-20,)),
    "expm1": Case(sp.exp(x) - 1, (x,), lambda t: mpmath.exp(t) - 1,
                  ((1e-20,), (1e-300,), (-1000.0,), (5e-324,), (-1e-10,), (3.0,)), (1e-20,)),
    "hypot": Case(sp.sqrt(x**2 + y**2), (x, y), lambda a, b: mpmath.sqrt(a**2 + b**2),
                  ((1e200, 1e200), (1e-200, 1e-200), (3.0, 4.0), (5e-324, 0.0),
                   (-1e300, 1.0)), (1e200, 1e200)),
    "xlogx": Case(x * sp.log(x), (x,), lambda t: t * mpmath.log(t) if t != 0 else mpmath.mpf(0),
                  ((0.0,), (5e-324,), (1e-300,), (1000.0,), (1.0,)), (0.0,)),
    "one_minus_cos": Case(1 - sp.cos(x), (x,), lambda t: 1 - mpmath.cos(t),
                          ((1e-10,), (1e-300,), (3.0,), (5e-324,), (-2e-8,)), (1e-10,)),
    "sqrt1p_minus_1": Case(sp.sqrt(1 + x) - 1, (x,), lambda t: mpmath.sqrt(1 + t) - 1,
                           ((1e-20,), (1e-300,), (1e300,), (-1.0,), (-1e-17,)), (1e-20,)),
    "sigmoid_stable": Case(sigmoid(x), (x,), _sig,
                           ((1000.0,), (-1000.0,), (-700.0,), (5e-324,), (-40.0,)), None),
    "softplus_stable": Case(softplus(x), (x,), lambda t: mpmath.log(1 + mpmath.exp(t)),
                            ((1000.0,), (-1000.0,), (1e-20,), (-40.0,), (5e-324,)), (1000.0,)),
    "logsumexp_max_shift": Case(
        logsumexp(x, y, z), (x, y, z),
        lambda a, b, c: mpmath.log(mpmath.exp(a) + mpmath.exp(b) + mpmath.exp(c)),
        ((1000.0, 1000.0, 1000.0), (-1000.0, -1000.0, -1000.0), (-1000.0, 0.0, 5e-324)),
        (-1000.0, -1000.0, -1000.0)),
}


def true_value(case: Case, point) -> float | None:
    """The exact value rounded to a float, or None when it is not finite/representable."""
    # 800 digits: cancellation at 1e-300 and 5e-324 needs more than 50 (the float range)
    with mp.workdps(800):
        v = case.truth(*[mpmath.mpf(p) for p in point])
        if not mpmath.isfinite(v) or abs(v) > mpmath.mpf("1.7976931348623157e308"):
            return None
        return float(v)


def close_in_ulps(got: float, want: float, ulps: int = ULPS) -> bool:
    # below the normal range the absolute spacing is 5e-324: allow a few of those too
    return abs(got - want) <= ulps * max(math.ulp(want), 5e-324)


def test_every_rule_has_a_case():
    assert set(CASES) == {rule.name for rule in RULES}


@pytest.mark.parametrize("name", [rule.name for rule in RULES])
def test_rule_against_mpmath(name):
    case, rule = CASES[name], RULES_BY_NAME[name]
    fired: list = []
    stable = stabilize(case.expr, trace=fired)
    helper_used = any(rule.match(node) is not None for node in sp.preorder_traversal(stable))
    assert name in fired or (rule.helper and helper_used), f"{name} never applies"
    c = compile_function(case.expr, case.variables)
    for point in case.points:
        want = true_value(case, point)
        if want is None:
            continue
        got = c(np.array(point))
        assert math.isfinite(got), (name, point, got)
        assert close_in_ulps(got, want), (name, point, got, want)
    # the batch (numpy) path agrees with the one-point path
    batch = np.array(case.points)
    values = compile_function(case.expr, case.variables, check=False)(batch)
    for point, got in zip(case.points, values):
        want = true_value(case, point)
        if want is not None:
            assert close_in_ulps(got, want), (name, point, got, want)


@pytest.mark.parametrize("name", [n for n, case in CASES.items() if case.naive_fails_at])
def test_naive_form_fails_where_stable_works(name):
    case = CASES[name]
    point = np.array(case.naive_fails_at)
    want = true_value(case, case.naive_fails_at)
    assert want is not None
    naive = compile_function(case.expr, case.variables, stabilize=False, check=False)
    with np.errstate(all="ignore"):
        got = naive(point)
    assert not (math.isfinite(got) and close_in_ulps(got, want, 1000)), (name, got, want)
    assert close_in_ulps(compile_function(case.expr, case.variables)(point), want)


def test_rules_are_frozen_data_with_docs():
    for rule in RULES:
        assert rule.name and rule.doc and rule.domain
        with pytest.raises(Exception):
            rule.name = "changed"


def test_stabilize_recognizes_written_out_forms():
    assert stabilize(sp.log(sp.exp(x) + sp.exp(y))) == logsumexp(x, y)
    assert stabilize(sp.log(1 + sp.exp(x))) == softplus(x)
    assert stabilize(1 / (1 + sp.exp(-x))) == sigmoid(x)
    assert stabilize(sp.log(sigmoid(x))) == -softplus(-x)
    assert stabilize(sp.log(1 - sigmoid(x))) == -softplus(x)
    # log softmax is computed directly, never as log of an underflowed softmax
    assert stabilize(sp.log(sp.exp(x) / (sp.exp(x) + sp.exp(y)))) == log_softmax_term(x, x, y)
    assert stabilize(log_softmax_vector([x, y])[1]) == log_softmax_term(y, x, y)
    assert stabilize(softmax_vector([x, y])[0]) == softmax_term(x, x, y)


def test_naive_overflow_is_reported_but_stable_is_exact_enough():
    f = sp.log(sp.exp(x) + sp.exp(y))
    with pytest.raises(EvaluationError):
        compile_function(f, (x, y), stabilize=False)(np.array([1000.0, 1000.0]))
    assert compile_function(f, (x, y))(np.array([1000.0, 1000.0])) == pytest.approx(
        1000 + math.log(2), rel=1e-15)
