"""Linear and quadratic parts as matrices: dense structure goes to BLAS.

A dense quadratic form f = 1/2 x'Qx + b'x + c written out term by term has n^2/2 terms and a
gradient of n entries with n terms each; as generated scalar code that is O(n^2) Python
operations per call. Extracting the numeric coefficient matrices turns them into one matrix
product: f -> 1/2 sum((X @ Q) * X) + X @ b, grad -> X @ A' + b (A = Q for the gradient of f),
which numpy evaluates for one point or a batch alike. Terms that are not of that form stay
symbolic (the remainder).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

#: use the matrix form only when it replaces at least this many terms per variable
MIN_TERMS_PER_VARIABLE = 2


def linear_part(entries, index_of: dict):
    """entries e_i = sum_k A_ik x_k + b_i + r_i(x) with numeric A, b: returns (A, b, [r_i]) or
    None when the linear terms are too few to be worth a matrix product."""
    n_out, n = len(entries), len(index_of)
    A, b, rest, count = np.zeros((n_out, n)), np.zeros(n_out), [], 0
    for i, e in enumerate(entries):
        others = []
        for term in sp.Add.make_args(e):
            coeff, factor = term.as_coeff_Mul()
            if factor == 1 and coeff.is_Number:
                b[i] += float(coeff)
            elif factor in index_of and coeff.is_Number:
                A[i, index_of[factor]] += float(coeff)
                count += 1
            else:
                others.append(term)
        rest.append(sp.Add(*others))
    if count < MIN_TERMS_PER_VARIABLE * max(n, 1):
        return None
    return A, b, rest


def quadratic_part(expr, index_of: dict):
    """expr = 1/2 x'Qx + b'x + r(x) with numeric symmetric Q and b: returns (Q, b, r) or None
    when the quadratic terms are too few."""
    n = len(index_of)
    Q, b, others, count = np.zeros((n, n)), np.zeros(n), [], 0
    for term in sp.Add.make_args(expr):
        coeff, factor = term.as_coeff_Mul()
        pair = _monomial_pair(factor, index_of) if coeff.is_Number else None
        if pair is None:
            if factor in index_of and coeff.is_Number:
                b[index_of[factor]] += float(coeff)
                continue
            others.append(term)
            continue
        i, j = pair
        count += 1
        if i == j:
            Q[i, i] += 2 * float(coeff)
        else:
            Q[i, j] += float(coeff)
            Q[j, i] += float(coeff)
    if count < MIN_TERMS_PER_VARIABLE * max(n, 1):
        return None
    return Q, b, sp.Add(*others)


def _monomial_pair(factor, index_of):
    """(i, j) when factor is x_i * x_j or x_i**2, else None."""
    if isinstance(factor, sp.Pow) and factor.exp == 2 and factor.base in index_of:
        k = index_of[factor.base]
        return k, k
    if isinstance(factor, sp.Mul) and len(factor.args) == 2 and \
            all(a in index_of for a in factor.args):
        i, j = sorted(index_of[a] for a in factor.args)
        return i, j
    return None
