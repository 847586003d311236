"""SARIF 2.1.0 (`--format sarif`), as GitHub code scanning reads it.

Every selected rule is described in `tool.driver.rules` from the rule's own metadata (the same
text as `importguard explain`). Results carry a full region, related locations for hints,
`codeFlows` for cycle hops and handler call chains, the baseline fingerprint in
`partialFingerprints`, and paths as URIs relative to `%SRCROOT%`. A severity the configuration
sets (`[tool.importguard.severity]`) is each result's `level` and the invocation's
`ruleConfigurationOverrides`; `defaultConfiguration` stays the rule's own.
"""

from __future__ import annotations

import json
from typing import IO, Any, Dict, List, Mapping, Optional
from urllib.parse import quote

from importguard import __version__
from importguard.findings import Finding
from importguard.report.outcome import Outcome
from importguard.rules.base import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DOCS = "https://github.com/importguard/importguard/blob/main/docs/rules.md"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def uri(path: str) -> str:
    return quote(path.replace("\\", "/"))


def location(path: str, line: int, column: int = 1, end_line: int = 0, end_column: int = 0, message: str = "") -> Dict[str, Any]:
    region: Dict[str, Any] = {"startLine": line, "startColumn": column}
    if end_line:
        region.update(endLine=end_line, endColumn=max(end_column, column + 1) if end_line == line else end_column or 1)
    found: Dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri(path), "uriBaseId": "%SRCROOT%"}, "region": region}}
    if message:
        found["message"] = {"text": message}
    return found


def rule_descriptor(rule: Rule) -> Dict[str, Any]:
    anchor = f"{rule.code.lower()}-{rule.name}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": rule.rationale, "markdown": f"**{rule.code} {rule.name}**: {rule.summary}\n\n{rule.rationale}\n\n[Rule documentation]({DOCS}#{anchor})"},
        "helpUri": f"{DOCS}#{anchor}",
        "defaultConfiguration": {"level": LEVEL[rule.severity], "enabled": rule.default},
    }


def result(finding: Finding, index: int, fingerprint: str, baseline: bool) -> Dict[str, Any]:
    text = finding.message + (f". Hint: {finding.hint}" if finding.hint else "")
    end_line = finding.end_line or finding.line
    found: Dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVEL.get(finding.severity, "warning"),
        "message": {"text": text},
        "locations": [location(finding.path, finding.line, finding.column, end_line, finding.end_column or finding.column + 1)],
        "partialFingerprints": {"importguard/v1": fingerprint},
    }
    related = [r for r in finding.related if r.path and r.line]
    if related:
        found["relatedLocations"] = [
            dict(location(r.path, r.line, message=r.message), id=i) for i, r in enumerate(related, start=1)
        ]
    hops = [h for h in finding.cycle or [] if h.path and h.line]
    steps = hops or related
    if len(steps) > 1:
        flow = [
            {"location": location(s.path, s.line, message=f"`{s.module}` runs `{s.statement}`" if hops else s.message)}  # type: ignore[union-attr]
            for s in steps
        ]
        found["codeFlows"] = [{"threadFlows": [{"locations": flow}]}]
    if baseline:
        found["baselineState"] = "new"
    return found


def render_sarif(outcome: Outcome, rules: List[Rule], stream: IO[str], severities: Optional[Mapping[str, str]] = None) -> None:
    index = {rule.code: i for i, rule in enumerate(rules)}
    invocation: Dict[str, Any] = {"executionSuccessful": True, "exitCode": outcome.exit_code}
    overrides = [
        {"descriptor": {"id": code, "index": index[code]}, "configuration": {"level": LEVEL[level]}}
        for code, level in sorted((severities or {}).items()) if code in index
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
            "results": [
                result(f, index.get(f.code, 0), fp, outcome.baseline is not None)
                for f, fp in zip(outcome.findings, outcome.fingerprints)
            ],
            "invocations": [invocation],
        }],
    }
    json.dump(document, stream, indent=2)
    stream.write("\n")
