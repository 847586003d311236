"""Findings as LSP diagnostics: code, the rule's page, severity, the hint, related locations.

A finding is 1-based with columns in characters; a diagnostic is 0-based, and its end is
exclusive. Related locations carry every place the message points at: where a name is bound,
each hop of a cycle (file:line of the import), each call of a handler chain.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable, List, Optional, Sequence

from lsprotocol import types

from importguard.findings import Finding
from importguard.report.rule_pages import page_url

SOURCE = "importguard"

SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}

# Rules whose finding is code that does nothing: editors grey it out.
UNNECESSARY = frozenset({"IG003"})


def finding_range(finding: Finding, lines: Sequence[str]) -> types.Range:
    """The finding's range; a finding without an end covers the rest of its word (or line)."""
    line = max(finding.line - 1, 0)
    start = max(finding.column - 1, 0)
    end_line = finding.end_line or finding.line
    if finding.end_column is not None and (end_line, finding.end_column) > (finding.line, finding.column):
        return types.Range(types.Position(line, start), types.Position(end_line - 1, finding.end_column - 1))
    text = lines[line] if line < len(lines) else ""
    end = start
    while end < len(text) and (text[end].isalnum() or text[end] in "_."):
        end += 1
    if end == start:
        end = max(len(text.rstrip()), start)
    return types.Range(types.Position(line, start), types.Position(line, end))


def to_diagnostic(finding: Finding, lines: Sequence[str], uri_of: Callable[[str], str], related_support: bool,
                  echo: bool = False) -> types.Diagnostic:
    """One diagnostic; `uri_of` turns a finding's display path into a URI. An `echo` is a cycle
    shown in a member file other than the one it is reported in (`data.echo`)."""
    message = finding.message if not finding.hint else f"{finding.message}\n{finding.hint}"
    related: Optional[List[types.DiagnosticRelatedInformation]] = None
    if related_support:
        related = [
            types.DiagnosticRelatedInformation(types.Location(uri_of(r.path), _line_range(r.line)), r.message)
            for r in finding.related
        ]
        hops = finding.cycle or []
        for hop, following in zip(hops, hops[1:]):
            if hop.path and hop.line:
                text = f"`{hop.module}` imports `{following.module}`" + (f": {hop.statement}" if hop.statement else "")
                related.append(types.DiagnosticRelatedInformation(types.Location(uri_of(hop.path), _line_range(hop.line)), text))
        related = related or None
    elif finding.related or finding.cycle:  # no related locations: say them in the message
        places = [f"{r.path}:{r.line}: {r.message}" for r in finding.related]
        places += [f"{h.path}:{h.line}: {h.statement}" for h in finding.cycle or [] if h.path and h.line]
        message = "\n".join([message, *places])
    return types.Diagnostic(
        range=finding_range(finding, lines),
        message=message,
        severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Error),
        code=finding.code,
        code_description=types.CodeDescription(href=page_url(finding.code)),
        source=SOURCE,
        related_information=related,
        tags=[types.DiagnosticTag.Unnecessary] if finding.code in UNNECESSARY else None,
        data={"rule": finding.rule, "fix": finding.fix[0] if finding.fix else None, "echo": echo},
    )


def _line_range(line: int) -> types.Range:
    return types.Range(types.Position(max(line - 1, 0), 0), types.Position(max(line - 1, 0), 0))


def result_id(diagnostics: Sequence[types.Diagnostic], converter: Callable[[object], object]) -> str:
    """A stable id of a file's diagnostics: the same report gets the same id (pull `unchanged`)."""
    document = json.dumps([converter(d) for d in diagnostics], sort_keys=True, default=str)
    return hashlib.sha256(document.encode()).hexdigest()[:16]


def uri_maker(root: Path, as_uri: Callable[[Path], str]) -> Callable[[str], str]:
    return lambda display: as_uri(Path(root, display))
