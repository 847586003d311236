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

    def finding(self, **fields: Any) -> Finding:
        return Finding(code=self.code, rule=self.name, severity=self.severity, **fields)
