"""Disciplined-convex-programming facts: curvature per node, combined by one composition rule.

The table `ATOMS` maps a function class to its fact (curvature, monotonicity, sign of the value,
domain); `power_fact` does the same for x^p by the exponent and the base's sign. `analyze(expr,
variables)` computes a `Fact` for every node bottom-up:

* constants: curvature "constant"; polynomials of degree <= 1 in the variables: "affine";
  quadratics with constant Hessian: convex/concave by its exact inertia;
* sums: convex if every term is convex or affine (concave likewise); c * g flips with sign(c);
* composition h(g_1, ..., g_k) (the one rule): convex if h is convex and each g_i is affine, or
  convex with h nondecreasing in that argument, or concave with h nonincreasing in it; concave
  symmetrically (Boyd & Vandenberghe, section 3.2.4).

Before the analysis, `canonical` rewrites known convex compositions into their atoms:
log(sigmoid(u)) = -softplus(-u), log(1 - sigmoid(u)) = -softplus(u), log(1 + exp(u)) = softplus(u),
log(exp(u_1) + ... + exp(u_k)) = logsumexp(u_1, ..., u_k), log(1/g) = -log(g) for g > 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symopt.budget import check
from symopt.analysis.exact.signs import exact_sign
from symopt.core.functions import logsumexp, sigmoid, softplus

CONVEX, CONCAVE, AFFINE, CONSTANT, UNKNOWN = "convex", "concave", "affine", "constant", "unknown"


@dataclass(frozen=True)
class Fact:
    """curvature: constant/affine/convex/concave/unknown; sign: +1 (>= 0), -1 (<= 0), None;
    why: how the curvature follows."""

    curvature: str
    sign: int | None
    why: str


@dataclass(frozen=True)
class Atom:
    """A function's facts. monotone: "increasing", "decreasing", "by-sign" (increasing where the
    argument is >= 0, decreasing where <= 0) or None; sign of its value; domain note."""

    curvature: str
    monotone: str | None
    sign: int | None
    domain: str = "R"


ATOMS = {
    sp.exp: Atom(CONVEX, "increasing", 1),
    sp.log: Atom(CONCAVE, "increasing", None, "x > 0"),
    softplus: Atom(CONVEX, "increasing", 1),
    logsumexp: Atom(CONVEX, "increasing", None),
    sp.Abs: Atom(CONVEX, "by-sign", 1),
    sp.cosh: Atom(CONVEX, "by-sign", 1),
    sp.Max: Atom(CONVEX, "increasing", None),
    sp.Min: Atom(CONCAVE, "increasing", None),
    sigmoid: Atom(UNKNOWN, "increasing", 1),
    sp.atan: Atom(UNKNOWN, "increasing", None),
    sp.tanh: Atom(UNKNOWN, "increasing", None),
}


def power_fact(p, base_sign: int | None) -> Atom | None:
    """x^p as an atom, by the exponent p (a number) and the sign of the base."""
    if p.is_Integer and p >= 2 and p % 2 == 0:
        return Atom(CONVEX, "by-sign", 1)
    if p.is_Integer and p >= 3:
        if base_sign == 1:
            return Atom(CONVEX, "increasing", 1, "x >= 0")
        if base_sign == -1:
            return Atom(CONCAVE, "increasing", -1, "x <= 0")
        return None
    if p > 1:
        return Atom(CONVEX, "increasing", 1, "x >= 0")
    if 0 < p < 1:
        return Atom(CONCAVE, "increasing", 1, "x >= 0")
    if p < 0:
        if base_sign == 1:
            return Atom(CONVEX, "decreasing", 1, "x > 0")
        if base_sign == -1 and p.is_Integer:
            if p % 2 == 0:
                return Atom(CONVEX, "increasing", 1, "x < 0")
            return Atom(CONCAVE, "decreasing", -1, "x < 0")
    return None


def canonical(expr):
    """Rewrite known convex compositions into atoms (see the module doc)."""
    def fix_log(arg):
        arg = canonical(arg)
        if isinstance(arg, sigmoid):
            return -softplus(-arg.args[0])
        if arg.is_Add and len(arg.args) == 2 and 1 in arg.args:
            other = arg.args[0] if arg.args[1] == 1 else arg.args[1]
            if other.is_Mul and other.args[0] == -1 and isinstance(other.args[1], sigmoid) \
                    and len(other.args) == 2:
                return -softplus(other.args[1].args[0])
            if isinstance(other, sp.exp):
                return softplus(other.args[0])
        if arg.is_Add and all(isinstance(t, sp.exp) or (t.is_Number and t > 0) for t in arg.args) \
                and any(isinstance(t, sp.exp) for t in arg.args):
            parts = [t.args[0] if isinstance(t, sp.exp) else sp.log(t) for t in arg.args]
            return logsumexp(*parts)
        if arg.is_Pow and arg.exp == -1 and arg.base.is_positive:
            return -fix_log(arg.base)
        if arg.is_Mul and arg.is_positive and all(f.is_positive for f in arg.args):
            return sp.Add(*[fix_log(f) for f in arg.args])
        return sp.log(arg)

    if isinstance(expr, sp.log):
        return fix_log(expr.args[0])
    if expr.args:
        return expr.func(*[canonical(a) for a in expr.args])
    return expr


def node_sign(expr) -> int | None:
    """+1 if provably >= 0, -1 if provably <= 0, else None (SymPy's assumption system)."""
    if not expr.free_symbols:
        s = exact_sign(expr)
        return None if s is None else (1 if s >= 0 else -1)
    if expr.is_nonnegative:
        return 1
    if expr.is_nonpositive:
        return -1
    return None


def analyze(expr, variables) -> Fact:
    """The curvature Fact of `expr` as a function of `variables` (see the module doc)."""
    check()
    variables = tuple(variables)
    if not (expr.free_symbols & set(variables)):
        return Fact(CONSTANT, node_sign(expr), "constant")
    if expr.is_polynomial(*variables):
        degree = sp.Poly(expr, *variables).total_degree()
        if degree <= 1:
            return Fact(AFFINE, node_sign(expr), "affine")
        if degree == 2:
            fact = _quadratic(expr, variables)
            if fact is not None:
                return fact
    if expr.is_Add:
        facts = [analyze(t, variables) for t in expr.args]
        return _sum(facts, node_sign(expr))
    if expr.is_Mul:
        const = [a for a in expr.args if not (a.free_symbols & set(variables))]
        rest = [a for a in expr.args if a.free_symbols & set(variables)]
        if len(rest) == 1:
            c = sp.Mul(*const)
            inner = analyze(rest[0], variables)
            return _scale(c, inner, node_sign(expr))
        return Fact(UNKNOWN, node_sign(expr), f"product of non-constant factors {expr}")
    if expr.is_Pow and not (expr.exp.free_symbols & set(variables)) and expr.exp.is_number:
        base_fact = analyze(expr.base, variables)
        norm = _euclidean_norm(expr, variables)
        if norm is not None:
            return norm
        atom = power_fact(expr.exp, base_fact.sign)
        if atom is None:
            return Fact(UNKNOWN, node_sign(expr), f"no rule for {expr}")
        return _compose(atom, f"(.)^{expr.exp}", [base_fact], [expr.base], node_sign(expr))
    atom = ATOMS.get(expr.func)
    if atom is None:
        return Fact(UNKNOWN, node_sign(expr), f"no curvature rule for {expr.func}")
    facts = [analyze(a, variables) for a in expr.args]
    return _compose(atom, str(expr.func), facts, expr.args, node_sign(expr))


def _quadratic(expr, variables) -> Fact | None:
    from symopt.analysis.exact.signs import Undecided
    from symopt.analysis.classify.degenerate.taylor import lagrange_directions
    H = sp.hessian(expr, variables)
    if any(e.free_symbols & set(variables) for e in H):
        return None
    try:
        signs = {s for _, _, s in lagrange_directions(sp.ImmutableMatrix(H))}
    except Undecided:
        return None
    if -1 not in signs:
        return Fact(CONVEX, node_sign(expr), "quadratic with positive semidefinite Hessian "
                    "(exact Lagrange reduction)")
    if 1 not in signs:
        return Fact(CONCAVE, node_sign(expr), "quadratic with negative semidefinite Hessian "
                    "(exact Lagrange reduction)")
    return Fact(UNKNOWN, node_sign(expr), "quadratic with indefinite Hessian")


def _euclidean_norm(expr, variables) -> Fact | None:
    """sqrt(sum of c_i * affine_i^2 + c_0), c_i > 0, c_0 >= 0: a Euclidean norm of affine maps."""
    if expr.exp != sp.Rational(1, 2) or not expr.base.is_Add:
        return None
    for term in expr.base.args:
        coeff, rest = term.as_independent(*variables)
        if exact_sign(coeff) is None or exact_sign(coeff) < 0:
            return None
        if rest == 1:
            continue
        if not (rest.is_Pow and rest.exp == 2 and rest.base.is_polynomial(*variables)
                and sp.Poly(rest.base, *variables).total_degree() <= 1):
            return None
    return Fact(CONVEX, 1, "Euclidean norm of an affine map (sqrt of a sum of squares)")


def _sum(facts, sign) -> Fact:
    kinds = {f.curvature for f in facts}
    parts = "; ".join(f.why for f in facts if f.curvature not in (CONSTANT, AFFINE))
    if kinds <= {CONSTANT, AFFINE}:
        return Fact(AFFINE, sign, "sum of affine terms")
    if kinds <= {CONSTANT, AFFINE, CONVEX}:
        return Fact(CONVEX, sign, f"sum of convex terms [{parts}]")
    if kinds <= {CONSTANT, AFFINE, CONCAVE}:
        return Fact(CONCAVE, sign, f"sum of concave terms [{parts}]")
    return Fact(UNKNOWN, sign, f"sum mixing curvatures [{parts}]")


def _scale(c, inner: Fact, sign) -> Fact:
    s = exact_sign(c) if not c.free_symbols else node_sign(c)
    if inner.curvature in (CONSTANT, AFFINE):
        return Fact(inner.curvature, sign, inner.why)
    if s is None or s == 0:
        return Fact(UNKNOWN if s is None else CONSTANT, sign,
                    f"the sign of the factor {c} is unknown" if s is None else "zero multiple")
    if s > 0:
        return Fact(inner.curvature, sign, f"positive multiple of: {inner.why}")
    flipped = {CONVEX: CONCAVE, CONCAVE: CONVEX}.get(inner.curvature, UNKNOWN)
    return Fact(flipped, sign, f"negative multiple of: {inner.why}")


def _compose(atom: Atom, name: str, facts, args, sign) -> Fact:
    """The composition rule for h(g_1, ..., g_k)."""
    if atom.curvature not in (CONVEX, CONCAVE):
        return Fact(UNKNOWN, sign, f"{name} has no fixed curvature")
    want, other = (CONVEX, CONCAVE) if atom.curvature == CONVEX else (CONCAVE, CONVEX)
    for fact, arg in zip(facts, args):
        if fact.curvature in (CONSTANT, AFFINE):
            continue
        mono = atom.monotone
        if mono == "by-sign":
            mono = {1: "increasing", -1: "decreasing"}.get(fact.sign)
        ok = (mono == "increasing" and fact.curvature == want) or \
             (mono == "decreasing" and fact.curvature == other)
        if not ok:
            return Fact(UNKNOWN, sign, f"{name} of {arg}: composition rule does not apply")
    inner = "; ".join(f.why for f in facts if f.curvature not in (CONSTANT, AFFINE))
    if not inner:
        return Fact(atom.curvature, sign, f"{name} is {atom.curvature}, composed with an affine map")
    return Fact(atom.curvature, sign, f"{name} is {atom.curvature} and monotone the right way "
                f"(composition rule) of [{inner}]")
