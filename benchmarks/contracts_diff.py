"""Differential run: importguard's contracts (IG401-IG404) against import-linter on the same tree.

Usage::

    python benchmarks/contracts_diff.py --tree DIR --package NAME --contracts FILE [--json OUT] [--runs N]

``--tree``       a folder holding the top-level package NAME (copied to a scratch folder first).
``--contracts``  a TOML file of ``[[contracts]]`` tables in import-linter's syntax (the same
                 tables go into ``[tool.importguard]`` and ``[tool.importlinter]``).
``--json``       write both sides' pairs and the differences to OUT.
``--runs``       also time both tools (median of N runs; importguard cold with ``--no-cache``,
                 and warm, memo hit).

import-linter reports, per contract, the pairs of modules its chains join (a route with several
heads or tails stands for each pair); importguard reports one finding per pair, `module` the
importing end and `name` the imported one. Third-party modules are compared by their top-level
package (grimp squashes them). For `acyclic_siblings` the compared items are the packages whose
children form a cycle. Both tools count every import (typing-only and function-local ones
included), so the contracts are given `import_kinds` with all three kinds on the importguard side.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

Pairs = Dict[str, Set[Tuple[str, ...]]]
CONTRACT = re.compile(r"\(contract `(.+?)`\)$")
ALL_KINDS = ["import-time", "deferred", "typing-only"]


def toml_value(value: Any) -> str:
    return json.dumps(value)  # a JSON string, list or boolean is valid TOML


def write_config(tree: Path, package: str, contracts: List[Dict[str, Any]]) -> None:
    lines = ["[tool.importguard]", ""]
    for contract in contracts:
        lines += ["[[tool.importguard.contracts]]"] + [f"{k} = {toml_value(v)}" for k, v in contract.items()]
        lines += [f"import_kinds = {toml_value(ALL_KINDS)}", ""]
    lines += ["[tool.importlinter]", f"root_packages = {toml_value([package])}", "include_external_packages = true", ""]
    for contract in contracts:
        lines += ["[[tool.importlinter.contracts]]"] + [f"{k} = {toml_value(v)}" for k, v in contract.items()] + [""]
    (tree / "pyproject.toml").write_text("\n".join(lines), encoding="utf-8")


def importguard_pairs(tree: Path) -> Tuple[Pairs, List[Dict[str, Any]]]:
    proc = subprocess.run([sys.executable, "-m", "importguard", "check", "--select", "IG4", "--format", "json", "--no-cache", "."],
                          cwd=tree, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"importguard failed ({proc.returncode}): {proc.stderr}")
    findings = json.loads(proc.stdout)["findings"]
    pairs: Pairs = {}
    for finding in findings:
        match = CONTRACT.search(finding["message"])
        if finding["code"] in ("IG401", "IG402", "IG403") and match:
            pairs.setdefault(match.group(1), set()).add((finding["module"], finding["name"]))
        elif finding["code"] == "IG404" and match:
            pairs.setdefault(match.group(1), set()).add((finding["name"],))
    return pairs, [f for f in findings if f["code"] in ("IG405", "IG406")]


def _route_pairs(route: Dict[str, Any]) -> Set[Tuple[str, str]]:
    chain = route["chain"]
    heads = {chain[0]["importer"]} | {link["importer"] for link in route["extra_firsts"]}
    tails = {chain[-1]["imported"]} | {link["imported"] for link in route["extra_lasts"]}
    return {(head, tail) for head in heads for tail in tails}


def import_linter_pairs(tree: Path, package: str) -> Pairs:
    sys.path.insert(0, str(tree))
    from importlinter.application import use_cases
    from importlinter.configuration import configure

    configure()
    use_cases._register_built_in_contract_types()  # what `lint_imports` does before `create_report`

    report = use_cases.create_report(use_cases.read_user_options(str(tree / "pyproject.toml")), cache_dir=None)
    if report.could_not_run or report.invalid_contract_options:
        raise SystemExit(f"import-linter could not run: {report.invalid_contract_options}")
    pairs: Pairs = {}
    for contract, check in report.get_contracts_and_checks():
        found = pairs.setdefault(contract.name, set())
        data = check.metadata
        if "invalid_dependencies" in data:  # layers
            found |= {p for dependency in data["invalid_dependencies"] for route in dependency["routes"] for p in _route_pairs(route)}
        elif "cycle_breakers_by_package" in data:  # acyclic_siblings
            found |= {(name,) for name in data["cycle_breakers_by_package"]}
        else:
            for group in data.get("invalid_chains", []):
                for chain in group["chains"]:
                    if isinstance(chain, dict):  # independence: routes
                        found |= _route_pairs(chain)
                    else:  # forbidden: plain chains
                        found.add((chain[0]["importer"], chain[-1]["imported"]))
    return pairs  # grimp names a third-party module by its top-level package already


def squash_external(pairs: Pairs, package: str) -> Pairs:
    top = package.split(".")[0]
    return {name: {p if len(p) == 1 else (p[0], p[1] if p[1].split(".")[0] == top else p[1].split(".")[0]) for p in found}
            for name, found in pairs.items()}


def compare(tree: Path, package: str, contracts: List[Dict[str, Any]]) -> Dict[str, Any]:
    write_config(tree, package, contracts)
    ours, problems = importguard_pairs(tree)
    ours = squash_external(ours, package)
    theirs = import_linter_pairs(tree, package)
    result: Dict[str, Any] = {"problems": problems, "contracts": {}}
    for contract in contracts:
        name = contract["name"]
        mine, other = ours.get(name, set()), theirs.get(name, set())
        result["contracts"][name] = {
            "importguard": len(mine), "import-linter": len(other), "both": len(mine & other),
            "only_importguard": sorted(mine - other), "only_import_linter": sorted(other - mine),
        }
    return result


def timed(command: List[str], cwd: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, required=True)
    parser.add_argument("--package", required=True)
    parser.add_argument("--contracts", type=Path, required=True)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--runs", type=int, default=0)
    args = parser.parse_args()
    contracts = tomllib.loads(args.contracts.read_text(encoding="utf-8"))["contracts"]
    with tempfile.TemporaryDirectory(prefix="contracts-diff-") as scratch:
        tree = Path(scratch) / "tree"
        shutil.copytree(args.tree / args.package.split(".")[0], tree / args.package.split(".")[0])
        result = compare(tree, args.package, contracts)
        if args.runs:
            ig = [sys.executable, "-m", "importguard", "check", "--select", "IG4", "-q", "."]
            result["seconds"] = {
                "importguard cold": timed(ig + ["--no-cache"], tree, args.runs),
                "importguard warm": (timed(ig, tree, 1), timed(ig, tree, args.runs))[1],
                "lint-imports (no cache)": timed(["lint-imports", "--no-cache"], tree, args.runs),
            }
    for name, row in result["contracts"].items():
        print(f"{name}: importguard {row['importguard']}, import-linter {row['import-linter']}, both {row['both']}, "
              f"only importguard {len(row['only_importguard'])}, only import-linter {len(row['only_import_linter'])}")
        for pair in row["only_importguard"]:
            print(f"    only importguard: {' -> '.join(pair)}")
        for pair in row["only_import_linter"]:
            print(f"    only import-linter: {' -> '.join(pair)}")
    for problem in result["problems"]:
        print(f"importguard configuration finding: {problem['code']} {problem['message']}")
    for label, seconds in result.get("seconds", {}).items():
        print(f"{label}: {seconds:.2f} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=list) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
