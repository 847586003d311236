"""The calls part of the walker: calls of named functions (followed from `except` handlers and
import-time code), dynamic imports, writes to the module namespace and other modules' attributes.
"""

from __future__ import annotations

from typing import Optional, Set

import libcst as cst

from importguard.facts.bindings import BUILTINS, Scope
from importguard.facts.model import DynamicCall
from importguard.facts.shapes import REBUILDERS, dotted_name, last_part, own_package_argument, rebuild_by_call
from importguard.facts.walk_state import CallSite, WalkState

GLOBALS_WRITERS = frozenset({"update", "setdefault", "__setitem__"})
DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})


class CallRecorder(WalkState):
    """Records what calls and attribute reads tell: the walk calls `on_call`/`on_attribute`."""

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
            dynamic = DynamicCall(callee=callee, line=0, column=0, function=ctx.function)
            self.facts.dynamic_calls.append(dynamic)
            self.place(call, dynamic)
        else:
            stripped = target.lstrip(".")
            self.place(call, self.import_fact("dynamic", stripped, len(target) - len(stripped), [], None))

    def execs_into_globals(self, call: cst.Call) -> bool:
        """`exec(code, globals())` binds in the module namespace; with a separate locals mapping
        (`exec(code, globals(), ns)`) the code's own bindings go to that mapping instead."""
        args = [arg.value for arg in call.args]
        names_go_to = args[2] if len(args) >= 3 else args[1] if len(args) == 2 else None
        return names_go_to is not None and self.globals_call(names_go_to)

    def record_call(self, callee: str, call: cst.Call) -> None:
        """Calls of named functions, per function and per `except` handler (the rules follow them
        from handlers, and report the call's exact column)."""
        ctx = self.context
        if ctx.handler_calls is not None:
            entry = [callee, self.line, 1]
            ctx.handler_calls.calls.append(entry)
            self.place(call, CallSite(entry))
        if ctx.function is not None and ctx.function != "<lambda>":
            self.facts.calls.setdefault(ctx.function, []).append([callee, self.line])
        elif ctx.function is None and self.runtime_now() and not ctx.type_checking:
            self.facts.module_calls.append([callee, self.line])  # runs while the module is imported

    def on_attribute(self, node: cst.Attribute, base: cst.Name) -> None:
        """`module.name` read while the module is being imported, where `base` (the node's value)
        is bound by an import: whether the module has bound `name` by then is the rules' question."""
        if self.runtime_now():
            last = self.names.module.last.get(base.value)
            if last is not None and last.is_import:
                self.facts.attribute_uses.append([base.value, node.attr.value, self.line])

    def origin(self, name: str) -> Optional[str]:
        """What `name` refers to here: the dotted target of the import that bound it (`_sys` ->
        `sys`, `exit` -> `sys.exit`), the name itself when no enclosing scope binds it (a
        builtin), None for any other binding (a parameter, an assignment, a `def`)."""
        current = self.names.scope
        scope: Optional[Scope] = current
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

    def keep_resolvable_calls(self, module_names: Set[str]) -> None:
        """Only calls a rule could follow: `self.method(...)`, or a callee whose first name the
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
