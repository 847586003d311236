"""Imports that run at surprising times: inside `except` handlers (IG201, IG202, IG205), inside functions (IG203), by name (IG204)."""

from __future__ import annotations

from typing import Iterator, List, Optional, Set, Tuple

from importguard.facts.model import HandlerCalls, ImportFact
from importguard.findings import Finding, Related
from importguard.project.calls import Call, chain_from
from importguard.project.loaded import LoadedModules, loaded_modules, targets_of
from importguard.project.model import Project, SourceFile
from importguard.project.stdlib import is_stdlib
from importguard.rules.base import Rule
from importguard.rules.fixes.handlers import plan_handler_import
from importguard.rules.options import SRC, TYPE_CHECKING_NAMES


def _where(function: str | None) -> str:
    return f"in `{function}()`" if function else "at module level"


def stdlib_target(project: Project, source: SourceFile, fact: ImportFact) -> bool:
    """The import names a standard-library module (and no first-party module shadows it)."""
    if source.module is None or fact.level:
        return False
    return is_stdlib(fact.module) and not project.index.is_first_party(fact.module)


def runs_for_the_first_time(project: Project, loaded: LoadedModules, source: SourceFile, fact: ImportFact) -> bool:
    """An import in a handler that can fail: not an optional import guarded by its own
    `try`/`except ImportError` inside the handler, and not a `sys.modules` lookup of a module
    that this file's imports already loaded (those above the handler, when it runs at import time)."""
    assert fact.handler is not None
    if fact.guarded and fact.guard_line is not None and fact.guard_line > fact.handler.line:
        return False
    targets = targets_of(project, source, fact)
    ran = ran_before(project, source, fact.function, fact.handler.line)
    now = loaded.when_running(source, fact.handler.line if fact.function is None else None, ran)
    return not targets or not all(target in now for target in targets)


def ran_before(project: Project, source: SourceFile, function: Optional[str], line: int) -> List[str]:
    """The modules a function imported unconditionally before the handler at `line` (a
    function-local import on its first lines): they are loaded when the handler runs."""
    if function is None:
        return []
    return [
        target for fact in source.facts.imports
        if fact.function == function and fact.line < line and not fact.conditional
        and not fact.guarded and not fact.type_checking and fact.kind != "dynamic"
        for target in targets_of(project, source, fact)
    ]


def check_import_in_except(project: Project, stdlib: bool = False) -> Iterator[Finding]:
    rule = STDLIB_IMPORT_IN_HANDLER if stdlib else IMPORT_IN_EXCEPT
    loaded = loaded_modules(project)
    for source in project.files:
        for fact in source.facts.imports:
            if fact.handler is None or stdlib_target(project, source, fact) != stdlib:
                continue
            if not runs_for_the_first_time(project, loaded, source, fact):
                continue
            handler = handler_phrase(fact.handler.caught)
            yield rule.finding(
                path=source.display, line=fact.line, column=fact.column,
                module=source.module.name if source.module else None, name=fact.module or None,
                end_column=fact.column + len(fact.display),
                message=f"`{fact.display}` runs inside {handler} handler (line {fact.handler.line}) {_where(fact.function)}",
                import_time=fact.function is None,
                hint=(
                    "an import in a handler runs exactly when the program is already failing, and can "
                    "fail itself; import at module level, before the `try`"
                ),
            )


def handler_phrase(caught: List[str]) -> str:
    if not caught:
        return "a bare `except:`"
    if len(caught) == 1:
        return f"an `except {caught[0]}`"
    return f"an `except ({', '.join(caught)})`"


