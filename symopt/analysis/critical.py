"""critical_points: climb the ladder of methods until one proves an answer.

Rungs, in order (ladder.py): polynomial (exact: Groebner basis, radical, shape lemma, exact real
roots; complete by a count of the quotient algebra) -> families (positive-dimensional sets) ->
transcendental (exact periodic lattices) -> certified (interval methods in a box). The first rung
that answers ends the climb; every rung's note is kept in `CriticalSet.method_trail`. Without an
answer the result lists nothing and says `complete=False`, with the trail explaining why.
"""

from __future__ import annotations

import dataclasses

import sympy as sp

from symopt import budget as budget_module
from symopt.budget import budget
from symopt.analysis.exact.signs import exact_sign
from symopt.analysis.ladder.protocol import GradientSystem
from symopt.analysis.results import CriticalSet
from symopt.core.symbols import as_real, exact_value, real_symbol, sorted_variables, floats_as_rationals
from symopt.errors import BudgetExceeded, DefinitionError, DimensionError, SymoptError


def default_rungs() -> list:
    from symopt.analysis.ladder.certified.rung import CertifiedRung
    from symopt.analysis.ladder.families.rung import FamiliesRung
    from symopt.analysis.ladder.polynomial.rung import PolynomialRung
    from symopt.analysis.ladder.transcendental.rung import TranscendentalRung
    return [PolynomialRung(), FamiliesRung(), TranscendentalRung(), CertifiedRung()]


def _scalar(f):
    from symopt.core.objects import Function
    variables = None
    if isinstance(f, Function):
        f, variables = f.expr, f.variables
    if isinstance(f, str):
        raise DefinitionError("critical_points got text; parse it first (symopt.parse)")
    if isinstance(f, sp.MatrixBase):
        if f.shape != (1, 1):
            raise DimensionError(f"critical points need a scalar function, got a {f.shape[0]}x"
                                 f"{f.shape[1]} matrix (vector-valued)")
        f = f[0, 0]
    try:
        f = sp.sympify(f, strict=True)
    except (sp.SympifyError, TypeError):
        raise DefinitionError(f"not a SymPy expression: {f!r}") from None
    if not isinstance(f, sp.Expr):
        raise DefinitionError(f"critical points need a scalar expression, got {type(f).__name__}")
    return as_real(f), variables


def _variable(v):
    """A real symbol from a Symbol or a name (names are not parsed: they must be identifiers)."""
    if isinstance(v, str):
        if not v.isidentifier():
            raise DefinitionError(f"not a variable name: {v!r}")
        return real_symbol(v)
    if not isinstance(v, sp.Symbol):
        raise DefinitionError(f"variables must be symbols, got {v!r}")
    return as_real(v)


def _box(box, variables):
    if box is None:
        return None
    by_name = {v.name: v for v in variables}
    out = {}
    for key, bounds in box.items():
        name = getattr(key, "name", str(key))
        if name not in by_name:
            raise DefinitionError(f"the box bounds {name}, which is not a variable")
        lo, hi = (_bound(b) for b in bounds)
        if lo.free_symbols or hi.free_symbols:
            raise DefinitionError("box bounds must be numbers")
        if lo is sp.oo or hi is -sp.oo or (lo.is_finite and hi.is_finite and exact_sign(hi - lo) == -1):
            raise DefinitionError(f"empty box: {name} from {lo} to {hi}")
        out[by_name[name]] = (lo, hi)
    return out


def _bound(b):
    return exact_value(b, "box bound")


def _derivatives(f, variables, seconds):
    with budget("differentiation", seconds):
        try:
            from symopt.core.calculus import gradient, hessian
            g = tuple(gradient(f, variables))
            H = sp.ImmutableMatrix(hessian(f, variables))
        except ImportError:  # pragma: no cover - calculus lands concurrently
            g = tuple(sp.diff(f, v) for v in variables)
            H = sp.ImmutableMatrix(sp.hessian(f, variables))
    return g, H


