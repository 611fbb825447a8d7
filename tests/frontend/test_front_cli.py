"""The command line: exit codes, JSON keys of CONTRACT section 3, readable errors."""

import json
import subprocess
import sys

import pytest

from symopt.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_json_has_contract_keys(capsys):
    code, out, _ = run(capsys, "analyze", "x^3 + y^3 - 3x y", "--json")
    assert code == 0
    data = json.loads(out)
    for key in ("variables", "function", "gradient", "hessian", "critical_points", "families",
                "complete", "convexity"):
        assert key in data
    assert data["variables"] == ["x", "y"]
    kinds = {(p["point"]["x"], p["point"]["y"]): p["kind"] for p in data["critical_points"]}
    assert kinds == {("0", "0"): "saddle", ("1", "1"): "minimum"}
    assert data["complete"] is True
    assert data["convexity"]["verdict"] == "neither"
    for p in data["critical_points"]:
        for key in ("point", "approx", "value", "kind", "strict", "degenerate", "eigenvalues",
                    "method", "test"):
            assert key in p
        assert p["method"] == "exact"
        assert isinstance(p["approx"]["x"], float)


def test_analyze_text_table(capsys):
    code, out, _ = run(capsys, "analyze", "x^2 - y^2")
    assert code == 0
    assert "saddle" in out and "gradient" in out and "proven complete" in out


def test_leading_minus_after_double_dash(capsys):
    code, out, _ = run(capsys, "analyze", "--json", "--", "-x^6")
    assert code == 0
    data = json.loads(out)
    assert [p["kind"] for p in data["critical_points"]] == ["maximum"]


def test_parse_error_exit_2_with_caret(capsys):
    code, _, err = run(capsys, "analyze", "x^2 + * y")
    assert code == 2
    assert "^" in err and "line 1" in err.lower() and "column" in err.lower()


def test_bad_box_exit_2(capsys):
    code, _, err = run(capsys, "analyze", "x^2", "--box", "x=5..-5")
    assert code == 2
    assert "empty range" in err


def test_box_restricts_points(capsys):
    code, out, _ = run(capsys, "analyze", "(x^2+y-11)^2 + (x+y^2-7)^2", "--box", "x=0..5, y=0..5", "--json")
    assert code == 0
    data = json.loads(out)
    pts = {(p["point"]["x"], p["point"]["y"]) for p in data["critical_points"]}
    assert ("3", "2") in pts
    assert all(0 <= p["approx"]["x"] <= 5 and 0 <= p["approx"]["y"] <= 5 for p in data["critical_points"])


def test_minimize_json(capsys):
    code, out, _ = run(capsys, "minimize", "100(y - x^2)^2 + (1 - x)^2", "--from", "x=-1.2, y=1",
                       "--method", "newton", "--json")
    assert code == 0
    data = json.loads(out)
    for key in ("x", "fun", "grad_norm", "nit", "nfev", "status", "success", "message", "method"):
        assert key in data
    assert data["status"] == "converged" and data["success"] is True
    assert data["x"]["x"] == pytest.approx(1, abs=1e-6) and data["x"]["y"] == pytest.approx(1, abs=1e-6)


def test_minimize_unknown_method_is_an_error(capsys):
    code, _, err = run(capsys, "minimize", "x^2", "--from", "x=1", "--method", "sgd-magic")
    assert code == 2  # bad input (CONTRACT section 2)
    assert "sgd-magic" in err and "\n" not in err.strip()


def test_minimize_start_must_name_every_variable(capsys):
    code, _, err = run(capsys, "minimize", "x^2 + y^2", "--from", "x=1")
    assert code == 2
    assert "y" in err


def test_python_dash_m_symopt():
    proc = subprocess.run([sys.executable, "-m", "symopt", "derive", "x^2 y", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["gradient"] == ["2*x*y", "x**2"]
    assert data["hessian"] == [["2*y", "2*x"], ["2*x", "0"]]
