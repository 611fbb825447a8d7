"""Degenerate critical points: beyond the second-derivative test (placeholder until implemented)."""

from __future__ import annotations


def classify_degenerate(f, variables, point, hessian):
    """Decide a critical point whose Hessian is singular. Returns a Classification or None
    (None: could not decide; the caller reports `inconclusive`)."""
    return None
