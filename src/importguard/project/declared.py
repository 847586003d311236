"""The graph of the imports a project *declares*: what contracts are checked against.

The project graph (`importguard.project.graph`) has an edge for every module Python runs before
an import completes, the parent packages of `import a.b.c` included: right for import order, but
an architecture is about what code names. Here `import a.b.c` is an edge to `a.b.c` only, and
`from a import b` to `a.b` when `b` is a submodule, as import-linter (grimp) counts them. Imports
of modules outside the project are edges to a node of their full dotted name marked `external`,
so that a contract can forbid a third-party package (and its subpackages).

Built from the facts already cached, only when a contract is declared and the run's result is
not reused, and once per project (`Project.memo`).
"""

from __future__ import annotations

from importguard.project.graph import ImportGraph, ImportSite
from importguard.project.model import Project

EXTERNAL = "external"  # node attribute: a module outside the project


def declared_graph(project: Project) -> ImportGraph:
    return project.memo("declared-imports", lambda: _build(project))


def _build(project: Project) -> ImportGraph:
    graph = ImportGraph()
    for name in sorted(project.index.modules):
        graph.add_module(name)
    for source in project.files:
        importer = source.module
        if importer is None:
            continue
        for fact in source.facts.imports:
            site = ImportSite(source.display, fact.line, fact.column, fact.edge_kind, fact.display)
            named = [d for d in project.index.dependencies(fact, importer) if d.via != "parent"]
            for dependency in named:
                graph.add_import(importer.name, dependency.target, site)
            target, _ = project.index.absolute_target(fact, importer)
            if not named and target and not project.index.is_first_party(target):
                graph.graph.add_node(target, **{EXTERNAL: True})
                graph.add_import(importer.name, target, site)
    return graph


def is_external(graph: ImportGraph, module: str) -> bool:
    return bool(graph.graph.nodes[module].get(EXTERNAL)) if module in graph.graph else False
