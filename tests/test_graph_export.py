"""`importguard graph`: every format is read back by a real parser (pydot for DOT, networkx for
node-link JSON and GraphML, a strict id check for Mermaid), and each option narrows the graph as
documented. All through the real command line in a subprocess."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from conftest import run_cli, write_tree
from importguard.graph_export.select import auto_depth

TREE = {
    "pyproject.toml": "",
    "app/__init__.py": "",
    "app/core/__init__.py": "",
    "app/core/models.py": "from app.core import store\n",
    "app/core/store.py": "from app.core.models import thing\n\nthing = 1\n",
    "app/core/types.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from app.web import views\n",
    "app/web/__init__.py": "",
    "app/web/views.py": "from app.core import models\nimport app.end\n\n\ndef render():\n    from app.web import forms\n",
    "app/web/forms.py": "from app import graph, subgraph\n",
    # Mermaid keywords as module names
    "app/end.py": "",
    "app/graph.py": "",
    "app/subgraph.py": "import app.click\n",
    "app/click.py": "",
}
EDGES = {
    ("app.core.models", "app.core.store"): "import-time",
    ("app.core.store", "app.core.models"): "import-time",
    ("app.core.types", "app.web"): "typing-only",
    ("app.core.types", "app.web.views"): "typing-only",
    ("app.subgraph", "app.click"): "import-time",
    ("app.web.forms", "app.graph"): "import-time",
    ("app.web.forms", "app.subgraph"): "import-time",
    ("app.web.views", "app.core"): "import-time",
    ("app.web.views", "app.core.models"): "import-time",
    ("app.web.views", "app.end"): "import-time",
    ("app.web.views", "app.web.forms"): "deferred",
}
CYCLE = {"app.core.models", "app.core.store"}


def graph(tmp_path, *args: str) -> str:
    write_tree(tmp_path, TREE)
    result = run_cli("graph", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def node_link(tmp_path, *args: str) -> nx.DiGraph:
    document = json.loads(graph(tmp_path, "--format", "json", *args))
    try:
        return nx.node_link_graph(document, edges="edges")
    except TypeError:  # networkx < 3.4 (the last for Python 3.9 is 3.2) names the keyword `link`
        return nx.node_link_graph(document, link="edges")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pydot's use of older pyparsing names
def test_dot_parses_back_with_style_by_kind_red_cycles_and_package_clusters(tmp_path):
    pydot = pytest.importorskip("pydot")
    text = graph(tmp_path)  # dot is the default format
    (dot_graph,) = pydot.graph_from_dot_data(text)  # pydot itself: networkx 3.2's reader breaks on pydot 4
    edges = {}
    pending = [dot_graph]
    while pending:
        part = pending.pop()
        pending += part.get_subgraphs()
        for edge in part.get_edges():
            attributes = {k: v.strip('"') for k, v in edge.get_attributes().items()}
            edges[(edge.get_source().strip('"'), edge.get_destination().strip('"'))] = attributes
    assert set(edges) == set(EDGES)
    style = {"import-time": "solid", "deferred": "dashed", "typing-only": "dotted"}
    for edge, kind in EDGES.items():
        assert edges[edge]["style"] == style[kind], edge
        assert ("color" in edges[edge]) == (set(edge) <= CYCLE), edge
    clusters = {s.get_name().strip('"') for s in dot_graph.get_subgraphs()}
    assert clusters == {"cluster_app"}
    inner = {s.get_name().strip('"') for s in dot_graph.get_subgraphs()[0].get_subgraphs()}
    assert inner == {"cluster_app.core", "cluster_app.web"}


def test_mermaid_ids_are_safe_and_every_edge_is_drawn(tmp_path):
    lines = graph(tmp_path, "--format", "mermaid").splitlines()
    assert lines[0] == "flowchart LR"
    labels = dict(re.fullmatch(r'    (\S+)\["([^"]+)"\]', line).groups() for line in lines if line.endswith('"]'))
    names = {name: node_id for node_id, name in labels.items()}
    assert set(names) >= {"app.end", "app.graph", "app.subgraph", "app.click"}
    keywords = {"end", "graph", "subgraph", "click", "style", "class", "classDef", "linkStyle", "flowchart", "direction"}
    for node_id in labels:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", node_id) and node_id not in keywords, node_id
    arrows = {"import-time": "-->", "deferred": "-.->", "typing-only": "-.->"}
    drawn = [line.strip() for line in lines if "->" in line]
    assert sorted(drawn) == sorted(f"{names[a]} {arrows[kind]} {names[b]}" for (a, b), kind in EDGES.items())
    assert f"    class {names['app.core.models']},{names['app.core.store']} cycle" in lines


def test_json_is_networkx_node_link_with_import_sites(tmp_path):
    loaded = node_link(tmp_path)
    assert set(loaded.edges) == set(EDGES)
    assert loaded.nodes["app.core.store"] == {"path": "app/core/store.py", "cycle": True, "modules": ["app.core.store"], "violation": False}
    (site,) = loaded.edges["app.web.views", "app.web.forms"]["sites"]
    assert site == {"path": "app/web/views.py", "line": 6, "column": 5, "kind": "deferred", "statement": "from app.web import forms"}
    assert loaded.graph["kinds"] == ["import-time", "deferred", "typing-only"]


def test_graphml_reads_back_with_networkx(tmp_path):
    text = graph(tmp_path, "--format", "graphml", "-o", "out/graph.graphml")
    assert text == ""
    loaded = nx.read_graphml(tmp_path / "out" / "graph.graphml")
    assert set(loaded.edges) == set(EDGES)
    assert loaded.nodes["app.core.models"]["cycle"] is True
    edge = loaded.edges["app.core.types", "app.web.views"]
    assert edge["kinds"] == "typing-only" and edge["count"] == 1
    assert json.loads(edge["sites"])[0]["line"] == 4


def test_cycles_only_keeps_the_cycle_and_the_imports_that_close_it(tmp_path):
    loaded = node_link(tmp_path, "--cycles-only")
    assert set(loaded) == CYCLE
    assert set(loaded.edges) == {("app.core.models", "app.core.store"), ("app.core.store", "app.core.models")}


def test_kinds_filter_drops_the_other_imports(tmp_path):
    loaded = node_link(tmp_path, "--kinds", "import-time")
    assert set(loaded.edges) == {edge for edge, kind in EDGES.items() if kind == "import-time"}
    assert len(loaded) == 12  # modules stay, only their imports go
    deferred = node_link(tmp_path, "--kinds", "deferred,typing-only", "--cycles-only")
    assert set(deferred) == set()


def test_collapse_groups_modules_into_packages_and_counts_imports(tmp_path):
    loaded = node_link(tmp_path, "--collapse", "2")
    assert set(loaded) == {"app", "app.click", "app.core", "app.end", "app.graph", "app.subgraph", "app.web"}
    assert loaded.nodes["app.core"]["modules"] == ["app.core", "app.core.models", "app.core.store", "app.core.types"]
    assert loaded.nodes["app.core"]["cycle"] is True
    web_to_core = loaded.edges["app.web", "app.core"]
    assert web_to_core["count"] == 2 and len(web_to_core["sites"]) == 2
    assert loaded.edges["app.core", "app.web"]["kinds"] == ["typing-only"]
    assert ("app.core", "app.core") not in loaded.edges  # imports inside a package vanish
    assert "label=\"2\"" in graph(tmp_path, "--collapse", "2")


def test_focus_shows_the_neighbourhood_both_ways(tmp_path):
    assert set(node_link(tmp_path, "--focus", "app.web.forms")) == {"app.web.forms", "app.web.views", "app.graph", "app.subgraph"}
    assert set(node_link(tmp_path, "--focus", "app.web.forms", "--depth", "2")) == {
        "app.web.forms", "app.web.views", "app.graph", "app.subgraph", "app.click", "app.core", "app.core.models",
        "app.end", "app.core.types",
    }


@pytest.mark.parametrize("args, message", [
    (("--focus", "app.web.form"), "importguard: error: --focus: unknown module `app.web.form` (did you mean `app.web.forms`?)"),
    (("--focus", "app.end", "--cycles-only"), "importguard: error: --focus: `app.end` is in no import cycle (drop --cycles-only to see it)"),
    (("--kinds", "runtime"), "importguard: error: --kinds: unknown kind runtime; choose from import-time,deferred,typing-only"),
    (("-o", "pyproject.toml/graph.dot"), "importguard: error: cannot write pyproject.toml/graph.dot: pyproject.toml is not a folder"),
])
def test_usage_errors_exit_2_with_one_line(tmp_path, args, message):
    write_tree(tmp_path, TREE)
    result = run_cli("graph", *args, cwd=tmp_path)
    assert (result.returncode, result.stderr, result.stdout) == (2, message + "\n", "")


def test_output_file_is_written_whole_and_nothing_else_is_left(tmp_path):
    expected = graph(tmp_path, "--format", "mermaid")
    (tmp_path / "graph.mmd").write_text("old")
    assert graph(tmp_path, "--format", "mermaid", "-o", "graph.mmd") == ""
    assert (tmp_path / "graph.mmd").read_text() == expected
    assert not list(tmp_path.glob(".graph.mmd-*"))


def test_html_page_is_one_file_that_loads_nothing(tmp_path):
    page = graph(tmp_path, "--format", "html")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=|@import|url\((?!#)", page)
    assert "default-src 'none'" in page
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S).group(1))
    assert data["depth"] == 0 and len(data["modules"]) == 12 and len(data["imports"]) == len(EDGES)


def test_html_cannot_be_broken_out_of_by_a_file_name(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": "", "pkg/__init__.py": "from pkg import x\n", "pkg/x.py": "import pkg\n"})
    page = graph(tmp_path, "--format", "html")
    assert page.count("</script>") == 2  # the data block cannot hold one: every `<` in it is escaped


def test_page_groups_large_graphs_into_packages():
    small = nx.DiGraph([(f"a.m{i}", "a.m0") for i in range(300)])
    assert auto_depth(small) == 0
    large = nx.DiGraph([(f"top.p{i % 40}.m{i}", "top.p0.m0") for i in range(3000)])
    assert auto_depth(large) == 2  # top.pN: 40 groups; one level deeper would be 3,000


def test_readme_mermaid_block_is_what_the_command_prints():
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```mermaid\n(.*?)```", readme, re.S).group(1)
    result = run_cli("graph", "examples/chat_service", "--format", "mermaid", "--cycles-only", cwd=root)
    assert (result.returncode, result.stdout) == (0, block)


def test_exclude_leaves_the_matching_modules_out_of_the_picture(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "",
        "app/__init__.py": "",
        "app/core.py": "from app import util\n",
        "app/util.py": "",
        "tests/__init__.py": "",
        "tests/test_core.py": "from app import core\n",
    })
    everything = json.loads(run_cli("graph", ".", "--format", "json", cwd=tmp_path).stdout)
    assert "tests.test_core" in {n["id"] for n in everything["nodes"]}
    without = run_cli("graph", ".", "--format", "json", "--exclude", "tests/", cwd=tmp_path)
    assert without.returncode == 0, without.stderr
    nodes = {n["id"] for n in json.loads(without.stdout)["nodes"]}
    assert nodes == {"app", "app.core", "app.util"}
    same = run_cli("graph", ".", "--format", "json", "--extend-exclude", "tests/,app/util.py", cwd=tmp_path)
    assert {n["id"] for n in json.loads(same.stdout)["nodes"]} == {"app", "app.core"}
