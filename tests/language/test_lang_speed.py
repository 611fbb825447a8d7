"""Speed: the 1000-variable extended Rosenbrock (~38 KB of text) parses in about a second."""

import time

import sympy as sp

from symopt.core.symbols import real_symbol
from symopt.language import parse


def rosenbrock_text(n: int) -> str:
    return " + ".join(f"100(x{i + 1} - x{i}^2)^2 + (1 - x{i})^2" for i in range(1, n))


def test_rosenbrock_1000_parses_fast_and_right():
    text = rosenbrock_text(1000)
    start = time.perf_counter()
    expr = parse(text)
    elapsed = time.perf_counter() - start
    # a guard against quadratic blow-up only (about 1 s here); bench/derive.py measures speed
    assert elapsed < 30.0, f"parsing took {elapsed:.2f} s"
    assert isinstance(expr, sp.Add) and len(expr.args) == 2 * 999
    assert len(expr.free_symbols) == 1000
    ones = {real_symbol(f"x{i}"): 1 for i in range(1, 1001)}
    assert expr.xreplace(ones) == 0  # the global minimum is at (1, ..., 1) with value 0
    zeros = {real_symbol(f"x{i}"): 0 for i in range(1, 1001)}
    assert expr.xreplace(zeros) == 999


def test_long_sums_scale_linearly():
    times = []
    for n in (250, 1000):
        text = " + ".join(f"x{i}^2" for i in range(n))
        start = time.perf_counter()
        parse(text)
        times.append(time.perf_counter() - start)
    assert times[1] < 12 * times[0] + 2.0  # 4x the terms: linear is ~4x, quadratic ~16x
