"""Precision and recall of importguard's unbound-name rules against pylint's functional tests.

Usage (from the repository root, in the environment where importguard is installed)::

    python benchmarks/pylint_oracle.py [--src DIR] [--json OUT]

    # an older commit, from a git worktree:
    git worktree add /tmp/ig_before 59adfc0
    python benchmarks/pylint_oracle.py --src /tmp/ig_before/src --json before.json
    git worktree remove /tmp/ig_before

The corpus is pylint's own tests of its used-before-assignment checks: every
`tests/functional/**/*use[d]_before_assign*.py` (`used_before_assignment*`,
`possibly_used_before_assignment*` where the version has them, `with_used_before_assign`, ...)
of the pylint sdist (`PYLINT_VERSION`, downloaded once with `pip download --no-deps --no-binary
:all:` into `benchmarks/.corpora/sdists/` and unpacked into `benchmarks/.corpora/pylint-VERSION/`,
which git ignores). A test's expected messages are in the sibling `.txt` (pylint's rule: the
`NAME.MAJORMINOR.txt` of the highest version not above the running Python, else `NAME.txt`; no
file means no message), one `symbol:line:col:end_line:end_col:obj:message:confidence` a line.
Skipped, and listed: tests whose `.rc` asks for another Python (pylint runs a test when
`min_pyver` <= running Python < `max_pyver`), that `ast.parse` rejects, or that importguard
reports as IG001/IG002.

Each test is copied alone into a temporary folder and checked there as its own project with
`python -m importguard check . --select IG101,IG102,IG103,IG105,IG001,IG002` (only the codes
that `importguard rules` lists; `--src DIR` puts DIR first on PYTHONPATH to run that source
tree instead of the installed one).

- Precision: a finding is *confirmed* when the expected output has a used-before-assignment,
  possibly-used-before-assignment or undefined-variable message on the same line of the same
  file. Counted per rule code, for {IG103, IG105} and for all.
- Recall: of the (file, line) pairs with a used-before-assignment or
  possibly-used-before-assignment message, the share with a finding of any of the four codes;
  undefined-variable lines are counted on a row of their own, outside the total.

Prints markdown tables; `--json OUT` writes per-file details: every finding (code, line, name,
confirmed, source line) and every pylint line of the family that no finding is on.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from released import sdist_archive  # noqa: E402  (a sibling script, not a package)

PYLINT_VERSION = "4.1.5"
CORPORA = Path(__file__).resolve().parent / ".corpora"
TEST_NAME = re.compile(r"\w*used?_before_assign\w*\.py")
RULES = ("IG101", "IG102", "IG103", "IG105")
UNPARSABLE = ("IG001", "IG002")
RECALLED = ("used-before-assignment", "possibly-used-before-assignment")
CONFIRMING = frozenset(RECALLED + ("undefined-variable",))
CURRENT = sys.version_info[:2]


@dataclass
class Result:
    test: str  # relative to tests/functional
    source: List[str]
    expected: Dict[int, Set[str]]  # line -> pylint symbols of the family on it
    findings: List[Dict[str, Any]]  # code, line, name, confirmed, source

    def reported(self, line: int) -> bool:
        return any(f["line"] == line for f in self.findings)

    def missed(self) -> List[Dict[str, Any]]:
        return [{"line": line, "symbols": sorted(symbols), "source": self.source[line - 1].strip()}
                for line, symbols in sorted(self.expected.items()) if not self.reported(line)]


def pylint_tests() -> Path:
    """`CORPORA/pylint-VERSION/tests/functional`, the sdist unpacked once."""
    root = CORPORA / f"pylint-{PYLINT_VERSION}"
    if not root.is_dir():
        scratch = CORPORA / f".unpacking-pylint-{PYLINT_VERSION}"
        shutil.rmtree(scratch, ignore_errors=True)
        with tarfile.open(sdist_archive("pylint", PYLINT_VERSION)) as archive:
            archive.extractall(scratch, filter="data")
        (top,) = list(scratch.iterdir())
        top.rename(root)
        scratch.rmdir()
    return root / "tests" / "functional"


def version(text: str) -> Tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def skip_reason(test: Path) -> Optional[str]:
    rc = test.with_suffix(".rc")
    if rc.is_file():
        options = configparser.ConfigParser()
        options.read(rc)
        low = options.get("testoptions", "min_pyver", fallback=None)
        high = options.get("testoptions", "max_pyver", fallback=None)
        if low and CURRENT < version(low):
            return f"rc: min_pyver={low}"
        if high and CURRENT >= version(high):
            return f"rc: max_pyver={high}"
    try:
        ast.parse(test.read_text(encoding="utf-8"), str(test))
    except SyntaxError as error:
        return f"ast.parse: {error.msg} (line {error.lineno})"
    return None


def expected_output(test: Path) -> Dict[int, Set[str]]:
    """pylint's expected messages of the family, by line."""
    versioned = sorted(
        (version_of, path) for path in test.parent.glob(f"{test.stem}.[0-9]*.txt")
        if (suffix := path.name[len(test.stem) + 1:-4]).isdigit()
        and (version_of := (int(suffix[0]), int(suffix[1:]))) <= CURRENT
    )
    path = versioned[-1][1] if versioned else test.with_suffix(".txt")
    lines: Dict[int, Set[str]] = defaultdict(set)
    if path.is_file():
        for row in path.read_text(encoding="utf-8").splitlines():
            symbol, line, _ = row.split(":", 2)
            if symbol in CONFIRMING:
                lines[int(line)].add(symbol)
    return lines


