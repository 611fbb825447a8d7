"""The chapter's and the lecture's worked examples, reproduced with the solvers."""

import numpy as np
import pytest

from solve_helpers import LeastSquares, Plane, Quadratic, Rosenbrock
from symopt.core.symbols import real_symbol
from symopt.solvers import Status, minimize

# Figure 4.6: condition number 5, most curvature along [1, 1], least along [1, -1].
FIG46 = np.array([[3.0, 2.0], [2.0, 3.0]])
U_STEEP = np.array([1.0, 1.0]) / np.sqrt(2.0)
U_FLAT = np.array([1.0, -1.0]) / np.sqrt(2.0)


def _least_squares():
    rng = np.random.default_rng(7)
    A = rng.normal(size=(6, 3))
    b = rng.normal(size=6)
    return LeastSquares(A, b)


def test_algorithm_4_1_least_squares_by_gradient_descent():
    f = _least_squares()
    A, b = f.design, f.target
    lam_max = np.linalg.eigvalsh(A.T @ A)[-1]
    eps, delta = 1.0 / lam_max, 1e-8
    x0 = np.zeros(3)
    r = minimize(f, x0, method="gd", lr=eps, tol=delta, max_iter=100000)
    assert r.status is Status.CONVERGED and r.success
    # the stopping test of Algorithm 4.1: ||A'Ax - A'b|| <= delta
    assert np.linalg.norm(A.T @ A @ r.x - A.T @ b) <= delta
    assert np.allclose(r.x, np.linalg.lstsq(A, b, rcond=None)[0], atol=1e-7)
    # the first iterate is exactly x - eps (A'Ax - A'b)
    assert np.allclose(r.path.x[1], x0 - eps * (A.T @ A @ x0 - A.T @ b))
    assert r.diagnostics.step_stable is True
    assert r.diagnostics.step_bound == pytest.approx(2.0 / lam_max)


def test_newton_solves_least_squares_in_one_step():
    f = _least_squares()
    r = minimize(f, np.array([5.0, -3.0, 2.0]), method="newton", tol=1e-9)
    assert r.nit == 1 and r.status is Status.CONVERGED
    assert np.allclose(r.x, np.linalg.lstsq(f.design, f.target, rcond=None)[0])
    r_pure = minimize(f, np.array([5.0, -3.0, 2.0]), method="newton-pure", tol=1e-9)
    assert r_pure.nit == 1


def test_figure_4_6_constant_step_zigzags_by_the_eigenvalue_factors():
    """Along eigenvector u_i the error is multiplied by (1 - alpha lambda_i) every step."""
    f = Quadratic(FIG46, b=[1.0, 2.0])
    x_star = f.minimizer()
    alpha = 0.3  # 1 - 5 alpha = -0.5 (oscillates), 1 - alpha = 0.7 (decays)
    x0 = x_star + 2.0 * U_STEEP + 1.0 * U_FLAT
    r = minimize(f, x0, method="gd", lr=alpha, max_iter=12, tol=1e-300)
    err = r.path.x - x_star
    k = np.arange(len(err))
    assert np.allclose(err @ U_STEEP, 2.0 * (-0.5) ** k)
    assert np.allclose(err @ U_FLAT, 1.0 * 0.7 ** k)
    assert r.status is Status.MAX_ITERATIONS
    assert r.diagnostics.condition_number == pytest.approx(5.0)
    assert r.diagnostics.step_stable is True  # 0 < alpha lambda < 2 for lambda = 1, 5
    assert any("oscillate" in note for note in r.diagnostics.notes)  # alpha lambda = 1.5 in (1, 2)


def test_figure_4_6_exact_step_zigzags_and_newton_takes_one_step():
    f = Quadratic(FIG46, b=[1.0, 2.0])
    x_star, f_star = f.minimizer(), f(f.minimizer())
    x0 = x_star + np.array([3.0, -1.0])
    gd = minimize(f, x0, method="gd-exact", tol=1e-10)
    assert gd.status is Status.CONVERGED and gd.nit > 5
    assert np.allclose(gd.x, x_star)
    steps = np.diff(gd.path.x, axis=0)
    # exact line search: each step is orthogonal to the previous one (the zig-zag); checked
    # while the steps are far above rounding level
    cosines = [a @ b / np.linalg.norm(a) / np.linalg.norm(b) for a, b in zip(steps[:8], steps[1:9])]
    assert np.max(np.abs(cosines)) < 1e-10
    # Kantorovich: f - f* shrinks by at least ((kappa - 1)/(kappa + 1))^2 = 4/9 per step
    gaps = gd.path.f - f_star
    assert np.all(gaps[1:] <= (4.0 / 9.0) * gaps[:-1] + 1e-15)
    newton = minimize(f, x0, method="newton", tol=1e-10)
    assert newton.nit == 1 and np.allclose(newton.x, x_star)


