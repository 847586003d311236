"""The language server's one door into the check pipeline: load a project, run the file rules on
an unsaved buffer, bring the project up to date after a save, plan and apply fixes.

Everything else in `importguard.server` talks to this module and to `findings`/`rules` data
only, so that the pipeline can be reorganised without touching the protocol code.

Two speeds, as the editor needs them:

- On every (debounced) change, the buffer is parsed and the "file" rules (`Rule.scope`) run on it
  against the project model of the last full run; the findings of "project" rules are shown
  re-anchored by a line map (`importguard.server.linemap`). Nothing is stored.
- On save, when the file's project-level facts (`importguard.memo.project_signature`) equal the
  stored ones once the edit's line moves are undone, only the line map and the file rules are
  applied (no project run). Otherwise the project is analysed again from the facts cache with
  only this file (and other unsaved buffers) parsed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set, Tuple

from importguard.facts.extract import SUPPRESSION, comments_on, extract_facts
from importguard.facts.model import FileFacts
from importguard.findings import Finding, Related
from importguard.project.model import Project, SourceFile
from importguard.rules import BY_CODE, select_rules
from importguard.rules.masking import first_failures, mark_masked
from importguard.server.linemap import LineMap, line_map, reanchor
from importguard.rules.fixes.model import SAFE, Fix
from importguard.rules.fixes.planning import Planner, with_fixes
from importguard.run.baseline import apply_baseline, load_entries
from importguard.run.check import InMemory, run_check
from importguard.run.config import Config
from importguard.run.discovery import Group, package_root, project_root
from importguard.run.filtering import filter_findings, with_severities
from importguard.run.fingerprints import fingerprints
from importguard.run.memo import project_signature
from importguard.run.scope import scope_of
from importguard.run.settings import Overrides, Settings, project_config

# A project finding whose text names a line (IG306 "binds `x` at line 12") cannot be re-anchored
# by moving its position alone: a save that moves its lines runs the project rules again.
LINE_IN_TEXT = re.compile(r"\bline \d+|\.pyi?:\d+")


@dataclass(frozen=True)
class RuleChoice:
    """The editor's overrides of the configured rule selection (as `--select`/`--ignore`)."""

    select: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()


@dataclass(frozen=True)
class QuickFix:
    title: str
    safe: bool
    new_text: str


