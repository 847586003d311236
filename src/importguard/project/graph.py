"""The first-party module graph (networkx), its cycles and shortest chains.

Each edge keeps every import site behind it. An edge's kinds are the kinds of its sites:
import-time (module level or class body), deferred (function-local) and typing-only.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Tuple

import networkx as nx

IMPORT_TIME = "import-time"
DEFERRED = "deferred"
TYPING_ONLY = "typing-only"
# Exact shortest cycles need a breadth-first search from every member; in a huge component
# that is quadratic, so only the best-connected members are tried there.
EXACT_CYCLE_SEARCH_LIMIT = 400
SAMPLED_STARTS = 40


@dataclass(frozen=True)
class ImportSite:
    path: str
    line: int
    column: int
    kind: str
    statement: str  # the import as written, e.g. "from .state import Connection"


class ImportGraph:
    """A thin layer of module-name queries over a `networkx.DiGraph`."""

    def __init__(self) -> None:
        self.graph = nx.DiGraph()
        self._views: Dict[FrozenSet[str], nx.DiGraph] = {}  # the graph is complete before any query

    def add_module(self, name: str) -> None:
        self.graph.add_node(name)

    def add_import(self, importer: str, imported: str, site: ImportSite) -> None:
        if not self.graph.has_edge(importer, imported):
            self.graph.add_edge(importer, imported, sites=[])
        self.graph.edges[importer, imported]["sites"].append(site)

    def sites(self, importer: str, imported: str) -> List[ImportSite]:
        return self.graph.edges[importer, imported]["sites"]

    def edge_kinds(self, importer: str, imported: str) -> Set[str]:
        return {s.kind for s in self.sites(importer, imported)}

    def subgraph(self, kinds: FrozenSet[str]) -> nx.DiGraph:
        """The graph keeping only edges with at least one site of the given kinds (built once)."""
        view = self._views.get(kinds)
        if view is None:
            view = self._views[kinds] = nx.DiGraph()
            view.add_nodes_from(self.graph)
            view.add_edges_from(
                (u, v) for u, v, sites in self.graph.edges(data="sites") if any(s.kind in kinds for s in sites)
            )
        return view

    def components(self, kinds: FrozenSet[str]) -> Iterator[Tuple[nx.DiGraph, Set[str]]]:
        """Strongly connected components (more than one module) of the `kinds` subgraph."""
        view = self.subgraph(kinds)
        for members in sorted(nx.strongly_connected_components(view), key=min):
            if len(members) > 1:
                yield view, members

    def shortest_chain(self, source: str, target: str, kinds: FrozenSet[str]) -> Optional[List[str]]:
        """The shortest import chain from `source` to `target` over edges of the given kinds."""
        try:
            return nx.shortest_path(self.subgraph(kinds), source, target)
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None

    def best_site(self, importer: str, imported: str, kinds: Iterable[str]) -> ImportSite:
        """The first import site (by line) of an edge among the given kinds."""
        wanted = set(kinds)
        return min((s for s in self.sites(importer, imported) if s.kind in wanted), key=lambda s: (s.line, s.column))


def _bfs_path(view: nx.DiGraph, members: Set[str], source: str, target: str, limit: int) -> Optional[List[str]]:
    """Shortest path inside `members` from source to target, no longer than `limit` edges."""
    if source == target:
        return [source]
    parents: Dict[str, str] = {source: source}
    frontier = deque([(source, 0)])
    while frontier:
        node, depth = frontier.popleft()
        if depth >= limit:
            break
        for successor in sorted(view.successors(node)):
            if successor in members and successor not in parents:
                parents[successor] = node
                if successor == target:
                    path = [target]
                    while path[-1] != source:
                        path.append(parents[path[-1]])
                    return path[::-1]
                frontier.append((successor, depth + 1))
    return None


def rotate(cycle: List[str]) -> List[str]:
    """Start a cycle (without the repeated end) at its smallest module name."""
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


def shortest_cycle(view: nx.DiGraph, members: Set[str]) -> List[str]:
    """A shortest cycle through the component (exact for components of moderate size)."""
    starts = sorted(members)
    if len(members) > EXACT_CYCLE_SEARCH_LIMIT:
        starts = sorted(members, key=lambda m: (-view.in_degree(m) - view.out_degree(m), m))[:SAMPLED_STARTS]
    best: Optional[List[str]] = None
    for start in starts:
        limit = len(best) - 1 if best else len(members)
        for predecessor in sorted(view.predecessors(start)):
            if predecessor not in members:
                continue
            path = _bfs_path(view, members, start, predecessor, limit)
            if path is not None and (best is None or len(path) < len(best)):
                best = path
                limit = len(best) - 1
        if best is not None and len(best) == 2:
            break
    assert best is not None, "a strongly connected component always has a cycle"
    return rotate(best)


def shortest_cycle_through(
    view: nx.DiGraph, members: Set[str], edges: Iterable[Tuple[str, str]]
) -> Optional[List[str]]:
    """The shortest cycle inside `members` that uses at least one of `edges`."""
    best: Optional[List[str]] = None
    for importer, imported in sorted(edges)[:EXACT_CYCLE_SEARCH_LIMIT]:
        limit = len(best) - 1 if best else len(members)
        back = _bfs_path(view, members, imported, importer, limit)
        if back is not None and (best is None or len(back) < len(best)):
            best = [importer, *back[:-1]]
    return rotate(best) if best else None
