"""Programs and the Session that keeps definitions between them.

A program is statements separated by new lines or ';'. Each statement is one of

* ``A = <expr>``: a constant, substituted wherever the name appears later;
* ``f(x, y) = <expr>``: a Function with ordered variables, callable later (``f(1, 2)``);
* ``minimize|maximize <expr> [over x, y] [subject to c1, c2, ...]``: a Problem with
  equalities g (g = 0) and inequalities h (h <= 0), the chapter's eq. 4.14;
* ``<expr>``: an expression.

Later statements see earlier definitions; the value of a program is its last statement's.
A Session applies a program's definitions only when the whole program succeeds.
"""

from __future__ import annotations

import difflib

from lark import Tree

from symopt.core.objects import Function, Problem
from symopt.core.symbols import real_symbol, sorted_variables
from symopt.errors import BudgetExceeded, ParseError, SymoptError
from symopt.language import linalg
from symopt.language.diagnostics import SemanticError, from_semantic, make_error, position_of
from symopt.language.functions import FUNCTIONS, KEYWORDS, RESERVED
from symopt.language.parser import parse_tree
from symopt.language.transformer import ExpressionBuilder, NeedVector, vector_variable

_EQUALITY = ("EQUAL", "EQEQ")


class Session:
    """Definitions that live across `parse` calls (the REPL stands on this).

    >>> s = Session(); s.parse("A = [[2, 1], [1, 3]]"); s.parse("x' A x")
    """

    def __init__(self):
        self._definitions: dict = {}

    @property
    def definitions(self) -> dict:
        """name -> value (sympy Expr / ImmutableMatrix) or Function; a copy."""
        return dict(self._definitions)

    def reset(self) -> None:
        self._definitions.clear()

    def define(self, name: str, value) -> None:
        """Define a constant or function from Python (the same checks as `A = ...`)."""
        _check_definable(name, None)
        self._definitions[name] = value

    def parse(self, text: str):
        """Run a program; return the value of its last statement (Expr, ImmutableMatrix,
        Function or Problem). Raises ParseError (and nothing else) on bad input."""
        tree = parse_tree(text)
        definitions = dict(self._definitions)
        result = None
        for statement in tree.children:
            if not isinstance(statement, Tree):  # a ';' separator
                continue
            result = _run_guarded(text, statement, definitions)
        self._definitions = definitions
        return result


def parse(text: str):
    """Parse a program in a fresh session (see Session.parse)."""
    return Session().parse(text)


def _run_guarded(text: str, statement: Tree, definitions: dict):
    try:
        return _run(text, statement, definitions)
    except SemanticError as error:
        raise from_semantic(text, error, statement) from None
    except (ParseError, BudgetExceeded):  # a caller's time budget is not a parse error
        raise
    except RecursionError:
        line, column = position_of(statement)
        raise make_error(text, "the expression is nested too deeply to build", line, column,
                         hint="split it into definitions: A = ...; then use A") from None
    except SymoptError as error:
        raise make_error(text, str(error), *position_of(statement),
                         kind="definition") from None
    except (ArithmeticError, TypeError, ValueError, AttributeError, NotImplementedError) as error:
        # SymPy refused to build something the grammar accepts: still a ParseError.
        raise make_error(text, f"cannot build this expression ({type(error).__name__}: "
                               f"{error})", *position_of(statement)) from None


_MAX_VECTOR_NAMES = 32


def _run(text: str, statement: Tree, definitions: dict):
    """Build one statement; a free name used as a vector (A x) makes it build again with
    that name standing for [x1, ..., xn] (see transformer.NeedVector)."""
    vectors: dict[str, int] = {}
    while True:
        try:
            return _run_once(text, statement, definitions, vectors)
        except NeedVector as need:
            if need.name in vectors or len(vectors) >= _MAX_VECTOR_NAMES:
                raise SemanticError(f"{need.name} is used as vectors of different lengths",
                                    statement, kind="dimension") from None
            vectors[need.name] = need.size


def _run_once(text: str, statement: Tree, definitions: dict, vectors: dict):
    kind = statement.data
    if kind == "expression":
        _check_misspelt_keyword(statement)
        return ExpressionBuilder(text, definitions, vectors=vectors).build(statement.children[0])
    if kind == "definition":
        return _define(text, statement, definitions, vectors)
    if kind == "problem":
        return _problem(text, statement, definitions, vectors)
    raise SemanticError(f"unknown statement {kind}", statement)  # pragma: no cover


def _check_misspelt_keyword(statement: Tree):
    """'minimise x^2' would silently be the product minimise*x^2: refuse it."""
    first = statement
    while isinstance(first, Tree) and first.children:
        first = first.children[0]
    if getattr(first, "type", None) == "NAME" and first.value not in ("minimize", "maximize"):
        close = difflib.get_close_matches(first.value, ["minimize", "maximize"], n=1, cutoff=0.8)
        if close:
            raise SemanticError(f"unknown word {first.value}", first, f"did you mean {close[0]}?",
                                kind="syntax")


