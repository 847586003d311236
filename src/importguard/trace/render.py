"""`importguard trace` reports: text for the person on call, JSON for tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any, Dict, List, Optional

from importguard import __version__
from importguard.findings import Finding
from importguard.trace.explain import CANDIDATES, CAUSE, NO_STATIC_CAUSE, NOT_TRACED, Explanation, PlacedFrame

MAX_CANDIDATES = 10  # in text; JSON has them all
MAX_LOG_LINES = 5


class SourceLines:
    """Lines of the project's files, read once, to quote the line a finding points at."""

    def __init__(self, files: Dict[str, Path]) -> None:
        self.files = files
        self.read: Dict[str, List[str]] = {}

    def get(self, display: str, line: int) -> Optional[str]:
        if display not in self.read:
            try:
                self.read[display] = self.files[display].read_text("utf-8", "replace").splitlines()
            except (KeyError, OSError):
                self.read[display] = []
        lines = self.read[display]
        return lines[line - 1].rstrip() if 0 < line <= len(lines) else None


def has_static_cause(explanation: Explanation) -> bool:
    return explanation.status in (CAUSE, CANDIDATES)


def summary(explanations: List[Explanation]) -> Dict[str, int]:
    traced = [e for e in explanations if e.status != NOT_TRACED]
    return {
        "errors": len(traced), "occurrences": sum(e.error.count for e in traced),
        "with_static_cause": sum(1 for e in traced if has_static_cause(e)),
        "without_static_cause": sum(1 for e in traced if e.status == NO_STATIC_CAUSE),
        "other_errors": len(explanations) - len(traced),
    }


def render_json(explanations: List[Explanation], stream: IO[str]) -> None:
    def frame(placed: PlacedFrame) -> Dict[str, Any]:
        f = placed.frame
        return {"path": f.path, "line": f.line, "function": f.function or None,
                "project_path": placed.source.display if placed.source else None}

    errors = []
    for e in explanations:
        failure = e.error.failure
        errors.append({
            "error": e.error.error, "message": e.error.message,
            "failure": {"kind": failure.kind, "name": failure.name, "module": failure.module} if failure else None,
            "count": e.error.count, "log_lines": e.error.lines, "sample": e.error.sample, "context": e.error.context,
            "frames": [frame(p) for p in e.frames], "status": e.status, "note": e.note,
            "causes": [dict(f.to_json(), ranked_up_by=reasons) for f, reasons in zip(e.causes, e.reasons)],
            "handlers": [f.to_json() for f in e.handlers],
        })
    report = {"tool": "importguard", "version": __version__, "schema_version": 1, "errors": errors, "summary": summary(explanations)}
    stream.write(json.dumps(report, indent=2) + "\n")


def render_text(explanations: List[Explanation], stream: IO[str], sources: SourceLines) -> None:
    traced = [e for e in explanations if e.status != NOT_TRACED]
    others = [e for e in explanations if e.status == NOT_TRACED]
    for explanation in traced:
        stream.write("\n".join(_error_text(explanation, sources)) + "\n\n")
    if others:
        stream.write("Other errors in the log (not failures importguard traces to a static cause):\n")
        for e in others:
            where = f"; raised at {_frame_text(e.frames[-1])}" if e.frames else ""
            context = f"; {e.error.context}" if e.error.context else ""
            stream.write(f"  {_short(e.error.headline)}\n    seen {_seen(e)}{where}{context}\n")
            for finding in e.handlers:
                stream.write("\n".join(_finding_text(finding, sources, "    ")) + "\n")
        stream.write("\n")
    stream.write(_summary_text(summary(explanations)) + "\n")


