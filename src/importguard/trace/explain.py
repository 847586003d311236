"""Explain each logged error from the static findings.

With a traceback, the failing line is known: the cause is the finding there that raises exactly
this error. With only a message, every place in the project that raises exactly this failure is a
candidate, ranked: places in the module or package its log lines name (the logger, a path) first,
then places in modules that appear in other frames of the same log, then places reached from an
`except` handler (an error logged by a handler was often raised by code the handler runs), then
the most precise rules. When nothing fits, the answer says so and says what the analysis rules out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

from importguard.findings import Finding
from importguard.project.calls import MAX_DEPTH, resolve_body
from importguard.project.model import Project, SourceFile
from importguard.project.replays import failures_by_site, swallowed_by_site
from importguard.rules import ALL_RULES
from importguard.rules.runtime_errors import KINDS
from importguard.trace import failures as kinds
from importguard.trace.failures import Failure
from importguard.trace.named import Named, rank_by_name, resolve
from importguard.trace.paths import FileIndex
from importguard.trace.tracebacks import Frame, LoggedError

# The rules whose findings raise each failure, most precise first (their records' `causes`).
CAUSES: Dict[str, Tuple[str, ...]] = {
    kind: tuple(code for _, code in sorted((c.rank, r.code) for r in ALL_RULES for c in r.causes if c.failure == kind))
    for kind in KINDS
}
# The rules whose finding on a frame of the error marks an import an `except` handler runs
# (IG205's standard-library ones too: a platform-only module fails there like any other).
HANDLER_CODES = frozenset(rule.code for rule in ALL_RULES if rule.handler_import)
NAME_KINDS = (kinds.NAME, kinds.UNBOUND_LOCAL, kinds.FREE_VARIABLE)

CAUSE, CANDIDATES, NO_STATIC_CAUSE, NOT_TRACED = "cause", "candidates", "no-static-cause", "not-traced"


@dataclass
class Analysed:
    """One analysed project: its model and every finding of every rule."""

    project: Project
    findings: List[Finding]


@dataclass(frozen=True)
class PlacedFrame:
    frame: Frame
    source: Optional[SourceFile]  # None: outside the project, kept but not analysed


@dataclass
class Explanation:
    error: LoggedError
    frames: List[PlacedFrame]
    status: str  # CAUSE, CANDIDATES, NO_STATIC_CAUSE or NOT_TRACED
    causes: List[Finding] = field(default_factory=list)  # ranked
    reasons: List[List[str]] = field(default_factory=list)  # per cause: why it ranks where it does
    handlers: List[Finding] = field(default_factory=list)  # handler imports (IG201, IG202, IG205) at a frame of the error
    note: Optional[str] = None


class Explainer:
    def __init__(self, analysed: Sequence[Analysed]) -> None:
        self.analysed = list(analysed)
        self.index = FileIndex([f for a in analysed for f in a.project.files])
        self.findings = [f for a in analysed for f in a.findings]
        self.files = {f.display: f for a in analysed for f in a.project.files}
        self.by_line: Dict[Tuple[str, int], List[Finding]] = {}
        for finding in self.findings:
            self.by_line.setdefault((finding.path, finding.line), []).append(finding)
        self._targets: Optional[Dict[Tuple[str, str, int, Optional[str]], Tuple[str, Optional[str]]]] = None
        self._reached: Optional[Set[Tuple[str, str]]] = None
        # Every module and package name, namespace packages included (the prefixes of module names).
        self.modules = {".".join(parts[:n]) for a in analysed for name in a.project.index.modules
                        for parts in [name.split(".")] for n in range(1, len(parts) + 1)}

    def explain_all(self, errors: Sequence[LoggedError]) -> List[Explanation]:
        placed = self.merged(errors)
        logged_modules = {p.source.module.name for _, frames in placed for p in frames if p.source and p.source.module}
        return [self.explain(e, frames, logged_modules) for e, frames in placed]

    def merged(self, errors: Sequence[LoggedError]) -> List[Tuple[LoggedError, List[PlacedFrame]]]:
        """Errors with their frames placed in the project. The same failure on the same project
        lines is one error, whatever the deployment paths (two pods, `/app` and `/srv`)."""
        merged: Dict[tuple, Tuple[LoggedError, List[PlacedFrame]]] = {}
        for error in errors:
            frames = [PlacedFrame(frame, self.index.find(frame.path)) for frame in error.frames]
            where = tuple((p.source.display if p.source else p.frame.path, p.frame.line, p.frame.function) for p in frames)
            key = (error.error, error.failure.python_message if error.failure else error.message, where)
            if key in merged:
                merged[key][0].lines = sorted(merged[key][0].lines + error.lines)
                merged[key][0].names += [name for name in error.names if name not in merged[key][0].names]
            else:
                merged[key] = (error, frames)
        return list(merged.values())

    def explain(self, error: LoggedError, frames: List[PlacedFrame], logged_modules: Set[str]) -> Explanation:
        handlers = [f for p in frames if p.source for f in self.by_line.get((p.source.display, p.frame.line), []) if f.code in HANDLER_CODES]
        failure = error.failure
        if failure is None:
            return Explanation(error, frames, NOT_TRACED, handlers=handlers)
        failing = self.failing_frame(failure, frames)
        named = resolve(error.names, self.modules, self.index)
        anywhere, reasons = self.ranked([f for f in self.findings if self.fits(f, failure)], failure, logged_modules, named)
        if failing is None:  # a bare message: every place that raises it is a candidate
            if anywhere:
                return Explanation(error, frames, CANDIDATES, anywhere, reasons, handlers)
            return Explanation(error, frames, NO_STATIC_CAUSE, handlers=handlers, note=ruled_out(failure, self.first_party(failure)))
        if failing.source is not None:
            found = [f for f in self.by_line.get((failing.source.display, failing.frame.line), []) if self.fits(f, failure)]
            if found:
                return Explanation(error, frames, CAUSE, *self.ranked(found, failure, logged_modules, named), handlers)
            note = f"importguard has no finding at {failing.source.display}:{failing.frame.line}, the line that raised it"
            if failing.frame.line in failing.source.facts.suppressions:
                note += " (a suppression comment on that line silences importguard there)"
        else:
            note = outside(failing.frame)
        if anywhere:
            count = len(anywhere)
            note += (
                f"; {count} other place{'s' if count > 1 else ''} in this project raise{'s' if count == 1 else ''} "
                f"`{failure.python_message}` (`importguard check` lists them), but the traceback passes through none"
            )
        else:
            note += "; " + ruled_out(failure, self.first_party(failure))
        return Explanation(error, frames, NO_STATIC_CAUSE, handlers=handlers, note=note)

    @staticmethod
    def failing_frame(failure: Failure, frames: List[PlacedFrame]) -> Optional[PlacedFrame]:
        """The frame that raised the error; None for a bare message. An import failure may surface
        below the importing line, in importlib's own frames: its failing frame is the innermost one
        in the project (None when no frame is: then the message is all there is)."""
        if not frames:
            return None
        if failure.kind in NAME_KINDS or frames[-1].source is not None:
            return frames[-1]
        in_project = [p for p in frames if p.source is not None]
        return in_project[-1] if in_project else None

    def fits(self, finding: Finding, failure: Failure) -> bool:
        if finding.code not in CAUSES[failure.kind]:
            return False
        if failure.kind == kinds.NO_MODULE:
            return finding.name is not None and (finding.name + ".").startswith(f"{failure.module}.")
        if finding.name != failure.name:
            return False
        if failure.module is None:
            return True
        target = self.import_target(finding)
        return target is not None and target[0] == failure.module and target[1] in (None, failure.error)

    def import_target(self, finding: Finding) -> Optional[Tuple[str, Optional[str]]]:
        """(the module an IG305/IG306/IG307 finding's statement takes a name from, the error a
        partial import raises there: `from m import X` ImportError, `m.X` AttributeError)."""
        if self._targets is None:
            self._targets = {}
            for analysed in self.analysed:
                self._targets.update(import_targets(analysed.project))
        return self._targets.get((finding.code, finding.path, finding.line, finding.name))

    def ranked(self, found: List[Finding], failure: Failure, logged_modules: Set[str],
               named: Sequence[Named]) -> Tuple[List[Finding], List[List[str]]]:
        """The findings, most likely cause first, and the reasons each ranks high. What the log
        lines name is a reason only where it sets findings apart: when every candidate is in the
        named package, saying so ranks nothing up."""
        reached = self.handler_reached()
        order = CAUSES[failure.kind]
        by_names = [rank_by_name(finding.module, named) for finding in found]
        apart = len({by_name for by_name, _ in by_names}) > 1
        scored = []
        for finding, (by_name, named_reason) in zip(found, by_names):
            function = self.enclosing_function(finding)
            in_log = finding.module in logged_modules
            from_handler = function is not None and (finding.path, function) in reached
            reasons = [named_reason] if named_reason and apart else []
            reasons += [f"`{finding.module}` is in a traceback of this log"] if in_log else []
            reasons += [f"`{function}()` is called from an `except` handler"] if from_handler else []
            key = (by_name, not in_log, not from_handler, order.index(finding.code), finding.path, finding.line)
            scored.append((key, finding, reasons))
        scored.sort(key=lambda item: item[0])
        return [f for _, f, _ in scored], [r for _, _, r in scored]

    def handler_reached(self) -> Set[Tuple[str, str]]:
        """(file, function) of every first-party function an `except` handler calls, up to
        MAX_DEPTH calls deep."""
        if self._reached is None:
            reached: Set[Tuple[str, str]] = set()
            for analysed in self.analysed:
                for source in analysed.project.files:
                    for handler in source.facts.handlers:
                        for callee, *_ in handler.calls:
                            follow_calls(analysed.project, source, callee, handler.function, reached)
            self._reached = reached
        return self._reached

    def first_party(self, failure: Failure) -> bool:
        """The failure's module is a module of an analysed project."""
        return failure.module is not None and any(failure.module in a.project.index.modules for a in self.analysed)

    def enclosing_function(self, finding: Finding) -> Optional[str]:
        """The function a finding's line is in: the last `def` at or above it (close enough to rank)."""
        source = self.files.get(finding.path)
        above = [(line, name) for name, line in source.facts.functions.items() if line <= finding.line] if source else []
        return max(above)[1] if above else None


