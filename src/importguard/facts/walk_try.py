"""The `try` part of the walker: what a handler, the `else` and the `finally` see bound.

A handler starts in the state where an exception raised anywhere in the `try` body lands: a
name the body binds is bound there only when nothing before its binding can raise what the
handler catches (`raises`). Handlers that catch ImportError guard the imports in the body; those
that catch NameError mark an intended existence probe.
"""

from __future__ import annotations

from typing import List, Sequence, Set, Union

import libcst as cst

from importguard.facts.bindings import MAYBE, RISKY, Flow, merge
from importguard.facts.model import Handler, HandlerCalls
from importguard.facts.raises import BROAD, can_catch, catches
from importguard.facts.shapes import caught_names, last_part, trailing_call
from importguard.facts.walk_state import TryBody
from importguard.facts.walk_statements import StatementWalker

IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
# A handler naming any of these catches the NameError/UnboundLocalError of a use in its `try`.
# Only a handler that names these marks an intended existence probe (`try: get_ipython()` /
# `except NameError:`). A broad handler (`except Exception`, bare `except:`) that catches a
# NameError is still the bug: the production incident was one, caught and logged.
NAME_ERRORS = frozenset({"NameError", "UnboundLocalError"})
CATCHES_IMPORT_ERROR = IMPORT_ERRORS | {"Exception", "BaseException"}

ExceptClause = Union[cst.ExceptHandler, cst.ExceptStarHandler]


class TryWalker(StatementWalker):
    """Walks `try` statements: the body, each handler from the state a failure leaves, `else`, `finally`."""

    def walk_try(self, node: Union[cst.Try, cst.TryStar]) -> None:
        self.enter_clause(node)
        line = self.line
        self.header(node)
        handlers: Sequence[ExceptClause] = node.handlers
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
            lambda: self.walk_block(node.body),
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
        orelse = node.orelse
        if orelse is not None:
            body_end = self.branch(body_end, lambda: self.in_context(
                lambda: self.walk_else(orelse), conditional=True, certain=False))
        done = merge([body_end, *ends])
        scope.risky_exits[line] = (self.line, [trailing_call(h.body) for h, end in zip(handlers, ends) if end is not None])
        finalbody = node.finalbody
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

    def walk_handler(self, handler: ExceptClause, try_body: TryBody, earlier: List[str]) -> None:
        self.enter_clause(handler)
        self.flow = self.caught_earlier(self.flow, earlier, try_body)
        self.header(handler, ("name",))  # the exception type is evaluated in the failed state
        names = caught_names(handler.type)
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
        alias = handler.name
        # `except … as` names a plain name (libcst's type allows tuples, the grammar does not)
        bound = alias.name if alias is not None and isinstance(alias.name, cst.Name) else None
        if alias is not None:
            self.line += self.scan_rest(alias, ())
        if bound is not None:
            self.bind(bound.value, "except")
        self.in_context(
            lambda: self.walk_block(handler.body),
            handlers=handlers, conditional=True, handler_calls=record, certain=False,
        )
        if bound is not None:
            self.names.clear(bound.value, "except-end", line)  # Python deletes it here

    def bound_before_catchable(self, flow: Flow, caught: List[str], try_body: TryBody) -> Flow:
        """The state in which a handler for `caught` starts (`caught` is empty for a bare
        `except:` and for `finally`). A name the `try` body binds is bound there when nothing
        before its binding can raise what the handler catches.

        A specific handler (`except ValueError:`) is written for one failing operation. When the
        binding is a call and a later statement can raise the same exception, the handler most
        likely targets the later one: the name is then only *possibly* unbound there (an ordinary
        path, not an exception path). A broad handler or a `finally` runs for any failure, the binding's included."""
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
