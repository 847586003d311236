"""The statements part of the walker: statements in source order, and the simple ones in full.

Each statement kind has its handler (`FactWalker.statement_handlers`, `small_statement_handlers`);
a statement in a `try` body also records what it can raise before the names it binds, which
decides whether a handler sees them bound. Line numbers advance here: by the newlines each
statement's parts contain.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Dict, Sequence, Tuple, Union

import libcst as cst

from importguard.facts.known_calls import never_returns
from importguard.facts.model import ModuleRebuild
from importguard.facts.nodes import NOT_HEADER_FIELDS
from importguard.facts.positions import Anchor
from importguard.facts.raises import header_raises, statement_raises, union
from importguard.facts.shapes import dotted_name, is_own_module_slot
from importguard.facts.walk_exports import ExportRecorder
from importguard.facts.walk_imports import ImportRecorder
from importguard.facts.walk_scan import NodeHandler


class StatementWalker(ImportRecorder, ExportRecorder):
    """Walks statement lists and blocks; compound statements are the other parts' handlers."""

    statement_handlers: ClassVar[Dict[type, Callable[[Any, Any], None]]] = {}
    small_statement_handlers: ClassVar[Dict[type, NodeHandler]] = {}

    def walk_statements(self, statements: Sequence[cst.CSTNode]) -> None:
        for statement in statements:
            handler = self.statement_handlers.get(type(statement))
            if handler is None:
                raise TypeError(f"unhandled statement node {type(statement).__name__}")
            body = self.tries[-1] if self.tries and handler is not StatementWalker.walk_simple_line else None
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
            small = self.small_statement_handlers.get(type(statement))
            newlines += small(self, statement) if small is not None else self.scan(statement)
            if body is not None:
                body.raised = body.current
                body.trail.append(own)
        return newlines

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
            if isinstance(target.target, cst.Attribute):
                self.note_attribute_write(target.target.value, target.target.attr.value)
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
            self.note_all_method(value, value.func.attr.value)
        return self.scan(statement)

    def small_scope_declaration(self, statement: Union[cst.Global, cst.Nonlocal]) -> int:
        scope = self.names.scope
        declared = scope.globals if isinstance(statement, cst.Global) else scope.nonlocals
        for item in statement.names:
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

    def walk_block(self, block: cst.BaseSuite) -> None:
        if type(block) is cst.SimpleStatementSuite:  # exact classes: `isinstance` on libcst's ABCs is slow
            self.line += self.scan(block.leading_whitespace)
            newlines = self.walk_small_statements(block.body)
            self.line += newlines + self.scan(block.trailing_whitespace)
            return
        assert type(block) is cst.IndentedBlock
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
        self.line += self.scan_rest(node, NOT_HEADER_FIELDS + handled)

    def walk_else(self, node: cst.Else) -> None:
        self.enter_clause(node)
        self.header(node)
        self.walk_block(node.body)
