"""What a module provides to `from m import *` and `from m import name`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Set

from importguard.project.model import Project, SourceFile


@dataclass
class StarImports:
    """What a module's `from m import *` statements provide."""

    provided: Set[str] = field(default_factory=set)
    unresolved: Optional[str] = None  # the first star import whose names cannot be known


def star_imports(project: Project, source: SourceFile, seen: Optional[Set[str]] = None) -> StarImports:
    """Names provided by star imports: a first-party target's `__all__`, else its public names."""
    found = StarImports()
    seen = seen if seen is not None else set()
    for fact in source.facts.imports:
        if fact.kind != "from" or fact.names != [["*", None]]:
            continue
        target = None
        if source.module is not None:
            target, _ = project.index.absolute_target(fact, source.module)
        provider = project.by_module.get(target) if target else None
        if provider is None or provider.facts.problem is not None:
            found.unresolved = found.unresolved or fact.display
            continue
        if target in seen:
            continue
        seen.add(target)  # type: ignore[arg-type]
        facts = provider.facts
        if facts.exports_computed or facts.dynamic_globals is not None:
            found.unresolved = found.unresolved or fact.display  # its names are made at run time
        elif facts.exports is not None:
            found.provided.update(facts.exports)
        else:
            found.provided.update(n for n in facts.module_bindings if not n.startswith("_"))
            inner = star_imports(project, provider, seen)
            found.provided |= inner.provided
            found.unresolved = found.unresolved or inner.unresolved
    return found
