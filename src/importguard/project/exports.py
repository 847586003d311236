"""What a module provides to `from m import *` and `from m import name`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Set

from importguard.facts.bindings import MODULE_DUNDERS
from importguard.project.model import Project, SourceFile
from importguard.project.stdlib import is_stdlib


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
        if fact.kind != "from" or fact.names != [["*", None]] or fact.scope != "module":
            continue  # a star import in a function is a SyntaxError in Python 3, not a provider
        target = None
        if source.module is not None:
            target, _ = project.index.absolute_target(fact, source.module)
        provider = project.by_module.get(target) if target else None
        if provider is not None:
            provider = replaced_module(project, provider)  # `sys.modules[__name__] = other`
        if provider is None or provider.facts.problem is not None:
            found.unresolved = found.unresolved or fact.display
            continue
        target = provider.module.name if provider.module else target
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


def replaced_module(project: Project, source: SourceFile) -> Optional[SourceFile]:
    """The module that `source` really is once it has run: itself, the first-party module it puts
    in `sys.modules` in its place, or None when that cannot be known."""
    for rebuild in source.facts.rebuilds:
        if rebuild.replacement is not None:
            return replacement_source(project, source, rebuild.replacement)
        if rebuild.open_ended:
            return None
    return source


def absent_names(project: Project, source: SourceFile, names: Sequence[str], seen: Optional[Set[str]] = None) -> List[str]:
    """Those of `names` that the module of `source` will not have once it has run.

    A name is present when the module binds it at module level, gets it from a star import, or
    when it is a module dunder or a submodule (or plain folder) of the package. Nothing is
    reported absent when the module's names cannot be known: writes to its namespace, a module
    `__getattr__`, a star import that cannot be resolved, or a replacement in `sys.modules` that
    cannot be followed. A module that rebuilds itself provides what it advertises (`__all__`,
    `if TYPE_CHECKING:` imports, the names its rebuilding call lists) and, when replaced by a
    first-party module, that module's names.
    """
    facts = source.facts
    if facts.dynamic_globals is not None or "__getattr__" in facts.module_bindings:
        return []
    stars = star_imports(project, source)
    if stars.unresolved:
        return []
    package = source.module.name if source.module is not None and source.module.is_package else None
    absent = [
        name for name in names
        if name != "*" and name not in facts.module_bindings and name not in stars.provided
        and name not in MODULE_DUNDERS
        and not (package and (f"{package}.{name}" in project.index.modules or project.index.may_be_namespace_package(package, name)))
    ]
    if not facts.rebuilds or not absent:
        return absent
    seen = (seen or set()) | {source.module.name if source.module else source.display}
    provided = set(facts.exports or ()) | set(facts.typing_names)
    for rebuild in facts.rebuilds:
        provided.update(rebuild.advertised)
        if rebuild.replacement is not None:
            replacement = replacement_source(project, source, rebuild.replacement)
            if replacement is None or replacement.module is None or replacement.module.name in seen:
                return []  # replaced by something importguard cannot read
            provided.update(set(absent) - set(absent_names(project, replacement, absent, seen)))
        elif rebuild.open_ended:
            return []
    return [name for name in absent if name not in provided]


def replacement_source(project: Project, source: SourceFile, dotted: str) -> Optional[SourceFile]:
    """The first-party module bound to `dotted` in `source` (`import _collections_abc` ...)."""
    if source.module is None:
        return None
    for fact in source.facts.imports:
        if fact.scope != "module":
            continue
        target: Optional[str]
        if fact.kind == "import" and (fact.alias or fact.module) == dotted:
            target = fact.module
        elif fact.kind == "from" and any((alias or name) == dotted for name, alias in fact.names):
            name = next(name for name, alias in fact.names if (alias or name) == dotted)
            base, _ = project.index.absolute_target(fact, source.module)
            target = f"{base}.{name}" if base else name
            if target not in project.by_module:
                target = base or ""
        else:
            continue
        if fact.kind == "import":
            target, _ = project.index.absolute_target(fact, source.module)
        provider = project.by_module.get(target or "")
        if provider is not None:
            return provider
    return None


def namespace_is_open(project: Project, name: str) -> bool:
    """Whether first-party module `name` may gain submodules beyond the files below it: its
    `__init__` rebinds `__path__` (`pkgutil.extend_path`), or it writes `sys.modules` at import
    time (`os` registers `os.path`), or its facts are unknown (a stub, an extension, a broken file),
    or it shadows a standard-library module (Python may run the real one, already loaded)."""
    source = project.by_module.get(name)
    if source is None or source.facts.problem is not None or source.path.suffix != ".py" or is_stdlib(name):
        return True
    facts = source.facts
    if "__path__" in facts.module_bindings or facts.dynamic_globals is not None:
        return True
    sys_names = {f.alias or f.module for f in facts.imports if f.kind == "import" and f.module == "sys"}
    if any(base in sys_names and attr == "modules" for base, attr, _ in facts.attribute_uses):
        return True
    return any(f.kind == "from" and f.module == "sys" and any(n == "modules" for n, _ in f.names) for f in facts.imports)
