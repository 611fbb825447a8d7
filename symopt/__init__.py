"""symopt: a symbolic-numeric analysis engine for the math of optimization.

    import symopt
    symopt.analyze("x^3 + y^3 - 3x y")          # gradient, Hessian, every critical point, convexity
    symopt.critical_points("(x^2+y-11)^2 + (x+y^2-7)^2")
    symopt.minimize("100(y - x^2)^2 + (1 - x)^2", {"x": -1.2, "y": 1}, method="newton")
"""

from symopt.api import (  # noqa: F401
    analyze,
    as_function,
    classify,
    compile,
    condition_number,
    convexity,
    critical_points,
    gradient,
    hessian,
    jacobian,
    minimize,
    parse,
    to_text,
)
from symopt.analysis.analyze import Analysis  # noqa: F401
from symopt.analysis.convexity.verdict import Convexity, ConvexityResult  # noqa: F401
from symopt.analysis.results import (  # noqa: F401
    Classification,
    CriticalPoint,
    CriticalSet,
    Family,
    Kind,
    Method,
    ParametricCase,
    Test,
)
from symopt.codegen.compile import CompiledFunction  # noqa: F401
from symopt.core.objects import Function, Problem  # noqa: F401
from symopt.solvers.base import OptimizeResult, Status  # noqa: F401
from symopt.errors import (  # noqa: F401
    BudgetExceeded,
    DefinitionError,
    DimensionError,
    DomainError,
    EvaluationError,
    InfeasibleError,
    ParseError,
    SolverError,
    SymoptError,
)

__version__ = "0.1.0"

__all__ = [
    # functions (CONTRACT section 4)
    "analyze", "as_function", "classify", "compile", "condition_number", "convexity",
    "critical_points", "gradient", "hessian", "jacobian", "minimize", "parse", "to_text",
    # objects and results
    "Analysis", "Classification", "CompiledFunction", "Convexity", "ConvexityResult",
    "CriticalPoint", "CriticalSet", "Family", "Function", "Kind", "Method", "OptimizeResult",
    "ParametricCase", "Problem", "Session", "Status", "Test",
    # errors
    "BudgetExceeded", "DefinitionError", "DimensionError", "DomainError", "EvaluationError",
    "InfeasibleError", "ParseError", "SolverError", "SymoptError",
    "__version__",
]


def __getattr__(name):
    # Session lives in the language floor; imported on first use so `import symopt` stays light.
    if name == "Session":
        from symopt.language import Session
        return Session
    raise AttributeError(f"module 'symopt' has no attribute {name!r}")
