"""What every fix planner shares: the analysed project, the placement group of a module, and the
refusal of any import that would close an import-time cycle."""

from __future__ import annotations

from typing import Dict, Optional, Tuple, Union

from importguard.facts.model import ImportFact
from importguard.project.graph import IMPORT_TIME
from importguard.project.model import Project, SourceFile
from importguard.project.stdlib import is_stdlib
from importguard.rules.fixes.model import FIRST_PARTY, RELATIVE, STDLIB, THIRD_PARTY, Fix, ImportSpec, alias_keys

# A refusal: why a finding that has the shape of a fixable one is not fixed.
Planned = Union[Fix, str, None]


class FixContext:
    """One analysed project, as the planners of its findings see it."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.by_display: Dict[str, SourceFile] = {f.display: f for f in project.files}

    def classify(self, module: str, level: int) -> int:
        """The placement group (isort's sections) of an import of `module`."""
        if level or not module:
            return RELATIVE
        if self.project.index.is_first_party(module):
            return FIRST_PARTY
        return STDLIB if is_stdlib(module) else THIRD_PARTY

    def adding(self, source: SourceFile, fact: ImportFact, spec: ImportSpec, applicability: str, title: str,
               removals: Tuple[Tuple[int, frozenset], ...]) -> Planned:
        """A fix adding `spec` at module level, or why not: the import-time cycle it would close
        (adding A -> B closes one exactly when B already reaches A at import time). A partial
        re-run has no graph: `--fix` always analyses the whole project, and refuses there."""
        assert source.module is not None
        edges = tuple((source.module.name, d.target) for d in self.project.index.dependencies(fact, source.module))
        for importer, imported in edges if self.project.built_graph is not None else ():
            chain = self.project.graph.shortest_chain(imported, importer, frozenset({IMPORT_TIME}))
            if chain is not None:
                return (f"not fixed: importing `{imported}` at module level would create the import-time cycle "
                        + " -> ".join(f"`{m}`" for m in [importer, *chain]))
        group = self.classify(spec.module if spec.kind == "from" else spec.aliases[0][0], spec.level)
        return Fix(source.display, applicability, title, adds=((spec, group),), removals=removals, edges=edges)


def local_import(source: SourceFile, line: int, name: str) -> Optional[ImportFact]:
    """The function-local import at `line` that binds `name`."""
    for fact in source.facts.imports:
        if fact.line == line and fact.scope == "function" and fact.kind != "dynamic" and alias_keys(fact, name):
            return fact
    return None


def same_import(module_level: ImportFact, local: ImportFact, name: str) -> bool:
    """`module_level` binds `name` unconditionally at module level exactly as `local` does."""
    return (
        module_level.scope == "module" and not module_level.conditional and not module_level.type_checking
        and not module_level.guarded and (module_level.kind, module_level.module, module_level.level) == (local.kind, local.module, local.level)
        and bool(alias_keys(local, name)) and alias_keys(module_level, name) == alias_keys(local, name)
    )
