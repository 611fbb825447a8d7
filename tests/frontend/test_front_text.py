"""The plain-text output of the CLI (what a person reads): facts in the right rows, enums printed
as words, no Python reprs leaking."""

import re

from symopt.cli import main


def text(capsys, *argv) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def _row(out: str, point: str) -> str:
    (line,) = [ln for ln in out.splitlines() if re.match(rf"\s+\d+\s+{re.escape(point)}\s", ln)]
    return line


def test_analysis_table_lists_each_point_with_its_kind(capsys):
    out = text(capsys, "analyze", "x^3 + y^3 - 3x y")
    assert "critical points: 2 (proven complete)" in out
    assert "saddle" in _row(out, "x=0, y=0") and "exact" in _row(out, "x=0, y=0")
    assert "minimum" in _row(out, "x=1, y=1")
    # conditioning of the minimum (Hessian diag-ish [[6, -3], [-3, 6]]: eigenvalues 3, 9)
    assert re.search(r"\n\s+2\s+3\s+2/9\s+1/2\s*\n", out)
    for leak in ("Kind.", "Test.", "Method.", "Convexity.", "None"):
        assert leak not in out


def test_lattice_families_and_box_in_text(capsys):
    out = text(capsys, "analyze", "sin(x)", "--box", "x=0..7")
    assert "box:         x=0..7" in out
    assert "maximum" in _row(out, "x=pi/2") and "minimum" in _row(out, "x=3*pi/2")
    assert "lattice" in out and "2*pi*k + pi/2" in out


def test_minimize_text_reports_the_chapter_figures(capsys):
    out = text(capsys, "minimize", "100(y - x^2)^2 + (1 - x)^2", "--from", "x=-1.2, y=1",
               "--method", "newton")
    assert "status:      converged" in out
    kappa = float(re.search(r"condition number kappa .*?: ([\d.]+)", out).group(1))
    assert abs(kappa - 2508.01) < 0.1     # the Rosenbrock ravine at (1, 1)


def test_derive_text_shows_gradient_and_hessian(capsys):
    out = text(capsys, "derive", "x^2 y")
    assert "[2*x*y, x**2]" in out and "[[2*y, 2*x]," in out
