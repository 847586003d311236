"""Human-readable output: `path:line:col: CODE message`, then the hint and any cycle hops (`text`);
the header line alone (`concise`); or the header, the source line with carets, then the rest
(`full`), as ruff's output formats."""

from __future__ import annotations

from collections import Counter
from typing import IO, List, Optional

from importguard.findings import Finding, Hop
from importguard.report.snippet import SourceLines, snippet


def fixable(finding: Finding, unsafe_fixes: bool) -> bool:
    return finding.fix is not None and (unsafe_fixes or finding.fix[0] == "safe")


def render_text(findings: List[Finding], files: int, stream: IO[str], color: bool, unsafe_fixes: bool = False,
                fixed: Optional[int] = None, recorded: Optional[int] = None, style: str = "text", summary: bool = True,
                sources: Optional[SourceLines] = None) -> None:
    """`[*]` marks a finding `--fix` would fix, as in ruff. `summary` False (`-q`) leaves out the
    closing counts; `full` reads the reported lines from `sources`."""
    from rich.console import Console  # imported here: JSON output never needs rich
    from rich.text import Text

    console = Console(file=stream, force_terminal=color, no_color=not color, highlight=False, soft_wrap=True)
    for finding in findings:
        line = Text()
        line.append(f"{finding.path}:{finding.line}:{finding.column}:", style="bold")
        line.append(" ")
        severity_style = "bold red" if finding.severity == "error" else "bold yellow"
        line.append(finding.code, style=severity_style)
        if fixable(finding, unsafe_fixes):
            line.append(" [*]", style="bold cyan")
        line.append(f" {finding.message}")
        console.print(line)
        if style == "concise":
            continue
        rows = snippet(finding, sources) if style == "full" and sources is not None else None
        for gutter, text, caret in rows or []:
            console.print(Text.assemble((gutter, "blue"), (text, severity_style if caret else "")))
        if finding.hint:
            console.print(Text.assemble("    ", ("hint:", "cyan"), f" {finding.hint}"))
        for related in finding.related:
            console.print(Text(f"    {related.path}:{related.line}: {related.message}", style="dim"))
        if finding.cycle:
            for hop in finding.cycle[:-1]:
                console.print(Text(f"    {hop.module}  {hop.path}:{hop.line}  {hop.statement}  [{hop.kind}]"))
            last = finding.cycle[-1]
            console.print(Text(f"    {last.module}  (back to the start)", style="dim"))
        if style == "full":
            console.print("")
    if not summary:
        return
    if recorded is not None:  # `--write-baseline`: nothing is reported, everything was recorded
        plural = "s" if recorded != 1 else ""
        console.print(Text(f"Recorded {recorded} finding{plural} in the baseline; {files} file{'s' if files != 1 else ''} checked.", style="bold"))
        return
    console.print(Text(summary_line(findings, files), style="bold" if findings else "green"))
    fixes = fix_summary(findings, unsafe_fixes, fixed)
    if fixes:
        console.print(Text(fixes, style="bold"))


def fix_summary(findings: List[Finding], unsafe_fixes: bool, fixed: Optional[int]) -> str:
    """`Fixed N findings` after `--fix`, else how many `--fix` would fix; either way how many
    more `--unsafe-fixes` would."""
    available = sum(1 for f in findings if fixable(f, unsafe_fixes))
    hidden = sum(1 for f in findings if f.fix is not None and not fixable(f, unsafe_fixes))
    more = f" ({hidden} more with `--unsafe-fixes`)" if hidden else ""
    if fixed is not None:
        return f"Fixed {fixed} finding{'s' if fixed != 1 else ''}{more}."
    if available:
        return f"[*] {available} fixable with `--fix`{more}."
    return f"No fixes available{more}." if hidden else ""


def summary_line(findings: List[Finding], files: int) -> str:
    checked = f"{files} file{'s' if files != 1 else ''} checked"
    if not findings:
        return f"No findings; {checked}."
    counts = Counter(f.code for f in findings)
    detail = ", ".join(f"{code}: {count}" for code, count in sorted(counts.items()))
    return f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({detail}); {checked}."


def render_chain(hops: List[Hop], stream: IO[str], color: bool) -> None:
    """`importguard why`: one line per import of the chain, then the module it reaches."""
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, force_terminal=color, no_color=not color, highlight=False, soft_wrap=True)
    imports = len(hops) - 1
    console.print(Text(" -> ".join(h.module for h in hops) + f"  ({imports} import{'s' if imports != 1 else ''})", style="bold"))
    for hop in hops[:-1]:
        console.print(Text(f"    {hop.module}  {hop.path}:{hop.line}  {hop.statement}  [{hop.kind}]"))
    console.print(Text(f"    {hops[-1].module}", style="dim"))
