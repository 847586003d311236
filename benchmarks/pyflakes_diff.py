"""Differential test: importguard's name-binding rules against pyflakes.

Runs pyflakes (through its API, in parallel) and importguard (as a subprocess,
``--select IG101,IG102,IG103,IG104,IG105,IG106``) over the same tree, then diffs their findings.

Usage::

    python benchmarks/pyflakes_diff.py [--tree DIR] [--jobs N]
                                       [--json OUT] [--classified FILE]

``--tree``        the tree to check (default: this Python's standard library).
``--jobs``        worker processes for both tools (default: CPU count).
``--json``        write the raw diff (both sides, with source lines) to OUT.
``--classified``  a JSON file mapping ``"path:line:name"`` to
                  ``{"verdict": "importguard-right" | "pyflakes-right", "why": "..."}``;
                  verdicts are merged into the report, counted, and every
                  difference without one is listed as unclassified.

Findings are keyed by (path, line, name) within a family: ``unbound``
(undefined-name and undefined-local, since a tool may classify one as the
other; an IG103/IG105 possibly-unbound finding only counts when pyflakes reports the same name
and line) and ``export`` (undefined-export, keyed by path and name only, since the tools
report different lines). Paths are relative to the tree.
"""

from __future__ import annotations

import argparse
import json
import linecache
import os
import subprocess
import sys
import sysconfig
import time
from collections import Counter
from dataclasses import asdict, dataclass
from multiprocessing import Pool
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import pyflakes.api
import pyflakes.messages

PYFLAKES_KINDS = {
    pyflakes.messages.UndefinedName: "undefined-name",
    pyflakes.messages.UndefinedLocal: "undefined-local",
    pyflakes.messages.UndefinedExport: "undefined-export",
}
IMPORTGUARD_KINDS = {
    "IG101": "undefined-name", "IG102": "undefined-local", "IG103": "possibly-unbound", "IG104": "undefined-export",
    "IG105": "possibly-unbound", "IG106": "undefined-name",  # IG106: names in unevaluated annotations (F821 too)
}
FAMILIES = {
    "undefined-name": "unbound", "undefined-local": "unbound", "possibly-unbound": "unbound",
    "undefined-export": "export",
}
# pyflakes has no possibly-unbound check: an IG103 finding counts when it matches a pyflakes
# finding (e.g. a use after `del`), and is not a difference otherwise.
MATCH_ONLY = "possibly-unbound"
VERDICTS = ("importguard-right", "pyflakes-right")


@dataclass
class Finding:
    path: str  # relative to the tree, with forward slashes
    line: int
    name: str
    kind: str
    message: Optional[str] = None  # importguard's message; pyflakes' is implied by the kind

    @property
    def family(self) -> str:
        return FAMILIES[self.kind]

    @property
    def key(self) -> Tuple[str, str, int, str]:
        # pyflakes reports an export at the `__all__` statement, importguard at the string itself.
        return (self.family, self.path, 0 if self.family == "export" else self.line, self.name)

    @property
    def label(self) -> str:
        """The key a `--classified` file uses."""
        return f"{self.path}:{self.line}:{self.name}"


@dataclass
class Side:
    """One tool's findings over the tree, and what it cost."""

    tool: str
    findings: List[Finding]
    seconds: float
    files: int
    notes: List[str]
    checked: frozenset = frozenset()  # relative paths of the files checked, when known


# --- pyflakes -------------------------------------------------------------


def iter_python_files(tree: str) -> Iterator[str]:
    """`*.py` files below `tree`, relative to it; skips site-packages and virtualenvs."""
    for folder, dirs, files in os.walk(tree):
        dirs[:] = sorted(
            d for d in dirs
            if d != "site-packages" and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))
        )
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.relpath(os.path.join(folder, name), tree).replace(os.sep, "/")


class CollectingReporter:
    """A pyflakes reporter that keeps the undefined-name messages and notes parse failures."""

    def __init__(self) -> None:
        self.messages: list = []
        self.unparsable = False

    def flake(self, message) -> None:
        if type(message) in PYFLAKES_KINDS:
            self.messages.append(message)

    def syntaxError(self, filename, msg, lineno, offset, text) -> None:  # noqa: N802 (pyflakes API)
        self.unparsable = True

    def unexpectedError(self, filename, msg) -> None:  # noqa: N802 (pyflakes API)
        self.unparsable = True


