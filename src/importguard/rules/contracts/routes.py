"""Import chains that break a contract, found as import-linter (grimp) finds them, so that both
report the same pairs of modules.

`layer_chains` (layers, independence): repeatedly the shortest chain from any module of one
side to any module of the other, not passing through the modules of other layers; the imports of
each chain found are then left out, so the next search finds another route. A route with
modules in between is reported for every module of each side that imports into, or is imported
from, its ends. `pair_chains` (forbidden): the shortest chain for every pair of a source module
and a forbidden one that does not pass through other modules of either side.

Shortest paths are networkx's; among equally short chains the choice may differ from grimp's,
never the pairs of a direct import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Set, Tuple

if TYPE_CHECKING:
    import networkx as nx

Chain = Tuple[str, ...]
START, END = "\0start", "\0end"  # never module names


def layer_chains(graph: nx.DiGraph, sources: Set[str], targets: Set[str], excluded: Set[str]) -> List[Chain]:
    """Chains from `sources` to `targets` avoiding `excluded`, one per (head, tail) of each route."""
    import networkx as nx

    if not sources or not targets:
        return []
    work = nx.DiGraph(graph.subgraph(set(graph) - excluded))
    work.add_edges_from((START, s) for s in sorted(sources) if s in work)
    work.add_edges_from((t, END) for t in sorted(targets) if t in work)
    chains: List[Chain] = []
    while True:
        try:
            path = nx.bidirectional_shortest_path(work, START, END)
        except nx.NetworkXNoPath:
            break
        route = path[1:-1]
        work.remove_edges_from(list(zip(route, route[1:])))
        if len(route) == 2:
            chains.append(tuple(route))
            continue
        middle = tuple(route[1:-1])
        heads = sorted(s for s in sources if graph.has_edge(s, middle[0]))
        tails = sorted(t for t in targets if graph.has_edge(middle[-1], t))
        chains += [(head, *middle, tail) for head in heads for tail in tails]
    return sorted(set(chains))


def pair_chains(graph: nx.DiGraph, sources: Set[str], targets: Set[str], direct_only: bool) -> List[Chain]:
    """For each (source, target) pair, the shortest chain whose modules in between belong to neither side."""
    import networkx as nx

    chains: List[Chain] = []
    if direct_only:
        return sorted((s, t) for s in sources if s in graph for t in graph.successors(s) if t in targets)
    sides = sources | targets
    between = nx.DiGraph(graph.subgraph(set(graph) - sides))
    for source in sorted(s for s in sources if s in graph):
        between.add_node(source)
        between.add_edges_from((source, n) for n in graph.successors(source) if n in between)
        paths = nx.single_source_shortest_path(between, source)
        between.remove_node(source)
        for target in sorted(t for t in targets if t in graph):
            found = [paths[p] + [target] for p in graph.predecessors(target) if p in paths]
            if found:
                chains.append(tuple(min(found, key=lambda path: (len(path), path))))
    return chains
