"""Baselines: record today's findings once, then report only new ones.

The file is sorted, stable JSON with a schema version (small diffs in review). Entries are
matched by fingerprint (`fingerprints`), never by line. A damaged or foreign file is an error,
never silently ignored.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import List, Tuple

from importguard.errors import ImportguardError
from importguard.findings import Finding

DEFAULT_NAME = ".importguard-baseline.json"
SCHEMA_VERSION = 1


def write_baseline(path: Path, findings: List[Finding], fingerprints: List[str], relative: List[str]) -> None:
    entries = sorted(
        ({"fingerprint": fp, "code": f.code, "path": rel, "name": f.name, "message": f.message}
         for f, fp, rel in zip(findings, fingerprints, relative)),
        key=lambda e: (e["path"], e["code"], e["fingerprint"]),
    )
    document = {"tool": "importguard", "schema_version": SCHEMA_VERSION, "findings": entries}
    text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".baseline-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)


def load_baseline(path: Path) -> Counter:
    """Fingerprint -> how many findings it stands for."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportguardError(f"baseline not found: {path} (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ImportguardError(f"{path}: not a readable importguard baseline ({error})") from None
    valid = (
        isinstance(document, dict) and document.get("tool") == "importguard"
        and isinstance(document.get("findings"), list)
        and all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in document["findings"])
    )
    if not valid:
        raise ImportguardError(f"{path}: not an importguard baseline (expected {{'tool': 'importguard', 'findings': [...]}})")
    if document.get("schema_version") != SCHEMA_VERSION:
        raise ImportguardError(f"{path}: baseline schema version {document.get('schema_version')!r} is not {SCHEMA_VERSION}")
    return Counter(entry["fingerprint"] for entry in document["findings"])


def apply_baseline(findings: List[Finding], fingerprints: List[str], baseline: Counter) -> Tuple[List[int], int, int]:
    """(indexes of the findings the baseline does not cover, how many it hid, how many of its
    entries matched nothing: bugs fixed since it was written)."""
    left = Counter(baseline)
    kept = []
    for index, fingerprint in enumerate(fingerprints):
        if left[fingerprint] > 0:
            left[fingerprint] -= 1
        else:
            kept.append(index)
    return kept, len(findings) - len(kept), sum(left.values())
