"""One source-order walk over a libcst module that collects the per-file facts.

Statements are walked in order with explicit handlers (they carry the context: scope, handlers,
`TYPE_CHECKING`, ...); expressions are walked generically and iteratively (deeply nested
expressions must not overflow the stack). Line numbers come from counting newline tokens on the
way: order does not matter inside one statement, so a statement's newline count can be summed in
any order, and only statements need source order. Exact columns are resolved lazily for the few
nodes that need them (see `positions`).

`FactWalker` is one walker composed of parts, one module per concern, each built on the parts
it uses:

    walk_state        WalkState         the state every part shares
    walk_calls        CallRecorder      calls, dynamic imports, namespace writes
    walk_scan         Scanner           the generic expression scan, annotations
    walk_expressions  ExpressionScanner targets, `:=`, comprehensions, lambdas, `and`/`or`
    walk_imports      ImportRecorder    `import`, `from … import`
    walk_exports      ExportRecorder    `__all__`
    walk_statements   StatementWalker   statement lists, blocks, simple statements
    walk_definitions  DefinitionWalker  `def`, `class`, `type`
    walk_branches     BranchWalker      `if`, loops, `with`, `match`
    walk_try          TryWalker         `try`, its handlers, `else` and `finally`

The dispatch tables below say which part handles each node kind; there is still one parse and
one walk per file.
"""

from __future__ import annotations

import libcst as cst

from importguard.facts.decorators import find_wrappers
from importguard.facts.model import FileFacts
from importguard.facts.walk_branches import BranchWalker
from importguard.facts.walk_definitions import DefinitionWalker
from importguard.facts.walk_expressions import ExpressionScanner
from importguard.facts.walk_statements import StatementWalker
from importguard.facts.walk_try import TryWalker


class FactWalker(DefinitionWalker, BranchWalker, TryWalker):
    """Walks one module once and fills a `FileFacts`."""

    def run(self) -> FileFacts:
        self.line += self.count(self.module.header)
        self.walk_statements(self.module.body)
        self.names.finish()
        for use, issue in self.names.placements:
            self.place_at(use.anchor, use.node, issue)
        self.finish_exports()
        resolved = self.positions.resolve(self.module)
        for node, fact in self._placements:
            fact.line, fact.column = resolved[id(node)]
        facts = self.facts
        facts.names = sorted(self.names.issues, key=lambda i: (i.line, i.column, i.kind, i.name))
        module = self.names.module
        facts.module_bindings = {name: lines[0].line for name, lines in sorted(module.bindings.items()) if lines}
        facts.typing_names = sorted(module.typing)
        facts.wrappers = find_wrappers(facts.functions, self.parameters, self.returns, facts.calls, facts.decorators, self.lazy)
        self.keep_resolvable_calls(set(module.bindings))
        # A module-level function rebound later (`from _warnings import warn` after `def warn`) is
        # not the function a call reaches at run time: leave it out of call resolution.
        # Functions nested in functions are never call targets a rule can name: left out too.
        facts.functions = {
            name: line for name, line in facts.functions.items()
            if "<locals>" not in name and ("." in name or len(module.bindings.get(name, ())) == 1)
        }
        facts.decorators = {name: found for name, found in facts.decorators.items() if name in facts.functions}
        # a decorator is named by a module-level name or `module.name`, never by a method
        facts.wrappers = {name: kind for name, kind in facts.wrappers.items() if name in facts.functions and "." not in name}
        return facts


FactWalker.statement_handlers = {
    cst.SimpleStatementLine: StatementWalker.walk_simple_line,
    cst.If: BranchWalker.walk_if,
    cst.For: BranchWalker.walk_loop,
    cst.While: BranchWalker.walk_loop,
    cst.With: BranchWalker.walk_with,
    cst.Try: TryWalker.walk_try,
    cst.TryStar: TryWalker.walk_try,
    cst.FunctionDef: DefinitionWalker.walk_function,
    cst.ClassDef: DefinitionWalker.walk_class,
    cst.Match: BranchWalker.walk_match,
}
FactWalker.small_statement_handlers = {
    cst.Import: FactWalker.small_import,
    cst.ImportFrom: FactWalker.small_import_from,
    cst.Assign: StatementWalker.small_assign,
    cst.AugAssign: StatementWalker.small_aug_assign,
    cst.AnnAssign: StatementWalker.small_ann_assign,
    cst.Del: StatementWalker.small_del,
    cst.Expr: StatementWalker.small_expr,
    cst.Global: StatementWalker.small_scope_declaration,
    cst.Nonlocal: StatementWalker.small_scope_declaration,
    cst.Return: StatementWalker.small_exit,
    cst.Raise: StatementWalker.small_exit,
    cst.Break: StatementWalker.small_loop_exit,
    cst.Continue: StatementWalker.small_loop_exit,
}
if hasattr(cst, "TypeAlias"):  # PEP 695 `type` statements, in newer libcst
    FactWalker.small_statement_handlers[cst.TypeAlias] = DefinitionWalker.small_type_alias
FactWalker.special_expressions = {
    cst.Yield: ExpressionScanner.scan_yield,
    cst.Lambda: ExpressionScanner.scan_lambda,
    cst.NamedExpr: ExpressionScanner.scan_walrus,
    cst.ListComp: ExpressionScanner.scan_comprehension,
    cst.SetComp: ExpressionScanner.scan_comprehension,
    cst.DictComp: ExpressionScanner.scan_comprehension,
    cst.GeneratorExp: ExpressionScanner.scan_comprehension,
    cst.BooleanOperation: ExpressionScanner.scan_boolean,
    cst.IfExp: ExpressionScanner.scan_if_expression,
}
