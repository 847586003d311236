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
from typing import Dict, List, Optional, Set, Tuple

from importguard.facts.model import ImportFact
from importguard.project.calls import imports_run_by
from importguard.project.graph import IMPORT_TIME
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


@dataclass(frozen=True)
class Event:
    """One module-level statement that matters to the replay, in source order."""

    line: int
    statement: str
    runs: Tuple[str, ...]  # first-party modules it makes Python run, in order
    target: Optional[str]  # the module it takes names from (`from target import ...`, `target.attr`)
    names: Tuple[str, ...]  # the names it needs from `target`
    error: str  # what a missing name raises
    guard: Optional[int] = None  # line of the `try` whose `except ImportError` catches its failure


class Plans:
    """Per-module replay plans, computed once per project and shared by every entry point."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._plans: Dict[str, Tuple[Event, ...]] = {}

    def events(self, module: str) -> Tuple[Event, ...]:
        plan = self._plans.get(module)
        if plan is None:
            source = self.project.by_module.get(module)
            runnable = source is not None and source.facts.problem is None and source.path.suffix == ".py"
            plan = self._plans[module] = tuple(self._build(source)) if runnable else ()  # type: ignore[arg-type]
        return plan

    def _import_event(self, owner: SourceFile, fact: ImportFact, line: int, statement: str) -> Optional[Event]:
        """The event of import `fact` of module `owner`, run at `line` of the module replayed."""
        index = self.project.index
        assert owner.module is not None
        target, _ = index.absolute_target(fact, owner.module)
        if not target or not index.is_first_party(target):
            return None
        runs = tuple(d.target for d in index.dependencies(fact, owner.module))
        names = tuple(n for n, _ in fact.names) if fact.kind == "from" else ()
        guard = fact.guard_line if fact.guarded and not fact.guard_module_only else None  # a partial import raises ImportError
        return Event(line, statement, runs, target, names, "ImportError", guard)  # type: ignore[arg-type]

    def _build(self, source: SourceFile) -> List[Event]:
        assert source.module is not None
        found: List[Tuple[int, int, Event]] = []
        for fact in source.facts.imports:
            if fact.edge_kind == "import-time":
                event = self._import_event(source, fact, fact.line, fact.display)
                if event is not None:
                    found.append((fact.line, fact.column, event))
        for callee, line in source.facts.module_calls:
            for owner, fact in imports_run_by(self.project, source, callee):
                event = self._import_event(owner, fact, line, f"{callee}() runs `{fact.display}`")
                if event is not None:
                    found.append((line, 10**6 - 1, event))
        for base, attr, line in source.facts.attribute_uses:
            target = module_bound_to(self.project, source, base)
            if target is not None:
                found.append((line, 10**6, Event(line, f"{base}.{attr}", (), target, (attr,), "AttributeError")))
        return [event for _, _, event in sorted(found, key=lambda e: (e[0], e[1]))]


def module_bound_to(project: Project, source: SourceFile, name: str) -> Optional[str]:
    """The first-party module a module-level `import m`/`import m as name` binds to `name`."""
    for fact in source.facts.imports:
        if fact.kind != "import" or fact.edge_kind != "import-time":
            continue
        if (fact.alias or fact.module.split(".")[0]) == name:
            module = fact.module if fact.alias else name
            return module if module in project.by_module else None
    return None


@dataclass
class Replay:
    plans: Plans
    entry: str
    relevant: Set[str]  # modules whose import can reach the cycle: the others cannot matter
    state: Dict[str, str] = field(default_factory=dict)
    paused: Dict[str, int] = field(default_factory=dict)  # running module -> line it is paused at
    chain: List[Step] = field(default_factory=list)
    started: List[str] = field(default_factory=list)  # modules in the order they started
    swallowed: List[Tuple[PartialImport, Step]] = field(default_factory=list)  # failures a guard caught

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
        self.started.append(module)
        if module in self.relevant:
            failure = self.run_body(module)
            if failure is not None:
                return failure
        self.state[module] = DONE
        return None

    def run_body(self, module: str) -> Optional[PartialImport]:
        source = self.plans.project.by_module[module]
        for event in self.plans.events(module):
            self.paused[module] = event.line
            step = Step(module, source.display, event.line, event.statement)
            self.chain.append(step)
            mark = len(self.started)
            try:
                failure = self.run_event(event)
            finally:
                self.chain.pop()
            if failure is not None and event.guard is not None and failure.error == "ImportError":
                self.swallow(failure, step, mark)  # `except ImportError:` takes the fallback
            elif failure is not None:
                return failure
        return None

    def run_event(self, event: Event) -> Optional[PartialImport]:
        for dependency in event.runs:
            failure = self.execute(dependency)
            if failure is not None:
                return failure
        if event.target is not None and self.state.get(event.target) == RUNNING:
            for name in event.names:
                failure = self.check_bound(event.target, name, event.error)
                if failure is not None:
                    return failure
        return None

    def swallow(self, failure: PartialImport, guard: Step, mark: int) -> None:
        """Python removes the modules whose execution the ImportError interrupted from
        `sys.modules`; the guarded module goes on with its fallback."""
        self.swallowed.append((failure, guard))
        for module in self.started[mark:]:
            if self.state.get(module) == RUNNING:
                del self.state[module]
                self.paused.pop(module, None)
        del self.started[mark:]

    def check_bound(self, target: str, name: str, error: str) -> Optional[PartialImport]:
        project = self.plans.project
        if name == "*" or f"{target}.{name}" in project.index.modules:
            return None  # submodules are found in sys.modules even while the package runs
        provider = project.by_module.get(target)
        if provider is None or provider.facts.dynamic_globals is not None:
            return None
        bindings = provider.facts.module_bindings
        paused = self.paused[target]
        if "__getattr__" in bindings and bindings["__getattr__"] < paused:
            return None
        bound_at = bindings.get(name)
        if bound_at is None or bound_at < paused:
            return None  # bound in time, or never bound at all (IG305's finding, in any order)
        return PartialImport(self.entry, tuple(self.chain), target, name, error, bound_at, paused)


def reaching(project: Project, members: Set[str]) -> Set[str]:
    """Modules with an import-time path to one of `members` (the members included)."""
    view = project.graph.subgraph(frozenset({IMPORT_TIME}))
    found = set(members)
    stack = list(members)
    while stack:
        for importer in view.predecessors(stack.pop()):
            if importer not in found:
                found.add(importer)
                stack.append(importer)
    return found


def replay(project: Project, entry: str, plans: Optional[Plans] = None, relevant: Optional[Set[str]] = None) -> Tuple[Optional[PartialImport], Replay]:
    """What happens when a fresh interpreter runs `import entry`: the failure that ends it (or
    None), and the replay with the failures guards swallowed on the way."""
    plans = plans or Plans(project)
    run = Replay(plans, entry, relevant if relevant is not None else set(project.by_module))
    return run.run(), run


def first_failure(project: Project, entry: str, plans: Optional[Plans] = None,
                  relevant: Optional[Set[str]] = None) -> Optional[PartialImport]:
    return replay(project, entry, plans, relevant)[0]
