"""Floor 2: the symopt language (Lark grammar -> exact SymPy trees), its printer and sessions.

    parse(text)    -> sympy Expr | ImmutableMatrix | Function | Problem   (CONTRACT section 1)
    to_text(obj)   -> symopt text; parse(to_text(e)) == e for exact objects
    Session()      -> definitions kept between parse calls (the REPL's state)

Decisions the contract leaves open, settled here:

* Juxtaposition multiplies at the precedence of `*`, left to right, and its right operand is a
  power: `2x^2` = 2*(x^2), `x y^2` = x*(y^2), `1/2 x` = (1/2)*x, `1/2 ||v||^2` = ||v||^2/2.
  `xy` is one name. `2e` is 2*e, but `2e3` is the number 2000.
* A function needs parentheses: `sin x` is an error ("sin is a function"). A name that is not a
  function followed by `(` multiplies: `x(1 - x)`; but `sinn(x)`, written without a space and
  close to a known function name, is an error with "did you mean sin?" (write `sinn*(x)` or
  `sinn (x)` for the product).
* `log(x, b)` is the base-b logarithm (SymPy's log(x)/log(b)); `ln` is `log`.
* `||v||`, `norm(v)`: Euclidean norm of a vector (Frobenius of a matrix), abs of a scalar.
  Scalar functions apply entry by entry to vectors (`exp([x, y])`, `sigmoid(A x)`).
* Every product that comes out 1x1 is a scalar (`x' A x`); sums need equal shapes.
* A bare name of a defined function means its body (`f(x, y) = ...; minimize f`).
* Constraints compare vectors entry by entry (`A x <= b`); strict `<`, `>` are refused.
* Floats: `to_text` refuses them by default (they cannot round-trip; see printer.py).
* Inputs longer than parser.MAX_TEXT_LENGTH characters are refused at once.
"""

from symopt.language.printer import SymoptPrinter, UnprintableError, to_text
from symopt.language.session import Session, parse

__all__ = ["parse", "to_text", "Session", "SymoptPrinter", "UnprintableError"]
