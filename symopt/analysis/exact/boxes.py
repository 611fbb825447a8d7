"""Exact membership of a point in a box: the one box test of the package.

A box maps variables to closed ranges (lo, hi) with lo, hi exact numbers or -oo/oo (None:
unbounded); variables
it does not name are unbounded. lo <= x and x <= hi are decided by the one exact sign test, so a
coordinate such as sqrt(2)/2 against a bound 0.7071067811865476 (read exactly) is never decided
by a float comparison.
"""

from __future__ import annotations

import sympy as sp

from symopt.analysis.exact.signs import exact_sign


def in_box(point: dict, box: dict | None) -> bool | None:
    """True when every coordinate is proven inside its range, False when one is proven outside,
    None when some comparison is undecided."""
    if not box:
        return True
    undecided = False
    for v, (lo, hi) in box.items():
        if v not in point:
            continue
        x = point[v]
        for low, high in ((lo, x), (x, hi)):
            if low is None or high is None or low == -sp.oo or high == sp.oo:
                continue
            s = exact_sign(high - low)
            if s is None:
                undecided = True
            elif s < 0:
                return False
    return None if undecided else True