def test_momentum_reaches_terminal_velocity_on_a_plane():
    c = np.array([1.0, -2.0, 0.5])
    alpha, mu = 0.01, 0.9
    r = minimize(Plane(c), np.zeros(3), method="momentum", lr=alpha, mu=mu, max_iter=400)
    assert r.status is Status.MAX_ITERATIONS  # a plane has no minimum; no false convergence
    velocity = r.path.x[-1] - r.path.x[-2]
    assert np.allclose(velocity, -alpha / (1.0 - mu) * c, rtol=1e-12)


def test_step_above_two_over_lambda_max_diverges_with_last_finite_iterate():
    f = Quadratic(FIG46)
    x0 = np.array([1.0, 0.5])
    unstable = minimize(f, x0, method="gd", lr=0.41)  # 2 / lambda_max = 0.4
    assert unstable.status is Status.DIVERGED and not unstable.success
    assert np.isfinite(unstable.x).all() and np.isfinite(unstable.fun)
    assert unstable.diagnostics.step_stable is False
    assert unstable.diagnostics.step_bound == pytest.approx(0.4)
    stable = minimize(f, x0, method="gd", lr=0.39)
    assert stable.status is Status.CONVERGED and stable.diagnostics.step_stable is True
    # run until the floats overflow: still the last finite iterate, never NaN
    overflow = minimize(f, x0, method="gd", lr=1.0, f_limit=1e308, max_iter=100000)
    assert overflow.status is Status.DIVERGED
    assert np.isfinite(overflow.x).all() and np.isfinite(overflow.fun) and np.isfinite(overflow.jac).all()
    assert "non-finite" in overflow.message
    d = overflow.to_dict()
    assert d["status"] == "diverged" and d["success"] is False and np.isfinite(d["fun"])


@pytest.mark.parametrize("method", ["bfgs", "newton"])
def test_rosenbrock_from_the_standard_start(method):
    x, y = real_symbol("x"), real_symbol("y")
    expr = 100 * (y - x ** 2) ** 2 + (1 - x) ** 2
    r = minimize(expr, {"x": -1.2, "y": 1}, method=method)
    assert r.status is Status.CONVERGED and r.success
    assert r.to_dict()["x"] == pytest.approx({"x": 1.0, "y": 1.0}, abs=1e-6)
    assert r.grad_norm <= 1e-6
    # the same with a numpy objective, in 10 dimensions
    r10 = minimize(Rosenbrock(), np.array([-1.2, 1.0] * 5), method=method)
    assert r10.success and np.allclose(r10.x, 1.0, atol=1e-6)


def test_adam_and_rmsprop_on_an_ill_conditioned_quadratic():
    f = Quadratic(np.diag([10.0, 0.1]), b=[1.0, -0.2])
    x_star = f.minimizer()
    for method, lr in (("adam", 0.01), ("rmsprop", 0.001)):
        r = minimize(f, np.array([1.0, 1.0]), method=method, lr=lr, max_iter=20000, tol=1e-6)
        # both hover within a few learning rates of the minimum (constant lr, no decay)
        assert np.linalg.norm(r.x - x_star) < 20 * lr, method
        assert r.fun - f(x_star) < 1e-3, method


def test_adam_first_step_is_lr_times_sign_of_gradient():
    """With bias correction m_hat = g and v_hat = g^2 at t = 1: the step is -lr g/(|g| + eps)."""
    f = Quadratic(np.diag([4.0, 1.0]))
    x0 = np.array([1.0, -3.0])
    r = minimize(f, x0, method="adam", lr=0.1, max_iter=1, eps=1e-8)
    g = f.gradient(x0)
    assert np.allclose(r.x, x0 - 0.1 * g / (np.abs(g) + 1e-8))