def message_name(message) -> str:
    """The undefined name; UndefinedLocal stores a bare string when it shadows a builtin."""
    args = message.message_args
    return args if isinstance(args, str) else args[0]


def pyflakes_file(job: Tuple[str, str]) -> Tuple[str, List[Finding]]:
    """Check one file; returns a status ("ok", "unparsable", "crashed") and its findings."""
    tree, relative = job
    try:
        with open(os.path.join(tree, relative), "rb") as handle:
            source = handle.read()
        reporter = CollectingReporter()
        pyflakes.api.check(source, relative, reporter)
    except (OSError, RecursionError, ValueError):
        return "crashed", []
    if reporter.unparsable:
        return "unparsable", []
    findings = [
        Finding(relative, m.lineno, message_name(m), PYFLAKES_KINDS[type(m)])
        for m in reporter.messages
    ]
    return "ok", findings


def run_pyflakes(tree: str, jobs: int) -> Side:
    start = time.perf_counter()
    paths = list(iter_python_files(tree))
    with Pool(jobs) as pool:
        results = pool.map(pyflakes_file, [(tree, p) for p in paths], chunksize=8)
    seconds = time.perf_counter() - start
    statuses = Counter(status for status, _ in results)
    findings = [f for _, found in results for f in found]
    notes = [f"{statuses[s]} file(s) {s}" for s in ("unparsable", "crashed") if statuses[s]]
    return Side("pyflakes", findings, seconds, len(paths), notes, frozenset(paths))


# --- importguard ----------------------------------------------------------


def importguard_command(tree: str, jobs: int) -> List[str]:
    # -P: with cwd=tree, a module in the tree must not shadow importguard or its dependencies.
    safe_path = ["-P"] if sys.version_info >= (3, 11) else []
    return [
        sys.executable, *safe_path, "-m", "importguard", "check", tree, "--format", "json", "--exit-zero",
        "--select", ",".join(IMPORTGUARD_KINDS), "--jobs", str(jobs), "--no-cache",
    ]


def parse_importguard(document: dict) -> List[Finding]:
    return [
        Finding(f["path"], f["line"], f.get("name") or "", IMPORTGUARD_KINDS[f["code"]], f.get("message"))
        for f in document.get("findings", [])
        if f.get("code") in IMPORTGUARD_KINDS
    ]


