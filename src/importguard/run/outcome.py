"""The outcome policy of one `check`: from the per-project results to what is reported, whatever
the format (fingerprints, the baseline written or applied, the exit code)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Set, Tuple

from importguard.findings import Finding
from importguard.rules import ALL_RULES
from importguard.rules.base import Rule
from importguard.run.baseline import DEFAULT_NAME, apply_baseline, load_entries, write_baseline
from importguard.run.check import CheckResult
from importguard.run.config import Config
from importguard.run.fingerprints import LineReader, fingerprints

LEVELS = {"error": 3, "warning": 2, "info": 1}


@dataclass
class Outcome:
    findings: List[Finding]
    files: int
    modules: int
    fingerprints: List[str] = field(default_factory=list)  # one per finding, same order
    base: Path = field(default_factory=Path.cwd)  # finding paths are relative to it
    baseline: Optional[Path] = None  # the baseline in use, if any
    hidden: int = 0  # findings the baseline hid
    baselined: List[Tuple[Finding, str]] = field(default_factory=list)  # the hidden findings, with fingerprints (SARIF carries them)
    stale: int = 0  # baseline entries that match nothing any more (fixed)
    exit_code: int = 0
    unsafe_fixes: bool = False  # `--unsafe-fixes`: unsafe fixes count as available
    fixed: Optional[int] = None  # findings `--fix` fixed (None: not a fix run)
    recorded: Optional[List[Finding]] = None  # what `--write-baseline` recorded (None: not written)
    summary: bool = True  # the closing counts of the text formats (`-q` drops them, as ruff's)
    rules: List[Rule] = field(default_factory=list)  # the rules some project ran (SARIF lists them)
    severity: Dict[str, str] = field(default_factory=dict)  # configured severities every project shares


@dataclass
class BaselineChoice:
    use: Optional[Path] = None  # --baseline FILE (for every project)
    write: Optional[str] = None  # --write-baseline [FILE]: "" for each project's default
    ignore: bool = False  # --no-baseline


def outcome_of(results: Sequence[Tuple[Config, CheckResult]], choice: BaselineChoice, threshold: str,
               exit_zero: bool) -> Tuple[Outcome, List[str]]:
    """The findings to report (after the baseline) and notes for stderr."""
    cwd = Path.cwd()
    reader = LineReader(cwd)
    rows: List[Tuple[Finding, str, str, Config]] = []
    for config, result in results:
        relative = [os.path.relpath(cwd / f.path, config.root).replace(os.sep, "/") for f in result.findings]
        prints = fingerprints(result.findings, reader, lambda p: os.path.relpath(cwd / p, config.root).replace(os.sep, "/"))
        rows += [(f, fp, rel, config) for f, fp, rel in zip(result.findings, prints, relative)]
    rows.sort(key=lambda row: row[0].sort_key())
    notes: List[str] = []
    outcome = Outcome(
        [r[0] for r in rows], sum(r.files for _, r in results), sum(r.modules for _, r in results),
        [r[1] for r in rows], cwd, rules=rules_run(results), severity=shared_severities([c for c, _ in results]),
    )
    checked = checked_paths(results, cwd)
    if choice.write is not None:
        for path, chosen in baseline_files(rows, choice, write=True, configs=[c for c, _ in results]):
            assert path is not None  # writing, each project has a file
            partial = covered(path, results, choice, checked)
            total = write_baseline(path, [r[0] for r in chosen], [r[1] for r in chosen], [r[2] for r in chosen], partial)
            others = f"; kept {total - len(chosen)} of files this run did not check" if total > len(chosen) else ""
            notes.append(f"importguard: wrote {len(chosen)} finding(s) to the baseline {path}{others}")
        outcome.recorded = outcome.findings
        outcome.findings, outcome.fingerprints = [], []
    elif not choice.ignore:
        kept: List[Tuple[Finding, str, str, Config]] = []
        for path, chosen in baseline_files(rows, choice, write=False, configs=[c for c, _ in results]):
            if path is None:
                kept += chosen
                continue
            indexes, hidden, stale = apply_baseline(
                [r[0] for r in chosen], [r[1] for r in chosen], load_entries(path), covered(path, results, choice, checked),
            )
            kept += [chosen[i] for i in indexes]
            hid = set(range(len(chosen))) - set(indexes)
            outcome.baselined += [(chosen[i][0], chosen[i][1]) for i in sorted(hid)]
            outcome.baseline, outcome.hidden, outcome.stale = path, outcome.hidden + hidden, outcome.stale + stale
        kept.sort(key=lambda row: row[0].sort_key())
        outcome.findings, outcome.fingerprints = [r[0] for r in kept], [r[1] for r in kept]
        if outcome.baseline is not None:
            notes.append(
                f"importguard: the baseline hid {outcome.hidden} finding(s); {outcome.stale} baseline "
                "entr{} no longer match anything (fixed: --write-baseline shrinks it)".format("y" if outcome.stale == 1 else "ies")
            )
    failing = [f for f in outcome.findings if LEVELS.get(f.severity, 3) >= LEVELS[threshold]]
    outcome.exit_code = 1 if failing and not exit_zero else 0
    return outcome, notes


def checked_paths(results: Sequence[Tuple[Config, CheckResult]], cwd: Path) -> Dict[int, Optional[Set[str]]]:
    """Per project (by `id` of its config): the paths, relative to its root as a baseline keeps
    them, of the files a partial run reported on; None when the run covered the whole project."""
    return {
        id(config): None if result.checked is None
        else {os.path.relpath(cwd / p, config.root).replace(os.sep, "/") for p in result.checked}
        for config, result in results
    }


def covered(path: Optional[Path], results: Sequence[Tuple[Config, CheckResult]], choice: BaselineChoice,
            checked: Dict[int, Optional[Set[str]]]) -> Optional[Set[str]]:
    """The files of baseline `path` this run looked at (None: all of them)."""
    explicit = Path(choice.write) if choice.write else choice.use
    found: Set[str] = set()
    for config, _ in results:
        if explicit is None and (config.baseline or config.root / DEFAULT_NAME) != path:
            continue
        paths = checked[id(config)]
        if paths is None:
            return None
        found |= paths
    return found


def baseline_files(rows: list, choice: BaselineChoice, write: bool,
                   configs: Sequence[Config] = ()) -> List[Tuple[Optional[Path], list]]:
    """Which baseline file covers which findings: one given on the command line covers all of
    them, else each project's own (`baseline` setting, or the default name to write)."""
    explicit = Path(choice.write) if write and choice.write else choice.use
    if explicit is not None:
        return [(explicit, rows)]
    by_file: dict = {}
    for row in rows:
        config = row[3]
        path = config.baseline or (config.root / DEFAULT_NAME if write else None)
        by_file.setdefault(path, []).append(row)
    for config in configs:  # a project without findings still writes (or checks) its baseline
        path = config.baseline or (config.root / DEFAULT_NAME if write else None)
        if path is not None:
            by_file.setdefault(path, [])
    return list(by_file.items())


def rules_run(results: Sequence[Tuple[Config, CheckResult]]) -> List[Rule]:
    """Every rule some project ran, in catalogue order."""
    ran = {rule.code for _, result in results for rule in result.rules}
    return [rule for rule in ALL_RULES if rule.code in ran]


def shared_severities(configs: Sequence[Config]) -> Dict[str, str]:
    """The configured severities all projects agree on (a SARIF rule has one default level)."""
    if not configs:
        return {}
    return {code: level for code, level in configs[0].severity.items() if all(c.severity.get(code) == level for c in configs)}
