"""The fixes of IG101 and IG102 (the planners their records point to).

IG101: a name imported only inside another function of the module is imported at module level
(safe for the standard library and the project; unsafe for a third-party module, which may be an
optional dependency, for a platform-only standard module, and for an import under a condition); a
name no scope binds but other modules import at module level gets the import most of them use
(unsafe: a guess). IG102: a late local import of what the module already imports is removed
(safe), otherwise hoisted (unsafe). Nothing that would close an import-time cycle, or that is
guarded by `except ImportError` or `if TYPE_CHECKING:`, is hoisted.
"""

from __future__ import annotations

from collections import Counter

from importguard.facts.model import ImportFact
from importguard.findings import Finding
from importguard.project.model import SourceFile
from importguard.rules.fixes.context import FixContext, Planned, local_import, same_import
from importguard.rules.fixes.model import SAFE, THIRD_PARTY, UNSAFE, Fix, ImportSpec, alias_keys, spec_of

# Standard-library modules that exist on some platforms only: a function importing one may run
# only there, so importing it at module level could fail elsewhere (unsafe).
PLATFORM_ONLY = frozenset({
    "msvcrt", "winreg", "_winreg", "winsound", "_winapi", "_overlapped", "nt", "msilib", "_msi",
    "posix", "pwd", "grp", "termios", "tty", "pty", "fcntl", "resource", "syslog", "crypt", "spwd", "nis",
    "readline", "curses", "_curses", "ossaudiodev", "_posixsubprocess", "_posixshmem",
    "_scproxy", "_osx_support", "_aix_support", "_bootsubprocess",
})


def plan_undefined_name(finding: Finding, source: SourceFile, context: FixContext) -> Planned:
    if not finding.name:
        return None
    name = finding.name
    if not finding.related:
        return import_like_peers(finding, source, name, context)
    fact = local_import(source, finding.related[0].line, name)
    if fact is None or fact.guarded or fact.type_checking:
        return None
    spec = spec_of(fact, name)
    group = context.classify(fact.module, fact.level)
    portable = group != THIRD_PARTY and fact.module.split(".")[0] not in PLATFORM_ONLY and not fact.conditional
    applicability = SAFE if portable else UNSAFE
    return context.adding(source, fact, spec, applicability, f"import `{name}` at module level", ())


def import_like_peers(finding: Finding, source: SourceFile, name: str, context: FixContext) -> Planned:
    """The statement most modules of the project bind `name` with at module level, made
    absolute: at least two modules import `name`, and no module binds it any other way but the
    one it comes from. Each module votes once for each form it uses, so one module importing
    `time` twice (`import time`, then `from time import time`) does not leave every other
    module without a fix; a tie goes to plain `import name`, then to the first statement in
    sorted order, so every run picks the same one."""
    project = context.project
    votes: Counter[ImportSpec] = Counter()
    importers, definers = 0, set()
    for other in project.files:
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
            target = project.index.absolute_target(fact, other.module)[0]
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
    return context.adding(source, fact, spec, UNSAFE, f"add `{spec.text}` as other modules of the project do", ())


def plan_unbound_local(finding: Finding, source: SourceFile, context: FixContext) -> Planned:
    if not finding.name or not finding.related:
        return None
    name = finding.name
    fact = local_import(source, finding.related[0].line, name)
    if fact is None or fact.guarded or fact.type_checking:
        return None
    keys = alias_keys(fact, name)
    if any(same_import(f, fact, name) for f in source.facts.imports):
        return Fix(source.display, SAFE, f"remove the local `{spec_of(fact, name).text}`: the module already imports it",
                   removals=((fact.line, keys),))
    if name in source.facts.module_bindings:
        return None
    return context.adding(source, fact, spec_of(fact, name), UNSAFE, f"move `{spec_of(fact, name).text}` to module level",
                          ((fact.line, keys),))


def fact_of(spec: ImportSpec, line: int) -> ImportFact:
    """A module-level import fact for `spec` (to ask the module index what it would import)."""
    if spec.kind == "import":
        name, alias = spec.aliases[0]
        return ImportFact("import", name, 0, [], alias, line, 1, "module", None, False, False, None, False, False)
    return ImportFact("from", spec.module, spec.level, [list(a) for a in spec.aliases], None, line, 1, "module", None,
                      False, False, None, False, False)
