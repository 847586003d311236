"""What every contract check shares: module expressions, the contract's view of the declared
import graph (its import kinds, its `ignore_imports` removed) and the finding for a chain.

Module expressions are import-linter's: a dotted name whose parts may be `*` (one name) or `**`
(one or more). A module named in a contract stands for itself and its descendants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterable, List, Sequence, Set, Tuple

from importguard.contracts.config import Contract, IgnoredImport
from importguard.findings import Finding, Related
from importguard.project.declared import declared_graph, is_external
from importguard.project.graph import ImportGraph, ImportSite
from importguard.project.model import Project
from importguard.rules.base import Option, Rule
from importguard.rules.options import SRC

if TYPE_CHECKING:
    import networkx as nx

DEFAULT_CONFIG = "pyproject.toml"  # where contracts are said to be when the settings came from no file
VIOLATION_CODES = ("IG401", "IG402", "IG403", "IG404")
CONTRACTS = Option("contracts", "the contracts declared in [[tool.importguard.contracts]] are what it checks")
OPTIONS = (CONTRACTS, SRC)  # every contract rule's: the contracts, and the roots that name the modules
HOP = re.compile(r"`([^`]+)` imports `([^`]+)` \(")  # a related location of a chain: see `hop_message`


@dataclass
class ContractView:
    """A contract's graph: the declared imports of its kinds without its ignored imports."""

    declared: ImportGraph
    graph: nx.DiGraph
    kinds: FrozenSet[str]
    unmatched: List[IgnoredImport]  # `ignore_imports` entries that match no import
    internal: List[str]  # the project's modules, sorted


def expression_pattern(expression: str) -> re.Pattern:
    parts = [r"[^.]+" if p == "*" else r"[^.]+(?:\.[^.]+)*" if p == "**" else re.escape(p) for p in expression.split(".")]
    return re.compile(r"\.".join(parts))


def matching(expression: str, modules: Iterable[str]) -> List[str]:
    """The modules an expression names (a plain name: itself, when it exists)."""
    if "*" not in expression:
        return [expression] if expression in set(modules) else []
    pattern = expression_pattern(expression)
    return sorted(m for m in modules if pattern.fullmatch(m))


def with_descendants(names: Iterable[str], modules: Iterable[str]) -> Set[str]:
    """Each name and every module below it (whether or not the name itself is a module)."""
    prefixes = tuple(f"{n}." for n in names)
    wanted = set(names)
    return {m for m in modules if m in wanted or m.startswith(prefixes)}


def matched_imports(graph: nx.DiGraph, entry: IgnoredImport) -> List[Tuple[str, str]]:
    if "*" not in entry.importer and "*" not in entry.imported:
        return [(entry.importer, entry.imported)] if graph.has_edge(entry.importer, entry.imported) else []
    importer, imported = expression_pattern(entry.importer), expression_pattern(entry.imported)
    return [(a, b) for a, b in graph.edges() if importer.fullmatch(a) and imported.fullmatch(b)]


def contract_view(project: Project, contract: Contract) -> ContractView:
    """Built once per contract and run; an ignored import is matched across every kind (as
    import-linter, which does not know kinds) and removed with all its sites."""

    def build() -> ContractView:
        declared = declared_graph(project)
        kinds = frozenset(contract.import_kinds)
        graph = declared.subgraph(kinds).copy()
        unmatched = []
        for entry in contract.ignore_imports:
            found = matched_imports(declared.graph, entry)
            if not found:
                unmatched.append(entry)
            graph.remove_edges_from([edge for edge in found if graph.has_edge(*edge)])
        internal = sorted(m for m in declared.graph if not is_external(declared, m))
        return ContractView(declared, graph, kinds, unmatched, internal)

    return project.memo(f"contract-view {contract.name}", build)


def required_modules(project: Project, contract: Contract, internal: Sequence[str]) -> Dict[str, List[str]]:
    """Each module expression the contract requires, with the modules it names (empty: missing).
    Optional layers are not required; forbidden third-party packages need not be imported."""
    expressions: List[str] = [*contract.containers, *contract.source_modules, *contract.modules, *contract.ancestors,
                              *contract.skip_descendants]
    expressions += [m for m in contract.forbidden_modules if project.index.is_first_party(m.split(".")[0])]
    containers = [c for e in contract.containers for c in matching(e, internal)] if contract.containers else [""]
    for container in containers:
        expressions += [f"{container}.{m.name}" if container else m.name for layer in contract.layers for m in layer.modules
                        if not m.optional]
    return {e: matching(e, internal) for e in dict.fromkeys(expressions)}


def missing_modules(project: Project, contract: Contract) -> List[str]:
    internal = contract_view(project, contract).internal
    return [e for e, found in required_modules(project, contract, internal).items() if not found]


def applies(project: Project, contract: Contract) -> bool:
    """A contract is checked only when every module it requires exists: otherwise IG406 names the
    missing ones (in the project that declares it) or it is about another project (inherited)."""
    return not missing_modules(project, contract)


def describe_via(chain: Sequence[str]) -> str:
    return "" if len(chain) <= 2 else " through " + " -> ".join(f"`{m}`" for m in chain[1:-1])


def hop_message(importer: str, imported: str, site: ImportSite) -> str:
    return f"`{importer}` imports `{imported}` ({site.kind}): `{site.statement}`"


def violation_edges(findings: Iterable[Finding]) -> Set[Tuple[str, str]]:
    """The imports on the chains of contract findings (what `graph --contract` highlights)."""
    return {(match.group(1), match.group(2)) for f in findings if f.code in VIOLATION_CODES
            for related in f.related for match in [HOP.match(related.message)] if match}


def chain_finding(rule: Rule, view: ContractView, contract: Contract, chain: Sequence[str], message: str,
                  default_hint: str) -> Finding:
    """One finding at the first import of `chain`; every hop (file:line, kind) a related location."""
    related = []
    for importer, imported in zip(chain, chain[1:]):
        site = view.declared.best_site(importer, imported, view.kinds)
        related.append(Related(site.path, site.line, hop_message(importer, imported, site)))
    first = view.declared.best_site(chain[0], chain[1], view.kinds)
    return rule.finding(
        path=first.path, line=first.line, column=first.column, end_column=first.column + len(first.statement),
        module=chain[0], name=chain[-1], message=f"{message} (contract `{contract.name}`)",
        hint=contract.message or default_hint, related=related,
    )


def config_path(project: Project) -> str:
    return project.contracts.source or DEFAULT_CONFIG

