"""Convexity: the verdict, disciplined-convex composition rules, Hessian semidefiniteness proofs."""