def run_importguard(tree: str, jobs: int) -> Side:
    """Run importguard; a failed run is reported as a note and yields no findings."""
    start = time.perf_counter()
    done = subprocess.run(importguard_command(tree, jobs), cwd=tree, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    try:
        document = json.loads(done.stdout)
    except json.JSONDecodeError:
        error = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()[-1]
        return Side("importguard", [], seconds, 0, [f"FAILED (exit {done.returncode}): {error}"])
    files = document.get("summary", {}).get("files", 0)
    return Side("importguard", parse_importguard(document), seconds, files, [])


# --- diff and report --------------------------------------------------------


def unique(findings: Sequence[Finding]) -> Dict[tuple, Finding]:
    """First finding per (family, path, line, name)."""
    keyed: Dict[tuple, Finding] = {}
    for finding in sorted(findings, key=lambda f: (f.path, f.line, f.name, f.kind)):
        keyed.setdefault(finding.key, finding)
    return keyed


def diff(left: Sequence[Finding], right: Sequence[Finding]) -> Tuple[int, List[Finding], List[Finding]]:
    """(both-reported count, only-left, only-right), each list in path/line order."""
    a, b = unique(left), unique(right)
    both = len(a.keys() & b.keys())
    return both, [a[k] for k in a if k not in b], [b[k] for k in b if k not in a]


def split_scope(findings: List[Finding], checked: frozenset) -> Tuple[List[Finding], List[Finding]]:
    """Split findings into those in files pyflakes checked, and the rest (say, `.pyi`)."""
    inside = [f for f in findings if f.path in checked]
    return inside, [f for f in findings if f.path not in checked]


def source_line(tree: str, finding: Finding) -> str:
    return linecache.getline(os.path.join(tree, finding.path), finding.line).strip()


def load_classified(path: Optional[str]) -> Dict[str, dict]:
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        classified = json.load(handle)
    for label, entry in classified.items():
        if entry.get("verdict") not in VERDICTS:
            raise SystemExit(f"{path}: {label}: verdict must be one of {', '.join(VERDICTS)}")
    return classified


def format_finding(tree: str, finding: Finding, classified: Dict[str, dict]) -> str:
    text = f"{finding.path}:{finding.line} {finding.name} {finding.kind}  | {source_line(tree, finding)}"
    verdict = classified.get(finding.label)
    if verdict:
        text += f"  [{verdict['verdict']}: {verdict.get('why', '')}]"
    if finding.message:
        text += f"\n    importguard: {finding.message}"
    return text


def print_side_summary(side: Side) -> None:
    kinds = Counter(f.kind for f in side.findings)
    families = Counter(key[0] for key in unique(side.findings))
    print(f"{side.tool}: {side.files} files, {side.seconds:.2f}s wall")
    print("  messages by kind:   " + ", ".join(f"{k} {kinds[k]}" for k in FAMILIES))
    print("  unique by family:   " + ", ".join(f"{k} {families[k]}" for k in ("unbound", "export")))
    for note in side.notes:
        print(f"  note: {note}")


def print_list(title: str, tree: str, findings: List[Finding], classified: Dict[str, dict]) -> None:
    print(f"\n== {title} ({len(findings)}) ==")
    for finding in findings:
        print(format_finding(tree, finding, classified))


def print_classification(differences: List[Finding], classified: Dict[str, dict], tree: str) -> None:
    labels = {f.label for f in differences}
    verdicts = Counter(classified[f.label]["verdict"] for f in differences if f.label in classified)
    unclassified = [f for f in differences if f.label not in classified]
    stale = sorted(set(classified) - labels)
    print("\n== classification ==")
    for verdict in VERDICTS:
        print(f"  {verdict}: {verdicts[verdict]}")
    print(f"  unclassified: {len(unclassified)}")
    print(f"  classified but no longer differing: {len(stale)}")
    for label in stale:
        print(f"    {label}")
    print_list("unclassified differences", tree, unclassified, {})


def print_timings(pyflakes_side: Side, importguard_side: Side) -> None:
    print(f"\npyflakes:    {pyflakes_side.seconds:.2f}s")
    print(f"importguard: {importguard_side.seconds:.2f}s")
    if pyflakes_side.seconds > 0:
        print(f"ratio importguard/pyflakes: {importguard_side.seconds / pyflakes_side.seconds:.2f}x")


def diff_document(tree: str, sides: Tuple[Side, Side], both: int, only: Tuple[List[Finding], ...],
                  ignored: List[Finding]) -> dict:
    def entries(findings: List[Finding]) -> List[dict]:
        return [dict(asdict(f), family=f.family, key=f.label, source=source_line(tree, f)) for f in findings]

    return {
        "tree": tree,
        "sides": {s.tool: {"files": s.files, "seconds": s.seconds, "notes": s.notes,
                           "findings": len(s.findings)} for s in sides},
        "both": both,
        "only_pyflakes": entries(only[0]),
        "only_importguard": entries(only[1]),
        "importguard_out_of_scope": entries(ignored),
    }


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", default=sysconfig.get_paths()["stdlib"], help="tree to check (default: stdlib)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--json", metavar="OUT", help="write the raw diff as JSON")
    parser.add_argument("--classified", metavar="FILE", help='JSON: "path:line:name" -> {verdict, why}')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    tree = os.path.realpath(args.tree)
    classified = load_classified(args.classified)
    pf = run_pyflakes(tree, args.jobs)
    ig = run_importguard(tree, args.jobs)
    ig_findings, ignored = split_scope(ig.findings, pf.checked)
    both, only_pf, only_ig = diff(pf.findings, ig_findings)
    unmatched_possibly = [f for f in only_ig if f.kind == MATCH_ONLY]
    only_ig = [f for f in only_ig if f.kind != MATCH_ONLY]

    print(f"tree: {tree}")
    print_side_summary(pf)
    print_side_summary(ig)
    if ignored:
        print(f"  note: {len(ignored)} importguard finding(s) in files pyflakes did not check, left out")
    print(f"  note: {len(unmatched_possibly)} IG103 finding(s) with no pyflakes counterpart, not compared")
    print(f"\nboth reported: {both}   only pyflakes: {len(only_pf)}   only importguard: {len(only_ig)}")
    print_list("only pyflakes", tree, only_pf, classified)
    print_list("only importguard", tree, only_ig, classified)
    if args.classified:
        print_classification(only_pf + only_ig, classified, tree)
    print_timings(pf, ig)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(diff_document(tree, (pf, ig), both, (only_pf, only_ig), ignored), handle, indent=2)
            handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
