"""SARIF 2.1.0 (`--format sarif`), as GitHub code scanning reads it.

Every rule that ran in any of the checked projects is described in `tool.driver.rules` from the
rule's own metadata (the same text as `importguard explain`), and each result's `ruleIndex`
points at its own code's entry. Results carry a full region, related locations (hints, cycle hops,
handler call chains) linked from the message as `[text](id)` (SARIF 3.11.6: GitHub shows a
related location only when the message links it), `codeFlows` for cycle hops and call chains,
the baseline fingerprint in `partialFingerprints`, and paths as URIs relative to `%SRCROOT%`. A
related location has no column in the finding, so its region has none rather than a made-up 1.
With a baseline in use, findings it covers are carried as `baselineState: "unchanged"` and the
others as `"new"`. A severity the configuration sets (`[tool.importguard.severity]`) is each
result's `level` and, when every project agrees, the invocation's `ruleConfigurationOverrides`;
`defaultConfiguration` stays the rule's own.
"""

from __future__ import annotations

import json
from typing import IO, Any, Dict, List, Optional, Tuple
from urllib.parse import quote

from importguard import __version__
from importguard.findings import Finding
from importguard.run.outcome import Outcome
from importguard.report.rule_pages import page_url
from importguard.rules.base import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def uri(path: str) -> str:
    return quote(path.replace("\\", "/"))


def location(path: str, line: int, column: Optional[int] = None, end_line: int = 0, end_column: int = 0,
             message: str = "") -> Dict[str, Any]:
    """A physical location; `column` None (unknown) leaves the region's columns out."""
    region: Dict[str, Any] = {"startLine": line}
    if column is not None:
        region["startColumn"] = column
        if end_line:
            region.update(endLine=end_line, endColumn=max(end_column, column + 1) if end_line == line else end_column or 1)
    found: Dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri(path), "uriBaseId": "%SRCROOT%"}, "region": region}}
    if message:
        found["message"] = {"text": escape(message)}
    return found


def escape(text: str) -> str:
    """Plain message text: a literal `[`, `]` or backslash is escaped so that only our own
    `[text](id)` links read as links (SARIF 3.11.6)."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def rule_descriptor(rule: Rule) -> Dict[str, Any]:
    page = page_url(rule.code)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": rule.rationale, "markdown": f"**{rule.code} {rule.name}**: {rule.summary}\n\n{rule.rationale}\n\n[Rule documentation]({page})"},
        "helpUri": page,
        "defaultConfiguration": {"level": LEVEL[rule.severity], "enabled": rule.default},
    }


Step = Tuple[str, int, str]  # (path, line, message) of a related location


def related_steps(finding: Finding) -> Tuple[List[Step], List[Step]]:
    """The finding's own related locations, and its cycle hops."""
    own = [(r.path, r.line, r.message) for r in finding.related if r.path and r.line]
    hops = [(h.path, h.line, f"`{h.module}` runs `{h.statement}`") for h in finding.cycle or [] if h.path and h.line]
    return own, hops


def result(finding: Finding, index: int, fingerprint: str, state: Optional[str]) -> Dict[str, Any]:
    own, hops = related_steps(finding)
    steps = own + hops
    text = escape(finding.message) + (f". Hint: {escape(finding.hint)}" if finding.hint else "")
    if steps:
        text += ". Related: " + "; ".join(f"[{escape(message)}]({i})" for i, (_, _, message) in enumerate(steps, start=1))
    end_line = finding.end_line or finding.line
    found: Dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVEL.get(finding.severity, "warning"),
        "message": {"text": text},
        "locations": [location(finding.path, finding.line, finding.column, end_line, finding.end_column or finding.column + 1)],
        "partialFingerprints": {"importguard/v1": fingerprint},
    }
    if steps:
        found["relatedLocations"] = [
            dict(location(path, line, message=message), id=i) for i, (path, line, message) in enumerate(steps, start=1)
        ]
    flow_steps = hops or own
    if len(flow_steps) > 1:
        flow = [{"location": location(path, line, message=message)} for path, line, message in flow_steps]
        found["codeFlows"] = [{"threadFlows": [{"locations": flow}]}]
    if state:
        found["baselineState"] = state
    return found


def render_sarif(outcome: Outcome, stream: IO[str]) -> None:
    """The rule table lists every rule some project ran (`Outcome.rules`), so each result's
    `ruleIndex` names its own rule whichever project reported it."""
    new_state, unchanged = ("new", "unchanged") if outcome.baseline is not None else (None, None)
    reported = sorted(
        [(f, fp, new_state) for f, fp in zip(outcome.findings, outcome.fingerprints)]
        + [(f, fp, unchanged) for f, fp in outcome.baselined],
        key=lambda row: row[0].sort_key(),
    )
    rules = sorted(outcome.rules, key=lambda rule: rule.code)
    index = {rule.code: i for i, rule in enumerate(rules)}
    invocation: Dict[str, Any] = {"executionSuccessful": True, "exitCode": outcome.exit_code}
    overrides = [
        {"descriptor": {"id": code, "index": index[code]}, "configuration": {"level": LEVEL[level]}}
        for code, level in sorted(outcome.severity.items()) if code in index
    ]
    if overrides:
        invocation["ruleConfigurationOverrides"] = overrides
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "importguard", "version": __version__, "semanticVersion": __version__,
                "informationUri": "https://github.com/importguard/importguard",
                "rules": [rule_descriptor(rule) for rule in rules],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": outcome.base.resolve().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": [result(f, index[f.code], fp, state) for f, fp, state in reported],
            "invocations": [invocation],
        }],
    }
    json.dump(document, stream, indent=2)
    stream.write("\n")
