"""The fix of IG201, IG202 and IG205 (the planner their records point to): the import a handler
runs is hoisted to module level (unsafe: it now runs, and can fail, when the module is imported).
Nothing that would close an import-time cycle, or that is guarded by `except ImportError` or
`if TYPE_CHECKING:`, is hoisted."""

from __future__ import annotations

import re
from typing import List

from importguard.findings import Finding
from importguard.project.model import SourceFile
from importguard.rules.fixes.context import FixContext, Planned, same_import
from importguard.rules.fixes.model import UNSAFE, Fix, alias_keys, spec_of

RUNS_WHEN_CALLED = re.compile(r"^`.+` runs when `.+\(\)` is called$")


def plan_handler_import(finding: Finding, source: SourceFile, context: FixContext) -> Planned:
    if finding.related:  # IG202 (or IG205 through a call): the imports the callee runs
        sites = [(r.path, r.line) for r in finding.related if RUNS_WHEN_CALLED.match(r.message)]
    else:
        sites = [(finding.path, finding.line)]
    fixes: List[Fix] = []
    for path, line in sites:
        target = context.by_display.get(path)
        facts = [f for f in target.facts.imports if f.line == line and f.scope == "function"] if target and target.module else []
        if target is None or not facts:
            return None
        for fact in facts:
            if fact.kind == "dynamic" or fact.guarded or fact.type_checking or any(n == "*" for n, _ in fact.names):
                return None
            names = [a or n for n, a in fact.names] if fact.kind == "from" else [fact.alias or fact.module.split(".")[0]]
            if any(n in target.facts.module_bindings and not any(same_import(f, fact, n) for f in target.facts.imports) for n in names):
                return None
            planned = context.adding(target, fact, spec_of(fact), UNSAFE, f"move `{fact.display}` to module level",
                                     ((fact.line, alias_keys(fact)),))
            if not isinstance(planned, Fix):
                return planned
            fixes.append(planned)
    if not fixes:
        return None
    return Fix(fixes[0].path, UNSAFE, "; ".join(dict.fromkeys(f.title for f in fixes)),
               adds=tuple(a for f in fixes for a in f.adds), removals=tuple(r for f in fixes for r in f.removals),
               edges=tuple(e for f in fixes for e in f.edges))
