"""IG3xx: the module graph — import cycles and imports of first-party modules that do not exist."""

from __future__ import annotations

import difflib
from typing import Iterator, List, Tuple

from importguard.findings import Finding, Hop, Related
from importguard.project.exports import absent_names
from importguard.project.graph import (
    DEFERRED,
    IMPORT_TIME,
    TYPING_ONLY,
    shortest_cycle,
    shortest_cycle_through,
)
from importguard.project.model import Project
from importguard.rules.base import Rule

CYCLE_HINT = {
    "IG301": "move one of these imports into the function that uses it, or move the shared code into a module both can import",
    "IG302": "a function-local import closes this cycle: it works only while every module involved has finished importing",
    "IG303": "the cycle exists only for the type checker; keep these imports under `if TYPE_CHECKING:` and annotations as strings",
}


def cycle_finding(project: Project, rule: Rule, cycle: List[str], kinds: Tuple[str, ...], members: int) -> Finding:
    hops: List[Hop] = []
    for importer, imported in zip(cycle, cycle[1:] + cycle[:1]):
        site = project.graph.best_site(importer, imported, kinds)
        hops.append(Hop(importer, site.path, site.line, site.statement, site.kind))
    hops.append(Hop(cycle[0], project.display_path(cycle[0]), None, None))
    label = {"IG301": "import cycle", "IG302": "deferred import cycle", "IG303": "typing-only import cycle"}[rule.code]
    chain = " -> ".join(f"`{m}`" for m in cycle + cycle[:1])
    size = f" (one cycle of a strongly connected group of {members} modules)" if members > len(cycle) else ""
    first = hops[0]
    return rule.finding(
        path=first.path, line=first.line, column=1, end_column=1 + len(first.statement or " "), module=cycle[0],
        message=f"{label}: {chain}{size}", hint=CYCLE_HINT[rule.code], cycle=hops,
    )


def check_import_cycle(project: Project) -> Iterator[Finding]:
    for view, members in project.graph.components(frozenset({IMPORT_TIME})):
        cycle = shortest_cycle(view, members)
        yield cycle_finding(project, IMPORT_CYCLE, cycle, (IMPORT_TIME,), len(members))


def _cycles_needing(project: Project, rule: Rule, extra: str) -> Iterator[Finding]:
    """Components that are cycles only thanks to edges of kind `extra`."""
    kinds = frozenset({IMPORT_TIME, extra})
    import_time = {frozenset(m) for _, m in project.graph.components(frozenset({IMPORT_TIME}))}
    for view, members in project.graph.components(kinds):
        if frozenset(members) in import_time:
            continue
        needed = [
            (u, v) for u, v in view.edges_within(members)
            if IMPORT_TIME not in project.graph.edge_kinds(u, v)
        ]
        cycle = shortest_cycle_through(view, members, needed)
        if cycle is not None:
            yield cycle_finding(project, rule, cycle, (IMPORT_TIME, extra), len(members))


def check_deferred_import_cycle(project: Project) -> Iterator[Finding]:
    return _cycles_needing(project, DEFERRED_IMPORT_CYCLE, DEFERRED)


def check_typing_only_cycle(project: Project) -> Iterator[Finding]:
    return _cycles_needing(project, TYPING_ONLY_CYCLE, TYPING_ONLY)


def check_unresolved_import(project: Project) -> Iterator[Finding]:
    for source in project.files:
        importer = source.module
        if importer is None:
            continue
        for fact in source.facts.imports:
            target, problem = project.index.absolute_target(fact, importer)
            if problem is None:
                if fact.guarded or not target or not project.index.missing_target(target):
                    continue
                problem = f"no module `{target}` in this project"
                hint = "the import raises `ModuleNotFoundError`; fix the module path or add the module"
            else:
                hint = "relative imports resolve against the importing module's package; use an absolute import"
            yield UNRESOLVED_IMPORT.finding(
                path=source.display, line=fact.line, column=fact.column, module=importer.name,
                name=target, message=f"`{fact.display}`: {problem}", hint=hint,
                import_time=fact.edge_kind == "import-time" and not fact.guarded,
            )


def missing_names(project: Project, target: str, names: List[str]) -> List[str]:
    """The names `from target import ...` cannot find in first-party module `target`."""
    provider = project.by_module.get(target)
    if provider is None or provider.facts.problem is not None or provider.path.suffix != ".py":
        return []  # namespace packages, stubs, extension modules and broken files: not known
    return absent_names(project, provider, names)


def check_missing_module_name(project: Project) -> Iterator[Finding]:
    for source in project.files:
        importer = source.module
        if importer is None:
            continue
        for fact in source.facts.imports:
            if fact.kind != "from" or fact.guarded or fact.type_checking:
                continue
            target, problem = project.index.absolute_target(fact, importer)
            if problem is not None or not target:
                continue
            for name in missing_names(project, target, [n for n, _ in fact.names]):  # type: ignore[misc]
                provider = project.by_module[target]
                close = difflib.get_close_matches(name, list(provider.facts.module_bindings), n=1)
                typing_only = any(name == n for f in provider.facts.imports if f.type_checking for n, _ in f.names)
                why = (
                    f"`{target}` imports `{name}` only under `if TYPE_CHECKING:`" if typing_only
                    else f"did you mean `{close[0]}`?" if close else f"`{target}` has no module-level `{name}`"
                )
                yield MISSING_MODULE_NAME.finding(
                    path=source.display, line=fact.line, column=fact.column, module=importer.name, name=name,
                    message=f"`{fact.display}`: `{target}` does not define `{name}`",
                    hint=f"Python raises `ImportError: cannot import name '{name}' from '{target}'`; {why}",
                    related=[Related(provider.display, 1, f"`{target}` is defined here")],
                    import_time=fact.edge_kind == "import-time",
                )


