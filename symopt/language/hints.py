"""Friendly syntax errors: what was expected, in words, and a hint for the common slips.

`EXAMPLES` is the table of bad inputs and the message each must produce; the tests iterate it
(tests/language/test_lang_errors.py) and the docs can show it.
"""

from __future__ import annotations

import re

_DESCRIPTIONS = {
    "NAME": "a name", "NUMBER": "a number", "LPAR": "'('", "RPAR": "')'", "LBRACK": "'['",
    "RBRACK": "']'", "NORM_OPEN": "'||'", "NORM_CLOSE": "'||' closing the norm",
    "NORM_BAR": "'||'", "PLUS": "'+'", "MINUS": "'-'", "STAR": "'*'", "SLASH": "'/'",
    "AT": "'@'", "CARET": "'^'", "DSTAR": "'**'", "TRANSPOSE": "\"'\"", "COMMA": "','",
    "SEMICOLON": "';'", "_NL": "a new line", "$END": "the end of the input", "EQUAL": "'='",
    "EQEQ": "'=='", "LE": "'<='", "GE": "'>='", "LT": "'<'", "GT": "'>'",
    "MINIMIZE": "'minimize'", "MAXIMIZE": "'maximize'", "OVER": "'over'",
    "SUBJECT_TO": "'subject to'",
}
_STARTS_EXPRESSION = {"NAME", "NUMBER", "LPAR", "LBRACK", "NORM_OPEN", "NORM_BAR", "PLUS",
                      "MINUS"}
_OPERATORS = {"PLUS", "MINUS", "STAR", "SLASH", "AT", "CARET", "DSTAR", "TRANSPOSE"}
_STATEMENT_END = {"_NL", "SEMICOLON", "$END"}
_RELATIONS = {"LE", "GE", "LT", "GT", "EQEQ"}
_CLOSING = {")": "(", "]": "["}


def describe_expected(names) -> str | None:
    """Lark terminal names -> 'an expression, an operator or the end of the statement'."""
    names = set(names)
    parts = []
    if "NUMBER" in names:
        parts.append("an expression")
        names -= _STARTS_EXPRESSION
    if "STAR" in names or "CARET" in names:
        parts.append("an operator")
        names -= _OPERATORS | _STARTS_EXPRESSION
    names.discard("NORM_BAR")  # the post-lexer's raw token, accepted everywhere
    if len(names & _RELATIONS) > 1:
        parts.append("a comparison")
        names -= _RELATIONS | {"EQUAL"}
    if names & _STATEMENT_END:
        parts.append("the end of the statement")
        names -= _STATEMENT_END
    parts += sorted(_DESCRIPTIONS.get(n, n) for n in names)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def describe_token(token) -> str:
    if token is None:
        return "input"
    if token.type == "NAME":
        return f"name {token.value!r}"
    if token.type == "NUMBER":
        return f"number {token.value}"
    if token.type in ("OVER", "SUBJECT_TO"):
        return _DESCRIPTIONS[token.type]
    return repr(str(token.value))


def open_brackets(text: str, end: int) -> list[tuple[str, int]]:
    """Brackets opened before `end` and not closed (char, offset); comments skipped."""
    stack: list[tuple[str, int]] = []
    for match in re.finditer(r"#[^\n]*|[()\[\]]", text[:end]):
        char = match.group()
        if char in "([":
            stack.append((char, match.start()))
        elif char in ")]" and stack and stack[-1][0] == _CLOSING[char]:
            stack.pop()
    return stack


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


_DANGLING = re.compile(r"(\*\*|<=|>=|==|[-+*/^@=<>,\u2212\u00b7\u2264\u2265])\s*$")


def _dangling_operator(text: str, offset: int):
    """The operator that ends text[:offset] (comments and blanks aside), with its offset."""
    head = re.sub(r"#[^\n]*$", "", text[:offset].rstrip()).rstrip()
    match = _DANGLING.search(head)
    return (match.group(1), match.start(1)) if match else (None, None)


def hint_for_end(text: str, offset: int) -> tuple[str | None, int]:
    """Hint for an input or statement that ends too early, and the offset to point at."""
    operator, at = _dangling_operator(text, offset)
    if operator is not None:
        if operator == ",":
            return "a ',' must be followed by another item", at
        return f"dangling operator: '{operator}' has nothing on its right", at
    stack = open_brackets(text, offset)
    if stack:
        char, at = stack[-1]
        closer = ")" if char == "(" else "]"
        return (f"unbalanced parenthesis: the '{char}' at {_where(text, at)} is never closed "
                f"(add '{closer}')", at)
    if text[:offset].count("||") % 2:
        return "the norm ||...|| is never closed", offset
    return None, offset


def hint_for_character(text: str, offset: int) -> str | None:
    char = text[offset] if offset < len(text) else ""
    if char == "|":
        return "write abs(x) for |x|, and ||v|| for a norm"
    if char == "_":
        return "names start with a letter"
    if char in "\"`":
        return "the language has no strings"
    if char == ".":
        return "a number is written 2.5 or .5; there is no '.' operator"
    if char == "!":
        return "factorials are not part of the language"
    if char == "{" or char == "}":
        return "group with ( ), write vectors with [ ]"
    return f"{char!r} is not part of the symopt language"


