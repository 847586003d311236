"""IG103 and IG105: names bound on some paths only.

The two rules split one question by precision. IG105 (on by default) is the shape that fails
whenever an exception or a `del` happens: a name bound in a `try` body and read in its handler or
after a handler that falls through, an `except … as e` name read after the handler, a read after
`del`. IG103 (opt-in) is the general branch and loop shape, which branch-correlated code makes
noisy on real projects (mypy keeps its possibly-undefined check off by default for that reason).
"""

from __future__ import annotations

from typing import FrozenSet, Iterator, Tuple

from importguard.facts.model import NameIssue
from importguard.findings import Finding
from importguard.project.calls import resolve_call
from importguard.project.exports import star_imports
from importguard.project.model import Project, SourceFile
from importguard.rules import runtime_errors
from importguard.rules.base import Cause, Rule
from importguard.rules.names import CALLED_TOO_EARLY, body_runs, called_too_early_text, is_stub, line_of, related, text_of, where
from importguard.rules.options import BUILTINS

# The kinds of failing name reads (`facts.model.NAME_KINDS`) each rule reports.
POSSIBLY_UNBOUND_KINDS = frozenset({"possibly-unbound", "called-too-early-local-maybe"})
EXCEPTION_PATH_KINDS = frozenset({"cleared", "cleared-some-path", "exception-path"})


def local_or_name(issue: NameIssue) -> str:
    return "name" if not issue.where else "local variable"


def path_text(issue: NameIssue) -> Tuple[str, str]:
    """(message, hint) of an IG103/IG105 finding."""
    name, line, how = issue.name, line_of(issue.binding), text_of(issue.binding)
    place = where(issue.where)
    error = "NameError" if not issue.where else "UnboundLocalError"
    if issue.kind in CALLED_TOO_EARLY:
        return called_too_early_text(issue)
    if issue.kind in ("cleared", "cleared-some-path"):
        if issue.binding is not None and issue.binding.kind == "del":
            removed, fix = f"`del {name}` (line {line})", f"bind `{name}` again before this use, or move the `del` below it"
        else:
            removed = f"the `except … as {name}` handler (line {line}) ends, which deletes it"
            fix = f"copy `{name}` to another name inside the handler"
        some = "" if issue.kind == "cleared" else " on some paths"
        return (f"{local_or_name(issue)} `{name}` is used after {removed}{some} {place}", f"this use raises {error}; {fix}")
    if issue.kind == "exception-path":
        started = f"the `try` at line {issue.try_line}" if issue.try_line else "a `try`"
        return (
            f"{local_or_name(issue)} `{name}` is unbound here when {started} fails before binding it {place}",
            f"`{name}` is bound at line {line} ({how}) inside that `try`; when an exception skips it and a handler "
            f"lets execution reach this use, it raises {error}; bind `{name}` before the `try` or in every handler",
        )
    return (
        f"{local_or_name(issue)} `{name}` may be unbound {place}",
        f"`{name}` is bound at line {line} ({how}), but not on every path to this use (an `if` without `else`, "
        f"a loop that may not run); bind it before the branch",
    )


def explained_away(project: Project, source: SourceFile, issue: NameIssue) -> bool:
    """At module level a star import or a namespace write may bind the name on the other paths."""
    if issue.where or issue.kind == "cleared":
        return False  # nothing brings back a name that `del` removed on every path
    if issue.name in project.builtins or source.facts.dynamic_globals is not None:
        return True
    stars = star_imports(project, source)
    return bool(stars.unresolved) or issue.name in stars.provided


def handlers_never_return(project: Project, source: SourceFile, issue: NameIssue) -> bool:
    """Every handler that seemed to fall through ends by calling a first-party function whose
    every path raises (`handle_error(exc)`): execution never reaches the use that way."""
    calls = issue.handler_calls
    if not calls or "" in calls:
        return False
    caller = issue.where or None
    for callee in calls:
        if caller and f"{caller}.<locals>.{callee}" in source.facts.no_return:
            continue  # a nested helper of the same function (`usage()` ending in `sys.exit`)
        found = resolve_call(project, source, callee, caller)
        if found is None or found[1] not in found[0].facts.no_return:
            return False
    return True


