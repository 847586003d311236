"""IG101/IG305 for names another first-party module assigns from outside (`mod.name = …`):
whether the assignment has certainly run before the use (see `project.injections`), and the
messages that say when it would when it has not."""

from __future__ import annotations

from typing import Optional

from importguard.facts.model import ImportFact, NameIssue
from importguard.findings import Related
from importguard.project.injections import Injection, runs_before_calls, runs_before_start
from importguard.project.loaded import with_parents
from importguard.project.model import Project, SourceFile


def in_function(where: Optional[str]) -> bool:
    """`where` (a use's scope: "" at module level, "class `C`" in a class body) is a function."""
    return bool(where) and not where.startswith("class ")  # type: ignore[union-attr]


def runs_later(source: SourceFile, function: Optional[str]) -> bool:
    """Code in `function` runs after its module has been imported: it is a function, and
    module-level code of its module does not call it (or its class)."""
    if not in_function(function):
        return False
    head = function.split(".")[0]  # type: ignore[union-attr]
    return not any(callee.split(".")[0] == head for callee, _ in source.facts.module_calls)


def injected_in_time(project: Project, source: SourceFile, issue: NameIssue, injection: Injection) -> bool:
    """A function of the module reads a name that another module has certainly assigned into
    it by then (the module's packages, or the module itself, import that one unconditionally),
    and the assigning module does not call it before assigning."""
    if not runs_later(source, issue.where):
        return False
    called = f"{injection.base}.{issue.where.split('.')[0]}"
    if any(callee == called and line <= injection.line for callee, line in injection.source.facts.module_calls):
        return False
    return runs_before_calls(project, injection, source.module.name)  # type: ignore[union-attr]


def injected_hint(injection: Injection, condition: Optional[str]) -> str:
    """Why a name that `injection` assigns into a module from outside may still be missing:
    it runs before this only under `condition` (never when None)."""
    how = "under a condition" if injection.conditional else "at import time"
    assigns = f"`{injection.where}` assigns `{injection.base}.{injection.name}` {how}"
    if condition is None:
        return f"{assigns}, after it has imported `{injection.target}`, which runs this module-level code first"
    return f"{assigns}, which runs before this only if {condition}"


def injected_condition(injection: Injection, module: str, function: Optional[str], line: int) -> Optional[str]:
    """When the injection runs before code of `module` in `function` (at `line`) does."""
    if in_function(function):
        return f"`{injection.module}` has been imported first"
    if injection.module in with_parents(module)[:-1]:
        return None  # the package is already running: importing it again does not run it
    # module-level code runs while `module` is first imported; the injector needs it to exist
    return f"`{module}` itself imports `{injection.module}` above line {line}"


def injected_here(injection: Injection) -> Related:
    return Related(injection.source.display, injection.line,
                   f"`{injection.module}` assigns `{injection.base}.{injection.name}` here")


def import_in_time(project: Project, source: SourceFile, fact: ImportFact, injection: Injection) -> bool:
    """`from target import name` runs after another module assigned `target.name`: a
    module-level import once a package above this module made the assignment before anything
    could start this module, a function-local one once importing this module has made it."""
    importer = source.module.name  # type: ignore[union-attr]
    if fact.edge_kind == "import-time":
        return runs_before_start(project, injection, importer)
    return runs_later(source, fact.function) and runs_before_calls(project, injection, importer)


def import_condition(injection: Injection, importer: str, fact: ImportFact) -> str:
    """When the injection runs before the import `fact` of module `importer` does."""
    if fact.edge_kind != "import-time":
        return f"`{injection.module}` has been imported first"
    if injection.module in with_parents(importer)[:-1]:
        return f"nothing `{injection.module}` runs above line {injection.line} imports `{importer}`"
    return f"`{injection.module}` has run before `{importer}` is first imported"