def hint_for_token(text: str, token, expected: set) -> str | None:
    kind = token.type if token is not None else None
    if kind in ("RPAR", "RBRACK"):
        stack = open_brackets(text, token.start_pos)
        if not stack:
            opener = _CLOSING[token.value]
            return f"unbalanced parenthesis: this '{token.value}' has no matching '{opener}'"
        char, at = stack[-1]
        if _CLOSING[token.value] != char:
            return f"this '{token.value}' does not match the '{char}' at {_where(text, at)}"
    operator, at = _dangling_operator(text, token.start_pos)
    if kind in _OPERATORS | {"RPAR", "RBRACK", "COMMA", "EQUAL"} | _RELATIONS and operator:
        if operator != "," and kind not in ("PLUS", "MINUS"):
            return f"dangling operator: '{operator}' has nothing on its right"
    if kind == "EQUAL":
        return ("'=' defines a name (A = ...) or a function (f(x, y) = ...) at the start of a "
                "statement, or states a constraint after 'subject to'")
    if kind in _RELATIONS:
        if kind in ("LT", "GT"):
            return "strict inequalities are not supported: use <= or >="
        return "inequalities are constraints: minimize f subject to g <= h"
    if kind == "COMMA" and not open_brackets(text, token.start_pos):
        return "a list needs brackets: [x, y]"
    if kind in ("OVER", "SUBJECT_TO"):
        return "'over' and 'subject to' follow the objective of 'minimize' or 'maximize'"
    if kind in ("MINIMIZE", "MAXIMIZE"):
        return "a problem starts a statement: minimize <expr> ..."
    if kind == "NORM_CLOSE":
        return "an empty norm: write ||v||"
    return None


#: Bad inputs and a fragment the ParseError message must contain, with the 1-based
#: (line, column) the caret must point at. Iterated by the tests.
EXAMPLES: list[tuple[str, str, tuple[int, int]]] = [
    ("sinn(x)", "did you mean sin?", (1, 1)),
    ("x + sigmod(y)", "did you mean sigmoid?", (1, 5)),
    ("(x + 1", "the '(' at line 1, column 1 is never closed", (1, 1)),
    ("[x, (y + 1]", "does not match the '('", (1, 11)),
    ("2 x)", "this ')' has no matching '('", (1, 4)),
    ("x +", "dangling operator: '+' has nothing on its right", (1, 3)),
    ("x * ", "dangling operator: '*'", (1, 3)),
    ("x ^\ny", "dangling operator: '^'", (1, 3)),
    ("x * / y", "dangling operator: '*'", (1, 5)),
    ("sin()", "sin takes 1 argument, got 0", (1, 1)),
    ("atan(x, y)", "atan2(y, x)", (1, 1)),
    ("log(x, y, z)", "log takes 1 to 2 arguments, got 3", (1, 1)),
    ("[[1, 2], [3]]", "ragged matrix: row 2 has 1 entries, row 1 has 2", (1, 10)),
    ("[[1, 2], 3]", "ragged matrix", (1, 10)),
    ("g(1, 2)", "unknown function g", (1, 1)),
    ("f(x) = x^2; f(1, 2)", "f takes 1 argument(s), got 2", (1, 13)),
    ("", "empty input", (1, 1)),
    ("   # only a comment\n", "empty input", (1, 1)),
    ("x $ y", "'$' is not part of the symopt language", (1, 3)),
    ("|x|", "write abs(x) for |x|", (1, 1)),
    ("__import__('os')", "names start with a letter", (1, 1)),
    ("x^2 = 1", "'=' defines a name", (1, 5)),
    ("x <= 1", "inequalities are constraints", (1, 3)),
    ("minimize x subject to x < 1", "strict inequalities", (1, 25)),
    ("x, y", "a list needs brackets", (1, 2)),
    ("sin x", "sin is a function", (1, 1)),
    ("minimize x over", "expected a name", (1, 16)),
    ("over = 2", "'over' is a reserved word", (1, 1)),
    ("sin = 2", "cannot define sin", (1, 1)),
    ("[1, 2] + 3", "cannot add 2x1 and scalar", (1, 8)),
    ("[[1, 2], [3, 4]] [1, 2, 3]", "cannot multiply 2x2 by 3x1", (1, 18)),
    ("[1, 2] [3, 4]", "u' v or dot(u, v)", (1, 8)),
    ("dot([1, 2], [1, 2, 3])", "dot needs two vectors of the same length", (1, 1)),
    ("1/0", "division by zero", (1, 2)),
    ("log(0)", "log(...) is undefined or infinite", (1, 1)),
    ("sqrt(-1)", "not a real number", (1, 1)),
    ("2^3^4^5^6", "too large", (1, 4)),
    ("f(x, x) = x", "parameters must be distinct names", (1, 1)),
    ("f(x + 1) = x", "parameters must be distinct names", (1, 1)),
    ("minimize [x, y]", "the objective must be a scalar", (1, 10)),
    ("minimize x over x, 2", "unexpected number 2", (1, 20)),
    ("minimise x^2", "did you mean minimize?", (1, 1)),
    ("f(x) = x; f(x y) = x", "parameters must be distinct names", (1, 11)),
]
