"""One source-order walk over a libcst module that collects the per-file facts.

Statements are walked in order with explicit handlers (they carry the context: scope, handlers,
`TYPE_CHECKING`, ...); expressions are walked generically and iteratively (deeply nested
expressions must not overflow the stack). Line numbers come from counting newline tokens on the
way: order does not matter inside one statement, so a statement's newline count can be summed in
any order, and only statements need source order. Exact columns are resolved lazily for the few
nodes that need them (see `positions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import (
    Any,
    Callable,
    Dict,
    FrozenSet,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
    Type,
)

import libcst as cst
from libcst import MaybeSentinel

from importguard.facts.bindings import (
    BUILTINS,
    MAYBE,
    RISKY,
    BindingTracker,
    Flow,
    Scope,
    binding,
    merge,
)
from importguard.facts.decorators import decorator_name, find_wrappers, first_parameter
from importguard.facts.guards import (
    NOTHING,
    Proven,
    existence_tests,
    runs_at_least_once,
    TestKey,
)
from importguard.facts.known_calls import import_error_caught, never_returns
from importguard.facts.model import (
    LAZY_ANNOTATIONS,
    DynamicCall,
    Export,
    FileFacts,
    Handler,
    HandlerCalls,
    ImportFact,
    ModuleRebuild,
)
from importguard.facts.positions import Anchor, PositionRequests
from importguard.facts.raises import (
    BROAD,
    Raises,
    can_catch,
    catches,
    header_raises,
    statement_raises,
    union,
)
from importguard.facts.shapes import (
    REBUILDERS,
    caught_names,
    dotted_name,
    identifier,
    is_irrefutable,
    is_main_test,
    is_own_module_slot,
    is_true,
    last_part,
    literal_key,
    literal_strings,
    own_package_argument,
    rebuild_by_call,
    trailing_call,
    typing_call_kind,
)

IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
# A handler naming any of these catches the NameError/UnboundLocalError of a use in its `try`.
# Only a handler that names these marks an intended existence probe (`try: get_ipython()` /
# `except NameError:`). A broad handler (`except Exception`, bare `except:`) that catches a
# NameError is still the bug: the production incident was one, caught and logged.
NAME_ERRORS = frozenset({"NameError", "UnboundLocalError"})
GLOBALS_WRITERS = frozenset({"update", "setdefault", "__setitem__"})
CATCHES_IMPORT_ERROR = IMPORT_ERRORS | {"Exception", "BaseException"}
DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})


def newlines_in(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


_TEXT_NODES: Tuple[Type[cst.CSTNode], ...] = (
    cst.SimpleWhitespace,
    cst.SimpleString,
    cst.FormattedStringText,
)
if hasattr(cst, "TemplatedStringText"):  # libcst >= 1.8 (PEP 750 t-strings)
    _TEXT_NODES += (cst.TemplatedStringText,)

_CHILD_FIELDS: Dict[type, Tuple[str, ...]] = {}
# Fields that hold a `Name` which is not a load: attribute names, keywords, names being defined
# or bound (the statement handlers bind those themselves).
_NOT_LOADS: Dict[str, FrozenSet[str]] = {
    "Attribute": frozenset({"attr"}), "Arg": frozenset({"keyword"}),
    "ImportAlias": frozenset({"name", "asname"}), "ImportFrom": frozenset({"module"}),
    "AsName": frozenset({"name"}), "Param": frozenset({"name"}), "FunctionDef": frozenset({"name"}),
    "ClassDef": frozenset({"name"}), "NameItem": frozenset({"name"}),
    "MatchKeywordElement": frozenset({"key"}), "MatchAs": frozenset({"name"}),
    "MatchStar": frozenset({"name"}), "MatchMapping": frozenset({"rest"}),
    "TypeVar": frozenset({"name"}), "TypeVarTuple": frozenset({"name"}),
    "ParamSpec": frozenset({"name"}), "TypeAlias": frozenset({"name"}),
}


def child_fields(cls: type) -> Tuple[str, ...]:
    """Names of the fields of `cls` that can hold nodes (not plain strings or flags).

    Fields holding names that are not loads (see `_NOT_LOADS`) are left out: they contain no
    newlines, and the generic scan treats every `Name` it meets as a use.
    """
    names = _CHILD_FIELDS.get(cls)
    if names is None:
        skipped = _NOT_LOADS.get(cls.__name__, frozenset())
        names = tuple(
            name
            for name, spec in cls.__dataclass_fields__.items()
            if not name.startswith("__") and name not in skipped
            and ("libcst._nodes" in str(spec.type) or "ForwardRef(" in str(spec.type))
        )
        _CHILD_FIELDS[cls] = names
        _STACK_FIELDS[cls] = names[::-1]
    return names


def names_read(expression: cst.CSTNode) -> FrozenSet[str]:
    """Every plain name an expression reads (attribute names, keywords and parameters aside)."""
    found: Set[str] = set()
    stack = [expression]
    while stack:
        node = stack.pop()
        if node.__class__ is cst.Name:
            found.add(node.value)  # type: ignore[attr-defined]
            continue
        for name in child_fields(node.__class__):
            value = getattr(node, name)
            if value.__class__ is tuple or value.__class__ is list:
                stack.extend(value)
            elif value is not None and value.__class__ is not MaybeSentinel:
                stack.append(value)
    return frozenset(found)


# The same fields, last first: pushed on a stack, they pop in source (evaluation) order, which
# matters when a walrus binds a name that the rest of the expression uses.
_STACK_FIELDS: Dict[type, Tuple[str, ...]] = {}


_FIELDS_EXCEPT: Dict[Tuple[type, Tuple[str, ...]], Tuple[str, ...]] = {}


def fields_except(cls: type, handled: Tuple[str, ...]) -> Tuple[str, ...]:
    key = (cls, handled)
    found = _FIELDS_EXCEPT.get(key)
    if found is None:
        found = _FIELDS_EXCEPT[key] = tuple(f for f in child_fields(cls) if f not in handled)
    return found


def children(node: cst.CSTNode) -> List[cst.CSTNode]:
    """The direct child nodes of `node`, in field order (not source order)."""
    found: List[cst.CSTNode] = []
    for name in child_fields(type(node)):
        value = getattr(node, name)
        if value.__class__ is tuple or value.__class__ is list:
            found.extend(value)
        elif value is not None and value.__class__ is not MaybeSentinel:
            found.append(value)
    return found


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
    handler_calls: Optional[HandlerCalls] = None  # the handler whose body this is (for IG202)
    script_only: bool = False  # under `if __name__ == "__main__":`
    proven: Proven = NOTHING  # names an existence test (`'x' in locals()`) proved bound here

    def but(self, **changes: object) -> "Context":
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


class FactWalker:
    """Walks one module once and fills a `FileFacts`."""

    def __init__(self, module: cst.Module, type_checking_names: FrozenSet[str]) -> None:
        self.module = module
        self.type_checking_names = type_checking_names
        self.facts = FileFacts()
        self.line = 1
        self.indent: Tuple[str, ...] = ()
        self.context = Context()
        self.anchor = Anchor(module, 1, ())
        self.positions = PositionRequests()
        self._placements: List[Tuple[cst.CSTNode, object]] = []
        self.names = BindingTracker()
        self.loops: List[Loop] = []
        self.tries: List[TryBody] = []
        self.probing: Optional[Set[str]] = None  # names read in a `try` whose handler catches NameError
        self.deferred = False  # inside an annotation that is never evaluated at run time
        self.annotating = False  # strings are forward references here
        self.position_node: Optional[cst.CSTNode] = None  # the string a forward reference came from
        # PEP 563 (`from __future__ import annotations`) or PEP 649 (a 3.14+ target): annotations
        # are not evaluated when the code runs
        self.future_annotations = LAZY_ANNOTATIONS in type_checking_names
        self.exports: Optional[List[Tuple[str, cst.CSTNode, Anchor]]] = None
        self.exports_computed = False
        self.parameters: Dict[str, str] = {}  # function qualname -> its first positional parameter
        self.returns: Dict[str, List[str]] = {}  # function qualname -> the name each `return` gives, or ""
        self.lazy: Set[str] = set()  # generators and coroutines: no wrapper of a decorator

    # -- driver -------------------------------------------------------------------------------

    def run(self) -> FileFacts:
        self.line += self.count(self.module.header)
        self.walk_statements(self.module.body)
        self.names.finish()
        for use, issue in self.names.placements:
            self.place_at(use.anchor, use.node, issue)  # type: ignore[arg-type]
        self.finish_exports()
        resolved = self.positions.resolve(self.module)
        for node, fact in self._placements:
            fact.line, fact.column = resolved[id(node)]  # type: ignore[attr-defined]
        facts = self.facts
        facts.names = sorted(self.names.issues, key=lambda i: (i.line, i.column, i.kind, i.name))
        module = self.names.module
        facts.module_bindings = {name: lines[0].line for name, lines in sorted(module.bindings.items()) if lines}
        facts.typing_names = sorted(module.typing)
        facts.wrappers = find_wrappers(facts.functions, self.parameters, self.returns, facts.calls, facts.decorators, self.lazy)
        self.keep_resolvable_calls(set(module.bindings))
        # A module-level function rebound later (`from _warnings import warn` after `def warn`) is
        # not the function a call reaches at run time: leave it out of call resolution.
        # Functions nested in functions are never call targets IG202 can name: left out too.
        facts.functions = {
            name: line for name, line in facts.functions.items()
            if "<locals>" not in name and ("." in name or len(module.bindings.get(name, ())) == 1)
        }
        facts.decorators = {name: found for name, found in facts.decorators.items() if name in facts.functions}
        # a decorator is named by a module-level name or `module.name`, never by a method
        facts.wrappers = {name: kind for name, kind in facts.wrappers.items() if name in facts.functions and "." not in name}
        return facts

    def keep_resolvable_calls(self, module_names: Set[str]) -> None:
        """Only calls IG202 could follow: `self.method(...)`, or a callee whose first name the
        module binds or some import binds (`f`, `module.f`). Calls of locals, parameters and
        builtins are most calls, and no chain goes through them."""
        names = module_names | {
            alias or (fact.module.split(".")[0] if fact.kind == "import" else name)
            for fact in self.facts.imports for name, alias in (fact.names or [[None, fact.alias]])
        }

        def resolvable(callee: str) -> bool:
            head, _, rest = callee.partition(".")
            return ("." not in rest) if head in ("self", "cls") else head in names

        self.facts.calls = {
            function: kept for function, calls in self.facts.calls.items()
            if (kept := [call for call in calls if resolvable(call[0])])
        }
        for handler in self.facts.handlers:
            handler.calls = [call for call in handler.calls if resolvable(call[0])]
        self.facts.module_calls = [call for call in self.facts.module_calls if resolvable(call[0])]

    def place(self, node: cst.CSTNode, fact: object) -> None:
        """Ask for the exact position of `node` and store it on `fact` at the end."""
        self.place_at(self.anchor, node, fact)

    def place_at(self, anchor: Anchor, node: cst.CSTNode, fact: object) -> None:
        self.positions.want(anchor, node)
        self._placements.append((node, fact))

    def finish_exports(self) -> None:
        """`__all__` is known when every part of it is a literal; its literal entries are
        checked either way (`__all__ = other.__all__ + ["extra"]` checks `extra`)."""
        self.facts.exports_computed = self.exports_computed
        if self.exports is None:
            return
        module = self.names.module
        if not self.exports_computed:
            self.facts.exports = [name for name, _, _ in self.exports]
        for name, node, anchor in self.exports:
            if name not in module.bindings and name not in self.names.global_writes:
                export = Export(name=name, line=0, column=0)
                self.facts.unbound_exports.append(export)
                self.place_at(anchor, node, export)

    # -- names ----------------------------------------------------------------------------------

    def on_name(self, node: cst.Name) -> None:
        name = identifier(node.value)
        ctx = self.context
        if ctx.catches_name_error:
            if self.probing is not None:
                self.probing.add(name)
            return
        proven = ctx.proven
        if proven is not NOTHING and name in proven.local:
            return
        runtime = not (self.deferred or ctx.type_checking)
        self.names.use(name, self.anchor, self.position_node or node, self.line, runtime, ctx.certain,
                       proven is not NOTHING and name in proven.global_)

    def bind(self, name: str, kind: str, text: Optional[str] = None, target: Optional[str] = None) -> None:
        """Bind `name` at the current line (`kind`: see `model.BINDING_KINDS`)."""
        name = identifier(name)
        if self.tries and self.tries[-1].scope is self.names.scope:
            body = self.tries[-1]
            body.binds.setdefault(name, (body.current, len(body.trail) - 1 if body.in_header else len(body.trail)))
        self.names.bind(name, binding(self.line, kind, text, target), typing_only=self.context.type_checking)

    def scan_store(self, node: cst.CSTNode, kind: str) -> int:
        """A target being assigned: names are bound, attribute and subscript parts are loads."""
        cls = node.__class__
        if cls is cst.Name:
            self.bind(node.value, kind)  # type: ignore[attr-defined]
            return self.scan_rest(node, ())
        if cls is cst.Tuple or cls is cst.List:
            newlines = self.scan_rest(node, ("elements",))
            for element in node.elements:  # type: ignore[attr-defined]
                newlines += self.scan_store(element.value, kind) + self.scan_rest(element, ("value",))
            return newlines
        if cls is cst.StarredElement:
            return self.scan_store(node.value, kind) + self.scan_rest(node, ("value",))  # type: ignore[attr-defined]
        if cls is cst.Subscript and self.globals_call(node.value):  # type: ignore[attr-defined]
            key = literal_key(node)  # type: ignore[arg-type]
            if key is None:
                self.mark_dynamic_globals()
            else:
                self.names.bind_global(key, binding(self.line, "globals-write"))
        return self.scan(node)

    def scan_delete(self, node: cst.CSTNode) -> int:
        cls = node.__class__
        if cls is cst.Name:
            self.on_name(node)  # type: ignore[arg-type]
            self.names.clear(node.value, "del", self.line)  # type: ignore[attr-defined]
            return self.scan_rest(node, ())
        if cls is cst.Tuple or cls is cst.List:
            newlines = self.scan_rest(node, ("elements",))
            for element in node.elements:  # type: ignore[attr-defined]
                newlines += self.scan_delete(element.value) + self.scan_rest(element, ("value",))
            return newlines
        return self.scan(node)

    def scan_rest(self, node: cst.CSTNode, handled: Tuple[str, ...]) -> int:
        """Scan the fields of `node` that the caller does not handle itself."""
        newlines = 0
        for name in fields_except(type(node), handled):
            value = getattr(node, name)
            if value.__class__ is tuple or value.__class__ is list:
                newlines += self.count(value)
            elif value is not None and value.__class__ is not MaybeSentinel:
                newlines += self.scan(value)
        return newlines

    def scan_annotation(self, node: Optional[cst.CSTNode], deferred: bool) -> int:
        if node is None:
            return 0
        saved = self.deferred, self.annotating
        self.deferred = saved[0] or deferred
        self.annotating = True
        try:
            return self.scan(node)
        finally:
            self.deferred, self.annotating = saved

    def on_string_annotation(self, node: cst.SimpleString) -> None:
        """A forward reference: parse the string and check its names, as type checkers do."""
        if self.position_node is not None:
            return
        try:
            value = node.evaluated_value
            expression = cst.parse_expression(value.strip()) if isinstance(value, str) else None
        except Exception:  # not an expression: a type checker's problem, not a NameError
            return
        if expression is None:
            return
        saved = self.deferred
        self.deferred, self.position_node = True, node
        try:
            self.scan(expression)
        finally:
            self.deferred, self.position_node = saved, None

    def scan_subscript_annotation(self, node: cst.Subscript) -> int:
        """`Literal[...]` holds values, not types; in `Annotated[T, ...]` only `T` is a type."""
        callee = dotted_name(node.value) or ""
        kind = last_part(callee)
        if kind not in ("Literal", "Annotated"):
            return self.scan_rest(node, ())
        newlines = self.scan(node.value) + self.scan_rest(node, ("value", "slice"))
        for index, element in enumerate(node.slice):
            self.annotating = kind == "Annotated" and index == 0
            try:
                newlines += self.scan(element)
            finally:
                self.annotating = True
        return newlines

    def scan_typing_call(self, call: cst.Call) -> int:
        """`cast('Foo', x)`, `TypeVar('T', bound='Foo')`, `NewType('N', 'Foo')`: the type
        arguments are annotations (strings in them are forward references); the first argument of
        `TypeVar('T')`, `NewType`, `namedtuple`, `TypedDict`, `ParamSpec` is a name, never a type."""
        kind = typing_call_kind(call)
        saved = self.annotating
        newlines = self.scan_rest(call, ("args",))
        try:
            for position, arg in enumerate(call.args):
                keyword = arg.keyword.value if arg.keyword is not None else None
                if kind == "cast":
                    self.annotating = position == 0 and keyword is None or keyword == "typ"
                else:  # a factory: its first argument names what it makes
                    self.annotating = keyword in ("bound", "default") or (
                        keyword is None and position > 0 and kind in ("TypeVar", "NewType")
                    )
                newlines += self.scan(arg)
        finally:
            self.annotating = saved
        return newlines

    def scan_walrus(self, node: cst.NamedExpr) -> int:
        newlines = self.scan(node.value) + self.scan_rest(node, ("target", "value"))
        if isinstance(node.target, cst.Name):
            name = node.target.value
            scope = self.names.scope
            if scope.kind == "comprehension":
                self.names.bind(name, binding(self.line, "walrus"))
                while scope.kind == "comprehension" and scope.parent is not None:
                    scope = scope.parent  # binds in the enclosing function or module
            self.names.bind(name, binding(self.line, "walrus"), self.context.type_checking, scope)
        return newlines

    def scan_conditional(self, node: cst.CSTNode) -> int:
        """`a and b`, `a or b`, `b if a else c`: what `a` proves bound holds where `b` (and `c`) runs."""
        is_if = node.__class__ is cst.IfExp
        test = node.test if is_if else node.left  # type: ignore[attr-defined]
        skipped = self.skipped_at_run_time(node, test, is_if)
        if skipped is not None:
            newlines = self.scan_rest(node, (skipped,))
            saved, self.context = self.context, self.context.but(type_checking=True)
            try:
                return newlines + self.scan(getattr(node, skipped))
            finally:
                self.context = saved
        when_true, when_false = existence_tests(test, self.names.scope.kind != "function")
        if not (when_true or when_false):
            return self.scan_rest(node, ())
        ctx = self.context
        newlines = self.scan(test)
        if is_if:
            newlines += self.scan_proven(node.body, ctx, when_true) + self.scan_proven(node.orelse, ctx, when_false)  # type: ignore[attr-defined]
            return newlines + self.scan_rest(node, ("test", "body", "orelse"))
        right = when_true if node.operator.__class__ is cst.And else when_false  # type: ignore[attr-defined]
        return newlines + self.scan_proven(node.right, ctx, right) + self.scan_rest(node, ("left", "right"))  # type: ignore[attr-defined]

    def skipped_at_run_time(self, node: cst.CSTNode, test: cst.CSTNode, is_if: bool) -> Optional[str]:
        """The field of `a and b`/`a or b`/`b if a else c` that never runs because `a` is
        `TYPE_CHECKING` (False at run time): `b` of `TYPE_CHECKING and b`, `not TYPE_CHECKING or b`
        and `b if TYPE_CHECKING else c`; `c` of `b if not TYPE_CHECKING else c`. (`TYPE_CHECKING
        or b` does evaluate `b`.) Type checkers read that part as if `TYPE_CHECKING` were True."""
        value = self.run_time_value(test)
        if value is None:
            return None
        if is_if:
            return "body" if value is False else "orelse"
        is_and = node.operator.__class__ is cst.And  # type: ignore[attr-defined]
        return "right" if value is not is_and else None

    def run_time_value(self, test: cst.CSTNode, depth: int = 0) -> Optional[bool]:
        """What `test` evaluates to at run time when `TYPE_CHECKING` decides it, else None:
        `TYPE_CHECKING and x` is False, `not TYPE_CHECKING or x` True."""
        if test.__class__ is cst.BooleanOperation and depth < 20:
            left = self.run_time_value(test.left, depth + 1)  # type: ignore[attr-defined]
            is_and = test.operator.__class__ is cst.And  # type: ignore[attr-defined]
            return left if left is not None and left is not is_and else None
        typing = self.type_checking_test(test)  # type: ignore[arg-type]
        return None if typing is None else not typing

    def scan_proven(self, node: cst.CSTNode, ctx: Context, proven: Proven) -> int:
        if not proven:
            return self.scan(node)
        self.context = ctx.but(proven=ctx.proven | proven)
        try:
            return self.scan(node)
        finally:
            self.context = ctx

    def scan_comprehension(self, node: cst.CSTNode) -> int:
        """The first iterable runs in the enclosing scope; the rest in the comprehension's own."""
        comp = node.for_in  # type: ignore[attr-defined]
        newlines = self.scan(comp.iter)
        self.names.open("comprehension", "", self.names.scope.where)
        first = True
        while comp is not None:
            if not first:
                newlines += self.scan(comp.iter)
            newlines += self.scan_store(comp.target, "comprehension")
            for condition in comp.ifs:
                newlines += self.scan(condition)
            newlines += self.scan_rest(comp, ("iter", "target", "ifs", "inner_for_in"))
            comp, first = comp.inner_for_in, False
        newlines += self.scan_rest(node, ("for_in",))
        self.names.close()
        return newlines

    def scan_lambda(self, node: cst.Lambda) -> int:
        """A lambda's defaults run now; its body runs later, like a function's."""
        newlines = self.scan_parameters(node.params, annotations=False)
        newlines += self.scan_rest(node, ("params", "body"))
        saved = self.context
        self.context = saved.but(
            scope="function", function=saved.function or "<lambda>", handlers=(),
            guarded=False, in_finally=False, conditional=False, catches_name_error=False, handler_calls=None,
            certain=True,
        )
        self.names.open("function", "<lambda>", saved.function or "<lambda>")
        self.bind_parameters(node.params)
        try:
            return newlines + self.scan(node.body)
        finally:
            self.names.close()
            self.context = saved

    def scan_parameters(self, params: cst.Parameters, annotations: bool) -> int:
        """Defaults (and annotations) are evaluated where the function is defined."""
        newlines = 0
        for child in children(params):
            if isinstance(child, cst.Param):
                newlines += self.scan_rest(child, ("annotation",))
                if annotations:
                    newlines += self.scan_annotation(child.annotation, self.future_annotations)
                elif child.annotation is not None:
                    newlines += self.scan(child.annotation)
            else:
                newlines += self.scan(child)
        return newlines

    def bind_parameters(self, params: cst.Parameters) -> None:
        for child in children(params):
            if isinstance(child, cst.Param):
                self.bind(child.name.value, "parameter")

    # -- expressions: generic, iterative, newline-counting --------------------------------------

    def count(self, nodes: Sequence[cst.CSTNode]) -> int:
        return sum(self.scan(node) for node in nodes)

    def scan(self, root: cst.CSTNode) -> int:
        """Visit every node below `root`, record uses and calls, return its newline count.

        The hot loop of the whole tool: it classifies by exact type (libcst's classes are ABCs,
        so `isinstance` is slow) and counts whitespace in place instead of visiting it.
        """
        newlines = 0
        stack: List[cst.CSTNode] = [root]
        fields_of = _STACK_FIELDS
        special = _SPECIAL_EXPRESSIONS
        while stack:
            node = stack.pop()
            cls = node.__class__
            if cls is cst.Name:
                self.on_name(node)  # type: ignore[arg-type]
                if node.lpar:  # type: ignore[attr-defined]
                    stack.extend(node.lpar)  # type: ignore[attr-defined]
                    stack.extend(node.rpar)  # type: ignore[attr-defined]
                continue
            if cls is cst.Newline:
                newlines += 1
                continue
            if cls in _TEXT_NODES:
                if cls is cst.SimpleString and self.annotating:
                    self.on_string_annotation(node)  # type: ignore[arg-type]
                newlines += newlines_in(node.value)  # type: ignore[attr-defined]
            elif cls is cst.Call:
                self.on_call(node)  # type: ignore[arg-type]
                if typing_call_kind(node) is not None:  # type: ignore[arg-type]
                    newlines += self.scan_typing_call(node)  # type: ignore[arg-type]
                    continue
            elif cls is cst.Attribute:
                if node.value.__class__ is cst.Name:  # type: ignore[attr-defined]
                    self.on_attribute(node)  # type: ignore[arg-type]
            elif cls in special:
                newlines += special[cls](self, node)
                continue
            elif cls is cst.Subscript and self.annotating:
                newlines += self.scan_subscript_annotation(node)  # type: ignore[arg-type]
                continue
            fields = fields_of.get(cls)
            if fields is None:
                child_fields(cls)
                fields = fields_of[cls]
            for name in fields:
                value = getattr(node, name)
                value_cls = value.__class__
                if value_cls is tuple or value_cls is list:
                    stack.extend(reversed(value))
                elif value_cls is cst.SimpleWhitespace:
                    if "\\" in value.value:  # a backslash continuation
                        newlines += newlines_in(value.value)
                elif value is not None and value_cls is not MaybeSentinel:
                    stack.append(value)
        return newlines

    def on_call(self, call: cst.Call) -> None:
        if self.position_node is not None:
            return  # inside a forward-reference string: nothing runs
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in GLOBALS_WRITERS and self.globals_call(func.value):
            self.mark_dynamic_globals()
        if isinstance(func, cst.Name):
            self.names.called(func.value, self.line)
            if func.value == "setattr" and len(call.args) == 3 and not any(a.star or a.keyword for a in call.args):
                key = call.args[1].value
                if isinstance(key, cst.SimpleString) and isinstance(key.evaluated_value, str):
                    self.note_attribute_write(call.args[0].value, key.evaluated_value)
        callee = dotted_name(func)
        if callee is not None and callee.count(".") < 3 and callee not in BUILTINS:
            self.record_call(callee, call)
        if callee is not None and self.runtime_now() and REBUILDERS.search(last_part(callee)) and any(
            isinstance(arg.value, cst.Name) and arg.value.value == "__name__" for arg in call.args
        ):
            self.facts.rebuilds.append(rebuild_by_call(callee, call, self.line))
        if callee == "exec" and (self.context.scope == "module" or self.execs_into_globals(call)):
            self.mark_dynamic_globals()
        if callee is None or last_part(callee) not in DYNAMIC_IMPORTERS:
            return
        if "." in callee and callee != "importlib.import_module":
            return
        if "." not in callee and self.origin(callee) not in ("importlib.import_module", "__import__"):
            return  # another library's `import_module` (sympy's returns None when it fails)
        target = None
        if call.args and call.args[0].keyword is None and call.args[0].star == "":
            first = call.args[0].value
            if isinstance(first, (cst.SimpleString, cst.ConcatenatedString)):
                value = first.evaluated_value
                target = value if isinstance(value, str) else None
        ctx = self.context
        if target is None or (target.startswith(".") and not own_package_argument(call)):
            # A relative name is resolved against the `package` argument: unknown unless it is
            # this module's own `__package__`.
            fact = DynamicCall(callee=callee, line=0, column=0, function=ctx.function)
            self.facts.dynamic_calls.append(fact)
        else:
            stripped = target.lstrip(".")
            fact = self.import_fact("dynamic", stripped, len(target) - len(stripped), [], None)
        self.place(call, fact)

    def execs_into_globals(self, call: cst.Call) -> bool:
        """`exec(code, globals())` binds in the module namespace; with a separate locals mapping
        (`exec(code, globals(), ns)`) the code's own bindings go to that mapping instead."""
        args = [arg.value for arg in call.args]
        names_go_to = args[2] if len(args) >= 3 else args[1] if len(args) == 2 else None
        return names_go_to is not None and self.globals_call(names_go_to)

    def record_call(self, callee: str, call: cst.Call) -> None:
        """Calls of named functions, per function and per `except` handler (IG202 follows them
        and reports the call's exact column)."""
        ctx = self.context
        if ctx.handler_calls is not None:
            entry = [callee, self.line, 1]
            ctx.handler_calls.calls.append(entry)
            self.place(call, CallSite(entry))
        if ctx.function is not None and ctx.function != "<lambda>":
            self.facts.calls.setdefault(ctx.function, []).append([callee, self.line])
        elif ctx.function is None and self.runtime_now() and not ctx.type_checking:
            self.facts.module_calls.append([callee, self.line])  # runs while the module is imported

    def on_attribute(self, node: cst.Attribute) -> None:
        """`module.name` read while the module is being imported (IG306 checks it is bound)."""
        base = node.value
        if self.runtime_now():
            last = self.names.module.last.get(base.value)  # type: ignore[attr-defined]
            if last is not None and last.is_import:
                self.facts.attribute_uses.append([base.value, node.attr.value, self.line])  # type: ignore[attr-defined]

    def origin(self, name: str) -> Optional[str]:
        """What `name` refers to here: the dotted target of the import that bound it (`_sys` ->
        `sys`, `exit` -> `sys.exit`), the name itself when no enclosing scope binds it (a
        builtin), None for any other binding (a parameter, an assignment, a `def`)."""
        current = scope = self.names.scope
        while scope is not None:
            found = scope.bindings.get(name) if scope is current or scope.kind != "class" else None
            if found:
                return scope.last.get(name, found[-1]).target
            scope = scope.parent
        return name

    def note_attribute_write(self, base: cst.CSTNode, name: str) -> None:
        """`mod.name = …` at module level, where an import binds `mod`: once this module has run,
        `name` is bound in that other module (`project.injections` decides when that counts)."""
        if self.names.scope is not self.names.module or not self.runtime_now():
            return
        dotted = dotted_name(base)
        last = self.names.module.last.get(dotted.split(".")[0]) if dotted else None
        if last is not None and last.is_import:
            self.facts.attribute_writes.append([dotted, name, self.line, self.context.conditional])

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

    # -- statements -----------------------------------------------------------------------------

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

    def walk_statements(self, statements: Sequence[cst.CSTNode]) -> None:
        for statement in statements:
            handler = self._STATEMENTS.get(type(statement))
            if handler is None:
                raise TypeError(f"unhandled statement node {type(statement).__name__}")
            body = self.tries[-1] if self.tries and handler is not FactWalker.walk_simple_line else None
            if body is not None and body.scope is self.names.scope:
                header = header_raises(statement)
                body.raised = body.current = union(body.raised, header)
                body.trail.append(header)
                body.in_header = True  # until its first nested statement
                handler(self, statement)
                if header is None:
                    body.raised = body.current = None  # what a `with` or nested `try` raised is not tracked
            else:
                handler(self, statement)

    def walk_simple_line(self, node: cst.SimpleStatementLine) -> None:
        self.anchor = Anchor(node, self.line, self.indent)
        self.line += self.count(node.leading_lines)
        newlines = self.walk_small_statements(node.body)
        self.line += newlines + self.scan(node.trailing_whitespace)

    def walk_small_statements(self, statements: Sequence[cst.BaseSmallStatement]) -> int:
        newlines = 0
        for statement in statements:
            body = self.tries[-1] if self.tries and self.tries[-1].scope is self.names.scope else None
            if body is not None:
                own = statement_raises(statement)
                body.current = union(body.raised, own)
                body.in_header = False
            small = self._SMALL_STATEMENTS.get(type(statement))
            newlines += small(self, statement) if small is not None else self.scan(statement)
            if body is not None:
                body.raised = body.current
                body.trail.append(own)
        return newlines

    def small_import(self, statement: cst.Import) -> int:
        for alias in statement.names:
            target = dotted_name(alias.name) or ""
            asname = alias.asname and dotted_name(alias.asname.name)
            self.place(statement, self.import_fact("import", target, 0, [], asname))
            bound = asname or target.split(".")[0]
            text = f"`import {target}" + (f" as {asname}`" if asname else "`")
            self.bind(bound, "import", text, target if asname else bound)
        return self.scan(statement)

    def small_import_from(self, statement: cst.ImportFrom) -> int:
        module = (dotted_name(statement.module) if statement.module else "") or ""
        source = "." * len(statement.relative) + module
        if isinstance(statement.names, cst.ImportStar):
            names: list = [["*", None]]
        else:
            names = [[dotted_name(a.name), a.asname and dotted_name(a.asname.name)] for a in statement.names]
            for name, asname in names:
                self.bind(asname or name, "import", f"`from {source} import {name}`", f"{source}.{name}")
            if module == "__future__" and any(name == "annotations" for name, _ in names):
                self.future_annotations = True
        self.place(statement, self.import_fact("from", module, len(statement.relative), names, None))
        return self.scan(statement)

    def small_assign(self, statement: cst.Assign) -> int:
        if self.globals_call(statement.value) and self.names.scope is self.names.module:
            self.mark_dynamic_globals()  # `namespace = globals()` at module level: writes through an alias
        if self.runtime_now() and any(is_own_module_slot(t.target) for t in statement.targets):
            replacement = dotted_name(statement.value)
            self.facts.rebuilds.append(ModuleRebuild(
                line=self.line, how=f"`sys.modules[__name__] = {replacement or '…'}`",
                replacement=replacement, open_ended=replacement is None,
            ))
        newlines = self.scan(statement.value)
        for target in statement.targets:
            if target.target.__class__ is cst.Attribute:
                self.note_attribute_write(target.target.value, target.target.attr.value)  # type: ignore[attr-defined]
            newlines += self.scan_store(target.target, "assignment") + self.scan_rest(target, ("target",))
            if isinstance(target.target, cst.Name) and target.target.value == "__all__":
                self.note_exports(statement.value, replace_all=True)
        return newlines + self.scan_rest(statement, ("targets", "value"))

    def small_aug_assign(self, statement: cst.AugAssign) -> int:
        target = statement.target
        newlines = self.scan(target) if isinstance(target, cst.Name) else 0
        newlines += self.scan(statement.value)
        if isinstance(target, cst.Name):
            self.bind(target.value, "augmented-assignment")
            if target.value == "__all__":
                self.note_exports(statement.value, replace_all=False)
        else:
            newlines += self.scan(target)
        return newlines + self.scan_rest(statement, ("target", "value"))

    def small_ann_assign(self, statement: cst.AnnAssign) -> int:
        scope = self.names.scope
        deferred = self.future_annotations or scope.kind == "function"  # local annotations never run
        newlines = self.scan_rest(statement, ("target", "annotation", "value"))
        newlines += self.scan_annotation(statement.annotation, deferred)
        target = statement.target
        if statement.value is not None:
            newlines += self.scan(statement.value) + self.scan_store(target, "annotated-assignment")
            if isinstance(target, cst.Name) and target.value == "__all__":
                self.note_exports(statement.value, replace_all=True)
        elif isinstance(target, cst.Name):
            self.names.declare(target.value)
        else:
            newlines += self.scan(target)
        return newlines

    def small_del(self, statement: cst.Del) -> int:
        return self.scan_delete(statement.target) + self.scan_rest(statement, ("target",))

    def small_expr(self, statement: cst.Expr) -> int:
        value = statement.value
        if isinstance(value, cst.Call) and never_returns(value, self.origin, self.facts.imports):
            return self.small_exit(statement)
        if (
            isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
            and isinstance(value.func.value, cst.Name) and value.func.value.value == "__all__"
            and self.names.scope is self.names.module
        ):
            method = value.func.attr.value
            if method in ("extend", "append") and len(value.args) == 1:
                self.note_exports(value.args[0].value, replace_all=False)
            elif method not in ("remove", "sort"):
                self.exports_computed = True
        return self.scan(statement)

    def small_scope_declaration(self, statement: cst.CSTNode) -> int:
        scope = self.names.scope
        declared = scope.globals if isinstance(statement, cst.Global) else scope.nonlocals
        for item in statement.names:  # type: ignore[attr-defined]
            declared.add(item.name.value)
        return self.scan(statement)

    def small_exit(self, statement: cst.CSTNode) -> int:
        """`return`/`raise`: nothing after it in the block runs."""
        newlines = self.scan(statement)
        scope = self.names.scope
        scope.flow = None
        scope.returns = scope.returns or isinstance(statement, cst.Return)
        function = self.context.function
        if isinstance(statement, cst.Return) and function is not None:
            given = statement.value.value if isinstance(statement.value, cst.Name) else ""
            self.returns.setdefault(function, []).append(given)
        if not self.context.certain:
            scope.exits = True
        return newlines

    def small_loop_exit(self, statement: cst.CSTNode) -> int:
        """`break`/`continue`: the current state leaves the loop (or goes back to its top)."""
        if self.loops:
            loop = self.loops[-1]
            (loop.breaks if isinstance(statement, cst.Break) else loop.continues).append(self.names.scope.flow)
        self.names.scope.flow = None
        return self.scan(statement)

    def small_type_alias(self, statement: cst.CSTNode) -> int:
        """`type X[T] = value` binds X now; the value is evaluated lazily, like a function body."""
        newlines = self.scan_rest(statement, ("value", "type_parameters"))
        name = statement.name.value  # type: ignore[attr-defined]
        self.bind(name, "type-alias")
        self.names.open("function", name, self.names.scope.where)
        newlines += self.scan_type_parameters(statement.type_parameters)  # type: ignore[attr-defined]
        saved, self.context = self.context, self.context.but(catches_name_error=False)
        try:
            newlines += self.scan(statement.value)  # type: ignore[attr-defined]
        finally:
            self.context = saved
            self.names.close()
        return newlines

    def note_exports(self, value: cst.CSTNode, replace_all: bool) -> None:
        if self.names.scope is not self.names.module:
            return
        parts = [value]
        strings: List[Tuple[str, cst.CSTNode]] = []
        while parts:  # `["a"] + other.__all__ + ["b"]`: the literal parts are checked
            part = parts.pop()
            if isinstance(part, cst.BinaryOperation) and isinstance(part.operator, cst.Add):
                parts += [part.right, part.left]
                continue
            found = literal_strings(part)
            if found is None:
                self.exports_computed = True
            else:
                strings += found
        listed = [(name, node, self.anchor) for name, node in strings]
        self.exports = listed if replace_all or self.exports is None else self.exports + listed

    def walk_block(self, block: cst.BaseSuite) -> None:
        if isinstance(block, cst.SimpleStatementSuite):
            self.line += self.scan(block.leading_whitespace)
            newlines = self.walk_small_statements(block.body)
            self.line += newlines + self.scan(block.trailing_whitespace)
            return
        assert isinstance(block, cst.IndentedBlock)
        self.line += self.scan(block.header)
        saved = self.indent
        self.indent = saved + (block.indent if block.indent is not None else self.module.default_indent,)
        self.walk_statements(block.body)
        self.indent = saved
        self.line += self.count(block.footer)

    def enter_clause(self, node: cst.CSTNode, is_elif: bool = False) -> None:
        """Start a compound statement's clause: anchor it, count its leading lines, decorators."""
        self.anchor = Anchor(node, self.line, self.indent, is_elif)
        self.line += self.count(getattr(node, "leading_lines", ()))
        for decorator in getattr(node, "decorators", ()):
            self.line += self.scan(decorator)
        self.line += self.count(getattr(node, "lines_after_decorators", ()))

    def header(self, node: cst.CSTNode, handled: Tuple[str, ...] = ()) -> None:
        """Scan a clause's header fields (the ones the caller does not handle) as loads."""
        self.line += self.scan_rest(node, _NOT_HEADER_FIELDS + handled)

    def in_context(self, body: Callable[[], None], **changes: object) -> None:
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

    # -- flow helpers ---------------------------------------------------------------------------

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

    # -- compound statements --------------------------------------------------------------------

    def walk_if(self, node: cst.If, is_elif: bool = False) -> None:
        self.enter_clause(node, is_elif)
        self.header(node)
        typing = self.type_checking_test(node.test)
        ctx = self.context
        before = self.flow
        when_true, when_false = existence_tests(node.test, self.names.scope.kind != "function")
        body_start, else_start, key, read = self.refine_by_test(node.test, before, when_true.local, when_false.local)
        self.names.start_region()
        body_end = self.branch(body_start, lambda: self.in_context(
            lambda: self.walk_block(node.body),
            conditional=ctx.conditional or typing is None, certain=False,
            type_checking=ctx.type_checking or typing is True,
            script_only=ctx.script_only or is_main_test(node.test),
            proven=ctx.proven | when_true if when_true else ctx.proven,
        ))
        bound, _ = self.names.end_region()
        if typing is None:
            self.names.scope.tests[key] = (read, bound)
        orelse = node.orelse
        changes = dict(
            conditional=True if typing is None else ctx.conditional, certain=False,
            type_checking=ctx.type_checking or typing is False,
            proven=ctx.proven | when_false if when_false else ctx.proven,
        )
        if orelse is None:
            else_end = else_start
        elif isinstance(orelse, cst.If):
            else_end = self.branch(else_start, lambda: self.in_context(lambda: self.walk_if(orelse, is_elif=True), **changes))
        else:
            else_end = self.branch(else_start, lambda: self.in_context(lambda: self.walk_else(orelse), **changes))
        if typing is True:
            self.flow = else_end  # the `if TYPE_CHECKING:` body never runs
        elif typing is False:
            self.flow = body_end
        else:
            self.flow = merge([body_end, else_end])

    def refine_by_test(self, test: cst.BaseExpression, before: Flow, body_names: FrozenSet[str],
                       else_names: FrozenSet[str]) -> Tuple[Flow, Flow, TestKey, FrozenSet[str]]:
        """The states in which the body and the `else` of `if test:` start (see `guards`)."""
        scope = self.names.scope
        # A class body tests the module's flags (`if HAVE_X:` around `dispatch[X] = ...`).
        outer = self.names.module if scope.kind == "class" else None
        flagged: Set[str] = set()
        read = names_read(test)
        for owner in (scope, outer):
            if owner is not None and owner.flags:
                for name in read:
                    flagged |= owner.flags.get(name, set())
        key = TestKey(test, self.module, read)
        same = scope.tests[key][1] if key in scope.tests else set()
        tracker = self.names
        module_flow = outer.flow if outer is not None else None
        return (
            tracker.assume_bound(before, flagged | body_names | same, module_flow),
            tracker.assume_bound(before, flagged | else_names, module_flow),
            key, read,
        )

    def walk_else(self, node: cst.Else) -> None:
        self.enter_clause(node)
        self.header(node)
        self.walk_block(node.body)

    def walk_loop(self, node: cst.CSTNode) -> None:
        self.enter_clause(node)
        is_for = isinstance(node, cst.For)
        self.header(node, ("target",) if is_for else ())
        endless = not is_for and is_true(node.test)  # type: ignore[attr-defined]
        before = self.flow
        scope = self.names.scope
        start = len(scope.pending)
        self.flow = dict(before) if before is not None else None
        if is_for:
            self.line += self.scan_store(node.target, "for")  # type: ignore[attr-defined]
        loop = Loop([], [])
        self.loops.append(loop)
        self.names.start_region()
        self.in_context(lambda: self.walk_block(node.body), conditional=True, certain=False)  # type: ignore[attr-defined]
        bound, _ = self.names.end_region()
        self.loops.pop()
        body_end = merge([self.flow, *loop.continues])
        self.names.forget_loop_carried(start, bound)
        if endless:
            done = None
        elif is_for and runs_at_least_once(node.iter):  # type: ignore[attr-defined]
            done = body_end
        else:
            done = merge([before, body_end])
        orelse = node.orelse  # type: ignore[attr-defined]
        if orelse is not None:
            done = self.branch(done, lambda: self.in_context(lambda: self.walk_else(orelse), conditional=True, certain=False))
        self.flow = merge([done, *(self.names.carried_into(b, bound, body_end) for b in loop.breaks)])

    def walk_with(self, node: cst.With) -> None:
        self.enter_clause(node)
        line = self.line
        self.header(node, ("items",))
        # `with pytest.raises(ImportError):` expects its imports to fail, as `except ImportError:` does
        caught = {import_error_caught(item.item, self.origin) for item in node.items} - {None}
        guard = {"guarded": True, "guard_line": line} if caught and not self.context.guarded else {}
        for item in node.items:
            self.line += self.scan(item.item) + self.scan_rest(item, ("item", "asname"))
            if item.asname is not None:
                self.line += self.scan_store(item.asname.name, "with") + self.scan_rest(item.asname, ())
        start = len(self.facts.imports)
        self.in_context(lambda: self.walk_block(node.body), conditional=True, **guard)
        if guard and caught == {"ModuleNotFoundError"}:
            for fact in self.facts.imports[start:]:
                fact.guard_module_only = fact.guard_line == line

    def walk_try(self, node: cst.CSTNode) -> None:
        self.enter_clause(node)
        line = self.line
        self.header(node)
        handlers = node.handlers  # type: ignore[attr-defined]
        caught = [last_part(n) for h in handlers for n in caught_names(h.type)]
        guarded = any(h.type is None for h in handlers) or bool(CATCHES_IMPORT_ERROR & set(caught))
        probe = bool(NAME_ERRORS & set(caught))
        ctx = self.context
        scope = self.names.scope
        before = self.flow
        saved_probing = self.probing
        self.probing = set() if probe else saved_probing
        self.tries.append(TryBody(scope))
        self.names.start_region()
        body_end = self.branch(before, lambda: self.in_context(
            lambda: self.walk_block(node.body),  # type: ignore[attr-defined]
            guarded=ctx.guarded or guarded, guard_line=line if guarded else ctx.guard_line, conditional=True, certain=False,
            catches_name_error=ctx.catches_name_error or probe,
        ))
        bound, cleared = self.names.end_region()
        try_body = self.tries.pop()
        probed = self.probing
        self.probing = saved_probing
        if probed and saved_probing is not None:
            saved_probing |= probed
        failed = self.names.failure_state(before, bound, cleared, line)
        self.names.start_region()
        ends = [
            self.branch(failed, lambda: self.walk_handler(handler, try_body, [n for h in handlers[:k] for n in caught_names(h.type)]))
            for k, handler in enumerate(handlers)
        ]
        handler_bound, _ = self.names.end_region()
        if probe and probed and all(
            end is None for handler, end in zip(handlers, ends)
            if NAME_ERRORS & {last_part(n) for n in caught_names(handler.type)}
        ):
            scope.probed |= probed  # `try: get_ipython` / `except NameError: return`: bound from here on
        together = bound | handler_bound
        if 1 < len(together) < 64:
            for name in together:
                scope.flags[name] = together  # `HAS_X = True` in the body, `= False` in the handler
        if node.orelse is not None:  # type: ignore[attr-defined]
            body_end = self.branch(body_end, lambda: self.in_context(
                lambda: self.walk_else(node.orelse), conditional=True, certain=False))  # type: ignore[attr-defined]
        done = merge([body_end, *ends])
        scope.risky_exits[line] = (self.line, [trailing_call(h.body) for h, end in zip(handlers, ends) if end is not None])
        finalbody = node.finalbody  # type: ignore[attr-defined]
        if finalbody is not None:
            # An exception no handler catches runs the `finally` too (unless a handler catches all).
            uncaught = None if any(h.type is None or "BaseException" in caught_names(h.type) for h in handlers) else failed
            start = merge([done, self.bound_before_catchable(uncaught, [], try_body)])
            if start is None:  # every path returns or raises: the `finally` runs on the way out
                start = self.bound_before_catchable(failed, [], try_body)
            finally_end = self.branch(start, lambda: self.walk_finally(finalbody))
            if done is not None and finally_end is not None and start is not None:
                done = dict(done)
                for name, state in finally_end.items():
                    if start.get(name) != state:
                        done[name] = state  # bound or cleared by the `finally` block
            else:
                done = None
        self.flow = done

    def walk_finally(self, node: cst.Finally) -> None:
        self.enter_clause(node)
        self.header(node)
        self.in_context(lambda: self.walk_block(node.body), in_finally=True)

    def walk_handler(self, handler: cst.CSTNode, try_body: TryBody, earlier: List[str]) -> None:
        self.enter_clause(handler)
        self.flow = self.caught_earlier(self.flow, earlier, try_body)
        self.header(handler, ("name",))  # the exception type is evaluated in the failed state
        names = caught_names(handler.type)  # type: ignore[attr-defined]
        self.flow = self.bound_before_catchable(self.flow, names, try_body)
        ctx = self.context
        import_error_only = bool(names) and all(last_part(n) in IMPORT_ERRORS for n in names)
        handlers = ctx.handlers
        line = self.line
        record = ctx.handler_calls
        if not import_error_only:
            handlers = handlers + (Handler(line=line, caught=names),)
            record = HandlerCalls(line=line, caught=names, function=ctx.function)
            self.facts.handlers.append(record)
        alias = handler.name  # type: ignore[attr-defined]
        if alias is not None:
            self.line += self.scan_rest(alias, ())
            self.bind(alias.name.value, "except")
        self.in_context(
            lambda: self.walk_block(handler.body),  # type: ignore[attr-defined]
            handlers=handlers, conditional=True, handler_calls=record, certain=False,
        )
        if alias is not None:
            self.names.clear(alias.name.value, "except-end", line)  # Python deletes it here

    def bound_before_catchable(self, flow: Flow, caught: List[str], try_body: TryBody) -> Flow:
        """The state in which a handler for `caught` starts (`caught` is empty for a bare
        `except:` and for `finally`). A name the `try` body binds is bound there when nothing
        before its binding can raise what the handler catches.

        A specific handler (`except ValueError:`) is written for one failing operation. When the
        binding is a call and a later statement can raise the same exception, the handler most
        likely targets the later one: the name is then only *possibly* unbound there (IG103, not
        IG105). A broad handler or a `finally` runs for any failure, the binding's included."""
        if flow is None:
            return flow
        sure: Set[str] = set()
        refined = dict(flow)
        broad = not caught or any(last_part(name) in BROAD for name in caught)
        for name, (before, index) in try_body.binds.items():
            if flow.get(name) != RISKY:
                continue
            own = try_body.trail[index] if index < len(try_body.trail) else None
            if before is not None and not can_catch(caught, before):
                sure.add(name)
            elif not broad and not (own is not None and can_catch(caught, own)) and can_catch(caught, try_body.raised_after(index)):
                refined[name] = MAYBE
        return self.names.assume_bound(refined, sure)

    def caught_earlier(self, flow: Flow, earlier: List[str], try_body: TryBody) -> Flow:
        """The state in which a later handler's type is evaluated: only for exceptions no earlier
        handler caught (`except ImportError:` before `except sqlite3.Error:` after `import sqlite3`)."""
        if flow is None or not earlier:
            return flow
        covered = {
            name for name, (before, _) in try_body.binds.items()
            if before is not None and flow.get(name) == RISKY and all(catches(earlier, r) for r in before)
        }
        return self.names.assume_bound(flow, covered)

    def walk_function(self, node: cst.FunctionDef) -> None:
        self.enter_clause(node)
        line = self.line
        outer = self.names.scope
        if node.type_parameters is not None:
            self.names.open("annotation", node.name.value, outer.where)
            self.line += self.scan_type_parameters(node.type_parameters)
        self.line += self.scan_parameters(node.params, annotations=True)
        self.line += self.scan_annotation(node.returns, self.future_annotations)
        self.header(node, ("params", "returns", "type_parameters"))
        ctx = self.context
        qualname = f"{ctx.qualname}{node.name.value}"
        self.facts.functions.setdefault(qualname, line)
        decorators = [decorator_name(d.decorator) for d in node.decorators]
        if decorators:
            self.facts.decorators[qualname] = decorators
        else:
            self.facts.decorators.pop(qualname, None)  # a later `def` replaces an earlier decorated one
        self.parameters[qualname] = first_parameter(node.params)
        self.returns.pop(qualname, None)
        self.names.bind(node.name.value, binding(line, "def"), ctx.type_checking, outer)
        function = self.names.open("function", node.name.value, qualname)
        function.runs_on_call = node.asynchronous is None
        function.decorators = tuple(decorators)
        self.bind_parameters(node.params)
        saved_loops, self.loops = self.loops, []
        saved_tries, self.tries = self.tries, []
        self.in_context(
            lambda: self.walk_block(node.body),
            scope="function", function=qualname, qualname=f"{qualname}.<locals>.",
            guarded=False, handlers=(), in_finally=False, conditional=False, catches_name_error=False,
            handler_calls=None, certain=True, proven=NOTHING,
        )
        self.loops = saved_loops
        self.tries = saved_tries
        declared = node.returns is not None and last_part(dotted_name(node.returns.annotation) or "") in ("NoReturn", "Never")
        if declared or (function.flow is None and not function.returns and function.runs_on_call):
            self.facts.no_return.append(qualname)  # every path raises (or exits)
        if function.runs_on_call:
            self.lazy.discard(qualname)
        else:
            self.lazy.add(qualname)  # a generator or coroutine: calling it runs none of its body
        self.names.close()
        if node.type_parameters is not None:
            self.names.close()

    def scan_type_parameters(self, parameters: Optional[cst.CSTNode]) -> int:
        """PEP 695 type parameters, bound in their own scope; bounds are evaluated lazily."""
        if parameters is None:
            return 0
        for param in parameters.params:  # type: ignore[attr-defined]
            self.names.bind(param.param.name.value, binding(self.line, "type-parameter"))
        return self.scan_annotation(parameters, deferred=True)

    def walk_class(self, node: cst.ClassDef) -> None:
        self.enter_clause(node)
        line = self.line
        outer = self.names.scope
        if node.type_parameters is not None:
            self.names.open("annotation", node.name.value, outer.where)
            self.line += self.scan_type_parameters(node.type_parameters)
        self.header(node, ("type_parameters",))
        ctx = self.context
        bases = [name for arg in node.bases if arg.keyword is None and (name := dotted_name(arg.value))]
        if bases and "<locals>" not in ctx.qualname:
            self.facts.bases[f"{ctx.qualname}{node.name.value}"] = bases
        scope = "function" if ctx.scope == "function" else "class"
        self.names.open("class", node.name.value, f"class {node.name.value}")
        self.in_context(
            lambda: self.walk_block(node.body), scope=scope,
            qualname=f"{ctx.qualname}{node.name.value}.",
        )
        body = self.names.scope
        self.names.close()
        if node.type_parameters is not None:
            self.names.close()
        self.names.bind(node.name.value, binding(line, "class"), ctx.type_checking, outer)
        if outer is self.names.module and any(
            last_part(dotted_name(d.decorator) or "") == "global_enum" for d in node.decorators
        ):
            for member in body.bindings:  # `@enum.global_enum` copies the members into the module
                members = binding(line, "global-enum", f"`@global_enum` class `{node.name.value}`")
                self.names.bind(member, members, ctx.type_checking, outer)

    def walk_match(self, node: cst.Match) -> None:
        self.enter_clause(node)
        self.header(node)
        saved = self.indent
        self.indent = saved + (node.indent if node.indent is not None else self.module.default_indent,)
        carried = self.flow  # captures of a case whose guard fails stay bound for the next cases
        ends: List[Flow] = []
        exhaustive = False
        for case in node.cases:
            self.flow = dict(carried) if carried is not None else None
            self.enter_clause(case)
            self.line += self.scan_pattern(case.pattern)
            irrefutable = is_irrefutable(case.pattern)
            carried = merge([self.flow]) if irrefutable else merge([carried, self.flow])  # copies
            self.header(case, ("pattern",))
            self.in_context(lambda: self.walk_block(case.body), conditional=True, certain=False)
            ends.append(self.flow)
            exhaustive = exhaustive or (case.guard is None and irrefutable)
        self.indent = saved
        self.line += self.count(node.footer)
        self.flow = merge(ends if exhaustive else [*ends, carried])

    def scan_pattern(self, node: cst.CSTNode) -> int:
        """Capture names are bound; value patterns and class names are loads."""
        cls = node.__class__
        if cls is cst.MatchValue or cls is cst.MatchSingleton:
            return self.scan(node)
        capture = getattr(node, "rest" if cls is cst.MatchMapping else "name", None)
        if isinstance(capture, cst.Name) and cls in (cst.MatchAs, cst.MatchStar, cst.MatchMapping):
            self.bind(capture.value, "match")
        newlines = 0
        for child in children(node):
            if type(child).__name__.startswith("Match"):
                newlines += self.scan_pattern(child)
            else:
                newlines += self.scan(child)
        return newlines

    _STATEMENTS: Dict[type, Callable[["FactWalker", cst.CSTNode], None]] = {
        cst.SimpleStatementLine: walk_simple_line,
        cst.If: walk_if,
        cst.For: walk_loop,
        cst.While: walk_loop,
        cst.With: walk_with,
        cst.Try: walk_try,
        cst.TryStar: walk_try,
        cst.FunctionDef: walk_function,
        cst.ClassDef: walk_class,
        cst.Match: walk_match,
    }
    _SMALL_STATEMENTS: Dict[type, Callable[["FactWalker", cst.CSTNode], int]] = {
        cst.Import: small_import,
        cst.ImportFrom: small_import_from,
        cst.Assign: small_assign,
        cst.AugAssign: small_aug_assign,
        cst.AnnAssign: small_ann_assign,
        cst.Del: small_del,
        cst.Expr: small_expr,
        cst.Global: small_scope_declaration,
        cst.Nonlocal: small_scope_declaration,
        cst.Return: small_exit,
        cst.Raise: small_exit,
        cst.Break: small_loop_exit,
        cst.Continue: small_loop_exit,
    }
    if hasattr(cst, "TypeAlias"):
        _SMALL_STATEMENTS[cst.TypeAlias] = small_type_alias


# Fields of compound statements that are not part of the header, or that `enter_clause` counts.
_NOT_HEADER_FIELDS = (
    "body", "orelse", "handlers", "finalbody", "cases", "leading_lines", "decorators",
    "lines_after_decorators", "footer",
)
def scan_yield(walker: FactWalker, node: cst.CSTNode) -> int:
    """A `yield` makes the function a generator: calling it runs none of its body."""
    walker.names.scope.runs_on_call = False
    return walker.scan_rest(node, ())


_SPECIAL_EXPRESSIONS: Dict[type, Callable[[FactWalker, cst.CSTNode], int]] = {
    cst.Yield: scan_yield,
    cst.Lambda: FactWalker.scan_lambda,
    cst.NamedExpr: FactWalker.scan_walrus,
    cst.ListComp: FactWalker.scan_comprehension,
    cst.SetComp: FactWalker.scan_comprehension,
    cst.DictComp: FactWalker.scan_comprehension,
    cst.GeneratorExp: FactWalker.scan_comprehension,
    cst.BooleanOperation: FactWalker.scan_conditional,
    cst.IfExp: FactWalker.scan_conditional,
}
