"""Names that raise NameError/UnboundLocalError at run time (IG101, IG102), and undefined exports (IG104)."""

from __future__ import annotations

from typing import Iterator, Optional

from importguard.facts.model import CLEARING_KINDS, Binding, NameIssue
from importguard.findings import Finding, Related
from importguard.project.calls import decorators_call
from importguard.project.exports import absent_names, star_imports
from importguard.project.injections import Injection, injections_into
from importguard.project.model import Project, SourceFile
from importguard.rules import runtime_errors
from importguard.rules.base import Cause, Peer, Rule
from importguard.rules.fixes.names import plan_unbound_local, plan_undefined_name
from importguard.rules.injected import injected_condition, injected_here, injected_hint, injected_in_time
from importguard.rules.options import BUILTINS, PER_FILE_TARGET_VERSION, TARGET_VERSION

# The kinds of failing name reads (`facts.model.NAME_KINDS`) each rule reports.
UNDEFINED_KINDS = frozenset({
    "undefined", "elsewhere", "class-scope", "typing-only", "before-binding", "called-too-early", "global-unbound",
})
UNBOUND_LOCAL_KINDS = frozenset({"unbound-local", "called-too-early-local"})
# A call runs a nested function before a name it reads is bound.
CALLED_TOO_EARLY = frozenset({"called-too-early", "called-too-early-local", "called-too-early-local-maybe"})
# IG101 kinds a star import or a `globals()` write could explain: the name may come from there.
EXPLAINABLE = UNDEFINED_KINDS
# Kinds that depend on statement order, which a stub (`.pyi`, never run) does not have.
ORDERING = frozenset({"before-binding", "called-too-early"})
# IG101 kinds another module's `module.name = …` can explain: the module itself never binds it.
INJECTABLE = frozenset({"undefined", "typing-only"})


def where(scope: str) -> str:
    if not scope:
        return "at module level"
    if scope.startswith("class "):
        return f"in the body of class `{scope[6:]}`"
    if scope.endswith("<lambda>"):
        return "in a lambda"
    return f"in `{scope}()`"


def scope_phrase(scope: str) -> str:
    return f"the body of class `{scope[6:]}`" if scope.startswith("class ") else f"`{scope}()`"


def is_import(binding: Optional[Binding]) -> bool:
    return binding is not None and binding.is_import


def text_of(binding: Optional[Binding]) -> Optional[str]:
    return binding.text if binding is not None else None


def line_of(binding: Optional[Binding]) -> Optional[int]:
    return binding.line if binding is not None else None


def body_runs(project: Project, source: SourceFile, issue: NameIssue) -> bool:
    """A called-too-early use fails only if the call runs the function's body: undecorated, or
    every decorator calls it (`@st.composite` returns a strategy; the body runs on `draw`)."""
    return issue.kind not in CALLED_TOO_EARLY or not issue.decorators or decorators_call(project, source, issue.decorators)


def called_too_early_text(issue: NameIssue) -> tuple:
    """(message, hint) when a nested function runs before a name it reads is bound."""
    name, callee, line, found = issue.name, issue.callee, issue.call_line, issue.binding
    if found is not None and found.kind in CLEARING_KINDS:
        detail = f"`del` at line {found.line}"
        return (
            f"`{name}` is deleted before `{callee}()` runs (called at line {line}) {where(issue.where)}",
            f"{detail} removes `{name}` from the enclosing scope before the call; call `{callee}()` first or keep `{name}`",
        )
    detail = f"bound at line {found.line}" if found is not None else "bound later"
    return (
        f"`{name}` is not bound yet when `{callee}()` runs (called at line {line}) {where(issue.where)}",
        f"`{callee}()` reads `{name}` from the enclosing scope, where it is {detail}; "
        "move the call below that binding",
    )


def undefined_text(issue: NameIssue) -> tuple:
    """(message, hint) of an IG101 finding."""
    name, line, how = issue.name, line_of(issue.binding), text_of(issue.binding)
    place = where(issue.where)
    if issue.kind in CALLED_TOO_EARLY:
        return called_too_early_text(issue)
    if issue.kind == "elsewhere":
        verb = "imported" if is_import(issue.binding) else f"bound ({how})"
        return (
            f"name `{name}` is not defined {place}",
            f"`{name}` is {verb} only inside {scope_phrase(issue.elsewhere or '')} (line {line}); "
            + ("import it at module level" if is_import(issue.binding) else "names bound in one function are not visible in another"),
        )
    if issue.kind == "class-scope":
        return (
            f"name `{name}` is not defined {place}",
            f"`{name}` is bound in the body of class `{issue.elsewhere}` (line {line}), but names of a class "
            "body are not visible in its methods, nested functions or comprehensions; use "
            f"`self.{name}` or `{issue.elsewhere}.{name}`",
        )
    if issue.kind == "typing-only":
        return (
            f"name `{name}` is not defined at run time {place}",
            f"`{name}` is imported only under `if TYPE_CHECKING:` (line {line}), which never runs; import it "
            "unconditionally, or use it only in annotations that are not evaluated",
        )
    if issue.kind == "global-unbound":
        return (
            f"global `{name}` is read before anything binds it {place}",
            f"`{name}` is declared `global` and first bound by this function at line {line}, but module-level "
            f"code never binds it, so the first call raises NameError; bind `{name}` at module level "
            f"(for example `{name} = None`)",
        )
    if issue.kind == "before-binding":
        return (
            f"name `{name}` is used before it is bound {place}",
            f"module-level code runs top to bottom and `{name}` is first bound at line {line} ({how}); "
            "move that binding above this use",
        )
    return (f"name `{name}` is not defined {place}", f"no enclosing scope, import or builtin binds `{name}`")


