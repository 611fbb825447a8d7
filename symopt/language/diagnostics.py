"""Parse errors with a position: the message shows the line, a caret under the column, what was
expected there and a hint.

Errors found while building the SymPy tree (shapes, arities, undefined names) are ParseErrors
too, so `parse` raises nothing else; they also derive from the matching symopt error
(`DimensionError`, `DefinitionError`, `DomainError`) so callers can catch either.
"""

from __future__ import annotations

from symopt.errors import DefinitionError, DimensionError, DomainError, ParseError

_WINDOW = 72  # characters of a long line shown around the caret


class ParseDimensionError(ParseError, DimensionError):
    """Shapes that do not fit, found while parsing (a ParseError and a DimensionError)."""


class ParseDefinitionError(ParseError, DefinitionError):
    """Undefined or reserved names, wrong arity (a ParseError and a DefinitionError)."""


class ParseDomainError(ParseError, DomainError):
    """Division by zero, log(0), sqrt(-1) in the text (a ParseError and a DomainError)."""


_KINDS = {"syntax": ParseError, "dimension": ParseDimensionError,
          "definition": ParseDefinitionError, "domain": ParseDomainError}


class SemanticError(Exception):
    """Raised inside the transformer; `parse` turns it into a positioned ParseError.
    `where` is a lark Token or Tree (or None: the position is filled in by the caller)."""

    def __init__(self, message: str, where=None, hint: str | None = None, kind: str = "definition"):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint
        self.kind = kind


def position_of(where) -> tuple[int | None, int | None]:
    """(line, column) of a lark Token or Tree (1-based), or (None, None)."""
    # a tree starts where its leftmost token starts (cheaper than lark's propagate_positions)
    while where is not None and hasattr(where, "children"):
        where = where.children[0] if where.children else None
    if where is None:
        return None, None
    return getattr(where, "line", None), getattr(where, "column", None)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def snippet(text: str, line: int, column: int) -> str:
    """The source line (a window of it when long) and a caret under `column`."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return ""
    source = lines[line - 1].rstrip("\r").replace("\t", " ")
    caret = max(column - 1, 0)
    if len(source) > _WINDOW:
        start = max(0, min(caret - _WINDOW // 2, len(source) - _WINDOW))
        shown = source[start:start + _WINDOW]
        prefix = "..." if start > 0 else ""
        suffix = "..." if start + _WINDOW < len(source) else ""
        source, caret = prefix + shown + suffix, caret - start + len(prefix)
    return f"    {source}\n    {' ' * caret}^"


def make_error(text: str, message: str, line: int | None, column: int | None,
               expected: str | None = None, hint: str | None = None,
               kind: str = "syntax") -> ParseError:
    """A ParseError (of the subclass for `kind`) whose message shows where and why."""
    parts = [message if line is None else f"{message} (line {line}, column {column})"]
    if line is not None:
        shown = snippet(text, line, column or 1)
        if shown:
            parts.append(shown)
    if expected:
        parts.append(f"expected {expected}")
    if hint:
        parts.append(f"hint: {hint}")
    return _KINDS.get(kind, ParseError)("\n".join(parts), line=line, column=column)


def from_semantic(text: str, error: SemanticError, fallback=None) -> ParseError:
    line, column = position_of(error.where)
    if line is None:
        line, column = position_of(fallback)
    return make_error(text, error.message, line, column, hint=error.hint, kind=error.kind)
