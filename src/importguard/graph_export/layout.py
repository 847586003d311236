"""Where the HTML page puts each node: columns are the topological generations of the
condensation (networkx) of the edges that can form cycles (`select.cycle_kinds`), so every such
import that is not part of a cycle points to a later column and a cycle's members share one.
Within a column nodes are in name order, so a package's modules stay together; a column taller
than `MAX_ROWS` wraps into several, so thousands of modules do not make one endless column."""

from __future__ import annotations

from typing import Dict, FrozenSet, Tuple

import networkx as nx

MAX_ROWS = 60


def layered(shown: nx.DiGraph, kinds: FrozenSet[str]) -> Dict[str, Tuple[int, int]]:
    """Node -> (column, row)."""
    structure = nx.DiGraph()
    structure.add_nodes_from(shown)
    structure.add_edges_from((a, b) for a, b, edge_kinds in shown.edges(data="kinds") if kinds & set(edge_kinds))
    condensed = nx.condensation(structure)
    place: Dict[str, Tuple[int, int]] = {}
    column = 0
    for generation in nx.topological_generations(condensed):
        names = sorted(name for component in generation for name in condensed.nodes[component]["members"])
        for index, name in enumerate(names):
            place[name] = (column + index // MAX_ROWS, index % MAX_ROWS)
        column += (len(names) - 1) // MAX_ROWS + 1
    return place
