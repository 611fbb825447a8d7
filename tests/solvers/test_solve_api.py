"""minimize's contract: method/option validation, inputs, result shape and JSON keys."""

import dataclasses

import numpy as np
import pytest
import sympy as sp

from solve_helpers import Quadratic
from symopt.core.objects import Function
from symopt.core.symbols import real_symbol
from symopt.errors import DefinitionError, DimensionError, DomainError, SolverError
from symopt.solvers import METHODS, OptimizeResult, Status, minimize

x, y = real_symbol("x"), real_symbol("y")
BOWL = Quadratic(np.array([[2.0, 0.5], [0.5, 1.0]]), b=[1.0, -1.0])

# a learning rate per method that is stable on BOWL (lambda_max ~ 2.2)
GOOD = {"gd": {"lr": 0.3}, "momentum": {"lr": 0.1}, "nesterov": {"lr": 0.1},
        "rmsprop": {"lr": 0.001}, "adam": {"lr": 0.01}}


def test_unknown_method_lists_the_valid_ones():
    with pytest.raises(SolverError) as info:
        minimize(BOWL, [0, 0], method="lbfgs-magic")
    for name in ("gd", "newton", "newton-pure", "momentum", "nesterov", "rmsprop", "adam", "bfgs"):
        assert name in str(info.value)


def test_unknown_option_lists_the_valid_ones():
    with pytest.raises(SolverError) as info:
        minimize(BOWL, [0, 0], method="newton", lr=0.1)  # Newton has no learning rate
    assert "lr" in str(info.value) and "tol" in str(info.value)
    with pytest.raises(SolverError):
        minimize(BOWL, [0, 0], method="adam", momentum=0.9)


@pytest.mark.parametrize("method, options", [
    ("gd", {"lr": -1.0}), ("gd", {"step": "wolfe"}), ("momentum", {"mu": 1.0}),
    ("adam", {"beta2": 1.5}), ("bfgs", {"max_iter": 0}), ("bfgs", {"tol": float("nan")}),
    ("adam", {"bias_correction": "yes"}), ("gd", {"step": "exact", "lr": 0.1}),
])
def test_bad_option_values_raise_solver_error(method, options):
    with pytest.raises(SolverError):
        minimize(BOWL, [0, 0], method=method, **options)


def test_none_options_mean_default():
    r = minimize(BOWL, [0, 0], method="newton", lr=None, tol=None)
    assert r.success and r.options["tol"] == 1e-6


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_registered_method_minimizes_a_convex_quadratic(method):
    options = dict(GOOD.get(method, {}))
    if method in ("adam", "rmsprop"):
        options.update(max_iter=20000, tol=1e-3)
    r = minimize(BOWL, np.array([2.0, -3.0]), method=method, **options)
    x_star = BOWL.minimizer()
    lr = options.get("lr", 0.0)
    assert np.linalg.norm(r.x - x_star) < max(1e-5, 30 * lr), (method, r)
    assert r.method == method
    if method not in ("adam", "rmsprop"):
        assert r.status is Status.CONVERGED and r.success


