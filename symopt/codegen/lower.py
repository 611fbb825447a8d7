"""Lowering of the softmax family to explicit shifted forms, just before code generation.

softmax_term(b, a), log_softmax_term(b, a) and logsumexp(a) (n >= 3 arguments) all use the
same two quantities (eq. 4.1 with the chapter's max shift):

    M = max_j a_j,     S = sum_j exp(a_j - M)    (S >= 1: no division by an underflowed 0)

    softmax_term(b, a) = exp(b - M) / S,  log_softmax_term(b, a) = (b - M) - log S,
    logsumexp(a) = M + log S.

Written as trees, M and S are common subexpressions: the n gradient entries of a logsumexp
(each a softmax weight over the same n arguments) share one M and one S after sympy.cse, so
the gradient costs O(n) instead of n separate O(n) helper calls.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from symopt.codegen.nodes import log_softmax_term, softmax_term
from symopt.core.functions import logsumexp


class maxof(sp.Function):  # noqa: N801
    """max of the arguments, unevaluated (SymPy's Max simplifies pairwise: slow for n = 100)."""


@lru_cache(maxsize=512)
class shifted(sp.Function):  # noqa: N801
    """b - m kept as one subtraction: evaluated first, whatever order SymPy gives the sum
    around it ((b - m) - log S is accurate; (b - log S) - m is not, for b, m ~ 1000)."""

    nargs = 2


def _shift(args: tuple):
    m = maxof(*args)
    total = sp.Add(*[sp.exp(shifted(a, m)) for a in args])
    return m, total


def lower(expr, memo: dict | None = None):
    """expr with the softmax family written through shared M and S (see module doc). Pass
    one `memo` dict to lower many expressions that share subtrees."""
    if not expr.has(softmax_term, log_softmax_term, logsumexp):
        return expr
    memo = {} if memo is None else memo

    def visit(node):
        if not node.args:
            return node
        if node in memo:
            return memo[node]
        args = [visit(a) for a in node.args]
        if isinstance(node, softmax_term):
            m, total = _shift(tuple(args[1:]))
            out = sp.exp(shifted(args[0], m)) / total
        elif isinstance(node, log_softmax_term):
            m, total = _shift(tuple(args[1:]))
            out = shifted(args[0], m) - sp.log(total)
        elif isinstance(node, logsumexp) and len(args) >= 3:
            m, total = _shift(tuple(args))
            out = m + sp.log(total)
        else:
            out = node.func(*args) if args != list(node.args) else node
        memo[node] = out
        return out

    return visit(expr)
