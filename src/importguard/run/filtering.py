"""Which findings a run reports (inline suppressions, `skip-file`, `per-file-ignores`, scope),
and with which severity (`[tool.importguard.severity]`)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Set

import pathspec

from importguard.run.config import Config
from importguard.findings import Finding
from importguard.project.model import Project, SourceFile
from importguard.rules import code_matches, suppresses
from importguard.rules.suppressions import Used


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, cwd)).as_posix() if path.anchor == cwd.anchor else path.as_posix()


def filter_findings(findings: List[Finding], project: Project, config: Config, cwd: Path, only: Optional[Set[str]],
                    report_on: Set[str], used: Used) -> List[Finding]:
    """Drop findings that are suppressed inline, by `skip-file`, by `per-file-ignores` or out of
    scope: in a file that is excluded (or not among the files given)."""
    by_display: Dict[str, SourceFile] = {f.display: f for f in project.files}
    per_file = [
        (pathspec.GitIgnoreSpec.from_lines([pattern]), codes) for pattern, codes in config.per_file_ignores.items()
    ]
    kept = []
    for finding in findings:
        if only is not None and not only.intersection(finding.paths):
            continue
        if finding.path not in report_on and not (finding.cycle and report_on.intersection(finding.paths)):
            continue
        source = by_display.get(finding.path)
        if source is not None:
            if source.facts.skip_file:
                continue
            codes = source.facts.suppressions.get(finding.line)
            if codes is not None and (not codes or suppresses(finding.code, codes)):
                used.update((finding.path, finding.line, code) for code in codes if suppresses(finding.code, [code]))
                continue
            relative = display_path(source.path, config.root)
            if any(spec.match_file(relative) and code_matches(finding.code, c) for spec, c in per_file):
                continue
        kept.append(finding)
    return kept


def with_severities(findings: List[Finding], severities: Mapping[str, str]) -> List[Finding]:
    """The findings with the configured severity of their rule: every format and the exit code's
    threshold (`--exit-non-zero-on`) read it, as they read a built-in one."""
    if not severities:
        return findings
    return [replace(f, severity=severities[f.code]) if f.code in severities else f for f in findings]
