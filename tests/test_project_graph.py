"""Module resolution and the graph on fixture trees; real Python confirms that cycles are real."""

from __future__ import annotations

import networkx as nx

from importguard.project.graph import DEFERRED, IMPORT_TIME, ImportGraph, ImportSite, shortest_cycle

from conftest import check_tree, run_python, summary


def cycle_modules(finding):
    return [hop.module for hop in finding.cycle]


def test_src_layout_names_modules_from_the_src_root(tmp_path):
    findings = check_tree(tmp_path, {
        "pyproject.toml": "",
        "src/shop/__init__.py": "",
        "src/shop/cart.py": "from shop.pricing import total\n",
        "src/shop/pricing.py": "from shop import cart\n\ntotal = 0\n",
    }, select=["IG301"])
    (finding,) = findings
    assert cycle_modules(finding) == ["shop.cart", "shop.pricing", "shop.cart"]
    assert (finding.path, finding.line) == ("src/shop/cart.py", 1)


def test_namespace_packages_resolve_without_init_files(tmp_path):
    findings = check_tree(tmp_path, {
        "pyproject.toml": "",
        "src/acme/billing/__init__.py": "",
        "src/acme/billing/invoice.py": "import acme.billing.tax\n",
        "src/acme/billing/tax.py": "from acme.billing import invoice\n",
    }, select=["IG3"])
    (finding,) = findings
    assert cycle_modules(finding) == ["acme.billing.invoice", "acme.billing.tax", "acme.billing.invoice"]


def test_relative_imports_at_depth_and_beyond_the_top_package(tmp_path):
    findings = check_tree(tmp_path, {
        "pyproject.toml": "",
        "app/__init__.py": "",
        "app/settings.py": "from .api.v1.views import index\n",
        "app/api/__init__.py": "",
        "app/api/v1/__init__.py": "",
        "app/api/v1/views.py": "from ...settings import DEBUG\nfrom .... import outside\n\ndef index():\n    pass\n",
    }, select=["IG301", "IG304"])
    assert summary(findings) == [("IG301", "app/api/v1/views.py", 1), ("IG304", "app/api/v1/views.py", 2)]
    assert cycle_modules(findings[0]) == ["app.api.v1.views", "app.settings", "app.api.v1.views"]
    assert "beyond top-level package" in findings[1].message


def test_parent_packages_run_first_but_own_ancestors_add_no_edge(tmp_path):
    # pkg/__init__ imports pkg.sub; pkg.sub importing pkg.other makes no pkg <-> pkg.sub cycle.
    findings = check_tree(tmp_path, {
        "pkg/__init__.py": "from pkg.sub import value\n",
        "pkg/sub.py": "import pkg.other\nvalue = 1\n",
        "pkg/other.py": "",
    }, select=["IG3"])
    assert summary(findings) == []


def test_guarded_missing_module_is_optional_not_unresolved(tmp_path):
    findings = check_tree(tmp_path, {
        "pkg/__init__.py": "try:\n    from pkg import _speedups\nexcept ImportError:\n    _speedups = None\nimport pkg.missing\n",
    }, select=["IG304"])
    assert summary(findings) == [("IG304", "pkg/__init__.py", 5)]


def test_deferred_and_typing_only_cycles_are_told_apart(tmp_path):
    findings = check_tree(tmp_path, {
        "a.py": "import b\nimport c\n",
        "b.py": "def later():\n    import a\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n",
    }, select=["IG3"])
    assert [(f.code, cycle_modules(f)) for f in findings] == [
        ("IG302", ["a", "b", "a"]), ("IG303", ["a", "c", "a"]),
    ]


