"""Result objects of the analysis floor: classifications, critical points, families, sets.

All frozen dataclasses with a readable repr, `_repr_latex_` and `to_dict()` producing the JSON
keys of CONTRACT section 3. Exact values are SymPy objects (printed with `str`); approximations
are Python floats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sympy as sp

from symopt.core.enums import TextEnum


class Kind(TextEnum):
    """What a point is. NOT_CRITICAL is only ever given by `classify` at a point where the
    gradient is proven not to vanish; the ladder lists critical points only."""

    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    SADDLE = "saddle"
    INCONCLUSIVE = "inconclusive"
    NOT_CRITICAL = "not critical"


class Method(TextEnum):
    """How a result was obtained; each member's `message` says what that promises."""

    EXACT = ("exact", "decided by exact arithmetic")
    CERTIFIED = ("certified", "proven with interval bounds (outward-rounded arithmetic)")
    NUMERIC = ("numeric", "computed in floating point; not a proof")


class Test(TextEnum):
    """The test that decided a classification."""

    GRADIENT = ("gradient", "the gradient does not vanish: not a critical point")
    SECOND_DERIVATIVE = ("second-derivative",
                         "the second-derivative test (section 4.3.1): the Hessian's inertia")
    HIGHER_ORDER = ("higher-order", "a higher-order test: Taylor terms beyond the Hessian")
    FIRST_NONVANISHING = ("first-nonvanishing-derivative",
                          "the first non-vanishing derivative in one variable")
    GLOBAL = ("global", "a global argument: f minus its value proven of one sign")


def exact_str(value) -> str:
    """SymPy syntax for an exact value (CONTRACT: exact values are strings)."""
    return str(value)


def approx_float(value) -> float | None:
    """A float for an exact or numeric value; None when it is not a finite real number."""
    try:
        z = complex(sp.N(value, 17)) if isinstance(value, sp.Basic) else complex(value)
    except (TypeError, ValueError):
        return None
    if abs(z.imag) > 1e-12 * max(1.0, abs(z.real)) or not math.isfinite(z.real):
        return None
    return float(z.real)


@dataclass(frozen=True)
class Classification:
    """What a critical point is, and how we know.

    kind: minimum / maximum / saddle / inconclusive (or not critical, from `classify` at a point
    where the gradient is proven nonzero; `gradient` then holds its value there).
    strict: True/False, None when unknown.
    degenerate: the Hessian is singular. eigenvalues: exact SymPy values where cheap, else floats.
    eigenvectors: principal curvature directions (one tuple per eigenvalue, same order).
    test: the Test that decided; method: the Method (exact / certified / numeric): required.
    condition_number: |lambda|max / |lambda|min of the Hessian (eq. 4.2), None if singular.
    max_stable_step: 2 / lambda_max, the largest stable gradient-descent step near the point.
    contraction: (kappa - 1)/(kappa + 1), gradient descent's per-step error factor near a minimum.
    witness: for a saddle, two nearby points with exact values below and above f(point);
    reason: a sentence saying why the verdict holds (or why it is inconclusive).
    """

    kind: Kind
    strict: bool | None
    degenerate: bool
    eigenvalues: tuple = ()
    eigenvectors: tuple = ()
    test: Test = Test.SECOND_DERIVATIVE
    method: Method | None = None
    value: Any = None
    condition_number: Any = None
    max_stable_step: Any = None
    contraction: Any = None
    witness: dict | None = None
    reason: str = ""
    gradient: tuple = ()

    def __post_init__(self):
        if self.method is None:
            raise TypeError("a Classification must say how it was obtained (method=...)")
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "method", Method(self.method))
        object.__setattr__(self, "test", Test(self.test))

    def to_dict(self) -> dict:
        def num(v):
            if v is None:
                return None
            return approx_float(v)
        return {
            "kind": self.kind.value, "strict": self.strict, "degenerate": self.degenerate,
            "eigenvalues": [exact_str(e) for e in self.eigenvalues],
            "eigenvectors": [[exact_str(c) for c in vec] for vec in self.eigenvectors],
            "test": self.test.value, "method": self.method.value,
            "value": None if self.value is None else exact_str(self.value),
            "condition_number": num(self.condition_number),
            "max_stable_step": num(self.max_stable_step),
            "contraction": num(self.contraction),
            "witness": None if self.witness is None else _jsonable(self.witness),
            "reason": self.reason,
            **({"gradient": [exact_str(g) for g in self.gradient]} if self.gradient else {}),
        }


@dataclass(frozen=True)
class CriticalPoint:
    """A point with grad f = 0. `point` maps each variable to an exact SymPy value (or a Float
    for numeric/certified points); `method` says which: "exact", "certified" or "numeric".
    `enclosure`: for certified points, variable -> (lo, hi) interval proven to hold exactly one
    root."""

    point: dict
    classification: Classification
    method: Method = Method.EXACT
    enclosure: dict | None = None

    def __post_init__(self):
        object.__setattr__(self, "method", Method(self.method))

    @property
    def kind(self) -> Kind:
        return self.classification.kind

    @property
    def value(self):
        return self.classification.value

    @property
    def approx(self) -> dict:
        return {v: approx_float(x) for v, x in self.point.items()}

    def to_dict(self) -> dict:
        c = self.classification.to_dict()
        d = {"point": {v.name: exact_str(x) for v, x in self.point.items()},
             "approx": {v.name: approx_float(x) for v, x in self.point.items()},
             "value": c.pop("value"), "kind": c.pop("kind"), "strict": c.pop("strict"),
             "degenerate": c.pop("degenerate"), "eigenvalues": c.pop("eigenvalues"),
             "method": self.method.value, "test": c.pop("test")}
        c.pop("method")
        d.update(c)
        if self.enclosure is not None:
            d["enclosure"] = {v.name: [float(lo), float(hi)] for v, (lo, hi) in self.enclosure.items()}
        return d

    def __repr__(self) -> str:
        coords = ", ".join(f"{v}={x}" for v, x in self.point.items())
        return f"CriticalPoint({coords}: {self.kind.value}, {self.method.value})"

    def _repr_latex_(self) -> str:
        coords = r",\ ".join(f"{sp.latex(v)} = {sp.latex(x)}" for v, x in self.point.items())
        return f"$({coords})\\ \\text{{{self.kind.value}}}$"


