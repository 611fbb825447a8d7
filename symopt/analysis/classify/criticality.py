"""Is the point critical at all? The first question `classify` asks (first-order condition,
chapter section 4.3: a critical point has grad f = 0).

* At an exact point, each component of grad f is evaluated exactly and its sign decided by the
  one exact sign test: a component proven nonzero makes the point not critical.
* At a point known only within a radius (a float from a caller stands for every point within
  its rounding), grad f is enclosed over the box p +- r in interval arithmetic. A component
  whose enclosure excludes 0 proves that no point of the box is critical; otherwise the Krawczyk
  test may prove that exactly one critical point lies in the box.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass

import mpmath
import sympy as sp

from symopt.analysis.exact.intervals import rational_interval
from symopt.analysis.exact.programs import IntervalProgram, NotIntervalizable
from symopt.analysis.exact.signs import exact_sign
from symopt.analysis.exact.krawczyk import EVAL_ERRORS, Verdict, iv_precision, krawczyk

iv = mpmath.iv


class Criticality(enum.Enum):
    """The answer to "does grad f vanish here?"; each member's value is its message."""

    CRITICAL = "the gradient vanishes exactly at the point"
    CERTIFIED = "exactly one critical point lies within the point's error bound (Krawczyk test)"
    WITHIN_BOUND = ("the gradient's enclosure over the point's error bound contains 0 "
                    "(critical within the error bound; existence not proven)")
    NOT_CRITICAL = "the gradient does not vanish: not a critical point"
    UNDECIDED = "whether the gradient vanishes could not be decided"

    @property
    def message(self) -> str:
        return self.value

    @property
    def is_critical(self) -> bool:
        return self in (Criticality.CRITICAL, Criticality.CERTIFIED, Criticality.WITHIN_BOUND)


@dataclass(frozen=True)
class GradientCheck:
    """status; gradient: the exact values at the point (exact check) or the enclosures' midpoints
    (box check); reason: a sentence naming the component that decided."""

    status: Criticality
    gradient: tuple
    reason: str


def check_gradient(f, variables, point: dict, radius: dict | None = None) -> GradientCheck:
    """Decide whether grad f vanishes at `point` (exact values), or within `radius` of it
    (variable -> nonnegative rational; None or all zero: the point is exact)."""
    grad = [sp.diff(f, v) for v in variables]
    exact = _exact_check(grad, variables, point)
    if exact.status is Criticality.CRITICAL or not radius or not any(radius.values()):
        return exact
    return _box_check(f, grad, variables, point, radius, exact)


def _exact_check(grad, variables, point) -> GradientCheck:
    values, undecided = [], []
    for v, g in zip(variables, grad):
        try:
            value = sp.expand(g.xreplace(point)) if g.is_polynomial() else g.xreplace(point)
        except (TypeError, ValueError, ZeroDivisionError):
            value = sp.nan
        values.append(value)
        sign = exact_sign(value)
        if sign is None:
            undecided.append(v)
        elif sign != 0:
            return GradientCheck(Criticality.NOT_CRITICAL, tuple(values) + tuple(
                g.xreplace(point) for g in grad[len(values):]),
                f"df/d{v} = {value} != 0 at the point: not a critical point")
    if undecided:
        names = ", ".join(str(v) for v in undecided)
        return GradientCheck(Criticality.UNDECIDED, tuple(values),
                             f"the sign of df/d{names} at the point could not be decided exactly")
    return GradientCheck(Criticality.CRITICAL, tuple(values), "grad f = 0 exactly at the point")


def _box_check(f, grad, variables, point, radius, exact: GradientCheck) -> GradientCheck:
    centre = [point[v] for v in variables]
    width = [sp.Rational(radius.get(v, 0)) for v in variables]
    box = [(c - r, c + r) for c, r in zip(centre, width)]
    try:
        grad_prog, hess_prog = gradient_programs(tuple(grad), tuple(variables))
    except NotIntervalizable as exc:
        return GradientCheck(Criticality.UNDECIDED, exact.gradient,
                             f"no interval rule to bound the gradient over the error bound ({exc})")
    bound = max(width)
    with iv_precision(128), mpmath.workprec(128):
        try:
            X = [rational_interval(lo, hi, 128) for lo, hi in box]  # outward: holds the box
            G = grad_prog(X)
        except EVAL_ERRORS:
            return GradientCheck(Criticality.UNDECIDED, exact.gradient,
                                 "the gradient could not be enclosed over the error bound")
        mids = tuple(sp.Float(mpmath.nstr(mpmath.mpf(g.mid), 17), 17) for g in G)
        for v, g in zip(variables, G):
            if g.a > 0 or g.b < 0:
                return GradientCheck(Criticality.NOT_CRITICAL, mids, (
                    f"df/d{v} lies in [{mpmath.nstr(mpmath.mpf(g.a), 6)}, "
                    f"{mpmath.nstr(mpmath.mpf(g.b), 6)}], which "
                    f"excludes 0, for every point within {float(bound):.3g} of the given one: "
                    "not a critical point"))
        verdict = krawczyk(grad_prog, hess_prog, [(_mpf(lo), _mpf(hi)) for lo, hi in box],
                           center=[_mpf(c) for c in centre])
    if verdict is Verdict.UNIQUE:
        return GradientCheck(Criticality.CERTIFIED, mids, (
            f"exactly one critical point lies within {float(bound):.3g} of the given point "
            "(Krawczyk test)"))
    return GradientCheck(Criticality.WITHIN_BOUND, mids, (
        f"the gradient's enclosure within {float(bound):.3g} of the point contains 0: critical "
        "within the error bound (existence of a critical point there not proven)"))


@functools.lru_cache(maxsize=64)
def gradient_programs(grad: tuple, variables: tuple):
    """Interval programs of grad f and of its Jacobian (the Hessian), compiled once per f."""
    return (IntervalProgram(grad, variables),
            IntervalProgram([sp.diff(g, w) for g in grad for w in variables], variables))


def _mpf(value):
    value = sp.Rational(value)
    return mpmath.mpf(value.p) / value.q
