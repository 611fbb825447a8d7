"""SymPy function classes for the ML vocabulary: sigmoid, softplus, logsumexp.

They stay recognizable nodes in the tree (the stabilizing rewrite rules of `symopt.codegen`
look for them), differentiate exactly, evaluate exactly where SymPy can, and rewrite to their
definitions with `.rewrite(sympy.exp)`:

    sigmoid(x)        = 1 / (1 + exp(-x))
    softplus(x)       = log(1 + exp(x))
    logsumexp(x1..xn) = log(sum_i exp(x_i))

softmax and log_softmax are vector-valued and built from logsumexp (see `softmax_vector`):
softmax(x)_i = exp(x_i - logsumexp(x)), log_softmax(x)_i = x_i - logsumexp(x), which is
already the chapter's stable form (section 4.1) once logsumexp is evaluated with the max shift.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import ArgumentIndexError


class sigmoid(sp.Function):  # noqa: N801 - lower case so str() prints the symopt name
    """The logistic sigmoid 1/(1 + exp(-x)); d/dx sigmoid = sigmoid (1 - sigmoid)."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sp.Rational(1, 2)
        if x is sp.oo:
            return sp.S.One
        if x is sp.S.NegativeInfinity:
            return sp.S.Zero

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sp.exp(-x))

    def _eval_evalf(self, prec):
        return self.rewrite(sp.exp)._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        if self.args[0].is_real:
            return True

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _latex(self, printer):
        return r"\sigma\left(%s\right)" % printer._print(self.args[0])


class softplus(sp.Function):  # noqa: N801
    """softplus(x) = log(1 + exp(x)); d/dx softplus = sigmoid."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sp.log(2)

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return sp.log(1 + sp.exp(x))

    _eval_rewrite_as_log = _eval_rewrite_as_exp

    def _eval_evalf(self, prec):
        return self.rewrite(sp.exp)._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        if self.args[0].is_real:
            return True

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _latex(self, printer):
        return r"\operatorname{softplus}\left(%s\right)" % printer._print(self.args[0])


class logsumexp(sp.Function):  # noqa: N801
    """logsumexp(x1, ..., xn) = log(sum exp(x_i)); its gradient is softmax:
    d/dx_i logsumexp = exp(x_i - logsumexp(x))."""

    @classmethod
    def eval(cls, *args):
        if len(args) == 0:
            raise TypeError("logsumexp needs at least one argument")
        if len(args) == 1:
            return args[0]

    def fdiff(self, argindex=1):
        if not 1 <= argindex <= len(self.args):
            raise ArgumentIndexError(self, argindex)
        return sp.exp(self.args[argindex - 1] - self)

    def _eval_rewrite_as_exp(self, *args, **kwargs):
        return sp.log(sp.Add(*[sp.exp(a) for a in args]))

    _eval_rewrite_as_log = _eval_rewrite_as_exp

    def _eval_evalf(self, prec):
        return self.rewrite(sp.exp)._eval_evalf(prec)

    def _eval_is_real(self):
        if all(a.is_real for a in self.args):
            return True

    def _eval_is_extended_real(self):
        if all(a.is_extended_real for a in self.args):
            return True

    def _latex(self, printer):
        inner = ", ".join(printer._print(a) for a in self.args)
        return r"\operatorname{logsumexp}\left(%s\right)" % inner


def softmax_vector(components) -> sp.ImmutableMatrix:
    """softmax(x)_i = exp(x_i - logsumexp(x)) (eq. 4.1, in its shift-invariant form)."""
    lse = logsumexp(*components)
    return sp.ImmutableMatrix([sp.exp(c - lse) for c in components])


def log_softmax_vector(components) -> sp.ImmutableMatrix:
    """log_softmax(x)_i = x_i - logsumexp(x): computed directly, never as log(softmax)."""
    lse = logsumexp(*components)
    return sp.ImmutableMatrix([c - lse for c in components])


#: The custom classes, by the name the language uses.
CUSTOM_FUNCTIONS = {"sigmoid": sigmoid, "softplus": softplus, "logsumexp": logsumexp}
