"""Parametric critical points off the linear path: sympy.solve, verified, never complete; and
the JSON/CLI shape of parametric answers."""

import json
import os
import subprocess
import sys

import sympy as sp

from symopt.analysis.critical import critical_points
from symopt.analysis.results import CriticalSet, Kind
from symopt.core.symbols import real_symbol

x, y = real_symbol("x"), real_symbol("y")
a = real_symbol("a")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fixed(case) -> dict:
    """The parameter values a case's condition fixes (a = 0 ...): its points may be concrete."""
    values = {}
    for e in sp.And.make_args(case.condition):
        if isinstance(e, sp.Equality):
            values.update(*sp.solve(e, list(e.free_symbols), dict=True))
    return values


def test_cubic_with_parameter_points_are_plus_minus_sqrt_a():
    cs = critical_points(x**3 - 3 * a * x, variables=[x])
    assert not cs.complete and all(not k.complete for k in cs.cases)
    assert any("completeness" in n for n in cs.notes)
    points = {k.points[0].point[x] for k in cs.cases}
    # +-sqrt(a) for a > 0; at a = 0 both are the origin, decided for x^3: an inflection (saddle)
    assert points == {sp.sqrt(a), -sp.sqrt(a), 0}
    for k in cs.cases:
        p = k.points[0]
        assert sp.simplify((3 * x**2 - 3 * a).subs(fixed(k)).subs(p.point)) == 0
        if p.point[x] == 0:
            assert k.condition == sp.Eq(a, 0) and p.kind is Kind.SADDLE
        elif sp.simplify(k.condition.subs(a, 4)) is sp.true:
            # the verdict must hold where the condition holds: a = 4 -> x = 2 min, x = -2 max
            assert p.kind is (Kind.MINIMUM if p.point[x].subs(a, 4) == 2 else Kind.MAXIMUM)
        # the verdict must hold where the condition holds: a = 4 -> x = 2 min, x = -2 max
        if sp.sympify(k.condition).subs(a, 4) is sp.true:
            assert p.kind is (Kind.MINIMUM if p.point[x].subs(a, 4) == 2 else Kind.MAXIMUM)


def test_nonlinear_two_variables_verified():
    f = x**4 / 4 - a * x + y**2
    cs = critical_points(f, variables=[x, y])
    assert not cs.complete and cs.cases
    for k in cs.cases:
        for p in k.points:
            assert all(sp.simplify(g.subs(fixed(k)).subs(p.point)) == 0 for g in cs.gradient)


def test_solve_budget_is_reported():
    f = sp.exp(a * x) * sp.sin(x * y) + sp.cos(a * x * y**2) + x**5 * y**3 * a
    cs = critical_points(f, variables=[x, y], seconds=0.5)
    assert not cs.complete
    assert cs.method_trail and cs.method_trail[0].startswith("parametric")


def test_dict_keys_unchanged_and_cases_always_a_list():
    plain = critical_points(x**2 - 2 * x).to_dict()
    assert plain["cases"] == []
    d = critical_points(a * x**2 + x, variables=[x]).to_dict()
    assert {"critical_points", "families", "complete", "notes", "cases"} <= set(d)
    case = d["cases"][0]
    assert set(case) == {"condition", "critical_points", "families", "complete", "reason"}
    assert case["condition"] == "a > 0" and case["critical_points"][0]["point"] == {"x": "-1/(2*a)"}
    assert CriticalSet.__dataclass_fields__["cases"].default == ()


def test_cli_json_has_cases():
    env = dict(os.environ, PYTHONPATH=ROOT)
    out = subprocess.run([sys.executable, "-m", "symopt", "analyze", "a x^2 + b x", "--vars", "x",
                          "--json"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    conds = {c["condition"]: c for c in d["cases"]}
    assert conds["a > 0"]["critical_points"][0]["kind"] == "minimum"
    assert conds["a > 0"]["critical_points"][0]["point"] == {"x": "-b/(2*a)"}
    assert d["complete"] is True


def test_cli_text_prints_cases():
    env = dict(os.environ, PYTHONPATH=ROOT)
    out = subprocess.run([sys.executable, "-m", "symopt", "analyze", "a x^2 + b x + c", "--vars",
                          "x"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "case a > 0: x = -b/(2*a): minimum" in out.stdout
    assert "case a < 0: x = -b/(2*a): maximum" in out.stdout
