"""Which fix each finding has: the planner of the finding's rule record decides (`Rule.planner`).

`with_fixes` marks a run's findings with their fixes (what `check` reports as `[*]`); the fix
engine (`importguard.fixes.engine`) asks a `Planner` for the fixes it applies and verifies.
"""

from __future__ import annotations

import dataclasses
from typing import List

from importguard.findings import Finding
from importguard.project.model import Project
from importguard.rules import BY_CODE
from importguard.rules.fixes.context import FixContext, Planned
from importguard.rules.fixes.model import Fix


class Planner:
    """Plans the fixes of one analysed project's findings."""

    def __init__(self, project: Project) -> None:
        self.context = FixContext(project)
        self.classify = self.context.classify

    def plan(self, finding: Finding) -> Planned:
        rule = BY_CODE.get(finding.code)
        if rule is None or rule.planner is None:
            return None
        source = self.context.by_display.get(finding.path)
        if source is None or source.module is None or source.facts.problem is not None:
            return None
        return rule.planner(finding, source, self.context)


def with_fixes(findings: List[Finding], project: Project) -> List[Finding]:
    """The findings with the fix each has, if any: (applicability, what it does)."""
    planner = Planner(project)
    marked = []
    for finding in findings:
        planned = planner.plan(finding)
        marked.append(dataclasses.replace(finding, fix=(planned.applicability, planned.title)) if isinstance(planned, Fix) else finding)
    return marked
