"""Convexity verdicts: proofs for known convex functions, exact witnesses for 'neither'."""

import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from symopt.analysis.convexity.verdict import ConvexityResult, convexity
from symopt.core.functions import logsumexp, sigmoid, softplus
from symopt.core.symbols import real_symbol
from symopt.errors import DimensionError, DomainError

x, y, z, w, b = (real_symbol(n) for n in "xyzwb")
z1, z2, z3 = (real_symbol(n) for n in ("z1", "z2", "z3"))
CONVEX_OK = {"convex", "strictly convex", "affine"}


def check_neither_witness(f, variables, result):
    """Jensen's inequality fails both ways, with exact values recomputed here: for 'not_convex'
    f(midpoint) > (f(a) + f(b))/2, for 'not_concave' f(midpoint) < (f(a) + f(b))/2; when the
    witness came from the Hessian, d^T H(p) d equals the stated curvature."""
    assert result.verdict == "neither"
    H = sp.hessian(f, variables)
    for key, sign in (("not_convex", -1), ("not_concave", 1)):
        wit = result.witness[key]
        j = wit["jensen"]
        fa, fb = f.xreplace(j["a"]), f.xreplace(j["b"])
        mid = {v: (j["a"][v] + j["b"][v]) / 2 for v in variables}
        fm = f.xreplace(mid)
        assert sp.simplify(fa - j["f(a)"]) == 0 and sp.simplify(fm - j["f(midpoint)"]) == 0
        gap = (fa + fb - 2 * fm).evalf(50)
        assert sp.sign(gap) == sign
        if wit["curvature"] is not None:
            d = sp.Matrix(wit["direction"])
            curv = sp.simplify((d.T * H.xreplace(wit["point"]) * d)[0, 0])
            assert sp.simplify(curv - wit["curvature"]) == 0
            assert sp.sign(curv.evalf(50)) == sign


# the lecture's exercise: squared error, logistic and softmax cross-entropy are convex in the outputs
LECTURE = [
    ((y - w * x) ** 2, [w], None),
    ((y - w * x - b) ** 2, [w, b], None),
    (-y * sp.log(sigmoid(z)) - (1 - y) * sp.log(1 - sigmoid(z)), [z], None),
    (-y * sp.log(sigmoid(z)) - (1 - y) * sp.log(1 - sigmoid(z)), [z], {y: (0, 1)}),
    (y * softplus(-z) + (1 - y) * softplus(z), [z], {y: (0, 1)}),
    (-y * sp.log(1 / (1 + sp.exp(-z))) - (1 - y) * sp.log(1 - 1 / (1 + sp.exp(-z))), [z], None),
    (-z1 + logsumexp(z1, z2, z3), [z1, z2, z3], None),
    (-z2 + sp.log(sp.exp(z1) + sp.exp(z2) + sp.exp(z3)), [z1, z2, z3], None),
]


@pytest.mark.parametrize("f, variables, domain", LECTURE)
def test_lecture_losses_are_convex_with_reasons(f, variables, domain):
    r = convexity(f, variables, domain)
    assert r.verdict in CONVEX_OK, r.reason
    assert r.witness is None and len(r.reason) > 20


def test_logistic_cross_entropy_is_strictly_convex_in_the_output():
    f = -y * sp.log(sigmoid(z)) - (1 - y) * sp.log(1 - sigmoid(z))
    assert convexity(f, [z]).verdict == "strictly convex"


def test_softmax_cross_entropy_is_not_called_strict():
    # logsumexp is flat along (1, 1, 1): convex, never strictly
    assert convexity(-z1 + logsumexp(z1, z2, z3), [z1, z2, z3]).verdict == "convex"


def test_squared_error_with_unknown_input_is_not_called_strict():
    # x = 0 makes (y - w x)^2 constant in w: strictness cannot be claimed
    assert convexity((y - w * x) ** 2, [w]).verdict == "convex"


KNOWN = [
    (sp.exp(x), "strictly convex"), (x**4, "strictly convex"), (x**2 + y**2, "strictly convex"),
    (x**4 + y**4, "strictly convex"), (sp.exp(x + y) + x**2 + y**2, "strictly convex"),
    (sp.sqrt(x**2 + y**2), "convex"), (sp.Abs(x - y) + x, "convex"), (3 * x - 2 * y + 1, "affine"),
    (-x**2 - x * y - y**2, "strictly concave"), (softplus(x + 2 * y), "convex"),
    ((x + y) ** 2, "convex"), (sp.Max(x, y, 1 - x), "convex"), (-sp.log(x) - sp.log(1 - x), "strictly convex"),
    (sp.log(x), "strictly concave"), (sp.sqrt(x), "concave"),
]


@pytest.mark.parametrize("f, verdict", KNOWN)
def test_known_curvature(f, verdict):
    r = convexity(f)
    assert r.verdict == verdict, r.reason


