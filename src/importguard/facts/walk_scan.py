"""The generic part of the walker: every node below a statement, visited iteratively.

Statements are walked in order by their own handlers; everything inside them (expressions,
whitespace, brackets) goes through `scan`, which records name reads and calls, hands the few node
kinds that bind or open a scope to `special_expressions`, and returns the newlines it passed
(only statements need source order, so the lines inside one can be summed in any order).
Annotations are scanned here too: strings in them are forward references.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Dict, List, Optional, Sequence, Tuple

import libcst as cst
from libcst import MaybeSentinel

from importguard.facts.guards import NOTHING
from importguard.facts.nodes import (
    STACK_FIELDS, TEXT_NODES, child_fields, fields_except, line_end_newlines, newlines_in, parenthesized_newlines,
)
from importguard.facts.shapes import dotted_name, identifier, last_part, typing_call_kind
from importguard.facts.walk_calls import CallRecorder

# A handler of one node kind: walks the node itself and returns the newlines it passed.
NodeHandler = Callable[[Any, Any], int]


class Scanner(CallRecorder):
    """Visits expressions; `FactWalker` fills `special_expressions` with the parts' handlers."""

    special_expressions: ClassVar[Dict[type, NodeHandler]] = {}

    def count(self, nodes: Sequence[cst.CSTNode]) -> int:
        return sum(self.scan(node) for node in nodes)

    def scan(self, root: cst.CSTNode) -> int:
        """Visit every node below `root`, record uses and calls, return its newline count.

        The hot loop of the whole tool: it classifies by exact type (libcst's classes are ABCs,
        so `isinstance` is slow) and counts whitespace in place instead of visiting it.
        """
        newlines = 0
        stack: List[Any] = [root]  # nodes, classified by exact class
        fields_of = STACK_FIELDS
        special = self.special_expressions
        while stack:
            node = stack.pop()
            cls = node.__class__
            if cls is cst.Name:
                self.on_name(node)
                if node.lpar:
                    stack.extend(node.lpar)
                    stack.extend(node.rpar)
                continue
            if cls is cst.Newline:
                newlines += 1
                continue
            if cls is cst.TrailingWhitespace or cls is cst.EmptyLine:
                newlines += line_end_newlines(node)
                continue
            if cls is cst.ParenthesizedWhitespace:
                newlines += parenthesized_newlines(node)
                continue
            if cls in TEXT_NODES:
                if cls is cst.SimpleString and self.annotating:
                    self.on_string_annotation(node)
                newlines += newlines_in(node.value)
            elif cls is cst.Call:
                self.on_call(node)
                if typing_call_kind(node) is not None:
                    newlines += self.scan_typing_call(node)
                    continue
            elif cls is cst.Attribute:
                if node.value.__class__ is cst.Name:
                    self.on_attribute(node, node.value)
            elif cls in special:
                newlines += special[cls](self, node)
                continue
            elif cls is cst.Subscript and self.annotating:
                newlines += self.scan_subscript_annotation(node)
                continue
            fields = fields_of.get(cls)
            if fields is None:
                child_fields(cls)
                fields = fields_of[cls]
            for name in fields:
                value = getattr(node, name)
                value_cls = value.__class__
                if value_cls is cst.SimpleWhitespace:
                    if "\\" in value.value:  # a backslash continuation
                        newlines += newlines_in(value.value)
                elif value_cls is tuple or value_cls is list:
                    stack.extend(reversed(value))
                elif value_cls is cst.ParenthesizedWhitespace:
                    newlines += parenthesized_newlines(value)
                elif value_cls is cst.TrailingWhitespace:
                    newlines += line_end_newlines(value)
                elif value_cls is cst.Newline:
                    newlines += 1
                elif value is not None and value_cls is not MaybeSentinel and value_cls is not cst.Comment:
                    stack.append(value)
        return newlines

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
