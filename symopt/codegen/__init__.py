"""Floor 2: stabilizing rewrite rules and numpy code generation.

    from symopt.codegen import compile_function
    c = compile_function(f, variables=None, stabilize=True, check=True)
    c(X), c.gradient(X), c.hessian(X), c.value_and_grad(X)   # X of shape (n,) or (..., n)

rules.py holds the rewrite rules as data, stabilize.py applies them in one pass, emit.py and
structure.py generate the source (sums of indexed terms become slice code), compile.py wraps it.
"""

from symopt.codegen.compile import CompiledFunction, compile_function  # noqa: F401
from symopt.codegen.rules import RULES, Rule  # noqa: F401
from symopt.codegen.stabilize import stabilize  # noqa: F401
