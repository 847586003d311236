"""Graphviz DOT: packages as nested clusters, edge style by kind, cycles in red, the imports that
break a contract (`--contract`) in orange.

Render with `dot -Tsvg graph.dot -o graph.svg`.
"""

from __future__ import annotations

from typing import Dict, List

import networkx as nx

from importguard.project.graph import DEFERRED, IMPORT_TIME, TYPING_ONLY

STYLES = {IMPORT_TIME: "solid", DEFERRED: "dashed", TYPING_ONLY: "dotted"}
CYCLE_COLOUR = "#c62828"
VIOLATION_COLOUR = "#ef6c00"


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(shown: nx.DiGraph) -> str:
    lines = [
        "digraph imports {",
        '  rankdir=LR; fontname="Helvetica";',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    ]
    _clusters(shown, lines)
    for importer, imported, data in shown.edges(data=True):
        attributes = [f"style={STYLES[data['kinds'][0]]}", f"tooltip={quote(', '.join(data['kinds']))}"]
        if data["count"] > 1:
            attributes.append(f"label={quote(str(data['count']))}")
        if data["violation"]:
            attributes += [f"color={quote(VIOLATION_COLOUR)}", "penwidth=3"]
        elif data["cycle"]:
            attributes += [f"color={quote(CYCLE_COLOUR)}", "penwidth=2"]
        lines.append(f"  {quote(importer)} -> {quote(imported)} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node(name: str, data: dict) -> str:
    label = name if len(data["modules"]) <= 1 else f"{name}\\n({len(data['modules'])} modules)"
    attributes = [f"label={quote(label)}"]
    if data["path"]:
        attributes.append(f"tooltip={quote(data['path'])}")
    if data["violation"]:
        attributes += [f"color={quote(VIOLATION_COLOUR)}", 'fillcolor="#fff3e0"', "penwidth=2"]
    elif data["cycle"]:
        attributes += [f"color={quote(CYCLE_COLOUR)}", 'fillcolor="#ffebee"', "penwidth=2"]
    return f"{quote(name)} [{', '.join(attributes)}];"


def _clusters(shown: nx.DiGraph, lines: List[str]) -> None:
    """Each node sits in the cluster of its package (`a.b.c` in `a.b`, inside `a`); a package's
    own `__init__` sits in its package's cluster."""
    children: Dict[str, List[str]] = {}
    members: Dict[str, List[str]] = {}
    packages = {name.rpartition(".")[0] for name in shown}
    for name in shown:
        parent = name if name in packages else name.rpartition(".")[0]
        members.setdefault(parent, []).append(name)
        while parent:
            grandparent = parent.rpartition(".")[0]
            siblings = children.setdefault(grandparent, [])
            if parent in siblings:
                break
            siblings.append(parent)
            parent = grandparent

    def emit(package: str, indent: str) -> None:
        for name in sorted(members.get(package, [])):
            lines.append(indent + _node(name, shown.nodes[name]))
        for child in sorted(children.get(package, [])):
            lines.append(f"{indent}subgraph {quote('cluster_' + child)} {{")
            lines.append(f'{indent}  label={quote(child)}; style="rounded"; color="#9e9e9e";')
            emit(child, indent + "  ")
            lines.append(indent + "}")

    emit("", "  ")