NOT_CONVEX = [
    (x**3, [x]), (sp.sin(x), [x]), (x * y, [x, y]),
    ((1 - x) ** 2 + 100 * (y - x**2) ** 2, [x, y]), (x**2 - y**2, [x, y]),
    (sp.cos(x) + y**2, [x, y]), (x**4 - x**2, [x]), (sp.Abs(x) - sp.Abs(y), [x, y]),
    (sp.Max(x, 0) - sp.Max(y, 0), [x, y]), (sp.Piecewise((x**2, x > 0), (-x**2, True)), [x]),
]


@pytest.mark.parametrize("f, variables", NOT_CONVEX)
def test_never_convex_and_witness_is_exact(f, variables):
    r = convexity(f, variables)
    assert r.verdict == "neither", r.reason
    check_neither_witness(f, variables, r)


def test_domain_box():
    assert convexity(x**3, domain={x: (0, sp.oo)}).verdict == "strictly convex"
    assert convexity(x**3, domain={x: (None, 0)}).verdict == "strictly concave"
    assert convexity(sp.log(x), domain={x: (0, None)}).verdict == "strictly concave"
    assert convexity(x * sp.log(x), domain={x: (0, None)}).verdict == "strictly convex"
    r = convexity(sp.sin(x), domain={x: (0, sp.pi)})
    assert r.verdict in ("concave", "strictly concave", "unknown")  # never convex, never 'neither'
    r = convexity(x**3, domain={x: (-1, 1)})
    assert r.verdict == "neither"
    for key in ("not_convex", "not_concave"):
        j = r.witness[key]["jensen"]
        assert -1 <= j["a"][x] <= 1 and -1 <= j["b"][x] <= 1


def test_parameters_without_sign_give_no_false_witness():
    a = real_symbol("a")
    r = convexity(a * x**2, [x])
    assert r.verdict == "unknown"
    assert convexity(a * x**2, [x], {a: (0, None)}).verdict in CONVEX_OK


def test_to_dict_and_repr():
    r = convexity(x**3)
    d = r.to_dict()
    assert set(d) == {"verdict", "witness", "reason"} and d["verdict"] == "neither"
    assert d["witness"]["not_convex"]["point"] == {"x": "-1"}
    assert isinstance(r, ConvexityResult) and "neither" in repr(r) and "neither" in r._repr_latex_()
    assert convexity(sp.exp(x)).to_dict()["witness"] is None


def test_bad_input_raises_clear_errors():
    with pytest.raises(DimensionError):
        convexity(sp.ImmutableMatrix([x, y]))
    with pytest.raises(DomainError):
        convexity(x**2, domain={x: (1, 0)})


def _psd_exact(A):
    n = A.rows
    return all(A.extract(list(i), list(i)).det() >= 0
               for k in range(1, n + 1) for i in itertools.combinations(range(n), k))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=6, max_size=6), st.integers(-2, 2))
def test_random_quadratic_forms(entries, shift):
    """u^T A u + linear terms: convex iff A is PSD (all principal minors >= 0, exact)."""
    a, bb, c, d, e, g = entries
    A = sp.Matrix([[a, bb, c], [bb, d, e], [c, e, g]])
    u = sp.Matrix([x, y, z])
    f = sp.expand((u.T * A * u)[0, 0] + shift * x - y)
    r = convexity(f, [x, y, z])
    if _psd_exact(A):
        assert r.verdict in CONVEX_OK, r.reason
    elif _psd_exact(-A):
        assert r.verdict in ("concave", "strictly concave"), r.reason
    else:
        check_neither_witness(f, [x, y, z], r)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=4, max_size=4))
def test_random_cubics_never_wrongly_convex(coeffs):
    """c3 x^3 + c2 x^2 y + y^4 + c0 x^2: a convex verdict must survive numeric PSD checks on a grid;
    a 'neither' verdict must carry an exact witness."""
    c3, c2, c1, c0 = coeffs
    f = c3 * x**3 + c2 * x**2 * y + c1 * y**4 + c0 * x**2
    r = convexity(f, [x, y])
    H = sp.lambdify((x, y), sp.hessian(f, (x, y)), "numpy")
    if r.verdict in CONVEX_OK:
        for px, py in itertools.product(np.linspace(-3, 3, 9), repeat=2):
            assert np.linalg.eigvalsh(np.array(H(px, py), dtype=float)).min() >= -1e-9
    if r.verdict == "neither":
        check_neither_witness(f, [x, y], r)


def test_non_convex_domains_are_not_called_convex():
    # f'' >= 0 wherever defined, but the domain x != 0 is not convex
    assert convexity(1 / x**2).verdict == "unknown"
    assert convexity(-sp.log(x**2)).verdict == "unknown"
    assert convexity(1 / x**2, domain={x: (0, None)}).verdict == "strictly convex"
