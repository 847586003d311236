"""Audit importguard on the library code of released sdists.

Usage (from the repository root, in the environment where importguard is installed)::

    python benchmarks/released.py [--packages celery,sympy] [--select IG203] [--jobs 2]
                                  [--markdown] [--json OUT] [--classified FILE]

For each pinned package (`PACKAGES`), the sdist is downloaded once with
`pip download --no-deps --no-binary :all:` into `benchmarks/.corpora/sdists/` and unpacked
into `benchmarks/.corpora/released/NAME-VERSION/` (git ignores `benchmarks/.corpora/`).

Library code is the package folders of the sdist: the folders with an `__init__.py` directly in
`src/` (when it has any) or else in the sdist root, kept to the `*.egg-info/top_level.txt` names
when the sdist has one. Below them, test folders (`tests`, `test`, `testing`, `*_tests`), `docs`,
`examples`, `benchmarks` and `scripts` are left out, and so are `test_*.py`, `*_test.py` and
`conftest.py`. Only `.py` files count, both for the kLOC (non-blank physical lines / 1000) and
for the findings.

importguard checks the whole unpacked sdist (`importguard check . --format json --exit-zero -q
--no-cache --jobs N`, run from the sdist root, so the project model includes tests and tooling);
only the findings in library files are kept. `--select CODES` adds rules to the default set
(importguard's `--extend-select`), e.g. to count opt-in rules too.

The table has, per package: library files and kLOC, the findings per rule code, the total, and
the name/module findings (IG101-IG109, IG304, IG305) per 10 kLOC. `--json OUT` writes every
library finding (code, path relative to the sdist root, line, message, hint) per package.

`--classified FILE` merges a maintainer's verdicts on the findings (of every rule): a JSON object keyed
`NAME-VERSION:path:line:code:name` (`name` is the first backticked name of the message, the last
one for IG304/IG305) whose values are `{"verdict": "true-bug" | "false" | "by-design", "why": ...}`
(`results/released_classified.json`). The table then counts, per package, the findings of each
verdict and those with none (`unclassified`); `--json` adds `verdict` and `why`
to each classified finding and the counts to each package. Verdicts that match no finding are
listed on stderr (the finding was fixed, moved, or lost).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
SDISTS = HERE / ".corpora" / "sdists"
RELEASED = HERE / ".corpora" / "released"

PACKAGES: List[Tuple[str, str]] = [
    ("celery", "5.7.0"),
    ("sympy", "1.14.0"),
    ("twisted", "26.10.0"),
    ("Django", "5.1.4"),
    ("rich", "15.0.0"),
    ("requests", "2.34.2"),
    ("flask", "3.1.3"),
    ("attrs", "26.1.0"),
    ("click", "8.5.1"),
    ("jinja2", "3.1.6"),
    ("httpx", "0.29.0"),
    # Untuned validation set (added 2026-12-04): not looked at while tuning the rules.
    ("tornado", "6.6.1"),
    ("werkzeug", "3.1.9"),
    ("pygments", "2.21.0"),
    ("paramiko", "5.1.0"),
]

NAME_MODULE_CODES = frozenset([f"IG10{n}" for n in range(1, 10)] + ["IG304", "IG305"])
VERDICTS = ("true-bug", "false", "by-design", "unclassified")
EXCLUDED_DIRS = frozenset(["tests", "test", "testing", "docs", "examples", "benchmarks", "scripts"])


@dataclass
class Audit:
    name: str
    version: str
    root: Path
    packages: List[str]  # library folders, relative to the sdist root
    files: int
    kloc: float
    seconds: float
    findings: List[Dict[str, Any]] = field(default_factory=list)

    @property
    def by_code(self) -> Counter:
        return Counter(f["code"] for f in self.findings)

    def verdicts(self) -> Counter:
        """Findings per verdict (`classify` must have run)."""
        return Counter(f.get("verdict", "unclassified") for f in self.findings)

    @property
    def name_module_per_10k(self) -> float:
        count = sum(n for code, n in self.by_code.items() if code in NAME_MODULE_CODES)
        return count / self.kloc * 10 if self.kloc else 0.0


def excluded_dir(name: str) -> bool:
    return name in EXCLUDED_DIRS or name.endswith("_tests")


def excluded_file(name: str) -> bool:
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


def sdist_archive(name: str, version: str) -> Path:
    """The sdist of NAME==VERSION in `SDISTS`, downloaded first when it is not there."""
    pattern = re.compile(re.sub(r"[-_.]+", "[-_.]+", name) + "-" + re.escape(version) + r"\.tar\.gz", re.IGNORECASE)

    def find() -> Optional[Path]:
        return next((p for p in sorted(SDISTS.glob("*.tar.gz")) if pattern.fullmatch(p.name)), None)

    archive = find()
    if archive is None:
        SDISTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
             f"{name}=={version}", "-d", str(SDISTS)],
            check=True,
        )
        archive = find()
    if archive is None:
        raise SystemExit(f"pip downloaded no {name}-{version}.tar.gz into {SDISTS}")
    return archive


def unpacked(name: str, version: str) -> Path:
    """`RELEASED/NAME-VERSION`, the sdist's single top folder, unpacked once."""
    target = RELEASED / f"{name}-{version}"
    if not target.is_dir():
        scratch = RELEASED / f".unpacking-{name}-{version}"
        shutil.rmtree(scratch, ignore_errors=True)
        with tarfile.open(sdist_archive(name, version)) as archive:
            archive.extractall(scratch, filter="data")
        (top,) = list(scratch.iterdir())
        top.rename(target)
        scratch.rmdir()
    if not (target / "pyproject.toml").is_file():
        # importguard would take the nearest outer pyproject.toml (this repository's) as the root.
        raise SystemExit(f"{target} has no pyproject.toml: importguard would not treat it as the project root")
    return target


