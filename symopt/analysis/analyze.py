"""`analyze`: everything symopt can say about an unconstrained f in one result.

Gradient and Hessian (eq. 4.6), every critical point with its classification, the families,
whether that list is proven complete, and the convexity verdict with its witness or reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from symopt.analysis.results import CriticalSet


@dataclass(frozen=True)
class Analysis:
    function: object  # symopt.core.objects.Function
    critical: CriticalSet
    convexity: object | None  # ConvexityResult, or None when it could not be computed
    convexity_error: str | None = None

    @property
    def points(self):
        return self.critical.points

    @property
    def families(self):
        return self.critical.families

    @property
    def complete(self) -> bool:
        return self.critical.complete

    def to_dict(self) -> dict:
        d = self.critical.to_dict()
        if self.convexity is not None:
            d["convexity"] = self.convexity.to_dict()
        else:
            d["convexity"] = {"verdict": "unknown", "witness": None,
                              "reason": self.convexity_error or "not computed"}
        return d

    def __repr__(self) -> str:
        verdict = self.to_dict()["convexity"]["verdict"]
        return f"Analysis of {self.function!r}\n{self.critical!r}\nconvexity: {verdict}"

    def _repr_latex_(self) -> str:
        return self.function._repr_latex_()


def analyze(fn, box=None, seconds=None) -> Analysis:
    """Critical points (in `box` when given) and convexity of the scalar Function `fn`."""
    from symopt.analysis.critical import critical_points
    from symopt.analysis.convexity.verdict import convexity
    from symopt.errors import SymoptError

    critical = critical_points(fn.expr, fn.variables, box=box, seconds=seconds)
    try:
        conv, err = convexity(fn.expr, fn.variables, domain=box), None
    except SymoptError as exc:
        conv, err = None, str(exc)
    return Analysis(fn, critical, conv, err)

