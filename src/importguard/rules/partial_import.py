"""IG306/IG307: import-time cycles that fail, replayed from each module of the cycle as entry point.

IG306 is a failure that ends the import. IG307 is the same failure caught by an `except
ImportError:` further up the chain: nothing crashes, the guarded module silently takes its
fallback, and only in processes that enter the cycle from the wrong module.
"""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Set, Tuple

from importguard.findings import Finding, Related
from importguard.project.graph import IMPORT_TIME
from importguard.project.model import Project
from importguard.project.simulate import PartialImport, Plans, Step, reaching, replay
from importguard.rules import runtime_errors
from importguard.rules.base import Cause, Rule
from importguard.rules.options import SRC, TYPE_CHECKING_NAMES

MAX_ENTRIES = 200  # entry points replayed per cycle; each replay walks the cycle once


Swallowed = Tuple[PartialImport, Step]  # a failure and the guarded import that caught it


def replays(project: Project) -> Iterator[Tuple[Set[str], List[str], Dict[str, Tuple[Optional[PartialImport], List[Swallowed]]]]]:
    """Per import-time cycle: its members, the entries replayed, and per entry (the failure that
    ends the import, the failures guards swallowed on the way). Computed once per project."""
    yield from project.memo("replays", lambda: list(replay_cycles(project)))


def replay_cycles(project: Project) -> Iterator[Tuple[Set[str], List[str], Dict[str, Tuple[Optional[PartialImport], List[Swallowed]]]]]:
    plans = Plans(project)
    for _view, members in project.graph.components(frozenset({IMPORT_TIME})):
        entries = entry_points(plans, members)
        if entries:
            relevant = reaching(project, members)
            outcome = {}
            for entry in entries:
                failure, run = replay(project, entry, plans, relevant)
                outcome[entry] = (failure, run.swallowed)
            yield members, entries, outcome


def failures_by_site(project: Project) -> Iterator[Tuple[PartialImport, List[str], List[str]]]:
    """(first failure seen, entries that fail there, entries of the same cycle that work)."""
    for members, entries, outcome in replays(project):
        sites: Dict[tuple, List[PartialImport]] = {}
        for entry in entries:
            failure = outcome[entry][0]
            if failure is not None and failure.target in members:
                key = (failure.site.path, failure.site.line, failure.name)
                sites.setdefault(key, []).append(failure)
        working = [entry for entry in entries if outcome[entry][0] is None]
        for key in sorted(sites):
            failures = sites[key]
            yield failures[0], [f.entry for f in failures], working


def swallowed_by_site(project: Project) -> Iterator[Tuple[PartialImport, Step, List[str]]]:
    """(a swallowed failure, the guarded import that caught it, every entry where it catches one)."""
    for members, entries, outcome in replays(project):
        sites: Dict[tuple, List[Swallowed]] = {}
        for entry in entries:
            for failure, guard in outcome[entry][1]:
                if failure.target in members:
                    key = (guard.path, guard.line)  # one finding per guard that swallows
                    sites.setdefault(key, []).append((failure, guard))
        for key in sorted(sites):
            found = sites[key]
            yield found[0][0], found[0][1], sorted({f.entry for f, _ in found})


def entry_points(plans: Plans, members: Set[str]) -> List[str]:
    """The modules to replay as entries: all of them, unless the cycle is huge.

    A cycle can only break at a statement that needs names from one of its own modules
    (`from member import X`, `member.X`); a cycle without one is skipped. Above
    MAX_ENTRIES members, the modules that import or provide such names are tried first.
    """
    needy = [m for m in sorted(members) if any(e.target in members and e.names for e in plans.events(m))]
    if not needy:
        return []
    if len(members) <= MAX_ENTRIES:
        return sorted(members)
    providers = {e.target for m in needy for e in plans.events(m) if e.target in members and e.names}
    preferred = sorted(providers | set(needy))
    return (preferred + sorted(members - set(preferred)))[:MAX_ENTRIES]


def listing(modules: List[str], limit: int = 5) -> str:
    """`a` or `b`; past `limit`: "`a`, `b`, `c`, `d`, `e` or one of 35 more modules"."""
    if len(modules) <= limit:
        return " or ".join(f"`{m}`" for m in modules)
    return ", ".join(f"`{m}`" for m in modules[:limit]) + f" or one of {len(modules) - limit} more modules"


def message(failure: PartialImport, failing: List[str]) -> str:
    entries = listing(failing)
    site = failure.site
    what = f"`{site.statement}`" if failure.error == "ImportError" else f"`{site.statement}` (module level)"
    return (
        f"{what} fails with {failure.error} when {entries} is imported first: `{failure.target}` is only "
        f"partially initialised and binds `{failure.name}` at line {failure.bound_at}"
    )


def hint(failure: PartialImport, working: List[str]) -> str:
    python = (
        f"cannot import name '{failure.name}' from partially initialized module '{failure.target}'"
        if failure.error == "ImportError"
        else f"partially initialized module '{failure.target}' has no attribute '{failure.name}'"
    )
    order = (
        f"importing {listing(working)} first works, which is why this fails only in some processes; "
        if working else "every entry into this cycle fails; "
    )
    return (
        f"Python raises `{failure.error}: {python}`; {order}bind `{failure.name}` before line "
        f"{failure.paused_at} of `{failure.target}`, or move one of the imports into the function that needs it"
    )


