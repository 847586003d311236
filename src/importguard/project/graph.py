"""The first-party module graph, its strongly connected components and shortest chains.

Each edge keeps every import site behind it. An edge's kinds are the kinds of its sites:
import-time (module level or class body), deferred (function-local) and typing-only.

The graph is a pair of adjacency dicts with an iterative Tarjan and breadth-first searches, not
networkx: importing networkx takes about 170 ms, a third of a warm run on a 900-file project
(measured in benchmarks/run.py), and these three algorithms are all importguard needs.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Tuple

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


class DiGraph:
    """A directed graph of module names: successors and predecessors, in insertion order."""

    def __init__(self) -> None:
        self.succ: Dict[str, Dict[str, None]] = {}
        self.pred: Dict[str, Dict[str, None]] = {}

    def add_node(self, node: str) -> None:
        if node not in self.succ:
            self.succ[node] = {}
            self.pred[node] = {}

    def add_edge(self, source: str, target: str) -> None:
        self.add_node(source)
        self.add_node(target)
        self.succ[source][target] = None
        self.pred[target][source] = None

    def __contains__(self, node: object) -> bool:
        return node in self.succ

    def successors(self, node: str) -> Iterable[str]:
        return self.succ[node]

    def predecessors(self, node: str) -> Iterable[str]:
        return self.pred[node]

    def degree(self, node: str) -> int:
        return len(self.succ[node]) + len(self.pred[node])

    def edges_within(self, members: Set[str]) -> Iterator[Tuple[str, str]]:
        for source in members:
            for target in self.succ[source]:
                if target in members:
                    yield source, target

    def strongly_connected_components(self) -> List[Set[str]]:
        """Tarjan's algorithm, iterative (import chains can be thousands of modules deep)."""
        index: Dict[str, int] = {}
        low: Dict[str, int] = {}
        on_stack: Set[str] = set()
        stack: List[str] = []
        found: List[Set[str]] = []
        counter = 0
        for root in self.succ:
            if root in index:
                continue
            work = [(root, iter(self.succ[root]))]
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack.add(root)
            while work:
                node, children = work[-1]
                advanced = False
                for child in children:
                    if child not in index:
                        index[child] = low[child] = counter
                        counter += 1
                        stack.append(child)
                        on_stack.add(child)
                        work.append((child, iter(self.succ[child])))
                        advanced = True
                        break
                    if child in on_stack:
                        low[node] = min(low[node], index[child])
                if advanced:
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    found.append(component)
        return found


class ImportGraph:
    """Module-name queries over the import graph."""

    def __init__(self) -> None:
        self.graph = DiGraph()
        self._sites: Dict[Tuple[str, str], List[ImportSite]] = {}
        self._views: Dict[FrozenSet[str], DiGraph] = {}  # the graph is complete before any query

    def add_module(self, name: str) -> None:
        self.graph.add_node(name)

    def add_import(self, importer: str, imported: str, site: ImportSite) -> None:
        self.graph.add_edge(importer, imported)
        self._sites.setdefault((importer, imported), []).append(site)

    def sites(self, importer: str, imported: str) -> List[ImportSite]:
        return self._sites[importer, imported]

    def edge_kinds(self, importer: str, imported: str) -> Set[str]:
        return {s.kind for s in self.sites(importer, imported)}

    def subgraph(self, kinds: FrozenSet[str]) -> DiGraph:
        """The graph keeping only edges with at least one site of the given kinds (built once)."""
        view = self._views.get(kinds)
        if view is None:
            view = self._views[kinds] = DiGraph()
            for node in self.graph.succ:
                view.add_node(node)
            for (source, target), sites in self._sites.items():
                if any(s.kind in kinds for s in sites):
                    view.add_edge(source, target)
        return view

    def components(self, kinds: FrozenSet[str]) -> Iterator[Tuple[DiGraph, Set[str]]]:
        """Strongly connected components (more than one module) of the `kinds` subgraph."""
        view = self.subgraph(kinds)
        for members in sorted(view.strongly_connected_components(), key=min):
            if len(members) > 1:
                yield view, members

    def shortest_chain(self, source: str, target: str, kinds: FrozenSet[str]) -> Optional[List[str]]:
        """The shortest import chain from `source` to `target` over edges of the given kinds."""
        view = self.subgraph(kinds)
        if source not in view or target not in view:
            return None
        return _bfs_path(view, set(view.succ), source, target, len(view.succ))

    def best_site(self, importer: str, imported: str, kinds: Iterable[str]) -> ImportSite:
        """The first import site (by line) of an edge among the given kinds."""
        wanted = set(kinds)
        return min((s for s in self.sites(importer, imported) if s.kind in wanted), key=lambda s: (s.line, s.column))


def _bfs_path(view: DiGraph, members: Set[str], source: str, target: str, limit: int) -> Optional[List[str]]:
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


def shortest_cycle(view: DiGraph, members: Set[str]) -> List[str]:
    """A shortest cycle through the component (exact for components of moderate size)."""
    starts = sorted(members)
    if len(members) > EXACT_CYCLE_SEARCH_LIMIT:
        starts = sorted(members, key=lambda m: (-view.degree(m), m))[:SAMPLED_STARTS]
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
    view: DiGraph, members: Set[str], edges: Iterable[Tuple[str, str]]
) -> Optional[List[str]]:
    """The shortest cycle inside `members` that uses at least one of `edges`."""
    best: Optional[List[str]] = None
    for importer, imported in sorted(edges)[:EXACT_CYCLE_SEARCH_LIMIT]:
        limit = len(best) - 1 if best else len(members)
        back = _bfs_path(view, members, imported, importer, limit)
        if back is not None and (best is None or len(back) < len(best)):
            best = [importer, *back[:-1]]
    return rotate(best) if best else None
