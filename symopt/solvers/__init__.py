"""Floor 3: iterative solvers: small (init, step) objects run by one loop.

    from symopt.solvers import minimize
    minimize(expr_or_objective, x0, method="bfgs", **options)  # -> OptimizeResult

Methods (`METHODS`): gd (step constant | exact | armijo), gd-exact, gd-backtracking, newton,
newton-pure, momentum, nesterov, rmsprop, adam, bfgs.
"""

from symopt.solvers.base import Diagnostics, OptimizeResult, Path, State, Status  # noqa: F401
from symopt.solvers.descent import (ArmijoStep, ConstantStep, DescentMethod,  # noqa: F401
                                    ExactQuadraticStep, SteepestDescent, WolfeStep)
from symopt.solvers.first_order import Adam, Momentum, Nesterov, RMSprop, gradient_descent  # noqa: F401
from symopt.solvers.minimize import minimize  # noqa: F401
from symopt.solvers.newton import ModifiedNewtonDirection, PureNewtonDirection  # noqa: F401
from symopt.solvers.objective import LambdifiedObjective  # noqa: F401
from symopt.solvers.quasi_newton import BFGSDirection  # noqa: F401
from symopt.solvers.registry import LOOP_OPTIONS, METHODS, method_names  # noqa: F401
