"""A memoizing, sparsity-aware exact differentiator over SymPy trees.

Why not `expr.diff(x)`: SymPy re-walks the whole tree for every variable and recomputes shared
sub-derivatives (e.g. d logsumexp / dx_j inside every entry of a log-sum-exp Hessian). Here:

* free symbols are computed once per node and cached, so a sub-tree that cannot contain x
  contributes 0 without being visited (sparsity);
* an Add (or Mul) keeps an index variable -> the arguments that contain it, so d/dx of a sum of
  thousands of terms touches only the terms with x (term-by-term differentiation);
* d(node)/dx is memoized per (node, x) for the life of the Differentiator, so a common
  sub-expression is differentiated once.

Rules are the textbook ones (sum, product, power, chain rule through `Function.fdiff`), so the
result is an exact SymPy tree in the caller's own symbols. Custom nodes (sigmoid, softplus,
logsumexp) are differentiated through their own `fdiff` and stay recognizable nodes. Anything
unusual (Piecewise, Abs, Derivative, undefined functions, ...) falls back to `sympy.diff` on that
sub-tree only.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef


_ZERO = sp.S.Zero
_ONE = sp.S.One
_MINUS_ONE = sp.S.NegativeOne


class Differentiator:
    """Exact partial derivatives with shared caches. One instance per batch of related
    derivatives (a gradient and its Hessian); the caches die with it."""

    def __init__(self):
        self._free: dict = {}
        self._index: dict = {}
        self._memo: dict = {}

    # -- free symbols ----------------------------------------------------------------------
    def free(self, expr) -> frozenset:
        """Free symbols of `expr`, cached per node."""
        cached = self._free.get(expr)
        if cached is not None:
            return cached
        if expr.is_Symbol:
            result = frozenset((expr,))
        elif expr.is_Atom:
            result = frozenset(expr.free_symbols)
        elif isinstance(expr, (sp.Add, sp.Mul, sp.Pow)) or (
                isinstance(expr, sp.Function) and not isinstance(expr, AppliedUndef)):
            result = frozenset().union(*(self.free(a) for a in expr.args))
        else:  # Derivative, Integral, Lambda, ...: bound variables need SymPy's own logic
            result = frozenset(expr.free_symbols)
        self._free[expr] = result
        return result

    def _args_with(self, expr, var) -> tuple:
        """The arguments of an Add/Mul that contain `var` (index built once per node)."""
        index = self._index.get(expr)
        if index is None:
            index = {}
            for position, arg in enumerate(expr.args):
                for symbol in self.free(arg):
                    index.setdefault(symbol, []).append(position)
            self._index[expr] = index
        return tuple(index.get(var, ()))

    # -- derivatives -----------------------------------------------------------------------
    def diff(self, expr, var):
        """d expr / d var, exact."""
        if var not in self.free(expr):
            return _ZERO
        key = (expr, var)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        result = self._diff_uncached(expr, var)
        self._memo[key] = result
        return result

    def _diff_uncached(self, expr, var):
        if expr.is_Symbol:
            return _ONE if expr == var else _ZERO
        if expr.is_Add or expr.is_Mul or (isinstance(expr, sp.exp) and expr.args[0].is_Add):
            return _collect([sp.Mul(*factors) for factors in self._pieces(expr, var)])
        if expr.is_Pow:
            return self._diff_pow(expr, var)
        if isinstance(expr, sp.Function) and not isinstance(expr, AppliedUndef):
            return self._diff_function(expr, var)
        return sp.diff(expr, var)

    def _pieces(self, expr, var) -> list[tuple]:
        """The derivative as a sum of products, each a tuple of factors, WITHOUT building the
        intermediate sums: d(c - L)/dx stays (c', -1, L') instead of flattening L' into c'.
        That keeps shared derivative nodes (e.g. d logsumexp/dx_j) intact for `_collect`."""
        if var not in self.free(expr):
            return []
        if expr.is_Add:
            out = []
            for i in self._args_with(expr, var):
                out.extend(self._pieces(expr.args[i], var))
            return out
        if expr.is_Mul:
            args = expr.args
            out = []
            for i in self._args_with(expr, var):
                others = args[:i] + args[i + 1:]
                if args[i].is_Add:
                    # keep c * (sum)' as one product: distributing c over the sum's pieces
                    # would copy c (say 1/S in a log-sum-exp) into every term
                    out.append(others + (self.diff(args[i], var),))
                else:
                    out.extend(others + piece for piece in self._pieces(args[i], var))
            return out
        if isinstance(expr, sp.exp) and expr.args[0].is_Add:
            # d exp(u) = exp(u) u', distributed over the pieces of u'
            return [(expr,) + piece for piece in self._pieces(expr.args[0], var)]
        d = self.diff(expr, var)
        return [] if d.is_Number and d == 0 else [(d,)]

    def _diff_pow(self, expr, var):
        base, exponent = expr.args
        base_varies = var in self.free(base)
        exp_varies = var in self.free(exponent)
        if base_varies and not exp_varies:
            # d b^n = n b^(n-1) b'
            return sp.Mul(exponent, sp.Pow(base, exponent - 1), self.diff(base, var))
        if exp_varies and not base_varies:
            # d c^u = c^u log(c) u'
            return sp.Mul(expr, sp.log(base), self.diff(exponent, var))
        # d b^u = b^u (u' log b + u b'/b)
        return sp.Mul(expr, sp.Add(sp.Mul(self.diff(exponent, var), sp.log(base)),
                                   sp.Mul(exponent, self.diff(base, var), sp.Pow(base, -1))))

    def _diff_function(self, expr, var):
        terms = []
        for position, arg in enumerate(expr.args):
            if var not in self.free(arg):
                continue
            try:
                outer = expr.fdiff(position + 1)
            except Exception:  # noqa: BLE001 - no closed-form rule: let SymPy decide
                return sp.diff(expr, var)
            if outer.has(sp.Derivative, sp.Subs):
                return sp.diff(expr, var)
            terms.append(sp.Mul(outer, self.diff(arg, var)))
        return sp.Add(*terms)


def _collect(terms: list):
    """Add the terms, factoring out a sum (an Add with >= 3 terms) shared by several products:
    sum_k c_k p_k G -> G * sum_k c_k p_k. This is how the Hessian of a log-sum-exp keeps the
    compact form sum_k a_ki a_kj p_k - g_i g_j instead of 50 copies of g_j."""
    counts: dict = {}
    for term in terms:
        if term.is_Mul:
            for factor in set(term.args):
                if factor.is_Add and len(factor.args) >= 3:
                    counts[factor] = counts.get(factor, 0) + 1
    if not counts or max(counts.values()) < 2:
        return sp.Add(*terms)
    groups: dict = {}
    rest = []
    for term in terms:
        shared = None
        if term.is_Mul:
            candidates = [f for f in term.args if counts.get(f, 0) >= 2]
            if candidates:
                shared = max(candidates, key=lambda f: (counts[f], len(f.args)))
        if shared is None:
            rest.append(term)
            continue
        args = list(term.args)
        args.remove(shared)
        groups.setdefault(shared, []).append(sp.Mul(*args))
    for shared, cofactors in groups.items():
        total = sp.Add(*cofactors)
        if total.could_extract_minus_sign():
            rest.append(sp.Mul(_MINUS_ONE, shared, -total))  # 3 factors: SymPy won't distribute
        else:
            rest.append(sp.Mul(shared, total))
    return sp.Add(*rest)


def gradient_entries(expr, variables, engine: Differentiator | None = None) -> list:
    """[d expr / d v for v in variables] with one shared engine."""
    engine = engine or Differentiator()
    return [engine.diff(expr, v) for v in variables]


def hessian_entries(gradient, variables, engine: Differentiator | None = None) -> list[list]:
    """Symmetric n x n nested list from the gradient entries: each unordered pair {i, j} is
    differentiated once (eq. 4.7, Schwarz); H[i][j] = 0 without differentiating when x_j is not
    a free symbol of df/dx_i."""
    engine = engine or Differentiator()
    n = len(variables)
    rows = [[_ZERO] * n for _ in range(n)]
    for i in range(n):
        gi = gradient[i]
        free_i = engine.free(gi)
        for j in range(i, n):
            if variables[j] not in free_i:
                continue
            entry = engine.diff(gi, variables[j])
            rows[i][j] = entry
            rows[j][i] = entry
    return rows
