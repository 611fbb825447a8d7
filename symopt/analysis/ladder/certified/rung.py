"""Rung of the critical-point ladder: certified numerics in a box.

In the user's box (or the stated default [-10, 10]^n): Newton's method from many starts,
refinement to 50 digits with mpmath, and for each root a Krawczyk proof that a tiny box holds
exactly one zero of the gradient (CriticalPoint(method="certified", enclosure=...)). A branch
and bound over the whole box then proves there is no other zero (interval exclusion, Krawczyk);
`complete` is True only when it finishes, otherwise the undecided volume is stated.
Each root is classified with certified eigenvalue signs: the Hessian's interval enclosure over
the root's box, Weyl's inequality |lambda_i(A) - lambda_i(B)| <= ||A - B||_F bounding the
eigenvalues of every matrix in it; a sign is decided only outside that bound (section 4.3.1).
"""

from __future__ import annotations

import itertools
import time

import mpmath
import numpy as np
import sympy as sp

from symopt.budget import budget
from symopt.analysis.conditioning import spectral_figures
from symopt.analysis.exact.krawczyk import EVAL_ERRORS, iv_precision, to_intervals
from symopt.analysis.ladder.certified.search import Search, newton_candidates
from symopt.analysis.classify.second_derivative import classify, classify_critical as classify_point
from symopt.analysis.exact.programs import IntervalProgram, NotIntervalizable
from symopt.analysis.ladder.protocol import GradientSystem, RungOutcome
from symopt.analysis.results import Classification, CriticalPoint, CriticalSet, Kind
from symopt.errors import BudgetExceeded

iv, mp = mpmath.iv, mpmath.mp

DEFAULT_HALF_WIDTH = 10
DIGITS = 50

#: How far an uncertified Newton point may be from the critical point it approximates.
UNCERTIFIED_RADIUS = sp.Rational(1, 10**12)


class CertifiedRung:
    name = "certified"

    def __init__(self, seconds: float | None = None, starts: int = 256):
        self.seconds = seconds
        self.starts = starts

    def attempt(self, system: GradientSystem) -> RungOutcome:
        # A failure inside is recorded by the ladder (critical.py), which then climbs on.
        seconds = self.seconds or min(system.seconds, 10.0)
        try:
            with budget("certified search", seconds + 5.0):
                answer = certified_critical_set(system, seconds, self.starts)
        except NotIntervalizable as exc:
            return RungOutcome(None, f"certified: {exc}")
        except (AttributeError, TypeError, ValueError, ZeroDivisionError) as exc:
            return RungOutcome(None, f"certified: cannot evaluate the gradient ({exc})")
        except BudgetExceeded as exc:
            return RungOutcome(None, f"certified: budget exceeded in {exc.step}")
        where = " in the box" if system.box else ""
        return RungOutcome(answer, "certified: " + (f"complete{where}" if answer.complete
                                                    else "not proven complete"))


def _box(system):
    variables = tuple(system.variables)
    notes = []
    box = dict(system.box or {})
    missing = [v for v in variables if v not in box
               or not all(sp.sympify(b, strict=True).is_finite for b in box[v])]
    if missing:
        for v in missing:
            box[v] = (sp.Integer(-DEFAULT_HALF_WIDTH), sp.Integer(DEFAULT_HALF_WIDTH))
        notes.append(f"no finite box for {', '.join(map(str, missing))}: searched the default "
                     f"[-{DEFAULT_HALF_WIDTH}, {DEFAULT_HALF_WIDTH}] for each")
    return {v: (sp.sympify(box[v][0], strict=True), sp.sympify(box[v][1], strict=True)) for v in variables}, notes