def library_packages(root: Path) -> List[Path]:
    """The top-level package folders: in `src/` when it has any, else in the sdist root."""
    def packages_in(folder: Path) -> List[Path]:
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if (p / "__init__.py").is_file() and not excluded_dir(p.name))

    found = packages_in(root / "src") or packages_in(root)
    top_level = sorted(root.glob("*.egg-info/top_level.txt"))
    if top_level:
        names = set(top_level[0].read_text().split())
        found = [p for p in found if p.name in names]
    if not found:
        raise SystemExit(f"no package folder found in {root}")
    return found


def library_files(packages: Sequence[Path]) -> List[Path]:
    files: List[Path] = []
    for package in packages:
        for folder, dirs, names in os.walk(package):
            dirs[:] = sorted(d for d in dirs if not excluded_dir(d))
            files.extend(Path(folder, n) for n in sorted(names) if n.endswith(".py") and not excluded_file(n))
    return files


def nonblank_lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip())


def audit(name: str, version: str, select: Optional[str], jobs: int) -> Audit:
    root = unpacked(name, version)
    packages = library_packages(root)
    files = library_files(packages)
    library = {os.path.relpath(f, root) for f in files}
    command = [sys.executable, "-m", "importguard", "check", ".", "--format", "json", "--exit-zero", "-q",
               "--no-cache", "--jobs", str(jobs)]
    if select:
        command += ["--extend-select", select]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"importguard failed on {name} {version} ({result.returncode}):\n{result.stderr[-2000:]}")
    findings = [
        {"code": f["code"], "path": os.path.normpath(f["path"]), "line": f["line"], "message": f["message"],
         "hint": f["hint"]}
        for f in json.loads(result.stdout)["findings"]
        if os.path.normpath(f["path"]) in library
    ]
    return Audit(
        name=name, version=version, root=root, packages=[os.path.relpath(p, root) for p in packages],
        files=len(files), kloc=sum(nonblank_lines(f) for f in files) / 1000, seconds=seconds, findings=findings,
    )


def finding_key(audit: Audit, finding: Dict[str, Any]) -> str:
    """`NAME-VERSION:path:line:code:name`, the key of a verdict in a `--classified` file."""
    names = re.findall(r"`([^`]+)`", finding["message"])
    name = (names[-1] if finding["code"].startswith("IG3") else names[0]) if names else ""
    return f"{audit.name}-{audit.version}:{finding['path']}:{finding['line']}:{finding['code']}:{name}"


