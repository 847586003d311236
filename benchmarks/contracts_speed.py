"""What declaring contracts costs: `importguard check` on two copies of a corpus, one without
contracts and one with the contracts of a file, timed in turns (the machine is shared: a slow
moment hits both sides alike).

Usage::

    python benchmarks/contracts_speed.py --corpus DIR --contracts FILE [--runs 10] [--touch REL_PATH]

Each copy gets a `[tool.importguard]` table (empty, or with the contracts of FILE, written in
import-linter's `[[contracts]]` syntax as for `contracts_diff.py`). After a cold run of each, it
times, alternately, N warm runs (nothing changed: the memo answers) and N re-runs after an edit
that adds an import line at the top of REL_PATH (a project-level change: every whole-project
rule, the contracts included, runs again on cached facts). Medians, and the added share.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def table(contracts: List[Dict[str, object]]) -> str:
    lines = ["", "[tool.importguard]", ""]
    for contract in contracts:
        lines += ["[[tool.importguard.contracts]]"] + [f"{k} = {json.dumps(v)}" for k, v in contract.items()] + [""]
    return "\n".join(lines)


def run(tree: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "importguard", "check", "-q", "--exit-zero", "."], cwd=tree, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"importguard failed in {tree}: {proc.stderr}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--contracts", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--touch", default="django/utils/text.py")
    args = parser.parse_args()
    contracts = tomllib.loads(args.contracts.read_text(encoding="utf-8"))["contracts"]
    with tempfile.TemporaryDirectory(prefix="contracts-speed-") as scratch:
        trees = {"without": Path(scratch) / "without", "with": Path(scratch) / "with"}
        for label, tree in trees.items():
            shutil.copytree(args.corpus, tree)
            with (tree / "pyproject.toml").open("a", encoding="utf-8") as handle:
                handle.write(table(contracts if label == "with" else []))
            run(tree)  # cold: fills the facts cache and the memo
        warm: Dict[str, List[float]] = {label: [] for label in trees}
        rerun: Dict[str, List[float]] = {label: [] for label in trees}
        originals = {label: (tree / args.touch).read_text(encoding="utf-8") for label, tree in trees.items()}
        for index in range(args.runs):
            for label, tree in trees.items():
                warm[label].append(run(tree))
            for label, tree in trees.items():
                touched = tree / args.touch
                extra = f"import json as _bench_{index}\n"  # a new import line moves every line below it
                touched.write_text(extra + originals[label], encoding="utf-8")
                rerun[label].append(run(tree))
    for name, times in (("warm (nothing changed)", warm), (f"re-run after an import added to {args.touch}", rerun)):
        before, after = statistics.median(times["without"]), statistics.median(times["with"])
        print(f"{name}: without contracts {before:.3f} s, with {len(contracts)} contracts {after:.3f} s "
              f"({(after - before) / before * 100:+.1f}%), medians of {args.runs}")


if __name__ == "__main__":
    main()
