"""The first-party module graph: a networkx `DiGraph` of module names whose edges carry their
import sites. An edge's kinds are the kinds of its sites: import-time (module level or class
body), deferred (function-local) and typing-only.

Strongly connected components and shortest paths come from networkx. Queries run on views that
keep only some kinds of edges; a view lists every module's successors in sorted order, so the
breadth-first searches, and with them every chain and cycle reported, do not depend on the order
in which files were read.

Warm runs with nothing changed never build this graph (see `importguard.run.memo`); networkx
(~75 ms to import) is imported when a graph is first built, so those runs never load it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Tuple

if TYPE_CHECKING:
    import networkx as nx

IMPORT_TIME = "import-time"
DEFERRED = "deferred"
TYPING_ONLY = "typing-only"
KINDS = (IMPORT_TIME, DEFERRED, TYPING_ONLY)
# An exact shortest cycle needs a breadth-first search from every member; in a huge component
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

    def to_json(self) -> Dict[str, object]:
        return {"path": self.path, "line": self.line, "column": self.column, "kind": self.kind, "statement": self.statement}


class ImportGraph:
    """The module graph (`graph`: edge attribute `sites`, a list of `ImportSite`) and its queries."""

    def __init__(self) -> None:
        import networkx as nx

        self.graph = nx.DiGraph()
        self._views: Dict[FrozenSet[str], nx.DiGraph] = {}

    def __contains__(self, module: object) -> bool:
        return module in self.graph

    def modules(self) -> List[str]:
        return list(self.graph)

    def add_module(self, name: str) -> None:
        self.graph.add_node(name)

    def add_import(self, importer: str, imported: str, site: ImportSite) -> None:
        if self.graph.has_edge(importer, imported):
            self.graph[importer][imported]["sites"].append(site)
        else:
            self.graph.add_edge(importer, imported, sites=[site])
        self._views.clear()

    def sites(self, importer: str, imported: str) -> List[ImportSite]:
        return self.graph[importer][imported]["sites"]

    def edge_kinds(self, importer: str, imported: str) -> Set[str]:
        return {s.kind for s in self.sites(importer, imported)}

    def subgraph(self, kinds: FrozenSet[str]) -> nx.DiGraph:
        """The graph keeping only edges with at least one site of the given kinds (built once),
        nodes and successors in sorted order."""
        view = self._views.get(kinds)
        if view is None:
            view = self._views[kinds] = type(self.graph)()
            view.add_nodes_from(sorted(self.graph))
            view.add_edges_from(sorted(
                (source, target) for source, target, sites in self.graph.edges(data="sites")
                if any(s.kind in kinds for s in sites)
            ))
        return view

    def components(self, kinds: FrozenSet[str]) -> Iterator[Tuple[nx.DiGraph, Set[str]]]:
        """Strongly connected components (more than one module) of the `kinds` subgraph."""
        import networkx as nx

        view = self.subgraph(kinds)
        for members in sorted(nx.strongly_connected_components(view), key=min):
            if len(members) > 1:
                yield view, members

    def shortest_chain(self, source: str, target: str, kinds: FrozenSet[str]) -> Optional[List[str]]:
        """The shortest import chain from `source` to `target` over edges of the given kinds."""
        view = self.subgraph(kinds)
        if source not in view or target not in view:
            return None
        return _path_to(view, source, target)

    def best_site(self, importer: str, imported: str, kinds: Iterable[str]) -> ImportSite:
        """The first import site (by line) of an edge among the given kinds."""
        wanted = set(kinds)
        return min((s for s in self.sites(importer, imported) if s.kind in wanted), key=lambda s: (s.line, s.column))


def _path_to(view: nx.DiGraph, source: str, target: str, cutoff: Optional[int] = None) -> Optional[List[str]]:
    """A shortest path, found breadth-first from `source` (ties go to the smaller module names)."""
    import networkx as nx

    try:
        return nx.single_source_shortest_path(view, source, cutoff)[target]
    except KeyError:
        return None


def rotate(cycle: List[str]) -> List[str]:
    """Start a cycle (without the repeated end) at its smallest module name."""
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


def shortest_cycle(view: nx.DiGraph, members: Set[str]) -> List[str]:
    """A shortest cycle through the component (exact for components of moderate size)."""
    import networkx as nx

    component = view.subgraph(members)
    starts = sorted(members)
    if len(members) > EXACT_CYCLE_SEARCH_LIMIT:
        starts = sorted(members, key=lambda m: (-view.degree(m), m))[:SAMPLED_STARTS]
    best: Optional[List[str]] = None
    for start in starts:
        cutoff = len(best) - 1 if best else None
        paths = nx.single_source_shortest_path(component, start, cutoff)
        for predecessor in sorted(component.predecessors(start)):
            path = paths.get(predecessor)
            if path is not None and (best is None or len(path) < len(best)):
                best = path
        if best is not None and len(best) == 2:
            break
    assert best is not None, "a strongly connected component always has a cycle"
    return rotate(best)


def shortest_cycle_through(
    view: nx.DiGraph, members: Set[str], edges: Iterable[Tuple[str, str]]
) -> Optional[List[str]]:
    """The shortest cycle inside `members` that uses at least one of `edges`."""
    component = view.subgraph(members)
    best: Optional[List[str]] = None
    for importer, imported in sorted(edges)[:EXACT_CYCLE_SEARCH_LIMIT]:
        back = _path_to(component, imported, importer, len(best) - 1 if best else None)
        if back is not None and (best is None or len(back) < len(best)):
            best = [importer, *back[:-1]]
    return rotate(best) if best else None
