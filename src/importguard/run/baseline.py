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
from typing import Dict, Iterable, List, Optional, Set, Tuple

from importguard.errors import ImportguardError
from importguard.findings import Finding

DEFAULT_NAME = ".importguard-baseline.json"
SCHEMA_VERSION = 1


def write_baseline(path: Path, findings: List[Finding], fingerprints: List[str], relative: List[str],
                   checked: Optional[Set[str]] = None) -> int:
    """Record the findings; return how many entries the file holds. With `checked` (the paths,
    relative to the project, of the files a partial run reported on), the entries of every other
    file are kept: a run on some files never drops what it did not look at."""
    entries: List[Dict[str, object]] = [
        {"fingerprint": fp, "code": f.code, "path": rel, "name": f.name, "message": f.message}
        for f, fp, rel in zip(findings, fingerprints, relative)
    ]
    if checked is not None and path.exists():
        recorded = set(fingerprints)
        entries += [e for e in load_entries(path) if e.get("path") not in checked and e["fingerprint"] not in recorded]
    entries.sort(key=lambda e: (str(e.get("path")), str(e.get("code")), e["fingerprint"]))
    document = {"tool": "importguard", "schema_version": SCHEMA_VERSION, "findings": entries}
    text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".baseline-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.chmod(temporary, 0o666 & ~current_umask())  # a file the team commits, not mkstemp's 0600
    os.replace(temporary, path)
    return len(entries)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def load_entries(path: Path) -> List[Dict[str, object]]:
    """The entries of a baseline file, checked."""
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
    return list(document["findings"])


def apply_baseline(findings: List[Finding], fingerprints: List[str], entries: Iterable[Dict[str, object]],
                   checked: Optional[Set[str]] = None) -> Tuple[List[int], int, int]:
    """(indexes of the findings the baseline does not cover, how many it hid, how many of its
    entries matched nothing: bugs fixed since it was written). With `checked` (a partial run),
    only entries of the files it reported on can be stale: the others were not looked at."""
    wanted = set(fingerprints)
    entries = [e for e in entries if checked is None or e.get("path") in checked or e["fingerprint"] in wanted]
    left = Counter(str(e["fingerprint"]) for e in entries)
    kept = []
    for index, fingerprint in enumerate(fingerprints):
        if left[fingerprint] > 0:
            left[fingerprint] -= 1
        else:
            kept.append(index)
    return kept, len(findings) - len(kept), sum(left.values())
