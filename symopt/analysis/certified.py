"""Rung of the critical-point ladder: certified numerics in a box: Newton starts, mpmath refinement, interval Newton / Krawczyk (placeholder until implemented)."""

from __future__ import annotations

from symopt.analysis.ladder import GradientSystem, RungOutcome


class CertifiedRung:
    name = "certified"

    def attempt(self, system: GradientSystem) -> RungOutcome:
        return RungOutcome(None, "certified: not implemented yet")
