"""Finding and proving the zeros of grad f in a box.

1. `newton_candidates`: Newton's method on grad f = 0 (numpy, vectorised over all starts) from
   a Halton sequence, a coarse grid and random points in the box; converged points de-duplicated.
2. `branch_and_bound`: proves that no other zero exists. A box is discarded when some gradient
   component's interval excludes 0 or Krawczyk shows no zero; settled when it lies inside a
   certified root's uniqueness region, or Krawczyk proves one zero that is a known root (a new
   one is refined and certified on the spot); otherwise bisected. What is left when the budget
   runs out is reported as undecided volume.
"""

from __future__ import annotations

import time

import mpmath
import numpy as np
import sympy as sp

from symopt.budget import check
from symopt.analysis.exact.krawczyk import (EVAL_ERRORS, Verdict, certify, iv_precision, krawczyk,
                                                midpoint, refine, to_intervals)

iv, mp = mpmath.iv, mpmath.mp


def halton(count: int, dim: int) -> np.ndarray:
    """The first `count` points of the Halton sequence in [0, 1]^dim (low discrepancy)."""
    primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37][:dim]
    out = np.empty((count, dim))
    for d, base in enumerate(primes):
        for i in range(count):
            f, r, k = 1.0, 0.0, i + 1
            while k:
                f /= base
                r += f * (k % base)
                k //= base
            out[i, d] = r
    return out


def _numpy_functions(gradient, hessian, variables):
    n = len(variables)
    g_fn = sp.lambdify(variables, list(gradient), "numpy")
    h_fn = sp.lambdify(variables, [hessian[i, j] for i in range(n) for j in range(n)], "numpy")

    def stack(fn, X, shape):
        vals = fn(*X.T)
        cols = [np.broadcast_to(np.asarray(v, dtype=float), X.shape[:1]) for v in vals]
        return np.stack(cols, axis=-1).reshape(X.shape[:1] + shape)
    return (lambda X: stack(g_fn, X, (n,))), (lambda X: stack(h_fn, X, (n, n)))


