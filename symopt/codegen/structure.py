"""Repeated structure in indexed expressions: "sums of indexed terms".

Separable and chained objectives (extended Rosenbrock, sum_i (x_i - 1)^2, sum_i x_i x_{i+1},
...) have gradient entries, Hessian diagonals and summands that are the SAME expression up to an
index shift. Writing each such expression relative to an anchor index (variable x_k becomes the
placeholder p_{k - anchor}) makes the shift-equal ones identical; a run of consecutive anchors
with one template is then evaluated once on array slices X[..., a+d : b+d] instead of term by
term, which is what makes one-point calls at large n cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

MIN_RUN = 3  # shorter runs are cheaper as separate scalar columns


def placeholder(offset: int) -> sp.Symbol:
    return sp.Symbol(f"_p{offset}" if offset >= 0 else f"_pm{-offset}", real=True)


def _offset_of(symbol: sp.Symbol) -> int:
    name = symbol.name
    return -int(name[3:]) if name.startswith("_pm") else int(name[2:])


def slice_symbol(start: int, stop: int) -> sp.Symbol:
    return sp.Symbol(f"_s{start}_{stop}", real=True)


def column_symbol(k: int) -> sp.Symbol:
    return sp.Symbol(f"_x{k}", real=True)


@dataclass(frozen=True)
class Run:
    """Anchors start..stop-1 share `template` (an expression in placeholders)."""

    start: int
    stop: int
    template: sp.Expr

    @property
    def length(self) -> int:
        return self.stop - self.start

    def instantiate(self) -> sp.Expr:
        """The template on slices: placeholder p_d -> X[..., start+d : stop+d]."""
        swap = {p: slice_symbol(self.start + _offset_of(p), self.stop + _offset_of(p))
                for p in self.template.free_symbols if p.name.startswith("_p")}
        return self.template.xreplace(swap)


def template(expr: sp.Expr, index_of: dict, anchor: int) -> sp.Expr:
    """expr with each variable x_k replaced by placeholder p_{k - anchor}."""
    swap = {v: placeholder(index_of[v] - anchor) for v in expr.free_symbols if v in index_of}
    return expr.xreplace(swap)


def find_runs(anchored, index_of: dict, min_run: int = MIN_RUN):
    """Split [(anchor, expr), ...] (anchors increasing) into Runs of consecutive anchors with
    equal templates, and the leftover (anchor, expr) pairs."""
    runs, singles = [], []
    current: list = []  # [(anchor, expr, template)]

    def close():
        if len(current) >= min_run:
            runs.append(Run(current[0][0], current[-1][0] + 1, current[0][2]))
        else:
            singles.extend((a, e) for a, e, _ in current)
        current.clear()

    for anchor, expr in anchored:
        t = template(expr, index_of, anchor)
        if current and (anchor != current[-1][0] + 1 or t != current[-1][2]):
            close()
        current.append((anchor, expr, t))
    close()
    return runs, singles


@lru_cache(maxsize=16)
def group_sum_terms(expr: sp.Expr, variables: tuple, min_run: int = MIN_RUN):
    """A sum's terms grouped by template (anchor = smallest variable index in the term):
    returns (runs, leftover terms). Cached: f, its gradient and value_and_grad share it."""
    index_of = {v: k for k, v in enumerate(variables)}
    groups: dict = {}
    leftovers = []
    for term in sp.Add.make_args(expr):
        indices = [index_of[v] for v in term.free_symbols if v in index_of]
        if not indices:
            leftovers.append(term)
            continue
        anchor = min(indices)
        groups.setdefault(template(term, index_of, anchor), []).append(anchor)
    runs = []
    for t, anchors in groups.items():
        anchors.sort()
        blocks = [[anchors[0]]]
        for a in anchors[1:]:
            if a == blocks[-1][-1] + 1:
                blocks[-1].append(a)
            else:
                blocks.append([a])
        for block in blocks:
            if len(block) >= min_run:
                runs.append(Run(block[0], block[-1] + 1, t))
                continue
            for b in block:
                swap = {p: variables[b + _offset_of(p)]
                        for p in t.free_symbols if p.name.startswith("_p")}
                leftovers.append(t.xreplace(swap))
    return tuple(runs), tuple(leftovers)
