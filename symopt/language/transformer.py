"""Lark tree -> exact SymPy tree.

`ExpressionBuilder.build(tree)` walks the tree with an explicit stack (no recursion, so 3000
nested parentheses are fine) and calls the method named by each rule alias of
grammar/symopt.lark with the node and its children's values. Numbers are exact rationals,
names are real symbols (symopt.core.symbols.real_symbol), sums and products are built n-ary
once (a 1000-term sum is one sympy Add, not 1000 nested ones).
"""

from __future__ import annotations

import difflib
from fractions import Fraction

import sympy as sp
from lark import Token, Tree

from symopt.core.objects import Function
from symopt.core.symbols import real_symbol
from symopt.language import linalg
from symopt.language.diagnostics import SemanticError
from symopt.language.functions import CONSTANTS, FUNCTIONS, KEYWORDS
from symopt.language.printer import to_text

_MAX_EXPONENT_DIGITS = 4  # 1e9999 at most: larger decimal exponents are typos, not numbers


def suggest(name: str, candidates) -> str | None:
    """'did you mean sin?' for a misspelt name."""
    close = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.75)
    return close[0] if close else None


def exact_number(text: str, where) -> sp.Rational:
    """'2.5' -> 5/2, '1e-3' -> 1/1000, '.5' -> 1/2: exact, never a Float."""
    mantissa, _, exponent = text.lower().partition("e")
    if exponent and len(exponent.lstrip("+-")) > _MAX_EXPONENT_DIGITS:
        raise SemanticError(f"the exponent of {text[:20]} is too large", where, kind="domain")
    try:
        value = Fraction(mantissa + ("0" if mantissa.endswith(".") else ""))
    except ValueError as exc:  # more digits than Python converts (sys.get_int_max_str_digits)
        raise SemanticError(f"number too long: {exc}", where, kind="domain") from None
    if exponent:
        value *= Fraction(10) ** int(exponent)
    return sp.Rational(value.numerator, value.denominator)


_NOT_FINITE = (sp.zoo, sp.nan, sp.oo, -sp.oo)


def check_value(value, where, what: str, deep: bool = False):
    """Refuse results that are not finite real numbers: 1/0, log(0), sqrt(-1), asin(2).
    The arguments were checked when they were built, so only the new node and its arguments
    are looked at, unless `deep` (a substitution can create zoo anywhere)."""
    if linalg.is_matrix(value):
        return value
    if deep:
        bad = value.has(*_NOT_FINITE)
    else:
        bad = value in _NOT_FINITE or any(a in _NOT_FINITE for a in value.args)
    if bad:
        raise SemanticError(f"{what} is undefined or infinite here", where, kind="domain")
    if value.is_number and value.is_extended_real is False:
        raise SemanticError(f"{what} is not a real number here", where,
                            "symopt works over the reals", kind="domain")
    return value


class NeedVector(Exception):
    """A free name is used as a vector (A x, x' A, x - b, dot(x, b)): the statement is built
    again with that name standing for the vector [name1, ..., name_size]."""

    def __init__(self, name: str, size: int):
        super().__init__(name, size)
        self.name = name
        self.size = size


def vector_variable(name: str, size: int) -> sp.ImmutableMatrix:
    """The vector variable x = [x1, ..., xn] (real symbols, natural order)."""
    return sp.ImmutableMatrix([real_symbol(f"{name}{i}") for i in range(1, size + 1)])


