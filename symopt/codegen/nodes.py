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
