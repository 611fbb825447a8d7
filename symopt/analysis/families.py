"""Rung of the critical-point ladder: positive-dimensional polynomial systems: families of critical points (placeholder until implemented)."""

from __future__ import annotations

from symopt.analysis.ladder import GradientSystem, RungOutcome


class FamiliesRung:
    name = "families"

    def attempt(self, system: GradientSystem) -> RungOutcome:
        return RungOutcome(None, "families: not implemented yet")
