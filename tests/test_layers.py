"""importguard's own layers are an architecture contract in pyproject.toml, checked by importguard
itself (`tests/test_contracts.py::test_importguard_keeps_its_own_architecture_contracts` and
`.ci/run`): no import points up a layer or across the parts of one. What a layers contract does
not check (import-linter's `exhaustive`) is that every part of the package sits in some layer."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Set

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9/3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "importguard"


def parts_of_importguard() -> Set[str]:
    """`importguard.cli`, `importguard.run`, …: every module and subpackage at the top of the package."""
    modules = {f"importguard.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    packages = {f"importguard.{p.name}" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    return modules | packages


def declared_layers() -> Set[str]:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importguard"]["contracts"]
    [layers] = [c for c in contracts if c["type"] == "layers" and c["name"] == "importguard layers"]
    return {name.strip() for layer in layers["layers"] for name in re.split(r"[|:]", layer)}


def test_every_part_of_importguard_sits_in_a_declared_layer():
    assert sorted(parts_of_importguard() - declared_layers()) == []
