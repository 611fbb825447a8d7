"""States are enums whose value is their JSON text (CONTRACT section 3) and whose `message`
says what the state means; printed, they read as that text, so `f"{kind}"` is "minimum", not
"Kind.MINIMUM"."""

from __future__ import annotations

import enum


class TextEnum(str, enum.Enum):
    """A str enum that prints as its value. Members are `NAME = "text"` or
    `NAME = ("text", "what it means")`; `.message` is the meaning (the text when none is given)."""

    def __new__(cls, value: str, message: str | None = None):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.message = value if message is None else message
        return obj

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)
