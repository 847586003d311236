"""One source-order walk over a libcst module that collects the per-file facts.

Statements are walked in order with explicit handlers (they carry the context: scope, handlers,
`TYPE_CHECKING`, ...); expressions are walked generically and iteratively (deeply nested
expressions must not overflow the stack). Line numbers come from counting newline tokens on the
way: order does not matter inside one statement, so a statement's newline count can be summed in
any order, and only statements need source order. Exact columns are resolved lazily for the few
nodes that need them (see `positions`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple, Type

import libcst as cst
from libcst import MaybeSentinel

from importguard.facts.model import DynamicCall, FileFacts, Handler, ImportFact
from importguard.facts.positions import Anchor, PositionRequests

IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
CATCHES_IMPORT_ERROR = IMPORT_ERRORS | {"Exception", "BaseException"}
DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})
# Fields of compound statements that are not part of the header line(s).
_NOT_HEADER = frozenset(
    {"body", "orelse", "handlers", "finalbody", "cases", "leading_lines", "decorators",
     "lines_after_decorators", "footer"}
)


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


def child_fields(cls: type) -> Tuple[str, ...]:
    """Names of the fields of `cls` that can hold nodes (not plain strings or flags)."""
    names = _CHILD_FIELDS.get(cls)
    if names is None:
        names = tuple(
            name
            for name, spec in cls.__dataclass_fields__.items()
            if not name.startswith("__") and ("libcst._nodes" in str(spec.type) or "ForwardRef(" in str(spec.type))
        )
        _CHILD_FIELDS[cls] = names
    return names


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


def dotted_name(node: cst.CSTNode) -> Optional[str]:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: List[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def caught_names(handler_type: Optional[cst.BaseExpression]) -> List[str]:
    if handler_type is None:
        return []
    elements = (
        [e.value for e in handler_type.elements]
        if isinstance(handler_type, (cst.Tuple, cst.List))
        else [handler_type]
    )
    return [dotted_name(e) or "?" for e in elements]


def last_part(name: str) -> str:
    return name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Context:
    """Where the walk currently is, as far as imports care."""

    scope: str = "module"  # "module" | "class" | "function"
    function: Optional[str] = None
    qualname: str = ""  # qualified name prefix for nested definitions
    type_checking: bool = False
    guarded: bool = False
    handlers: Tuple[Handler, ...] = ()  # enclosing handlers that are not ImportError-only
    in_finally: bool = False
    conditional: bool = False


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

    # -- driver -------------------------------------------------------------------------------

    def run(self) -> FileFacts:
        self.line += self.count(self.module.header)
        self.walk_statements(self.module.body)
        resolved = self.positions.resolve(self.module)
        for node, fact in self._placements:
            fact.line, fact.column = resolved[id(node)]  # type: ignore[attr-defined]
        return self.facts

    def place(self, node: cst.CSTNode, fact: object) -> None:
        """Ask for the exact position of `node` and store it on `fact` at the end."""
        self.positions.want(self.anchor, node)
        self._placements.append((node, fact))

    # -- expressions: generic, iterative, newline-counting --------------------------------------

    def count(self, nodes: Sequence[cst.CSTNode]) -> int:
        return sum(self.scan(node) for node in nodes)

    def scan(self, root: cst.CSTNode) -> int:
        """Visit every node below `root`, record calls of interest, return its newline count.

        The hot loop of the whole tool: it classifies by exact type (libcst's classes are ABCs,
        so `isinstance` is slow) and counts whitespace in place instead of visiting it.
        """
        newlines = 0
        stack: List[cst.CSTNode] = [root]
        fields_of = _CHILD_FIELDS
        while stack:
            node = stack.pop()
            cls = node.__class__
            if cls is cst.Newline:
                newlines += 1
                continue
            if cls in _TEXT_NODES:
                newlines += newlines_in(node.value)  # type: ignore[attr-defined]
            elif cls is cst.Call:
                self.on_call(node)  # type: ignore[arg-type]
            elif cls is cst.Lambda:
                newlines += self.scan_lambda(node)  # type: ignore[arg-type]
                continue
            for name in fields_of.get(cls) or child_fields(cls):
                value = getattr(node, name)
                value_cls = value.__class__
                if value_cls is tuple or value_cls is list:
                    stack.extend(value)
                elif value_cls is cst.SimpleWhitespace:
                    if "\\" in value.value:  # a backslash continuation
                        newlines += newlines_in(value.value)
                elif value is not None and value_cls is not MaybeSentinel:
                    stack.append(value)
        return newlines

    def scan_lambda(self, node: cst.Lambda) -> int:
        """A lambda's defaults run now; its body runs later, like a function's."""
        newlines = 0
        for child in children(node):
            if child is not node.body:
                newlines += self.scan(child)
        saved = self.context
        self.context = replace(
            saved, scope="function", function=saved.function or "<lambda>", handlers=(),
            guarded=False, in_finally=False, conditional=False,
        )
        try:
            return newlines + self.scan(node.body)
        finally:
            self.context = saved

    def on_call(self, call: cst.Call) -> None:
        callee = dotted_name(call.func)
        if callee is None or last_part(callee) not in DYNAMIC_IMPORTERS:
            return
        if "." in callee and callee != "importlib.import_module":
            return
        target = None
        if call.args and call.args[0].keyword is None and call.args[0].star == "":
            first = call.args[0].value
            if isinstance(first, (cst.SimpleString, cst.ConcatenatedString)):
                value = first.evaluated_value
                target = value if isinstance(value, str) else None
        ctx = self.context
        if target is None:
            fact = DynamicCall(callee=callee, line=0, column=0, function=ctx.function)
            self.facts.dynamic_calls.append(fact)
        else:
            stripped = target.lstrip(".")
            fact = self.import_fact("dynamic", stripped, len(target) - len(stripped), [], None)
        self.place(call, fact)

    # -- statements -----------------------------------------------------------------------------

    def import_fact(self, kind: str, module: str, level: int, names: list, alias: Optional[str]) -> ImportFact:
        ctx = self.context
        fact = ImportFact(
            kind=kind, module=module, level=level, names=names, alias=alias, line=0, column=0,
            scope=ctx.scope, function=ctx.function, type_checking=ctx.type_checking,
            guarded=ctx.guarded, handler=ctx.handlers[-1] if ctx.handlers else None,
            in_finally=ctx.in_finally, conditional=ctx.conditional,
        )
        self.facts.imports.append(fact)
        return fact

    def walk_statements(self, statements: Sequence[cst.CSTNode]) -> None:
        for statement in statements:
            handler = self._STATEMENTS.get(type(statement))
            if handler is None:
                raise TypeError(f"unhandled statement node {type(statement).__name__}")
            handler(self, statement)

    def walk_simple_line(self, node: cst.SimpleStatementLine) -> None:
        self.anchor = Anchor(node, self.line, self.indent)
        self.line += self.count(node.leading_lines)
        newlines = self.walk_small_statements(node.body)
        self.line += newlines + self.scan(node.trailing_whitespace)

    def walk_small_statements(self, statements: Sequence[cst.BaseSmallStatement]) -> int:
        newlines = 0
        for statement in statements:
            if isinstance(statement, cst.Import):
                for alias in statement.names:
                    target = dotted_name(alias.name) or ""
                    asname = alias.asname and dotted_name(alias.asname.name)
                    self.place(statement, self.import_fact("import", target, 0, [], asname))
            elif isinstance(statement, cst.ImportFrom):
                module = dotted_name(statement.module) if statement.module else ""
                if isinstance(statement.names, cst.ImportStar):
                    names: list = [["*", None]]
                else:
                    names = [
                        [dotted_name(a.name), a.asname and dotted_name(a.asname.name)]
                        for a in statement.names
                    ]
                fact = self.import_fact("from", module or "", len(statement.relative), names, None)
                self.place(statement, fact)
            newlines += self.scan(statement)
        return newlines

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
        """Start a compound statement's clause: anchor it and walk its header fields."""
        self.anchor = Anchor(node, self.line, self.indent, is_elif)
        self.line += self.count(getattr(node, "leading_lines", ()))
        for decorator in getattr(node, "decorators", ()):
            self.line += self.scan(decorator)
        self.line += self.count(getattr(node, "lines_after_decorators", ()))
        for name in child_fields(type(node)):
            if name not in _NOT_HEADER:
                value = getattr(node, name)
                if isinstance(value, cst.CSTNode):
                    self.line += self.scan(value)
                elif isinstance(value, (tuple, list)):
                    self.line += self.count(value)

    def in_context(self, body: Callable[[], None], **changes: object) -> None:
        saved = self.context
        self.context = replace(saved, **changes)  # type: ignore[arg-type]
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

    def walk_if(self, node: cst.If, is_elif: bool = False) -> None:
        self.enter_clause(node, is_elif)
        typing = self.type_checking_test(node.test)
        ctx = self.context
        self.in_context(
            lambda: self.walk_block(node.body),
            conditional=ctx.conditional or typing is None,
            type_checking=ctx.type_checking or typing is True,
        )
        orelse = node.orelse
        if orelse is None:
            return
        changes = dict(
            conditional=True if typing is None else ctx.conditional,
            type_checking=ctx.type_checking or typing is False,
        )
        if isinstance(orelse, cst.If):
            self.in_context(lambda: self.walk_if(orelse, is_elif=True), **changes)
        else:
            self.in_context(lambda: self.walk_else(orelse), **changes)

    def walk_else(self, node: cst.Else) -> None:
        self.enter_clause(node)
        self.walk_block(node.body)

    def walk_loop(self, node: cst.CSTNode) -> None:
        self.enter_clause(node)
        self.in_context(lambda: self.walk_block(node.body), conditional=True)  # type: ignore[attr-defined]
        orelse = node.orelse  # type: ignore[attr-defined]
        if orelse is not None:
            self.in_context(lambda: self.walk_else(orelse), conditional=True)

    def walk_with(self, node: cst.With) -> None:
        self.enter_clause(node)
        self.in_context(lambda: self.walk_block(node.body), conditional=True)

    def walk_try(self, node: cst.CSTNode) -> None:
        self.enter_clause(node)
        handlers = node.handlers  # type: ignore[attr-defined]
        caught = [last_part(n) for h in handlers for n in caught_names(h.type)]
        guarded = any(h.type is None for h in handlers) or bool(CATCHES_IMPORT_ERROR & set(caught))
        ctx = self.context
        self.in_context(
            lambda: self.walk_block(node.body),  # type: ignore[attr-defined]
            guarded=ctx.guarded or guarded, conditional=True,
        )
        for handler in handlers:
            self.walk_handler(handler)
        if node.orelse is not None:  # type: ignore[attr-defined]
            self.in_context(lambda: self.walk_else(node.orelse), conditional=True)  # type: ignore[attr-defined]
        finalbody = node.finalbody  # type: ignore[attr-defined]
        if finalbody is not None:
            self.enter_clause(finalbody)
            self.in_context(lambda: self.walk_block(finalbody.body), in_finally=True)

    def walk_handler(self, handler: cst.CSTNode) -> None:
        self.enter_clause(handler)
        names = caught_names(handler.type)  # type: ignore[attr-defined]
        ctx = self.context
        import_error_only = bool(names) and all(last_part(n) in IMPORT_ERRORS for n in names)
        handlers = ctx.handlers
        if not import_error_only:
            handlers = handlers + (Handler(line=self.line, caught=names),)
        self.in_context(
            lambda: self.walk_block(handler.body),  # type: ignore[attr-defined]
            handlers=handlers, conditional=True,
        )

    def walk_function(self, node: cst.FunctionDef) -> None:
        self.enter_clause(node)
        ctx = self.context
        qualname = f"{ctx.qualname}{node.name.value}"
        self.in_context(
            lambda: self.walk_block(node.body),
            scope="function", function=qualname, qualname=f"{qualname}.<locals>.",
            guarded=False, handlers=(), in_finally=False, conditional=False,
        )

    def walk_class(self, node: cst.ClassDef) -> None:
        self.enter_clause(node)
        ctx = self.context
        scope = "function" if ctx.scope == "function" else "class"
        self.in_context(
            lambda: self.walk_block(node.body), scope=scope,
            qualname=f"{ctx.qualname}{node.name.value}.",
        )

    def walk_match(self, node: cst.Match) -> None:
        self.enter_clause(node)
        saved = self.indent
        self.indent = saved + (node.indent if node.indent is not None else self.module.default_indent,)
        for case in node.cases:
            self.enter_clause(case)
            self.in_context(lambda: self.walk_block(case.body), conditional=True)
        self.indent = saved
        self.line += self.count(node.footer)

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
