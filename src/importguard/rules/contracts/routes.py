"""Import chains that break a contract, found as import-linter (grimp) finds them, so that both
report the same pairs of modules.

`layer_chains` (every contract type): repeatedly the shortest chain from any module of one side
to any module of the other (for layers and independence not passing through the modules of
other layers); the imports of each chain found are then left out, so the next search finds
another route. A route with modules in between is reported for every module of each side that
imports into, or is imported from, its ends (import-linter lists them as one chain with "extra
firsts/lasts" for layers and independence, and shows a single one of them for `forbidden`).
`direct_chains`: the direct imports only (`allow_indirect_imports = true`).

Shortest paths are networkx's; among equally short chains the choice may differ from grimp's,
never the direct imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Set, Tuple

if TYPE_CHECKING:
    import networkx as nx

Chain = Tuple[str, ...]
START, END = "\0start", "\0end"  # never module names


def layer_chains(graph: nx.DiGraph, sources: Set[str], targets: Set[str], excluded: Set[str]) -> List[Chain]:
    """Chains from `sources` to `targets` avoiding `excluded`, one per (head, tail) of each route.

    `graph` gets two extra nodes for the search (a start importing every source, an end every
    target imports) and loses them again; the imports of found chains are hidden by a view, so
    nothing is copied (a copy of a large project's graph costs more than the searches)."""
    import networkx as nx

    if not sources or not targets:
        return []
    graph.add_edges_from((START, s) for s in sorted(sources) if s in graph)
    graph.add_edges_from((t, END) for t in sorted(targets) if t in graph)
    hidden: Set[Tuple[str, str]] = set()
    chains: List[Chain] = []
    try:
        while True:
            try:
                path = nx.bidirectional_shortest_path(nx.restricted_view(graph, excluded, hidden), START, END)
            except nx.NetworkXNoPath:
                break
            route = path[1:-1]
            hidden.update(zip(route, route[1:]))
            if len(route) == 2:
                chains.append(tuple(route))
                continue
            middle = tuple(route[1:-1])
            heads = sorted(s for s in graph.predecessors(middle[0]) if s in sources)
            tails = sorted(t for t in graph.successors(middle[-1]) if t in targets)
            chains += [(head, *middle, tail) for head in heads for tail in tails]
    finally:
        graph.remove_nodes_from([START, END])
    return sorted(set(chains))


def direct_chains(graph: nx.DiGraph, sources: Set[str], targets: Set[str]) -> List[Chain]:
    """The direct imports from `sources` into `targets`."""
    return sorted((s, t) for s in sources if s in graph for t in graph.successors(s) if t in targets)
