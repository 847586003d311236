"""IG306/IG307: import-time cycles that fail, replayed from each module of the cycle as entry point.

IG306 is a failure that ends the import. IG307 is the same failure caught by an `except
ImportError:` further up the chain: nothing crashes, the guarded module silently takes its
fallback, and only in processes that enter the cycle from the wrong module.
"""

from __future__ import annotations

from typing import Iterator, List

from importguard.findings import Finding, Related
from importguard.project.model import Project
from importguard.project.replays import failures_by_site, swallowed_by_site
from importguard.project.simulate import PartialImport
from importguard.rules import runtime_errors
from importguard.rules.base import Cause, Rule
from importguard.rules.options import SRC, TYPE_CHECKING_NAMES

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
