"""Rung of the critical-point ladder: exact periodic lattices and isolated exact roots of transcendental gradients (placeholder until implemented)."""

from __future__ import annotations

from symopt.analysis.ladder import GradientSystem, RungOutcome


class TranscendentalRung:
    name = "transcendental"

    def attempt(self, system: GradientSystem) -> RungOutcome:
        return RungOutcome(None, "transcendental: not implemented yet")
