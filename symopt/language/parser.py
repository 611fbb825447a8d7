"""Text -> lark tree, with friendly ParseErrors.

The grammar lives only in grammar/symopt.lark (shipped as package `symopt._grammar`). The Lark
LALR parser with a contextual lexer is built once, lazily, on first use (`_lark`). Syntax
errors become ParseErrors with line, column, caret, what was expected and a hint
(symopt.language.hints).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from symopt.errors import ParseError
from symopt.language import hints
from symopt.language.diagnostics import line_and_column, make_error

#: Longest text `parse` accepts. The 1000-variable extended Rosenbrock is ~38 KB and parses in
#: well under a second; a text past this limit is refused at once instead of taking minutes.
MAX_TEXT_LENGTH = 250_000

# Tokens after which a new line does not end the statement.
_CONTINUE_AFTER = frozenset({"COMMA", "OVER", "SUBJECT_TO", "LPAR", "LBRACK"})
# Tokens that end an operand: a `||` after one of them closes an open norm.
_OPERAND_END = frozenset({"NAME", "NUMBER", "RPAR", "RBRACK", "TRANSPOSE", "NORM_CLOSE"})


def grammar_text() -> str:
    try:
        return (resources.files("symopt._grammar") / "symopt.lark").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        source_tree = Path(__file__).resolve().parents[2] / "grammar" / "symopt.lark"
        return source_tree.read_text(encoding="utf-8")


class _PostLexer:
    """Decides what the grammar cannot: `||` opens or closes a norm, and new lines inside
    brackets or norms, or after a comma, `over`, `subject to`, continue the statement."""

    always_accept = ("_NL", "NORM_BAR")

    def process(self, stream):
        depth = 0   # open ( and [
        norms = 0   # open ||
        previous = None
        for token in stream:
            kind = token.type
            if kind == "_NL":
                if depth or norms or (previous is not None and previous.type in _CONTINUE_AFTER):
                    continue
            elif kind == "NORM_BAR":
                closes = norms and previous is not None and previous.type in _OPERAND_END
                token = Token.new_borrow_pos("NORM_CLOSE" if closes else "NORM_OPEN",
                                             token.value, token)
                norms += -1 if closes else 1
            elif kind in ("LPAR", "LBRACK"):
                depth += 1
            elif kind in ("RPAR", "RBRACK"):
                depth = max(depth - 1, 0)
            yield token
            previous = token


@functools.cache
def _lark() -> Lark:
    return Lark(grammar_text(), parser="lalr", lexer="contextual", postlex=_PostLexer(),
                maybe_placeholders=False)


def parse_tree(text: str) -> Tree:
    """The lark tree of a program; ParseError on any malformed or oversized input."""
    if not isinstance(text, str):
        raise ParseError(f"parse needs a str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        raise ParseError(f"the input is {len(text):,} characters long; symopt parses at most "
                         f"{MAX_TEXT_LENGTH:,} (symopt.language.parser.MAX_TEXT_LENGTH)", 1, 1)
    try:
        tree = _lark().parse(text)
    except UnexpectedInput as error:
        raise syntax_error(text, error) from None
    except LarkError as error:  # pragma: no cover - lark internals; keep the contract
        raise ParseError(f"cannot parse: {error}") from None
    if not any(isinstance(child, Tree) for child in tree.children):
        raise make_error(text, "empty input: there is nothing to parse", 1, 1,
                         expected="an expression, a definition or a problem")
    return tree


def syntax_error(text: str, error: UnexpectedInput) -> ParseError:
    """A lark error -> a ParseError whose message says what went wrong, where, and a hint."""
    if isinstance(error, UnexpectedCharacters):
        offset = error.pos_in_stream
        char = text[offset] if offset < len(text) else ""
        expected = hints.describe_expected(error.allowed or ())
        hint = hints.hint_for_character(text, offset)
        line, column = line_and_column(text, offset)
        return make_error(text, f"unexpected character {char!r}", line, column, expected, hint)
    token = getattr(error, "token", None)
    at_end = isinstance(error, UnexpectedEOF) or (token is not None and token.type == "$END")
    expected_names = getattr(error, "expected", None) or getattr(error, "accepts", None) or ()
    expected = hints.describe_expected(expected_names)
    if at_end or (token is not None and token.type in ("_NL", "SEMICOLON")):
        offset = len(text.rstrip()) if at_end else token.start_pos
        what = "unexpected end of input" if at_end else "unexpected end of statement"
        hint, where = hints.hint_for_end(text, offset)
        line, column = line_and_column(text, where)
        return make_error(text, what, line, column, expected, hint)
    offset = token.start_pos if token is not None else 0
    line, column = line_and_column(text, offset)
    shown = hints.describe_token(token)
    hint = hints.hint_for_token(text, token, set(expected_names))
    return make_error(text, f"unexpected {shown}", line, column, expected, hint)
