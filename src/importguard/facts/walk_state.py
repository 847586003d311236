"""The state one walk over a module carries, shared by every part of the walker.

`FactWalker` is composed of one part per concern (calls, expressions, imports, exports,
statements, definitions, branches, `try`); each part is a mixin built on `WalkState`, and all of
them run in the same single traversal. This module holds what they share: where the walk is
(`Context`, the line, the scope stack), what it has found (`FileFacts`), and the few helpers
every part needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Set, Tuple, Union

import libcst as cst

from importguard.facts.bindings import BindingTracker, Flow, Scope
from importguard.facts.guards import NOTHING, Proven
from importguard.facts.model import (
    DynamicCall,
    Export,
    FileFacts,
    Handler,
    HandlerCalls,
    ImportFact,
    NameIssue,
)
from importguard.facts.parse_options import ParseOptions
from importguard.facts.positions import Anchor, PositionRequests
from importguard.facts.raises import Raises, union
from importguard.facts.shapes import dotted_name, last_part


@dataclass(frozen=True)
class Context:
    """Where the walk currently is, as far as imports care."""

    scope: str = "module"  # "module" | "class" | "function"
    function: Optional[str] = None
    qualname: str = ""  # qualified name prefix for nested definitions
    type_checking: bool = False
    guarded: bool = False
    guard_line: Optional[int] = None  # the innermost `try` that catches ImportError
    handlers: Tuple[Handler, ...] = ()  # enclosing handlers that are not ImportError-only
    in_finally: bool = False
    conditional: bool = False
    catches_name_error: bool = False  # in a `try` body whose handler catches NameError
    certain: bool = True  # every run of the enclosing function or module reaches this point
    handler_calls: Optional[HandlerCalls] = None  # the handler whose body this is (its calls are followed)
    script_only: bool = False  # under `if __name__ == "__main__":`
    proven: Proven = NOTHING  # names an existence test (`'x' in locals()`) proved bound here

    def but(self, **changes: Any) -> "Context":
        """A copy with `changes`, without `dataclasses.replace`'s re-validation (a walk makes one
        per block)."""
        assert changes.keys() <= self.__dict__.keys(), f"not fields of Context: {set(changes) - set(self.__dict__)}"
        copy = object.__new__(Context)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(changes)
        return copy


class CallSite:
    """Where the lazy position resolver writes a handler call's line and column: `[callee, line, column]`."""

    __slots__ = ("entry",)

    def __init__(self, entry: List[Any]) -> None:
        self.entry = entry

    @property
    def line(self) -> int:
        return self.entry[1]

    @line.setter
    def line(self, value: int) -> None:
        self.entry[1] = value

    @property
    def column(self) -> int:
        return self.entry[2]

    @column.setter
    def column(self, value: int) -> None:
        self.entry[2] = value


@dataclass
class TryBody:
    """What the statements of a `try` body run so far can raise, and what each binding followed."""

    scope: Scope
    raised: Raises = frozenset()
    current: Raises = frozenset()  # including the statement being walked
    # name -> (what may be raised before it is bound, index in `trail` of the binding statement)
    binds: Dict[str, Tuple[Raises, int]] = field(default_factory=dict)
    trail: List[Raises] = field(default_factory=list)  # what each statement walked so far can raise
    in_header: bool = False  # a compound statement's header (its last `trail` entry) is binding (`for x in`)

    def raised_after(self, index: int) -> Raises:
        """What the statements after the one at `index` can raise."""
        found: Raises = frozenset()
        for raised in self.trail[index + 1:]:
            found = union(found, raised)
            if found is None:
                break
        return found


@dataclass
class Loop:
    """The flow states that leave a loop early: `break` (out) and `continue` (back to the top)."""

    breaks: List[Flow]
    continues: List[Flow]


# Facts whose exact position the walk asks for, filled in once the module has been walked.
Placed = Union[ImportFact, DynamicCall, Export, CallSite, NameIssue]