def test_result_is_frozen_with_scipy_names_and_contract_keys():
    r = minimize(x ** 2 + 3 * y ** 2 - x, {x: 1, "y": 2}, method="bfgs")
    assert isinstance(r, OptimizeResult)
    for name in ("x", "fun", "jac", "nit", "nfev", "njev", "nhev", "success", "status", "message"):
        assert hasattr(r, name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.nit = 3
    d = r.to_dict()
    assert set(d) >= {"x", "fun", "grad_norm", "nit", "nfev", "status", "success", "message", "method"}
    assert d["x"] == pytest.approx({"x": 0.5, "y": 0.0}, abs=1e-6)  # ||grad|| <= 1e-6, lambda_min = 2
    assert d["status"] == "converged" and r.status == "converged"
    assert d["fun"] == pytest.approx(-0.25)
    assert "converged" in repr(r) and r._repr_latex_().startswith("$")
    assert r.path.x.shape[1] == 2 and r.path.k[0] == 0 and r.path.k[-1] == r.nit


def test_status_members_carry_their_message():
    assert Status.CONVERGED.message == "||grad|| <= tol"
    assert {s.value for s in Status} == {"converged", "max-iterations", "diverged", "stalled"}
    assert Status.CONVERGED.success and not Status.STALLED.success


def test_function_objects_and_plain_sympy_symbols_are_accepted():
    fn = Function.from_expr(sp.Symbol("a") ** 2 + (sp.Symbol("b") - 1) ** 2)
    r = minimize(fn, {"a": 3, "b": -1}, method="newton")
    assert r.variables == ("a", "b") and np.allclose(r.x, [0, 1])


def test_bad_starting_points():
    with pytest.raises(DefinitionError):
        minimize(x ** 2 + y ** 2, {"x": 1, "z": 2})
    with pytest.raises(DefinitionError):
        minimize(x ** 2 + y ** 2, {"x": 1})
    with pytest.raises(DimensionError):
        minimize(x ** 2 + y ** 2, [1, 2, 3])
    with pytest.raises(SolverError):
        minimize(x ** 2 + y ** 2, [1, float("inf")])
    with pytest.raises(SolverError):
        minimize(BOWL, {"x": 1, "y": 2})  # a numpy objective has no variable names


def test_objective_not_finite_at_start_is_a_domain_error():
    with pytest.raises(DomainError):
        minimize(sp.log(x) + x, [-1.0], method="gd")


def test_parameters_must_have_values():
    with pytest.raises(DefinitionError):
        minimize(x ** 2 + real_symbol("a") * x, [1.0], variables=[x])


def test_path_is_thinned_for_long_runs_and_keeps_the_last_iterate():
    r = minimize(BOWL, [2.0, -3.0], method="gd", lr=1e-4, max_iter=5000, max_path=100)
    assert r.status is Status.MAX_ITERATIONS
    assert len(r.path) <= 201 and r.path.k[-1] == 5000 and r.path.stride > 1
    assert np.array_equal(r.path.x[-1], r.x)


def test_failed_line_search_is_reported_as_stalled():
    class Lying(Quadratic):  # the gradient points uphill: no step decreases f
        def gradient(self, x):
            return -super().gradient(x)
    r = minimize(Lying(np.eye(2)), [1.0, 1.0], method="gd-backtracking")
    assert r.status is Status.STALLED and not r.success
    assert np.allclose(r.x, [1.0, 1.0])


def test_objectives_without_a_hessian():
    class NoHessian:
        def __call__(self, x):
            return float(x @ x + x[0])

        def gradient(self, x):
            return 2 * x + np.array([1.0, 0.0])
    r = minimize(NoHessian(), [1.0, 2.0], method="bfgs")
    assert r.success and np.allclose(r.x, [-0.5, 0.0], atol=1e-6)
    assert r.diagnostics.eigenvalues is None
    with pytest.raises(SolverError):
        minimize(NoHessian(), [1.0, 2.0], method="newton")


def test_text_objectives_go_through_the_language():
    r = minimize("(x - 1)^2 + 2(y + 2)^2", {"x": 0, "y": 0}, method="newton")
    assert r.variables == ("x", "y") and np.allclose(r.x, [1.0, -2.0])


def test_lambdify_stand_in_objective_matches_closed_forms():
    from symopt.solvers import LambdifiedObjective
    obj = LambdifiedObjective(100 * (y - x ** 2) ** 2 + (1 - x) ** 2, (x, y))
    p = np.array([-1.2, 1.0])
    assert obj(p) == pytest.approx(24.2)
    assert np.allclose(obj.gradient(p), [-215.6, -88.0])
    assert np.allclose(obj.hessian(p), [[1330.0, 480.0], [480.0, 200.0]])
    r = minimize(obj, p, method="newton")
    assert r.success and np.allclose(r.x, [1.0, 1.0])