def test_rmsprop_first_step_follows_the_lecture_rule():
    """s = gamma g^2 from s = 0, then theta - alpha g / sqrt(s + eps) (eps inside the root)."""
    f = Quadratic(np.diag([4.0, 1.0]))
    x0 = np.array([1.0, -3.0])
    r = minimize(f, x0, method="rmsprop", lr=0.1, gamma=0.1, eps=1e-4, max_iter=1)
    g = f.gradient(x0)
    assert np.allclose(r.x, x0 - 0.1 * g / np.sqrt(0.1 * g * g + 1e-4))


def test_pure_newton_reaches_the_saddle_and_globalized_newton_does_not():
    x, y = real_symbol("x"), real_symbol("y")
    start = {"x": 0.7, "y": -0.3}
    pure = minimize(x ** 2 - y ** 2, start, method="newton-pure")
    assert pure.status is Status.CONVERGED
    assert np.allclose(pure.x, 0.0) and not pure.success
    assert "saddle" in pure.message
    glob = minimize(x ** 2 - y ** 2, start, method="newton")
    assert glob.status is not Status.CONVERGED and not glob.success
    assert glob.status is Status.DIVERGED and "unbounded below" in glob.message
    assert "saddle" in " ".join(glob.diagnostics.notes)
    assert np.isfinite(glob.x).all()


def test_pure_newton_is_attracted_to_a_saddle_of_a_double_well():
    """f = x^4/4 - x^2/2 + y^2: saddle at 0, minima at (+-1, 0). Near x = 0 the Taylor model's
    critical point is the saddle; the globalized method goes to a minimum instead."""
    x, y = real_symbol("x"), real_symbol("y")
    f = x ** 4 / 4 - x ** 2 / 2 + y ** 2
    pure = minimize(f, [0.2, 0.5], method="newton-pure")
    assert np.allclose(pure.x, [0.0, 0.0], atol=1e-8) and not pure.success
    glob = minimize(f, [0.2, 0.5], method="newton")
    assert glob.success and np.allclose(np.abs(glob.x), [1.0, 0.0], atol=1e-7)


def test_momentum_and_nesterov_first_steps_by_hand():
    f = Quadratic(np.diag([2.0, 1.0]))
    x0 = np.array([1.0, 1.0])
    alpha, mu = 0.1, 0.5
    # momentum: p1 = -alpha g(x0); p2 = mu p1 - alpha g(x1)
    p1 = -alpha * f.gradient(x0)
    x1 = x0 + p1
    x2 = x1 + mu * p1 - alpha * f.gradient(x1)
    r = minimize(f, x0, method="momentum", lr=alpha, mu=mu, max_iter=2)
    assert np.allclose(r.path.x[1], x1) and np.allclose(r.x, x2)
    # Nesterov: the second gradient is taken at the look-ahead point x1 + mu p1
    x2_nag = x1 + mu * p1 - alpha * f.gradient(x1 + mu * p1)
    r = minimize(f, x0, method="nesterov", lr=alpha, mu=mu, max_iter=2)
    assert np.allclose(r.path.x[1], x1) and np.allclose(r.x, x2_nag)


def test_globalized_newton_steps_off_a_saddle_even_from_its_stable_manifold():
    """From (0.7, 0) the modified Newton step lands exactly on the saddle of x^2 - y^2; the method
    must not report convergence there but leave along the negative-curvature direction."""
    x, y = real_symbol("x"), real_symbol("y")
    r = minimize(x ** 2 - y ** 2, [0.7, 0.0], method="newton")
    assert r.status is Status.DIVERGED and "unbounded below" in r.message
    assert r.diagnostics.counts.get("saddle-escape") == 1
    # a saddle with a minimum nearby: x^2 + y^4/4 - y^2/2 has minima at (0, +-1)
    r = minimize(x ** 2 + y ** 4 / 4 - y ** 2 / 2, [0.7, 0.0], method="newton")
    assert r.success and np.allclose(np.abs(r.x), [0.0, 1.0], atol=1e-7)
    pure = minimize(x ** 2 + y ** 4 / 4 - y ** 2 / 2, [0.7, 0.0], method="newton-pure")
    assert pure.status is Status.CONVERGED and not pure.success and np.allclose(pure.x, 0.0)
