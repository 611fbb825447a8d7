"""The wheel ships every package: pyproject's explicit list matches the folders on disk."""

import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_every_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "symopt").rglob("__init__.py")}
    assert on_disk - listed == set(), "add these packages to pyproject.toml"
    assert listed - on_disk == {"symopt._grammar"}
