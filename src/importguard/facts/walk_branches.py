"""The branches part of the walker: `if`, loops, `with` and `match`, and the flow states they join.

Each path through a branch is walked from a copy of the flow state at its start; where paths
join, a name is bound only if it is bound on every path that gets there (`bindings.merge`). Tests
that prove names bound (`if x is not None`, a flag set together with the name, `'x' in locals()`)
refine the state each path starts from (see `guards`).
"""

from __future__ import annotations

from typing import FrozenSet, List, Set, Tuple, Union

import libcst as cst

from importguard.facts.bindings import Flow, merge
from importguard.facts.guards import TestKey, existence_tests, runs_at_least_once
from importguard.facts.known_calls import import_error_caught
from importguard.facts.nodes import children, names_read
from importguard.facts.shapes import is_irrefutable, is_main_test, is_true
from importguard.facts.walk_state import Loop
from importguard.facts.walk_statements import StatementWalker


class BranchWalker(StatementWalker):
    """Walks the compound statements whose paths branch and join (`try` aside)."""

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

    def walk_loop(self, node: Union[cst.For, cst.While]) -> None:
        self.enter_clause(node)
        is_for = isinstance(node, cst.For)
        self.header(node, ("target",) if is_for else ())
        endless = isinstance(node, cst.While) and is_true(node.test)
        before = self.flow
        scope = self.names.scope
        start = len(scope.pending)
        self.flow = dict(before) if before is not None else None
        if isinstance(node, cst.For):
            self.line += self.scan_store(node.target, "for")
        loop = Loop([], [])
        self.loops.append(loop)
        self.names.start_region()
        self.in_context(lambda: self.walk_block(node.body), conditional=True, certain=False)
        bound, _ = self.names.end_region()
        self.loops.pop()
        body_end = merge([self.flow, *loop.continues])
        self.names.forget_loop_carried(start, bound)
        if endless:
            done = None
        elif isinstance(node, cst.For) and runs_at_least_once(node.iter):
            done = body_end
        else:
            done = merge([before, body_end])
        orelse = node.orelse
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
