"""Imports of first-party modules that do not exist (IG304) or lack the imported name (IG305)."""

from __future__ import annotations

import difflib
from typing import Iterator, List

from importguard.findings import Finding, Related
from importguard.project.exports import absent_names, namespace_is_open
from importguard.project.injections import injections_into
from importguard.project.model import Project
from importguard.rules import runtime_errors
from importguard.rules.base import Cause, Rule
from importguard.rules.injected import import_condition, import_in_time, injected_here, injected_hint
from importguard.rules.options import SRC, TYPE_CHECKING_NAMES


def check_unresolved_import(project: Project) -> Iterator[Finding]:
    for source in project.files:
        importer = source.module
        if importer is None:
            continue
        for fact in source.facts.imports:
            target, problem = project.index.absolute_target(fact, importer)
            if problem is None:
                if fact.guarded or not target or not project.index.missing_target(target, lambda m: namespace_is_open(project, m)):
                    continue
                problem = f"no module `{target}` in this project"
                hint = f"the import raises `ModuleNotFoundError`{below_module(project, target)}; fix the module path or add the module"
            else:
                hint = "relative imports resolve against the importing module's package; use an absolute import"
            yield UNRESOLVED_IMPORT.finding(
                path=source.display, line=fact.line, column=fact.column, module=importer.name,
                name=target, message=f"`{fact.display}`: {problem}", hint=hint,
                import_time=fact.edge_kind == "import-time" and not fact.guarded,
            )


def below_module(project: Project, target: str) -> str:
    """Why a target below a plain module fails: Python says the module is not a package."""
    parts = target.split(".")
    for depth in range(len(parts) - 1, 0, -1):
        info = project.index.modules.get(".".join(parts[:depth]))
        if info is not None:
            return "" if info.is_package else f" (`{info.name}` is a module, not a package)"
    return ""


def missing_names(project: Project, target: str, names: List[str]) -> List[str]:
    """The names `from target import ...` cannot find in first-party module `target`."""
    info = project.index.modules.get(target)
    if info is not None and info.path is None:
        # A namespace package has only its submodules, known when no other portion can exist.
        if not project.index.owned_namespace(target, lambda m: namespace_is_open(project, m)):
            return []
        return [n for n in names if n != "*" and f"{target}.{n}" not in project.index.modules
                and not project.index.may_be_namespace_package(target, n)]
    provider = project.by_module.get(target)
    if provider is None or provider.facts.problem is not None or provider.path.suffix != ".py":
        return []  # stubs, extension modules and broken files: not known
    return absent_names(project, provider, names)


def check_missing_module_name(project: Project) -> Iterator[Finding]:
    for source in project.files:
        importer = source.module
        if importer is None:
            continue
        for fact in source.facts.imports:
            if fact.kind != "from" or (fact.guarded and not fact.guard_module_only) or fact.type_checking:
                continue
            target, problem = project.index.absolute_target(fact, importer)
            if problem is not None or not target:
                continue
            for name in missing_names(project, target, [n for n, _ in fact.names]):  # type: ignore[misc]
                injections = injections_into(project, target, name)
                if any(import_in_time(project, source, fact, i) for i in injections):
                    continue
                provider = project.by_module.get(target)
                if provider is None:  # a namespace package: a folder without `__init__`
                    why = f"`{target}` is a folder without `__init__.py` and has no submodule `{name}`"
                    related = []
                else:
                    close = difflib.get_close_matches(name, list(provider.facts.module_bindings), n=1)
                    typing_only = any(name == n for f in provider.facts.imports if f.type_checking for n, _ in f.names)
                    why = (
                        injected_hint(injections[0], import_condition(injections[0], importer.name, fact)) if injections
                        else f"`{target}` imports `{name}` only under `if TYPE_CHECKING:`" if typing_only
                        else f"did you mean `{close[0]}`?" if close else f"`{target}` has no module-level `{name}`"
                    )
                    related = [Related(provider.display, 1, f"`{target}` is defined here")]
                yield MISSING_MODULE_NAME.finding(
                    path=source.display, line=fact.line, column=fact.column, module=importer.name, name=name,
                    message=f"`{fact.display}`: `{target}` does not define `{name}`" + (" itself" if injections else ""),
                    hint=f"Python raises `ImportError: cannot import name '{name}' from '{target}'`; {why}",
                    related=related + [injected_here(i) for i in injections],
                    import_time=fact.edge_kind == "import-time",
                )


UNRESOLVED_IMPORT = Rule(
    code="IG304", name="unresolved-import", default=True,
    summary="an import of a first-party module that no file provides",
    rationale=(
        "An import of a module of this project that does not exist (a typo, a file moved in a "
        "refactoring, a relative import that climbs out of the package) raises "
        "`ModuleNotFoundError`/`ImportError` when it runs. Imports guarded by a `try` whose "
        "handler catches `ImportError` are optional by design and not reported, nor are imports a "
        "test expects to fail (`with pytest.raises(ImportError):`)."
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
    options=(SRC,),
    stops_module=True,
    causes=(Cause(runtime_errors.NO_MODULE, 0),),
)

MISSING_MODULE_NAME = Rule(
    code="IG305", name="missing-module-name", default=True,
    summary="`from first_party.mod import X` where `mod` does not define `X`",
    rationale=(
        "A `from` import of a name the first-party module does not bind fails with `ImportError` "
        "as soon as the importing module runs — often after a rename or a move. importguard knows "
        "every module-level binding of the target, its submodules, re-exports, star imports, "
        "`__all__` and a module `__getattr__`; an import guarded by `except ImportError` is a "
        "deliberate fallback and is not reported (`pytest.raises(ModuleNotFoundError)` does not "
        "catch the plain `ImportError` of a missing name). A name the target imports only under "
        "`if TYPE_CHECKING:` does not exist at run time and is reported, unless another module "
        "assigns it (`mod.name = ...`) before the import can run."
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
    options=(TYPE_CHECKING_NAMES, SRC),
    stops_module=True,
    causes=(Cause(runtime_errors.MISSING_NAME, 0),),
)

RULES = [UNRESOLVED_IMPORT, MISSING_MODULE_NAME]