@dataclass
class ProjectEngine:
    """One project (the root of the nearest `pyproject.toml`/`.git`), or one loose file."""

    root: Path
    marked: bool
    paths: List[Path]
    choice: RuleChoice = field(default_factory=RuleChoice)
    config: Optional[Config] = None
    project: Optional[Project] = None
    findings: Dict[str, List[Finding]] = field(default_factory=dict)  # by display path (relative to root)
    texts: Dict[Path, str] = field(default_factory=dict)  # the text each open file's facts came from
    reported: Set[str] = field(default_factory=set)
    stops: Dict[str, Tuple[int, str]] = field(default_factory=dict)
    baseline: List[Dict[str, object]] = field(default_factory=list)
    nested: List[Path] = field(default_factory=list)  # roots of the projects below this one
    by_path: Dict[Path, SourceFile] = field(default_factory=dict)  # the project's files
    generation: int = 0  # how many times the settings were read
    shape: Tuple[int, Set[Path]] = (-1, set())  # (generation, files) the reported set was found for
    parsed: Tuple[Optional[Path], str, Optional[FileFacts]] = (None, "", None)  # the last buffer parsed
    tried: Set[Path] = field(default_factory=set)  # files not in the project that made it load again

    # ---------------------------------------------------------------- loading
    def configure(self) -> Config:
        """Read `[tool.importguard]` again, with the editor's overrides (raises `ImportguardError`)."""
        overrides = Overrides(select=self.choice.select, extend_select=self.choice.extend_select, ignore=self.choice.ignore)
        # Files are parsed in this process: forking parser workers from a process with threads
        # (the server's reader and analysis threads) can leave a child blocked on a lock another
        # thread held at the fork. Without a budget, `run_check` parses in-process.
        config = replace(project_config(Group(self.root, self.marked, list(self.paths)), None, overrides), file_timeout=None)
        select_rules(config.select, config.ignore, config.extend_select)  # unknown codes: an error now
        self.baseline = load_entries(config.baseline) if config.baseline is not None and config.baseline.exists() else []
        self.config = config
        self.generation += 1
        return config

    def load(self, buffers: Dict[Path, str]) -> Set[str]:
        """Analyse the whole project (facts from the cache; open buffers as they are). Returns
        the display paths whose findings changed."""
        config = self.config or self.configure()
        overrides = {p: t.encode("utf-8") for p, t in buffers.items() if self._holds(p) and _differs(p, t)}
        result = run_check(self.paths, Settings(config), InMemory(edits=overrides), self.root)
        self.project = result.model  # no memo: the model is always built
        self.by_path = {f.path: f for f in result.model.files}
        self.texts = {p: t for p, t in buffers.items() if self._holds(p)}
        if self.shape != (self.generation, set(self.by_path)):  # files added or removed, or new settings
            found = scope_of(self.paths, config, self.root).found
            self.nested = list(found.nested)
            self.reported = {_display(p, self.root) for p in found.reported} | {_display(p, self.root) for p in self.paths if p.is_file()}
            self.shape = (self.generation, set(self.by_path))
        self.stops = {path: (f.line, f.code) for path, f in first_failures(result.findings).items()}
        old, self.findings = self.findings, _by_path(result.findings)
        return _touched(old, self.findings)

    def _holds(self, path: Path) -> bool:
        return self.marked and self.root in path.parents or path in self.paths

    def owns(self, path: Path) -> bool:
        """Is `path` one of this project's analysed files?"""
        return path in self.by_path

    def source(self, path: Path) -> Optional[SourceFile]:
        return self.by_path.get(path)

    def display(self, path: Path) -> str:
        return _display(path, self.root)

    def absolute(self, display: str) -> Path:
        return Path(os.path.normpath(self.root / display))

    def text_of(self, path: Path) -> str:
        """The text the stored facts of `path` came from (its bytes on disk unless a buffer was analysed)."""
        if path not in self.texts:
            try:
                self.texts[path] = path.read_bytes().decode("utf-8", "replace")
            except OSError:
                self.texts[path] = ""
        return self.texts[path]

    # ---------------------------------------------------------------- the fast path
    def facts_of(self, path: Path, text: str) -> FileFacts:
        """The facts of a buffer; the last one is kept (diagnostics, then code actions, ask for the same text)."""
        assert self.config is not None
        if self.parsed[0] == path and self.parsed[1] == text and self.parsed[2] is not None:
            return self.parsed[2]
        facts = extract_facts(text.encode("utf-8"), self.config.file_options().of(path))
        self.parsed = (path, text, facts)
        return facts

    def edit(self, path: Path, text: str) -> List[Finding]:
        """The findings of `path` with the unsaved `text`: its file rules run on the buffer, the
        project rules' findings re-anchored. A buffer that does not parse shows its IG001 only."""
        source = self.source(path)
        if source is None or self.project is None:
            return []
        facts = self.facts_of(path, text)
        display = source.display
        fresh = self._file_rules([replace_facts(source, facts)], self._with(source, facts))
        if facts.problem is not None:
            return fresh
        kept = [f for f in self.findings.get(display, []) if BY_CODE[f.code].scope != "file"]
        if kept:
            lines = line_map(self.text_of(path).splitlines(), text.splitlines())
            kept = [reanchor(f, display, lines) for f in kept]
        return sorted(kept + fresh, key=Finding.sort_key)

    def save(self, path: Path, text: str, buffers: Dict[Path, str]) -> Set[str]:
        """Bring the stored findings up to date with `path` saved as `text`; the display paths
        whose findings changed. A file that does not parse keeps its last good facts."""
        source = self.source(path)
        if source is None:  # a new file: the project changed shape
            return self.load(buffers)
        facts = self.facts_of(path, text)
        if facts.problem is not None:
            return set()
        lines = line_map(self.text_of(path).splitlines(), text.splitlines())
        display = source.display
        touching = [f for fs in self.findings.values() for f in fs if display in f.paths]
        if not same_modulo_lines(source.facts, facts, lines) or any(
            BY_CODE[f.code].scope != "file" and LINE_IN_TEXT.search(f"{f.message} {f.hint or ''}") for f in touching
        ):
            return self.load(buffers)
        return self._moved(source, facts, text, lines)

    def _moved(self, source: SourceFile, facts: FileFacts, text: str, lines: LineMap) -> Set[str]:
        """Apply a save whose project-level facts only moved: re-anchor, re-run file rules."""
        assert self.project is not None
        display = source.display
        source.facts = facts
        self.project.derived.clear()  # tables rules derived from the old facts
        self.texts[source.path] = text
        if display in self.stops:
            line, code = self.stops[display]
            self.stops[display] = (lines.nearest(line), code)
        affected = {display} | {d for d, fs in self.findings.items() if any(display in f.paths for f in fs)}
        redo = [s for s in self.project.files if s.display in affected]
        fresh = _by_path(self._file_rules(redo, self.project))
        old = dict(self.findings)
        for name in affected:
            kept = [reanchor(f, display, lines) for f in self.findings.get(name, []) if BY_CODE[f.code].scope != "file"]
            merged = sorted(kept + fresh.get(name, []), key=Finding.sort_key)
            if merged:
                self.findings[name] = merged
            else:
                self.findings.pop(name, None)
        return _touched(old, self.findings) | {display}

    def _with(self, source: SourceFile, facts: FileFacts) -> Project:
        """The stored project with `source` holding other facts (the stored one is not touched)."""
        assert self.project is not None
        changed = replace_facts(source, facts)
        files = [changed if f is source else f for f in self.project.files]
        by_module = dict(self.project.by_module)
        if source.module is not None:
            by_module[source.module.name] = changed
        return replace(self.project, files=files, by_module=by_module, derived=dict(self.project.derived))

    def _file_rules(self, sources: List[SourceFile], whole: Project) -> List[Finding]:
        """The "file" rules' findings in `sources`, filtered as `check` filters them."""
        assert self.config is not None
        config = self.config
        view = replace(whole, files=sources)
        local = [rule for rule in select_rules(config.select, config.ignore, config.extend_select) if rule.scope == "file"]
        fresh = mark_masked([f for rule in local for f in rule.check(view)], self.stops)
        fresh = filter_findings(fresh, view, config, self.root, None, self.reported, set())
        return with_severities(with_fixes(fresh, whole), config.severity)

    # ---------------------------------------------------------------- what is shown
    def shown(self, path: Path, findings: List[Finding], text: Optional[str] = None) -> List[Finding]:
        """The findings the baseline does not hide (fingerprints from `text`, else the disk)."""
        if not self.baseline or not findings:
            return findings
        lines = (text if text is not None else self.text_of(path)).splitlines()

        def line_text(_: str, line: int) -> str:
            return " ".join(lines[line - 1].split()) if 0 < line <= len(lines) else ""

        prints = fingerprints(findings, line_text)
        kept, _, _ = apply_baseline(findings, prints, self.baseline)
        return [findings[i] for i in kept]

    def stored(self, path: Path) -> List[Finding]:
        return self.findings.get(self.display(path), [])

    def echoes(self, path: Path, text: Optional[str] = None) -> List[Finding]:
        """The import cycles `path` is part of but that are reported in another file, placed at
        this file's import that closes them: a cycle is every member's problem. With `text`
        (an unsaved buffer), re-anchored to it."""
        display = self.display(path)
        lines: Optional[LineMap] = None
        found = []
        for other, findings in self.findings.items():
            if other == display:
                continue
            hops = [(f, h) for f in findings for h in f.cycle or [] if h.path == display and h.line]
            if not hops:
                continue
            shown = {f.sort_key() for f in self.shown(self.absolute(other), findings)}
            for finding, hop in hops:
                if finding.sort_key() not in shown:
                    continue
                assert hop.line is not None
                if text is not None and lines is None:
                    lines = line_map(self.text_of(path).splitlines(), text.splitlines())
                line = lines.nearest(hop.line) if lines is not None else hop.line
                here = Related(finding.path, finding.line, f"{finding.code} is reported here")
                found.append(replace(finding, path=display, line=line, column=1, end_line=None, end_column=None,
                                     related=[here, *finding.related], fix=None))
        return found

    # ---------------------------------------------------------------- fixes
    def quick_fixes(self, path: Path, text: str, finding: Finding) -> Optional[QuickFix]:
        """The edit `--fix` would make for `finding`, applied to the buffer (None: no fix)."""
        planner, planned = self._plan(path, text, [finding])
        if planner is None or not planned:
            return None
        new_text = _apply(text, planned, planner)
        return QuickFix(planned[0].title, planned[0].applicability == SAFE, new_text) if new_text is not None else None

    def fix_all(self, path: Path, text: str, findings: Iterable[Finding]) -> Optional[str]:
        """The buffer with every safe fix of its findings applied (None: nothing to fix)."""
        planner, planned = self._plan(path, text, list(findings))
        safe = [fix for fix in planned if fix.applicability == SAFE]
        return _apply(text, safe, planner) if planner is not None and safe else None

    def _plan(self, path: Path, text: str, findings: List[Finding]) -> Tuple[Optional[Planner], List[Fix]]:
        """The fixes `--fix` plans for `findings`, against the project with this buffer's facts."""
        source = self.source(path)
        if source is None:
            return None, []
        facts = self.facts_of(path, text)
        if facts.problem is not None:
            return None, []
        planner = Planner(self._with(source, facts))
        return planner, [p for p in map(planner.plan, findings) if isinstance(p, Fix)]


