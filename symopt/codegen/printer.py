"""Code printers for the generated source: numpy (arrays, batches) and math (one point).

Both know symopt's custom nodes (sigmoid, softplus, logsumexp from symopt.core.functions, xlogx
from symopt.codegen.nodes) and print them as the stable runtime helpers of
`symopt.codegen.numeric` (`_sigmoid`, `_softplus`, `_logsumexp`, `_xlogx`).
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.pycode import PythonCodePrinter


class _HelperMixin:
    def _helper(self, name, expr):
        return "%s(%s)" % (name, ", ".join(self._print(a) for a in expr.args))

    def _print_sigmoid(self, expr):
        return self._helper("_sigmoid", expr)

    def _print_softplus(self, expr):
        return self._helper("_softplus", expr)

    def _print_logsumexp(self, expr):
        return self._helper("_logsumexp", expr)

    def _print_softmax_term(self, expr):
        return self._helper("_softmax_term", expr)

    def _print_log_softmax_term(self, expr):
        return self._helper("_log_softmax_term", expr)

    def _print_shifted(self, expr):
        return "(%s - %s)" % (self.parenthesize(expr.args[0], 40),
                              self.parenthesize(expr.args[1], 41))

    def _print_maxof(self, expr):
        return self._helper("_maxof", expr)

    def _print_xlogx(self, expr):
        return self._helper("_xlogx", expr)

    def _print_DiracDelta(self, expr):
        # d/dx sign(x): 0 off the kink, undefined (NaN -> EvaluationError) on it
        if len(expr.args) != 1:
            return super()._print_DiracDelta(expr)
        return self._helper("_dirac", expr)

    def _print_rowsum(self, expr):
        return self._rowsum(self._print(expr.args[0]))


class rowsum(sp.Function):  # noqa: N801
    """Marker node: the sum over the last axis of a vectorized run of indexed terms."""

    nargs = 1


_CHUNK = 64  # terms per parenthesized group in very long sums


class _ArithmeticMixin:
    """Fewer array operations per Add: positive terms first (a - b, not -b + a: one negation
    less) and a numeric factor shared by every term pulled out (200*(a - b), not 200*a - 200*b:
    one multiplication instead of two). Same value up to rounding."""

    def _print_Add(self, expr, order=None):
        terms = list(expr.args)
        if len(terms) > _CHUNK:
            # Python parses a + b + c + ... as a left-nested tree: thousands of terms exceed
            # the compiler's recursion limit. Parenthesized chunks keep the depth small.
            parts = ["(%s)" % self._print(sp.Add(*terms[k:k + _CHUNK]))
                     for k in range(0, len(terms), _CHUNK)]
            while len(parts) > _CHUNK:
                parts = ["(%s)" % " + ".join(parts[k:k + _CHUNK])
                         for k in range(0, len(parts), _CHUNK)]
            return " + ".join(parts)
        coeffs = [t.as_coeff_Mul()[0] for t in terms]
        common = abs(coeffs[0])
        if len(terms) > 1 and common not in (0, 1) and common.is_Rational and \
                all(abs(c) == common for c in coeffs):
            inner = sp.Add(*[t / common for t in terms])
            factor = self._print(common) if common.is_Integer else "(%s)" % self._print(common)
            return "%s*(%s)" % (factor, self._print_Add(inner))
        positive = [t for t, c in zip(terms, coeffs) if not c.is_negative]
        negative = [t for t, c in zip(terms, coeffs) if c.is_negative]
        if not positive or not negative:
            return super()._print_Add(expr, order=order)
        text = " + ".join(self.parenthesize(t, 40) for t in positive)
        for t in negative:
            text += " - " + self.parenthesize(-t, 41)
        return text


    def _print_Mul(self, expr):
        # -(a - b) from cse's sign canonicalization: print b - a (no negation)
        if len(expr.args) == 2 and expr.args[0] == -1 and isinstance(expr.args[1], sp.Add):
            return "(%s)" % self._print_Add(sp.Add(*[-t for t in expr.args[1].args]))
        return super()._print_Mul(expr)


class ArrayPrinter(_HelperMixin, _ArithmeticMixin, NumPyPrinter):
    """numpy code that works elementwise on arrays of any shape (the batch path)."""

    def __init__(self):
        super().__init__({"fully_qualified_modules": True, "allow_unknown_functions": False})

    def _rowsum(self, inner):
        return "numpy.sum(%s, axis=-1)" % inner

    def _print_Pow(self, expr, rational=False):
        # integer powers stay integer (x**2 is a multiply, not a float pow)
        if expr.exp.is_Integer and expr.exp > 0:
            return "%s**%d" % (self.parenthesize(expr.base, 100), int(expr.exp))
        if expr.exp == -1:
            return "(1/%s)" % self.parenthesize(expr.base, 100)
        return super()._print_Pow(expr, rational=rational)


class ScalarPrinter(_HelperMixin, _ArithmeticMixin, PythonCodePrinter):
    """Code on Python floats with the math module: fast for one point. Errors (math range,
    domain, division by zero) raise, and the caller then falls back to the numpy path."""

    def __init__(self):
        super().__init__({"fully_qualified_modules": False, "allow_unknown_functions": False})

    def _rowsum(self, inner):  # pragma: no cover - scalar code never has vectorized runs
        raise NotImplementedError

    def _print_Pow(self, expr, rational=False):
        base = self.parenthesize(expr.base, 100)
        if expr.exp.is_Integer:
            k = int(expr.exp)
            # parenthesized: the caller parenthesizes by the precedence of a Pow, not of the
            # product or quotient printed here
            if k == 2:
                return "(%s*%s)" % (base, base)
            if k > 0:
                return "%s**%d" % (base, k)
            if k == -1:
                return "(1/%s)" % base
            return "(1/%s**%d)" % (base, -k)
        if expr.exp == sp.S.Half:
            return "sqrt(%s)" % self._print(expr.base)
        if expr.exp == -sp.S.Half:
            return "(1/sqrt(%s))" % self._print(expr.base)
        # math.pow raises on a negative base (Python's ** would return a complex number)
        return "pow(%s, %s)" % (self._print(expr.base), self._print(sp.Float(expr.exp)))

    def _print_Rational(self, expr):
        return repr(float(expr))

    def _print_Integer(self, expr):
        return repr(float(expr)) if abs(int(expr)) > 2**53 else str(int(expr))