def import_targets(project: Project) -> Dict[Tuple[str, str, int, Optional[str]], Tuple[str, Optional[str]]]:
    """import_target() for every import statement of the project, keyed by (code, path, line, name)."""
    targets: Dict[Tuple[str, str, int, Optional[str]], Tuple[str, Optional[str]]] = {}
    for failure, _failing, _working in failures_by_site(project):
        targets[("IG306", failure.site.path, failure.site.line, failure.name)] = (failure.target, failure.error)
    for failure, guard, _entries in swallowed_by_site(project):
        targets[("IG307", guard.path, guard.line, failure.name)] = (failure.target, failure.error)
    for source in project.files:
        if source.module is None:
            continue
        for fact in source.facts.imports:
            target, _ = project.index.absolute_target(fact, source.module)
            if not target:
                continue
            for name, _alias in fact.names:
                targets[("IG305", source.display, fact.line, name)] = (target, None)
    return targets


def follow_calls(project: Project, source: SourceFile, callee: str, caller: Optional[str],
                 reached: Set[Tuple[str, str]], depth: int = 1) -> None:
    found = resolve_body(project, source, callee, caller)
    if found is None or (found[0].display, found[1]) in reached:
        return
    target, function = found
    reached.add((target.display, function))
    if depth < MAX_DEPTH:
        for next_callee, *_ in target.facts.calls.get(function, []):
            follow_calls(project, target, next_callee, function, reached, depth + 1)


