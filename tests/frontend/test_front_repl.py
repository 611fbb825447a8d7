"""The REPL keeps definitions between lines and reports errors without leaving."""

import io

from symopt.repl import Repl


def run(lines):
    out = io.StringIO()
    repl = Repl(out=out)
    for line in lines:
        if not repl.handle(line):
            break
    return out.getvalue()


def test_definitions_persist_and_analyze_uses_them():
    text = run(["A = [[2, 1], [1, 3]]", "f(x) = 1/2 x' A x - [1, 1]' x", ":analyze f(x1, x2)"])
    # grad = A x - [1, 1] = 0  ->  x = A^-1 [1, 1] = (2/5, 1/5), a strict minimum
    assert "x1=2/5, x2=1/5" in text and "minimum" in text and "proven complete" in text


def test_errors_are_reported_and_the_session_goes_on():
    text = run(["x^2 + * y", "g(t) = t^3", ":grad g(t)"])
    assert "error:" in text and "column" in text
    assert "3*t**2" in text


def test_quit_stops_and_unknown_commands_are_named():
    text = run([":frobnicate", ":quit", "x^2"])
    assert ":frobnicate" in text and "x**2" not in text


def test_minimize_from_the_repl():
    text = run([":minimize (x - 3)^2 + (y + 1)^2 | x=0, y=0 | newton"])
    assert "converged" in text and "x=3" in text
