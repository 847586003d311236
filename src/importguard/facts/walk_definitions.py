"""The definitions part of the walker: `def`, `class` and `type` statements.

A function's body is walked where it is defined, in its own scope, and settled when the scope
closes (a body runs later, when it is called, so its free names are checked against every binding
its enclosing scopes make); a class body runs now. PEP 695 type parameters get a scope of their own.
"""

from __future__ import annotations

from typing import Optional, Tuple, Union

import libcst as cst

from importguard.facts.bindings import Scope, binding
from importguard.facts.decorators import decorator_name, first_parameter
from importguard.facts.guards import NOTHING
from importguard.facts.shapes import dotted_name, last_part
from importguard.facts.walk_statements import StatementWalker


class DefinitionWalker(StatementWalker):
    """Walks definitions: their decorators, parameters and annotations now, their bodies in a new scope."""

    def enter_definition(self, node: Union[cst.FunctionDef, cst.ClassDef]) -> Tuple[int, Scope]:
        """The start of a `def` or `class`: its line and the scope that binds its name, with the
        scope of its type parameters (PEP 695) opened when it has any."""
        self.enter_clause(node)
        line, outer = self.line, self.names.scope
        if node.type_parameters is not None:
            self.names.open("annotation", node.name.value, outer.where)
            self.line += self.scan_type_parameters(node.type_parameters)
        return line, outer

    def walk_function(self, node: cst.FunctionDef) -> None:
        line, outer = self.enter_definition(node)
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

    def walk_class(self, node: cst.ClassDef) -> None:
        line, outer = self.enter_definition(node)
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
            members = binding(line, "global-enum", f"`@global_enum` class `{node.name.value}`")
            for member in body.bindings:  # `@enum.global_enum` copies the members into the module
                self.names.bind(member, members, ctx.type_checking, outer)

    def scan_type_parameters(self, parameters: Optional[cst.TypeParameters]) -> int:
        """PEP 695 type parameters, bound in their own scope; bounds are evaluated lazily."""
        if parameters is None:
            return 0
        for param in parameters.params:
            self.names.bind(param.param.name.value, binding(self.line, "type-parameter"))
        return self.scan_annotation(parameters, deferred=True)

    def small_type_alias(self, statement: cst.TypeAlias) -> int:
        """`type X[T] = value` binds X now; the value is evaluated lazily, like a function body."""
        newlines = self.scan_rest(statement, ("value", "type_parameters"))
        name = statement.name.value
        self.bind(name, "type-alias")
        self.names.open("function", name, self.names.scope.where)
        newlines += self.scan_type_parameters(statement.type_parameters)
        saved, self.context = self.context, self.context.but(catches_name_error=False)
        try:
            newlines += self.scan(statement.value)
        finally:
            self.context = saved
            self.names.close()
        return newlines
