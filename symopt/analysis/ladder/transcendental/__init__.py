"""The transcendental rung: never-vanishing factors removed, periodic lattices solved exactly."""
