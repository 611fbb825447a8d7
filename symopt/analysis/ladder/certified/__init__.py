"""The certified rung: Newton candidates, Krawczyk proofs, branch-and-bound exclusion in a box."""
