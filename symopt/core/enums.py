"""States are enums whose value is their JSON text (CONTRACT section 3); printed, they read as
that text, so `f"{kind}"` is "minimum", not "Kind.MINIMUM"."""

from __future__ import annotations

import enum


class TextEnum(str, enum.Enum):
    """A str enum that prints as its value."""

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)
