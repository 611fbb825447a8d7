"""Stabilizing rewrite rules, kept as data (section 4.1 of the chapter: overflow, underflow,
softmax with the max shift, log softmax computed directly; plus classic cancellation fixes).

Each `Rule` is a frozen object: a `match` predicate on one SymPy node returning the data the
replacement needs (or None), a `replace` building the stable form, the `domain` where the
rewrite is an identity, and a one-line `doc`. Rules whose stable form is a runtime helper
(sigmoid, softplus, logsumexp, x log x) name it in `helper`; their tree rewrite is the identity
and the printer emits the helper. `symopt.codegen.stabilize` applies the table in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import sympy as sp
from sympy.codegen.cfunctions import expm1, hypot, log1p

from symopt.codegen.nodes import log_softmax_term, softmax_term, xlogx
from symopt.core.functions import logsumexp, sigmoid, softplus


@dataclass(frozen=True)
class Rule:
    name: str
    doc: str
    domain: str
    match: Callable[[sp.Basic], Any]
    replace: Callable[[sp.Basic, Any], sp.Basic]
    helper: str | None = None

    def __repr__(self) -> str:
        return f"Rule({self.name}: {self.doc})"

    def apply(self, node: sp.Basic) -> sp.Basic | None:
        """The stable form of `node`, or None when the rule does not match."""
        data = self.match(node)
        if data is None:
            return None
        return self.replace(node, data)


# -- matching helpers ------------------------------------------------------------------------

def exp_sum_terms(expr):
    """If expr = sum_k c_k exp(a_k) (+ c_0) with positive numbers c, the exponents
    [a_k + log c_k] (a constant c_0 gives log c_0); else None. Needs >= 2 terms, >= 1 exp."""
    if not isinstance(expr, sp.Add):
        return None
    exponents, seen_exp = [], False
    for term in expr.args:
        coeff, rest = term.as_coeff_Mul()
        if not (coeff.is_Number and coeff.is_positive):
            return None
        if rest == 1:
            exponents.append(sp.log(coeff))
        elif isinstance(rest, sp.exp):
            seen_exp = True
            exponents.append(rest.args[0] + sp.log(coeff))
        else:
            return None
    return exponents if seen_exp else None


def log_of_exp_sum(exponents):
    """log(sum exp(a_k)) as a stable node: softplus for log(1 + exp(a)), else logsumexp."""
    if len(exponents) == 2 and sp.S.Zero in exponents:
        other = exponents[1] if exponents[0] == 0 else exponents[0]
        return softplus(other)
    return logsumexp(*exponents)


def _constant_and_rest(add, constant):
    """If the Add has the numeric term `constant`, the sum of its other terms; else None."""
    if not isinstance(add, sp.Add) or constant not in add.args:
        return None
    rest = list(add.args)
    rest.remove(constant)
    return sp.Add(*rest)


# -- the rules: match / replace pairs --------------------------------------------------------

def _match_log_exp_sum(node):
    if isinstance(node, sp.log):
        return exp_sum_terms(node.args[0])


def _match_exp_ratio(node):
    """Products with a factor (sum of exps)^(-k): softmax exp(a)/sum exp, sigmoid, etc."""
    if not isinstance(node, (sp.Mul, sp.Pow)):
        return None
    factors = sp.Mul.make_args(node)
    found = False
    for f in factors:
        if isinstance(f, sp.Pow) and f.exp.is_Number and f.exp.is_negative:
            if exp_sum_terms(f.base) is not None:
                found = True
    return factors if found else None


def _replace_exp_ratio(node, factors):
    exponent, others, numerators = sp.S.Zero, [], []
    for f in factors:
        if isinstance(f, sp.Pow) and f.exp.is_Number and f.exp.is_negative:
            exponents = exp_sum_terms(f.base)
            if exponents is not None:
                exponent += f.exp * log_of_exp_sum(exponents)
                continue
        if isinstance(f, sp.exp):
            exponent += f.args[0]
        elif isinstance(f, sp.Add) and not numerators and _signed_exp_terms(f) is not None:
            numerators = _signed_exp_terms(f)
        else:
            others.append(f)
    # 1/(1+exp(-a)) and exp(a)/(1+exp(a)) are sigmoid(a): fold exp(b - softplus(a)) forms.
    if not numerators:
        return sp.Mul(*others) * _exp_minus_softplus(exponent)
    # (sum_j c_j exp(b_j)) / sum_k exp(a_k): distribute, each term is a softmax weight.
    return sp.Mul(*others) * sp.Add(*[c * sp.exp(b + exponent) for c, b in numerators])


def _exp_minus_softplus(exponent):
    """exp(b - softplus(a)) is sigmoid(-a) when b = 0 and sigmoid(a) when b = a."""
    sps = [t for t in sp.Add.make_args(exponent) if isinstance(t, sp.Mul)
           and len(t.args) == 2 and t.args[0] == -1 and isinstance(t.args[1], softplus)]
    if len(sps) == 1:
        a = sps[0].args[1].args[0]
        rest = sp.expand(exponent - sps[0])
        if rest == 0:
            return sigmoid(-a)
        if sp.expand(rest - a) == 0:
            return sigmoid(a)
    return sp.exp(exponent)


def _signed_exp_terms(add):
    """sum_j c_j exp(b_j) with numeric c_j of any sign -> [(c_j, b_j)], else None."""
    out = []
    for term in add.args:
        coeff, rest = term.as_coeff_Mul()
        if not coeff.is_Number or not isinstance(rest, sp.exp):
            return None
        out.append((coeff, rest.args[0]))
    return out


def _match_exp_minus_logsumexp(node):
    """exp(b - logsumexp(a)): the softmax weight (what d logsumexp / dx_i gives)."""
    if isinstance(node, sp.exp):
        terms = sp.Add.make_args(node.args[0])
        lses = [t for t in terms if isinstance(t, sp.Mul) and len(t.args) == 2
                and t.args[0].is_Integer and t.args[0] < 0 and isinstance(t.args[1], logsumexp)]
        if len(lses) == 1:
            k, lse = -int(lses[0].args[0]), lses[0].args[1]
            return (sp.Add(*[t for t in terms if t is not lses[0]]), lse.args, k)


def _replace_exp_minus_logsumexp(node, data):
    """exp(u - k logsumexp(a)) = softmax_term(u/k, a)^k."""
    u, a, k = data
    return softmax_term(u / k, *a) ** k


def _match_log_softmax(node):
    if isinstance(node, sp.log) and isinstance(node.args[0], softmax_term):
        return node.args[0].args


def _match_minus_logsumexp(node):
    """a_i - logsumexp(a): log_softmax(a)_i as written by symopt.core.functions."""
    if isinstance(node, sp.Add):
        lses = [t for t in node.args if isinstance(-t, logsumexp)]
        if len(lses) == 1:
            rest = node - lses[0]
            if rest in (-lses[0]).args:
                return (rest, *(-lses[0]).args)


def _match_p_minus_p_squared(node):
    """s - s^2 for a probability s (softmax weight or sigmoid): what the Hessian of a
    logsumexp gives on its diagonal."""
    if isinstance(node, sp.Add):
        for t in node.args:
            if isinstance(t, (softmax_term, sigmoid)):
                coeff = node.coeff(t**2)
                if coeff == -1:
                    return t


def _replace_p_minus_p_squared(node, s):
    return node - s + s**2 + s * (1 - s)


def _match_one_minus_softmax(node):
    """1 - softmax_term(a_i; a) = sum_{j != i} softmax_term(a_j; a): no cancellation when
    softmax_term(a_i; a) is close to 1."""
    if isinstance(node, sp.Add) and sp.S.One in node.args:
        for t in node.args:
            if isinstance(-t, softmax_term):
                b, *a = (-t).args
                if b in a:
                    return (t, b, a)


def _replace_one_minus_softmax(node, data):
    t, b, a = data
    rest = list(a)
    rest.remove(b)
    return node - 1 - t + sp.Add(*[softmax_term(r, *a) for r in rest])


def _match_log_exp(node):
    if isinstance(node, sp.log):
        coeff, rest = node.args[0].as_coeff_Mul()
        if isinstance(rest, sp.exp) and coeff.is_Number and coeff.is_positive:
            return (coeff, rest.args[0])


def _match_log_sigmoid(node):
    if isinstance(node, sp.log) and isinstance(node.args[0], sigmoid):
        return node.args[0].args[0]


def _match_log_one_minus_sigmoid(node):
    if isinstance(node, sp.log):
        rest = _constant_and_rest(node.args[0], sp.S.One)
        if rest is not None and isinstance(-rest, sigmoid):
            return (-rest).args[0]


def _match_one_minus_sigmoid(node):
    if isinstance(node, sp.Add) and sp.S.One in node.args:
        for t in node.args:
            if isinstance(t, sp.Mul) and len(t.args) == 2 and t.args[0] == -1 \
                    and isinstance(t.args[1], sigmoid):
                return t


def _replace_one_minus_sigmoid(node, term):
    return node - 1 - term + sigmoid(-term.args[1].args[0])


def _match_log1p(node):
    if isinstance(node, sp.log):
        return _constant_and_rest(node.args[0], sp.S.One)


def _match_expm1(node):
    if isinstance(node, sp.Add):
        for constant, sign in ((sp.S.NegativeOne, 1), (sp.S.One, -1)):
            if constant in node.args:
                for t in node.args:
                    if isinstance(sign * t, sp.exp):
                        return (constant, t, sign)


def _replace_expm1(node, data):
    constant, term, sign = data
    return node - constant - term + sign * expm1((sign * term).args[0])


def _sum_of_squares(expr):
    """If expr = sum_k c_k b_k^(2m_k) with positive numbers c_k, the roots sqrt(c_k) b_k^m_k."""
    if not isinstance(expr, sp.Add):
        return None
    roots = []
    for term in expr.args:
        coeff, rest = term.as_coeff_Mul()
        if not (coeff.is_Number and coeff.is_positive and isinstance(rest, sp.Pow)
                and rest.exp.is_Integer and rest.exp.is_even and rest.exp.is_positive):
            return None
        roots.append(sp.sqrt(coeff) * rest.base ** (rest.exp / 2))
    return roots


def _match_hypot(node):
    if isinstance(node, sp.Pow) and node.exp.is_Rational and node.exp.q == 2:
        roots = _sum_of_squares(node.base)
        if roots is not None:
            return roots


def _replace_hypot(node, roots):
    h = hypot(roots[0], roots[1])
    for r in roots[2:]:
        h = hypot(h, r)
    return h ** (2 * node.exp)


def _match_xlogx(node):
    if isinstance(node, sp.Mul):
        for f in node.args:
            if isinstance(f, sp.log) and f.args[0] in node.args:
                return f


def _replace_xlogx(node, log_factor):
    u = log_factor.args[0]
    return node / (u * log_factor) * xlogx(u)


def _match_one_minus_cos(node):
    if isinstance(node, sp.Add):
        for t in node.args:
            coeff, rest = t.as_coeff_Mul()
            if isinstance(rest, sp.cos) and coeff.is_Number and -coeff in node.args:
                return (t, coeff, rest.args[0])


def _replace_one_minus_cos(node, data):
    term, coeff, a = data
    # c - c cos a = 2c sin(a/2)^2
    return node - term + coeff + (-coeff) * 2 * sp.sin(a / 2) ** 2


def _match_sqrt1p_minus_1(node):
    if isinstance(node, sp.Add) and sp.S.NegativeOne in node.args:
        for t in node.args:
            if isinstance(t, sp.Pow) and t.exp == sp.S.Half:
                rest = _constant_and_rest(t.base, sp.S.One)
                if rest is not None:
                    return (t, rest)


def _replace_sqrt1p_minus_1(node, data):
    term, a = data
    return node + 1 - term + a / (term + 1)


def _match_tanh(node):
    """(exp(a) - exp(-a)) / (exp(a) + exp(-a)) written out."""
    if isinstance(node, sp.Mul) and len(node.args) == 2:
        num, den = node.args
        if isinstance(num, sp.Pow):
            num, den = den, num
        if isinstance(den, sp.Pow) and den.exp == -1 and isinstance(num, sp.Add):
            for a in [t.args[0] for t in num.args if isinstance(t, sp.exp)]:
                if sp.expand(num - (sp.exp(a) - sp.exp(-a))) == 0 and \
                        sp.expand(den.base - (sp.exp(a) + sp.exp(-a))) == 0:
                    return a


def _is(cls):
    return lambda node: True if isinstance(node, cls) else None


def _identity(node, data):
    return node


RULES: tuple[Rule, ...] = (
    Rule("log_exp", "log(c exp(a)) -> a + log c: never form exp(a)", "c > 0",
         _match_log_exp, lambda n, d: d[1] + sp.log(d[0])),
    Rule("logsumexp_written", "log(sum exp(a_k)) -> logsumexp(a) with the max shift "
         "(log(1 + exp(a)) -> softplus(a))", "all real a_k",
         _match_log_exp_sum, lambda n, d: log_of_exp_sum(d)),
    Rule("tanh_written", "(exp(a) - exp(-a))/(exp(a) + exp(-a)) -> tanh(a)", "all real a",
         _match_tanh, lambda n, a: sp.tanh(a)),
    Rule("softmax_written", "exp(b)/sum_k exp(a_k) -> exp(b - logsumexp(a)) (softmax with the "
         "max shift; 1/(1+exp(-a)) -> sigmoid(a))", "all real a_k, b",
         _match_exp_ratio, _replace_exp_ratio),
    Rule("softmax_max_shift", "exp(b - logsumexp(a)) -> exp(b - m)/sum exp(a_j - m), "
         "m = max a_j (full relative accuracy for large a)", "all real a_j, b",
         _match_exp_minus_logsumexp, _replace_exp_minus_logsumexp,
         helper="_softmax_term"),
    Rule("log_softmax", "log(softmax) -> b - logsumexp(a), computed directly (section 4.1): "
         "never log of an underflowed 0", "all real a_j, b",
         _match_log_softmax, lambda n, d: log_softmax_term(*d), helper="_log_softmax_term"),
    Rule("log_softmax_written", "a_i - logsumexp(a) -> log_softmax_term (same direct form)",
         "all real a_j", _match_minus_logsumexp, lambda n, d: log_softmax_term(*d),
         helper="_log_softmax_term"),
    Rule("p_minus_p_squared", "s - s^2 -> s (1 - s) for a softmax weight or sigmoid s (then "
         "1 - s is rewritten without cancellation)", "all real arguments",
         _match_p_minus_p_squared, _replace_p_minus_p_squared),
    Rule("one_minus_softmax", "1 - softmax_i(a) -> sum_{j != i} softmax_j(a)",
         "all real a_j", _match_one_minus_softmax, _replace_one_minus_softmax),
    Rule("log_sigmoid", "log(sigmoid(a)) -> -softplus(-a)", "all real a",
         _match_log_sigmoid, lambda n, a: -softplus(-a)),
    Rule("one_minus_sigmoid", "1 - sigmoid(a) -> sigmoid(-a) (so log(1 - sigmoid(a)) -> "
         "-softplus(a))", "all real a", _match_one_minus_sigmoid, _replace_one_minus_sigmoid),
    Rule("log_one_minus_sigmoid", "log(1 - sigmoid(a)) -> -softplus(a)", "all real a",
         _match_log_one_minus_sigmoid, lambda n, a: -softplus(a)),
    Rule("log1p", "log(1 + a) -> log1p(a)", "a > -1", _match_log1p, lambda n, a: log1p(a)),
    Rule("expm1", "exp(a) - 1 -> expm1(a)", "all real a", _match_expm1, _replace_expm1),
    Rule("hypot", "sqrt(a^2 + b^2) -> hypot(a, b) (no overflow of the squares)", "all real",
         _match_hypot, _replace_hypot),
    Rule("xlogx", "x log x -> xlogx(x), with its limit 0 at x = 0", "x >= 0",
         _match_xlogx, _replace_xlogx, helper="_xlogx"),
    Rule("one_minus_cos", "1 - cos(a) -> 2 sin(a/2)^2 (no cancellation near a = 0)",
         "all real a", _match_one_minus_cos, _replace_one_minus_cos),
    Rule("sqrt1p_minus_1", "sqrt(1 + a) - 1 -> a/(sqrt(1 + a) + 1)", "a >= -1",
         _match_sqrt1p_minus_1, _replace_sqrt1p_minus_1),
    Rule("sigmoid_stable", "sigmoid(a) evaluated from exp(-|a|): no overflow for either sign",
         "all real a", _is(sigmoid), _identity, helper="_sigmoid"),
    Rule("softplus_stable", "softplus(a) = max(a, 0) + log1p(exp(-|a|))", "all real a",
         _is(softplus), _identity, helper="_softplus"),
    Rule("logsumexp_max_shift", "logsumexp(a) = m + log(sum exp(a_k - m)), m = max a_k "
         "(eq. 4.1's fix)", "all real a_k", _is(logsumexp), _identity, helper="_logsumexp"),
)

RULES_BY_NAME = {rule.name: rule for rule in RULES}
