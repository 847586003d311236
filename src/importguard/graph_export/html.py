"""One self-contained HTML page: the data, the script and the styles are inline and its Content
Security Policy forbids every fetch, so it works offline from `file://` and requests nothing.

The layout comes from networkx (`layout.layered`); the page's own script only draws it as SVG and
wires clicks, search, pan/zoom and the kind toggles.
"""

from __future__ import annotations

import json
from importlib import resources

import networkx as nx

from importguard import __version__
from importguard.graph_export.layout import layered
from importguard.graph_export.select import Selection, collapse, cycle_kinds
from importguard.project.graph import KINDS

DATA_MARK = "__IMPORTGUARD_GRAPH_DATA__"


def page_data(modules: nx.DiGraph, depth: int, selection: Selection, title: str) -> dict:
    shown = collapse(modules, depth) if depth else modules
    kinds = cycle_kinds(selection.kinds)
    place = layered(shown, kinds)
    node_names = sorted(shown, key=lambda name: place[name])
    node_index = {name: i for i, name in enumerate(node_names)}
    module_names = sorted(modules)
    module_index = {name: i for i, name in enumerate(module_names)}
    module_place = layered(modules, kinds) if depth else None
    group_of = {member: name for name in shown for member in shown.nodes[name]["modules"]}
    return {
        "title": title,
        "version": __version__,
        "depth": depth,
        "kinds": [k for k in KINDS if k in selection.kinds],
        "nodes": [
            {"id": name, "column": place[name][0], "row": place[name][1], "cycle": shown.nodes[name]["cycle"],
             "members": [module_index[m] for m in shown.nodes[name]["modules"]]}
            for name in node_names
        ],
        "edges": [
            [node_index[a], node_index[b], data["kinds"], data["count"], data["cycle"]]
            for a, b, data in sorted(shown.edges(data=True), key=lambda e: e[:2])
        ],
        "modules": [
            [name, modules.nodes[name]["path"], modules.nodes[name]["cycle"], node_index[group_of[name]]]
            for name in module_names
        ],
        "imports": [
            [module_index[a], module_index[b], [[s.path, s.line, s.kind, s.statement] for s in data["sites"]], data["cycle"]]
            for a, b, data in sorted(modules.edges(data=True), key=lambda e: e[:2])
        ],
        # A grouped page can still draw every module on demand, laid out here as well.
        "moduleLayout": [module_place[name] for name in module_names] if module_place else None,
    }


def render_html(modules: nx.DiGraph, depth: int, selection: Selection, title: str) -> str:
    data = json.dumps(page_data(modules, depth, selection, title), separators=(",", ":"), ensure_ascii=False)
    # `<` only occurs inside JSON strings, where \u003c means the same: no `</script>` can end the block.
    data = data.replace("<", "\\u003c")
    template = resources.files("importguard.graph_export").joinpath("page.html").read_text(encoding="utf-8")
    return template.replace(DATA_MARK, data)