IMPORT_CYCLE = Rule(
    code="IG301", name="import-cycle", default=True,
    summary="a cycle of module-level imports among first-party modules",
    rationale=(
        "When modules import each other at import time, whichever is imported first sees the "
        "other only partially initialised. The code works or fails depending on which module a "
        "process happens to import first — a test runner, a worker and a web server often differ — "
        "so these bugs appear only in some environments. One finding per strongly connected group "
        "of modules, with the shortest cycle and the file and line of each import."
    ),
    bad={
        "chat/__init__.py": "",
        "chat/routes.py": "from chat.state import connections\n\n\ndef route():\n    return connections\n",
        "chat/state.py": "from chat.routes import route\n\nconnections = []\n",
    },
    bad_findings=(("chat/routes.py", 1),),
    good={
        "chat/__init__.py": "",
        "chat/routes.py": "from chat.state import connections\n\n\ndef route():\n    return connections\n",
        "chat/state.py": "connections = []\n",
    },
    check=check_import_cycle,
)

DEFERRED_IMPORT_CYCLE = Rule(
    code="IG302", name="deferred-import-cycle", default=False, severity="warning",
    summary="a cycle that exists only through function-local imports",
    rationale=(
        "Moving an import into a function is the usual way to break a cycle, and it works — but the "
        "modules still depend on each other, and the deferred import now runs at call time, maybe "
        "inside a request or an exception handler. This rule lists such cycles so they can be "
        "untangled for real."
    ),
    bad={
        "a.py": "import b\n",
        "b.py": "def f():\n    import a\n    return a\n",
    },
    bad_findings=(("a.py", 1),),
    good={"a.py": "import b\n", "b.py": "def f():\n    return 1\n"},
    check=check_deferred_import_cycle,
)

TYPING_ONLY_CYCLE = Rule(
    code="IG303", name="typing-only-cycle", default=False, severity="info",
    summary="a cycle that exists only through `if TYPE_CHECKING:` imports",
    rationale=(
        "Imports under `if TYPE_CHECKING:` never run, so such a cycle is harmless at run time, but "
        "it shows a design where two modules know about each other, and it turns into a real cycle "
        "the day one of those imports moves out of the guard."
    ),
    bad={
        "a.py": "import b\n",
        "b.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import a\n",
    },
    bad_findings=(("a.py", 1),),
    good={"a.py": "import b\n", "b.py": "from typing import TYPE_CHECKING\n"},
    check=check_typing_only_cycle,
)

UNRESOLVED_IMPORT = Rule(
    code="IG304", name="unresolved-import", default=True,
    summary="an import of a first-party module that no file provides",
    rationale=(
        "An import of a module of this project that does not exist (a typo, a file moved in a "
        "refactoring, a relative import that climbs out of the package) raises "
        "`ModuleNotFoundError`/`ImportError` when it runs. Imports guarded by a `try` whose "
        "handler catches `ImportError` are optional by design and not reported."
    ),
    bad={
        "chat/__init__.py": "",
        "chat/routes.py": "from chat.sessions import Session\nfrom ...config import settings\n",
    },
    bad_findings=(("chat/routes.py", 1), ("chat/routes.py", 2)),
    good={
        "chat/__init__.py": "",
        "chat/routes.py": "from chat.sessions import Session\nfrom .config import settings\n",
        "chat/sessions.py": "class Session:\n    pass\n",
        "chat/config.py": "settings = {}\n",
    },
    check=check_unresolved_import,
)

MISSING_MODULE_NAME = Rule(
    code="IG305", name="missing-module-name", default=True,
    summary="`from first_party.mod import X` where `mod` does not define `X`",
    rationale=(
        "A `from` import of a name the first-party module does not bind fails with `ImportError` "
        "as soon as the importing module runs — often after a rename or a move. importguard knows "
        "every module-level binding of the target, its submodules, re-exports, star imports, "
        "`__all__` and a module `__getattr__`; an import guarded by `except ImportError` is a "
        "deliberate fallback and is not reported. A name the target imports only under "
        "`if TYPE_CHECKING:` does not exist at run time and is reported."
    ),
    bad={
        "store/__init__.py": "",
        "store/models.py": "class Customer:\n    pass\n",
        "store/views.py": "from store.models import Costumer\n",
    },
    bad_findings=(("store/views.py", 1),),
    good={
        "store/__init__.py": "from .models import Customer\n",
        "store/models.py": "class Customer:\n    pass\n",
        "store/views.py": "from store.models import Customer\nfrom store import Customer as Again, models\n",
    },
    check=check_missing_module_name,
)

RULES = [IMPORT_CYCLE, DEFERRED_IMPORT_CYCLE, TYPING_ONLY_CYCLE, UNRESOLVED_IMPORT, MISSING_MODULE_NAME]
