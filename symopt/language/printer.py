"""SymPy -> symopt text, so that parse(to_text(e)) == e (structural equality).

`to_text` writes expressions, matrices, Functions and Problems. Choices:

* powers are written `^`; a base that is not a name, a positive integer, a constant or a call
  gets parentheses (`(-1)^x`, `(x^2)^y`, `(1/2)^x`), so is an exponent that is not a name,
  a non-negative integer, a constant or a call (`x^(-2)`, `x^(1/3)`, `2^(x + 1)`);
* `x^(1/2)` is written `sqrt(x)`, `x^(-1)` as `1/x` (both parse back to the same Pow);
* Abs, Min, Max, ceiling, E print as abs, min, max, ceil, e; symbols print by name;
* a Float has no exact text: it would come back as a Rational, a different tree. With
  ``strict=True`` (the default) to_text refuses it (and anything else the language cannot
  say: I, oo, nan, Derivative, unknown functions, names that are not valid or reserved);
  with ``strict=False`` Floats print as their shortest decimal, which parses to the exact
  rational of that decimal, and the rest falls back to SymPy's own text.
"""

from __future__ import annotations

import re

import mpmath
import sympy as sp
from sympy.printing.precedence import precedence
from sympy.printing.str import StrPrinter

from symopt.core.objects import Function, Problem
from symopt.errors import DefinitionError
from symopt.language.functions import PRINT_NAMES, RESERVED

_NAME = re.compile(r"[^\W\d_]\w*\Z")
_PLAIN = (sp.Symbol, sp.Rational, sp.Add, sp.Mul, sp.Pow, type(sp.E), type(sp.pi))


class UnprintableError(DefinitionError):
    """The object has no exact text in the symopt language (a Float, I, oo, Derivative...)."""


def _is_call(expr) -> bool:
    return type(expr) in PRINT_NAMES


class SymoptPrinter(StrPrinter):
    """StrPrinter that writes the symopt language (see the module docstring)."""

    printmethod = "_symopt"
    _default_settings = dict(StrPrinter._default_settings, strict=True)

    def _refuse(self, expr, why: str):
        raise UnprintableError(f"to_text: {why}: {sp.srepr(expr)[:80]}")

    def _print(self, expr, **kwargs):
        if self._settings["strict"] and isinstance(expr, sp.Basic) \
                and not isinstance(expr, sp.MatrixBase):
            if isinstance(expr, sp.Symbol) and type(expr) is not sp.Symbol:
                self._refuse(expr, f"{type(expr).__name__} symbols cannot be written")
            if not (isinstance(expr, _PLAIN) or _is_call(expr)):
                self._refuse(expr, f"{type(expr).__name__} has no exact text in the symopt "
                                   f"language" + (" (use a Rational)" if expr.is_Float else ""))
        return super()._print(expr, **kwargs)

    # -- atoms ------------------------------------------------------------------------------
    def _print_Symbol(self, expr):
        name = expr.name
        if self._settings["strict"]:
            if not _NAME.match(name):
                self._refuse(expr, f"{name!r} is not a valid name (a letter, then letters, "
                                   f"digits, _)")
            if name in RESERVED:
                self._refuse(expr, f"{name!r} is a reserved word of the language")
        return name

    def _print_Exp1(self, expr):
        return "e"

    def _print_Pi(self, expr):
        return "pi"

    def _print_Float(self, expr):
        if self._settings["strict"]:
            self._refuse(expr, "a Float has no exact text (use a Rational)")
        return mpmath.libmp.to_str(expr._mpf_, max(1, mpmath.libmp.prec_to_dps(expr._prec)),
                                   strip_zeros=True)

    # -- operators --------------------------------------------------------------------------
    def _atomic(self, expr) -> bool:
        """Needs no parentheses as a power's base."""
        if isinstance(expr, (sp.Symbol, type(sp.E), type(sp.pi))) or _is_call(expr):
            return True
        if expr.is_Integer and expr.is_nonnegative:
            return True
        if expr.is_Pow and expr.exp is sp.S.Half:  # printed as sqrt(...)
            return True
        return False

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.base, expr.exp
        if exponent is sp.S.Half:
            return f"sqrt({self._print(base)})"
        if exponent == -sp.S.Half and exponent.is_Rational:
            return f"1/sqrt({self._print(base)})"
        if exponent is sp.S.NegativeOne:
            return f"1/{self._wrap(base, precedence(expr))}"
        left = self._print(base) if self._atomic(base) else f"({self._print(base)})"
        right = self._print(exponent) if self._atomic(exponent) else f"({self._print(exponent)})"
        return f"{left}^{right}"

    def _print_Mul(self, expr):
        coeff, rest = expr.as_coeff_Mul()
        if coeff.is_Rational and coeff.q != 1 and any(
                f.is_Pow and f.exp.is_negative for f in sp.Mul.make_args(rest)):
            # StrPrinter would write 1/(2*(x + y)); parsed, 2*(x + y) distributes to 2*x + 2*y.
            # Dividing by the integer last keeps the tree: 1/(x + y)/2.
            factors = sp.Mul.make_args(rest)
            if coeff.p != 1:
                factors = (sp.Integer(coeff.p),) + factors
            numerator = sp.Mul._from_args(factors) if len(factors) > 1 else factors[0]
            return f"{self._print(numerator)}/{coeff.q}"
        return super()._print_Mul(expr)

    def _wrap(self, expr, level):
        text = self._print(expr)
        return text if self._atomic(expr) or precedence(expr) > level else f"({text})"

    # -- calls and matrices -----------------------------------------------------------------
    def _print_call(self, expr):
        name = PRINT_NAMES.get(type(expr))
        if name is None:
            if self._settings["strict"]:
                self._refuse(expr, f"the function {type(expr).__name__} is not in the language")
            name = type(expr).__name__
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    _print_Function = _print_call

    def _print_MatrixBase(self, expr):
        if expr.rows == 0 or expr.cols == 0:
            raise UnprintableError("to_text: an empty matrix has no text")
        if expr.cols == 1:
            return "[" + ", ".join(self._print(e) for e in expr) + "]"
        rows = ("[" + ", ".join(self._print(e) for e in expr.row(i)) + "]"
                for i in range(expr.rows))
        return "[" + ", ".join(rows) + "]"