def importguard(src: Optional[str], *args: str, cwd: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.path.abspath(src)} if src else None
    done = subprocess.run([sys.executable, "-m", "importguard", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"importguard {' '.join(args)} failed ({done.returncode}) in {cwd}:\n{done.stderr[-2000:]}")
    return done


def known_codes(src: Optional[str]) -> List[str]:
    listed = {row.split()[0] for row in importguard(src, "rules", cwd="/").stdout.splitlines() if row.strip()}
    return [code for code in RULES + UNPARSABLE if code in listed]


def check(test: Path, src: Optional[str], codes: Sequence[str]) -> List[Dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="pylint_oracle_") as folder:
        shutil.copy(test, folder)
        done = importguard(src, "check", ".", "--select", ",".join(codes), "--format", "json", "--exit-zero",
                           "-q", "--no-cache", "--jobs", "1", cwd=folder)
    findings: List[Dict[str, Any]] = json.loads(done.stdout)["findings"]
    return findings


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def markdown(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(str(cell) for cell in cells) + " |" for cells in lines)


def report(results: Sequence[Result], codes: Sequence[str]) -> str:
    groups = [(code, {code}) for code in RULES] + [("IG103+IG105", {"IG103", "IG105"}), ("all", set(RULES))]
    precision: List[List[object]] = []
    for label, members in groups:
        if not members & set(codes):
            precision.append([label, "not in this importguard", "", ""])
            continue
        found = [f for r in results for f in r.findings if f["code"] in members]
        confirmed = sum(f["confirmed"] for f in found)
        precision.append([label, len(found), confirmed, ratio(confirmed, len(found))])
    recall: List[List[object]] = []
    rows = [(s, {s}) for s in RECALLED] + [(" + ".join(RECALLED), set(RECALLED)),
                                           ("undefined-variable (not in the total)", {"undefined-variable"})]
    for label, symbols in rows:
        lines = [(r, line) for r in results for line, found in r.expected.items() if found & symbols]
        hit = sum(r.reported(line) for r, line in lines)
        recall.append([label, len(lines), hit, ratio(hit, len(lines))])
    return (markdown(["importguard rule", "findings", "confirmed by pylint", "precision"], precision) + "\n\n"
            + markdown(["pylint message (lines)", "pylint", "importguard reports", "recall"], recall))


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", metavar="DIR",
                        help="run importguard from this source tree (default: the installed one)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write per-file details to this JSON file")
    args = parser.parse_args(argv)

    functional = pylint_tests()
    codes = known_codes(args.src)
    results: List[Result] = []
    skipped: Dict[str, str] = {}
    for test in sorted(p for p in functional.rglob("*.py") if TEST_NAME.fullmatch(p.name)):
        name = str(test.relative_to(functional))
        reason = skip_reason(test)
        findings = [] if reason else check(test, args.src, codes)
        unparsable = [f for f in findings if f["code"] in UNPARSABLE]
        if unparsable:
            reason = f"importguard {unparsable[0]['code']}: {unparsable[0]['message']}"
        if reason:
            skipped[name] = reason
            continue
        source = test.read_text(encoding="utf-8").splitlines()
        expected = expected_output(test)
        results.append(Result(name, source, expected, [
            {"code": f["code"], "line": f["line"], "name": f["name"], "confirmed": f["line"] in expected,
             "source": source[f["line"] - 1].strip()}
            for f in findings
        ]))

    print(f"pylint {PYLINT_VERSION} functional tests, Python {'.'.join(map(str, CURRENT))}, importguard from "
          f"{args.src or 'the installed package'} (--select {','.join(codes)}): {len(results)} files, "
          f"{len(skipped)} skipped\n")
    print(report(results, codes) + "\n")
    for name, reason in skipped.items():
        print(f"skipped {name}: {reason}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "pylint": PYLINT_VERSION, "python": list(CURRENT), "src": args.src, "codes": codes, "skipped": skipped,
            "files": [{"test": r.test, "findings": r.findings, "missed": r.missed()} for r in results],
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
