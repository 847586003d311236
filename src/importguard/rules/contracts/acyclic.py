"""IG404: an `acyclic_siblings` contract — no cycle between the children of a package.

As import-linter: for each of the `ancestors` and each package below it down to `depth` levels
(`skip_descendants` and what is below them left out), the children of the package are squashed
(a child stands for everything below it) and must not import each other in a circle. Unlike
import-linter, which counts every import, only import-time imports count by default, as for
IG301: `import_kinds` adds the deferred (IG302) and typing-only (IG303) ones. One finding per
strongly connected group of children, with its shortest cycle; each hop names the import behind it.
"""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Set, Tuple

from importguard.contracts.config import Contract
from importguard.findings import Finding, Related
from importguard.project.graph import ImportSite, shortest_cycle
from importguard.project.model import Project
from importguard.rules.base import Rule
from importguard.rules.contracts.common import OPTIONS, ContractView, applies, contract_view, hop_message, matching

HINT = "a cycle between siblings makes them one unit: move what both need into a new sibling both may import"
Edge = Tuple[str, str]


def sibling_edges(view: ContractView) -> Dict[str, Dict[Edge, Tuple[ImportSite, Edge]]]:
    """package -> (child, child) -> (its first import site, the modules it joins), for every import
    between two different children of a package (the package's own module is no child)."""
    found: Dict[str, Dict[Edge, Tuple[ImportSite, Edge]]] = {}
    internal = set(view.internal)
    for importer, imported in view.graph.edges():
        if imported not in internal:
            continue
        left, right = importer.split("."), imported.split(".")
        common = 0
        while common < min(len(left), len(right)) and left[common] == right[common]:
            common += 1
        if common == 0 or common >= min(len(left), len(right)):
            continue  # different top-level packages, or one inside the other
        package = ".".join(left[:common])
        pair = (".".join(left[:common + 1]), ".".join(right[:common + 1]))
        site = view.declared.best_site(importer, imported, view.kinds)
        known = found.setdefault(package, {}).get(pair)
        if known is None or (site.path, site.line) < (known[0].path, known[0].line):
            found[package][pair] = (site, (importer, imported))
    return found


def check_acyclic_siblings(project: Project) -> Iterator[Finding]:
    for contract in project.contracts.of_type("acyclic_siblings"):
        if applies(project, contract):
            yield from _check(project, contract)


def _check(project: Project, contract: Contract) -> Iterator[Finding]:
    import networkx as nx

    view = contract_view(project, contract)
    edges = project.memo(f"sibling edges {contract.name}", lambda: sibling_edges(view))
    skipped = {m for e in contract.skip_descendants for m in matching(e, view.internal)}
    for package in _packages(view.internal, contract, skipped):
        squashed = nx.DiGraph(sorted(edges.get(package, {})))
        for members in sorted(nx.strongly_connected_components(squashed), key=min):
            if len(members) > 1:
                yield _finding(contract, package, shortest_cycle(squashed, members), edges[package], len(members))


def _packages(internal: List[str], contract: Contract, skipped: Set[str]) -> List[str]:
    """The ancestors and the packages below them to `depth` levels, without the skipped ones."""
    chosen: List[str] = []
    for ancestor in sorted({m for e in contract.ancestors for m in matching(e, internal)}):
        depth = ancestor.count(".")
        prefix = f"{ancestor}."
        chosen.append(ancestor)
        chosen += [m for m in internal if m.startswith(prefix) and m.count(".") - depth <= contract.depth
                   and not _below_skipped(m, skipped)]
    return sorted(set(chosen))


def _below_skipped(module: str, skipped: Set[str]) -> bool:
    return any(module == s or module.startswith(f"{s}.") for s in skipped)


def _finding(contract: Contract, package: str, cycle: List[str], edges: Dict[Edge, Tuple[ImportSite, Edge]],
             members: int) -> Finding:
    related = []
    first: Optional[ImportSite] = None
    for child, other in zip(cycle, cycle[1:] + cycle[:1]):
        site, (importer, imported) = edges[(child, other)]
        first = first or site
        related.append(Related(site.path, site.line, hop_message(importer, imported, site)))
    assert first is not None
    loop = " -> ".join(f"`{m}`" for m in cycle + cycle[:1])
    size = f" (one cycle of {members} children in a circle)" if members > len(cycle) else ""
    return ACYCLIC_SIBLINGS.finding(
        path=first.path, line=first.line, column=first.column, end_column=first.column + len(first.statement),
        module=cycle[0], name=package, message=f"cycle between the children of `{package}`: {loop}{size} (contract `{contract.name}`)",
        hint=contract.message or HINT, related=related,
    )


ACYCLIC_SIBLINGS = Rule(
    code="IG404", name="contract-acyclic-siblings", default=True,
    summary="a cycle between sibling packages that a declared `acyclic_siblings` contract forbids",
    rationale=(
        "Modules of one package that import each other in a circle — even through their submodules — "
        "can no longer be understood, tested or moved one at a time, and every such cycle is one "
        "import away from an import-time cycle that fails depending on import order. Declared as "
        "import-linter's `acyclic_siblings` contract (`ancestors`, `depth`, `skip_descendants`), with "
        "deferred and typing-only imports left out unless `import_kinds` asks for them."
    ),
    bad={
        "pyproject.toml": (
            "[tool.importguard]\n\n[[tool.importguard.contracts]]\nname = \"No sibling cycles\"\n"
            "type = \"acyclic_siblings\"\nancestors = [\"store\"]\n"
        ),
        "store/__init__.py": "",
        "store/billing/__init__.py": "",
        "store/billing/invoice.py": "from store.catalog.items import Item\n\n\nclass Invoice:\n    item = Item\n",
        "store/catalog/__init__.py": "",
        "store/catalog/items.py": "class Item:\n    pass\n",
        "store/catalog/prices.py": "from store.billing.invoice import Invoice\n\n\nclass Price:\n    invoice = Invoice\n",
    },
    bad_findings=(("store/billing/invoice.py", 1),),
    good={
        "pyproject.toml": (
            "[tool.importguard]\n\n[[tool.importguard.contracts]]\nname = \"No sibling cycles\"\n"
            "type = \"acyclic_siblings\"\nancestors = [\"store\"]\n"
        ),
        "store/__init__.py": "",
        "store/billing/__init__.py": "",
        "store/billing/invoice.py": "from store.catalog.items import Item\n\n\nclass Invoice:\n    item = Item\n",
        "store/catalog/__init__.py": "",
        "store/catalog/items.py": "class Item:\n    pass\n",
        "store/catalog/prices.py": "class Price:\n    currency = \"EUR\"\n",
    },
    check=check_acyclic_siblings,
    options=OPTIONS,
)

RULES = [ACYCLIC_SIBLINGS]
