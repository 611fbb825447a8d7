"""SymPy nodes for stable forms that SymPy itself lacks (log1p, expm1, hypot come from
sympy.codegen.cfunctions). They differentiate exactly, so derivatives stay stable."""

from __future__ import annotations

import sympy as sp
from sympy.core.function import ArgumentIndexError


class xlogx(sp.Function):  # noqa: N801 - printed name
    """x log x, continuous at 0 with value 0 (its limit); d/dx = log x + 1."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sp.S.Zero
        if x == 1:
            return sp.S.Zero

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return sp.log(self.args[0]) + 1

    def _eval_rewrite_as_log(self, x, **kwargs):
        return x * sp.log(x)

    def _eval_evalf(self, prec):
        return (self.args[0] * sp.log(self.args[0]))._eval_evalf(prec)

    def _eval_is_real(self):
        if self.args[0].is_nonnegative:
            return True


class softmax_term(sp.Function):  # noqa: N801
    """exp(b) / sum_j exp(a_j) = exp(b - logsumexp(a)), evaluated as the chapter's shifted
    softmax (eq. 4.1 with z = a - max a): exp(b - m) / sum_j exp(a_j - m). Unlike
    exp(b - logsumexp(a)) it keeps full relative accuracy when the a_j are large (the absolute
    rounding error of logsumexp(1000, ...) is ~1e-13 and exp would turn it into a relative one).
    Arguments: (b, a_1, ..., a_n)."""

    @classmethod
    def eval(cls, *args):
        if len(args) < 2:
            raise TypeError("softmax_term needs b and at least one a_j")

    def fdiff(self, argindex=1):
        if argindex == 1:
            return self
        if not 2 <= argindex <= len(self.args):
            raise ArgumentIndexError(self, argindex)
        a = self.args[1:]
        return -self * softmax_term(self.args[argindex - 1], *a)

    def _eval_rewrite_as_exp(self, b, *a, **kwargs):
        return sp.exp(b) / sp.Add(*[sp.exp(t) for t in a])

    def _eval_evalf(self, prec):
        return self.rewrite(sp.exp)._eval_evalf(prec)

    def _eval_is_real(self):
        if all(t.is_real for t in self.args):
            return True

    def _eval_is_positive(self):
        if all(t.is_real for t in self.args):
            return True


class log_softmax_term(sp.Function):  # noqa: N801
    """b - logsumexp(a), computed directly as (b - m) - log(sum_j exp(a_j - m)), m = max a_j
    (section 4.1: log softmax by its own stable routine, never log of softmax). Subtracting a
    rounded logsumexp(1000, ...) would lose ~1e-13 absolutely. Arguments: (b, a_1, ..., a_n)."""

    @classmethod
    def eval(cls, *args):
        if len(args) < 2:
            raise TypeError("log_softmax_term needs b and at least one a_j")

    def fdiff(self, argindex=1):
        if argindex == 1:
            return sp.S.One
        if not 2 <= argindex <= len(self.args):
            raise ArgumentIndexError(self, argindex)
        return -softmax_term(self.args[argindex - 1], *self.args[1:])

    def _eval_rewrite_as_exp(self, b, *a, **kwargs):
        return b - sp.log(sp.Add(*[sp.exp(t) for t in a]))

    def _eval_evalf(self, prec):
        return self.rewrite(sp.exp)._eval_evalf(prec)

    def _eval_is_real(self):
        if all(t.is_real for t in self.args):
            return True