def outside(frame: Frame) -> str:
    if frame.path.startswith("<"):
        return (
            f"it was raised in `{frame.path}` (line {frame.line}): code compiled at run time (`exec`, `eval`, a "
            "template engine) that importguard cannot see"
        )
    return f"it was raised at {frame.path}:{frame.line}, outside this project"


def ruled_out(failure: Failure, first_party: bool) -> str:
    """What the analysis rules out when no finding explains the failure."""
    name, module = failure.name, failure.module
    if failure.kind == kinds.NAME:
        return (
            f"no use of `{name}` in this project is unbound, so the name may be created dynamically "
            "(code run by `exec`/`eval`, a write to `globals()`, a module `__getattr__`, a patched builtin) "
            "or the code that raised it is not part of this project"
        )
    if failure.kind in (kinds.UNBOUND_LOCAL, kinds.FREE_VARIABLE):
        return (
            f"no function in this project reads `{name}` before binding it on a path the analysis follows, "
            "so the code that raised it may be generated at run time or not be part of this project"
        )
    if failure.kind in (kinds.PARTIAL_IMPORT, kinds.PARTIAL_ATTRIBUTE, kinds.MODULE_ATTRIBUTE):
        return (
            f"no import-time cycle of this project fails on `{name}` of `{module}`: the cycle may run through "
            "a third-party package or through imports the analysis cannot see (computed module names, "
            "imports in code run by other means)"
        )
    if failure.kind == kinds.MISSING_NAME and first_party:
        return (
            f"every first-party `from {module} import {name}` finds `{name}` in this checkout: the deployed "
            f"copy of `{module}` may be older than this checkout"
        )
    if failure.kind == kinds.MISSING_NAME:
        return (
            f"no first-party `from {module} import {name}` fails statically: `{module}` may be a third-party "
            "package whose deployed version lacks the name, or the deployed file differs from this checkout"
        )
    if first_party:
        return (
            f"`{module}` is a module of this checkout: the deployed copy may lack the file, or run with another "
            "`sys.path` (a missing source root, a different working folder)"
        )
    return (
        f"no import of this project names a missing first-party module `{module}`: it is most likely a "
        "dependency missing from the deployed environment, not a bug in this project's code"
    )