def check_partial_import(project: Project) -> Iterator[Finding]:
    for failure, failing, working in failures_by_site(project):
        site = failure.site
        related = [Related(step.path, step.line, f"`{step.module}` runs `{step.statement}`") for step in failure.chain[:-1]]
        target_path = project.display_path(failure.target)
        if target_path:
            related.append(Related(target_path, failure.bound_at, f"`{failure.name}` is bound here, too late"))
        yield PARTIAL_IMPORT.finding(
            path=site.path, line=site.line, column=1, module=site.module, name=failure.name,
            message=message(failure, failing), hint=hint(failure, working), related=related,
            import_time=True,
        )


def check_swallowed_partial_import(project: Project) -> Iterator[Finding]:
    for failure, guard, entries in swallowed_by_site(project):
        site = failure.site
        module = guard.module
        related = [Related(step.path, step.line, f"`{step.module}` runs `{step.statement}`") for step in failure.chain[:-1]]
        target_path = project.display_path(failure.target)
        if target_path:
            related.append(Related(target_path, failure.bound_at, f"`{failure.name}` is bound here, too late"))
        first = listing(entries)
        yield SWALLOWED_PARTIAL_IMPORT.finding(
            path=guard.path, line=guard.line, column=1, module=module, name=failure.name,
            message=(
                f"`{guard.statement}` fails silently when {first} is imported first: `{site.statement}` "
                f"({site.path}:{site.line}) raises ImportError because `{failure.target}` is only partially "
                f"initialised, and the `except ImportError` here swallows it"
            ),
            hint=(
                f"nothing crashes, but `{module}` takes its `except ImportError` fallback in processes that import "
                f"{first} first, and the real import in others; bind `{failure.name}` before line {failure.paused_at} "
                f"of `{failure.target}`, or break the cycle"
            ),
            related=related, import_time=True,
        )


PARTIAL_IMPORT = Rule(
    code="IG306", name="partial-import", default=True,
    summary="an import-time cycle that fails when entered from one of its modules",
    rationale=(
        "In an import cycle, the module imported first pauses at its import of the next module, "
        "which then sees it partially initialised: only the names bound above the paused line "
        "exist. A `from m import X` of a later name raises `ImportError: cannot import name ... "
        "from partially initialized module`, and `m.X` raises `AttributeError`. Whether it fails "
        "depends on which module a process imports first, so it breaks in one entry point (a "
        "worker, a test) and not another. importguard replays Python's import order from every "
        "module of each cycle and reports each failing statement once, with the chain that reaches "
        "it and the binding that comes too late."
    ),
    bad={
        "shop/__init__.py": "",
        "shop/orders.py": "from shop.billing import charge\n\nTAX = 0.2\n",
        "shop/billing.py": "from shop.orders import TAX\n\n\ndef charge(amount):\n    return amount * (1 + TAX)\n",
    },
    bad_findings=(("shop/billing.py", 1), ("shop/orders.py", 1)),
    good={
        "shop/__init__.py": "",
        "shop/orders.py": "TAX = 0.2\n",
        "shop/billing.py": "from shop.orders import TAX\n\n\ndef charge(amount):\n    return amount * (1 + TAX)\n",
    },
    check=check_partial_import,
    options=(TYPE_CHECKING_NAMES, SRC),
    stops_module=True,
    causes=(
        Cause(runtime_errors.PARTIAL_IMPORT, 0), Cause(runtime_errors.PARTIAL_ATTRIBUTE, 0),
        Cause(runtime_errors.MODULE_ATTRIBUTE, 0), Cause(runtime_errors.MISSING_NAME, 1),
    ),
)


SWALLOWED_PARTIAL_IMPORT = Rule(
    code="IG307", name="swallowed-partial-import", default=True,
    summary="an import-time cycle fails, and an `except ImportError:` silently takes its fallback",
    rationale=(
        "An optional import (`try: from .config import UnifiedConfig` / `except ImportError: "
        "UnifiedConfig = None`) also catches the ImportError of a partial import: when a process "
        "enters the cycle from the wrong module, the import fails only because of the order, the "
        "guard takes the fallback, and the feature is silently off in that process while it works "
        "in the others. Nothing crashes, so nothing is logged. importguard replays the import order "
        "and reports the guard, the statement that really fails, and the entries that trigger it."
    ),
    bad={
        "app/__init__.py": "",
        "app/config.py": (
            "try:\n"
            "    from app.features import flags\n"
            "    FEATURES = True\n"
            "except ImportError:\n"
            "    FEATURES = False\n"
            "\n"
            "DEFAULTS = {}\n"
        ),
        "app/features.py": "from app.config import DEFAULTS\n\nflags = dict(DEFAULTS)\n",
    },
    bad_findings=(("app/config.py", 2),),
    good={
        "app/__init__.py": "",
        "app/defaults.py": "DEFAULTS = {}\n",
        "app/config.py": (
            "from app.defaults import DEFAULTS\n"
            "\n"
            "try:\n"
            "    from app.features import flags\n"
            "    FEATURES = True\n"
            "except ImportError:\n"
            "    FEATURES = False\n"
        ),
        "app/features.py": "from app.defaults import DEFAULTS\n\nflags = dict(DEFAULTS)\n",
    },
    check=check_swallowed_partial_import,
    options=(TYPE_CHECKING_NAMES, SRC),
    causes=(Cause(runtime_errors.PARTIAL_IMPORT, 1),),
)

RULES = [PARTIAL_IMPORT, SWALLOWED_PARTIAL_IMPORT]