def check_undefined_name(project: Project) -> Iterator[Finding]:
    for source in project.files:
        issues = [
            i for i in source.facts.names
            if i.kind in UNDEFINED_KINDS and not (is_stub(source) and i.kind in ORDERING) and body_runs(project, source, i)
        ]
        if not issues:
            continue
        stars = star_imports(project, source)
        dynamic = source.facts.dynamic_globals
        is_package = source.module is not None and source.module.is_package
        for issue in issues:
            if issue.name in project.builtins or (issue.name == "__path__" and is_package):
                continue
            if is_package and f"{source.module.name}.{issue.name}" in project.index.modules:  # type: ignore[union-attr]
                continue  # importing a submodule binds its name in the package's namespace
            if issue.kind in EXPLAINABLE and (
                issue.name in stars.provided or stars.unresolved or dynamic is not None
                or any(r.open_ended or issue.name in r.advertised for r in source.facts.rebuilds)
            ):
                continue
            injections = injections_into(project, source.module.name, issue.name) if (
                source.module is not None and issue.kind in INJECTABLE
            ) else []
            if any(injected_in_time(project, source, issue, i) for i in injections):
                continue
            message, hint = injected_text(source, issue, injections[0]) if injections else undefined_text(issue)
            if stars.unresolved:
                hint += f"; other undefined names are not reported because of `{stars.unresolved}`"
            elif dynamic is not None:
                hint += f"; other undefined names are not reported because line {dynamic} writes to the module namespace"
            yield UNDEFINED_NAME.finding(
                path=source.display, line=issue.line, column=issue.column,
                end_column=issue.column + len(issue.name), module=source.module.name if source.module else None,
                name=issue.name, message=message, hint=hint,
                related=related(source, issue) + [injected_here(i) for i in injections],
                import_time=not issue.where or issue.where.startswith("class "),
            )


def injected_text(source: SourceFile, issue: NameIssue, injection: Injection) -> tuple:
    """(message, hint) of an IG101 finding for a name another module assigns into this one."""
    module = source.module.name  # type: ignore[union-attr]
    return (
        f"name `{issue.name}` is not bound in `{module}` itself {where(issue.where)}",
        injected_hint(injection, injected_condition(injection, module, issue.where, issue.line))
        + f"; bind `{issue.name}` in `{module}` itself",
    )


def related(source: SourceFile, issue: NameIssue) -> list:
    if issue.kind in CALLED_TOO_EARLY:
        return [Related(source.display, issue.call_line, f"`{issue.callee}()` is called here")] if issue.call_line else []
    if issue.binding is None:
        return []
    scope = f" inside {scope_phrase(issue.elsewhere)}" if issue.elsewhere else ""
    return [Related(source.display, issue.binding.line, f"{issue.binding.text} binds `{issue.name}` here{scope}")]


def is_stub(source: SourceFile) -> bool:
    """A `.pyi` stub never runs: forward references are the norm there, not a NameError."""
    return source.path.suffix == ".pyi"


def check_unbound_local(project: Project) -> Iterator[Finding]:
    for source in project.files:
        if is_stub(source):
            continue
        for issue in source.facts.names:
            if issue.kind not in UNBOUND_LOCAL_KINDS or not body_runs(project, source, issue):
                continue
            shadows = f", shadowing the module-level binding at line {issue.shadows}" if issue.shadows else ""
            fix = "import it at module level instead" if is_import(issue.binding) else "bind it before this use"
            message = f"local variable `{issue.name}` is used before it is bound {where(issue.where)}"
            hint = (
                f"{text_of(issue.binding)} at line {line_of(issue.binding)} makes `{issue.name}` local to the whole "
                f"function{shadows}, so this use raises UnboundLocalError; {fix}"
            )
            if issue.kind in CALLED_TOO_EARLY:
                message, hint = called_too_early_text(issue)
            yield UNBOUND_LOCAL.finding(
                path=source.display, line=issue.line, column=issue.column,
                end_column=issue.column + len(issue.name), module=source.module.name if source.module else None,
                name=issue.name,
                message=message, hint=hint, related=related(source, issue),
            )