def _filter_box(answer: CriticalSet, box) -> CriticalSet:
    """Drop points outside the box (decided exactly); undecided ones stay, completeness drops."""
    if not box:
        return answer
    kept, undecided = [], False
    for p in answer.points:
        inside = True
        for v, (lo, hi) in box.items():
            x = p.point.get(v)
            signs = [exact_sign(x - lo) if lo != -sp.oo else 1, exact_sign(hi - x) if hi != sp.oo else 1]
            if -1 in signs:
                inside = False
            elif None in signs:
                undecided = True
        if inside:
            kept.append(p)
    notes = answer.notes + (("a point's membership in the box is undecided",) if undecided else ())
    return dataclasses.replace(answer, points=tuple(kept), box=box, notes=notes,
                               complete=answer.complete and not undecided)


def critical_points(f, variables=None, box=None, seconds=None) -> CriticalSet:
    """All real critical points (grad f = 0, eq. 4.13's first-order condition) of a scalar f.

    f: SymPy expression (or symopt Function); variables: default the free symbols in natural
    order; box: {variable: (lo, hi)} exact bounds; seconds: budget per symbolic step.
    `complete` is True only when the listed points and families are proven to be all of them
    (in the box, when one is given)."""
    f, declared = _scalar(f)
    float_note = ()
    if f.atoms(sp.Float):
        f = floats_as_rationals(f)
        float_note = ("float coefficients were read as the exact decimals they print as",)
    if variables is None:
        variables = declared if declared is not None else sorted_variables(f.free_symbols)
    variables = tuple(_variable(v) for v in variables)
    seconds = budget_module.DEFAULT_SECONDS if seconds is None else float(seconds)
    box = _box(box, variables)
    empty = sp.ImmutableMatrix(0, 0, [])
    if not variables:
        return CriticalSet(f, (), (), empty, complete=False, box=box,
                           method_trail=("no variables",),
                           notes=("f has no variables (a constant): there is nothing to solve",))
    parameters = f.free_symbols - set(variables)
    try:
        gradient, hessian = _derivatives(f, variables, seconds)
    except BudgetExceeded as exc:
        return CriticalSet(f, variables, (), None, box=box,
                           method_trail=(f"budget exceeded in {exc.step}",))
    if parameters:
        from symopt.analysis.parametric.cases import parametric_critical_points
        answer = parametric_critical_points(f, variables, parameters, gradient, hessian, seconds, box)
        return dataclasses.replace(answer, notes=float_note + tuple(answer.notes))
    if any(g.has(sp.Derivative, sp.Subs) for g in gradient):
        return CriticalSet(f, variables, gradient, hessian, box=box,
                           method_trail=("not differentiable symbolically",),
                           notes=("the gradient contains unevaluated derivatives",))
    system = GradientSystem(f, variables, gradient, hessian, box, seconds)
    trail = []
    for rung in default_rungs():
        name = getattr(rung, "name", type(rung).__name__)
        try:
            outcome = rung.attempt(system)
        except BudgetExceeded as exc:
            trail.append(f"{name}: budget exceeded in {exc.step}")
            continue
        except SymoptError as exc:
            trail.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        except Exception as exc:  # a defect in one rung must not hide what the others can do
            trail.append(f"{name}: failed ({type(exc).__name__}: {exc})")
            continue
        note = outcome.note or f"{name}: {'answered' if outcome.answer else 'passed'}"
        trail.append(note)
        system = dataclasses.replace(system, notes=system.notes + (note,))
        if outcome.answer is not None:
            answer = outcome.answer
            if name != "polynomial":
                answer = _filter_box(answer, box)
            if any(p.method != "exact" for p in answer.points):
                from symopt.analysis.ladder.snapping import snap_points
                answer = snap_points(answer, min(seconds, 2.0))
            return dataclasses.replace(answer, method_trail=tuple(trail),
                                       notes=float_note + tuple(answer.notes))
    return CriticalSet(f, variables, gradient, hessian, complete=False, box=box,
                       method_trail=tuple(trail),
                       notes=float_note + ("no method found the critical points",))
