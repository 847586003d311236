"""The rule catalogue and rule selection (`--select`/`--ignore`, codes or prefixes, as in ruff).

One module per family, named by what it checks: `files` (IG001-IG002), `suppressions` (IG003),
`names` (IG101, IG102, IG104), `unbound_paths` (IG103, IG105), `annotation_names` (IG106),
`handlers` (IG201-IG205), `cycles` (IG301-IG303), `modules` (IG304-IG305), `partial_import`
(IG306-IG307), `contracts` (IG401-IG406, a package: one module per contract type); `masking`
marks findings another explains; `injected` decides when a name another module assigns from
outside is bound (IG101, IG305); `fixes` plans each finding's fix.

Each rule is one record (`base.Rule`) in its family's `RULES`; the tables below are derived from
the records, so a rule is never named anywhere else (CONTRIBUTING.md, "Adding a rule").
"""

from __future__ import annotations

from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from importguard.errors import ConfigError
from importguard.rules import (
    annotation_names,
    contracts,
    cycles,
    files,
    handlers,
    modules,
    names,
    partial_import,
    suppressions,
    unbound_paths,
)
from importguard.rules.base import Rule

ALL_RULES: List[Rule] = sorted(
    [
        *files.RULES, *suppressions.RULES, *names.RULES, *unbound_paths.RULES, *annotation_names.RULES,
        *handlers.RULES, *cycles.RULES, *modules.RULES, *partial_import.RULES,
        *contracts.RULES,
    ],
    key=lambda r: r.code,
)
BY_CODE: Dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}


def _matching(selector: str) -> List[Rule]:
    selector = selector.strip().upper()
    if selector == "ALL":
        return list(ALL_RULES)
    matched = [rule for rule in ALL_RULES if rule.code.startswith(selector)]
    if not matched:
        raise ConfigError(peer_code_problem(selector) or f"unknown rule code or prefix `{selector}` (see `importguard rules`)")
    return matched


def select_rules(select: Optional[Sequence[str]], ignore: Iterable[str], extend: Iterable[str] = ()) -> List[Rule]:
    """`select` replaces the default set (rules on by default); `ignore` removes from it."""
    chosen = {r.code for s in select for r in _matching(s)} if select is not None else {r.code for r in ALL_RULES if r.default}
    chosen |= {r.code for s in extend for r in _matching(s)}
    chosen -= {r.code for s in ignore for r in _matching(s)}
    return [rule for rule in ALL_RULES if rule.code in chosen]


# pyflakes/ruff codes for the same bugs: a line its maintainers silenced for them is silenced here.
PEER_CODES: Dict[str, Tuple[str, ...]] = {
    peer: tuple(rule.code for rule in ALL_RULES if peer in (p.code for p in rule.peers))
    for peer in sorted({p.code for rule in ALL_RULES for p in rule.peers})
}
PEER_NAMES: Dict[str, str] = {p.code: p.name for rule in ALL_RULES for p in rule.peers}  # ruff's names
# The rules whose import-time finding stops its module (`importguard.rules.masking`).
STOPS_THE_MODULE: FrozenSet[str] = frozenset(rule.code for rule in ALL_RULES if rule.stops_module)
# Facts only "file" rules read, and only for the file they describe (`importguard.run.memo`).
LOCAL_FACTS: FrozenSet[str] = frozenset(fact for rule in ALL_RULES for fact in rule.local_facts)


def peer_code_problem(code: str) -> Optional[str]:
    """Why a peer's code is refused where rules are selected: `# noqa: F821` keeps a line that
    pyflakes and ruff already silence quiet, but a setting names importguard's own rules."""
    honoured = PEER_CODES.get(code.strip().upper())
    if honoured is None:
        return None
    return (f"`{code.strip().upper()}` is a pyflakes/ruff code: importguard accepts it in `# noqa` comments but not in "
            f"configuration (use {', '.join(f'`{c}`' for c in honoured)})")


def code_matches(code: str, selectors: Iterable[str]) -> bool:
    return any(code.startswith(s.upper()) for s in selectors)


def suppresses(code: str, listed: Iterable[str]) -> bool:
    """Does an inline suppression listing `listed` (importguard or peer codes) cover `code`?"""
    return any(code in PEER_CODES.get(entry, ()) or code.startswith(entry) for entry in (c.upper() for c in listed))