class WalkState:
    """What every part of the walker reads and updates while it walks one module."""

    def __init__(self, module: cst.Module, options: ParseOptions) -> None:
        self.module = module
        self.type_checking_names = options.type_checking_names
        self.facts = FileFacts()
        self.line = 1
        self.indent: Tuple[str, ...] = ()
        self.context = Context()
        self.anchor = Anchor(module, 1, ())
        self.positions = PositionRequests()
        self._placements: List[Tuple[cst.CSTNode, Placed]] = []
        self.names = BindingTracker()
        self.loops: List[Loop] = []
        self.tries: List[TryBody] = []
        self.probing: Optional[Set[str]] = None  # names read in a `try` whose handler catches NameError
        self.deferred = False  # inside an annotation that is never evaluated at run time
        self.annotating = False  # strings are forward references here
        self.position_node: Optional[cst.CSTNode] = None  # the string a forward reference came from
        # PEP 563 (`from __future__ import annotations`) or PEP 649 (a 3.14+ target): annotations
        # are not evaluated when the code runs
        self.future_annotations = options.lazy_annotations
        self.exports: Optional[List[Tuple[str, cst.CSTNode, Anchor]]] = None
        self.exports_computed = False
        self.parameters: Dict[str, str] = {}  # function qualname -> its first positional parameter
        self.returns: Dict[str, List[str]] = {}  # function qualname -> the name each `return` gives, or ""
        self.lazy: Set[str] = set()  # generators and coroutines: no wrapper of a decorator

    def place(self, node: cst.CSTNode, fact: Placed) -> None:
        """Ask for the exact position of `node` and store it on `fact` at the end."""
        self.place_at(self.anchor, node, fact)

    def place_at(self, anchor: Anchor, node: cst.CSTNode, fact: Placed) -> None:
        self.positions.want(anchor, node)
        self._placements.append((node, fact))

    def runtime_now(self) -> bool:
        """True while walking code that runs at import time (module level or a class body)."""
        return (
            self.context.scope != "function" and not self.deferred and not self.context.type_checking
            and not self.context.script_only and self.position_node is None
        )

    @staticmethod
    def globals_call(node: cst.CSTNode) -> bool:
        """`globals()` or `vars()` without arguments: the module namespace itself."""
        return (
            isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Name)
            and node.func.value in ("globals", "vars")
        )

    def mark_dynamic_globals(self) -> None:
        if self.facts.dynamic_globals is None:
            self.facts.dynamic_globals = self.line

    def import_fact(self, kind: str, module: str, level: int, names: list, alias: Optional[str]) -> ImportFact:
        ctx = self.context
        fact = ImportFact(
            kind=kind, module=module, level=level, names=names, alias=alias, line=0, column=0,
            scope=ctx.scope, function=ctx.function, type_checking=ctx.type_checking,
            guarded=ctx.guarded, guard_line=ctx.guard_line if ctx.guarded else None,
            handler=ctx.handlers[-1] if ctx.handlers else None,
            in_finally=ctx.in_finally, conditional=ctx.conditional, script_only=ctx.script_only,
        )
        self.facts.imports.append(fact)
        return fact

    def in_context(self, body: Callable[[], None], **changes: Any) -> None:
        saved = self.context
        self.context = saved.but(**changes)
        try:
            body()
        finally:
            self.context = saved

    def type_checking_test(self, test: cst.BaseExpression) -> Optional[bool]:
        """True for `TYPE_CHECKING`, False for `not TYPE_CHECKING`, None otherwise."""
        negated = False
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            negated, test = True, test.expression
        name = dotted_name(test)
        if name is not None and last_part(name) in self.type_checking_names:
            return not negated
        return None

    @property
    def flow(self) -> Flow:
        return self.names.scope.flow

    @flow.setter
    def flow(self, value: Flow) -> None:
        self.names.scope.flow = value

    def branch(self, start: Flow, walk: Callable[[], None]) -> Flow:
        """Walk one path from `start` (copied); return the state at its end."""
        self.flow = dict(start) if start is not None else None
        walk()
        return self.flow
