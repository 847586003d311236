"""importguard's own architecture, read from its import graph (every kind of import: function-local
and typing-only ones too): each layer imports only the layers below it, and the parts beside each
other in one layer do not import each other (SPEC "Layers"; STYLE "The shape we want")."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Tuple

from importguard.project.graph import DEFERRED, IMPORT_TIME, TYPING_ONLY
from importguard.run.check import load_project
from importguard.run.config import load_config
from importguard.run.settings import Settings

SRC = Path(__file__).resolve().parents[1] / "src"

# Top to bottom; the parts of one layer are independent of each other.
LAYERS: List[Tuple[str, ...]] = [
    ("__main__",),
    ("cli",),
    ("server",),  # the language server: `importguard server` starts it
    ("report", "fixes", "graph_export", "trace"),
    ("run",),
    ("rules",),
    ("project",),
    ("facts", "contracts"),
    ("errors", "findings", ""),  # the base every layer may use ("" is the package itself: its version)
]
RANK: Dict[str, int] = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}


def part(module: str) -> str:
    """`importguard.run.check` -> `run`; `importguard` -> ``."""
    return module.split(".")[1] if "." in module else ""


def breaches() -> List[str]:
    project = load_project([SRC], Settings(load_config(SRC.parent, None)))
    found = []
    graph = project.graph
    for importer, imported in graph.graph.edges:
        if not (importer.startswith("importguard") and imported.startswith("importguard")):
            continue
        low, high = part(imported), part(importer)
        if low == high:
            continue
        if RANK[high] < RANK[low]:
            continue
        site = graph.best_site(importer, imported, frozenset({IMPORT_TIME, DEFERRED, TYPING_ONLY}))
        why = "beside it in the same layer" if RANK[high] == RANK[low] else "above it"
        found.append(f"{site.path}:{site.line}: `{importer}` imports `{imported}`, {why}")
    return sorted(found)


def test_every_part_of_importguard_is_in_a_layer():
    project = load_project([SRC], Settings(load_config(SRC.parent, None)))
    unknown = sorted({part(m) for m in project.graph.modules() if m.startswith("importguard")} - set(RANK))
    assert unknown == [], f"place these in LAYERS: {unknown}"


def test_no_import_points_up_or_sideways():
    assert breaches() == []
