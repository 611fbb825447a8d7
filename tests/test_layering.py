"""The floors of the layout (README, 'Layout'): a module imports only from its own floor or the
floors below, also inside functions; no rung of the ladder imports another rung."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1] / "symopt"

# floor of each top-level part of the package (lower floors never import higher ones)
FLOORS = {
    "errors": 0, "budget": 0,
    "core": 1,
    "language": 2, "codegen": 2, "analysis": 2,
    "solvers": 3, "constrained": 3, "report": 3, "landscape": 3, "textout": 3,
    "api": 4, "values": 4,
    "cli": 5, "repl": 5, "__main__": 5, "__init__": 5,
}
# inside analysis/: the kernel at the bottom, the climb on top
ANALYSIS = {
    "results": 0, "exact": 1, "conditioning": 1, "classify": 2, "convexity": 2,
    "ladder": 3, "parametric": 4, "critical": 5, "analyze": 6, "__init__": 6,
}
RUNGS = ("polynomial", "families", "transcendental", "certified")
# cross-rung imports still to be moved into shared ladder modules (issue 13); each entry must
# still exist (test_known_cross_rung_imports_are_real), so removing one forces its deletion here
KNOWN_CROSS_RUNG = {("certified", "transcendental"), ("families", "polynomial"),
                    ("transcendental", "families")}


def _imports(path: pathlib.Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        yield path, parts


def _part(parts):
    return parts[0]


@pytest.mark.parametrize("path, parts", list(_modules()), ids=lambda p: "/".join(p) if isinstance(p, tuple) else "")
def test_imports_respect_the_floors(path, parts):
    here = FLOORS.get(_part(parts))
    assert here is not None, f"{'/'.join(parts)}: add its top-level part to FLOORS"
    for name in _imports(path):
        if not name.startswith("symopt.") :
            continue
        target = name.split(".")[1:]
        if not target:
            continue
        there = FLOORS.get(target[0])
        assert there is not None, f"{name}: unknown part"
        assert there <= here, f"{'/'.join(parts)} (floor {here}) imports {name} (floor {there})"
        if parts[0] == "analysis" and target[0] == "analysis" and len(parts) > 1 and len(target) > 1:
            a, b = ANALYSIS[parts[1]], ANALYSIS[target[1]]
            assert b <= a, f"analysis/{parts[1]} imports the higher analysis/{target[1]} ({name})"
            if parts[1] == target[1] == "ladder" and len(parts) > 2 and len(target) > 2:
                if parts[2] in RUNGS and target[2] in RUNGS and parts[2] != target[2]:
                    assert (parts[2], target[2]) in KNOWN_CROSS_RUNG, \
                        f"rung {parts[2]} imports rung {target[2]}"


def test_known_cross_rung_imports_are_real():
    found = set()
    for path, parts in _modules():
        if parts[:2] == ("analysis", "ladder") and len(parts) > 2 and parts[2] in RUNGS:
            for name in _imports(path):
                t = name.split(".")
                if t[:3] == ["symopt", "analysis", "ladder"] and len(t) > 3 and t[3] in RUNGS:
                    if t[3] != parts[2]:
                        found.add((parts[2], t[3]))
    assert found == KNOWN_CROSS_RUNG
