"""Which modules are certainly in `sys.modules` when a piece of code runs.

An import of a module that is already loaded does not execute anything: it is a `sys.modules`
lookup, which cannot fail the way a first import can (issue 20, item 6). A module is loaded
when code of it runs (its package's `__init__` ran first: Python imports parents before their
submodules), and so is everything its module-level imports load, transitively (its import-time
closure). For code that itself runs at import time, only the imports above it have run.

Only imports that certainly ran count: unconditional, not guarded by `except ImportError`, not
under `if TYPE_CHECKING:` or `if __name__ == "__main__":`. The closure reads the facts of each
module (never the graph), so it also works in partial re-runs, which build no graph.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Set

from importguard.facts.model import ImportFact
from importguard.project.model import Project, SourceFile


def with_parents(module: str) -> List[str]:
    """`a.b.c` -> `a`, `a.b`, `a.b.c`: importing a module runs its packages first."""
    parts = module.split(".")
    return [".".join(parts[:depth]) for depth in range(1, len(parts) + 1)]


def targets_of(project: Project, source: SourceFile, fact: ImportFact) -> List[str]:
    """The modules an import statement needs: `import a.b` needs `a.b`; `from a import b` needs
    `a`, and `a.b` when that is a first-party submodule. Empty when it cannot be resolved."""
    if source.module is None and fact.level:
        return []
    target: Optional[str] = fact.module
    if source.module is not None:
        target, _ = project.index.absolute_target(fact, source.module)
    if not target:
        return []
    found = [target]
    if fact.kind == "from":
        found += [f"{target}.{name}" for name, _ in fact.names if name and f"{target}.{name}" in project.index.modules]
    return found


def certain_imports(project: Project, source: SourceFile, before: Optional[int] = None) -> Set[str]:
    """Modules (with their parents) that the module-level imports of `source` certainly loaded,
    those above line `before` only when it is given."""
    loaded: Set[str] = set()
    for fact in source.facts.imports:
        if fact.scope == "function" or fact.kind == "dynamic" or fact.conditional or fact.guarded:
            continue
        if fact.type_checking or fact.script_only or fact.handler is not None:
            continue
        if before is not None and fact.line >= before:
            continue
        for target in targets_of(project, source, fact):
            loaded.update(with_parents(target))
    return loaded


def loaded_modules(project: Project) -> "LoadedModules":
    """The project's one `LoadedModules`: its per-module tables are shared by every rule."""
    return project.memo("loaded", lambda: LoadedModules(project))


class LoadedModules:
    """The import-time closure of first-party modules, computed once per module and project."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._direct: Dict[str, Set[str]] = {}

    def direct(self, module: str) -> Set[str]:
        """What a first-party module loads once it has run, itself and its packages included."""
        found = self._direct.get(module)
        if found is None:
            found = set(with_parents(module))
            source = self.project.by_module.get(module)
            if source is not None and source.facts.problem is None:
                found |= certain_imports(self.project, source)
            self._direct[module] = found
        return found

    def closure(self, seeds: Iterable[str]) -> Set[str]:
        """Everything loaded once `seeds` have run: their imports, transitively, through
        first-party modules (a third-party module's own imports are not known here)."""
        loaded: Set[str] = set()
        pending = list(seeds)
        while pending:
            module = pending.pop()
            if module in loaded:
                continue
            loaded.add(module)
            if module in self.project.by_module:
                pending.extend(self.direct(module) - loaded)
            else:
                pending.extend(m for m in with_parents(module) if m not in loaded)
        return loaded

    def when_running(self, source: SourceFile, at_import_time_line: Optional[int], others: Iterable[str] = ()) -> Set[str]:
        """Loaded while code of `source` runs. Later (a function called after the import), its
        module and packages have run, with all they import. At import time (the code's line
        given), the module and its packages are only partly run: they are in `sys.modules`, and
        so is what the imports above that line loaded. `others` are modules whose code already
        ran (the modules of the functions on a call chain)."""
        seeds: Set[str] = set(others)
        partly: Set[str] = set()
        if source.module is not None and at_import_time_line is None:
            seeds.add(source.module.name)
        elif source.module is not None:
            partly.update(with_parents(source.module.name))
        if at_import_time_line is not None or source.module is None:
            seeds |= certain_imports(self.project, source, at_import_time_line)
        return self.closure(seeds) | partly
