"""Runtime helpers the generated code calls: the stable forms of section 4.1 of the chapter.

Two flavours of each helper: `np_*` works elementwise on numpy arrays of any shape (batches),
`py_*` on Python floats (the fast path for one point). None of them overflows for an input whose
true result is representable, and none of them emits numpy warnings (the generated code checks
finiteness itself and raises EvaluationError).
"""

from __future__ import annotations

import math

import numpy as np

# -- numpy (array) versions ------------------------------------------------------------------


def np_sigmoid(x):
    """1/(1+exp(-x)) without overflow for either sign: uses exp(-|x|) <= 1."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def np_softplus(x):
    """log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|))."""
    return np.logaddexp(0.0, x)


def np_logsumexp(*args):
    """log(sum_i exp(a_i)) with the max shift (the chapter's fix, section 4.1): the largest
    exponent is 0, so nothing overflows and the sum is >= 1 (no log of an underflowed 0)."""
    if len(args) == 2:
        return np.logaddexp(args[0], args[1])
    m = args[0]
    for a in args[1:]:
        m = np.maximum(m, a)
    with np.errstate(invalid="ignore"):
        shift = np.where(np.isfinite(m), m, 0.0)
        total = sum(np.exp(a - shift) for a in args)
        return shift + np.log(total)


def np_softmax_term(b, *a):
    """exp(b) / sum_j exp(a_j) with the max shift m = max a_j (eq. 4.1's fix): exp(b - m) /
    sum_j exp(a_j - m); the denominator is >= 1, so nothing divides by an underflowed 0."""
    m = a[0]
    for t in a[1:]:
        m = np.maximum(m, t)
    with np.errstate(invalid="ignore", over="ignore"):
        shift = np.where(np.isfinite(m), m, 0.0)
        return np.exp(b - shift) / sum(np.exp(t - shift) for t in a)


def np_log_softmax_term(b, *a):
    """b - logsumexp(a) as (b - m) - log(sum_j exp(a_j - m)), m = max a_j."""
    m = a[0]
    for t in a[1:]:
        m = np.maximum(m, t)
    with np.errstate(invalid="ignore", over="ignore"):
        shift = np.where(np.isfinite(m), m, 0.0)
        return (b - shift) - np.log(sum(np.exp(t - shift) for t in a))


def np_xlogx(x):
    """x log x, with its limit 0 at x = 0."""
    x = np.asarray(x, dtype=float)
    zero = x == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(zero, 0.0, x * np.log(np.where(zero, 1.0, x)))


def np_maxof(*args):
    m = args[0]
    for a in args[1:]:
        m = np.maximum(m, a)
    return m


def np_dirac(x):
    """The second derivative of |x| as a function: 0 off 0, undefined (NaN) at 0."""
    return np.where(np.asarray(x) == 0, np.nan, 0.0)


# -- Python float versions (one point) -------------------------------------------------------


def py_sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def py_softplus(x):
    if x > 0:
        return x + math.log1p(math.exp(-x))
    return math.log1p(math.exp(x))


def py_logsumexp(*args):
    m = max(args)
    if math.isinf(m):
        return m
    return m + math.log(math.fsum([math.exp(a - m) for a in args]))


def py_softmax_term(b, *a):
    m = max(a)
    if math.isinf(m):
        m = 0.0
    return math.exp(b - m) / math.fsum([math.exp(t - m) for t in a])


def py_log_softmax_term(b, *a):
    m = max(a)
    if math.isinf(m):
        m = 0.0
    return (b - m) - math.log(math.fsum([math.exp(t - m) for t in a]))


def py_dirac(x):
    return math.nan if x == 0 else 0.0


def py_xlogx(x):
    return 0.0 if x == 0 else x * math.log(x)


def py_hypot(*args):
    return math.hypot(*args)


#: Names the generated source uses for each helper, per flavour.
NUMPY_HELPERS = {"_sigmoid": np_sigmoid, "_softplus": np_softplus,
                 "_logsumexp": np_logsumexp, "_xlogx": np_xlogx,
                 "_softmax_term": np_softmax_term, "_log_softmax_term": np_log_softmax_term,
                 "_dirac": np_dirac, "_maxof": np_maxof}
PYTHON_HELPERS = {"_sigmoid": py_sigmoid, "_softplus": py_softplus,
                  "_logsumexp": py_logsumexp, "_xlogx": py_xlogx,
                  "_softmax_term": py_softmax_term,
                  "_log_softmax_term": py_log_softmax_term, "_dirac": py_dirac,
                  "_maxof": max}