class ExpressionBuilder:
    """Builds SymPy values from expression subtrees.

    `definitions` maps names to constants (Expr / ImmutableMatrix) and user functions
    (symopt Function); names in `shadowed` are variables here (function parameters, `over`
    names) even when a constant of that name exists. `vectors` maps free names known to be
    vector variables to their length (see NeedVector).
    """

    def __init__(self, text: str, definitions: dict, shadowed=frozenset(), vectors=None):
        self.text = text
        self.definitions = definitions
        self.shadowed = frozenset(shadowed)
        self.vectors = {} if vectors is None else vectors

    def _free_name(self, tree, value, transposed=False):
        """The name, when `tree` is a free name (or its transpose, if `transposed`) that still
        stands for a scalar symbol; else None."""
        if transposed:
            if not (isinstance(tree, Tree) and tree.data == "transpose"):
                return None
            tree = tree.children[0]
        if isinstance(tree, Tree) and tree.data == "name" and isinstance(value, sp.Symbol) \
                and value.name == tree.children[0].value:
            return value.name
        return None

    def _vector_use(self, name, size):
        if name is not None and size >= 2:
            raise NeedVector(name, size)

    # -- the walk ---------------------------------------------------------------------------
    def build(self, tree):
        if isinstance(tree, Token):
            raise SemanticError("expected an expression", tree, kind="syntax")
        values: list = []
        stack: list = [(tree, False)]
        while stack:
            node, ready = stack.pop()
            if not isinstance(node, Tree):
                values.append(node)
            elif ready:
                count = len(node.children)
                children = values[len(values) - count:]
                del values[len(values) - count:]
                values.append(getattr(self, node.data)(node, children))
            else:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.children))
        return values[0]

    def lookup(self, name: str):
        if name in self.shadowed:
            return None
        return self.definitions.get(name)

    # -- atoms ------------------------------------------------------------------------------
    def number(self, node, children):
        return exact_number(children[0].value, children[0])

    def name(self, node, children):
        token = children[0]
        name = token.value
        defined = self.lookup(name)
        if isinstance(defined, Function):
            return defined.expr  # a bare function name means its body: minimize f
        if defined is not None:
            return defined
        if name in self.vectors:
            return vector_variable(name, self.vectors[name])
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS:
            raise SemanticError(f"{name} is a function", token,
                                f"call it with parentheses: {name}(...)")
        if name in KEYWORDS:
            raise SemanticError(f"'{name}' is a reserved word", token,
                                "keywords (minimize, maximize, over, subject to) cannot be names")
        return real_symbol(name)

    def group(self, node, children):
        return children[1]

    def matrix(self, node, children):
        items, wheres = self._arguments(node, children, skip=1)
        return linalg.matrix_literal(items, wheres, node)

    def norm(self, node, children):
        return linalg.norm(children[1])

    # -- operators --------------------------------------------------------------------------
    def add(self, node, children):
        terms, signs, wheres = [children[0]], [1], [node.children[0]]
        for index in range(1, len(children), 2):
            signs.append(1 if children[index].type == "PLUS" else -1)
            terms.append(children[index + 1])
            wheres.append(children[index])
        vectors = [t for t in terms if linalg.is_matrix(t) and t.cols == 1]
        if vectors:  # x - b with b a vector: x is a vector variable
            for term, tree in zip(terms, [node.children[0]] + node.children[2::2]):
                self._vector_use(self._free_name(tree, term), vectors[0].rows)
        return linalg.add_all(terms, signs, wheres)

    def product(self, node, children):
        if not any(linalg.is_matrix(c) for c in children if not isinstance(c, Token)):
            return self._scalar_product(children)
        result = children[0]
        index = 1
        while index < len(children):
            item = children[index]
            operand_index = index + 1 if isinstance(item, Token) else index
            operand, operand_tree = children[operand_index], node.children[operand_index]
            if linalg.is_matrix(result) and not (isinstance(item, Token) and item.type == "SLASH"):
                self._vector_use(self._free_name(operand_tree, operand), result.cols)  # A x
            if index == 1 and linalg.is_matrix(operand):
                name = self._free_name(node.children[0], result, transposed=True)
                self._vector_use(name, operand.rows)  # x' A
            if isinstance(item, Token):
                if item.type == "SLASH":
                    result = linalg.divide(result, operand, item)
                else:
                    result = linalg.multiply(result, operand, item, "@" if item.type == "AT" else "*")
                index += 2
            else:
                result = linalg.multiply(result, item, node.children[index])
                index += 1
        return result

    def _scalar_product(self, children):
        factors = [children[0]]
        index = 1
        while index < len(children):
            item = children[index]
            if isinstance(item, Token):
                operand = children[index + 1]
                if item.type == "AT":
                    linalg.multiply(factors[-1], operand, item, "@")  # raises: scalars
                if item.type == "SLASH":
                    if operand is sp.S.Zero:
                        raise SemanticError("division by zero", item, kind="domain")
                    operand = sp.Pow(operand, -1)
                factors.append(operand)
                index += 2
            else:
                factors.append(item)
                index += 1
        if len(factors) == 2 and factors[0].is_Rational and factors[0] not in (0, 1, -1) \
                and linalg.is_plain_power(factors[1]):
            # c*(a + b)^n: SymPy's Mul would rebuild (and re-ask the assumptions of) the
            # power only to return Mul(c, power): build that directly
            return sp.Mul._from_args((factors[0], factors[1]))
        return sp.Mul(*factors)

    def sign(self, node, children):
        return children[1] if children[0].type == "PLUS" else linalg.negate(children[1])

    def power(self, node, children):
        base, operator, exponent = children
        result = linalg.power(base, exponent, operator)
        return check_value(result, operator, "this power")

    def transpose(self, node, children):
        return linalg.transpose(children[0])

    # -- calls ------------------------------------------------------------------------------
    def _arguments(self, node, children, skip):
        """Values of the arguments (every other child after `skip`) and their subtrees."""
        values, wheres = [], []
        for child, value in zip(node.children[skip:], children[skip:]):
            if isinstance(value, Token) and value.type in ("COMMA", "LPAR", "RPAR", "LBRACK",
                                                          "RBRACK"):
                continue
            values.append(value)
            wheres.append(child)
        return values, wheres

    def call(self, node, children):
        token = children[0]
        name = token.value
        args, wheres = self._arguments(node, children, skip=1)
        if name in FUNCTIONS and name not in self.shadowed:
            return self._builtin(FUNCTIONS[name], args, wheres, token)
        defined = self.lookup(name)
        if isinstance(defined, Function):
            return self._user_function(defined, args, token)
        touching = self.text[token.end_pos:token.end_pos + 1] == "("
        if defined is None and (len(args) != 1 or touching):
            known = set(FUNCTIONS) | {k for k, v in self.definitions.items()
                                      if isinstance(v, Function)}
            guess = suggest(name, known)
            if len(args) != 1 or guess:
                hint = f"did you mean {guess}?" if guess else \
                    f"define it first, e.g. {name}(x) = ..., or write {name}*(...) for a product"
                if guess and len(args) == 1:
                    hint += f" (for a product write {name}*(...))"
                raise SemanticError(f"unknown function {name}", token, hint)
        if len(args) != 1:
            raise SemanticError(f"{name} is not a function", token,
                                f"write {name}*(...) for a product")
        # x(1 - x): a name followed by a parenthesis is a product
        return linalg.multiply(self.name(Tree("name", [token]), [token]), args[0], token)

    def _user_function(self, function: Function, args, token):
        if len(args) == 1 and linalg.is_matrix(args[0]) and len(args[0]) == len(function.variables) > 1:
            args = list(args[0])  # f([1, 2]) for f(x1, x2): a vector spreads over the variables
        if len(args) != len(function.variables):
            raise SemanticError(f"{function.name} takes {len(function.variables)} argument(s), "
                                f"got {len(args)}", token,
                                f"it is defined as {to_text(function, strict=False)}")
        for arg in args:
            if linalg.is_matrix(arg):
                raise SemanticError(f"{function.name} takes scalar arguments, got a "
                                    f"{linalg.shape_text(arg)} matrix", token, kind="dimension")
        return check_value(function(*args), token, f"{function.name}(...)", deep=True)

    def _builtin(self, spec, args, wheres, token):
        if not spec.accepts(len(args)):
            hint = "atan2(y, x) takes two" if spec.name == "atan" and len(args) == 2 else None
            raise SemanticError(f"{spec.name} takes {spec.arity_text()}, got {len(args)}", token,
                                hint or f"{spec.name}: {spec.summary}")
        if spec.kind == "elementwise":
            if any(linalg.is_matrix(a) for a in args[1:]):
                raise SemanticError(f"{spec.name}: only the first argument may be a vector",
                                    token, kind="dimension")
            first = args[0]
            if linalg.is_matrix(first):
                return first.applyfunc(lambda e: check_value(spec.build(e, *args[1:]), token,
                                                             f"{spec.name}(...)"))
            return check_value(spec.build(*args), token, f"{spec.name}(...)")
        if spec.kind == "linear_algebra":
            if spec.name == "dot":
                for arg, tree, other in ((args[0], wheres[0], args[1]),
                                         (args[1], wheres[1], args[0])):
                    if linalg.is_matrix(other):
                        self._vector_use(self._free_name(tree, arg), len(other))
                return linalg.dot(args[0], args[1], token)
            return linalg.norm(args[0])
        if spec.kind in ("reduction", "vector"):
            if len(args) == 1 and linalg.is_matrix(args[0]):
                args = linalg.entries(args[0])
            elif any(linalg.is_matrix(a) for a in args):
                raise SemanticError(f"{spec.name} takes scalars or one vector", token,
                                    kind="dimension")
            result = spec.build(args) if spec.kind == "vector" else spec.build(*args)
            return check_value(result, token, f"{spec.name}(...)")
        if any(linalg.is_matrix(a) for a in args):
            raise SemanticError(f"{spec.name} takes scalar arguments", token, kind="dimension")
        return check_value(spec.build(*args), token, f"{spec.name}(...)")
