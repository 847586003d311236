"""The whole-project memo: the findings of the last `check` of a project, reused when nothing
that decides them has changed.

A run's key hashes importguard's version, the settings, the working directory, the paths given,
the files discovered (which are reported, which only indexed, which compiled) and every file's
facts key (the hash of its bytes, known from the facts cache's manifest without reading the file
when its size and modification time are unchanged). When the key equals the stored one, the
findings are read back and the project model is never built — networkx is not even imported.

One memo per (project, working directory, paths given): a new run replaces it. Like the facts
cache it is data-only JSON, written atomically; anything unreadable or foreign is a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from importguard import __version__
from importguard.cache import MAX_ENTRY_BYTES, FactsCache
from importguard.config import Config
from importguard.findings import Finding, Hop, Related

FORMAT = "memo-v1"


def run_key(config: Config, cwd: Path, paths: Sequence[Path], files: Sequence[Sequence[str]]) -> str:
    """The key of one run: `files` lists every discovered file with its facts key and role."""
    settings = json.dumps(dataclasses.asdict(config), default=str, sort_keys=True)
    document = [__version__, FORMAT, settings, str(cwd), sorted(map(str, paths)), list(files)]
    return hashlib.sha256(json.dumps(document, separators=(",", ":")).encode()).hexdigest()


class Memo:
    """The memo file of one (project, working directory, paths given) under the cache folder."""

    def __init__(self, cache: FactsCache, config: Config, cwd: Path, paths: Sequence[Path]) -> None:
        slot = json.dumps([str(config.root), str(cwd), sorted(map(str, paths))])
        self.cache = cache
        self.path = cache.folder / FORMAT / f"{hashlib.sha256(slot.encode()).hexdigest()[:32]}.json"

    def load(self, key: str) -> Optional[Dict[str, Any]]:
        """The stored result when it was made under `key`, else None."""
        try:
            with self.path.open("rb") as handle:
                data = handle.read(MAX_ENTRY_BYTES + 1)
            if len(data) > MAX_ENTRY_BYTES:
                return None
            document = json.loads(data)
            if document.get("importguard") != __version__ or document.get("key") != key:
                return None
            result = document["result"]
            result["findings"] = [finding_from_json(f) for f in result["findings"]]
            return result
        except Exception:  # noqa: BLE001 - missing, damaged or foreign: a miss
            return None

    def store(self, key: str, findings: List[Finding], files: int, modules: int, warnings: List[str]) -> None:
        result = {"findings": [finding_to_json(f) for f in findings], "files": files, "modules": modules, "warnings": warnings}
        self.cache.write_document(self.path, {"importguard": __version__, "key": key, "result": result})


def finding_to_json(finding: Finding) -> Dict[str, Any]:
    """Every field, `import_time` and unset ends included (the report format drops these)."""
    document = dataclasses.asdict(finding)
    if finding.cycle is not None:
        document["cycle"] = [dataclasses.asdict(hop) for hop in finding.cycle]
    return document


def finding_from_json(document: Dict[str, Any]) -> Finding:
    fields = dict(document)
    fields["related"] = [Related(**r) for r in fields["related"]]
    if fields["cycle"] is not None:
        fields["cycle"] = [Hop(**h) for h in fields["cycle"]]
    fields["fix"] = tuple(fields["fix"]) if fields.get("fix") else None
    return Finding(**fields)