def _error_text(e: Explanation, sources: SourceLines) -> List[str]:
    error = e.error
    lines = [_short(error.headline), f"  seen {_seen(e)}" + ("" if error.frames else ", as a message without a traceback")]
    if error.sample and not error.frames:
        lines.append(f"  log line: {_short(error.sample)}")
    if error.context:
        lines.append(f"  {error.context}")
    lines += _frames_text(e.frames)
    if e.status == CAUSE:
        for finding in e.causes:
            lines += _finding_text(finding, sources, "  ", "cause: ")
    elif e.status == CANDIDATES:
        if e.note:
            lines.append(f"  {e.note}")
        count = len(e.causes)
        lines.append(f"  {count} place{'s' if count != 1 else ''} in this project raise{'s' if count == 1 else ''} exactly this error"
                     + (" (most likely first):" if count > 1 else ":"))
        for number, (finding, reasons) in enumerate(zip(e.causes[:MAX_CANDIDATES], e.reasons), 1):
            lines += _finding_text(finding, sources, "  ", f"{number}. ")
            lines += [f"    ranked up: {reason}" for reason in reasons]
        if count > MAX_CANDIDATES:
            lines.append(f"  ... and {count - MAX_CANDIDATES} more (--format json lists them all)")
    else:
        lines.append(f"  no static cause found: {e.note}")
    for finding in e.handlers:
        lines.append("  the traceback passes through an `except` handler that imports:")
        lines += _finding_text(finding, sources, "    ")
    return lines


def _frames_text(frames: List[PlacedFrame]) -> List[str]:
    """Project frames, innermost first; runs of frames outside the project are collapsed."""
    lines: List[str] = []
    outside = 0
    for placed in reversed(frames):
        if placed.source is None and lines:
            outside += 1
            continue
        if outside:
            lines.append(f"    ({outside} frame{'s' if outside > 1 else ''} outside the project)")
            outside = 0
        lines.append(("  raised at " if not lines else "    called from ") + _frame_text(placed))
    if outside:
        lines.append(f"    ({outside} frame{'s' if outside > 1 else ''} outside the project)")
    return lines


def _frame_text(placed: PlacedFrame) -> str:
    frame = placed.frame
    function = f" in {frame.function}" if frame.function else ""
    if placed.source is None:
        return f"{frame.path}:{frame.line}{function} (outside the project)"
    deployed = f" (logged as {frame.path})" if frame.path != placed.source.display else ""
    return f"{placed.source.display}:{frame.line}{function}{deployed}"


def _finding_text(finding: Finding, sources: SourceLines, indent: str, label: str = "") -> List[str]:
    lines = [f"{indent}{label}{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}"]
    pad = indent + "  "
    code = sources.get(finding.path, finding.line)
    if code is not None:
        lines.append(f"{pad}  {finding.line} | {_short(code.strip())}")
    if finding.hint:
        lines.append(f"{pad}fix: {finding.hint}")
    lines += [f"{pad}{r.path}:{r.line}: {r.message}" for r in finding.related]
    return lines


def _seen(e: Explanation) -> str:
    count, numbers = e.error.count, e.error.lines
    shown = ", ".join(str(n) for n in numbers[:MAX_LOG_LINES]) + (", ..." if count > MAX_LOG_LINES else "")
    times = "once" if count == 1 else "twice" if count == 2 else f"{count} times"
    return f"{times} (log line{'s' if count > 1 else ''} {shown})"


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _summary_text(counts: Dict[str, int]) -> str:
    if not counts["errors"]:
        others = f" ({counts['other_errors']} other error{'s' if counts['other_errors'] != 1 else ''})" if counts["other_errors"] else ""
        return (
            f"No NameError, UnboundLocalError or import failure found in the log{others}: importguard traces those "
            "(tracebacks, or messages such as `name 'x' is not defined`) to their static cause."
        )
    errors = counts["errors"]
    return (
        f"{errors} error{'s' if errors != 1 else ''} traced ({counts['occurrences']} occurrence"
        f"{'s' if counts['occurrences'] != 1 else ''}): {counts['with_static_cause']} with a static cause, "
        f"{counts['without_static_cause']} without."
    )