def classify(audits: Sequence[Audit], verdicts: Dict[str, Dict[str, str]]) -> List[str]:
    """Copy each finding's verdict and reason into it; return the unused keys of the audited packages."""
    used = set()
    for a in audits:
        for finding in a.findings:
            key = finding_key(a, finding)
            if key in verdicts:
                finding.update(verdict=verdicts[key]["verdict"], why=verdicts[key]["why"])
                used.add(key)
    audited = {f"{a.name}-{a.version}:" for a in audits}
    return sorted(k for k in verdicts if k not in used and k[: k.index(":") + 1] in audited)


def table(audits: Sequence[Audit], markdown: bool, classified: bool = False) -> str:
    codes = sorted({code for a in audits for code in a.by_code})
    extra = list(VERDICTS) if classified else []
    header = ["package", "files", "kLOC", *codes, "total", "per 10 kLOC", "name/module per 10 kLOC", *extra]
    total_kloc = sum(a.kloc for a in audits)
    total_codes: Counter = sum((a.by_code for a in audits), Counter())
    total_name_module = sum(n for code, n in total_codes.items() if code in NAME_MODULE_CODES)
    rows = [
        [f"{a.name} {a.version}", str(a.files), f"{a.kloc:.1f}", *(str(a.by_code[c]) for c in codes),
         str(len(a.findings)), f"{len(a.findings) / a.kloc * 10 if a.kloc else 0:.2f}", f"{a.name_module_per_10k:.2f}",
         *(str(a.verdicts()[v]) for v in extra)]
        for a in audits
    ]
    total_verdicts: Counter = sum((a.verdicts() for a in audits), Counter())
    rows.append(["all", str(sum(a.files for a in audits)), f"{total_kloc:.1f}", *(str(total_codes[c]) for c in codes),
                 str(sum(total_codes.values())), f"{sum(total_codes.values()) / total_kloc * 10 if total_kloc else 0:.2f}",
                 f"{total_name_module / total_kloc * 10 if total_kloc else 0:.2f}",
                 *(str(total_verdicts[v]) for v in extra)])
    if markdown:
        lines = [header, ["---"] * len(header), *rows]
        return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(cells, widths)))
        for cells in [header, *rows]
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--packages", help="comma-separated package names (default: all pinned)")
    parser.add_argument("--select", help="rule codes or prefixes to enable besides the default set")
    parser.add_argument("--jobs", type=int, default=2, help="importguard worker processes (default: 2)")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the library findings to this JSON file")
    parser.add_argument("--classified", type=Path, metavar="FILE",
                        help="merge verdicts on the findings (results/released_classified.json)")
    args = parser.parse_args(argv)
    verdicts = json.loads(args.classified.read_text()) if args.classified else None

    pinned = PACKAGES
    if args.packages:
        wanted = {p.strip().lower() for p in args.packages.split(",")}
        unknown = wanted - {name.lower() for name, _ in PACKAGES}
        if unknown:
            parser.error(f"not pinned: {', '.join(sorted(unknown))}")
        pinned = [(name, version) for name, version in PACKAGES if name.lower() in wanted]

    audits = []
    for name, version in pinned:
        result = audit(name, version, args.select, args.jobs)
        print(f"{name} {version}: {result.seconds:.1f} s, library {', '.join(result.packages)} "
              f"({result.files} files), {len(result.findings)} findings", file=sys.stderr)
        audits.append(result)

    if verdicts is not None:
        for key in classify(audits, verdicts):
            print(f"verdict matches no finding: {key}", file=sys.stderr)
    print(table(audits, args.markdown, classified=verdicts is not None))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "select": args.select,
            "packages": [
                {"name": a.name, "version": a.version, "root": str(a.root), "library": a.packages, "files": a.files,
                 "kloc": round(a.kloc, 3), "seconds": round(a.seconds, 1), "findings": a.findings,
                 **({"verdicts": {v: a.verdicts()[v] for v in VERDICTS}} if verdicts is not None else {})}
                for a in audits
            ],
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
