"""Scopes, bindings and flow states: what the walker needs to find failing name reads in one pass.

The walker reports events in source order (a name is bound, used, deleted; a branch starts or
joins; a scope opens or closes). This module keeps, per scope, the *flow state* of each name at
the current point (bound on every path, on some paths, or cleared by `del`/the end of an
`except … as` handler) and the uses it cannot settle yet:

- a use in a function of a name the function has not bound (yet) is settled when the function
  ends: if the function binds the name anywhere, the name is local and the use is unbound (on
  some paths); otherwise it is free and moves to the enclosing scope, which settles it against *every*
  binding it makes (a function body runs later, after its enclosing scopes have run);
- a use at module level or in a class body runs now, so it is settled against the bindings made
  so far (a later binding is a NameError at import time).

Class scopes are invisible to the functions, lambdas and comprehensions nested in them.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Optional, Set, Tuple

from importguard.facts.model import Binding, NameIssue

if TYPE_CHECKING:  # libcst is imported only when a file is parsed
    import libcst as cst

    from importguard.facts.positions import Anchor

# Flow states of a name. MAYBE: unbound on some ordinary path (an `if` without `else`, a loop
# that may not run). RISKY: bound on every ordinary path, unbound only where an exception skipped
# the binding or a `del`/`except … as` cleared it.
BOUND, MAYBE, CLEARED, RISKY = 2, 1, 0, 3
SOMETIMES = (MAYBE, RISKY)
Flow = Optional[Dict[str, int]]  # None: this point is unreachable

# Builtins of every supported Python version and platform, not only the running one.
BUILTINS = frozenset(dir(builtins)) | {
    "WindowsError", "EncodingWarning", "aiter", "anext", "BaseExceptionGroup", "ExceptionGroup",
    "PythonFinalizationError", "_IncompleteInputError", "__build_class__", "__debug__",
    "copyright", "credits", "license", "exit", "quit", "help",
}
MODULE_DUNDERS = frozenset({
    "__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__",
    "__annotations__", "__cached__", "__dict__",
})
CLASS_DUNDERS = ("__module__", "__qualname__")

# How a message shows each kind of binding (`facts.model.BINDING_KINDS`); imports, `@global_enum`
# members and bare annotations say more, and give their own text.
TEXTS = {
    "assignment": "assignment", "augmented-assignment": "augmented assignment",
    "annotated-assignment": "annotated assignment", "parameter": "parameter", "def": "`def`",
    "class": "`class`", "class-body": "class body", "for": "`for` loop", "with": "`with … as`",
    "except": "`except … as`", "comprehension": "comprehension", "walrus": "`:=`",
    "match": "`match` capture", "type-alias": "`type` statement", "type-parameter": "type parameter",
    "globals-write": "`globals()[...]` assignment", "try": "`try`", "del": "`del`", "except-end": "`except … as`",
}


def binding(line: int, kind: str, text: Optional[str] = None, target: Optional[str] = None) -> Binding:
    return Binding(line, kind, TEXTS[kind] if text is None else text, target)


def merge(flows: List[Flow]) -> Flow:
    """The state after several paths join: bound only if bound on every reachable path."""
    live = [flow for flow in flows if flow is not None]
    if not live:
        return None
    first = live[0]
    if len(live) == 1:
        return dict(first)
    joined: Dict[str, int] = {}
    for name in set().union(*live):
        values = [flow.get(name) for flow in live]
        first_value = values[0]
        if first_value is not None and all(v == first_value for v in values):
            joined[name] = first_value
        elif all(v is None or v == CLEARED for v in values):
            joined[name] = CLEARED
        elif None in values or MAYBE in values:
            joined[name] = MAYBE  # unbound on an ordinary path
        else:
            joined[name] = RISKY  # bound, risky or cleared: unbound only after an exception or `del`
    return joined


class Use:
    """A use that cannot be settled where it occurs."""

    __slots__ = (
        "name", "kind", "state", "anchor", "node", "where", "runtime", "line", "via_class", "call", "origin",
        "certain", "global_first", "global_proven",
    )

    def __init__(self, name: str, kind: str, state: Optional[int], anchor: "Anchor", node: "cst.CSTNode",
                 where: str, runtime: bool, line: int) -> None:
        self.name = name
        self.kind = kind  # "local" | "free" | "now"
        self.state = state  # flow state at the use
        self.anchor = anchor
        self.node = node
        self.where = where  # display name of the scope of the use, "" at module level
        self.runtime = runtime  # False inside a deferred annotation
        self.line = line
        self.via_class: Optional[Tuple[str, int]] = None  # an enclosing class body binding the name
        # (function, line, its decorators) of the call that runs this use
        self.call: Optional[Tuple[str, int, Tuple[str, ...]]] = None
        self.origin: Optional[int] = None  # id() of the function scope whose own body makes the use
        self.certain = True  # every path through the function that contains it reaches this use
        self.global_first = False  # `global x` read before the function's own binding of `x`
        self.global_proven = False  # under `'x' in globals()`: fine unless `x` is local
        # (an id, not the scope: a reference would make a cycle scope -> closures -> use -> scope,
        # which only the cyclic garbage collector frees, with every CST node the uses hold)


class Scope:
    __slots__ = (
        "kind", "name", "where", "parent", "flow", "bindings", "typing", "declared", "globals",
        "nonlocals", "pending", "cleared", "last", "reported", "regions", "cells", "closures", "runs_on_call",
        "decorators", "decorated",
        "global_bound", "risky", "probed", "flags", "tests", "exits", "returns", "risky_exits",
    )

    def __init__(self, kind: str, name: str, where: str, parent: Optional["Scope"]) -> None:
        self.kind = kind  # "module" | "class" | "function" | "comprehension" | "annotation"
        self.name = name
        self.where = where
        self.parent = parent
        self.flow: Flow = {}
        self.bindings: Dict[str, List[Binding]] = {}  # every run-time binding, in source order
        self.typing: Dict[str, Binding] = {}  # bindings under `if TYPE_CHECKING:`
        self.declared: Set[str] = set()  # `x: int` in a function: local, yet unbound
        self.globals: Set[str] = set()
        self.nonlocals: Set[str] = set()
        self.pending: List[Use] = []
        self.cleared: Dict[str, Binding] = {}  # name -> where `del`/`except … as` cleared it
        self.last: Dict[str, Binding] = {}  # name -> latest binding seen in flow order
        self.reported: Set[str] = set()  # names already reported unbound here
        self.regions: List[Tuple[Set[str], Set[str]]] = []  # names bound/cleared in open try/loop bodies
        self.cells: Set[str] = set()  # locals that nested functions rebind with `nonlocal`
        self.closures: Dict[str, List[Use]] = {}  # nested `def` name -> its uses of this scope's names
        self.runs_on_call = kind == "function"  # False for generators and coroutines: a call only creates them
        self.decorators: Tuple[str, ...] = ()  # of a function (see `FileFacts.decorators`)
        self.decorated: Dict[str, Tuple[str, ...]] = {}  # nested `def` name in `closures` -> its decorators
        self.global_bound: Set[str] = set()  # `global` names this function binds
        self.risky: Dict[str, Binding] = {}  # name -> the `try` whose failure may skip its binding
        self.probed: Set[str] = set()  # names a `try: name` / `except NameError: return` proved bound
        self.flags: Dict[str, Set[str]] = {}  # name -> the names bound in the same `if`/loop/`try` region
        # `if` test key -> (the names the test reads, the names its body bound); see `guards`
        self.tests: Dict[object, Tuple[FrozenSet[str], Set[str]]] = {}
        self.exits = False  # a `return`/`raise` on some path: later uses are not reached by every call
        self.returns = False  # a `return` statement ran somewhere in the body
        # `try` line -> (its last line, the call ending each handler that falls through)
        self.risky_exits: Dict[int, Tuple[int, List[str]]] = {}

    def is_local(self, name: str) -> bool:
        return (name in self.bindings or name in self.declared) and name not in self.globals and name not in self.nonlocals

    def first(self, name: str) -> Optional[Binding]:
        found = self.bindings.get(name)
        return found[0] if found else None


class BindingTracker:
    """The scope stack and its bookkeeping; produces `NameIssue`s as scopes close."""

    def __init__(self) -> None:
        self.module = Scope("module", "", "", None)
        self.scope = self.module
        self.issues: List[NameIssue] = []
        self.placements: List[Tuple[Use, NameIssue]] = []
        self.elsewhere: Dict[str, Tuple[str, Binding]] = {}  # name -> first non-module binding
        self.global_writes: Set[str] = set()  # bound at module level from functions via `global`
        self.module_own: Set[str] = set()  # bound by module-level code itself
        self.global_writers: Dict[str, Set[int]] = {}  # name -> id() of the functions binding it via `global`

    # -- scopes --------------------------------------------------------------------------------

    def open(self, kind: str, name: str, where: str) -> Scope:
        scope = Scope(kind, name, where, self.scope)
        if kind == "class":
            scope.flow = {dunder: BOUND for dunder in CLASS_DUNDERS}
        self.scope = scope
        return scope

    def close(self) -> None:
        scope = self.scope
        assert scope.parent is not None
        self.scope = scope.parent
        escaped = [use for use in scope.pending if self._settle(scope, use, scope.parent)]
        owner = scope.parent
        if scope.runs_on_call and owner.kind in ("function", "module") and owner.flow is not None:
            if owner.flow.get(scope.name) == BOUND:
                owner.closures[scope.name] = [
                    u for u in escaped if u.runtime and u.call is None and u.origin == id(scope) and u.certain
                ]
                owner.decorated[scope.name] = scope.decorators

    def _settle(self, scope: Scope, use: Use, outer: Optional[Scope]) -> bool:
        """Settle `use` at the end of `scope`, or pass it outwards (then return True)."""
        name = use.name
        if name in scope.globals:
            use.global_first = use.state is None and name in scope.global_bound and use.runtime and use.origin == id(scope)
            self.module.pending.append(use)
            return True
        if use.kind == "local":
            if scope.is_local(name):
                if use.runtime:
                    self._local_issue(scope, use)
                return False
            if use.call is not None or use.global_proven:
                return False  # the callee's own free use is settled outside; a global the test proved
            use.kind = "free"
        elif scope.kind == "class":
            if name in scope.bindings or name in scope.typing:
                return False  # a deferred annotation in a class body is resolved in the class too
        elif scope.is_local(name) or (not use.runtime and name in scope.typing):
            return False
        self._pass(use, outer)
        return True

    def _pass(self, use: Use, outer: Optional[Scope]) -> None:
        """Hand an unsettled use to the enclosing scope that can see it (skipping class bodies)."""
        while outer is not None and outer.kind == "class":
            if use.name == "__class__":
                return  # the implicit closure cell of methods
            if use.via_class is None and use.name in outer.bindings:
                use.via_class = (outer.name, outer.bindings[use.name][0].line)
            outer = outer.parent
        if outer is not None:
            outer.pending.append(use)

    def _local_issue(self, scope: Scope, use: Use) -> None:
        name = use.name
        if name in scope.reported or name in scope.cells:
            return  # one finding per name and function: the first use
        scope.reported.add(name)
        if use.call is not None:
            self._call_issue(scope, use, "called-too-early-local" if use.state is None else "called-too-early-local-maybe")
            return
        if use.state == CLEARED and name in scope.cleared:
            self._issue(use, "cleared", scope.cleared[name])
        elif use.state == RISKY:
            self._risky_issue(scope, use)
        elif use.state is None:
            later = [b for b in scope.bindings.get(name, []) if b.line >= use.line]
            found = later[0] if later else scope.first(name) or scope.cleared.get(name)
            if found is None:
                found = binding(use.line, "annotation", "`" + name + ": …` annotation")
            self._issue(use, "unbound-local", found)
        else:
            self._issue(use, "possibly-unbound", scope.last.get(name) or scope.first(name))

    def _risky_issue(self, scope: Scope, use: Use) -> None:
        """Unbound only where an exception skipped the binding, or where a `del` ran."""
        name = use.name
        cleared = scope.cleared.get(name)
        risky = scope.risky.get(name)
        if cleared is not None and (risky is None or risky.line < cleared.line < use.line):
            self._issue(use, "cleared-some-path", cleared)
            return
        inside = [b for b in scope.bindings.get(name, []) if risky is not None and b.line >= risky.line]
        skipped = inside[0] if inside else scope.last.get(name) or scope.first(name)  # the one the `try` skipped
        self._issue(use, "exception-path", skipped, after=risky.line if risky else None)
        exits = scope.risky_exits.get(risky.line) if risky else None
        if exits is not None and use.line >= exits[0]:
            self.issues[-1].handler_calls = exits[1]

    def _call_issue(self, scope: Scope, use: Use, kind: str) -> None:
        """A nested function is called before a name it uses is bound (or after its `del`): the
        issue points at the `del`, else at the first binding after the call, if any."""
        assert use.call is not None
        callee, line, decorators = use.call
        cleared = scope.cleared.get(use.name) if use.state == CLEARED else None
        later = [b for b in scope.bindings.get(use.name, []) if b.line >= line] or scope.bindings.get(use.name)
        self._issue(use, kind, cleared or (later[0] if later else None))
        issue = self.issues[-1]
        issue.callee, issue.call_line, issue.decorators = callee, line, list(decorators) or None

    def _issue(self, use: Use, kind: str, found: Optional[Binding],
               elsewhere: Optional[str] = None, after: Optional[int] = None) -> None:
        issue = NameIssue(
            kind=kind, name=use.name, line=use.line, column=1, where=use.where, binding=found,
            elsewhere=elsewhere, try_line=after,
        )
        self.issues.append(issue)
        self.placements.append((use, issue))

    # -- events --------------------------------------------------------------------------------

    def bind(self, name: str, binding: Binding, typing_only: bool = False, scope: Optional[Scope] = None) -> None:
        scope = scope or self.scope
        if name in scope.nonlocals:
            self._rebind_cell(scope, name)
            return
        if name in scope.globals and scope is not self.module:
            self.global_writes.add(name)
            self.module.bindings.setdefault(name, []).append(binding)
            scope.global_bound.add(name)
            self.global_writers.setdefault(name, set()).add(id(scope))
            if scope.flow is not None:
                scope.flow[name] = BOUND
            return
        if scope.tests:
            for key in [k for k, (read, _) in scope.tests.items() if name in read]:
                del scope.tests[key]  # the test may answer differently now
        if binding.kind != "def":
            scope.closures.pop(name, None)
        if typing_only:
            scope.typing.setdefault(name, binding)
            return
        scope.bindings.setdefault(name, []).append(binding)
        if scope is self.module:
            self.module_own.add(name)
        elif name not in self.elsewhere:
            self.elsewhere[name] = (scope.where or f"class `{scope.name}`", binding)
        if scope.regions:
            scope.regions[-1][0].add(name)
        if scope.flow is not None:
            scope.flow[name] = BOUND
            scope.last[name] = binding

    def bind_global(self, name: str, binding: Binding) -> None:
        """A binding made through `globals()[name] = ...` from any scope."""
        if self.scope is self.module:
            self.bind(name, binding)
        else:
            self.global_writes.add(name)
            self.module.bindings.setdefault(name, []).append(binding)

    def called(self, name: str, line: int) -> None:
        """`name()` calls a function defined in this scope: its body runs now, so the names it
        takes from this scope must be bound at this point of the flow."""
        scope = self.scope
        uses = scope.closures.get(name)
        if not uses or scope.flow is None or scope.flow.get(name) != BOUND:
            return
        kind = "local" if scope.kind == "function" else "now"
        for use in uses:
            state = scope.flow.get(use.name)
            if state is None or state == CLEARED:
                copy = Use(use.name, kind, state, use.anchor, use.node, use.where, True, use.line)
                copy.call = (name, line, scope.decorated.get(name, ()))
                scope.pending.append(copy)

    @staticmethod
    def _rebind_cell(scope: Scope, name: str) -> None:
        """A nested function's `nonlocal` binding can run at any call: the owner's flow cannot
        say when, so the owner's uses of that name are not flow-checked."""
        owner = scope.parent
        while owner is not None and (owner.kind == "class" or (owner.kind != "module" and name in owner.nonlocals)):
            owner = owner.parent
        if owner is not None:
            owner.cells.add(name)

    def clear(self, name: str, kind: str, line: int) -> None:
        """`del name` (kind "del"), or the end of an `except … as name` handler ("except-end")."""
        scope = self.scope
        if name in scope.globals or name in scope.nonlocals:
            return
        scope.bindings.setdefault(name, [])
        if scope.regions:
            scope.regions[-1][1].add(name)
        if scope.flow is not None:
            scope.flow[name] = CLEARED
            scope.cleared[name] = binding(line, kind)

    def declare(self, name: str) -> None:
        """`x: int` without a value: in a function, `x` becomes local but stays unbound."""
        if self.scope.kind == "function":
            self.scope.declared.add(name)

    def use(self, name: str, anchor: "Anchor", node: "cst.CSTNode", line: int, runtime: bool, certain: bool = True,
            global_proven: bool = False) -> None:
        scope = self.scope
        if name in scope.probed:
            return
        if not runtime:
            scope.pending.append(Use(name, "free", None, anchor, node, scope.where, False, line))
            return
        while True:
            flow = scope.flow
            if flow is None:
                return  # unreachable code
            state = flow.get(name)
            kind = scope.kind
            if kind == "function":
                if state != BOUND and name not in scope.nonlocals:
                    use = Use(name, "local", state, anchor, node, scope.where, True, line)
                    use.origin = id(scope)
                    use.certain = certain and not scope.exits
                    use.global_proven = global_proven
                    scope.pending.append(use)
                return
            if kind == "module":
                if state != BOUND:
                    scope.pending.append(Use(name, "now", state, anchor, node, "", True, line))
                return
            if state is not None and state != CLEARED:
                return
            parent = scope.parent
            assert parent is not None
            if kind == "comprehension" or kind == "class":
                while parent.kind == "class":
                    grandparent = parent.parent
                    assert grandparent is not None
                    parent = grandparent
            scope = parent

    def start_region(self) -> None:
        """Start recording the names a `try` or loop body binds or clears."""
        self.scope.regions.append((set(), set()))

    def end_region(self) -> Tuple[Set[str], Set[str]]:
        scope = self.scope
        regions = scope.regions
        bound, cleared = regions.pop()
        if regions:
            regions[-1][0].update(bound)
            regions[-1][1].update(cleared)
        if 1 < len(bound) < 64:
            shared = set(bound)
            for name in bound:
                scope.flags[name] = shared  # a later test of one of them says the others are bound
        return bound, cleared

    def assume_bound(self, flow: Flow, names: Set[str], outer: Flow = None) -> Flow:
        """`flow` where `names` that are bound on some paths are taken as bound (a test proved it).
        In a class body, `outer` is the module's flow: its names are taken as bound in the class."""
        if flow is None or not names:
            return flow
        refined = dict(flow)
        for name in names:
            if refined.get(name) in SOMETIMES or (name not in refined and outer and outer.get(name) in SOMETIMES):
                refined[name] = BOUND
        return refined

    def failure_state(self, before: Flow, bound: Set[str], cleared: Set[str], line: int) -> Flow:
        """The state where an exception raised anywhere in the `try` body at `line` lands in a
        handler: what the body binds may not be bound yet (RISKY, unless already unbound on an
        ordinary path before the `try`)."""
        if before is None:
            return None
        start = dict(before)
        scope = self.scope
        for name in bound | cleared:
            if before.get(name) == BOUND and name not in cleared:
                start[name] = BOUND
            elif before.get(name) == MAYBE:
                start[name] = MAYBE
            else:
                start[name] = RISKY
                if before.get(name) != RISKY:
                    scope.risky[name] = binding(line, "try")
        return start

    @staticmethod
    def carried_into(exit_flow: Flow, bound: Set[str], body_end: Flow) -> Flow:
        """A `break` in a later iteration also sees what earlier iterations bound."""
        if exit_flow is None or body_end is None:
            return exit_flow
        carried = dict(exit_flow)
        for name in bound:
            if carried.get(name) is None and body_end.get(name) in (BOUND, MAYBE, RISKY):
                carried[name] = MAYBE
        return carried

    def forget_loop_carried(self, start: int, bound: Set[str]) -> None:
        """A use in a loop body of a name the body binds further down reads the value of an
        earlier iteration (`if first: ... else: use(previous)`): the state it relies on is
        carried by the program's own flags, so it is not reported."""
        pending = self.scope.pending
        pending[start:] = [
            use for use in pending[start:] if use.kind == "free" or use.name not in bound
        ]

    # -- the end of the module -----------------------------------------------------------------

    def finish(self) -> None:
        """Settle what reached the module and fill in module-level context on the issues."""
        module = self.module
        seen: Set[int] = set()
        for use in module.pending:
            name = use.name
            known = name in BUILTINS or name in MODULE_DUNDERS
            if use.call is not None:
                if id(use.node) not in seen and not known and (
                    use.state == CLEARED or (module.first(name) and name not in self.global_writes)
                ):
                    seen.add(id(use.node))
                    self._call_issue(module, use, "called-too-early")
                continue
            if use.kind == "now" and not known and name not in self.global_writes:
                if self._settle_now(use):
                    continue
            if not use.runtime:
                if not module.bindings.get(name) and not known and name not in module.typing:
                    self._issue(use, "annotation", None)
                continue
            if use.global_first and name not in self.module_own and not known and self.global_writers[name] == {use.origin}:
                self._issue(use, "global-unbound", module.bindings[name][0])
                continue
            if module.bindings.get(name) or known:
                continue
            if name in module.typing:
                self._issue(use, "typing-only", module.typing[name])
                continue
            if use.via_class is not None:
                self._issue(use, "class-scope", binding(use.via_class[1], "class-body"), use.via_class[0])
                continue
            elsewhere = self.elsewhere.get(name)
            if elsewhere is not None:
                self._issue(use, "elsewhere", elsewhere[1], elsewhere[0])
            else:
                self._issue(use, "undefined", None)
        for issue in self.issues:
            if issue.kind in ("unbound-local", "called-too-early-local"):
                shadowed = module.first(issue.name)
                issue.shadows = shadowed.line if shadowed else None

    def _settle_now(self, use: Use) -> bool:
        """A module-level use runs now: flow-check it like a use in a function body. True when
        that settles it (reported, or bound on some path so not undefined)."""
        module, name, state = self.module, use.name, use.state
        if state in (CLEARED, RISKY, MAYBE):
            if name in module.reported:
                return True  # one finding per name, as in functions: the first use
            module.reported.add(name)
        if state == CLEARED and name in module.cleared:
            self._issue(use, "cleared", module.cleared[name])
            return True
        if state == RISKY:
            self._risky_issue(module, use)
            return True
        if state == MAYBE:
            self._issue(use, "possibly-unbound", module.last.get(name) or module.first(name))
            return True
        first = module.first(name)
        if first is not None:
            self._issue(use, "before-binding", first)
            return True
        return False
