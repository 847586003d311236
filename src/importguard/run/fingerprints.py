"""Fingerprints that survive edits elsewhere, for baselines, SARIF and GitLab.

A fingerprint hashes the rule code, the file's path (relative to its project), the finding's
symbol (the name; a cycle's set of modules; a call chain's functions) and the whitespace-
normalised text of the reported line, plus an occurrence index among findings that share all of
those. Never a line number: lines inserted above, functions renamed elsewhere and files
reordered do not change it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from importguard.findings import Finding

DEFINED_HERE = re.compile(r"^`([^`]+)\(\)` is defined here$")


def symbol(finding: Finding) -> str:
    if finding.cycle:
        return ",".join(sorted({hop.module for hop in finding.cycle}))
    chain = [m.group(1) for r in finding.related if (m := DEFINED_HERE.match(r.message))]
    return "|".join([finding.name or "", *chain])


class LineReader:
    """The text of a line of a file, files read once each; '' when unreadable."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._lines: Dict[str, List[str]] = {}

    def __call__(self, path: str, line: int) -> str:
        lines = self._lines.get(path)
        if lines is None:
            try:
                lines = (self.base / path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines = []
            self._lines[path] = lines
        return " ".join(lines[line - 1].split()) if 0 < line <= len(lines) else ""


def fingerprints(findings: List[Finding], line_text: Callable[[str, int], str],
                 relative: Optional[Callable[[str], str]] = None) -> List[str]:
    """One fingerprint per finding, in the same order."""
    seen: Dict[Tuple[str, ...], int] = {}
    found = []
    for finding in sorted(range(len(findings)), key=lambda i: findings[i].sort_key()):
        item = findings[finding]
        path = relative(item.path) if relative else item.path
        key = (item.code, path, symbol(item), line_text(item.path, item.line))
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        digest = hashlib.sha256("\0".join(key + (str(occurrence),)).encode()).hexdigest()[:32]
        found.append((finding, digest))
    return [digest for _, digest in sorted(found)]
