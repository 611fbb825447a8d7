"""The interactive shell (`symopt` with no arguments), standing on `symopt.Session`.

Statements of the language are kept between lines (`A = [[2, 1], [1, 3]]`, `f(x, y) = ...`);
commands start with a colon: :analyze, :grad, :hess, :minimize, :help, :quit.
"""

from __future__ import annotations

import sys

from symopt.errors import SymoptError

HELP = """\
Type statements of the language; definitions are kept:
  f(x, y) = x^3 + y^3 - 3x y       A = [[2, 1], [1, 3]]       x' A x
Commands:
  :analyze EXPR [| box]   critical points, classification, convexity (box like x=-5..5, y=-5..5)
  :grad EXPR  :hess EXPR  gradient / Hessian
  :minimize EXPR | x=-1.2, y=1 [| method]
  :defs                   the definitions so far;  :reset  forget them
  :help  :quit"""


class Repl:
    def __init__(self, out=sys.stdout):
        from symopt.language import Session
        self.session = Session()
        self.out = out

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def _function(self, text: str):
        from symopt.api import as_scalar_function
        return as_scalar_function(self.session.parse(text))

    def handle(self, line: str) -> bool:
        """Run one line; False means quit."""
        import symopt
        from symopt.textout import analysis_text, derive_text, minimize_text
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line in (":q", ":quit", ":exit"):
            return False
        command, _, rest = line.partition(" ") if line.startswith(":") else ("", "", line)
        parts = [p.strip() for p in rest.split("|")]
        try:
            if command == ":help":
                self.say(HELP)
            elif command == ":defs":
                for name, value in self.session.definitions.items():
                    self.say(f"{name} = {value}")
            elif command == ":reset":
                self.session.reset()
            elif command == ":analyze":
                fn = self._function(parts[0])
                box = parts[1] if len(parts) > 1 and parts[1] else None
                self.say(analysis_text(symopt.analyze(fn, box=box)))
            elif command in (":grad", ":hess"):
                fn = self._function(parts[0])
                self.say(derive_text(fn, fn.gradient(), fn.hessian()))
            elif command == ":minimize":
                fn = self._function(parts[0])
                if len(parts) < 2:
                    raise SymoptError(":minimize needs a start point: :minimize EXPR | x=1, y=2")
                method = parts[2] if len(parts) > 2 and parts[2] else "bfgs"
                self.say(minimize_text(symopt.minimize(fn, parts[1], method=method)))
            elif command:
                self.say(f"unknown command {command}; :help lists them")
            else:
                self.say(repr(self.session.parse(rest)))
        except SymoptError as exc:
            self.say(f"error: {exc}")
        return True


def main() -> int:
    repl = Repl()
    interactive = sys.stdin.isatty()
    if interactive:
        print("symopt - type :help for help, :quit to leave")
    while True:
        try:
            line = input("symopt> " if interactive else "")
        except EOFError:
            return 0
        except KeyboardInterrupt:
            print()
            continue
        if not repl.handle(line):
            return 0
