"""Which part of the module graph a picture shows: edges of some kinds, only the cycles, the
neighbourhood of one module, modules grouped into packages.

`modules_graph` and `collapse` return plain `networkx.DiGraph`s that the formats draw. A node has
`path` (its file, or "" for a package group), `cycle` (it is, or holds, a member of an import
cycle) and `modules` (the module names it stands for). An edge has `sites` (the `ImportSite`s
behind it), `kinds` (theirs, in `KINDS` order; an edge is drawn as its first kind, so as
import-time when any of its imports runs at import time), `count` (the module-to-module imports it
stands for) and `cycle` (it closes an import cycle). Nodes and edges have `violation`: they are
on a chain that breaks the contract `graph --contract` names.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, FrozenSet, List, Mapping, Optional, Tuple

from importguard.errors import ImportguardError
from importguard.project.graph import IMPORT_TIME, KINDS, ImportGraph, ImportSite

if TYPE_CHECKING:  # networkx is imported when a graph is drawn: `check` with a memo hit never loads it
    import networkx as nx

# Above this many modules the HTML page starts from packages (`auto_depth`); --collapse 0 shows all.
PAGE_MODULE_LIMIT = 300


@dataclass(frozen=True)
class Selection:
    kinds: FrozenSet[str] = frozenset(KINDS)
    cycles_only: bool = False
    focus: Optional[str] = None
    depth: int = 1  # how far around `focus`, following imports both ways
    left_out: FrozenSet[str] = frozenset()  # modules `--exclude` keeps out of the picture (tests, say)
    violations: FrozenSet[Tuple[str, str]] = frozenset()  # imports on a chain that breaks a contract (--contract)


def cycle_kinds(kinds: FrozenSet[str]) -> FrozenSet[str]:
    """Cycles are those Python meets at import time (IG301) whenever import-time edges are shown;
    a picture of only deferred or typing-only edges shows the cycles of those."""
    return frozenset({IMPORT_TIME}) if IMPORT_TIME in kinds else kinds


def modules_graph(graph: ImportGraph, paths: Mapping[str, str], selection: Selection) -> nx.DiGraph:
    """The module graph narrowed as `selection` asks, with cycle members and cycle edges marked."""
    import networkx as nx

    shown = nx.DiGraph()
    for name in sorted(graph.graph):
        if name not in selection.left_out:
            shown.add_node(name, path=paths.get(name, ""), cycle=False, modules=[name],
                           violation=any(name in edge for edge in selection.violations))
    for importer, imported, sites in sorted(graph.graph.edges(data="sites")):
        if importer in selection.left_out or imported in selection.left_out:
            continue
        kept = sorted((s for s in sites if s.kind in selection.kinds), key=lambda s: (s.path, s.line, s.column))
        if kept:
            shown.add_edge(importer, imported, sites=kept, kinds=_kinds(kept), count=1, cycle=False,
                           violation=(importer, imported) in selection.violations)
    _mark_cycles(shown, cycle_kinds(selection.kinds))
    if selection.focus is not None and selection.focus not in shown:
        raise ImportguardError(f"--focus: unknown module `{selection.focus}`{_suggestion(selection.focus, shown)}")
    if selection.cycles_only:
        shown = shown.edge_subgraph([(a, b) for a, b, cycle in shown.edges(data="cycle") if cycle]).copy()
        if selection.focus is not None and selection.focus not in shown:
            raise ImportguardError(f"--focus: `{selection.focus}` is in no import cycle (drop --cycles-only to see it)")
    if selection.focus is not None:
        shown = nx.ego_graph(shown, selection.focus, radius=selection.depth, undirected=True)
    return shown


def _kinds(sites: List[ImportSite]) -> List[str]:
    present = {s.kind for s in sites}
    return [kind for kind in KINDS if kind in present]


def _mark_cycles(shown: nx.DiGraph, kinds: FrozenSet[str]) -> None:
    import networkx as nx

    cyclic = nx.DiGraph(
        (a, b) for a, b, edge_kinds in shown.edges(data="kinds") if any(k in kinds for k in edge_kinds)
    )
    for members in nx.strongly_connected_components(cyclic):
        if len(members) < 2:
            continue
        for name in members:
            shown.nodes[name]["cycle"] = True
        for importer, imported in cyclic.subgraph(members).edges:
            shown[importer][imported]["cycle"] = True


def _suggestion(name: str, shown: nx.DiGraph) -> str:
    close = difflib.get_close_matches(name, list(shown), n=1)
    return f" (did you mean `{close[0]}`?)" if close else " (not a first-party module of the project)"


def package_of(module: str, depth: int) -> str:
    return ".".join(module.split(".")[:depth])


def collapse(modules: nx.DiGraph, depth: int) -> nx.DiGraph:
    """Modules grouped into their packages `depth` names deep (`a.b.c` at depth 2 is `a.b`); the
    imports between two groups become one edge counting them. Imports inside a group vanish."""
    import networkx as nx

    grouped = nx.DiGraph()
    for name, data in modules.nodes(data=True):
        group = package_of(name, depth)
        if group not in grouped:
            grouped.add_node(group, path="", cycle=False, modules=[], violation=False)
        node = grouped.nodes[group]
        node["modules"].append(name)
        node["cycle"] = node["cycle"] or data["cycle"]
        node["violation"] = node["violation"] or data["violation"]
        if group == name:
            node["path"] = data["path"]
    for importer, imported, data in modules.edges(data=True):
        source, target = package_of(importer, depth), package_of(imported, depth)
        if source == target:
            continue
        if not grouped.has_edge(source, target):
            grouped.add_edge(source, target, sites=[], count=0, cycle=False, violation=False)
        edge = grouped[source][target]
        edge["sites"] += data["sites"]
        edge["count"] += 1
        edge["cycle"] = edge["cycle"] or data["cycle"]
        edge["violation"] = edge["violation"] or data["violation"]
    for _, _, data in grouped.edges(data=True):
        data["kinds"] = _kinds(data["sites"])
    return grouped


def auto_depth(modules: nx.DiGraph, limit: int = PAGE_MODULE_LIMIT) -> int:
    """0 (no grouping) for graphs of at most `limit` modules, else the deepest package level that
    leaves at most `limit` groups (at least the top level)."""
    if len(modules) <= limit:
        return 0
    deepest = max((name.count(".") + 1 for name in modules), default=1)
    fitting = [d for d in range(1, deepest + 1) if len({package_of(m, d) for m in modules}) <= limit]
    return max(fitting, default=1)
