"""Formats CI systems read: GitHub workflow commands, GitLab Code Quality, JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import IO

from importguard.run.outcome import Outcome

GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def escape_data(text: str) -> str:
    """GitHub's escaping of a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """GitHub's escaping of a workflow command's property values (also `:` and `,`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(outcome: Outcome, stream: IO[str]) -> None:
    """`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`, one per finding."""
    for finding in outcome.findings:
        properties = {
            "file": finding.path, "line": finding.line, "col": finding.column,
            "endLine": finding.end_line or finding.line, "endColumn": finding.end_column or finding.column + 1,
            "title": f"{finding.code} {finding.rule}",
        }
        rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
        message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
        stream.write(f"::{GITHUB_LEVEL.get(finding.severity, 'warning')} {rendered}::{escape_data(message)}\n")


def render_gitlab(outcome: Outcome, stream: IO[str]) -> None:
    """GitLab Code Quality: description, check_name, fingerprint, severity, location."""
    issues = [
        {
            "description": f"{finding.code} {finding.message}",
            "check_name": f"{finding.code} {finding.rule}",
            "fingerprint": fingerprint,
            "severity": GITLAB_SEVERITY.get(finding.severity, "minor"),
            "location": {"path": finding.path, "lines": {"begin": finding.line, "end": finding.end_line or finding.line}},
        }
        for finding, fingerprint in zip(outcome.findings, outcome.fingerprints)
    ]
    json.dump(issues, stream, indent=2)
    stream.write("\n")


def render_junit(outcome: Outcome, stream: IO[str]) -> None:
    """One test case per finding (a failure), or one passing case when there is none."""
    suites = ET.Element("testsuites", name="importguard", tests=str(max(1, len(outcome.findings))), failures=str(len(outcome.findings)))
    suite = ET.SubElement(suites, "testsuite", name="importguard", tests=suites.get("tests", "1"), failures=str(len(outcome.findings)), errors="0")
    for finding in outcome.findings:
        case = ET.SubElement(suite, "testcase", classname=finding.path, name=f"{finding.code} {finding.path}:{finding.line}:{finding.column}")
        failure = ET.SubElement(case, "failure", message=finding.message, type=finding.code)
        failure.text = f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}" + (f"\nhint: {finding.hint}" if finding.hint else "")
    if not outcome.findings:
        ET.SubElement(suite, "testcase", classname="importguard", name=f"no findings in {outcome.files} files")
    stream.write(ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n")
