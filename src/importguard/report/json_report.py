"""Machine-readable output, schema_version 1 (SPEC.md, JSON output)."""

from __future__ import annotations

import json
from collections import Counter
from typing import IO, Any, Dict, List

from importguard import __version__
from importguard.findings import Finding

SCHEMA_VERSION = 1


def json_document(findings: List[Finding], files: int, modules: int) -> Dict[str, Any]:
    return {
        "tool": "importguard",
        "version": __version__,
        "schema_version": SCHEMA_VERSION,
        "findings": [f.to_json() for f in findings],
        "summary": {
            "files": files,
            "modules": modules,
            "findings": len(findings),
            "by_code": dict(sorted(Counter(f.code for f in findings).items())),
        },
    }


def render_json(findings: List[Finding], files: int, modules: int, stream: IO[str]) -> None:
    json.dump(json_document(findings, files, modules), stream, indent=2)
    stream.write("\n")
