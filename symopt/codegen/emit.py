"""Python source text for f, its gradient and its Hessian, with shared subexpressions (sympy.cse).

Two flavours:

* array source (numpy): X of shape (..., n); outputs (...), (..., n), (..., n, n). Runs of
  shift-equal entries (see `structure`) are computed once on slices; the Hessian is allocated
  as zeros once and only its structural nonzeros of the upper triangle are computed, then
  mirrored (eq. 4.7: H is symmetric).
* scalar source (math module): one point as Python floats; returns lists, the caller packs them.

Only our own generated text is ever compiled here; user text reaches codegen as a SymPy tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import sympy as sp
from sympy.core.parameters import distribute

from symopt.codegen.linear import linear_part, quadratic_part
from symopt.codegen.lower import lower
from symopt.core.differentiation import Differentiator
from symopt.codegen.printer import ArrayPrinter, ScalarPrinter, rowsum
from symopt.codegen.stabilize import stabilize
from symopt.codegen.structure import (Run, _offset_of, column_symbol, find_runs,
                                      group_sum_terms)


@dataclass
class Outputs:
    """What one generated function returns: any of f, the gradient, the Hessian (upper
    triangle, structural nonzeros only)."""

    f: sp.Expr | None = None
    gradient: list | None = None
    hessian: dict | None = None  # {(i, j): expr} with i <= j, nonzero entries
    structure_of: sp.Expr | None = None  # the f the gradient belongs to (for scatter-add)


@dataclass
class Generated:
    source: str
    constants: dict = field(default_factory=dict)  # index arrays the source refers to
    cost: float = 0.0  # rough cost estimate, microseconds per one-point call


def _factor_numeric(expr, memo):
    """Sums whose terms share one numeric factor c become c*(sum/c): fewer operations, and the
    inner sum becomes visible to cse (the gradient of 100 (y - x^2)^2 has -400 x (y - x^2)
    and 200 y - 200 x^2, which share y - x^2). Call under distribute(False)."""
    if not expr.args:
        return expr
    if expr in memo:
        return memo[expr]
    args = [_factor_numeric(a, memo) for a in expr.args]
    out = expr.func(*args) if args != list(expr.args) else expr
    if isinstance(out, sp.Add):
        coeffs = [t.as_coeff_Mul()[0] for t in out.args]
        common = abs(coeffs[0])
        if common.is_Rational and common not in (0, 1) and all(abs(c) == common for c in coeffs):
            out = sp.Mul(common, sp.Add(*[t / common for t in out.args]))
    memo[expr] = out
    return out


def _cse(exprs):
    with distribute(False):
        memo: dict = {}
        exprs = [_factor_numeric(e, memo) for e in exprs]
        return sp.cse(exprs, symbols=sp.numbered_symbols("_c"), optimizations=None,
                      order="none")


def _nodes(expr) -> int:
    return sum(1 for _ in sp.preorder_traversal(expr))


def _scatter_gradient(out: Outputs, variables):
    """Gradient of a sum of indexed terms by scatter-add (the adjoint of slicing): for a run
    f = sum_{i=a}^{b-1} T(x_{i+d}, ...), grad[a+d : b+d] += dT/dp_d on the slices. Returns the
    run jobs and the gradient of the leftover terms, or None when f has no runs."""
    if out.structure_of is None:
        return None
    return _scatter_jobs(out.structure_of, tuple(variables))


@lru_cache(maxsize=16)
def _scatter_jobs(f, variables):
    runs, rest = group_sum_terms(f, variables)
    if sum(r.length for r in runs) < len(rest):
        return None  # mostly unstructured (e.g. a dense quadratic form): per-entry code
    pieces: dict = {}  # one += per target slice
    for r in runs:
        for p in sorted(r.template.free_symbols, key=lambda s: s.name):
            if not p.name.startswith("_p"):
                continue
            d = _offset_of(p)
            partial = stabilize(sp.diff(r.template, p))
            if partial != 0:
                target = (r.start + d, r.stop + d)
                pieces.setdefault(target, []).append(Run(r.start, r.stop, partial).instantiate())
    jobs = [(start, stop, sp.Add(*terms)) for (start, stop), terms in pieces.items()]
    leftover = sp.Add(*rest)
    free = leftover.free_symbols
    engine = Differentiator()
    gradient = [stabilize(engine.diff(leftover, v)) if v in free else sp.S.Zero
                for v in variables]
    return jobs, gradient


def array_source(name: str, variables, out: Outputs, vectorize: bool = True) -> Generated:
    n = len(variables)
    index_of = {v: k for k, v in enumerate(variables)}
    columns = {v: column_symbol(k) for k, v in enumerate(variables)}
    constants: dict = {}
    jobs: list[tuple[str, sp.Expr, str | None]] = []  # (target, expr, mirror target)

    prelude: list[str] = []  # matrix-product lines computed before the symbolic jobs
    if out.f is not None:
        f_core, f_matrix = out.f, sp.S.Zero
        quadratic = quadratic_part(out.f, index_of) if vectorize else None
        if quadratic is not None:
            constants["_Q"], constants["_fb"], f_core = quadratic
            prelude.append("_q = 0.5*numpy.sum((X @ _Q) * X, axis=-1) + X @ _fb")
            f_matrix = sp.Symbol("_q", real=True)
        if vectorize:
            runs, rest = group_sum_terms(f_core, tuple(variables))
            by_range: dict = {}  # runs over the same anchors share one reduction
            for r in runs:
                by_range.setdefault((r.start, r.stop), []).append(r.instantiate())
            f_expr = sp.Add(*[rowsum(sp.Add(*ts)) for ts in by_range.values()], *rest)
        else:
            f_expr = f_core
        jobs.append(("_f = %s", f_matrix + f_expr.xreplace(columns), None))

    scatter = _scatter_gradient(out, variables) if vectorize and out.gradient is not None \
        else None
    if scatter is not None:
        run_jobs, leftover_gradient = scatter
        anchored = [(i, e) for i, e in enumerate(leftover_gradient) if e != 0]
        runs, singles = find_runs(anchored, index_of)
        pieces = list(run_jobs) + [(r.start, r.stop, r.instantiate()) for r in runs] \
            + [(i, i + 1, e.xreplace(columns)) for i, e in singles]
        written: list = []
        for start, stop, e in pieces:
            # the first write into untouched entries assigns; later ones accumulate
            fresh = all(stop <= a or start >= b for a, b in written)
            written.append((start, stop))
            where = f"{start}:{stop}" if stop - start > 1 else f"{start}"  # runs: >= 3
            jobs.append((f"_g[..., {where}] {'=' if fresh else '+='} %s", e, None))
    elif out.gradient is not None:
        entries, op = out.gradient, "="
        linear = linear_part(entries, index_of) if vectorize else None
        if linear is not None:  # grad = X @ A' + b + remainder
            A, constants["_gb"], entries = linear
            constants["_gA"] = np.ascontiguousarray(A.T)
            prelude.append("_g = X @ _gA + _gb")
            op = "+="
        anchored = [(i, e) for i, e in enumerate(entries) if e != 0]
        runs, singles = find_runs(anchored, index_of) if vectorize else ([], anchored)
        for r in runs:
            jobs.append((f"_g[..., {r.start}:{r.stop}] {op} %s", r.instantiate(), None))
        for i, e in singles:
            jobs.append((f"_g[..., {i}] {op} %s", e.xreplace(columns), None))

    base = None  # constant Hessian entries, filled once at compile time
    if out.hessian is not None:
        by_offset: dict[int, list] = {}
        constant_count = sum(1 for e in out.hessian.values() if e.is_number)
        for (i, j), e in sorted(out.hessian.items()):
            # many constant entries (a quadratic part): one precomputed matrix to copy;
            # a few: cheaper as strided fills of a zero matrix
            if e.is_number and e.is_real and constant_count > 2 * n:
                base = np.zeros((n, n)) if base is None else base
                base[i, j] = base[j, i] = float(e)
                continue
            by_offset.setdefault(j - i, []).append((i, e))
        for k, anchored in sorted(by_offset.items()):
            runs, singles = find_runs(anchored, index_of) if vectorize else ([], anchored)
            for r in runs:
                rows, cols = f"_r{r.start}_{r.stop}", f"_k{k}_{r.start}_{r.stop}"
                constants[rows] = np.arange(r.start, r.stop)
                constants[cols] = np.arange(r.start + k, r.stop + k)
                mirror = f"_H[..., {cols}, {rows}] = %s" if k else None
                jobs.append((f"_H[..., {rows}, {cols}] = %s", r.instantiate(), mirror))
            for i, e in singles:
                mirror = f"_H[..., {i + k}, {i}] = %s" if k else None
                jobs.append((f"_H[..., {i}, {i + k}] = %s", e.xreplace(columns), mirror))

    memo: dict = {}
    replacements, reduced = _cse([lower(e, memo) for _, e, _ in jobs])
    printer = ArrayPrinter()
    lines = [f"def {name}(X):"]
    used = set()
    for e in reduced:
        used |= e.free_symbols
    for _, e in replacements:
        used |= e.free_symbols
    for k in range(n):
        if column_symbol(k) in used:
            lines.append(f"    _x{k} = X[..., {k}]")
    for s in sorted(used, key=lambda s: s.name):
        if s.name.startswith("_s"):
            start, stop = s.name[2:].split("_")
            lines.append(f"    {s.name} = X[..., {start}:{stop}]")
    lines.extend("    " + line for line in prelude)
    for sym, e in replacements:
        lines.append(f"    {sym} = {printer.doprint(e)}")
    if out.gradient is not None and not any(line.startswith("_g =") for line in prelude):
        lines.append("    _g = numpy.zeros(X.shape)")
    if out.hessian is not None and base is not None:
        constants["_H0"] = base
        lines.append(f"    _H = numpy.broadcast_to(_H0, X.shape + ({n},)).copy()")
    elif out.hessian is not None:
        lines.append(f"    _H = numpy.zeros(X.shape + ({n},))")
    for (target, _, mirror), e in zip(jobs, reduced):
        code = printer.doprint(e)
        if mirror is not None and not e.is_Atom:
            lines.append(f"    _t = {code}")
            code = "_t"
        lines.append("    " + target % code)
        if mirror is not None:
            lines.append("    " + mirror % code)
    results = [r for r, present in (("_f", out.f), ("_g", out.gradient), ("_H", out.hessian))
               if present is not None]
    lines.append(f"    return {', '.join(results)}")
    ops = sum(_nodes(e) for _, e in replacements) + sum(_nodes(e) for e in reduced)
    cost = 0.35 * ops + 0.4 * len(jobs) + 1.5
    return Generated("\n".join(lines) + "\n", constants, cost)


def scalar_source(name: str, variables, out: Outputs, hessian_order=None) -> Generated:
    """One point as Python floats. Returns (f, [grad...], [hess values in hessian_order])."""
    n = len(variables)
    columns = {v: column_symbol(k) for k, v in enumerate(variables)}
    exprs, parts = [], []
    if out.f is not None:
        parts.append(("f", 1))
        exprs.append(out.f)
    if out.gradient is not None:
        parts.append(("g", n))
        exprs.extend(out.gradient)
    if out.hessian is not None:
        parts.append(("h", len(hessian_order)))
        exprs.extend(out.hessian[(min(key), max(key))] for key in hessian_order)
    memo: dict = {}
    replacements, reduced = _cse([lower(sp.sympify(e, strict=True).xreplace(columns), memo) for e in exprs])
    printer = ScalarPrinter()
    names = ", ".join(f"_x{k}" for k in range(n))
    lines = [f"def {name}(X):"]
    if n:
        lines.append(f"    {names}{',' if n == 1 else ''} = X.tolist()")
    for sym, e in replacements:
        lines.append(f"    {sym} = {printer.doprint(e)}")
    printed = [printer.doprint(e) for e in reduced]
    results, pos = [], 0
    for kind, count in parts:
        chunk = printed[pos:pos + count]
        pos += count
        results.append(chunk[0] if kind == "f" else "[" + ", ".join(chunk) + "]")
    lines.append(f"    return {', '.join(results)}")
    ops = sum(_nodes(e) for _, e in replacements) + sum(_nodes(e) for e in reduced)
    cost = 0.03 * ops + 0.01 * len(exprs) + 0.8
    return Generated("\n".join(lines) + "\n", {}, cost)


def scalar_cost_bound(out: Outputs, hessian_order) -> float:
    """Cost estimate of the math-module code before common subexpressions are shared."""
    exprs = ([out.f] if out.f is not None else []) + list(out.gradient or [])
    if out.hessian is not None:
        exprs += list(out.hessian.values())
    return 0.03 * sum(_nodes(sp.sympify(e, strict=True)) for e in exprs) + 0.8
