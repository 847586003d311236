"""The rule record: everything about one rule, in one place.

Every other table about rules (peer codes for `# noqa`, the codes that stop a module, the facts a
partial re-run may skip, the causes `trace` ranks, the fix each finding gets, the docs) is derived
from these records, so adding a rule means writing one record (see "Adding a rule" in
CONTRIBUTING.md); `tests/test_rule_records.py` fails when a record lacks what its kind needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, Iterable, Optional, Tuple, Union

from importguard.findings import Finding
from importguard.project.model import Project

if TYPE_CHECKING:
    from importguard.project.model import SourceFile
    from importguard.rules.fixes.context import FixContext, Planned


@dataclass(frozen=True)
class Peer:
    """The same bug under another linter's code: `# noqa: CODE` written for pyflakes or ruff
    silences this rule too (but configuration must name importguard's own codes)."""

    code: str  # e.g. "F821"
    name: str  # ruff's name for it, e.g. "undefined-name"


@dataclass(frozen=True)
class Option:
    """A configuration key that changes what a rule reports (beyond select/ignore/severity)."""

    key: str  # as written in [tool.importguard]
    why: str  # what it changes for the rules that list it


@dataclass(frozen=True)
class Cause:
    """A runtime failure a finding of the rule raises, for `importguard trace`."""

    failure: str  # a kind from `importguard.rules.runtime_errors`
    # Among the rules whose findings raise `failure`, lower ranks name the cause more precisely
    # and are listed first (ties: by code).
    rank: int = 0


# Plans the fix of one finding in `source` (a file of the analysed project): a `Fix`, a refusal
# (why a finding shaped like a fixable one is not fixed) or None.
PlanFix = Callable[[Finding, "SourceFile", "FixContext"], "Planned"]


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
    planner: Optional[PlanFix] = None  # decides each finding's fix (required unless fix == "none")
    # "file": a finding lies in the file the rule was looking at, and depends only on that file's
    # facts and on other files' project-level facts (all but every rule's `local_facts`), so an
    # edit that leaves a file's project-level facts alone re-runs the rule on that file only.
    # "project": anything else (cycles, replays of imports); reused or recomputed as a whole.
    scope: str = "project"
    # The `FileFacts` fields this rule reads only for the file it reports on: a partial re-run
    # (`importguard.run.memo`) reuses the project-level findings when nothing else changed. Only
    # "file" rules may list any; a test proves no rule reads another file's local facts.
    local_facts: FrozenSet[str] = frozenset()
    peers: Tuple[Peer, ...] = ()
    options: Tuple[Option, ...] = ()
    # An import-time finding of this rule means importing the module fails there, so later
    # import-time findings of the module cannot happen yet (`importguard.rules.masking`).
    stops_module: bool = False
    causes: Tuple[Cause, ...] = ()
    # Its finding marks an import that an `except` handler runs (itself or through calls):
    # `trace` names it when a traceback passes through that line.
    handler_import: bool = False

    def finding(self, **fields: Any) -> Finding:
        return Finding(code=self.code, rule=self.name, severity=self.severity, **fields)
