"""Convexity of a function, proven or refuted exactly (lecture: convex functions; chapter 4.3.1).

`convexity(f, variables=None, domain=None)` -> ConvexityResult with a verdict among

    "affine"            both convex and concave (a polynomial of degree <= 1);
    "strictly convex"   convex with a proof of strictness (PD Hessian everywhere, or f'' >= 0
                        vanishing only at isolated points in one variable);
    "convex", "strictly concave", "concave";
    "neither"           with a witness for each side: two points a, b whose segment lies in
                        the domain and whose midpoint breaks Jensen's inequality one way, and
                        two that break it the other way (exact values); candidates come from
                        points where the exact Hessian has negative / positive curvature;
    "unknown"           nothing proven (the reason says what was tried).

Convex verdicts come from proofs only: the DCP composition rules of `convexity_rules` (per-node
curvature from a table of atoms, combined by one rule), or exact sign proofs that every principal
minor of the Hessian is >= 0 (`convexity_hessian`). Sampling only ever produces "neither".
`domain`: an optional box {var: (lo, hi)} (None/oo for unbounded), also accepted for parameters
(e.g. {y: (0, 1)} for a label); the verdict is then about the box.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symopt.budget import budget
from symopt.analysis.convexity.hessian import (find_curvature_witnesses, hessian_semidefinite,
                                               isolated_zeros_1d, leading_minors_positive,
                                               prove_sign)
from symopt.analysis.convexity.rules import AFFINE, CONCAVE, CONVEX, analyze, canonical
from symopt.analysis.results import _jsonable
from symopt.core.enums import TextEnum
from symopt.core.symbols import as_real, real_symbol, sorted_variables
from symopt.errors import BudgetExceeded, DefinitionError, DimensionError, DomainError

class Convexity(TextEnum):
    """The convexity verdict; `message` says what it promises. A str enum, so it compares equal
    to its JSON text ("strictly convex")."""

    AFFINE = ("affine", "both convex and concave (degree <= 1)")
    STRICTLY_CONVEX = ("strictly convex", "convex, with a proof of strictness")
    CONVEX = ("convex", "convex (proven)")
    STRICTLY_CONCAVE = ("strictly concave", "concave, with a proof of strictness")
    CONCAVE = ("concave", "concave (proven)")
    NEITHER = ("neither", "neither: exact witnesses break Jensen's inequality both ways")
    UNKNOWN = ("unknown", "nothing proven either way")

    @property
    def is_convex(self) -> bool | None:
        """True when proven convex, False when proven not convex, None when unknown."""
        if self in (Convexity.AFFINE, Convexity.STRICTLY_CONVEX, Convexity.CONVEX):
            return True
        return False if self in (Convexity.NEITHER, Convexity.STRICTLY_CONCAVE) else None


VERDICTS = tuple(v.value for v in Convexity)


@dataclass(frozen=True)
class ConvexityResult:
    """verdict (a Convexity), witness (for "neither"; else None) and the reason."""

    verdict: Convexity
    witness: dict | None
    reason: str

    def __post_init__(self):
        object.__setattr__(self, "verdict", Convexity(self.verdict))

    @property
    def is_convex(self) -> bool | None:
        return self.verdict.is_convex

    def to_dict(self) -> dict:
        return {"verdict": self.verdict.value,
                "witness": None if self.witness is None else _jsonable(self.witness),
                "reason": self.reason}

    def __repr__(self) -> str:
        return f"ConvexityResult({self.verdict.value}: {self.reason})"

    def _repr_latex_(self) -> str:
        return rf"$\text{{{self.verdict.value}}}$: {self.reason}"


def convexity(f, variables=None, domain=None, seconds: float | None = None) -> ConvexityResult:
    """Decide whether f is convex / concave on R^n (or on the box `domain`); see the module doc."""
    f, variables = _normalize(f, variables)
    box = _normalize_box(domain)
    if not variables:
        return ConvexityResult("affine", None, "f does not depend on any variable (constant)")
    try:
        with budget("convexity", seconds):
            return _decide(f, variables, box)
    except BudgetExceeded as exc:
        return ConvexityResult("unknown", None,
                               f"the step '{exc.step}' ran out of its time budget ({exc.seconds:g} s)")


def _normalize(f, variables):
    if hasattr(f, "expr") and hasattr(f, "variables"):
        variables = f.variables if variables is None else variables
        f = f.expr
    if isinstance(f, str):
        raise DefinitionError("convexity() takes a SymPy expression or Function; "
                              "parse text first with symopt.parse")
    if isinstance(f, sp.MatrixBase):
        raise DimensionError("convexity is defined for scalar functions, got a matrix")
    f = as_real(sp.sympify(f, strict=True))
    if variables is None:
        variables = sorted_variables(f.free_symbols)
    variables = tuple(real_symbol(v) if isinstance(v, str) else as_real(v) for v in variables)
    return f, variables


def _normalize_box(domain):
    if not domain:
        return {}
    box = {}
    for v, bounds in domain.items():
        v = real_symbol(v) if isinstance(v, str) else as_real(v)
        try:
            lo, hi = bounds
        except (TypeError, ValueError):
            raise DomainError(f"domain of {v} must be a pair (lo, hi), got {bounds!r}") from None
        lo = -sp.oo if lo is None else sp.sympify(lo, strict=True)
        hi = sp.oo if hi is None else sp.sympify(hi, strict=True)
        if not (lo < hi):
            raise DomainError(f"empty domain for {v}: [{lo}, {hi}]")
        box[v] = (lo, hi)
    return box


def _shift(box):
    """v = lo + t (t > 0) or v = hi - t: sign facts the assumption system can use. Keeping only
    one bound is sound (a proof on the larger set holds on the box)."""
    shift, new = {}, {}
    for v, (lo, hi) in box.items():
        # the new symbol is named after what it stands for, so reasons read naturally
        if lo.is_finite:
            t = sp.Symbol(v.name if lo == 0 else f"({v.name} - {lo})", positive=True)
            shift[v], new[v] = lo + t, t
        elif hi.is_finite:
            t = sp.Symbol(f"(-{v.name})" if hi == 0 else f"({hi} - {v.name})", positive=True)
            shift[v], new[v] = hi - t, t
    return shift, new


def _decide(f, variables, box) -> ConvexityResult:
    shift, new = _shift(box)
    g = f.xreplace(shift)
    gvars = tuple(new.get(v, v) for v in variables)
    where = " on the given box" if any(v in box for v in variables) else ""
    fact = analyze(canonical(g), gvars)
    if fact.curvature == AFFINE:
        return ConvexityResult("affine", None, "f is affine in the variables (convex and concave)")
    H = sp.hessian(g, gvars)
    caveat = _domain_caveat(g, gvars)
    if fact.curvature in (CONVEX, CONCAVE):
        sign = 1 if fact.curvature == CONVEX else -1
        strict, why = _strictness(g, gvars, H, sign)
        verdict = ("strictly " if strict else "") + fact.curvature
        return _with_caveat(verdict, f"composition rules{where}: {fact.why}" + why, caveat)
    tried = [f"composition rules: {fact.why}"]
    for sign, name in ((1, "convex"), (-1, "concave")):
        ok, strict, reason = _semidefinite(g, gvars, H, sign)
        if ok:
            verdict = ("strictly " if strict else "") + name
            return _with_caveat(verdict, f"second-order test{where}: {reason}", caveat)
        tried.append(reason)
    witnesses = find_curvature_witnesses(f, variables, sp.hessian(f, variables), box)
    if len(witnesses) == 2:
        a, b = witnesses["not convex"], witnesses["not concave"]
        return ConvexityResult("neither", {"not_convex": a, "not_concave": b},
                               f"not convex: {_jensen_text(a, '>')}; not concave: "
                               f"{_jensen_text(b, '<')} (exact values)")
    partial = next(iter(witnesses.values()), None)
    if partial is not None:
        which = next(iter(witnesses))
        tried.insert(0, f"{which}: {_jensen_text(partial, '>' if which == 'not convex' else '<')}")
    return ConvexityResult("unknown", {k.replace(" ", "_"): w for k, w in witnesses.items()} or None,
                           "; ".join(tried))


def _semidefinite(g, gvars, H, sign):
    if len(gvars) == 1:
        second = H[0, 0]
        form = prove_sign(sign * second, strict=False)
        if form is not None:
            positive = prove_sign(sign * second, strict=True)
            strict = positive is not None or isolated_zeros_1d(second, gvars[0])
            shown = _short(sign * (positive if positive is not None else form))
            rel = (">" if positive is not None else ">=") if sign > 0 else ("<" if positive is not None else "<=")
            return True, strict, (f"f'' = {shown} is provably {rel} 0" + (
                " and vanishes only at isolated points" if strict and positive is None else ""))
        return False, False, f"cannot prove the sign of f'' = {_short(second)}"
    return hessian_semidefinite(H, gvars, sign)


def _strictness(g, gvars, H, sign):
    """Strictness for a DCP-proven curvature: PD Hessian everywhere or separable strict parts."""
    if len(gvars) == 1:
        second = H[0, 0]
        positive = prove_sign(sign * second, strict=True)
        if positive is not None:
            return True, f"; f'' = {_short(sign * positive)} is provably {'>' if sign > 0 else '<'} 0: strict"
        if isolated_zeros_1d(second, gvars[0]):
            return True, f"; f'' = {_short(second)} vanishes only at isolated points: strict"
        return False, ""
    if len(gvars) <= 4 and leading_minors_positive(sign * H):
        return True, "; the leading principal minors of the Hessian are provably " + (
            "> 0" if sign > 0 else "alternating in sign") + " everywhere (Sylvester): strict"
    separable = _separable_strict(g, gvars, sign)
    if separable:
        return True, "; " + separable
    return False, ""


def _separable_strict(g, gvars, sign) -> str:
    """g = sum_v s_v(v) + rest with every s_v strictly convex (concave) in one variable and
    rest convex (concave): then g is strictly convex (concave)."""
    if not g.is_Add:
        return ""
    single = {v: sp.S.Zero for v in gvars}
    rest = []
    for term in g.args:
        used = term.free_symbols & set(gvars)
        if len(used) == 1:
            (v,) = used
            single[v] += term
        else:
            rest.append(term)
    for v, s_v in single.items():
        second = sp.diff(s_v, v, 2)
        if prove_sign(sign * second, strict=False) is None:
            return ""
        if prove_sign(sign * second, strict=True) is None and not isolated_zeros_1d(second, v):
            return ""
    want = CONVEX if sign > 0 else CONCAVE
    if rest and analyze(canonical(sp.Add(*rest)), gvars).curvature not in (want, AFFINE, "constant"):
        return ""
    return ("a sum of strictly " + want + " functions of one variable each (one per variable) "
            "plus a " + want + " rest: strict")


def _short(expr, limit: int = 160) -> str:
    text = str(expr)
    return text if len(text) <= limit else text[:limit] + "..."


def _domain_caveat(g, gvars) -> str:
    """Non-empty when the natural domain of g may be non-convex: log(u) and u^p (0 < p < 1)
    need u concave or provably positive ({u > 0} is then convex); u^p with p < 0 needs u of
    one proven sign (else {u != 0} splits the line)."""
    for node in sp.preorder_traversal(g):
        if isinstance(node, sp.log) or (node.is_Pow and node.exp.is_number and node.exp.is_Rational
                                        and not node.exp.is_Integer and node.exp > 0):
            u = node.args[0] if isinstance(node, sp.log) else node.base
            if not (u.free_symbols & set(gvars)) or prove_sign(u, strict=False) is not None:
                continue
            if analyze(canonical(u), gvars).curvature in (CONCAVE, AFFINE):
                continue
            return f"the domain condition {u} > 0 is not shown to define a convex set"
        if node.is_Pow and node.exp.is_number and node.exp.is_negative:
            u = node.base
            if not (u.free_symbols & set(gvars)):
                continue
            if prove_sign(u, strict=True) is None and prove_sign(-u, strict=True) is None:
                return f"{u} may vanish, so the domain of f need not be convex"
    return ""


def _with_caveat(verdict, reason, caveat) -> ConvexityResult:
    if caveat:
        return ConvexityResult("unknown", None, f"{verdict} on each convex piece of its domain "
                               f"({reason}), but {caveat}")
    return ConvexityResult(verdict, None, reason)


def _jensen_text(w, rel: str) -> str:
    j = w["jensen"]
    head = (f"the Hessian has curvature {w['curvature']} along {w['direction']} at "
            f"{_pt(w['point'])}, and " if w["curvature"] is not None else "")
    return (head + f"f(midpoint) = {j['f(midpoint)']} {rel} (f(a) + f(b))/2 for a = {_pt(j['a'])}, "
            f"b = {_pt(j['b'])}, f(a) = {j['f(a)']}, f(b) = {j['f(b)']}")


def _pt(point) -> str:
    return "(" + ", ".join(f"{v}={x}" for v, x in point.items()) + ")"
