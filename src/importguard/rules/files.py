"""Files that cannot be analysed (IG001 syntax errors, IG002 unreadable files): reported, and the run goes on."""

from __future__ import annotations

from typing import FrozenSet, Iterator

from importguard.findings import Finding
from importguard.project.model import Project
from importguard.rules.base import Rule
from importguard.rules.options import MAX_FILE_SIZE


# The problem kinds (`facts.model.PROBLEM_KINDS`) each rule reports; a file never read at all
# ("not-analysed": excluded, and imported by no reported module) is no finding.
SYNTAX_KINDS = frozenset({"syntax"})
UNREADABLE_KINDS = frozenset({
    "nul-bytes", "undecodable", "unsupported-syntax", "analysis-failure", "too-large", "unreadable", "over-budget",
})


def _problems(project: Project, rule: Rule, kinds: FrozenSet[str]) -> Iterator[Finding]:
    for source in project.files:
        problem = source.facts.problem
        if problem is not None and problem.kind in kinds:
            yield rule.finding(
                path=source.display, line=problem.line, column=problem.column, message=problem.message,
                module=source.module.name if source.module else None,
            )


def check_syntax_error(project: Project) -> Iterator[Finding]:
    return _problems(project, SYNTAX_ERROR, SYNTAX_KINDS)


def check_unreadable_file(project: Project) -> Iterator[Finding]:
    return _problems(project, UNREADABLE_FILE, UNREADABLE_KINDS)


SYNTAX_ERROR = Rule(
    scope="file",
    code="IG001", name="syntax-error", default=True,
    summary="the file cannot be parsed",
    rationale=(
        "A file that does not parse raises `SyntaxError` as soon as anything imports it, and "
        "none of its names or imports can be checked. importguard reports the line and column "
        "Python's parser stops at and goes on with the other files."
    ),
    bad={"app.py": "def handler(:\n    pass\n"},
    bad_findings=(("app.py", 1),),
    good={"app.py": "def handler():\n    pass\n"},
    check=check_syntax_error,
)

UNREADABLE_FILE = Rule(
    scope="file",
    code="IG002", name="unreadable-file", default=True,
    summary="the file cannot be read or decoded",
    rationale=(
        "Undecodable bytes, NUL bytes, a permission error or a file that vanished during the run "
        "all mean the file was not checked. Reporting it keeps a broken file from silently "
        "passing the gate."
    ),
    bad={"app.py": b"name = 'caf\xe9'  # latin-1 bytes in a UTF-8 file\n"},
    bad_findings=(("app.py", 1),),
    good={"app.py": "name = 'café'\n"},
    check=check_unreadable_file,
    options=(MAX_FILE_SIZE,),
)

RULES = [SYNTAX_ERROR, UNREADABLE_FILE]
