"""Properties on random problems: line-search conditions, Newton/BFGS on quadratics, the
2/lambda_max stability threshold, divergence never yielding NaN."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from solve_helpers import Quadratic
from symopt.solvers import Status, minimize
from symopt.solvers.line_search import armijo, strong_wolfe
from symopt.solvers.objective import Counted

SETTINGS = settings(max_examples=25, deadline=None)


@st.composite
def spd_quadratics(draw, max_n=4):
    """A random symmetric positive definite A = Q diag(lambda) Q' with known eigenvalues."""
    n = draw(st.integers(2, max_n))
    seed = draw(st.integers(0, 2 ** 31 - 1))
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    lam = np.sort(rng.uniform(0.2, 10.0, size=n))
    A = q @ np.diag(lam) @ q.T
    return Quadratic(0.5 * (A + A.T), b=rng.normal(size=n)), lam, q, rng.normal(size=n) * 3


class Quartic:
    """f(x) = sum(x^4)/4 + 1/2 x'Ax - b'x: smooth, convex, not quadratic."""

    def __init__(self, quad):
        self.q = quad

    def __call__(self, x):
        return float(np.sum(x ** 4) / 4 + self.q(x))

    def gradient(self, x):
        return x ** 3 + self.q.gradient(x)

    def hessian(self, x):
        return np.diag(3 * x ** 2) + self.q.A


@SETTINGS
@given(spd_quadratics())
def test_newton_solves_any_spd_quadratic_in_one_step(problem):
    f, lam, q, x0 = problem
    r = minimize(f, x0, method="newton", tol=1e-8)
    assert r.nit == 1 and r.success
    assert np.allclose(r.x, f.minimizer(), atol=1e-8)


@SETTINGS
@given(spd_quadratics())
def test_bfgs_finds_the_minimizer_of_any_spd_quadratic(problem):
    f, lam, q, x0 = problem
    r = minimize(f, x0, method="bfgs", tol=1e-9)
    assert r.success
    assert np.allclose(r.x, f.minimizer(), atol=1e-7)


@SETTINGS
@given(spd_quadratics(), st.floats(0.05, 0.95))
def test_constant_step_threshold_two_over_lambda_max(problem, fraction):
    """alpha < 2/lambda_max converges; alpha > 2/lambda_max diverges (x0 off the minimizer)."""
    f, lam, q, x0 = problem
    bound = 2.0 / lam[-1]
    x_start = f.minimizer() + q[:, -1]  # a component along the steepest eigenvector
    stable = minimize(f, x_start, method="gd", lr=fraction * bound, tol=1e-6, max_iter=200000)
    assert stable.status is Status.CONVERGED and stable.diagnostics.step_stable
    unstable = minimize(f, x_start, method="gd", lr=bound * (1.0 + fraction), max_iter=200000)
    assert unstable.status is Status.DIVERGED and unstable.diagnostics.step_stable is False
    assert np.isfinite(unstable.x).all() and np.isfinite(unstable.fun)


@SETTINGS
@given(spd_quadratics(), st.floats(1e-3, 10.0))
def test_line_searches_satisfy_their_conditions(problem, alpha0):
    quad, lam, q, x0 = problem
    f = Counted(Quartic(quad), len(x0))
    f0, g0 = f.value_and_grad(x0)
    d = -g0
    c1, c2 = 1e-4, 0.5
    alpha, x1, f1, g1 = armijo(f, x0, f0, g0, d, alpha0, c1)
    assert f1 <= f0 + c1 * alpha * (g0 @ d)
    assert np.allclose(x1, x0 + alpha * d)
    alpha, x1, f1, g1 = strong_wolfe(f, x0, f0, g0, d, alpha0, c1, c2)
    assert f1 <= f0 + c1 * alpha * (g0 @ d)
    assert abs(g1 @ d) <= c2 * abs(g0 @ d) + 1e-12
    assert np.allclose(g1, f.gradient(x1))


@SETTINGS
@given(spd_quadratics(), st.sampled_from(["newton", "bfgs", "gd-backtracking", "gd-exact"]))
def test_line_search_methods_decrease_f_monotonically(problem, method):
    quad, lam, q, x0 = problem
    r = minimize(Quartic(quad), x0, method=method, tol=1e-7, max_iter=5000)
    assert r.success
    assert np.all(np.diff(r.path.f) <= 1e-12 * (1 + np.abs(r.path.f[:-1])))
    assert np.linalg.norm(Quartic(quad).gradient(r.x)) <= 1e-7


@SETTINGS
@given(st.sampled_from(["gd", "momentum", "nesterov", "rmsprop", "adam", "newton-pure"]),
       st.floats(2.0, 50.0))
def test_blow_ups_end_as_diverged_with_finite_values(method, lr):
    """exp(x^2) overflows quickly once a too-large step overshoots."""
    class Steep:
        def __call__(self, x):
            return float(np.exp(x @ x))

        def gradient(self, x):
            return 2 * x * np.exp(x @ x)

        def hessian(self, x):
            return (2 * np.eye(len(x)) + 4 * np.outer(x, x)) * np.exp(x @ x)
    options = {} if method == "newton-pure" else {"lr": lr}
    r = minimize(Steep(), np.array([1.5, -0.5]), method=method, max_iter=2000, **options)
    d = r.to_dict()
    assert all(np.isfinite(v) for v in d["x"]) and np.isfinite(d["fun"]) and np.isfinite(d["grad_norm"])
    if r.status is Status.CONVERGED:
        assert r.fun == min(r.path.f)  # genuinely at the bottom of exp(x'x) = 1 at 0