def test_reported_cycle_is_real_python_behaviour(tmp_path):
    """Entered from `chat.routes`, the cycle makes Python see a partially initialised module."""
    files = {
        "chat/__init__.py": "",
        "chat/routes.py": "from chat.state import connections\n\nROUTES = ['/ws']\n",
        "chat/state.py": "from chat.routes import ROUTES\n\nconnections = []\n",
    }
    (finding,) = check_tree(tmp_path, files, select=["IG301"])
    assert cycle_modules(finding) == ["chat.routes", "chat.state", "chat.routes"]
    ran = run_python("import chat.routes", cwd=tmp_path)
    assert "cannot import name 'ROUTES' from partially initialized module 'chat.routes'" in ran.stderr


def test_one_finding_per_component_with_member_count(tmp_path):
    findings = check_tree(tmp_path, {
        "a.py": "import b\n", "b.py": "import c\nimport a\n", "c.py": "import d\n", "d.py": "import a\n",
    }, select=["IG301"])
    (finding,) = findings
    assert cycle_modules(finding) == ["a", "b", "a"]
    assert "strongly connected group of 4 modules" in finding.message


def test_shortest_cycle_in_a_large_component():
    ring = nx.DiGraph()
    names = [f"m{i:04d}" for i in range(2000)]
    for source, target in zip(names, names[1:] + names[:1]):
        ring.add_edge(source, target)
    ring.add_edge("m1000", "m0998")  # a 3-cycle hidden in a 2,000-module ring
    assert shortest_cycle(ring, set(names)) == ["m0998", "m0999", "m1000"]


def test_from_package_import_submodule_needs_only_the_submodule(tmp_path):
    # json/decoder.py does `from json import scanner` while json/__init__ imports json.decoder:
    # Python falls back to importing the submodule, so there is no cycle through `json`.
    findings = check_tree(tmp_path, {
        "pkg/__init__.py": "from pkg.decoder import decode\n",
        "pkg/decoder.py": "from pkg import scanner\n\ndef decode():\n    pass\n",
        "pkg/scanner.py": "",
        "pkg/bad.py": "from pkg import decode\n",
    }, select=["IG3"])
    assert summary(findings) == []


def test_submodules_below_a_plain_module_are_not_reported_missing(tmp_path):
    # `os` registers `os.path` in sys.modules itself; `pkg.__init__` is the package file.
    findings = check_tree(tmp_path, {
        "os.py": "import sys\n", "app.py": "import os.path\nfrom pkg.__init__ import x\n",
        "pkg/__init__.py": "x = 1\n",
    }, select=["IG304"])
    assert summary(findings) == []


def test_components_and_cycles_on_deep_and_mixed_graphs():
    graph = ImportGraph()

    def add(source, target, kind=IMPORT_TIME):
        graph.add_import(source, target, ImportSite(f"{source}.py", 1, 1, kind, f"import {target}"))

    chain = [f"c{i}" for i in range(5000)]
    for source, target in zip(chain, chain[1:]):
        add(source, target)  # 5,000 deep: no recursion limit
    add(chain[-1], chain[2500])  # one big component of 2,500 modules
    for source, target in [("a", "b"), ("b", "a"), ("b", "x"), ("x", "y"), ("y", "x"), ("z", "z")]:
        add(source, target)
    add("y", "q", DEFERRED)
    add("q", "x", DEFERRED)
    found = [(view, sorted(members)) for view, members in graph.components(frozenset({IMPORT_TIME}))]
    assert [members for _, members in found] == [["a", "b"], sorted(chain[2500:]), ["x", "y"]]
    view, members = found[1]
    assert shortest_cycle(view, set(members)) == chain[2500:]
    with_deferred = [sorted(m) for _, m in graph.components(frozenset({IMPORT_TIME, DEFERRED}))]
    assert ["q", "x", "y"] in with_deferred
    assert graph.shortest_chain("a", "y", frozenset({IMPORT_TIME})) == ["a", "b", "x", "y"]
    assert graph.shortest_chain("y", "a", frozenset({IMPORT_TIME, DEFERRED})) is None
    assert isinstance(graph.graph, nx.DiGraph) and graph.graph["y"]["q"]["sites"][0].kind == DEFERRED
