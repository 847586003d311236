"""IG402: a `forbidden` contract — `source_modules` may not import `forbidden_modules`.

As import-linter: directly or through a chain of other modules (`allow_indirect_imports = true`
checks direct imports only); each module stands for its package (`as_packages = false`: itself
only). A forbidden module may be a third-party or standard-library one: the declared graph keeps
every import of a module outside the project.
"""

from __future__ import annotations

from typing import Iterator, Set

from importguard.contracts.config import Contract
from importguard.findings import Finding
from importguard.project.model import Project
from importguard.rules.base import Rule
from importguard.rules.contracts.common import (
    OPTIONS,
    applies,
    chain_finding,
    contract_view,
    describe_via,
    matching,
    with_descendants,
)
from importguard.rules.contracts.routes import Chain, direct_chains, layer_chains

HINT = "keep this dependency out: reach it through a module the contract allows, or pass the object in"


def overlap(first: str, second: str, as_packages: bool) -> bool:
    if not as_packages:
        return first == second
    return first == second or first.startswith(f"{second}.") or second.startswith(f"{first}.")


def check_forbidden(project: Project) -> Iterator[Finding]:
    for contract in project.contracts.of_type("forbidden"):
        if applies(project, contract):
            yield from _check(project, contract)


def _check(project: Project, contract: Contract) -> Iterator[Finding]:
    view = contract_view(project, contract)
    every = sorted(view.graph)
    sources = sorted({m for e in contract.source_modules for m in matching(e, view.internal)})
    forbidden = sorted({m for e in contract.forbidden_modules for m in matching(e, every) or ([e] if "*" not in e else [])})
    seen: Set[Chain] = set()
    for source in sources:
        for target in forbidden:
            if overlap(source, target, contract.as_packages):
                continue
            importers = with_descendants([source], view.internal) if contract.as_packages else {source}
            imported = with_descendants([target], every) if contract.as_packages else {target} & set(every)
            chains = (direct_chains(view.graph, importers, imported) if contract.allow_indirect_imports
                      else layer_chains(view.graph, importers, imported, set()))
            for chain in chains:
                if chain not in seen:
                    seen.add(chain)
                    yield chain_finding(FORBIDDEN, view, contract, chain,
                                        f"`{chain[0]}` imports forbidden `{chain[-1]}`{describe_via(chain)}", HINT)


FORBIDDEN = Rule(
    code="IG402", name="contract-forbidden", default=True,
    summary="an import that breaks a declared `forbidden` contract (a source module importing a forbidden one)",
    rationale=(
        "Some dependencies must stay out of part of a project: the domain model must not import the "
        "web framework, a library's core must not import its optional extras, a client must not reach "
        "into the server's internals. Declared as import-linter's `forbidden` contract (third-party "
        "packages included), the rule reports each import that brings a forbidden module in, directly "
        "or through a chain of other modules, with every import of the chain at file and line."
    ),
    bad={
        "pyproject.toml": (
            "[tool.importguard]\n\n[[tool.importguard.contracts]]\nname = \"Domain stays pure\"\ntype = \"forbidden\"\n"
            "source_modules = [\"app.domain\"]\nforbidden_modules = [\"app.web\"]\n"
            "message = \"the domain model knows nothing about requests: let the web layer convert them\"\n"
        ),
        "app/__init__.py": "",
        "app/domain.py": "from app.helpers import clean\n\n\ndef total(order):\n    return clean(order)\n",
        "app/helpers.py": "from app.web import current_request\n\n\ndef clean(value):\n    return value or current_request()\n",
        "app/web.py": "def current_request():\n    return None\n",
    },
    bad_findings=(("app/domain.py", 1),),
    good={
        "pyproject.toml": (
            "[tool.importguard]\n\n[[tool.importguard.contracts]]\nname = \"Domain stays pure\"\ntype = \"forbidden\"\n"
            "source_modules = [\"app.domain\"]\nforbidden_modules = [\"app.web\"]\n"
        ),
        "app/__init__.py": "",
        "app/domain.py": "from app.helpers import clean\n\n\ndef total(order):\n    return clean(order)\n",
        "app/helpers.py": "def clean(value):\n    return value\n",
        "app/web.py": "from app.domain import total\n\n\ndef current_request():\n    return total(None)\n",
    },
    check=check_forbidden,
    options=OPTIONS,
)

RULES = [FORBIDDEN]
