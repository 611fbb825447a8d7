"""The exact kernel every proof trusts: signs of exact numbers, interval enclosures, inertia, exact algebraic points."""

from symopt.analysis.exact.inertia import Inertia, exact_inertia, rational_inertia
from symopt.analysis.exact.intervals import enclosure
from symopt.analysis.exact.signs import Undecided, decided_sign, exact_sign, is_zero

__all__ = ["Inertia", "Undecided", "decided_sign", "enclosure", "exact_inertia", "exact_sign",
           "is_zero", "rational_inertia"]
