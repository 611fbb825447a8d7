"""Properties: exact inertia obeys Sylvester's law, classification agrees with sampling, and the
polynomial rung's real critical points agree with an independent resultant count."""

import mpmath
import numpy as np
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from symopt.analysis.classify.second_derivative import classify
from symopt.analysis.critical import critical_points
from symopt.analysis.exact.inertia import Inertia, rational_inertia
from symopt.analysis.results import Kind
from symopt.core.symbols import real_symbol

x, y = real_symbol("x"), real_symbol("y")
small = st.integers(-4, 4)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([-1, 0, 1]), min_size=1, max_size=5), st.data())
def test_sylvester_law_congruent_matrices_have_the_same_inertia(signs, data):
    n = len(signs)
    P = sp.Matrix(n, n, data.draw(st.lists(small, min_size=n * n, max_size=n * n)))
    assume(P.det() != 0)
    D = sp.diag(*[s * data.draw(st.integers(1, 5)) for s in signs])
    H = P.T * D * P
    expected = Inertia(signs.count(1), signs.count(-1), signs.count(0))
    assert rational_inertia(H) == expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small, small, small, small, small)
def test_classification_agrees_with_sampling(a, b, c, d, e):
    # f has a critical point at the origin; Hessian [[2a, b], [b, 2c]]
    f = a * x**2 + b * x * y + c * y**2 + d * x**3 + e * y**3
    assume(4 * a * c - b * b != 0)
    cls = classify(f, (x, y), (0, 0))
    # 720 directions (a saddle's negative cone can be a few degrees wide), small step: the
    # quadratic part dominates the cubic by a factor of about 10^6
    t = 1e-6
    ang = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    X, Y = t * np.cos(ang), t * np.sin(ang)
    diffs = a * X**2 + b * X * Y + c * Y**2 + d * X**3 + e * Y**3
    if cls.kind is Kind.MINIMUM:
        assert all(v > 0 for v in diffs)
    elif cls.kind is Kind.MAXIMUM:
        assert all(v < 0 for v in diffs)
    else:
        assert cls.kind is Kind.SADDLE
        assert any(v > 0 for v in diffs) and any(v < 0 for v in diffs)


@mpmath.workdps(50)
def independent_real_count(f):
    """Real critical points via res_y(f_x, f_y) and mpmath polyroots at 50 digits."""
    fx, fy = sp.diff(f, x), sp.diff(f, y)
    res = sp.Poly(sp.resultant(fx, fy, y), x)
    if res.is_zero:
        return None
    sqf = sp.Poly(sp.quo(res, sp.gcd(res, res.diff(x))), x)
    if sqf.degree() < 1:
        return 0
    xs = [r.real for r in mpmath.polyroots([mpmath.mpf(int(c.p)) / int(c.q) for c in sqf.all_coeffs()],
                                           maxsteps=400, extraprec=400)
          if abs(r.imag) < mpmath.mpf(10) ** -30]
    pts = set()
    for x0 in xs:
        py = sp.Poly(fy.subs(x, sp.Float(x0, 50)), y)
        if py.degree() < 1:
            return None
        for y0 in mpmath.polyroots([mpmath.mpf(str(c)) for c in py.all_coeffs()], maxsteps=400, extraprec=400):
            if abs(y0.imag) > mpmath.mpf(10) ** -20:
                continue
            val = fx.subs({x: sp.Float(x0, 50), y: sp.Float(y0.real, 50)})
            if abs(sp.N(val, 50)) < 1e-15:
                pts.add((round(float(x0), 8), round(float(y0.real), 8)))
    return len(pts)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(-3, 3), min_size=6, max_size=6))
def test_real_count_matches_resultant_count(cs):
    a, b, c, d, e, g = cs
    f = x**4 + y**4 + a * x**2 * y + b * x * y + c * x**2 + d * y**2 + e * x + g * y
    ours = critical_points(f, seconds=20)
    assume(ours.complete)
    other = independent_real_count(f)
    assume(other is not None)
    assert len(ours.points) == other
    for p in ours.points:  # every reported point zeroes the gradient (60-digit check)
        for v in (x, y):
            assert abs(sp.N(sp.diff(f, v).xreplace(p.point), 60)) < 1e-40


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.data())
def test_ldl_inertia_agrees_with_descartes_on_the_charpoly(n, data):
    from symopt.analysis.exact.inertia import inertia_from_charpoly_signs, rational_charpoly
    vals = data.draw(st.lists(st.integers(-3, 3), min_size=n * n, max_size=n * n))
    A = sp.Matrix(n, n, vals)
    H = A + A.T                       # symmetric, often singular or with zero diagonals
    coeffs = rational_charpoly(H)
    assert rational_inertia(H) == inertia_from_charpoly_signs([(c > 0) - (c < 0) for c in coeffs])
