"""Differential test against import-linter itself on generated projects: the same contracts, in
both syntaxes, give the same set of violating (importer, imported) module pairs (for
`acyclic_siblings`, the same packages whose children form a cycle), except where the shortest
chain is not unique or import-linter shows one head of a route: benchmarks/contracts_diff.py
classifies each such difference, and none may be left unexplained (a direct import never is).

Each project is a package `gen` of four subpackages, each with modules and a nested package,
joined by random imports of every form (absolute, `from` with module and non-module names,
relative, function-local, under `TYPE_CHECKING`, third-party and standard-library ones), checked
by benchmarks/contracts_diff.py, which runs `importguard check` in a subprocess and
import-linter's own API on a copy of the tree.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

pytest.importorskip("importlinter")

REPOSITORY = Path(__file__).resolve().parents[1]
SCRIPT = REPOSITORY / "benchmarks" / "contracts_diff.py"
PARTS = ["a", "b", "c", "d"]
CONTRACTS = """
[[contracts]]
name = "layers"
type = "layers"
layers = ["gen.a", "gen.b | gen.c", "gen.d"]

[[contracts]]
name = "layers in containers"
type = "layers"
containers = ["gen.a", "gen.b"]
layers = ["m0 : m1", "sub", "(m9)"]
ignore_imports = ["gen.*.sub.** -> gen.*.m0"]
unmatched_ignore_imports_alerting = "none"

[[contracts]]
name = "forbidden"
type = "forbidden"
source_modules = ["gen.a", "gen.b.m1"]
forbidden_modules = ["gen.d", "requests", "json"]

[[contracts]]
name = "forbidden direct"
type = "forbidden"
source_modules = ["gen.c"]
forbidden_modules = ["gen.a.sub"]
allow_indirect_imports = true

[[contracts]]
name = "independence"
type = "independence"
modules = ["gen.b", "gen.c", "gen.d.sub"]

[[contracts]]
name = "acyclic"
type = "acyclic_siblings"
ancestors = ["gen"]
depth = 1
"""


def modules() -> List[str]:
    return [f"gen.{p}.{m}" for p in PARTS for m in ("m0", "m1", "m2")] + [f"gen.{p}.sub.s{i}" for p in PARTS for i in (0, 1)]


def import_line(rng: random.Random, importer: str, target: str) -> str:
    """One import of `target` in a random form that Python accepts from `importer`."""
    package, _, name = target.rpartition(".")
    forms = [f"import {target}", f"from {package} import {name}", f"from {target} import thing",
             f"import {rng.choice(['requests', 'json', 'requests.adapters'])}"]
    own = importer.rsplit(".", 1)[0]
    if package == own:
        forms.append(f"from . import {name}")
    if package.rsplit(".", 1)[0] == own.rsplit(".", 1)[0] and package.count(".") == own.count("."):
        forms.append(f"from ..{package.rsplit('.', 1)[1]} import {name}")
    return rng.choice(forms)


def project(seed: int) -> Dict[str, str]:
    rng = random.Random(seed)
    files = {"gen/__init__.py": ""}
    for part in PARTS:
        files[f"gen/{part}/__init__.py"] = ""
        files[f"gen/{part}/sub/__init__.py"] = ""
    everything = modules()
    for module in everything:
        lines = ["from typing import TYPE_CHECKING", "thing = 1"]
        for target in rng.sample([m for m in everything if m != module], rng.randint(0, 3)):
            statement = import_line(rng, module, target)
            where = rng.random()
            if where < 0.15:
                lines += ["", "def later():", f"    {statement}", "    return 1"]
            elif where < 0.25:
                lines += ["if TYPE_CHECKING:", f"    {statement}"]
            else:
                lines.append(statement)
        files[module.replace(".", "/") + ".py"] = "\n".join(lines) + "\n"
    return files


@pytest.mark.parametrize("seed", range(12))
def test_same_violating_pairs_as_import_linter(seed, tmp_path):
    tree = tmp_path / "tree"
    for relative, text in project(seed).items():
        path = tree / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    contracts = tmp_path / "contracts.toml"
    contracts.write_text(CONTRACTS, encoding="utf-8")
    out = tmp_path / "diff.json"
    proc = subprocess.run([sys.executable, str(SCRIPT), "--tree", str(tree), "--package", "gen", "--contracts", str(contracts),
                           "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    assert result["problems"] == []
    unexplained = [item for row in result["contracts"].values() for label in ("only_importguard", "only_import_linter")
                   for item in row[label] if item["why"] == "unexplained"]
    assert unexplained == [], proc.stdout
    # not vacuous: the random imports break most contracts
    assert sum(row["both"] for row in result["contracts"].values()) > 0
