"""Differential run: importguard's contracts (IG401-IG404) against import-linter on the same tree.

Usage::

    python benchmarks/contracts_diff.py --tree DIR --package NAME --contracts FILE [--json OUT] [--runs N]

``--tree``       a folder holding the top-level package NAME (only that package is copied to a
                 scratch folder, so both tools see the same modules).
``--contracts``  a TOML file of ``[[contracts]]`` tables in import-linter's syntax (the same
                 tables go into ``[tool.importguard]`` and ``[tool.importlinter]``).
``--json``       write both sides' pairs and the classified differences to OUT.
``--runs``       also time both tools (median of N runs).

Compared, per contract, are the pairs of modules that violating chains join: (importing end,
imported end). import-linter lists a layers/independence route once with "extra firsts/lasts"
(each stands for a pair) and, for `forbidden`, shows one chain per route; importguard reports a
finding per pair. Third-party modules are named by their top-level package (grimp squashes them).
For `acyclic_siblings` the items are the packages whose children form a cycle.

Both tools find routes the same way (the shortest chain between the two sides, whose imports are
then left out of the next search), so direct imports and the set of violated contracts never
differ; a pair found only by one tool is classified:

- ``same-route``: the other tool reports a chain through the same modules in between, from the
  same importer or to the same imported module (import-linter shows one head and tail of a
  `forbidden` route where importguard reports each);
- ``tie``: the other tool found an equally short chain from the same importer or to the same
  imported module (the shortest chain was not unique and the tools chose differently, which then
  leaves different imports for the next search);
- ``after-tie``: the other tool also reports a chain from the same importer or to the same
  imported module, of another length (a later search, after different imports were left out);
- ``unexplained``: anything else (the differential test fails on it).

importguard honours `# noqa` on the importing line, as for every rule, and import-linter does
not: suppression comments are neutralised in the scratch copy, so both tools see the same imports.

Both tools count every import (typing-only and function-local ones included), so the contracts
are given `import_kinds` with all three kinds on the importguard side.
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

Chains = Dict[str, Set[Tuple[str, ...]]]  # contract name -> chains (module names, importer first)
CONTRACT = re.compile(r"\(contract `(.+?)`\)$")
HOP = re.compile(r"`(.+?)` imports `(.+?)`")
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


def squashed(chain: List[str], top: str) -> Tuple[str, ...]:
    """The chain with a third-party end named by its top-level package, as grimp names it."""
    last = chain[-1] if chain[-1].split(".")[0] == top else chain[-1].split(".")[0]
    return (*chain[:-1], last)


def importguard_chains(tree: Path, top: str) -> Tuple[Chains, List[Dict[str, Any]]]:
    proc = subprocess.run([sys.executable, "-m", "importguard", "check", "--select", "IG4", "--format", "json", "--no-cache", "."],
                          cwd=tree, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"importguard failed ({proc.returncode}): {proc.stderr}")
    findings = json.loads(proc.stdout)["findings"]
    chains: Chains = {}
    for finding in findings:
        match = CONTRACT.search(finding["message"])
        if finding["code"] in ("IG401", "IG402", "IG403") and match:
            hops = [HOP.match(r["message"]).group(2) for r in finding["related"]]  # type: ignore[union-attr]
            chains.setdefault(match.group(1), set()).add(squashed([finding["module"], *hops], top))
        elif finding["code"] == "IG404" and match:
            chains.setdefault(match.group(1), set()).add((finding["name"],))
    return chains, [f for f in findings if f["code"] in ("IG405", "IG406")]


def _route_chains(route: Dict[str, Any]) -> Set[Tuple[str, ...]]:
    links = route["chain"]
    middle = [link["imported"] for link in links[:-1]]
    heads = {links[0]["importer"]} | {link["importer"] for link in route["extra_firsts"]}
    tails = {links[-1]["imported"]} | {link["imported"] for link in route["extra_lasts"]}
    return {(head, *middle, tail) for head in heads for tail in tails}


def import_linter_chains(tree: Path) -> Chains:
    sys.path.insert(0, str(tree))
    from importlinter.application import use_cases
    from importlinter.configuration import configure

    configure()
    use_cases._register_built_in_contract_types()  # what `lint_imports` does before `create_report`
    report = use_cases.create_report(use_cases.read_user_options(str(tree / "pyproject.toml")), cache_dir=None)
    if report.could_not_run or report.invalid_contract_options:
        raise SystemExit(f"import-linter could not run: {report.invalid_contract_options}")
    chains: Chains = {}
    for contract, check in report.get_contracts_and_checks():
        found = chains.setdefault(contract.name, set())
        data = check.metadata
        if "invalid_dependencies" in data:  # layers
            found |= {c for dependency in data["invalid_dependencies"] for route in dependency["routes"] for c in _route_chains(route)}
        elif "cycle_breakers_by_package" in data:  # acyclic_siblings
            found |= {(name,) for name in data["cycle_breakers_by_package"]}
        else:
            for group in data.get("invalid_chains", []):
                for chain in group["chains"]:
                    if isinstance(chain, dict):  # independence: routes
                        found |= _route_chains(chain)
                    else:  # forbidden: plain chains
                        found.add((chain[0]["importer"], *(link["imported"] for link in chain)))
    return chains


def classify(pair: Tuple[str, ...], chain: Tuple[str, ...], others: Set[Tuple[str, ...]]) -> str:
    if len(chain) > 2 and any(o[1:-1] == chain[1:-1] and (o[0] == pair[0] or o[-1] == pair[-1]) for o in others if len(o) > 2):
        return "same-route"
    if len(chain) > 2 and any(len(o) == len(chain) and (o[0] == pair[0] or o[-1] == pair[-1]) for o in others):
        return "tie"
    if len(chain) > 2 and any(len(o) > 2 and (o[0] == pair[0] or o[-1] == pair[-1]) for o in others):
        return "after-tie"
    return "unexplained"


def differences(mine: Set[Tuple[str, ...]], theirs: Set[Tuple[str, ...]]) -> Dict[str, Any]:
    def ends(chains: Set[Tuple[str, ...]]) -> Dict[Tuple[str, ...], Tuple[str, ...]]:
        return {(c[0], c[-1]) if len(c) > 1 else c: c for c in sorted(chains, key=len, reverse=True)}

    ours, other = ends(mine), ends(theirs)
    row: Dict[str, Any] = {"importguard": len(ours), "import-linter": len(other), "both": len(ours.keys() & other.keys())}
    for label, side, rest in (("only_importguard", ours, theirs), ("only_import_linter", other, mine)):
        row[label] = [{"pair": list(pair), "chain": list(side[pair]), "why": classify(pair, side[pair], rest)}
                      for pair in sorted(side.keys() - (other if side is ours else ours).keys())]
    return row


SUPPRESSION = re.compile(r"#\s*(noqa|importguard:\s*ignore)", re.IGNORECASE)


def neutralise_suppressions(tree: Path) -> None:
    for path in tree.rglob("*.py"):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if SUPPRESSION.search(text):
            path.write_text(SUPPRESSION.sub("# (suppression removed)", text), encoding="utf-8", errors="surrogateescape")


def compare(tree: Path, package: str, contracts: List[Dict[str, Any]]) -> Dict[str, Any]:
    neutralise_suppressions(tree)
    write_config(tree, package, contracts)
    ours, problems = importguard_chains(tree, package.split(".")[0])
    theirs = import_linter_chains(tree)
    return {"problems": problems,
            "contracts": {c["name"]: differences(ours.get(c["name"], set()), theirs.get(c["name"], set())) for c in contracts}}


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
        for label in ("only_importguard", "only_import_linter"):
            for item in row[label]:
                print(f"    {label.replace('_', ' ')} ({item['why']}): {' -> '.join(item['chain'])}")
    for problem in result["problems"]:
        print(f"importguard configuration finding: {problem['code']} {problem['message']}")
    for label, seconds in result.get("seconds", {}).items():
        print(f"{label}: {seconds:.2f} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=list) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
