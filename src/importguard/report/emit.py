"""From the per-project results of one `check` to what is printed: fingerprints, the baseline
(written, or applied), the exit code, and the chosen format."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Dict, List, Optional, Sequence, Set, Tuple

from importguard.run.config import Config
from importguard.findings import Finding
from importguard.run.baseline import (
    DEFAULT_NAME,
    apply_baseline,
    load_entries,
    write_baseline,
)
from importguard.run.fingerprints import LineReader, fingerprints
from importguard.run.outcome import LEVELS, Outcome
from importguard.rules import ALL_RULES, select_rules
from importguard.run.check import CheckResult

FORMATS = ("text", "concise", "full", "json", "sarif", "github", "gitlab", "junit")
STATISTICS_FORMATS = ("text", "concise", "full", "json")  # as ruff: other formats have no statistics form


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
        [r[1] for r in rows], cwd,
    )
    checked = checked_paths(results, cwd)
    if choice.write is not None:
        for path, chosen in baseline_files(rows, choice, write=True, configs=[c for c, _ in results]):
            partial = covered(path, results, choice, checked)
            total = write_baseline(path, [r[0] for r in chosen], [r[1] for r in chosen], [r[2] for r in chosen], partial)
            kept = f"; kept {total - len(chosen)} of files this run did not check" if total > len(chosen) else ""
            notes.append(f"importguard: wrote {len(chosen)} finding(s) to the baseline {path}{kept}")
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


def emit(outcome: Outcome, output_format: str, stream: IO[str], color: bool, configs: Sequence[Config], statistics: bool) -> None:
    from importguard.report.ci import render_github, render_gitlab, render_junit
    from importguard.report.json_report import render_json
    from importguard.report.sarif import render_sarif
    from importguard.report.statistics import render_statistics
    from importguard.report.text import fix_summary, render_text

    if statistics:
        shown = outcome.recorded if outcome.recorded is not None else outcome.findings
        render_statistics(shown, stream, as_json=output_format == "json", unsafe_fixes=outcome.unsafe_fixes)
        if output_format != "json" and outcome.fixed is not None and outcome.summary:  # JSON: the CLI says it on stderr
            stream.write(fix_summary(outcome.findings, outcome.unsafe_fixes, outcome.fixed) + "\n")
    elif output_format == "json":
        render_json(outcome.findings, outcome.files, outcome.modules, stream)
    elif output_format == "sarif":
        first = configs[0]
        shared = {code: level for code, level in first.severity.items() if all(c.severity.get(code) == level for c in configs)}
        ran = {rule.code for c in configs for rule in select_rules(c.select, c.ignore, c.extend_select)}
        render_sarif(outcome, [rule for rule in ALL_RULES if rule.code in ran], stream, shared)
    elif output_format == "github":
        render_github(outcome, stream)
    elif output_format == "gitlab":
        render_gitlab(outcome, stream)
    elif output_format == "junit":
        render_junit(outcome, stream)
    else:
        from importguard.report.snippet import SourceLines

        render_text(outcome.findings, outcome.files, stream, color=color, unsafe_fixes=outcome.unsafe_fixes, fixed=outcome.fixed,
                    recorded=None if outcome.recorded is None else len(outcome.recorded),
                    style=output_format, summary=outcome.summary, sources=SourceLines(outcome.base))