def _apply(text: str, fixes: List[Fix], planner: Planner) -> Optional[str]:
    """`text` with the fixes applied, None when they change nothing or cannot be applied."""
    from importguard.fixes.edits import NotRoundTrip, apply_edits  # libcst: only when a fix is asked for

    try:
        data = apply_edits(text.encode("utf-8"), fixes, planner.classify)
    except NotRoundTrip:
        return None
    except Exception:  # noqa: BLE001 - a fix that cannot be applied is not offered, never a crash
        return None
    new_text = data.decode("utf-8")
    return new_text if new_text != text else None


def noqa_edit(text: str, line: int, code: str) -> Optional[str]:
    """Line `line` of `text` (without its line ending) with `code` added to its suppression
    comment, or a `# noqa: CODE` appended; None when the line already silences every code."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    body = lines[line - 1]
    comment = comments_on(text, {line}).get(line)
    if comment is None or not body.endswith(comment):
        return f"{body}  # noqa: {code}"
    start = len(body) - len(comment)
    for match in SUPPRESSION.finditer(comment):
        listed = "ig" if match.group("ig") is not None else "noqa" if match.group("noqa") is not None else None
        if listed is None or not match.group(listed).strip():
            return None  # a bare `# noqa` or `# importguard: ignore` silences everything already
        if code in re.split(r"[,\s]+", match.group(listed).upper()):
            return None
        end = start + match.end(listed)
        return f"{body[:end]}, {code}{body[end:]}"
    return f"{body}  # noqa: {code}"


def replace_facts(source: SourceFile, facts: FileFacts) -> SourceFile:
    return SourceFile(source.path, source.display, facts, source.module)


def same_modulo_lines(old: FileFacts, new: FileFacts, lines: LineMap) -> bool:
    """Are `new`'s project-level facts `old`'s with each line moved as `lines` says? A line of
    the old facts that was edited (no counterpart) makes them differ."""
    if lines.identity:
        return project_signature(old) == project_signature(new)
    moved = _moved_facts(old.to_json(), lines)
    return moved is not None and project_signature(FileFacts.from_json(moved)) == project_signature(new)


class _Edited(Exception):
    """A line of the old facts has no counterpart in the new text."""


def _moved_facts(data: Dict[str, Any], lines: LineMap) -> Optional[Dict[str, Any]]:
    """The JSON facts with every line of the project-level fields mapped (None: some line was edited)."""

    def at(line: Optional[int]) -> Optional[int]:
        if line is None:
            return None
        new = lines.line(int(line))
        if new is None:
            raise _Edited()
        return new

    try:
        out = dict(data)
        out["imports"] = [
            {**i, "line": at(i["line"]), "guard_line": at(i.get("guard_line")),
             "handler": i["handler"] and {**i["handler"], "line": at(i["handler"]["line"])}}
            for i in data["imports"]
        ]
        out["suppressions"] = {str(at(int(k))): v for k, v in data["suppressions"].items()}
        out["module_bindings"] = {k: at(v) for k, v in data["module_bindings"].items()}
        out["dynamic_globals"] = at(data["dynamic_globals"])
        out["rebuilds"] = [{**r, "line": at(r["line"])} for r in data["rebuilds"]]
        out["functions"] = {k: at(v) for k, v in data["functions"].items()}
        out["calls"] = {k: [[c, at(n), *rest] for c, n, *rest in v] for k, v in data["calls"].items()}
        out["handlers"] = [{**h, "line": at(h["line"]), "calls": [[c, at(n), *rest] for c, n, *rest in h["calls"]]} for h in data["handlers"]]
        out["attribute_uses"] = [[b, a, at(n), *rest] for b, a, n, *rest in data["attribute_uses"]]
        out["module_calls"] = [[c, at(n), *rest] for c, n, *rest in data["module_calls"]]
        out["attribute_writes"] = [[m, n, at(line), *rest] for m, n, line, *rest in data["attribute_writes"]]
        return out
    except _Edited:
        return None


def _touched(old: Dict[str, List[Finding]], new: Dict[str, List[Finding]]) -> Set[str]:
    """The files whose findings changed, and every file those findings point into (a cycle is
    shown in each of its files)."""
    changed = {d for d in set(old) | set(new) if old.get(d) != new.get(d)}
    return changed | {p for d in changed for f in old.get(d, []) + new.get(d, []) for p in f.paths}


def _by_path(findings: Iterable[Finding]) -> Dict[str, List[Finding]]:
    grouped: Dict[str, List[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.path, []).append(finding)
    return grouped


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, root)).as_posix()


def _differs(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() != text.encode("utf-8")
    except OSError:
        return True


def engine_for(path: Path, choice: RuleChoice) -> ProjectEngine:
    """The project `path` belongs to (nearest marker), or, outside any project, the file alone
    rooted where Python imports it from: never a whole home folder."""
    root = project_root(path)
    if root is not None and not is_too_broad(root):
        return ProjectEngine(root, True, [root], choice)
    return ProjectEngine(package_root(path), False, [path], choice)


def is_too_broad(root: Path) -> bool:
    """A folder no project lives at: the file system root or the user's home (a stray `.git`
    or `pyproject.toml` there must not make the server index everything below)."""
    home = Path(os.path.expanduser("~")).resolve()
    resolved = root.resolve()
    return resolved == home or resolved.parent == resolved


def folder_project(folder: Path) -> Optional[Path]:
    """The project a workspace folder is (or is inside): None when no marker is at or above it,
    or the marker is a home folder's, which must not be indexed."""
    root = project_root(folder)
    if root is None or is_too_broad(root) or not (root == folder or root in folder.parents):
        return None
    return root
