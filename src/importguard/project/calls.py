"""Static call resolution for IG202: which first-party function a call names, and the chains of
calls from an `except` handler to a function that imports at run time.

Only calls that can be resolved without running code are followed: a `def` of the same module,
a name bound by `from first_party import f`, `module.f` after `import first_party.module`, and
`self.method` within the same class. A call is followed into the function's body only when the call
runs it (`runs_body`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, List, Optional, Set, Tuple

from importguard.facts.model import ImportFact
from importguard.project.decorators import calls_the_function
from importguard.project.graph import IMPORT_TIME, ImportSite
from importguard.project.model import Project, SourceFile

MAX_DEPTH = 3


@dataclass(frozen=True)
class Call:
    """`source` calls `function` (in `target`) at `line`."""

    source: SourceFile
    line: int
    target: SourceFile
    function: str


@dataclass(frozen=True)
class Chain:
    calls: Tuple[Call, ...]
    imports: Tuple[ImportFact, ...]  # the run-time imports of the last function


def module_of(project: Project, source: SourceFile, fact: ImportFact) -> Optional[str]:
    if source.module is None:
        return None
    target, _ = project.index.absolute_target(fact, source.module)
    return target if target and project.index.is_first_party(target) else None


def bound_module(project: Project, source: SourceFile, name: str) -> Optional[str]:
    """The first-party module a module-level import binds to `name`."""
    for fact in source.facts.imports:
        if fact.scope != "module" or fact.type_checking:
            continue
        target = module_of(project, source, fact)
        if target is None:
            continue
        if fact.kind == "import" and (fact.alias or fact.module.split(".")[0]) == name:
            return target if fact.alias else name
        if fact.kind == "from":
            for imported, alias in fact.names:
                if (alias or imported) == name and f"{target}.{imported}" in project.index.modules:
                    return f"{target}.{imported}"
    return None


def resolve_function(project: Project, source: SourceFile, name: str, caller: Optional[str] = None,
                     hops: int = 0) -> Optional[Tuple[SourceFile, str]]:
    """A module-level function `name` of `source`, following `from m import name` (at module level,
    or inside the calling function) and re-exports."""
    if name in source.facts.functions:
        return source, name
    if hops >= MAX_DEPTH:
        return None
    for fact in source.facts.imports:
        if fact.kind != "from" or fact.type_checking or not (fact.scope == "module" or fact.function == caller):
            continue
        target = module_of(project, source, fact)
        provider = project.by_module.get(target) if target else None
        for imported, alias in fact.names:
            if (alias or imported) == name and provider is not None:
                return resolve_function(project, provider, imported, None, hops + 1)  # type: ignore[arg-type]
    return None


def resolve_method(project: Project, source: SourceFile, cls: str, method: str,
                   depth: int = 0) -> Optional[Tuple[SourceFile, str]]:
    """`self.method` in class `cls` of `source`: defined there, or inherited from a first-party
    base class (the first one that defines it, depth first, as the MRO mostly does)."""
    if f"{cls}.{method}" in source.facts.functions:
        return source, f"{cls}.{method}"
    if depth >= MAX_DEPTH:
        return None
    for base in source.facts.bases.get(cls, []):
        owner = resolve_class(project, source, base)
        if owner is not None:
            found = resolve_method(project, owner[0], owner[1], method, depth + 1)
            if found is not None:
                return found
    return None


def resolve_class(project: Project, source: SourceFile, name: str) -> Optional[Tuple[SourceFile, str]]:
    """The first-party class a base-class expression names: `Base`, `module.Base`, or a name
    bound by `from first_party import Base`."""
    parts = name.split(".")
    if len(parts) == 1:
        if name in source.facts.bases or any(f.startswith(name + ".") for f in source.facts.functions):
            return source, name
        for fact in source.facts.imports:
            if fact.kind != "from" or fact.scope != "module" or fact.type_checking:
                continue
            target = module_of(project, source, fact)
            provider = project.by_module.get(target) if target else None
            for imported, alias in fact.names:
                if (alias or imported) == name and provider is not None and imported is not None:
                    return resolve_class(project, provider, imported) if provider is not source else None
        return None
    module = bound_module(project, source, parts[0])
    for part in parts[1:-1]:
        module = f"{module}.{part}" if module else None
    provider = project.by_module.get(module) if module else None
    return (provider, parts[-1]) if provider is not None else None


def resolve_call(project: Project, source: SourceFile, callee: str, caller: Optional[str]) -> Optional[Tuple[SourceFile, str]]:
    parts = callee.split(".")
    if parts[0] in ("self", "cls") and len(parts) == 2 and caller and "." in caller:
        return resolve_method(project, source, caller.rsplit(".", 1)[0], parts[1])
    if len(parts) == 1:
        return resolve_function(project, source, parts[0], caller)
    module = bound_module(project, source, parts[0])
    for part in parts[1:-1]:
        module = f"{module}.{part}" if module else None
    provider = project.by_module.get(module) if module else None
    return resolve_function(project, provider, parts[-1]) if provider is not None else None


def decorators_call(project: Project, source: SourceFile, decorators: Iterable[str]) -> bool:
    """Each of `decorators` (as written in `source`) returns something that calls the function it
    decorates, so calling the decorated name runs the body: a standard one that does
    (`functools.lru_cache`, `staticmethod`), or a first-party decorator whose wrapper calls it.
    Any other (`contextlib.contextmanager`, a third-party `@st.composite`) may never call it, and
    a finding that assumed the body ran would report what does not happen."""
    for decorator in decorators:
        if calls_the_function(source, decorator):
            continue
        factory = decorator.endswith("()")
        found = resolve_call(project, source, decorator[:-2] if factory else decorator, None)
        if found is None or found[0].facts.wrappers.get(found[1]) != ("factory" if factory else "decorator"):
            return False
    return True


def runs_body(project: Project, source: SourceFile, function: str) -> bool:
    """Calling `function` of `source` runs its body: every decorator calls it. (An undecorated
    generator or coroutine is still followed: `list(gen())`, `for` and `await` run the body.)"""
    return decorators_call(project, source, source.facts.decorators.get(function, ()))


def resolve_body(project: Project, source: SourceFile, callee: str, caller: Optional[str]) -> Optional[Tuple[SourceFile, str]]:
    """The first-party function a call of `callee` names, when the call runs its body."""
    found = resolve_call(project, source, callee, caller)
    return found if found is not None and runs_body(project, *found) else None


def imports_run_by(project: Project, source: SourceFile, callee: str, caller: Optional[str] = None,
                   depth: int = 1, seen: Optional[Set[Tuple[str, str]]] = None) -> List[Tuple[SourceFile, ImportFact]]:
    """The function-local imports a call of `callee` runs: the callee's own, and those of the
    first-party functions it calls, up to MAX_DEPTH deep (a logger factory importing the
    configuration, called at module level, runs that import during the importer's execution)."""
    seen = seen if seen is not None else set()
    found = resolve_body(project, source, callee, caller)
    if found is None or (found[0].display, found[1]) in seen:
        return []
    target, function = found
    seen.add((target.display, function))
    imports = [(target, fact) for fact in runtime_imports(target, function)]
    if depth < MAX_DEPTH:
        for next_callee, _line in target.facts.calls.get(function, []):
            imports += imports_run_by(project, target, next_callee, function, depth + 1, seen)
    return imports


def add_import_time_calls(project: Project) -> None:
    """Edges for the imports that module-level (and class-body) calls run at import time."""
    for source in project.files:
        if source.module is None:
            continue
        for callee, line in source.facts.module_calls:
            for owner, fact in imports_run_by(project, source, callee):
                if owner.module is None:
                    continue
                site = ImportSite(source.display, line, 1, IMPORT_TIME, f"{callee}() runs {fact.display}")
                for dependency in project.index.dependencies(fact, owner.module):
                    if dependency.target != source.module.name:
                        project.graph.add_import(source.module.name, dependency.target, site)


def runtime_imports(source: SourceFile, function: str) -> List[ImportFact]:
    """Imports that run when `function` is called (not those of functions nested in it)."""
    return [f for f in source.facts.imports if f.scope == "function" and f.function == function and not f.type_checking]


def chain_from(project: Project, source: SourceFile, callee: str, line: int, caller: Optional[str],
               depth: int = 1, seen: Optional[Set[Tuple[str, str]]] = None,
               needed: Optional[Callable[[Tuple[Call, ...], ImportFact], bool]] = None,
               before: Tuple[Call, ...] = ()) -> Optional[Chain]:
    """A chain of at most MAX_DEPTH calls from this call to a function that imports at run time
    (an import `needed` says runs for the first time, given the calls that lead to it)."""
    seen = seen if seen is not None else set()
    found = resolve_body(project, source, callee, caller)
    if found is None:
        return None
    target, function = found
    if (target.display, function) in seen:
        return None
    seen.add((target.display, function))
    call = Call(source, line, target, function)
    calls = before + (call,)
    imports = [f for f in runtime_imports(target, function) if needed is None or needed(calls, f)]
    if imports:
        return Chain((call,), tuple(imports))
    if depth >= MAX_DEPTH:
        return None
    for next_callee, next_line in target.facts.calls.get(function, []):
        deeper = chain_from(project, target, next_callee, next_line, function, depth + 1, seen, needed, calls)
        if deeper is not None:
            return Chain((call,) + deeper.calls, deeper.imports)
    return None
