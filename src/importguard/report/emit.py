"""A finished outcome in the chosen format (the outcome policy itself is `importguard.run.outcome`)."""

from __future__ import annotations

from typing import IO

from importguard.run.outcome import Outcome

FORMATS = ("text", "concise", "full", "json", "sarif", "github", "gitlab", "junit")
STATISTICS_FORMATS = ("text", "concise", "full", "json")  # as ruff: other formats have no statistics form


def emit(outcome: Outcome, output_format: str, stream: IO[str], color: bool, statistics: bool) -> None:
    from importguard.report.ci import render_github, render_gitlab, render_junit
    from importguard.report.json_report import render_json
    from importguard.report.sarif import render_sarif
    from importguard.report.statistics import render_statistics
    from importguard.report.text import fix_summary, render_text

    if statistics:
        shown = outcome.recorded if outcome.recorded is not None else outcome.findings
        render_statistics(shown, stream, as_json=output_format == "json", unsafe_fixes=outcome.unsafe_fixes)
        if output_format != "json" and outcome.fixed is not None and outcome.summary:  # JSON: the CLI says it on stderr
            stream.write(fix_summary(outcome.findings, outcome.unsafe_fixes, outcome.fixed) + "\n")
    elif output_format == "json":
        render_json(outcome.findings, outcome.files, outcome.modules, stream)
    elif output_format == "sarif":
        render_sarif(outcome, stream)
    elif output_format == "github":
        render_github(outcome, stream)
    elif output_format == "gitlab":
        render_gitlab(outcome, stream)
    elif output_format == "junit":
        render_junit(outcome, stream)
    else:
        from importguard.report.snippet import SourceLines

        render_text(outcome.findings, outcome.files, stream, color=color, unsafe_fixes=outcome.unsafe_fixes, fixed=outcome.fixed,
                    recorded=None if outcome.recorded is None else len(outcome.recorded),
                    style=output_format, summary=outcome.summary, sources=SourceLines(outcome.base))
