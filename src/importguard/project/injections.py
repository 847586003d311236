"""Names one first-party module binds in another from outside, and whether that has run in time.

A module-level `codecs_mod.registry = registry` (or `setattr(codecs_mod, "registry", …)`) in a
module that imported `codecs_mod` binds `registry` in `codecs_mod`'s namespace once the
assigning module has run; libraries do this to break import cycles, importing the name only
under `if TYPE_CHECKING:` where it is used. Whether a use sees it depends on execution order:

- Importing a module runs its parent packages first, and those run their unconditional
  module-level imports, so an injector that they (or the module itself) reach that way has run
  before anyone can call the module's functions.
- A module-level `from target import name` in module `X` runs while `X` is first imported: it
  sees the injection only when a package above `X` makes it before anything it runs reaches `X`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Set, Tuple

from importguard.project.calls import imports_run_by
from importguard.project.exports import replacement_source
from importguard.project.loaded import loaded_modules, with_parents
from importguard.project.model import Project, SourceFile


@dataclass(frozen=True)
class Injection:
    """`source` assigns `base.name` at `line`, where `base` is first-party module `target`."""

    source: SourceFile
    target: str
    base: str
    name: str
    line: int
    conditional: bool  # under an `if`, loop, `with` or `try`: it may not run

    @property
    def module(self) -> str:
        return self.source.module.name if self.source.module else self.source.display

    @property
    def where(self) -> str:
        return f"{self.source.display}:{self.line}"


def injections_into(project: Project, target: str, name: str) -> List[Injection]:
    """The injections of `name` into module `target`, by path and line."""
    return project.memo("injections", lambda: collect(project)).get((target, name), [])


def collect(project: Project) -> Dict[Tuple[str, str], List[Injection]]:
    table: Dict[Tuple[str, str], List[Injection]] = {}
    for source in sorted(project.by_module.values(), key=lambda s: s.display):  # every file, even in a partial re-run
        for base, name, line, conditional in source.facts.attribute_writes:
            provider = replacement_source(project, source, base)
            if provider is None or provider is source or provider.module is None:
                continue
            target = provider.module.name
            table.setdefault((target, name), []).append(Injection(source, target, base, name, line, conditional))
    return table


def runs_before_calls(project: Project, injection: Injection, user: str) -> bool:
    """Has `injection` certainly run once `user` has been imported (when its functions run)?"""
    if injection.conditional or injection.source.module is None:
        return False
    return injection.source.module.name in loaded_modules(project).closure(with_parents(user))


def runs_before_start(project: Project, injection: Injection, user: str) -> bool:
    """Has `injection` certainly run before module `user` starts? Only when a package above
    `user` makes it before any import it runs (or a call it makes) can reach `user`."""
    owner = injection.source
    if injection.conditional or owner.module is None or owner.module.name not in with_parents(user)[:-1]:
        return False
    index = project.index
    earlier = [dep.target for fact in owner.facts.imports
               if fact.edge_kind == "import-time" and fact.line < injection.line
               for dep in index.dependencies(fact, owner.module)]
    earlier += [dep.target for callee, line in owner.facts.module_calls if line < injection.line
                for runner, fact in imports_run_by(project, owner, callee) if runner.module is not None
                for dep in index.dependencies(fact, runner.module)]
    return user not in reached(project, earlier)


def reached(project: Project, starts: Iterable[str]) -> Set[str]:
    """Modules that importing `starts` may run through their import-time imports, conditional
    ones included (what certainly runs is `loaded.LoadedModules`)."""
    found: Set[str] = set()
    stack = list(starts)
    while stack:
        module = stack.pop()
        if module in found:
            continue
        found.add(module)
        source = project.by_module.get(module)
        if source is None or source.module is None:
            continue
        for fact in source.facts.imports:
            if fact.edge_kind == "import-time":
                stack.extend(dep.target for dep in project.index.dependencies(fact, source.module))
    return found
