"""Mermaid flowchart, as GitHub renders it in Markdown.

Module names cannot be Mermaid ids: dots are not allowed and `end`, `graph`, `subgraph`, `click`,
`style`, `class`... are keywords. Every node gets a made-up id (`m_` and the name with every other
character an underscore, numbered when two names meet), and its real name as the label.
"""

from __future__ import annotations

import re
from typing import Dict, List

import networkx as nx

from importguard.project.graph import DEFERRED, IMPORT_TIME, TYPING_ONLY

ARROWS = {IMPORT_TIME: "-->", DEFERRED: "-.->", TYPING_ONLY: "-.->"}
TYPING_ONLY_STYLE = "stroke-dasharray:1 4"  # dotted, to tell it from the dashed deferred imports
CYCLE_COLOUR = "#c62828"
VIOLATION_COLOUR = "#ef6c00"  # the imports that break the contract `graph --contract` names


def safe_ids(names: List[str]) -> Dict[str, str]:
    ids: Dict[str, str] = {}
    taken = set()
    for name in names:
        base = "m_" + re.sub(r"[^A-Za-z0-9_]", "_", name)
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}_{number}"
        taken.add(candidate)
        ids[name] = candidate
    return ids


def label(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def render_mermaid(shown: nx.DiGraph) -> str:
    ids = safe_ids(sorted(shown))
    lines = ["flowchart LR"]
    for name in sorted(shown):
        count = len(shown.nodes[name]["modules"])
        text = name if count <= 1 else f"{name} ({count} modules)"
        lines.append(f"    {ids[name]}[{label(text)}]")
    typing_only, cyclic, violating = [], [], []
    for index, (importer, imported, data) in enumerate(sorted(shown.edges(data=True), key=lambda e: e[:2])):
        kind = data["kinds"][0]
        arrow = ARROWS[kind] + (f"|{label(str(data['count']))}|" if data["count"] > 1 else "")
        lines.append(f"    {ids[importer]} {arrow} {ids[imported]}")
        if kind == TYPING_ONLY:
            typing_only.append(str(index))
        if data["violation"]:
            violating.append(str(index))
        elif data["cycle"]:
            cyclic.append(str(index))
    members = [ids[name] for name in sorted(shown) if shown.nodes[name]["cycle"]]
    if members:
        lines.append(f"    classDef cycle fill:#ffebee,stroke:{CYCLE_COLOUR},stroke-width:2px")
        lines.append(f"    class {','.join(members)} cycle")
    broken = [ids[name] for name in sorted(shown) if shown.nodes[name]["violation"]]
    if broken:
        lines.append(f"    classDef violation fill:#fff3e0,stroke:{VIOLATION_COLOUR},stroke-width:2px")
        lines.append(f"    class {','.join(broken)} violation")
    if typing_only:
        lines.append(f"    linkStyle {','.join(typing_only)} {TYPING_ONLY_STYLE}")
    if cyclic:
        lines.append(f"    linkStyle {','.join(cyclic)} stroke:{CYCLE_COLOUR},stroke-width:2px")
    if violating:
        lines.append(f"    linkStyle {','.join(violating)} stroke:{VIOLATION_COLOUR},stroke-width:3px")
    return "\n".join(lines) + "\n"
