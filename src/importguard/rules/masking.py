"""Findings that cannot happen yet: code below a module-level import that fails.

Importing a module runs its statements in order and stops at the first exception. When an
unguarded module-level import of that module fails (IG304 no such module, IG305 no such name,
IG306 a partial import), nothing after it runs at import time, so the later import-time findings
of the same module are masked until the first failure is fixed. They are kept (they will bite
then) and say so, so that a count of findings is not read as a count of crashes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, List

from importguard.findings import Finding

STOPS_THE_MODULE = ("IG304", "IG305", "IG306")


def mark_masked(findings: List[Finding]) -> List[Finding]:
    first_failure: Dict[str, Finding] = {}
    for finding in findings:
        if finding.code in STOPS_THE_MODULE and finding.import_time:
            known = first_failure.get(finding.path)
            if known is None or finding.line < known.line:
                first_failure[finding.path] = finding
    marked = []
    for finding in findings:
        stop = first_failure.get(finding.path)
        if stop is not None and finding.import_time and finding.line > stop.line:
            note = (
                f"masked for now: importing this module already fails at line {stop.line} ({stop.code}), "
                "so this line does not run until that is fixed"
            )
            finding = replace(finding, hint=f"{finding.hint}; {note}" if finding.hint else note)
        marked.append(finding)
    return marked
