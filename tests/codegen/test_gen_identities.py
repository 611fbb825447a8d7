"""Property: stabilizing never changes the mathematical value (every rule is an identity on its
domain), checked at high precision on random expressions built from the patterns the rules
target, and the compiled stable code agrees with the exact value."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symopt.codegen.compile import compile_function
from symopt.codegen.nodes import log_softmax_term, softmax_term, xlogx
from symopt.codegen.stabilize import stabilize
from symopt.core.functions import logsumexp, sigmoid, softplus
from symopt.core.symbols import real_symbol

x, y = real_symbol("x"), real_symbol("y")

leaves = st.sampled_from([x, y, 2 * x - y, x * y / 3, sp.Rational(1, 2) * y])


def _wrap(inner):
    return st.one_of(
        st.builds(lambda a, b: sp.log(sp.exp(a) + sp.exp(b)), inner, inner),
        st.builds(lambda a: sp.log(1 + sp.exp(a)), inner),
        st.builds(lambda a, b: sp.exp(a) / (sp.exp(a) + sp.exp(b)), inner, inner),
        st.builds(lambda a: sp.log(sigmoid(a)), inner),
        st.builds(lambda a: 1 - sigmoid(a), inner),
        st.builds(lambda a: sp.exp(a / 4) - 1, inner),
        st.builds(lambda a: sp.log(1 + a**2), inner),
        st.builds(lambda a, b: sp.sqrt(a**2 + b**2), inner, inner),
        st.builds(lambda a: 1 - sp.cos(a), inner),
        st.builds(lambda a: sp.sqrt(1 + a**2) - 1, inner),
        st.builds(lambda a, b: a + b, inner, inner),
        st.builds(lambda a, b: a * b, inner, inner),
    )


expressions = st.recursive(leaves, _wrap, max_leaves=4)
point = st.tuples(st.floats(-4, 4), st.floats(-4, 4))

_EXACT = {"sigmoid": lambda a: 1 / (1 + mpmath.exp(-a)),
          "softplus": lambda a: mpmath.log(1 + mpmath.exp(a)),
          "logsumexp": lambda *a: mpmath.log(mpmath.fsum(mpmath.exp(t) for t in a)),
          "softmax_term": lambda b, *a: mpmath.exp(b) / mpmath.fsum(mpmath.exp(t) for t in a),
          "log_softmax_term": lambda b, *a: b - mpmath.log(mpmath.fsum(mpmath.exp(t)
                                                                       for t in a)),
          "xlogx": lambda a: a * mpmath.log(a) if a != 0 else mpmath.mpf(0),
          "hypot": lambda a, b: mpmath.sqrt(a * a + b * b),
          "log1p": lambda a: mpmath.log(1 + a), "expm1": lambda a: mpmath.exp(a) - 1}


def exact(expr, p):
    f = sp.lambdify((x, y), expr, modules=[_EXACT, "mpmath"])
    with mpmath.workdps(60):
        return f(mpmath.mpf(p[0]), mpmath.mpf(p[1]))


@settings(max_examples=60, deadline=None)
@given(expr=expressions, p=point)
def test_stabilize_is_an_identity(expr, p):
    stable = stabilize(expr)
    want, got = exact(expr, p), exact(stable, p)
    assert mpmath.almosteq(want, got, rel_eps=mpmath.mpf(10) ** -40, abs_eps=mpmath.mpf(10) ** -40), (
        expr, stable, p)


@settings(max_examples=30, deadline=None)
@given(expr=expressions, p=point)
def test_compiled_stable_code_matches_exact_value(expr, p):
    want = float(exact(expr, p))
    c = compile_function(expr, (x, y))
    got = c(np.array(p))
    assert math.isclose(got, want, rel_tol=1e-11, abs_tol=1e-12), (expr, p, got, want)


def test_helper_nodes_differentiate_exactly():
    # d/dx of the helper nodes equals d/dx of their definitions
    for node in (softmax_term(x, x, y), log_softmax_term(y, x, y), xlogx(x + 2)):
        defn = node.rewrite(sp.exp) if not isinstance(node, xlogx) else (x + 2) * sp.log(x + 2)
        for v in (x, y):
            d1 = sp.diff(node, v).rewrite(sp.exp)
            d2 = sp.diff(defn, v)
            assert abs(float((d1 - d2).subs({x: 0.3, y: -0.7}).evalf(30))) < 1e-25
    assert sp.diff(logsumexp(x, y), x).func is sp.exp
    assert sp.diff(softplus(x), x) == sigmoid(x)