def _expand(names, vectors) -> tuple:
    """Variables for declared names: a vector variable x of length n gives x1, ..., xn."""
    symbols = []
    for name in names:
        if name in vectors:
            symbols.extend(vector_variable(name, vectors[name]))
        else:
            symbols.append(real_symbol(name))
    return tuple(symbols)


def _check_definable(name: str, where):
    if name in KEYWORDS:
        raise SemanticError(f"'{name}' is a reserved word", where,
                            "keywords (minimize, maximize, over, subject to) cannot be names")
    if name in RESERVED:
        what = "a built-in function" if name in FUNCTIONS else "a built-in constant"
        raise SemanticError(f"cannot define {name}: it is {what}", where, "choose another name")


def _define(text: str, statement: Tree, definitions: dict, vectors: dict):
    target, equal, body = statement.children
    if isinstance(target, Tree) and target.data == "name":
        token = target.children[0]
        _check_definable(token.value, token)
        value = ExpressionBuilder(text, definitions, vectors=vectors).build(body)
        definitions[token.value] = value
        return value
    if isinstance(target, Tree) and target.data == "call":
        token = target.children[0]
        _check_definable(token.value, token)
        params = [c for c in target.children[1:] if isinstance(c, Tree) or c.type == "NAME"]
        names = []
        for param in params:
            if not (isinstance(param, Tree) and param.data == "name"):
                raise SemanticError("the parameters must be distinct names: f(x, y) = ...", token)
            names.append(param.children[0].value)
            _check_definable(names[-1], param.children[0])
        if len(set(names)) != len(names):
            raise SemanticError("the parameters must be distinct names: f(x, y) = ...", token)
        expr = ExpressionBuilder(text, definitions, names, vectors).build(body)
        function = Function(token.value, _expand(names, vectors), expr)
        definitions[token.value] = function
        return function
    raise SemanticError("'=' defines a name (A = ...) or a function (f(x, y) = ...); an equation "
                        "is a constraint, after 'subject to'", equal)


def _problem(text: str, statement: Tree, definitions: dict, vectors: dict):
    sense_token, objective_tree, *rest = statement.children
    over = next((r for r in rest if r.data == "over"), None)
    subject_to = next((r for r in rest if r.data == "subject_to"), None)
    names = []
    if over is not None:
        for token in over.children:
            if token.type == "NAME":
                _check_definable(token.value, token)
                if token.value in names:
                    raise SemanticError(f"{token.value} is listed twice after 'over'", token)
                names.append(token.value)
    builder = ExpressionBuilder(text, definitions, names, vectors)
    objective = linalg.squeeze(builder.build(objective_tree))
    if linalg.is_matrix(objective):
        raise SemanticError(f"the objective must be a scalar, not a "
                            f"{linalg.shape_text(objective)} matrix", objective_tree,
                            "minimize a norm, ||v||^2, or a sum", kind="dimension")
    equalities, inequalities = [], []
    if subject_to is not None:
        for constraint in subject_to.children:
            if isinstance(constraint, Tree):
                _constraint(builder, constraint, equalities, inequalities)
    if names:
        variables = _expand(names, vectors)
    else:
        free = set(objective.free_symbols)
        for c in equalities + inequalities:
            free |= c.free_symbols
        variables = sorted_variables(free)
    sense = "min" if sense_token.type == "MINIMIZE" else "max"
    return Problem(sense, objective, variables, tuple(equalities), tuple(inequalities))


def _constraint(builder: ExpressionBuilder, constraint: Tree, equalities, inequalities):
    """a <= b <= c gives a - b <= 0 and b - c <= 0; g = h gives g - h = 0; vector sides are
    compared entry by entry (a scalar side is compared with every entry)."""
    sides = [builder.build(c) for c in constraint.children[0::2]]
    relations = constraint.children[1::2]
    directions = {r.type for r in relations if r.type in ("LE", "GE")}
    if len(directions) > 1:
        raise SemanticError("a chain of inequalities must point one way: a <= b <= c",
                            relations[0])
    for (left, right), relation in zip(zip(sides, sides[1:]), relations):
        if relation.type in ("LT", "GT"):
            raise SemanticError("strict inequalities are not supported", relation,
                                "use <= or >= (h <= 0 is the convention)")
        lefts, rights = _pair_entries(linalg.squeeze(left), linalg.squeeze(right), relation)
        for a, b in zip(lefts, rights):
            if relation.type in _EQUALITY:
                equalities.append(a - b)
            elif relation.type == "LE":
                inequalities.append(a - b)
            else:
                inequalities.append(b - a)


def _pair_entries(left, right, where):
    left_m, right_m = linalg.is_matrix(left), linalg.is_matrix(right)
    if left_m and right_m and left.shape != right.shape:
        raise SemanticError(f"cannot compare {linalg.shape_text(left)} with "
                            f"{linalg.shape_text(right)}", where, kind="dimension")
    count = len(left) if left_m else len(right) if right_m else 1
    lefts = list(left) if left_m else [left] * count
    rights = list(right) if right_m else [right] * count
    return lefts, rights
