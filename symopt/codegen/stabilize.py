"""Apply the rule table of `symopt.codegen.rules` to a SymPy tree in one pass.

Each node is visited once: the rules are first tried on the node as written (so a product sees
its original factors, e.g. exp(a)/(exp(a) + exp(b)) before the denominator is rewritten), then
its children are stabilized bottom-up and the rules are tried again on the rebuilt node (so
patterns exposed by a child's rewrite, such as log(sigmoid(a)), are caught). A rewrite's result
is itself visited, with a depth guard against rule cycles.
"""

from __future__ import annotations

import sympy as sp

from symopt.budget import budget, check
from symopt.codegen.rules import RULES, Rule

_MAX_CHAIN = 12  # successive rewrites of one node; the table has no cycles, this is a guard


def _rewrite_once(node: sp.Basic, rules: tuple[Rule, ...], trace) -> sp.Basic:
    for rule in rules:
        out = rule.apply(node)
        if out is not None and out != node:
            if trace is not None:
                trace.append(rule.name)
            return out
    return node


def stabilize(expr, rules: tuple[Rule, ...] = RULES, seconds: float | None = None,
              trace: list | None = None):
    """The stable form of `expr` (a SymPy expression or matrix): same value in exact
    arithmetic on each rule's domain, no avoidable overflow, underflow or cancellation in
    floating point. Runs under budget("stabilize", seconds). `trace`, when a list, receives
    the names of the rules that fired, in order."""
    if isinstance(expr, sp.MatrixBase):
        return sp.ImmutableMatrix(expr.shape[0], expr.shape[1],
                                  [stabilize(e, rules, seconds, trace) for e in expr])
    expr = sp.sympify(expr, strict=True)
    if _is_polynomial(expr):
        return expr  # every rule needs a function node or a fractional power
    memo: dict[sp.Basic, sp.Basic] = {}

    def visit(node: sp.Basic, depth: int = 0) -> sp.Basic:
        if not node.args or depth > _MAX_CHAIN:
            return node
        if node in memo:
            return memo[node]
        check()  # cooperative: the alarm can be swallowed (e.g. inside a gc callback)
        first = _rewrite_once(node, rules, trace)
        if first != node:
            result = visit(first, depth + 1)
        else:
            args = [visit(a) for a in node.args]
            rebuilt = node.func(*args) if args != list(node.args) else node
            again = _rewrite_once(rebuilt, rules, trace)
            result = visit(again, depth + 1) if again != rebuilt else rebuilt
        memo[node] = result
        return result

    with budget("stabilize", seconds):
        return visit(expr)


def _is_polynomial(expr) -> bool:
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Function) or (isinstance(node, sp.Pow)
                                             and not node.exp.is_Integer):
            return False
    return True


def used_helpers(expr, rules: tuple[Rule, ...] = RULES) -> list[str]:
    """Names of the rules whose pattern occurs in `expr` (for reports and tests)."""
    names = []
    nodes = list(sp.preorder_traversal(expr))
    for rule in rules:
        if any(rule.match(n) is not None for n in nodes):
            names.append(rule.name)
    return names