def certified_critical_set(system: GradientSystem, seconds: float, starts: int = 256):
    start_time = time.monotonic()
    variables = tuple(system.variables)
    n = len(variables)
    box, notes = _box(system)
    hess = sp.ImmutableMatrix(system.hessian)
    reduced, reduce_note = search_system(system)
    if reduced is None:
        return CriticalSet(system.f, variables, tuple(system.gradient), system.hessian,
                           complete=True, box=box, method_trail=("certified: no zero",),
                           notes=tuple(notes) + (reduce_note,))
    if reduce_note:
        notes.append(reduce_note)
    jac = sp.ImmutableMatrix([[sp.diff(g, v) for v in variables] for g in reduced])
    grad_prog = IntervalProgram(list(reduced), variables)
    hess_prog = IntervalProgram([jac[i, j] for i in range(n) for j in range(n)], variables)
    class_prog = IntervalProgram([hess[i, j] for i in range(n) for j in range(n)], variables)
    # search a slightly larger box so roots on the boundary are found; report those inside
    with mp.workdps(30):
        bounds = [(mp.mpf(sp.N(lo, 30)), mp.mpf(sp.N(hi, 30))) for lo, hi in box.values()]
    pad = [(hi - lo) * mp.mpf("1e-6") for lo, hi in bounds]
    search_box = [(lo - p, hi + p) for (lo, hi), p in zip(bounds, pad)]
    search = Search(grad_prog, hess_prog, search_box, DIGITS)
    lo = np.array([float(a) for a, _ in search_box])
    hi = np.array([float(b) for _, b in search_box])
    try:
        candidates = newton_candidates(reduced, jac, variables, lo, hi, starts)
    except (TypeError, ValueError, NameError) as exc:  # a node numpy cannot evaluate
        candidates = []
        notes.append(f"numpy Newton starts skipped ({exc}); branch and bound only")
    for i, c in enumerate(candidates):
        if time.monotonic() - start_time > seconds / 2:
            notes.append(f"only {i} of {len(candidates)} Newton candidates refined (time)")
            break
        search.add_candidate([mp.mpf(float(v)) for v in c])
    # a quarter of the time (and the 5 s slack of attempt) stays for classifying what was found
    left = max(0.75 * seconds - (time.monotonic() - start_time), 0.5)
    undecided, boxes = search.branch_and_bound(left)
    inside = [r for r in search.roots if _in_bounds(r[0], bounds)]
    points = [_certified_point(system, class_prog, r) for r in inside]
    boundary = [r for r in inside if not _in_bounds(r[0], bounds, strict=True)]
    if boundary:
        notes.append(f"{len(boundary)} certified point(s) lie on the box boundary")
    uncertified = [u for u in search.uncertified if _in_bounds(u, bounds)]
    for u in uncertified:
        pt = {v: sp.Float(mp.nstr(x, DIGITS), DIGITS) for v, x in zip(variables, u)}
        # not certified: known only to about 1e-12, so the classification must hold over that
        # whole box (a family's tangent eigenvalue 1e-17 is not a sign)
        radius = {v: UNCERTIFIED_RADIUS * (1 + abs(sp.Rational(x))) for v, x in pt.items()}
        cls = classify(system.f, variables, pt, hess, radius=radius)
        if cls.kind is Kind.NOT_CRITICAL:
            notes.append(f"a numeric candidate was dropped: {cls.reason}")
            continue
        points.append(CriticalPoint(pt, cls, method="numeric"))
    if uncertified:
        notes.append(f"{len(uncertified)} numeric point(s) could not be certified (singular "
                     "Hessian or a cluster of roots): listed with method 'numeric'")
    defaulted = any("default" in n for n in notes)
    outside_clear = defaulted and undecided == 0 and not uncertified \
        and _no_zero_outside(grad_prog, bounds)
    complete = undecided == 0 and not uncertified and (not defaulted or outside_clear)
    if outside_clear:
        notes.append("outside the default box, an interval enclosure of the gradient excludes 0 "
                     "on every unbounded slab: there is no critical point there either")
    elif defaulted and undecided == 0 and not uncertified:
        notes.append("complete inside the default box only: outside it no proof was found, "
                     "so the set is not claimed complete")
    if undecided:
        notes.append(f"branch and bound stopped after {boxes} boxes with {undecided:.3g} of the "
                     "box volume undecided: other critical points may exist there")
    else:
        notes.append(f"branch and bound over the box ({boxes} boxes): no zero of the gradient "
                     "outside the listed enclosures")
    return CriticalSet(system.f, variables, tuple(system.gradient), system.hessian,
                       points=tuple(points), complete=complete, box=box,
                       method_trail=(f"certified: {len(inside)} certified point(s)",),
                       notes=tuple(notes))


def _no_zero_outside(grad_prog, bounds) -> bool:
    """No zero of the gradient outside the box: its complement is covered by slabs
    {x_i >= hi_i} and {x_i <= lo_i} (the other coordinates split into below / inside / above
    the box), and on each slab some component's interval enclosure excludes 0."""
    n = len(bounds)
    if n > 4:
        return False
    pieces = [[(-mp.inf, lo), (lo, hi), (hi, mp.inf)] for lo, hi in bounds]
    with iv_precision(64):
        for i in range(n):
            for side in (pieces[i][0], pieces[i][2]):
                others = [pieces[j] if j != i else [side] for j in range(n)]
                for slab in itertools.product(*others):
                    try:
                        values = grad_prog([iv.mpf([a, b]) for a, b in slab])
                    except EVAL_ERRORS:
                        return False
                    if not any(v.a > 0 or v.b < 0 for v in values):
                        return False
    return True


def _in_bounds(point, bounds, strict=False) -> bool:
    if strict:
        return all(lo < p < hi for p, (lo, hi) in zip(point, bounds))
    return all(lo <= p <= hi for p, (lo, hi) in zip(point, bounds))


