"""The whole-project model the rules read: files with their facts, the module index, the graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Sequence, TypeVar

from importguard.contracts.config import ContractScope
from importguard.facts.model import FileFacts
from importguard.project.graph import ImportGraph, ImportSite
from importguard.project.modules import ModuleIndex, ModuleInfo, module_name

T = TypeVar("T")


@dataclass
class SourceFile:
    path: Path
    display: str  # relative to the working directory, `/`-separated
    facts: FileFacts
    module: Optional[ModuleInfo] = None


class DeferredSourceFile(SourceFile):
    """A file whose facts are loaded on first use: a partial re-run (see `importguard.run.memo`)
    reads only the files its rules look at."""

    def __init__(self, path: Path, display: str, load: Callable[[], FileFacts]) -> None:
        self._load: Optional[Callable[[], FileFacts]] = load
        super().__init__(path, display, None)  # type: ignore[arg-type]

    @property
    def facts(self) -> FileFacts:
        if self._load is not None:
            self._facts, self._load = self._load(), None
        return self._facts

    @facts.setter
    def facts(self, value: FileFacts) -> None:
        self._facts = value


@dataclass
class Project:
    files: List[SourceFile]
    index: ModuleIndex
    built_graph: Optional[ImportGraph]  # None in a partial re-run, which runs no rule that needs it
    by_module: Dict[str, SourceFile]
    builtins: FrozenSet[str] = frozenset()  # extra builtins from the configuration
    contracts: ContractScope = field(default_factory=ContractScope)  # checked by the IG4xx rules
    # tables rules derive from the project, built once per run by the first rule that asks
    derived: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """`build()` once per project: replays, injections, import-time closures."""
        if key not in self.derived:
            self.derived[key] = build()
        return self.derived[key]

    @property
    def graph(self) -> ImportGraph:
        if self.built_graph is None:
            raise RuntimeError("this project was built without its import graph (a partial re-run)")
        return self.built_graph

    def display_path(self, module: str) -> Optional[str]:
        source = self.by_module.get(module)
        return source.display if source else None


def build_project(
    files: Sequence[SourceFile], roots: Sequence[Path], extensions: Sequence[Path], builtins: FrozenSet[str] = frozenset(),
    with_graph: bool = True,
) -> Project:
    names = {source.path: module_name(source.path, roots) for source in files}
    named = [(found[0], found[1], path) for path, found in names.items() if found is not None]
    extension_names = [(found[0], path) for path in extensions if (found := module_name(path, roots))]
    index = ModuleIndex.build(named, extension_names)
    for source in files:
        found = names[source.path]
        if found is not None and index.modules[found[0]].path == source.path:
            source.module = index.modules[found[0]]
    by_module = {f.module.name: f for f in files if f.module is not None}
    if not with_graph:
        return Project(list(files), index, None, by_module, builtins)
    graph = ImportGraph()
    for source in files:
        if source.module is None:
            continue
        graph.add_module(source.module.name)
        for fact in source.facts.imports:
            site = ImportSite(source.display, fact.line, fact.column, fact.edge_kind, fact.display)
            for dependency in index.dependencies(fact, source.module):
                graph.add_import(source.module.name, dependency.target, site)
    return Project(list(files), index, graph, by_module, builtins)