def check_handler_reachable_import(project: Project, stdlib: bool = False) -> Iterator[Finding]:
    rule = STDLIB_IMPORT_IN_HANDLER if stdlib else HANDLER_REACHABLE_IMPORT
    loaded = loaded_modules(project)
    for source in project.files:
        for handler in source.facts.handlers:
            reported: Set[Tuple[str, str]] = set()

            def needed(calls: Tuple[Call, ...], fact: ImportFact, source: SourceFile = source, handler: HandlerCalls = handler) -> bool:
                """The import runs for the first time and can fail: it has no `except ImportError`
                of its own, and its module is not loaded by the handler's module (or the imports
                above the handler, at import time), by the imports the handler's function ran
                before it, by the modules of the functions called on the way, or by what those
                import at module level."""
                if fact.guarded:
                    return False
                ran = [c.target.module.name for c in calls if c.target.module is not None]
                ran += ran_before(project, source, handler.function, handler.line)
                now = loaded.when_running(source, handler.line if handler.function is None else None, ran)
                targets = targets_of(project, calls[-1].target, fact)
                return not targets or not all(target in now for target in targets)

            for callee, line, *column in handler.calls:
                chain = chain_from(project, source, callee, line, handler.function, needed=needed)
                if chain is None:
                    continue
                if all(stdlib_target(project, chain.calls[-1].target, f) for f in chain.imports) != stdlib:
                    continue
                last = chain.calls[-1]
                if (last.target.display, last.function) in reported:
                    continue
                reported.add((last.target.display, last.function))
                steps = " -> ".join(f"`{c.function}()`" for c in chain.calls)
                first_import = chain.imports[0]
                related = [
                    Related(c.target.display, c.target.facts.functions.get(c.function, 1), f"`{c.function}()` is defined here")
                    for c in chain.calls
                ] + [Related(last.target.display, f.line, f"`{f.display}` runs when `{last.function}()` is called") for f in chain.imports]
                yield rule.finding(
                    path=source.display, line=line, column=column[0] if column else 1,
                    end_column=(column[0] if column else 1) + len(callee),
                    module=source.module.name if source.module else None, name=first_import.module or None,
                    message=(
                        f"{handler_phrase(handler.caught)} handler (line {handler.line}) {_where(handler.function)} "
                        f"calls {steps}, which runs `{first_import.display}` "
                        f"({last.target.display}:{first_import.line})"
                    ),
                    hint=(
                        "the import runs for the first time while the program is already failing (nothing imported at "
                        "module level on the way has loaded it) and can fail "
                        f"itself; import it at module level in {last.target.display}, or make sure it has run before"
                    ),
                    related=related,
                )


def check_stdlib_import_in_handler(project: Project) -> Iterator[Finding]:
    yield from check_import_in_except(project, stdlib=True)
    yield from check_handler_reachable_import(project, stdlib=True)


def check_function_local_import(project: Project) -> Iterator[Finding]:
    for source in project.files:
        for fact in source.facts.imports:
            if fact.scope != "function" or fact.kind == "dynamic":
                continue
            yield FUNCTION_LOCAL_IMPORT.finding(
                path=source.display, line=fact.line, column=fact.column,
                module=source.module.name if source.module else None, name=fact.module or None,
                message=f"`{fact.display}` is deferred to run time inside `{fact.function}()`",
                hint="it runs on the first call, not at import time; move it to module level unless it breaks a cycle or defers a heavy import",
            )


def check_dynamic_import(project: Project) -> Iterator[Finding]:
    for source in project.files:
        for call in source.facts.dynamic_calls:
            yield DYNAMIC_IMPORT.finding(
                path=source.display, line=call.line, column=call.column,
                module=source.module.name if source.module else None,
                message=f"`{call.callee}()` imports a module whose name is computed at run time {_where(call.function)}",
                hint="static analysis cannot follow it; use a literal module name or a mapping of known modules",
            )


IMPORT_IN_EXCEPT = Rule(
    scope="file",
    code="IG201", name="import-in-except", default=True,
    summary="an import runs inside an `except` handler",
    rationale=(
        "Code in an `except` handler runs when something has already gone wrong: a database is "
        "down, memory is short, the process is shutting down. An import there executes a module "
        "for the first time at the worst moment, can raise its own `ImportError` or partial-import "
        "error that hides the original exception, and is rarely exercised by tests. Fallback imports "
        "in handlers that catch only `ImportError`/`ModuleNotFoundError` are the intended idiom and "
        "are not reported."
    ),
    bad={
        "service.py": (
            "def send(message):\n"
            "    try:\n"
            "        deliver(message)\n"
            "    except Exception:\n"
            "        from sentry_sdk import capture_exception\n"
            "        capture_exception()\n"
            "\n"
            "\n"
            "def deliver(message):\n"
            "    raise ConnectionError(message)\n"
        )
    },
    bad_findings=(("service.py", 5),),
    good={
        "service.py": (
            "from sentry_sdk import capture_exception\n"
            "\n"
            "try:\n"
            "    import ujson as json\n"
            "except ImportError:\n"
            "    import json\n"
            "\n"
            "\n"
            "def send(message):\n"
            "    try:\n"
            "        deliver(json.dumps(message))\n"
            "    except Exception:\n"
            "        capture_exception()\n"
            "\n"
            "\n"
            "def deliver(message):\n"
            "    raise ConnectionError(message)\n"
        )
    },
    check=check_import_in_except,
    fix="unsafe",
    fixed={
        "service.py": (
            "from sentry_sdk import capture_exception\n"
            "\n"
            "\n"
            "def send(message):\n"
            "    try:\n"
            "        deliver(message)\n"
            "    except Exception:\n"
            "        capture_exception()\n"
            "\n"
            "\n"
            "def deliver(message):\n"
            "    raise ConnectionError(message)\n"
        )
    },
    planner=plan_handler_import,
    options=(TYPE_CHECKING_NAMES,),
    handler_import=True,
)

_ENDPOINT = (
    "from chat.diagnostics import report\n"
    "\n"
    "\n"
    "def endpoint(handle):\n"
    "    try:\n"
    "        handle()\n"
    "    except Exception as exc:\n"
    "        report(exc)\n"
)