def search_system(system):
    """The gradient with its never-vanishing factors removed (same real zeros, and intervals
    that can exclude 0 where exp(-x^2) underflows), or (None, reason) when some component
    never vanishes."""
    from symopt.analysis.ladder.transcendental.rung import reduce_component
    reduced, removed = [], []
    for var, g in zip(system.variables, system.gradient):
        try:
            with budget("certified: factoring the gradient", 3.0):
                factors, dropped, den = reduce_component(g, system.variables)
        except BudgetExceeded:
            reduced.append(g)
            continue
        if factors is None:
            raise NotIntervalizable(f"df/d{var} is identically zero: the critical set is "
                                    "not isolated")
        if not factors:
            return None, f"df/d{var} = {g} never vanishes: no critical point"
        if den is not None:
            reduced.append(g)  # keep the quotient: its poles must stay visible
            continue
        reduced.append(sp.Mul(*factors))
        removed += [r for r in dropped if not r.is_number]
    note = ("searched the gradient without its never-zero factors "
            f"{', '.join(map(str, dict.fromkeys(removed)))}" if removed else "")
    return reduced, note


def _certified_point(system, class_prog, root):
    variables = tuple(system.variables)
    point, tight, _ = root
    coords = {v: sp.Float(mp.nstr(x, DIGITS), DIGITS) for v, x in zip(variables, point)}
    enclosure = {v: (sp.Float(mp.nstr(lo, DIGITS + 5), DIGITS + 5),
                     sp.Float(mp.nstr(hi, DIGITS + 5), DIGITS + 5))
                 for v, (lo, hi) in zip(variables, tight)}
    coords = {v: (sp.Float(0) if lo <= 0 <= hi and abs(x) < 1e-40 else x)
              for (v, x), (lo, hi) in zip(coords.items(), enclosure.values())}
    cls = certified_classification(system.f, variables, class_prog, tight)
    if cls.kind is Kind.INCONCLUSIVE:
        other = classify_point(system.f, variables, coords, system.hessian)
        if other.kind is not Kind.INCONCLUSIVE:
            cls = other
    return CriticalPoint(coords, cls, method="certified", enclosure=enclosure)


def certified_classification(f, variables, hess_prog, tight) -> Classification:
    """Signs of the Hessian's eigenvalues, proved over the root's enclosure (Weyl bound)."""
    n = len(variables)
    bits = int((DIGITS + 8) * 3.33)
    with iv_precision(bits), mp.workprec(bits):
        H = hess_prog(to_intervals(tight))
        ends = [(mp.mpf(h.a), mp.mpf(h.b)) for h in H]
        mids = [(a + b) / 2 for a, b in ends]
        mid = mp.matrix([[mids[i * n + j] for j in range(n)] for i in range(n)])
        radius = mp.sqrt(mp.fsum(max(m - a, b - m) ** 2 for m, (a, b) in zip(mids, ends)))
        eigs = mp.eigsy((mid + mid.T) / 2, eigvals_only=True)
        eigs = [eigs[i] for i in range(n)]
        # eigsy's own rounding error is far below this margin at this precision
        bound = radius + mp.mpf(10) ** (-(DIGITS - 5)) * (1 + max(abs(e) for e in eigs))
        point = [(lo + hi) / 2 for lo, hi in tight]
        value = IntervalProgram([f], variables)(point, mp)[0]
    signs = [1 if e > bound else -1 if e < -bound else 0 for e in eigs]
    shown = tuple(sp.Float(mp.nstr(e, 20), 20) for e in eigs)
    value = sp.Float(mp.nstr(value, DIGITS), DIGITS)
    if 0 not in signs and len(set(signs)) == 1:
        kind = Kind.MINIMUM if signs[0] > 0 else Kind.MAXIMUM
        figures = [None if x is None else sp.Float(mp.nstr(x, 15), 15)
                   for x in spectral_figures(eigs, kind is Kind.MINIMUM)]
        return Classification(kind, True, False, eigenvalues=shown, method="certified",
                              value=value, condition_number=figures[0],
                              max_stable_step=figures[1], contraction=figures[2],
                              reason=f"Hessian {'positive' if kind is Kind.MINIMUM else 'negative'}"
                                     f" definite: every eigenvalue is beyond the certified "
                                     f"error bound {mp.nstr(bound, 3)} (second-derivative test)")
    if 1 in signs and -1 in signs:
        return Classification(Kind.SADDLE, None, 0 in signs, eigenvalues=shown,
                              method="certified", value=value,
                              reason="Hessian indefinite: a certified positive and a certified "
                                     "negative eigenvalue")
    return Classification(Kind.INCONCLUSIVE, None, None, eigenvalues=shown, method="certified",
                          value=value, reason="an eigenvalue of the Hessian is within its "
                                              f"error bound {mp.nstr(bound, 3)} of 0")