def newton_candidates(gradient, hessian, variables, lo, hi, starts: int = 256, seed: int = 0):
    """Approximate zeros of the gradient in the box [lo, hi] (numpy arrays), de-duplicated."""
    n = len(variables)
    grad, hess = _numpy_functions(gradient, hessian, variables)
    width = hi - lo
    rng = np.random.default_rng(seed)
    grid_side = max(2, int(round(64 ** (1 / n)))) if n <= 4 else 2
    axes = [np.linspace(0.02, 0.98, grid_side)] * n
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, n)
    unit = np.vstack([halton(starts, n), grid, rng.random((starts // 2, n))])
    X = lo + unit * width
    with np.errstate(all="ignore"):
        for _ in range(60):
            G, H = grad(X), hess(X)
            finite = np.all(np.isfinite(G), axis=1) & np.all(np.isfinite(H), axis=(1, 2))
            step = np.zeros_like(X)
            if np.any(finite):
                step[finite] = np.einsum("nij,nj->ni", np.linalg.pinv(H[finite]), G[finite])
            step[~finite] = np.nan  # overflow: this start is abandoned
            norm = np.linalg.norm(step, axis=1, keepdims=True)
            limit = 0.25 * np.linalg.norm(width)
            step = np.where(norm > limit, step * limit / np.maximum(norm, 1e-300), step)
            X = X - step
        G = grad(X)
        ok = np.all(np.isfinite(X), axis=1) & np.all(np.isfinite(G), axis=1)
        ok &= np.linalg.norm(G, axis=1) < 1e-6
        ok &= np.all((X >= lo - 1e-3 * width) & (X <= hi + 1e-3 * width), axis=1)
    found = []
    for x in X[ok]:
        if all(np.linalg.norm(x - y) > 1e-6 * (1 + np.linalg.norm(width)) for y in found):
            found.append(x)
    return found


class Search:
    """Certified zeros of grad f in a box, and the branch-and-bound completeness proof."""

    def __init__(self, grad_prog, hess_prog, box, digits: int = 50):
        self.grad_prog, self.hess_prog = grad_prog, hess_prog
        self.box = [(mp.mpf(lo), mp.mpf(hi)) for lo, hi in box]
        self.width = max(hi - lo for lo, hi in self.box)
        self.digits = digits
        self.roots = []        # (point, tight enclosure, region)
        self.uncertified = []  # numeric points where the proof failed (singular Hessian, ...)

    def add_candidate(self, start) -> bool:
        point = refine(self.grad_prog, self.hess_prog, start, self.digits)
        if point is None:
            self._maybe_uncertified(start)
            return False
        for p, tight, region in self.roots:
            if all(lo <= q <= hi for q, (lo, hi) in zip(point, region)):
                return True  # the same root (its region holds only one)
        proof = certify(self.grad_prog, self.hess_prog, point, self.width, self.digits)
        if proof is None:
            self._maybe_uncertified(point)
            return False
        self.roots.append((point, *proof))
        return True

    def _maybe_uncertified(self, point):
        """Keep a point where Newton converged but no proof exists (singular Jacobian) when the
        gradient there is tiny: a numeric critical point, reported as such."""
        try:
            with mp.workdps(30):
                small = max(abs(v) for v in self.grad_prog([mp.mpf(p) for p in point], mp)) < 1e-8
        except EVAL_ERRORS:
            return
        close = any(max(abs(a - b) for a, b in zip(point, u)) < 1e-6 for u in self.uncertified)
        if small and not close:
            self.uncertified.append([mp.mpf(p) for p in point])

    def branch_and_bound(self, seconds: float, max_boxes: int = 40000, min_width=1e-9):
        """(undecided volume fraction, boxes processed)."""
        deadline = time.monotonic() + seconds
        total = mp.fprod([hi - lo for lo, hi in self.box])
        undecided = mp.mpf(0)
        stack = [self.box]
        processed = 0
        min_w = min_width * self.width
        with iv_precision(64), mp.workprec(64):
            while stack:
                box = stack.pop()
                processed += 1
                if processed % 64 == 0:
                    check()
                if time.monotonic() > deadline or processed > max_boxes:
                    undecided += sum(mp.fprod([hi - lo for lo, hi in b]) for b in [box] + stack)
                    break
                verdict = self._decide(box)
                if verdict == "done":
                    continue
                widest = max(range(len(box)), key=lambda i: box[i][1] - box[i][0])
                lo, hi = box[widest]
                if hi - lo < min_w:
                    undecided += mp.fprod([b - a for a, b in box])
                    continue
                cut = lo + (hi - lo) * mp.mpf("0.4990234375")  # off-centre: avoid symmetric roots
                stack.append([*box[:widest], (lo, cut), *box[widest + 1:]])
                stack.append([*box[:widest], (cut, hi), *box[widest + 1:]])
        return float(undecided / total), processed

    def _decide(self, box) -> str:
        for _, _, region in self.roots:
            if all(r_lo <= lo and hi <= r_hi for (lo, hi), (r_lo, r_hi) in zip(box, region)):
                return "done"
        try:
            values = self.grad_prog(to_intervals(box))
            if any(v.a > 0 or v.b < 0 for v in values):
                return "done"
        except EVAL_ERRORS:
            return "split"
        verdict = krawczyk(self.grad_prog, self.hess_prog, box)
        if verdict is Verdict.NONE:
            return "done"
        if verdict is Verdict.UNIQUE:
            for point, _, _ in self.roots:
                if all(lo <= q <= hi for q, (lo, hi) in zip(point, box)):
                    return "done"
            n_before = len(self.roots)
            with mp.workprec(int(self.digits * 3.4)):
                self.add_candidate(midpoint(box))
            if len(self.roots) > n_before:
                point = self.roots[-1][0]
                if all(lo <= q <= hi for q, (lo, hi) in zip(point, box)):
                    return "done"
        return "split"
