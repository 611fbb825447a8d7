"""Method names -> factories with declared options. Adding a method = adding one entry.

Every option a method accepts is declared here with its default and a check; anything else is
a SolverError naming the valid options (no option is silently ignored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from symopt.errors import SolverError
from symopt.solvers.base import (Option, in_unit_interval, non_negative, one_of, positive,
                                 positive_int)
from symopt.solvers.descent import ArmijoStep, ConstantStep, DescentMethod, WolfeStep
from symopt.solvers.first_order import Adam, Momentum, Nesterov, RMSprop, gradient_descent
from symopt.solvers.newton import ModifiedNewtonDirection, PureNewtonDirection
from symopt.solvers.quasi_newton import BFGSDirection


def _is_bool(value):
    return None if isinstance(value, bool) else "must be True or False"


#: Options of the loop, valid for every method (max_iter's default depends on the method).
LOOP_OPTIONS = {
    "tol": Option(1e-6, "stop when ||grad f(x)||_2 <= tol (Algorithm 4.1)", non_negative),
    "max_iter": Option(None, "iteration limit", positive_int),
    "xtol": Option(1e-14, "stall when ||dx|| <= xtol (1 + ||x||) twice in a row", non_negative),
    # f stagnates at rounding level (df ~ alpha ||g||^2) long before ||g|| <= tol, so the f test
    # is off unless asked for
    "ftol": Option(0.0, "stall when |df| <= ftol (1 + |f|) `patience` times in a row", non_negative),
    "patience": Option(10, "consecutive f-stalls tolerated", positive_int),
    "f_limit": Option(1e12, "diverged when |f - f(x0)| > f_limit max(1, |f(x0)|)", positive),
    "max_path": Option(2000, "keep about this many iterates in result.path (thinned)", positive_int),
}

_C1 = Option(1e-4, "sufficient-decrease constant of the line search", positive)


def _c2(default):
    # BFGS uses 0.5: on a dozen standard test problems (Beale, Powell, Wood, Helical valley,
    # Rosenbrock, ...) it needed fewer iterations than the textbook 0.9.
    return Option(default, "curvature constant of the strong Wolfe conditions, c1 < c2 < 1",
                  lambda v: None if in_unit_interval(v) is None and float(v) > 0 else "must lie in (0, 1)")


@dataclass(frozen=True)
class MethodSpec:
    name: str
    summary: str
    build: Callable[..., object]
    options: dict = field(default_factory=dict)
    max_iter: Callable[[int], int] = lambda n: 10000


def _check_gd(opts, given):
    if opts["step"] == "exact" and "lr" in given:
        raise SolverError("lr has no effect with step='exact' (the step is eps* = g'g/g'Hg, eq. 4.10)")


_SPECS = [
    MethodSpec("gd", "gradient descent x <- x - lr grad f (eq. 4.5); step='exact' uses eq. 4.10, "
               "step='armijo' a backtracking line search", gradient_descent,
               {"lr": Option(0.01, "learning rate (constant step / first Armijo trial)", positive),
                "step": Option("constant", "constant | exact | armijo", one_of("constant", "exact", "armijo"))}),
    MethodSpec("gd-exact", "gradient descent with eps* = g'g/g'Hg (eq. 4.10)",
               lambda: gradient_descent(step="exact")),
    MethodSpec("gd-backtracking", "gradient descent with Armijo backtracking",
               lambda lr, c1: DescentMethod("gd-backtracking", gradient_descent().direction,
                                            ArmijoStep(float(lr), float(c1), adaptive=True)),
               {"lr": Option(1.0, "first trial step", positive), "c1": _C1}),
    MethodSpec("newton", "Newton with eigenvalue modification and a strong Wolfe line search "
               "(first trial step 1)",
               lambda c1, c2: DescentMethod("newton", ModifiedNewtonDirection(), WolfeStep(float(c1), float(c2))),
               {"c1": _C1, "c2": _c2(0.9)}, max_iter=lambda n: 1000),
    MethodSpec("newton-pure", "eq. 4.12 verbatim: x <- x - H^-1 grad f, unit step",
               lambda: DescentMethod("newton-pure", PureNewtonDirection(), ConstantStep(1.0)),
               max_iter=lambda n: 1000),
    MethodSpec("momentum", "p <- mu p - lr grad; x <- x + p (lecture)",
               lambda lr, mu: Momentum(float(lr), float(mu)),
               {"lr": Option(0.01, "learning rate alpha", positive),
                "mu": Option(0.9, "damping mu in [0, 1)", in_unit_interval)}),
    MethodSpec("nesterov", "momentum with the gradient at x + mu p",
               lambda lr, mu: Nesterov(float(lr), float(mu)),
               {"lr": Option(0.01, "learning rate alpha", positive),
                "mu": Option(0.9, "damping mu in [0, 1)", in_unit_interval)}),
    MethodSpec("rmsprop", "s <- (1-gamma) s + gamma g^2; x <- x - lr g / sqrt(s + eps) (lecture)",
               lambda lr, gamma, eps: RMSprop(float(lr), float(gamma), float(eps)),
               {"lr": Option(0.01, "learning rate alpha", positive),
                "gamma": Option(0.1, "weight of the new squared gradient, in (0, 1]",
                                lambda v: None if positive(v) is None and float(v) <= 1 else "must lie in (0, 1]"),
                "eps": Option(1e-8, "added to s inside the square root", positive)}),
    MethodSpec("adam", "Adam (Kingma & Ba) with bias correction; eps outside the square root",
               lambda lr, beta1, beta2, eps, bias_correction: Adam(float(lr), float(beta1), float(beta2),
                                                                   float(eps), bias_correction),
               {"lr": Option(0.001, "learning rate alpha", positive),
                "beta1": Option(0.9, "first-moment decay in [0, 1)", in_unit_interval),
                "beta2": Option(0.999, "second-moment decay in [0, 1)", in_unit_interval),
                "eps": Option(1e-8, "added to sqrt(v_hat)", positive),
                "bias_correction": Option(True, "divide m, v by 1 - beta^t", _is_bool)}),
    MethodSpec("bfgs", "BFGS with a strong Wolfe line search",
               lambda c1, c2: DescentMethod("bfgs", BFGSDirection(), WolfeStep(float(c1), float(c2))),
               {"c1": _C1, "c2": _c2(0.5)},
               max_iter=lambda n: max(1000, 200 * n)),
]

METHODS: dict[str, MethodSpec] = {spec.name: spec for spec in _SPECS}
_CROSS_CHECKS = {"gd": _check_gd}


def method_names() -> list[str]:
    return list(METHODS)


def build_method(name: str, n: int, options: dict):
    """(method, loop options, all options used) for `name`; SolverError on anything unknown."""
    key = name.strip().lower() if isinstance(name, str) else name
    spec = METHODS.get(key)
    if spec is None:
        raise SolverError(f"unknown method {name!r}; valid methods: {', '.join(METHODS)}")
    given = {k: v for k, v in options.items() if v is not None}  # None means "the default"
    valid = {**spec.options, **LOOP_OPTIONS}
    unknown = sorted(set(given) - set(valid))
    if unknown:
        raise SolverError(f"unknown option(s) {', '.join(unknown)} for method {spec.name!r}; "
                          f"valid options: {', '.join(valid)}")
    chosen = {}
    for key_, option in valid.items():
        value = given.get(key_, option.default)
        if key_ in given:
            option.validate(key_, value)
        chosen[key_] = value
    if chosen["max_iter"] is None:
        chosen["max_iter"] = spec.max_iter(n)
    if spec.name in _CROSS_CHECKS:
        _CROSS_CHECKS[spec.name](chosen, given)
    method = spec.build(**{k: chosen[k] for k in spec.options})
    loop = {k: chosen[k] for k in LOOP_OPTIONS}
    return method, loop, chosen
