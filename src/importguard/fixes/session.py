"""`--fix` and `--diff` over every project of one `check`: each project's fixes proven by
re-analysis (`importguard.fixes.engine`), the results replaced by the analysis of the fixed sources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from importguard.fixes.engine import FixRun, Target, run_fixes, with_notes
from importguard.run.check import CheckResult


@dataclass
class FixSession:
    runs: List[FixRun]
    results: List[CheckResult]  # what is left to report, one per project
    fixed: int  # findings the applied fixes removed

    def piped_source(self, piped: Path, original: bytes) -> bytes:
        """The fixed standard input (or the original when nothing changed); it is never written to
        the file it stands for."""
        source = next((run.fixed_sources[piped] for run in self.runs if piped in run.fixed_sources), original)
        for run in self.runs:
            run.fixed_sources.pop(piped, None)
        return source


def fix_projects(targets: Sequence[Target], results: Sequence[CheckResult], unsafe: bool,
                 piped: Optional[Tuple[Path, bytes]] = None) -> FixSession:
    """`piped` is standard input: (the absolute path it stands for, its bytes)."""
    runs, left = [], []
    for target, result in zip(targets, results):
        first = result if result.project is not None else target.check({})  # a memo hit has no project to plan on
        given = {piped[0]: piped[1]} if piped is not None and target.stdin is not None else None
        run, notes = run_fixes(first, target, unsafe, given)
        run.result.findings = with_notes(run.result, notes)
        runs.append(run)
        left.append(run.result)
    return FixSession(runs, left, sum(run.fixed for run in runs))
