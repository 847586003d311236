"""`--statistics`: counts per rule, most frequent first (as ruff's), in text or JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import IO, List

from importguard.findings import Finding
from importguard.report.text import fixable


def statistics(findings: List[Finding], unsafe_fixes: bool = False) -> List[dict]:
    """`fixable`: `--fix` (with `--unsafe-fixes` when given) would fix some finding of the code."""
    counts = Counter((f.code, f.rule) for f in findings)
    can_fix = {f.code for f in findings if fixable(f, unsafe_fixes)}
    return [
        {"code": code, "name": name, "count": count, "fixable": code in can_fix}
        for (code, name), count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    ]


def render_statistics(findings: List[Finding], stream: IO[str], as_json: bool, unsafe_fixes: bool = False) -> None:
    """Text rows are `count<TAB>code<TAB>name`, `[*] ` before a fixable rule's name as in ruff."""
    rows = statistics(findings, unsafe_fixes)
    if as_json:
        json.dump(rows, stream, indent=2)
        stream.write("\n")
        return
    width = max((len(str(r["count"])) for r in rows), default=1)
    for row in rows:
        stream.write(f"{row['count']:>{width}}\t{row['code']}\t{'[*] ' if row['fixable'] else ''}{row['name']}\n")
