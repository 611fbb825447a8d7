"""The exact kernel every proof trusts: signs of exact numbers, interval enclosures, inertia, exact algebraic points."""
