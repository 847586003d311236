"""One `check` of one project: discover its files, compute their facts, build the project model,
run the selected rules, filter; or reuse the last run's result (`importguard.run.memo`)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from importguard.facts.extract import extract_facts
from importguard.facts.gcpause import paused_gc
from importguard.facts.model import FileFacts, Problem
from importguard.findings import Finding
from importguard.rules.fixes.planning import with_fixes
from importguard.project.calls import add_import_time_calls
from importguard.project.model import Project, SourceFile, build_project
from importguard.project.modules import ModuleIndex, ModuleInfo, module_name
from importguard.rules import ALL_RULES, BY_CODE, PEER_CODES, select_rules
from importguard.rules.base import Rule
from importguard.rules.masking import first_failures, mark_masked
from importguard.rules.suppressions import UNUSED_SUPPRESSION, Used, unknown_suppression_codes, unused_suppressions
from importguard.run.cache import FactsCache, cache_folder, entry_key
from importguard.run.discovery import Discovered, module_files
from importguard.run.fact_options import FactOptions
from importguard.run.filtering import display_path, filter_findings, with_severities
from importguard.run.incremental import changed_files, rerun_changed
from importguard.run.memo import Memo, Remembered, run_keys
from importguard.run.scope import Scope, scope_of
from importguard.run.settings import Settings
from importguard.run.sources import compute_facts, file_stat, read_source
from importguard.run.workers import over_budget

Compute = Callable[[List[Path]], List[FileFacts]]


@dataclass(frozen=True)
class InMemory:
    """Sources analysed from memory instead of from disk."""

    stdin: Optional[Tuple[Path, bytes]] = None  # standard input, reported as if it were this file of the project
    edits: Mapping[Path, bytes] = field(default_factory=dict)  # absolute paths of project files -> sources to use (fixes being verified)


@dataclass
class CheckResult:
    findings: List[Finding]
    project: Optional[Project]  # None when the findings came from the memo
    files: int
    modules: int
    rules: List[Rule] = field(default_factory=list)  # the rules whose findings this result reports
    missing: List[Path] = field(default_factory=list)
    timings: Dict[str, float] = field(default_factory=dict)  # seconds per phase
    warnings: List[str] = field(default_factory=list)  # for stderr: unknown codes in suppressions
    nested: List[Path] = field(default_factory=list)  # roots of projects found below this one
    # display paths of the files this run reports on when it covers only part of its project
    # (files or folders given inside it); None: the whole project (a baseline may drop stale entries)
    checked: Optional[List[str]] = None

    @property
    def model(self) -> Project:
        """The project model, which only a result from the memo lacks."""
        if self.project is None:
            raise RuntimeError("this result came from the run memo: it has no project model")
        return self.project


# Facts of a file that is indexed (its module exists) but not analysed: excluded from the report
# and imported by no reported module. Its names are unknown, so nothing is concluded from them.
NOT_ANALYSED = Problem("not-analysed", "not analysed: excluded, and imported by no reported module")


def add_imported(analysed: Dict[Path, FileFacts], roots: Sequence[Path], allowed: Optional[Set[Path]],
                 compute: Callable[[List[Path]], List[FileFacts]]) -> None:
    """Add the facts of the files the analysed ones import: excluded modules of a project (one
    level: their names and imports matter to their importers), or, with `allowed` None (a loose
    file), the modules beside it, to the end of the chain."""
    frontier = list(analysed)
    resolver = ModuleIndex()
    roots = list(dict.fromkeys(roots))
    exists: Callable[[Path], bool] = Path.is_file if allowed is None else allowed.__contains__
    files_of: Dict[str, List[Path]] = {}  # a project imports the same modules many times over
    while frontier:
        wanted: Dict[Path, None] = {}
        for path in frontier:
            named = module_name(path, roots)
            if named is None:
                continue
            importer = ModuleInfo(named[0], path, named[1], named[1])
            for fact in analysed[path].imports:
                target, _ = resolver.absolute_target(fact, importer)
                if not target:
                    continue
                for name in [target] + [f"{target}.{n}" for n, _ in fact.names if n and n != "*"]:
                    files = files_of.get(name)
                    if files is None:
                        files = files_of[name] = module_files(name, roots, exists)
                    wanted.update((c, None) for c in files if c not in analysed)
        analysed.update(zip(wanted, compute(list(wanted))))
        frontier = list(wanted) if allowed is None else []


class _Laps:
    """Seconds per phase (`check --verbose`)."""

    def __init__(self) -> None:
        self.timings: Dict[str, float] = {}
        self._last = time.perf_counter()

    def __call__(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase], self._last = now - self._last, now


def run_check(paths: Sequence[Path], settings: Settings, memory: InMemory = InMemory(), cwd: Optional[Path] = None) -> CheckResult:
    """Check `paths` (one project). With `settings.use_memo` (and the cache), an unchanged
    project's findings come from the memo and the result has no project model."""
    with paused_gc():  # a run allocates far more than it frees: see `importguard.facts.gcpause`
        return _Check(paths, settings, memory, cwd).run()


