"""Findings that cannot happen yet: code below a module-level import that fails.

Importing a module runs its statements in order and stops at the first exception. When an
unguarded module-level import of that module fails (a rule whose record says `stops_module`:
IG304 no such module, IG305 no such name, IG306 a partial import), nothing after it runs at import time, so the later import-time findings
of the same module are masked until the first failure is fixed. They are kept (they will bite
then) and say so, so that a count of findings is not read as a count of crashes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Optional, Tuple

from importguard.findings import Finding
from importguard.rules import STOPS_THE_MODULE


def first_failures(findings: List[Finding]) -> Dict[str, Finding]:
    """Per file, the first import-time failure that stops the module (before any filtering)."""
    first: Dict[str, Finding] = {}
    for finding in findings:
        if finding.code in STOPS_THE_MODULE and finding.import_time:
            known = first.get(finding.path)
            if known is None or finding.line < known.line:
                first[finding.path] = finding
    return first


def mark_masked(findings: List[Finding], stops: Optional[Dict[str, Tuple[int, str]]] = None) -> List[Finding]:
    """The findings, those after their module's first failure marked; `stops` (path -> line, code)
    instead of the failures among `findings` when only some of a run's findings are computed."""
    if stops is None:
        stops = {path: (f.line, f.code) for path, f in first_failures(findings).items()}
    marked = []
    for finding in findings:
        stop = stops.get(finding.path)
        if stop is not None and finding.import_time and finding.line > stop[0]:
            note = (
                f"masked for now: importing this module already fails at line {stop[0]} ({stop[1]}), "
                "so this line does not run until that is fixed"
            )
            finding = replace(finding, hint=f"{finding.hint}; {note}" if finding.hint else note)
        marked.append(finding)
    return marked
