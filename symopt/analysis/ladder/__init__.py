"""The critical-point ladder: the rung protocol and the rungs (polynomial, families, transcendental, certified)."""
