"""The whole-project memo: the findings of the last `check` of a project, reused when nothing
that decides them has changed.

A run's key hashes importguard's version, the settings, the working directory, the paths given,
the files discovered (which are reported, which only indexed, which compiled) and every file's
facts key (the hash of its bytes, known from the facts cache's manifest without reading the file
when its size and modification time are unchanged). When the key equals the stored one, the
findings are read back and the project model is never built — networkx is not even imported.

When only file contents changed and every changed file's project-level facts (all its facts but
`LOCAL_FACTS`, which rule records declare: imports, module bindings, exports, calls, handlers,
suppressions, with their lines)
are those of the last run — an edit inside a function body that moves no line — the findings of
"project" rules (cycles, replays, module names) are reused and the "file" rules (`Rule.scope`)
run again on the changed files only, without the graph.

One memo per (project, working directory, paths given): a new run replaces it. Like the facts
cache it is data-only JSON, written atomically; anything unreadable or foreign is a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from importguard import __version__
from importguard.run.cache import MAX_ENTRY_BYTES, FactsCache
from importguard.run.config import Config
from importguard.facts.model import FileFacts
from importguard.findings import Finding, Hop, Related
from importguard.rules import LOCAL_FACTS

FORMAT = "memo-v2"


def _digest(document: object) -> str:
    return hashlib.sha256(json.dumps(document, separators=(",", ":"), sort_keys=True).encode()).hexdigest()


def run_keys(config: Config, cwd: Path, paths: Sequence[Path], files: Sequence[Sequence[str]]) -> Tuple[str, str]:
    """(structure key, run key) of one run. `files` lists every discovered file as [path, facts
    key, role]; the structure key leaves out the facts keys."""
    settings = json.dumps(dataclasses.asdict(config), default=str, sort_keys=True)
    structure = _digest([__version__, FORMAT, settings, str(cwd), sorted(map(str, paths)), [[p, r] for p, _, r in files]])
    return structure, _digest([structure, [key for _, key, _ in files]])


def project_signature(facts: FileFacts) -> str:
    """The hash of a file's project-level facts: what rules read about it when looking at other files."""
    return _digest({k: v for k, v in facts.to_json().items() if k not in LOCAL_FACTS})


@dataclass
class Remembered:
    """The last run: its keys, every file's facts key, the files it analysed, where each module's
    import first fails (path -> [line, code], before filtering) and its result."""

    key: str
    structure: str
    files: Dict[str, str]
    analysed: List[str]
    stops: Dict[str, Tuple[int, str]]
    findings: List[Finding]
    counts: Tuple[int, int]  # files reported, modules
    warnings: List[str]


class Memo:
    """The memo file of one (project, working directory, paths given) under the cache folder."""

    def __init__(self, cache: FactsCache, config: Config, cwd: Path, paths: Sequence[Path]) -> None:
        slot = json.dumps([str(config.root), str(cwd), sorted(map(str, paths))])
        self.cache = cache
        self.path = cache.folder / FORMAT / f"{hashlib.sha256(slot.encode()).hexdigest()[:32]}.json"

    def load(self) -> Optional[Remembered]:
        try:
            with self.path.open("rb") as handle:
                data = handle.read(MAX_ENTRY_BYTES + 1)
            if len(data) > MAX_ENTRY_BYTES:
                return None
            document = json.loads(data)
            if document.get("importguard") != __version__:
                return None
            return Remembered(
                document["key"], document["structure"], dict(document["files"]), list(document["analysed"]),
                {path: (int(line), str(code)) for path, (line, code) in document["stops"].items()},
                [finding_from_json(f) for f in document["findings"]], tuple(document["counts"]),
                list(document["warnings"]),
            )
        except Exception:  # noqa: BLE001 - missing, damaged or foreign: a miss
            return None

    def store(self, run: Remembered) -> None:
        self.cache.write_document(self.path, {"importguard": __version__, **dataclasses.asdict(run)})


def finding_from_json(document: Dict[str, Any]) -> Finding:
    fields = dict(document)
    fields["related"] = [Related(**r) for r in fields["related"]]
    if fields["cycle"] is not None:
        fields["cycle"] = [Hop(**h) for h in fields["cycle"]]
    fields["fix"] = tuple(fields["fix"]) if fields.get("fix") else None
    return Finding(**fields)
