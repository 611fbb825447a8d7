"""The table of the language's built-in functions: names, arities, how each builds its SymPy node.

One table drives the transformer (calls), the arity errors, the "did you mean" hints, the
reserved names and the printer (SymPy class -> language name). Kinds:

* ``elementwise``: scalar functions; on a vector or matrix argument they apply entry by entry
  (``exp([x, y])``, ``sigmoid(A x)``).
* ``scalar``: functions of several scalars (``atan2(y, x)``, ``log(x, b)``).
* ``reduction``: functions of any number of scalars, or of one vector whose entries are spread
  (``max(x, y, z)``, ``logsumexp([x, y])``).
* ``vector``: vector-valued functions of a vector (``softmax``, ``log_softmax``).
* ``linear_algebra``: ``dot(u, v)``, ``norm(v)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from symopt.core.functions import (log_softmax_vector, logsumexp, sigmoid, softmax_vector,
                                   softplus)


@dataclass(frozen=True)
class FunctionSpec:
    """A built-in function: its language name, arity bounds (max None = any) and builder."""

    name: str
    min_args: int
    max_args: int | None
    build: Callable
    kind: str
    summary: str

    def arity_text(self) -> str:
        if self.max_args == self.min_args:
            n = self.min_args
            return f"{n} argument" + ("" if n == 1 else "s")
        if self.max_args is None:
            return f"at least {self.min_args} argument" + ("" if self.min_args == 1 else "s")
        return f"{self.min_args} to {self.max_args} arguments"

    def accepts(self, count: int) -> bool:
        return count >= self.min_args and (self.max_args is None or count <= self.max_args)


def _log(x, base=None):
    return sp.log(x) if base is None else sp.log(x, base)


def _unary(name, cls, summary):
    return FunctionSpec(name, 1, 1, cls, "elementwise", summary)


_SPECS = [
    _unary("sin", sp.sin, "sine"),
    _unary("cos", sp.cos, "cosine"),
    _unary("tan", sp.tan, "tangent"),
    _unary("cot", sp.cot, "cotangent"),
    _unary("sec", sp.sec, "secant"),
    _unary("csc", sp.csc, "cosecant"),
    _unary("asin", sp.asin, "inverse sine"),
    _unary("acos", sp.acos, "inverse cosine"),
    _unary("atan", sp.atan, "inverse tangent (atan2(y, x) for two arguments)"),
    _unary("sinh", sp.sinh, "hyperbolic sine"),
    _unary("cosh", sp.cosh, "hyperbolic cosine"),
    _unary("tanh", sp.tanh, "hyperbolic tangent"),
    _unary("asinh", sp.asinh, "inverse hyperbolic sine"),
    _unary("acosh", sp.acosh, "inverse hyperbolic cosine"),
    _unary("atanh", sp.atanh, "inverse hyperbolic tangent"),
    _unary("exp", sp.exp, "exponential"),
    FunctionSpec("log", 1, 2, _log, "elementwise", "natural logarithm; log(x, b) is base b"),
    _unary("ln", sp.log, "natural logarithm"),
    _unary("sqrt", sp.sqrt, "square root"),
    _unary("abs", sp.Abs, "absolute value"),
    _unary("sign", sp.sign, "sign (-1, 0, 1)"),
    _unary("floor", sp.floor, "floor"),
    _unary("ceil", sp.ceiling, "ceiling"),
    _unary("erf", sp.erf, "error function"),
    _unary("sigmoid", sigmoid, "logistic sigmoid 1/(1 + exp(-x))"),
    _unary("softplus", softplus, "log(1 + exp(x))"),
    FunctionSpec("atan2", 2, 2, sp.atan2, "scalar", "angle of the point (x, y): atan2(y, x)"),
    FunctionSpec("min", 1, None, sp.Min, "reduction", "minimum of scalars or of a vector's entries"),
    FunctionSpec("max", 1, None, sp.Max, "reduction", "maximum of scalars or of a vector's entries"),
    FunctionSpec("logsumexp", 1, None, logsumexp, "reduction",
                 "log(sum(exp(x_i))) of scalars or of a vector's entries"),
    FunctionSpec("softmax", 1, None, softmax_vector, "vector",
                 "vector exp(x_i - logsumexp(x))"),
    FunctionSpec("log_softmax", 1, None, log_softmax_vector, "vector",
                 "vector x_i - logsumexp(x)"),
    FunctionSpec("dot", 2, 2, None, "linear_algebra", "dot product of two vectors"),
    FunctionSpec("norm", 1, 1, None, "linear_algebra",
                 "Euclidean norm (Frobenius for a matrix, abs for a scalar); also ||v||"),
]

#: name -> FunctionSpec
FUNCTIONS: dict[str, FunctionSpec] = {spec.name: spec for spec in _SPECS}

#: Words of the grammar; they cannot name variables, constants or functions.
KEYWORDS = frozenset({"minimize", "maximize", "over", "subject", "to"})

#: Names with a fixed meaning.
CONSTANTS = {"pi": sp.pi, "e": sp.E}

#: Everything a user may not (re)define.
RESERVED = frozenset(FUNCTIONS) | KEYWORDS | frozenset(CONSTANTS)

#: SymPy function class -> the language name the printer writes (ln prints as log).
PRINT_NAMES: dict[type, str] = {
    spec.build: spec.name for spec in _SPECS
    if isinstance(spec.build, type) and spec.name != "ln"
}
PRINT_NAMES[sp.log] = "log"