def check_paths(project: Project, rule: Rule, kinds: FrozenSet[str]) -> Iterator[Finding]:
    for source in project.files:
        if is_stub(source):
            continue
        for issue in source.facts.names:
            if issue.kind not in kinds or explained_away(project, source, issue) or not body_runs(project, source, issue):
                continue
            if handlers_never_return(project, source, issue):
                continue
            message, hint = path_text(issue)
            yield rule.finding(
                path=source.display, line=issue.line, column=issue.column,
                end_column=issue.column + len(issue.name), module=source.module.name if source.module else None,
                name=issue.name, message=message, hint=hint, related=related(source, issue),
                import_time=not issue.where or issue.where.startswith("class "),
            )


def check_possibly_unbound(project: Project) -> Iterator[Finding]:
    return check_paths(project, POSSIBLY_UNBOUND, POSSIBLY_UNBOUND_KINDS)


def check_exception_path_unbound(project: Project) -> Iterator[Finding]:
    return check_paths(project, EXCEPTION_PATH_UNBOUND, EXCEPTION_PATH_KINDS)


POSSIBLY_UNBOUND = Rule(
    scope="file",
    code="IG103", name="possibly-unbound", default=False, severity="warning",
    summary="a name is bound on some branches or loop paths only (opt-in)",
    rationale=(
        "A name bound in one branch of an `if` without `else`, or in a loop body that may not run, is "
        "unbound on the other paths: the use raises `UnboundLocalError` (`NameError` at module level) "
        "exactly in the unusual case. Real code often correlates its branches (the same flag tested twice), "
        "which no flow analysis can see, so this rule is opt-in; importguard already accepts repeated "
        "tests, flags set together with the name, `'x' in locals()` guards and loops over non-empty "
        "literals."
    ),
    bad={
        "report.py": (
            "def summary(rows):\n"
            "    if rows:\n"
            "        total = sum(rows)\n"
            "    return f'total: {total}'\n"
        ),
    },
    bad_findings=(("report.py", 4),),
    good={
        "report.py": (
            "def summary(rows):\n"
            "    total = 0\n"
            "    if rows:\n"
            "        total = sum(rows)\n"
            "    return f'total: {total}'\n"
        ),
    },
    check=check_possibly_unbound,
    local_facts=frozenset({"names"}),
    options=(BUILTINS,),
    causes=(
        Cause(runtime_errors.NAME, 3), Cause(runtime_errors.UNBOUND_LOCAL, 2), Cause(runtime_errors.FREE_VARIABLE, 2),
    ),
)

EXCEPTION_PATH_UNBOUND = Rule(
    scope="file",
    code="IG105", name="exception-path-unbound", default=True,
    summary="a name is unbound exactly when an exception or a `del` happened",
    rationale=(
        "A name bound inside a `try` body is unbound in its handler, and after a handler that lets "
        "execution continue, whenever the exception came before the binding; an `except … as e` name is "
        "deleted when the handler ends; a `del` removes a name for every later use. These uses raise "
        "`UnboundLocalError` (`NameError` at module level) precisely while the program is already "
        "handling a failure, so the original error is lost. `import redis` in a `try` followed by "
        "`except redis.ConnectionError:` fails in the handler itself when the import fails. A handler "
        "that catches only exceptions nothing before the binding can raise sees the name bound."
    ),
    bad={
        "cache.py": (
            "def connect(url):\n"
            "    try:\n"
            "        import redis\n"
            "        client = redis.Redis.from_url(url)\n"
            "    except redis.ConnectionError:\n"
            "        return None\n"
            "    return client\n"
        ),
    },
    bad_findings=(("cache.py", 5),),
    good={
        "cache.py": (
            "import redis\n"
            "\n"
            "\n"
            "def connect(url):\n"
            "    try:\n"
            "        client = redis.Redis.from_url(url)\n"
            "    except redis.ConnectionError:\n"
            "        return None\n"
            "    return client\n"
        ),
    },
    check=check_exception_path_unbound,
    local_facts=frozenset({"names"}),
    options=(BUILTINS,),
    causes=(
        Cause(runtime_errors.NAME, 2), Cause(runtime_errors.UNBOUND_LOCAL, 1), Cause(runtime_errors.FREE_VARIABLE, 1),
    ),
)

RULES = [POSSIBLY_UNBOUND, EXCEPTION_PATH_UNBOUND]
