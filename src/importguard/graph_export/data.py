"""The graph as data: networkx's node-link JSON (import sites included) and GraphML.

GraphML holds only scalar attributes, so there a node's modules are a comma-separated string and
an edge's sites a JSON string.
"""

from __future__ import annotations

import io
import json

import networkx as nx

from importguard import __version__


def _with_plain_sites(shown: nx.DiGraph) -> nx.DiGraph:
    plain = shown.copy()
    for _, _, data in plain.edges(data=True):
        data["sites"] = [site.to_json() for site in data["sites"]]
    return plain


def node_link(shown: nx.DiGraph, settings: dict) -> dict:
    """`networkx.node_link_graph(data, edges="edges")` reads it back."""
    plain = _with_plain_sites(shown)
    plain.graph.update(tool="importguard", version=__version__, **settings)
    try:
        return nx.node_link_data(plain, edges="edges")
    except TypeError:  # networkx < 3.4 names the keyword `link`
        return nx.node_link_data(plain, link="edges")


def render_json(shown: nx.DiGraph, settings: dict) -> str:
    return json.dumps(node_link(shown, settings), indent=1, ensure_ascii=False) + "\n"


def render_graphml(shown: nx.DiGraph) -> str:
    flat = nx.DiGraph()
    for name, data in shown.nodes(data=True):
        flat.add_node(name, path=data["path"], cycle=data["cycle"], violation=data["violation"], modules=",".join(data["modules"]))
    for importer, imported, data in shown.edges(data=True):
        flat.add_edge(
            importer, imported, kinds=",".join(data["kinds"]), count=data["count"], cycle=data["cycle"],
            violation=data["violation"], sites=json.dumps([site.to_json() for site in data["sites"]]),
        )
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")
