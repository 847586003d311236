"""Which fix repairs a finding, decided from facts alone (no parsing).

IG101: a name imported only inside another function of the module is imported at module level
(safe for the standard library and the project; unsafe for a third-party module, which may be an
optional dependency, for a platform-only standard module, and for an import under a condition); a
name no scope binds but other modules import at module level gets the import most of them use
(unsafe: a guess). IG102: a late local import of what the module already imports
is removed (safe), otherwise hoisted (unsafe). IG201/IG202/IG205: the import a handler runs is
hoisted to module level (unsafe: it now runs, and can fail, when the module is imported).
Nothing that would close an import-time cycle, or that is guarded by `except ImportError` or
`if TYPE_CHECKING:`, is hoisted.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Dict, List, Optional, Tuple, Union

from importguard.facts.model import ImportFact
from importguard.findings import Finding
from importguard.fixes.model import FIRST_PARTY, RELATIVE, SAFE, STDLIB, THIRD_PARTY, UNSAFE, Fix, ImportSpec, alias_keys, spec_of
from importguard.project.graph import IMPORT_TIME
from importguard.project.model import Project, SourceFile
from importguard.project.stdlib import is_stdlib

# A refusal: why a finding that has the shape of a fixable one is not fixed.
Planned = Union[Fix, str, None]

# Standard-library modules that exist on some platforms only: a function importing one may run
# only there, so importing it at module level could fail elsewhere (unsafe).
PLATFORM_ONLY = frozenset({
    "msvcrt", "winreg", "_winreg", "winsound", "_winapi", "_overlapped", "nt", "msilib", "_msi",
    "posix", "pwd", "grp", "termios", "tty", "pty", "fcntl", "resource", "syslog", "crypt", "spwd", "nis",
    "readline", "curses", "_curses", "ossaudiodev", "_posixsubprocess", "_posixshmem",
    "_scproxy", "_osx_support", "_aix_support", "_bootsubprocess",
})
RUNS_WHEN_CALLED = re.compile(r"^`.+` runs when `.+\(\)` is called$")
HANDLER_CODES = ("IG201", "IG202", "IG205")


def with_fixes(findings: List[Finding], project: Project) -> List[Finding]:
    """The findings with the fix each has, if any: (applicability, what it does)."""
    planner = Planner(project)
    marked = []
    for finding in findings:
        planned = planner.plan(finding)
        marked.append(dataclasses.replace(finding, fix=(planned.applicability, planned.title)) if isinstance(planned, Fix) else finding)
    return marked


class Planner:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.by_display: Dict[str, SourceFile] = {f.display: f for f in project.files}

    def classify(self, module: str, level: int) -> int:
        if level or not module:
            return RELATIVE
        if self.project.index.is_first_party(module):
            return FIRST_PARTY
        return STDLIB if is_stdlib(module) else THIRD_PARTY

    def plan(self, finding: Finding) -> Planned:
        source = self.by_display.get(finding.path)
        if source is None or source.module is None or source.facts.problem is not None:
            return None
        if finding.code == "IG101" and finding.name:
            return self.undefined_name(finding, source)
        if finding.code == "IG102" and finding.name and finding.related:
            return self.unbound_local(finding, source)
        if finding.code in HANDLER_CODES:
            return self.handler_import(finding, source)
        return None

    def undefined_name(self, finding: Finding, source: SourceFile) -> Planned:
        name = finding.name or ""
        if not finding.related:
            return self.import_like_peers(finding, source, name)
        fact = local_import(source, finding.related[0].line, name)
        if fact is None or fact.guarded or fact.type_checking:
            return None
        spec = spec_of(fact, name)
        group = self.classify(fact.module, fact.level)
        portable = group != THIRD_PARTY and fact.module.split(".")[0] not in PLATFORM_ONLY and not fact.conditional
        applicability = SAFE if portable else UNSAFE
        return self.adding(source, fact, spec, applicability, f"import `{name}` at module level", ())

    def import_like_peers(self, finding: Finding, source: SourceFile, name: str) -> Planned:
        """The statement most modules of the project bind `name` with at module level, made
        absolute: at least two modules import `name`, and no module binds it any other way but the
        one it comes from. Each module votes once for each form it uses, so one module importing
        `time` twice (`import time`, then `from time import time`) does not leave every other
        module without a fix; a tie goes to plain `import name`, then to the first statement in
        sorted order, so every run picks the same one."""
        votes: Counter[ImportSpec] = Counter()
        importers, definers = 0, set()
        for other in self.project.files:
            if other is source or other.module is None or name not in other.facts.module_bindings:
                continue
            found = [
                fact for fact in other.facts.imports
                if fact.scope == "module" and not (fact.conditional or fact.guarded or fact.type_checking) and alias_keys(fact, name)
            ]
            if not found:
                definers.add(other.module.name)
                continue
            forms = set()
            for fact in found:
                target = self.project.index.absolute_target(fact, other.module)[0]
                spec = spec_of(fact, name)
                if target:  # a relative import above the top-level package names no module to add
                    forms.add(ImportSpec(spec.kind, target if spec.kind == "from" else "", 0, spec.aliases))
            votes.update(forms)
            importers += 1 if forms else 0
        if importers < 2:
            return None
        plain = ImportSpec("import", "", 0, ((name, None),))
        spec = min(votes, key=lambda s: (-votes[s], s != plain, s.text))
        if definers - {spec.module}:
            return None
        fact = fact_of(spec, finding.line)
        return self.adding(source, fact, spec, UNSAFE, f"add `{spec.text}` as other modules of the project do", ())

    def unbound_local(self, finding: Finding, source: SourceFile) -> Planned:
        name = finding.name or ""
        fact = local_import(source, finding.related[0].line, name)
        if fact is None or fact.guarded or fact.type_checking:
            return None
        keys = alias_keys(fact, name)
        if any(same_import(f, fact, name) for f in source.facts.imports):
            return Fix(source.display, SAFE, f"remove the local `{spec_of(fact, name).text}`: the module already imports it",
                       removals=((fact.line, keys),))
        if name in source.facts.module_bindings:
            return None
        return self.adding(source, fact, spec_of(fact, name), UNSAFE, f"move `{spec_of(fact, name).text}` to module level",
                           ((fact.line, keys),))

    def handler_import(self, finding: Finding, source: SourceFile) -> Planned:
        if finding.related:  # IG202 (or IG205 through a call): the imports the callee runs
            sites = [(r.path, r.line) for r in finding.related if RUNS_WHEN_CALLED.match(r.message)]
        else:
            sites = [(finding.path, finding.line)]
        fixes: List[Fix] = []
        for path, line in sites:
            target = self.by_display.get(path)
            facts = [f for f in target.facts.imports if f.line == line and f.scope == "function"] if target and target.module else []
            if target is None or not facts:
                return None
            for fact in facts:
                if fact.kind == "dynamic" or fact.guarded or fact.type_checking or any(n == "*" for n, _ in fact.names):
                    return None
                names = [a or n for n, a in fact.names] if fact.kind == "from" else [fact.alias or fact.module.split(".")[0]]
                if any(n in target.facts.module_bindings and not any(same_import(f, fact, n) for f in target.facts.imports) for n in names):
                    return None
                planned = self.adding(target, fact, spec_of(fact), UNSAFE, f"move `{fact.display}` to module level",
                                      ((fact.line, alias_keys(fact)),))
                if not isinstance(planned, Fix):
                    return planned
                fixes.append(planned)
        if not fixes:
            return None
        return Fix(fixes[0].path, UNSAFE, "; ".join(dict.fromkeys(f.title for f in fixes)),
                   adds=tuple(a for f in fixes for a in f.adds), removals=tuple(r for f in fixes for r in f.removals),
                   edges=tuple(e for f in fixes for e in f.edges))

    def adding(self, source: SourceFile, fact: ImportFact, spec: ImportSpec, applicability: str, title: str,
               removals: Tuple[Tuple[int, frozenset], ...]) -> Planned:
        """A fix adding `spec` at module level, or why not: the import-time cycle it would close
        (adding A -> B closes one exactly when B already reaches A at import time). A partial
        re-run has no graph: `--fix` always analyses the whole project, and refuses there."""
        assert source.module is not None
        edges = tuple((source.module.name, d.target) for d in self.project.index.dependencies(fact, source.module))
        for importer, imported in edges if self.project.built_graph is not None else ():
            chain = self.project.graph.shortest_chain(imported, importer, frozenset({IMPORT_TIME}))
            if chain is not None:
                return (f"not fixed: importing `{imported}` at module level would create the import-time cycle "
                        + " -> ".join(f"`{m}`" for m in [importer, *chain]))
        group = self.classify(spec.module if spec.kind == "from" else spec.aliases[0][0], spec.level)
        return Fix(source.display, applicability, title, adds=((spec, group),), removals=removals, edges=edges)


def local_import(source: SourceFile, line: int, name: str) -> Optional[ImportFact]:
    """The function-local import at `line` that binds `name`."""
    for fact in source.facts.imports:
        if fact.line == line and fact.scope == "function" and fact.kind != "dynamic" and alias_keys(fact, name):
            return fact
    return None


def same_import(module_level: ImportFact, local: ImportFact, name: str) -> bool:
    """`module_level` binds `name` unconditionally at module level exactly as `local` does."""
    return (
        module_level.scope == "module" and not module_level.conditional and not module_level.type_checking
        and not module_level.guarded and (module_level.kind, module_level.module, module_level.level) == (local.kind, local.module, local.level)
        and bool(alias_keys(local, name)) and alias_keys(module_level, name) == alias_keys(local, name)
    )


def fact_of(spec: ImportSpec, line: int) -> ImportFact:
    """A module-level import fact for `spec` (to ask the module index what it would import)."""
    if spec.kind == "import":
        name, alias = spec.aliases[0]
        return ImportFact("import", name, 0, [], alias, line, 1, "module", None, False, False, None, False, False)
    return ImportFact("from", spec.module, spec.level, [list(a) for a in spec.aliases], None, line, 1, "module", None,
                      False, False, None, False, False)
