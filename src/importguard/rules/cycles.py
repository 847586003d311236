"""Import cycles among first-party modules: module-level (IG301), closed only by function-local
imports (IG302) or only by `if TYPE_CHECKING:` imports (IG303)."""

from __future__ import annotations

from typing import Iterator, List, Tuple

from importguard.findings import Finding, Hop
from importguard.project.graph import (
    DEFERRED,
    IMPORT_TIME,
    TYPING_ONLY,
    shortest_cycle,
    shortest_cycle_through,
)
from importguard.project.model import Project
from importguard.rules.base import Rule
from importguard.rules.options import SRC, TYPE_CHECKING_NAMES

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
            (u, v) for u, v in view.subgraph(members).edges()
            if IMPORT_TIME not in project.graph.edge_kinds(u, v)
        ]
        cycle = shortest_cycle_through(view, members, needed)
        if cycle is not None:
            yield cycle_finding(project, rule, cycle, (IMPORT_TIME, extra), len(members))


def check_deferred_import_cycle(project: Project) -> Iterator[Finding]:
    return _cycles_needing(project, DEFERRED_IMPORT_CYCLE, DEFERRED)


def check_typing_only_cycle(project: Project) -> Iterator[Finding]:
    return _cycles_needing(project, TYPING_ONLY_CYCLE, TYPING_ONLY)


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
    options=(TYPE_CHECKING_NAMES, SRC),
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
    options=(SRC,),
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
    options=(TYPE_CHECKING_NAMES, SRC),
)

RULES = [IMPORT_CYCLE, DEFERRED_IMPORT_CYCLE, TYPING_ONLY_CYCLE]