@dataclass(frozen=True)
class Family:
    """A set of critical points that is not isolated: a positive-dimensional variety (a line, a
    circle, an axis) or a periodic lattice. `equations` define it (each = 0); for a lattice,
    `parametrization` maps each variable to an expression in integer `parameters` (k, m, ...)."""

    description: str
    equations: tuple = ()
    dimension: int = 1
    kind: Kind = Kind.INCONCLUSIVE
    strict: bool | None = None
    samples: tuple = ()  # tuple of dicts variable -> exact value
    parameters: tuple = ()
    parametrization: dict | None = None
    reason: str = ""

    def to_dict(self) -> dict:
        d = {"description": self.description,
             "equations": [exact_str(e) for e in self.equations],
             "dimension": self.dimension, "kind": self.kind.value, "strict": self.strict,
             "samples": [{v.name: approx_float(x) for v, x in s.items()} for s in self.samples],
             "reason": self.reason}
        if self.parametrization is not None:
            d["parameters"] = [str(p) for p in self.parameters]
            d["parametrization"] = {v.name: exact_str(e) for v, e in self.parametrization.items()}
        return d

    def __repr__(self) -> str:
        return f"Family({self.description}: {self.kind.value}, dim {self.dimension})"


@dataclass(frozen=True)
class CriticalSet:
    """All critical points found for f, and whether that is proven to be all of them.

    complete: True only when the points and families are proven to be every real critical point
    (inside `box` when one is given). method_trail: the rungs tried, in order, and what each said
    ("polynomial: solved", "polynomial: budget exceeded in groebner", ...). singular: points where a
    denominator of the gradient vanishes (excluded). notes: anything else the user should know.
    """

    function: sp.Basic
    variables: tuple
    gradient: tuple
    hessian: Any
    points: tuple = ()
    families: tuple = ()
    complete: bool = False
    box: dict | None = None
    singular: tuple = ()
    method_trail: tuple = ()
    notes: tuple = ()
    cases: tuple = ()  # ParametricCase, when f has parameters

    def to_dict(self) -> dict:
        hess = self.hessian
        rows = [[exact_str(hess[i, j]) for j in range(hess.cols)] for i in range(hess.rows)] \
            if hess is not None else None
        return {"variables": [v.name for v in self.variables],
                "function": exact_str(self.function),
                "gradient": [exact_str(g) for g in self.gradient],
                "hessian": rows,
                "critical_points": [p.to_dict() for p in self.points],
                "families": [f.to_dict() for f in self.families],
                "complete": self.complete,
                "box": None if self.box is None else
                       {v.name: [exact_str(lo), exact_str(hi)] for v, (lo, hi) in self.box.items()},
                "singular": [{v.name: exact_str(x) for v, x in s.items()} for s in self.singular],
                "method_trail": list(self.method_trail),
                "notes": list(self.notes),
                "cases": [c.to_dict() for c in self.cases]}

    def __repr__(self) -> str:
        head = "complete" if self.complete else "not proven complete"
        lines = [f"CriticalSet({len(self.points)} point(s), {len(self.families)} family(ies), {head})"]
        lines += [f"  {p!r}" for p in self.points] + [f"  {f!r}" for f in self.families]
        lines += [f"  {c!r}" for c in self.cases]
        return "\n".join(lines)

    def _repr_latex_(self) -> str:
        items = [p._repr_latex_().strip("$") for p in self.points]
        return "$" + r"\\ ".join(items) + "$" if items else r"$\text{no critical points}$"


@dataclass(frozen=True)
class ParametricCase:
    """The critical points for the parameter values where `condition` holds (a SymPy boolean,
    or a sentence such as "generic parameters"). complete: these points and families are proven
    to be all of them under the condition; reason: how the case was found and decided."""

    condition: Any
    points: tuple = ()
    families: tuple = ()
    complete: bool = False
    reason: str = ""

    def to_dict(self) -> dict:
        return {"condition": str(self.condition),
                "critical_points": [p.to_dict() for p in self.points],
                "families": [f.to_dict() for f in self.families],
                "complete": self.complete, "reason": self.reason}

    def __repr__(self) -> str:
        items = [repr(p) for p in self.points] + [repr(f) for f in self.families]
        empty = "no critical point" if self.complete else "not analysed"
        return f"ParametricCase({self.condition}: {'; '.join(items) or empty})"

    def _repr_latex_(self) -> str:
        cond = sp.latex(self.condition) if isinstance(self.condition, sp.Basic) else \
            rf"\text{{{self.condition}}}"
        items = [p._repr_latex_().strip("$") for p in self.points]
        items += [rf"\text{{{f.description}: {f.kind.value}}}" for f in self.families]
        return rf"${cond}:\ " + (r",\ ".join(items) or r"\text{no critical point}") + "$"


def _jsonable(obj):
    if isinstance(obj, dict):
        return {(k.name if isinstance(k, sp.Symbol) else str(k)): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, sp.Basic):
        return exact_str(obj)
    return obj
