"""A partial re-run: the last run's findings, with the "file" rules re-run on the files whose
contents changed but whose project-level facts did not (see `importguard.run.memo`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

from importguard.run.cache import FactsCache
from importguard.facts.model import FileFacts, Problem
from importguard.run.filtering import display_path, filter_findings, with_severities
from importguard.findings import Finding
from importguard.run.memo import Remembered, project_signature
from importguard.project.model import DeferredSourceFile, SourceFile, build_project
from importguard.rules.base import Rule
from importguard.rules.fixes.planning import with_fixes
from importguard.rules.masking import mark_masked
from importguard.run.scope import Scope

Compute = Callable[[List[Path]], List[FileFacts]]


def changed_files(last: Remembered, rows: Sequence[Sequence[str]], cache: FactsCache,
                  compute: Compute) -> Optional[Dict[Path, FileFacts]]:
    """The new facts of every analysed file whose contents changed, or None when one of them
    changed at project level (or its old facts are gone): then only a full run is right."""
    analysed = set(last.analysed)
    changed = [Path(path) for path, key, _ in rows if last.files.get(path) != key and path in analysed]
    if not changed:
        return None
    new = dict(zip(changed, compute(changed)))
    for path, facts in new.items():
        old = cache.load(last.files[str(path)])
        if old is None or project_signature(old) != project_signature(facts):
            return None
    return new


def rerun_changed(
    last: Remembered, new: Dict[Path, FileFacts], keys: Dict[str, str], cache: FactsCache, compute: Compute,
    scope: Scope, rules: Sequence[Rule], not_analysed: Problem,
) -> List[Finding]:
    """The last run's findings with those of the "file" `rules` in the changed files computed again.

    The project is built without its graph; other files' facts are loaded only if a rule looks.
    """
    config, cwd = scope.config, scope.cwd
    analysed = set(last.analysed)

    def loader(path: Path) -> Callable[[], FileFacts]:
        return lambda: cache.load(keys[str(path)]) or compute([path])[0]

    files: List[SourceFile] = []
    for path in scope.found.sources:
        display = display_path(path, cwd)
        if path in new:
            files.append(SourceFile(path, display, new[path]))
        elif str(path) in analysed:
            files.append(DeferredSourceFile(path, display, loader(path)))
        else:
            files.append(SourceFile(path, display, FileFacts(problem=not_analysed)))
    project = build_project(files, scope.roots, scope.found.extensions, frozenset(config.builtins), with_graph=False)
    view = replace(project, files=[f for f in project.files if f.path in new])
    local = [rule for rule in rules if rule.scope == "file"]
    fresh = mark_masked([finding for rule in local for finding in rule.check(view)], last.stops)
    fresh = with_severities(with_fixes(filter_findings(fresh, view, config, cwd, scope.only, scope.report_on, set()), project), config.severity)
    redone = {rule.code for rule in local}
    touched = {f.display for f in view.files}
    kept = [f for f in last.findings if not (f.code in redone and f.path in touched)]
    return sorted(kept + fresh, key=Finding.sort_key)
