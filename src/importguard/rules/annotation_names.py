"""IG106: names in annotations that are never evaluated at run time, and are not defined.

A quoted annotation (`def f(x: 'Dispatcher')`), any annotation under `from __future__ import
annotations` (PEP 563) or on Python 3.14 (PEP 649), and code under `if TYPE_CHECKING:` never run
on their own. Their names fail only when something evaluates them: `typing.get_type_hints`,
pydantic models, FastAPI routes, `dataclasses` with a string `ClassVar`. pyflakes and ruff report
them as F821 together with run-time NameErrors; importguard keeps them apart so a team can decide.
"""

from __future__ import annotations

from typing import Iterator

from importguard.findings import Finding
from importguard.project.exports import star_imports
from importguard.project.model import Project
from importguard.rules import runtime_errors
from importguard.rules.base import Cause, Peer, Rule
from importguard.rules.names import where
from importguard.rules.options import BUILTINS, PER_FILE_TARGET_VERSION, TARGET_VERSION, TYPE_CHECKING_NAMES

# The kinds of failing name reads (`facts.model.NAME_KINDS`) this rule reports.
ANNOTATION_KINDS = frozenset({"annotation"})


def check_undefined_annotation_name(project: Project) -> Iterator[Finding]:
    for source in project.files:
        issues = [i for i in source.facts.names if i.kind in ANNOTATION_KINDS]
        if not issues or source.facts.dynamic_globals is not None:
            continue
        stars = star_imports(project, source)
        if stars.unresolved:
            continue
        for issue in issues:
            if issue.name in project.builtins or issue.name in stars.provided:
                continue
            yield UNDEFINED_ANNOTATION_NAME.finding(
                path=source.display, line=issue.line, column=issue.column,
                end_column=issue.column + len(issue.name), module=source.module.name if source.module else None,
                name=issue.name,
                message=f"name `{issue.name}` in an annotation is not defined" + (f" {where(issue.where)}" if issue.where else ""),
                hint=(
                    "this annotation is not evaluated when the code runs, so nothing fails until something "
                    "evaluates it (`typing.get_type_hints`, pydantic, FastAPI, dataclasses); then it raises "
                    f"NameError. Import `{issue.name}` (under `if TYPE_CHECKING:` if only type checkers need it)"
                ),
            )


UNDEFINED_ANNOTATION_NAME = Rule(
    scope="file",
    code="IG106", name="undefined-annotation-name", default=True, severity="warning",
    summary="a name used only in an unevaluated annotation is not defined",
    rationale=(
        "String annotations, annotations under `from __future__ import annotations` and code under "
        "`if TYPE_CHECKING:` do not run with the module, so an undefined name there is silent until a "
        "library evaluates the annotations: `typing.get_type_hints`, pydantic models and FastAPI "
        "routes do, and then raise `NameError`. Type checkers reject the name as well."
    ),
    bad={
        "api.py": (
            "def handle(dispatcher: 'ToolDispatcher') -> None:\n"
            "    dispatcher.run()\n"
        ),
    },
    bad_findings=(("api.py", 1),),
    good={
        "api.py": (
            "from typing import TYPE_CHECKING\n"
            "\n"
            "if TYPE_CHECKING:\n"
            "    from tools import ToolDispatcher\n"
            "\n"
            "\n"
            "def handle(dispatcher: 'ToolDispatcher') -> None:\n"
            "    dispatcher.run()\n"
        ),
    },
    check=check_undefined_annotation_name,
    local_facts=frozenset({"names"}),
    peers=(Peer("F821", "undefined-name"),),  # pyflakes reports string annotations as undefined names too
    options=(BUILTINS, TARGET_VERSION, PER_FILE_TARGET_VERSION, TYPE_CHECKING_NAMES),
    causes=(Cause(runtime_errors.NAME, 1),),
)

RULES = [UNDEFINED_ANNOTATION_NAME]
