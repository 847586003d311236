"""Python's import-time execution, replayed on facts: which entry into a cycle breaks, and where.

Importing a module runs its module-level statements in order. An import of a first-party module
that has not started runs that module first (its parent packages before it); one that has
started but not finished is *partially initialised*: it has bound only the names of the
statements it ran before reaching the import that is still in progress. So
`from m import X` fails with `ImportError` when `X` is bound further down `m` (and is not a
submodule), and a module-level `m.X` fails with `AttributeError` the same way.

The replay is statement-order only: module-level imports run whether or not they sit under an
`if` (an over-approximation), function bodies do not run, and third-party modules are assumed
to import cleanly. Imports guarded by `except ImportError` do not crash, so they never fail here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from importguard.facts.model import ImportFact
from importguard.project.model import Project, SourceFile

RUNNING, DONE = "running", "done"


@dataclass(frozen=True)
class Step:
    """`module` runs the import at path:line, which starts the next module of the chain."""

    module: str
    path: str
    line: int
    statement: str


@dataclass(frozen=True)
class PartialImport:
    """The first failure when `entry` is imported first."""

    entry: str
    chain: Tuple[Step, ...]  # from the entry to the failing statement (the last step)
    target: str  # the partially initialised module
    name: str
    error: str  # "ImportError" | "AttributeError"
    bound_at: int  # the line where `target` binds `name`: after the statement it is paused at
    paused_at: int  # the line of `target` that is still running (its import of the next module)

    @property
    def site(self) -> Step:
        return self.chain[-1]


@dataclass
class Replay:
    project: Project
    entry: str
    state: Dict[str, str] = field(default_factory=dict)
    paused: Dict[str, int] = field(default_factory=dict)  # running module -> line it is paused at
    chain: List[Step] = field(default_factory=list)

    def run(self) -> Optional[PartialImport]:
        return self.execute(self.entry)

    def execute(self, module: str) -> Optional[PartialImport]:
        if module in self.state:
            return None
        parts = module.split(".")
        for depth in range(1, len(parts)):
            failure = self.execute(".".join(parts[:depth]))  # parents run first
            if failure is not None or module in self.state:
                return failure
        self.state[module] = RUNNING
        source = self.project.by_module.get(module)
        if source is not None and source.facts.problem is None and source.path.suffix == ".py":
            failure = self.run_body(module, source)
            if failure is not None:
                return failure
        self.state[module] = DONE
        return None

    def run_body(self, module: str, source: SourceFile) -> Optional[PartialImport]:
        """The module's import-time imports and `module.attr` reads, in source order."""
        events: List[Tuple[int, int, object]] = [
            (fact.line, fact.column, fact) for fact in source.facts.imports
            if fact.edge_kind == "import-time"
        ]
        events += [(line, 10**6, (base, attr)) for base, attr, line in source.facts.attribute_uses]
        for line, _, event in sorted(events, key=lambda e: (e[0], e[1])):
            self.paused[module] = line
            if isinstance(event, ImportFact):
                failure = self.run_import(module, source, event)
            else:
                failure = self.read_attribute(module, source, event, line)  # type: ignore[arg-type]
            if failure is not None:
                return failure
        return None

    def run_import(self, module: str, source: SourceFile, fact: ImportFact) -> Optional[PartialImport]:
        index = self.project.index
        importer = source.module
        assert importer is not None
        target, _ = index.absolute_target(fact, importer)
        if not target or not index.is_first_party(target):
            return None
        self.chain.append(Step(module, source.display, fact.line, fact.display))
        try:
            for dependency in index.dependencies(fact, importer):
                failure = self.execute(dependency.target)
                if failure is not None:
                    return failure
            if fact.kind == "from" and not fact.guarded and self.state.get(target) == RUNNING:
                for name, _alias in fact.names:
                    failure = self.check_bound(target, name, "ImportError")  # type: ignore[arg-type]
                    if failure is not None:
                        return failure
        finally:
            self.chain.pop()
        return None

    def read_attribute(self, module: str, source: SourceFile, use: Tuple[str, str], line: int) -> Optional[PartialImport]:
        base, attr = use
        target = self.module_bound_to(source, base)
        if target is None or self.state.get(target) != RUNNING:
            return None
        self.chain.append(Step(module, source.display, line, f"{base}.{attr}"))
        try:
            return self.check_bound(target, attr, "AttributeError")
        finally:
            self.chain.pop()

    def module_bound_to(self, source: SourceFile, name: str) -> Optional[str]:
        """The first-party module a module-level `import m`/`import m as name` binds to `name`."""
        importer = source.module
        for fact in source.facts.imports:
            if fact.kind != "import" or fact.edge_kind != "import-time" or importer is None:
                continue
            bound = fact.alias or fact.module.split(".")[0]
            if bound == name:
                module = fact.module if fact.alias else name
                return module if module in self.project.by_module else None
        return None

    def check_bound(self, target: str, name: str, error: str) -> Optional[PartialImport]:
        if name == "*" or f"{target}.{name}" in self.project.index.modules:
            return None  # submodules are found in sys.modules even while the package runs
        provider = self.project.by_module.get(target)
        if provider is None or provider.facts.dynamic_globals is not None:
            return None
        facts = provider.facts
        if "__getattr__" in facts.module_bindings and facts.module_bindings["__getattr__"] < self.paused[target]:
            return None
        bound_at = facts.module_bindings.get(name)
        if bound_at is None or bound_at < self.paused[target]:
            return None  # bound in time, or never bound at all (IG305's finding, in any order)
        return PartialImport(
            self.entry, tuple(self.chain), target, name, error, bound_at, self.paused[target],
        )


def first_failure(project: Project, entry: str) -> Optional[PartialImport]:
    """What happens when a fresh interpreter runs `import entry`."""
    return Replay(project, entry).run()