# every class the language calls by name prints through _print_call (this beats StrPrinter's
# own _print_Abs, _print_Min, _print_exp... in the MRO dispatch)
for _cls in PRINT_NAMES:
    setattr(SymoptPrinter, f"_print_{_cls.__name__}", SymoptPrinter._print_call)
for _cls in ("ImmutableDenseMatrix", "MutableDenseMatrix", "ImmutableSparseMatrix",
             "MutableSparseMatrix"):
    setattr(SymoptPrinter, f"_print_{_cls}", SymoptPrinter._print_MatrixBase)


def _name(name: str, strict: bool) -> str:
    if strict and (not _NAME.match(name) or name in RESERVED):
        raise UnprintableError(f"to_text: {name!r} cannot name a function")
    return name


def to_text(obj, *, strict: bool = True) -> str:
    """symopt text for an Expr, Matrix, Function or Problem; parse(to_text(e)) == e for exact
    objects over real symbols. Raises UnprintableError (a DefinitionError) in strict mode for
    anything without an exact text."""
    printer = SymoptPrinter({"strict": strict})
    if isinstance(obj, Function):
        params = ", ".join(printer._print(v) for v in obj.variables)
        return f"{_name(obj.name, strict)}({params}) = {printer.doprint(obj.expr)}"
    if isinstance(obj, Problem):
        head = "minimize" if obj.sense == "min" else "maximize"
        text = f"{head} {printer.doprint(obj.objective)}"
        if obj.variables:
            text += " over " + ", ".join(printer._print(v) for v in obj.variables)
        constraints = [f"{printer.doprint(g)} = 0" for g in obj.equalities]
        constraints += [f"{printer.doprint(h)} <= 0" for h in obj.inequalities]
        if constraints:
            text += " subject to " + ", ".join(constraints)
        return text
    if isinstance(obj, (int, float)) and not isinstance(obj, bool):
        obj = sp.Integer(obj) if isinstance(obj, int) else sp.Float(obj)
    if not isinstance(obj, (sp.Basic, sp.MatrixBase)):
        raise UnprintableError(f"to_text: cannot write a {type(obj).__name__}")
    return printer.doprint(obj)