def check_undefined_export(project: Project) -> Iterator[Finding]:
    for source in project.files:
        exports = source.facts.unbound_exports
        absent = set(absent_names(project, source, [e.name for e in exports])) if exports else set()
        module = source.module.name if source.module else "module"
        for export in exports:
            if export.name not in absent:
                continue
            yield UNDEFINED_EXPORT.finding(
                path=source.display, line=export.line, column=export.column,
                module=source.module.name if source.module else None, name=export.name,
                message=f"`__all__` lists `{export.name}`, which the module does not define",
                hint=(
                    f"`from {module} import *` raises AttributeError; define or import `{export.name}`, "
                    "or remove it from `__all__`"
                ),
            )


UNDEFINED_NAME = Rule(
    scope="file",
    code="IG101", name="undefined-name", default=True,
    summary="a name is used where no enclosing scope, the module or builtins binds it",
    rationale=(
        "A name that no scope binds raises `NameError` when the line runs, often in a rarely taken "
        "path such as an error handler, long after tests passed. The classic case is a module "
        "imported inside one function and used in another: the import is local to the function that "
        "contains it. Uses at module level and in class bodies run at import time, so a name bound "
        "only further down the module fails there too. The message says where the name *is* bound. "
        "A name another module of the project assigns into this one (`mod.name = ...` at module "
        "level) counts in functions when importing this module always runs that assignment first."
    ),
    bad={
        "chat/__init__.py": "",
        "chat/auth.py": (
            "def connect():\n"
            "    import time\n"
            "    return time.time()\n"
            "\n"
            "\n"
            "def expired(token):\n"
            "    return token.expires < time.time()\n"
        ),
    },
    bad_findings=(("chat/auth.py", 7),),
    good={
        "chat/__init__.py": "",
        "chat/auth.py": (
            "import time\n"
            "\n"
            "\n"
            "def connect():\n"
            "    return time.time()\n"
            "\n"
            "\n"
            "def expired(token):\n"
            "    return token.expires < time.time()\n"
        ),
    },
    check=check_undefined_name,
    fix="safe",
    fixed={
        "chat/__init__.py": "",
        "chat/auth.py": (
            "import time\n"
            "\n"
            "\n"
            "def connect():\n"
            "    import time\n"
            "    return time.time()\n"
            "\n"
            "\n"
            "def expired(token):\n"
            "    return token.expires < time.time()\n"
        ),
    },
    planner=plan_undefined_name,
    local_facts=frozenset({"names"}),
    peers=(Peer("F821", "undefined-name"),),
    options=(BUILTINS, TARGET_VERSION, PER_FILE_TARGET_VERSION),
    causes=(Cause(runtime_errors.NAME, 0), Cause(runtime_errors.FREE_VARIABLE, 3)),
)

UNBOUND_LOCAL = Rule(
    scope="file",
    code="IG102", name="unbound-local", default=True,
    summary="a local name is used before the binding that makes it local",
    rationale=(
        "Any binding of a name inside a function (an assignment, an `import`, a `for` target, "
        "`del`, ...) makes that name local to the *whole* function. A use above the binding then "
        "raises `UnboundLocalError`, even when a module-level binding of the same name exists: a "
        "late `import time` in a function breaks every `time.time()` above it."
    ),
    bad={
        "handlers.py": (
            "import time\n"
            "\n"
            "\n"
            "def handle(message):\n"
            "    started = time.time()\n"
            "    if message == 'stats':\n"
            "        import time\n"
            "    return started\n"
        ),
    },
    bad_findings=(("handlers.py", 5),),
    good={
        "handlers.py": (
            "import time\n"
            "\n"
            "\n"
            "def handle(message):\n"
            "    started = time.time()\n"
            "    return started\n"
        ),
    },
    check=check_unbound_local,
    fix="safe",
    fixed={
        "handlers.py": (
            "import time\n"
            "\n"
            "\n"
            "def handle(message):\n"
            "    started = time.time()\n"
            "    if message == 'stats':\n"
            "        pass\n"
            "    return started\n"
        ),
    },
    planner=plan_unbound_local,
    local_facts=frozenset({"names"}),
    peers=(Peer("F823", "undefined-local"),),
    causes=(Cause(runtime_errors.UNBOUND_LOCAL, 0), Cause(runtime_errors.FREE_VARIABLE, 0)),
)

UNDEFINED_EXPORT = Rule(
    scope="file",
    code="IG104", name="undefined-export", default=True,
    summary="`__all__` lists a name the module does not bind",
    rationale=(
        "`from module import *` looks up every name in `__all__` and raises `AttributeError` for one "
        "the module does not define; documentation tools and type checkers trust `__all__` too. "
        "Entries naming submodules of a package are valid and not reported."
    ),
    bad={"api.py": "__all__ = ['connect', 'disconect']\n\n\ndef connect():\n    pass\n\n\ndef disconnect():\n    pass\n"},
    bad_findings=(("api.py", 1),),
    good={"api.py": "__all__ = ['connect', 'disconnect']\n\n\ndef connect():\n    pass\n\n\ndef disconnect():\n    pass\n"},
    check=check_undefined_export,
    local_facts=frozenset({"unbound_exports"}),
    peers=(Peer("F822", "undefined-export"),),
)

RULES = [UNDEFINED_NAME, UNBOUND_LOCAL, UNDEFINED_EXPORT]
