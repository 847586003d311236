"""IG003: inline suppressions that no longer suppress anything (and unknown codes in them).

A `# noqa: IG101` (or `# importguard: ignore[IG101]`, or a peer's `# noqa: F821`) left on a line
that no longer has that finding hides the next real bug there. Whether it suppressed something
is known only after the other rules ran, so the runner computes this rule from their findings.
"""

from __future__ import annotations

from typing import Iterator, List, Set, Tuple

from importguard.findings import Finding
from importguard.project.model import Project
from importguard.rules.base import Rule

Used = Set[Tuple[str, int, str]]  # (path, line, listed code) that suppressed a finding


def importguard_codes(listed: List[str], known: Set[str], peers: Set[str]) -> List[str]:
    return [code for code in listed if code in peers or any(k.startswith(code) for k in known if code.startswith("IG"))]


def unused_suppressions(project: Project, used: Used, report_on: Set[str], known: Set[str], peers: Set[str]) -> Iterator[Finding]:
    for source in project.files:
        if source.display not in report_on or source.facts.skip_file:
            continue
        for line, listed in sorted(source.facts.suppressions.items()):
            for code in importguard_codes(listed, known, peers):
                if (source.display, line, code) not in used:
                    yield UNUSED_SUPPRESSION.finding(
                        path=source.display, line=line, column=1, end_column=2,
                        module=source.module.name if source.module else None, name=code,
                        message=f"the suppression of `{code}` on this line suppresses nothing",
                        hint=f"remove `{code}` from the comment; it would hide the next real finding on this line",
                    )


def unknown_suppression_codes(project: Project, report_on: Set[str], known: Set[str]) -> List[str]:
    """Warnings for `IG…` codes in suppressions that name no rule (a typo hides nothing)."""
    return [
        f"{source.display}:{line}: unknown rule code `{code}` in a suppression (see `importguard rules`)"
        for source in project.files if source.display in report_on
        for line, listed in sorted(source.facts.suppressions.items())
        for code in listed if code.startswith("IG") and not any(k.startswith(code) for k in known)
    ]


def check_unused_suppression(project: Project) -> Iterator[Finding]:
    """Computed by the runner from the other rules' findings (see the module docstring)."""
    return iter(())


UNUSED_SUPPRESSION = Rule(
    code="IG003", name="unused-suppression", default=False, severity="warning",
    summary="an inline suppression of an importguard rule suppresses nothing on its line",
    rationale=(
        "Suppressions outlive the findings they were written for: after a fix or a refactor, a "
        "`# noqa: IG101` stays on the line and silently hides the next real bug there. Reported "
        "for importguard codes and the peers' codes importguard honours (`F821`, `F822`, `F823`); "
        "a bare `# noqa` is left alone, as other tools may need it."
    ),
    bad={"app.py": "import time\n\nSTARTED = time.time()  # noqa: IG101\n"},
    bad_findings=(("app.py", 3),),
    good={"app.py": "import time\n\nSTARTED = time.time()\n"},
    check=check_unused_suppression,
)

RULES = [UNUSED_SUPPRESSION]