def load_project(paths: Sequence[Path], settings: Settings) -> Project:
    """The project model of `paths`, without running any rule (for `why` and `graph`)."""
    with paused_gc():
        return _Check(paths, settings, InMemory(), None).project()


class _Check:
    def __init__(self, paths: Sequence[Path], settings: Settings, memory: InMemory, cwd: Optional[Path]) -> None:
        self.settings, self.memory, self.config = settings, memory, settings.config
        self.laps = _Laps()
        self.scope: Scope = scope_of(paths, self.config, cwd)
        if memory.stdin is not None:
            self.scope.add_virtual(memory.stdin[0])
        self.laps("discover")
        self.file_options: FactOptions = self.config.file_options()
        self.cache = FactsCache(cache_folder(self.config.root, self.config.cache_dir)) if settings.use_cache else None
        self.keys: Tuple[List[List[str]], str, str] = ([], "", "")  # the memo's (files, structure key, run key)
        self.rules = select_rules(self.config.select, self.config.ignore, self.config.extend_select)

    def compute(self, chosen: List[Path]) -> List[FileFacts]:
        settings = self.settings
        return compute_facts(chosen, self.file_options, settings.jobs, self.cache, settings.executor, settings.progress,
                             self.config.file_timeout)

    def result(self, findings: List[Finding], project: Optional[Project], counts: Tuple[int, int], warnings: List[str]) -> CheckResult:
        found = self.scope.found
        return CheckResult(findings, project, *counts, self.rules, found.missing, self.laps.timings, warnings, found.nested,
                           self.scope.checked)

    def run(self) -> CheckResult:
        scope, config = self.scope, self.config
        # A loose script (a file given outside any project) also analyses what it imports from
        # beside it, which the memo's key does not cover: such runs are not memoised.
        memoisable = config.marked or not scope.given_files
        memo = None
        if self.cache is not None and self.settings.use_memo and memoisable and self.memory == InMemory():
            memo = Memo(self.cache, config, scope.cwd, scope.paths)
            reused = self.from_memo(memo, self.cache)
            if isinstance(reused, CheckResult):
                return reused
        analysed = self.analysed()
        project = self.build(analysed)
        selected = {rule.code for rule in self.rules}
        # whether a suppression is used needs its rule's findings
        running = ALL_RULES if UNUSED_SUPPRESSION.code in selected else self.rules
        raw = [finding for rule in running for finding in rule.check(project)]
        kept = self.reported(project, mark_masked(raw), selected)
        self.laps("rules")
        warnings = [f"{display_path(path, scope.cwd)}: not a Python file, not checked" for path in scope.not_python]
        warnings += unknown_suppression_codes(project, scope.report_on, set(BY_CODE))
        kept = with_severities(with_fixes(sorted(kept, key=Finding.sort_key), project), config.severity)
        counts = (len(scope.reported), sum(1 for f in project.files if f.module is not None))
        if memo is not None and not any(over_budget(facts) for facts in analysed.values()):
            stops = {path: (f.line, f.code) for path, f in first_failures(raw).items()}
            rows, structure, key = self.keys
            memo.store(Remembered(key, structure, {p: k for p, k, _ in rows}, [str(p) for p in analysed], stops, kept, counts, warnings))
        return self.result(kept, project, counts, warnings)

    def reported(self, project: Project, findings: List[Finding], selected: Set[str]) -> List[Finding]:
        """The selected findings in the files reported on, suppressions applied (and, with IG003
        selected, the suppressions nothing used)."""
        scope, config = self.scope, self.config
        used: Used = set()
        kept = [f for f in filter_findings(findings, project, config, scope.cwd, scope.only, scope.report_on, used) if f.code in selected]
        if UNUSED_SUPPRESSION.code in selected:
            unused = unused_suppressions(project, used, scope.report_on, set(BY_CODE), set(PEER_CODES))
            kept += filter_findings(list(unused), project, config, scope.cwd, scope.only, scope.report_on, set())
        return kept

    def from_memo(self, memo: Memo, cache: FactsCache) -> Optional[CheckResult]:
        """The last run's result when nothing it depends on changed, or with the "file" rules
        re-run on the files whose changes stay inside them; None: a full run is needed."""
        rows = discovered_files(self.scope.found, cache, self.file_options)
        structure, key = run_keys(self.config, self.scope.cwd, self.scope.paths, rows)
        self.keys = (rows, structure, key)
        last = memo.load()
        self.laps("memo")
        if last is None:
            return None
        if last.key == key:
            cache.save_manifest()
            return self.result(last.findings, None, last.counts, last.warnings)
        if UNUSED_SUPPRESSION.code in {rule.code for rule in self.rules} or last.structure != structure:
            return None
        new = changed_files(last, rows, cache, self.compute)
        if new is None:
            return None
        keys = {path: facts_key for path, facts_key, _ in rows}
        kept = rerun_changed(last, new, keys, cache, self.compute, self.scope, self.rules, NOT_ANALYSED)
        self.laps(f"file rules on {len(new)} changed")
        memo.store(replace(last, key=key, files=keys, findings=kept))
        cache.save_manifest()
        return self.result(kept, None, last.counts, last.warnings)

    def analysed(self) -> Dict[Path, FileFacts]:
        """The facts of every reported file, and of the files they import that are not reported."""
        scope, config, memory = self.scope, self.config, self.memory
        piped = {}
        if memory.stdin is not None:
            virtual = Path(os.path.abspath(memory.stdin[0]))
            piped[virtual] = extract_facts(memory.stdin[1], self.file_options.of(virtual))
        piped.update({path: extract_facts(data, self.file_options.of(path)) for path, data in memory.edits.items()})
        on_disk = [p for p in scope.reported if p not in piped]
        analysed = {**dict(zip(on_disk, self.compute(on_disk))), **piped}
        if config.marked and scope.excluded:
            add_imported(analysed, scope.roots, scope.excluded, self.compute)
        elif not config.marked and scope.given_files:  # a loose script: what it imports from beside it
            add_imported(analysed, scope.roots, None, self.compute)
        self.laps("facts")
        return analysed

    def project(self) -> Project:
        return self.build(self.analysed())

    def build(self, analysed: Dict[Path, FileFacts]) -> Project:
        scope = self.scope
        everything = sorted(set(scope.found.sources) | set(analysed))
        files = [SourceFile(path, display_path(path, scope.cwd), analysed.get(path) or FileFacts(problem=NOT_ANALYSED))
                 for path in everything]
        project = build_project(files, scope.roots, scope.found.extensions, frozenset(self.config.builtins))
        project.contracts = scope.contracts
        add_import_time_calls(project)
        self.laps("project")
        return project


def discovered_files(found: Discovered, cache: FactsCache, file_options: FactOptions) -> List[List[str]]:
    """[path, facts key, role] of every file found: what the memo's key covers. A file whose
    size and modification time are those last seen is not read; another is read and hashed."""
    rows = []
    for path in found.sources:
        stat = file_stat(path)
        options = file_options.of(path)
        key = cache.known_key(str(path), stat, options)
        if key is None:
            data = read_source(path, options.max_file_bytes)
            if isinstance(data, FileFacts):
                key = f"problem: {data.problem.message}" if data.problem else "problem"
            else:
                key = entry_key(data, options)
                cache.remember(str(path), stat, key, options)
        rows.append([str(path), key, "reported" if path in found.reported else "indexed"])
    rows += [[str(path), "", "compiled"] for path in found.extensions]
    rows += [[str(path), "", "missing"] for path in found.missing]
    return rows


