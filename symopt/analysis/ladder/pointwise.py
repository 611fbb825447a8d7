"""Classification helpers shared by the upper rungs (families, transcendental, certified).

- `classify_point`: classify() of the critical-points engineer (imported lazily), with a small
  exact-inertia fallback (Descartes' rule on the characteristic polynomial of the symmetric
  Hessian, exact for real-rooted polynomials; chapter section 4.3.1, the second-derivative test).
- `sign_structure`: a structural proof that an expression is >= 0 or <= 0 everywhere (squares,
  even powers, exp, products and sums of such), used to prove that a family is a global minimum.
- `hessian_inertia`: (positive, negative, zero) eigenvalue counts of an exact symmetric matrix.
"""

from __future__ import annotations

import sympy as sp

from symopt.budget import budget
from symopt.analysis.results import Classification, Kind
from symopt.errors import BudgetExceeded, SymoptError


def exact_sign(value, seconds: float = 2.0) -> int | None:
    """Sign (-1, 0, 1) of a closed real number, decided rigorously, or None."""
    value = sp.sympify(value)
    if value.is_Rational:
        return int(sp.sign(value))
    try:
        from symopt.analysis.exact.intervals import exact_sign as interval_sign
        return interval_sign(value, seconds)
    except Exception:  # the shared helper is missing or failed: decide here instead
        pass
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    try:
        with budget("sign decision", seconds):
            # evalf(strict=True) tracks its error and raises rather than return a wrong digit
            approx = value.evalf(30, strict=True)
            if approx.is_Number and approx != 0:
                return 1 if approx > 0 else -1
            t = sp.Dummy("t")
            if sp.expand(value) == 0 or sp.minimal_polynomial(value, t) == t:
                return 0
    except Exception:
        return None
    return None


def is_zero(expr) -> bool | None:
    """Exact zero test: True / False when decided, None when not."""
    expr = sp.sympify(expr)
    if expr == 0:
        return True
    if expr.is_zero is not None:
        return bool(expr.is_zero)
    if expr.is_number and not expr.has(sp.Symbol):
        sign = exact_sign(expr)  # cheap when nonzero: an enclosure away from 0
        if sign is not None:
            return sign == 0
    try:
        with budget("zero test", 2.0):
            simple = sp.simplify(expr)
    except BudgetExceeded:
        simple = expr
    if simple == 0:
        return True
    if simple.is_zero is not None:
        return bool(simple.is_zero)
    if simple.is_number:
        sign = exact_sign(simple)
        return None if sign is None else sign == 0
    return None


def hessian_inertia(matrix: sp.MatrixBase, seconds: float = 3.0):
    """(n_pos, n_neg, n_zero) of a real symmetric matrix with exact entries, or None.

    The characteristic polynomial of a symmetric matrix has only real roots, so Descartes'
    rule of signs counts its positive roots exactly; its negative roots are those of p(-t)."""
    n = matrix.rows
    try:
        with budget("inertia", seconds):
            coeffs = matrix.charpoly().all_coeffs()
            signs = [exact_sign(sp.nsimplify(c) if c.is_Float else c) for c in coeffs]
    except (BudgetExceeded, SymoptError, sp.PolynomialError):
        return None
    if any(s is None for s in signs):
        return None
    n_zero = 0
    while n_zero < len(signs) and signs[-1 - n_zero] == 0:
        n_zero += 1
    core = signs[: len(signs) - n_zero]

    def changes(seq):
        seq = [s for s in seq if s != 0]
        return sum(1 for a, b in zip(seq, seq[1:]) if a != b)
    n_pos = changes(core)
    degree = len(core) - 1
    n_neg = changes([s * (-1) ** (degree - i) for i, s in enumerate(core)])
    if n_pos + n_neg + n_zero != n:
        return None
    return n_pos, n_neg, n_zero


def classify_point(f, variables, point: dict, hessian=None) -> Classification:
    """Classify one critical point: classify() when it exists, else exact inertia."""
    try:
        from symopt.analysis.classify.second_derivative import classify
    except ImportError:
        classify = None
    if classify is not None:
        try:
            return classify(f, variables, point, hessian=hessian)
        except Exception:  # noqa: BLE001 - a failure there must not lose the point: decide here
            pass
    return _fallback_classify(f, variables, point, hessian)


def _fallback_classify(f, variables, point, hessian) -> Classification:
    if hessian is None:
        hessian = sp.hessian(f, variables)
    at = sp.ImmutableMatrix(hessian).subs(point)
    value = f.subs(point)
    if any(e.has(sp.Float) for e in at):
        return Classification(Kind.INCONCLUSIVE, None, False, method="numeric", value=value,
                              reason="numeric point: the fallback classifier decides exact points only")
    inertia = hessian_inertia(at)
    if inertia is None:
        return Classification(Kind.INCONCLUSIVE, None, False, value=value,
                              reason="could not decide the signs of the Hessian's eigenvalues")
    pos, neg, zero = inertia
    if pos and neg:
        return Classification(Kind.SADDLE, None, zero > 0, value=value,
                              reason=f"Hessian indefinite ({pos} positive, {neg} negative eigenvalues)")
    if zero == 0:
        kind = Kind.MINIMUM if neg == 0 else Kind.MAXIMUM
        return Classification(kind, True, False, value=value,
                              reason="Hessian definite (second-derivative test)")
    return Classification(Kind.INCONCLUSIVE, None, True, value=value,
                          reason="singular semidefinite Hessian: second-derivative test inconclusive")


# -- structural sign proofs -----------------------------------------------------------------

def sign_structure(expr) -> int | None:
    """+1 if expr >= 0 for all real values of its symbols (proved from its structure),
    -1 if expr <= 0, 0 if it is identically 0, None if no proof is found."""
    s = _sign(expr)
    if s is None:
        try:
            with budget("sign structure (factor)", 2.0):
                factored = sp.factor(expr)
            if factored != expr:
                s = _sign(factored)
        except (BudgetExceeded, sp.PolynomialError):
            pass
    if s is None:
        s = _even_polynomial_sign(expr)
    return s


def _sign(e) -> int | None:
    if e.is_number:
        sgn = exact_sign(e)
        return sgn
    if e.is_nonnegative:
        return 1
    if e.is_nonpositive:
        return -1
    if e.is_Pow:
        base, ex = e.args
        if ex.is_Integer and int(ex) % 2 == 0:
            return 1
        b = _sign(base)
        if ex.is_Integer and b is not None:
            return b if int(ex) > 0 or b != 0 else None
        if b == 1:
            return 1
        return None
    if isinstance(e, (sp.exp, sp.Abs)):
        return 1
    if e.is_Mul:
        total = 1
        for a in e.args:
            s = _sign(a)
            if s is None:
                return None
            total *= s
        return total
    if e.is_Add:
        signs = {_sign(a) for a in e.args}
        signs.discard(0)
        if None in signs or len(signs) > 1:
            return None
        return signs.pop() if signs else 0
    return None


def _even_polynomial_sign(e) -> int | None:
    """A polynomial whose terms are all c * (even monomial) with c of one sign."""
    free = sorted(e.free_symbols, key=str)
    if not free:
        return None
    try:
        poly = sp.Poly(sp.expand(e), *free)
    except sp.PolynomialError:
        return None
    signs = set()
    for monom, coeff in poly.terms():
        if any(k % 2 for k in monom):
            return None
        signs.add(exact_sign(coeff))
    if None in signs or len(signs) != 1:
        return None
    return signs.pop()
