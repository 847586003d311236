"""What every rule carries: code, name, default, rationale, and bad/good examples that are tested."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, Optional, Tuple, Union

from importguard.findings import Finding
from importguard.project.model import Project


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    default: bool  # on unless selected explicitly when False
    summary: str  # what it does, one line
    rationale: str  # why it matters, one paragraph
    bad: Dict[str, Union[str, bytes]]  # fixture tree {path: source} that triggers the rule
    bad_findings: Tuple[Tuple[str, int], ...]  # (path, line) of every expected finding in `bad`
    good: Dict[str, Union[str, bytes]]  # the fixed tree: no finding
    check: Callable[[Project], Iterable[Finding]]
    severity: str = "error"  # "error" | "warning" | "info" (an inventory, such as IG203)
    fix: str = "none"  # "safe" | "unsafe" (needs --unsafe-fixes) | "none": the best fix `--fix` can apply
    fixed: Optional[Dict[str, Union[str, bytes]]] = None  # `bad` after `--fix --unsafe-fixes` (tested)
    # "file": a finding lies in the file the rule was looking at, and depends only on that file's
    # facts and on other files' project-level facts (see `importguard.run.memo.LOCAL_FACTS`), so an
    # edit that leaves a file's project-level facts alone re-runs the rule on that file only.
    # "project": anything else (cycles, replays of imports); reused or recomputed as a whole.
    scope: str = "project"

    def finding(self, **fields: Any) -> Finding:
        return Finding(code=self.code, rule=self.name, severity=self.severity, **fields)
