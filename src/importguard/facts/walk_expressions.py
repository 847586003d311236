"""The expressions part of the walker: what binds inside expressions and what opens a scope.

Assignment targets, `del`, `:=`, comprehensions, lambdas and parameters bind names; `a and b`,
`b if a else c` prove names bound for the part that runs after the test; `yield` makes a function
a generator. Everything else in an expression is a plain read, which `Scanner.scan` records.
"""

from __future__ import annotations

from typing import Optional, Union

import libcst as cst

from importguard.facts.bindings import binding
from importguard.facts.guards import Proven, existence_tests
from importguard.facts.nodes import children
from importguard.facts.shapes import identifier, literal_key
from importguard.facts.walk_scan import Scanner
from importguard.facts.walk_state import Context

Comprehension = Union[cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp]


class ExpressionScanner(Scanner):
    """Binds the names expressions bind, and opens the scopes they open."""

    def bind(self, name: str, kind: str, text: Optional[str] = None, target: Optional[str] = None) -> None:
        """Bind `name` at the current line (`kind`: see `model.BINDING_KINDS`)."""
        name = identifier(name)
        if self.tries and self.tries[-1].scope is self.names.scope:
            body = self.tries[-1]
            body.binds.setdefault(name, (body.current, len(body.trail) - 1 if body.in_header else len(body.trail)))
        self.names.bind(name, binding(self.line, kind, text, target), typing_only=self.context.type_checking)

    def scan_store(self, node: cst.CSTNode, kind: str) -> int:
        """A target being assigned: names are bound, attribute and subscript parts are loads."""
        if isinstance(node, cst.Name):
            self.bind(node.value, kind)
            return self.scan_rest(node, ())
        if isinstance(node, (cst.Tuple, cst.List)):
            newlines = self.scan_rest(node, ("elements",))
            for element in node.elements:
                newlines += self.scan_store(element.value, kind) + self.scan_rest(element, ("value",))
            return newlines
        if isinstance(node, cst.StarredElement):
            return self.scan_store(node.value, kind) + self.scan_rest(node, ("value",))
        if isinstance(node, cst.Subscript) and self.globals_call(node.value):
            key = literal_key(node)
            if key is None:
                self.mark_dynamic_globals()
            else:
                self.names.bind_global(key, binding(self.line, "globals-write"))
        return self.scan(node)

    def scan_delete(self, node: cst.CSTNode) -> int:
        if isinstance(node, cst.Name):
            self.on_name(node)
            self.names.clear(node.value, "del", self.line)
            return self.scan_rest(node, ())
        if isinstance(node, (cst.Tuple, cst.List)):
            newlines = self.scan_rest(node, ("elements",))
            for element in node.elements:
                newlines += self.scan_delete(element.value) + self.scan_rest(element, ("value",))
            return newlines
        return self.scan(node)

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

    def scan_if_expression(self, node: cst.IfExp) -> int:
        """`b if a else c`: what `a` proves bound holds where `b` (or `c`) runs."""
        skipped = self.skipped_at_run_time(node.test, None)
        if skipped is not None:
            return self.scan_type_checking_only(node, skipped)
        when_true, when_false = existence_tests(node.test, self.names.scope.kind != "function")
        if not (when_true or when_false):
            return self.scan_rest(node, ())
        ctx = self.context
        newlines = self.scan(node.test)
        newlines += self.scan_proven(node.body, ctx, when_true) + self.scan_proven(node.orelse, ctx, when_false)
        return newlines + self.scan_rest(node, ("test", "body", "orelse"))

    def scan_boolean(self, node: cst.BooleanOperation) -> int:
        """`a and b`, `a or b`: what `a` proves bound holds where `b` runs."""
        is_and = node.operator.__class__ is cst.And
        skipped = self.skipped_at_run_time(node.left, is_and)
        if skipped is not None:
            return self.scan_type_checking_only(node, skipped)
        when_true, when_false = existence_tests(node.left, self.names.scope.kind != "function")
        if not (when_true or when_false):
            return self.scan_rest(node, ())
        ctx = self.context
        newlines = self.scan(node.left)
        right = when_true if is_and else when_false
        return newlines + self.scan_proven(node.right, ctx, right) + self.scan_rest(node, ("left", "right"))

    def scan_type_checking_only(self, node: cst.CSTNode, skipped: str) -> int:
        """`node` with its field `skipped` read as code under `if TYPE_CHECKING:`."""
        newlines = self.scan_rest(node, (skipped,))
        saved, self.context = self.context, self.context.but(type_checking=True)
        try:
            return newlines + self.scan(getattr(node, skipped))
        finally:
            self.context = saved

    def skipped_at_run_time(self, test: cst.BaseExpression, is_and: Optional[bool]) -> Optional[str]:
        """The field of `a and b`/`a or b`/`b if a else c` (`is_and` None) that never runs because
        `a` is `TYPE_CHECKING` (False at run time): `b` of `TYPE_CHECKING and b`, `not TYPE_CHECKING
        or b` and `b if TYPE_CHECKING else c`; `c` of `b if not TYPE_CHECKING else c`.
        (`TYPE_CHECKING or b` does evaluate `b`.) Type checkers read that part as if
        `TYPE_CHECKING` were True."""
        value = self.run_time_value(test)
        if value is None:
            return None
        if is_and is None:
            return "body" if value is False else "orelse"
        return "right" if value is not is_and else None

    def run_time_value(self, test: cst.BaseExpression, depth: int = 0) -> Optional[bool]:
        """What `test` evaluates to at run time when `TYPE_CHECKING` decides it, else None:
        `TYPE_CHECKING and x` is False, `not TYPE_CHECKING or x` True."""
        if isinstance(test, cst.BooleanOperation) and depth < 20:
            left = self.run_time_value(test.left, depth + 1)
            is_and = test.operator.__class__ is cst.And
            return left if left is not None and left is not is_and else None
        typing = self.type_checking_test(test)
        return None if typing is None else not typing

    def scan_proven(self, node: cst.CSTNode, ctx: Context, proven: Proven) -> int:
        if not proven:
            return self.scan(node)
        self.context = ctx.but(proven=ctx.proven | proven)
        try:
            return self.scan(node)
        finally:
            self.context = ctx

    def scan_comprehension(self, node: Comprehension) -> int:
        """The first iterable runs in the enclosing scope; the rest in the comprehension's own."""
        newlines = self.scan(node.for_in.iter)
        comp: Optional[cst.CompFor] = node.for_in
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

    def scan_yield(self, node: cst.Yield) -> int:
        """A `yield` makes the function a generator: calling it runs none of its body."""
        self.names.scope.runs_on_call = False
        return self.scan_rest(node, ())
