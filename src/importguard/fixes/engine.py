"""Apply fixes only when re-analysis proves them: a fixed file is parsed and the whole project
analysed again in memory, before anything is written. A fix that leaves its finding, adds any
finding, or closes an import-time cycle is not applied; the finding stays with a note.

Fixes run in rounds, as ruff's do: a fix can reveal the next one (hoisting one import a handler
reaches shows the next import on the call chain), up to `MAX_ROUNDS`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Set, Tuple, Union

from importguard.findings import Finding
from importguard.project.graph import IMPORT_TIME
from importguard.rules.fixes.model import UNSAFE, Fix
from importguard.rules.fixes.planning import Planner
from importguard.run.check import CheckResult, InMemory, run_check
from importguard.run.fingerprints import fingerprints, symbol
from importguard.run.settings import Settings

MAX_ROUNDS = 8


@dataclass(frozen=True)
class Target:
    """One project to analyse again with fixed sources: its paths and settings as checked."""

    paths: Sequence[Path]
    settings: Settings
    stdin: Optional[Tuple[Path, bytes]] = None
    cwd: Optional[Path] = None  # display paths are relative to it (default: the working directory)

    def check(self, edits: Dict[Path, bytes]) -> CheckResult:
        """The analysis with `edits` in place of those files (a full run: never from the memo)."""
        settings = dataclasses.replace(self.settings, use_memo=False, progress=None, executor=None)
        return run_check(self.paths, settings, InMemory(self.stdin, edits), self.cwd)


@dataclass
class FixRun:
    result: CheckResult  # the analysis of the fixed sources: what is left
    originals: Dict[Path, bytes] = field(default_factory=dict)
    fixed_sources: Dict[Path, bytes] = field(default_factory=dict)  # only files that changed
    fixed: int = 0  # findings the applied fixes removed (by code, file and name: line shifts do not count)
    displays: Dict[Path, str] = field(default_factory=dict)  # display path of each changed file


@dataclass
class Candidate:
    finding: Finding
    fingerprint: str
    fix: Fix


class _Sources:
    """Current bytes of each file: fixed in memory, else on disk."""

    def __init__(self) -> None:
        self.fixed: Dict[Path, bytes] = {}
        self.originals: Dict[Path, bytes] = {}

    def read(self, path: Path) -> bytes:
        if path in self.fixed:
            return self.fixed[path]
        if path not in self.originals:
            self.originals[path] = path.read_bytes()
        return self.originals[path]


def prints_of(result: CheckResult, sources: _Sources) -> List[str]:
    paths = {f.display: f.path for f in result.model.files}
    lines: Dict[str, List[bytes]] = {}

    def line_text(display: str, line: int) -> str:
        if display not in lines:
            try:
                lines[display] = sources.read(paths[display]).splitlines() if display in paths else []
            except OSError:
                lines[display] = []
        text = lines[display][line - 1] if 0 < line <= len(lines[display]) else b""
        return " ".join(text.decode("utf-8", "replace").split())

    return fingerprints(result.findings, line_text)


def key(finding: Finding) -> Tuple[str, str, str]:
    """What a finding is about, whatever its line: no fix may add one."""
    return (finding.code, finding.path, symbol(finding).split("|")[0])


def run_fixes(first: CheckResult, target: Target, unsafe: bool,
              given: Optional[Dict[Path, bytes]] = None) -> Tuple[FixRun, Dict[str, str]]:
    """Fix what can be fixed; also returns the notes of refused fixes, by fingerprint. `given`
    holds sources that are not on disk (standard input, by the path it stands for)."""
    sources = _Sources()
    sources.originals.update(given or {})
    current, refused = first, {}
    tried: Set[str] = set()
    for _ in range(MAX_ROUNDS):
        planner = Planner(current.model)
        candidates = []
        for finding, fingerprint in zip(current.findings, prints_of(current, sources)):
            if fingerprint in tried or fingerprint in refused:
                continue
            planned = planner.plan(finding)
            if isinstance(planned, str):
                refused[fingerprint] = planned
            elif planned is not None and (unsafe or planned.applicability != UNSAFE):
                candidates.append(Candidate(finding, fingerprint, planned))
        if not candidates:
            break
        tried.update(c.fingerprint for c in candidates)
        accepted, current, notes = settle(current, candidates, sources, target, planner)
        refused.update(notes)
        if not accepted:
            break
    paths = {f.path: f.display for f in current.model.files}
    changed = {p: data for p, data in sources.fixed.items() if data != sources.originals.get(p)}
    before, after = Counter(key(f) for f in first.findings), Counter(key(f) for f in current.findings)
    fixed = sum(max(0, count - after[k]) for k, count in before.items())
    run = FixRun(current, {p: sources.originals[p] for p in changed}, changed, fixed, {p: paths[p] for p in changed})
    return run, refused


def settle(before: CheckResult, candidates: Sequence[Candidate], sources: _Sources, target: Target,
           planner: Planner) -> Tuple[List[Candidate], CheckResult, Dict[str, str]]:
    """Apply as many files' fixes as re-analysis accepts: all at once, else without the files
    blamed, then each blamed file on its own."""
    paths = {f.display: f.path for f in before.model.files}
    by_file: Dict[Path, List[Candidate]] = {}
    for candidate in candidates:
        by_file.setdefault(paths[candidate.fix.path], []).append(candidate)
    before_prints = prints_of(before, sources)
    notes: Dict[str, str] = {}

    from importguard.fixes.edits import NotRoundTrip, apply_edits  # libcst: only when something is fixed

    rewritten: Dict[Path, Union[bytes, str]] = {}  # each file is edited once per round: bytes, or why not

    def rewrite(path: Path) -> Union[bytes, str]:
        if path not in rewritten:
            try:
                rewritten[path] = apply_edits(sources.read(path), [c.fix for c in by_file[path]], planner.classify)
            except NotRoundTrip:
                rewritten[path] = "not fixed: libcst cannot rewrite this file without changing other lines"
            except Exception as error:  # noqa: BLE001 - a fix that cannot be applied is refused, never a crash
                rewritten[path] = f"not fixed: the edit failed ({type(error).__name__})"
        return rewritten[path]

    def attempt(files: Sequence[Path]) -> Tuple[Optional[CheckResult], Dict[Path, str], Dict[Path, bytes]]:
        edited = {path: data for path in files if isinstance(data := rewrite(path), bytes)}
        blamed = {path: reason for path in files if isinstance(reason := rewrite(path), str)}
        if blamed:
            return None, blamed, edited
        trial = _Sources()
        trial.originals, trial.fixed = sources.originals, {**sources.fixed, **edited}
        after = target.check(trial.fixed)
        blamed = judge(before, after, [c for p in files for c in by_file[p]], before_prints, prints_of(after, trial), paths)
        return after, blamed, edited

    accepted: List[Path] = []
    result, blamed_all, edited = attempt(sorted(by_file))
    if result is not None and not blamed_all:
        sources.fixed.update(edited)
        return list(candidates), result, notes
    chosen = [p for p in sorted(by_file) if p not in blamed_all]
    blamed_order = [p for p in sorted(by_file) if p in blamed_all]
    reasons = dict(blamed_all)
    best: Optional[CheckResult] = None
    while chosen:
        result, blamed, edited = attempt(chosen)
        if result is not None and not blamed:
            accepted, best = list(chosen), result
            sources.fixed.update(edited)
            break
        blamed_order += [p for p in chosen if p in blamed]
        reasons.update(blamed)
        chosen = [p for p in chosen if p not in blamed] if blamed else []
    for path in blamed_order:
        result, blamed, edited = attempt([path])
        if result is not None and not blamed:
            accepted.append(path)
            best = result
            sources.fixed.update(edited)
        else:
            for candidate in by_file[path]:
                notes[candidate.fingerprint] = blamed.get(path) or reasons.get(path) or "not fixed: re-analysis refused it"
    taken = [c for p in accepted for c in by_file[p]]
    return taken, best if best is not None else before, notes


def judge(before: CheckResult, after: CheckResult, fixes: Sequence[Candidate], before_prints: List[str],
          after_prints: List[str], paths: Dict[str, Path]) -> Dict[Path, str]:
    """The files whose fixes made things worse, with why."""
    changed = {paths[c.fix.path] for c in fixes}
    blamed: Dict[Path, str] = {}
    for candidate in fixes:  # a cycle first: it is the reason the user most needs to read
        for importer, imported in candidate.fix.edges:
            chain = after.model.graph.shortest_chain(imported, importer, frozenset({IMPORT_TIME}))
            if chain is not None:
                cycle = " -> ".join(f"`{m}`" for m in [importer, *chain])
                blamed.setdefault(paths[candidate.fix.path], f"not fixed: it would create the import-time cycle {cycle}")
    old, new = Counter(key(f) for f in before.findings), Counter(key(f) for f in after.findings)
    for finding in after.findings:
        if new[key(finding)] > old[key(finding)]:
            culprits = {paths[p] for p in finding.paths if p in paths} & changed or changed
            for path in culprits:
                blamed.setdefault(path, f"not fixed: the fix would add {finding.code} ({finding.message})")
    remaining = set(after_prints)
    for candidate in fixes:
        path = paths[candidate.fix.path]
        if candidate.fingerprint in remaining:
            blamed.setdefault(path, "not fixed: re-analysis still reports it after the fix")
    return blamed


def with_notes(result: CheckResult, notes: Dict[str, str]) -> List[Finding]:
    """The findings, those whose fix `--fix` refused with the reason in their hint and no fix."""
    if not notes:
        return result.findings
    noted = []
    for finding, fingerprint in zip(result.findings, prints_of(result, _Sources())):
        note = notes.get(fingerprint)
        if note is not None:
            finding = dataclasses.replace(finding, fix=None, hint=f"{finding.hint}; {note}" if finding.hint else note)
        noted.append(finding)
    return noted