HANDLER_REACHABLE_IMPORT = Rule(
    scope="file",
    code="IG202", name="handler-reachable-import", default=True,
    summary="an `except` handler calls a first-party function that imports at run time",
    rationale=(
        "An import inside a function runs on the first call. When the call comes from an `except` "
        "handler, through one or a few first-party functions, the import runs exactly when the "
        "program is already failing — and in the rarely tested path. importguard follows calls it "
        "can resolve statically (functions of the module, `from first_party import f`, "
        "`module.f`, `self.method`) up to three deep and shows the chain with file and line."
    ),
    bad={
        "chat/__init__.py": "",
        "chat/diagnostics.py": "def report(exc):\n    import sentry_sdk\n    return sentry_sdk.capture_exception(exc)\n",
        "chat/routes.py": _ENDPOINT,
    },
    bad_findings=(("chat/routes.py", 8),),
    good={
        "chat/__init__.py": "",
        "chat/diagnostics.py": "import sentry_sdk\n\n\ndef report(exc):\n    return sentry_sdk.capture_exception(exc)\n",
        "chat/routes.py": _ENDPOINT,
    },
    check=check_handler_reachable_import,
    fix="unsafe",
    fixed={
        "chat/__init__.py": "",
        "chat/diagnostics.py": "import sentry_sdk\n\n\ndef report(exc):\n    return sentry_sdk.capture_exception(exc)\n",
        "chat/routes.py": _ENDPOINT,
    },
    planner=plan_handler_import,
    options=(SRC,),
    handler_import=True,
)

FUNCTION_LOCAL_IMPORT = Rule(
    scope="file",
    code="IG203", name="function-local-import", default=False, severity="info",
    summary="inventory of imports deferred into functions and methods",
    rationale=(
        "A function-local import runs on the first call, possibly in a request handler or an "
        "exception path, and makes the module's dependencies invisible at the top of the file. "
        "Such imports are sometimes right (breaking a cycle, deferring a heavy module), so this "
        "rule is off by default and serves as an inventory."
    ),
    bad={"util.py": "def now():\n    import time\n    return time.time()\n"},
    bad_findings=(("util.py", 2),),
    good={"util.py": "import time\n\n\ndef now():\n    return time.time()\n"},
    check=check_function_local_import,
)

DYNAMIC_IMPORT = Rule(
    scope="file",
    code="IG204", name="dynamic-import", default=False, severity="info",
    summary="`importlib.import_module`/`__import__` with a non-constant module name",
    rationale=(
        "A module name computed at run time hides a dependency from every static tool, including "
        "this one: its cycles and failures cannot be checked. Prefer literal names, or a mapping "
        "from keys to modules imported explicitly."
    ),
    bad={"plugins.py": "import importlib\n\n\ndef load(name):\n    return importlib.import_module(name)\n"},
    bad_findings=(("plugins.py", 5),),
    good={"plugins.py": "import importlib\n\n\ndef load():\n    return importlib.import_module('json')\n"},
    check=check_dynamic_import,
    local_facts=frozenset({"dynamic_calls"}),
)

STDLIB_IMPORT_IN_HANDLER = Rule(
    scope="file",
    code="IG205", name="stdlib-import-in-handler", default=False, severity="info",
    summary="an `except` handler imports (directly or through a call) only standard-library modules",
    rationale=(
        "IG201 and IG202 for imports of the standard library, kept apart and off by default: "
        "`import traceback` in a handler is already importable and cheap, and no project module can "
        "leave it partially initialised. First- and third-party imports in handlers, which can fail "
        "or meet a cycle exactly when the program is failing, stay in IG201/IG202."
    ),
    bad={
        "service.py": (
            "def send(message):\n"
            "    try:\n"
            "        message.deliver()\n"
            "    except Exception:\n"
            "        import traceback\n"
            "        traceback.print_exc()\n"
        ),
    },
    bad_findings=(("service.py", 5),),
    good={
        "service.py": (
            "import traceback\n"
            "\n"
            "\n"
            "def send(message):\n"
            "    try:\n"
            "        message.deliver()\n"
            "    except Exception:\n"
            "        traceback.print_exc()\n"
        ),
    },
    check=check_stdlib_import_in_handler,
    fix="unsafe",
    fixed={
        "service.py": (
            "import traceback\n"
            "\n"
            "\n"
            "def send(message):\n"
            "    try:\n"
            "        message.deliver()\n"
            "    except Exception:\n"
            "        traceback.print_exc()\n"
        ),
    },
    planner=plan_handler_import,
    handler_import=True,
)

RULES = [IMPORT_IN_EXCEPT, HANDLER_REACHABLE_IMPORT, FUNCTION_LOCAL_IMPORT, DYNAMIC_IMPORT, STDLIB_IMPORT_IN_HANDLER]
