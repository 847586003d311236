"""`--statistics`: counts per rule, most frequent first (as ruff's)."""

from __future__ import annotations

import json
from collections import Counter
from typing import IO, List

from importguard.findings import Finding


def statistics(findings: List[Finding]) -> List[dict]:
    counts = Counter((f.code, f.rule) for f in findings)
    return [{"code": code, "name": name, "count": count} for (code, name), count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]


def render_statistics(findings: List[Finding], stream: IO[str], as_json: bool) -> None:
    rows = statistics(findings)
    if as_json:
        json.dump(rows, stream, indent=2)
        stream.write("\n")
        return
    width = max((len(str(r["count"])) for r in rows), default=1)
    for row in rows:
        stream.write(f"{row['count']:>{width}}\t{row['code']}\t{row['name']}\n")
