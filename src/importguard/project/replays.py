"""Every import-time cycle replayed from each of its modules as entry point, and the failures
found, grouped by the import that fails (IG306) or by the guard that swallows them (IG307); the
trace explains production errors from the same replays."""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Set, Tuple

from importguard.project.graph import IMPORT_TIME
from importguard.project.model import Project
from importguard.project.simulate import PartialImport, Plans, Step, reaching, replay

MAX_ENTRIES = 200  # entry points replayed per cycle; each replay walks the cycle once


Swallowed = Tuple[PartialImport, Step]  # a failure and the guarded import that caught it


def replays(project: Project) -> Iterator[Tuple[Set[str], List[str], Dict[str, Tuple[Optional[PartialImport], List[Swallowed]]]]]:
    """Per import-time cycle: its members, the entries replayed, and per entry (the failure that
    ends the import, the failures guards swallowed on the way). Computed once per project."""
    yield from project.memo("replays", lambda: list(replay_cycles(project)))


def replay_cycles(project: Project) -> Iterator[Tuple[Set[str], List[str], Dict[str, Tuple[Optional[PartialImport], List[Swallowed]]]]]:
    plans = Plans(project)
    for _view, members in project.graph.components(frozenset({IMPORT_TIME})):
        entries = entry_points(plans, members)
        if entries:
            relevant = reaching(project, members)
            outcome = {}
            for entry in entries:
                failure, run = replay(project, entry, plans, relevant)
                outcome[entry] = (failure, run.swallowed)
            yield members, entries, outcome


def failures_by_site(project: Project) -> Iterator[Tuple[PartialImport, List[str], List[str]]]:
    """(first failure seen, entries that fail there, entries of the same cycle that work)."""
    for members, entries, outcome in replays(project):
        sites: Dict[tuple, List[PartialImport]] = {}
        for entry in entries:
            failure = outcome[entry][0]
            if failure is not None and failure.target in members:
                key = (failure.site.path, failure.site.line, failure.name)
                sites.setdefault(key, []).append(failure)
        working = [entry for entry in entries if outcome[entry][0] is None]
        for key in sorted(sites):
            failures = sites[key]
            yield failures[0], [f.entry for f in failures], working


def swallowed_by_site(project: Project) -> Iterator[Tuple[PartialImport, Step, List[str]]]:
    """(a swallowed failure, the guarded import that caught it, every entry where it catches one)."""
    for members, entries, outcome in replays(project):
        sites: Dict[tuple, List[Swallowed]] = {}
        for entry in entries:
            for failure, guard in outcome[entry][1]:
                if failure.target in members:
                    key = (guard.path, guard.line)  # one finding per guard that swallows
                    sites.setdefault(key, []).append((failure, guard))
        for key in sorted(sites):
            found = sites[key]
            yield found[0][0], found[0][1], sorted({f.entry for f, _ in found})


def entry_points(plans: Plans, members: Set[str]) -> List[str]:
    """The modules to replay as entries: all of them, unless the cycle is huge.

    A cycle can only break at a statement that needs names from one of its own modules
    (`from member import X`, `member.X`); a cycle without one is skipped. Above
    MAX_ENTRIES members, the modules that import or provide such names are tried first.
    """
    needy = [m for m in sorted(members) if any(e.target in members and e.names for e in plans.events(m))]
    if not needy:
        return []
    if len(members) <= MAX_ENTRIES:
        return sorted(members)
    providers = {e.target for m in needy for e in plans.events(m) if e.target in members and e.names}
    preferred = sorted(providers | set(needy))
    return (preferred + sorted(members - set(preferred)))[:MAX_ENTRIES]
