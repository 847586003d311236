"""IG403: an `independence` contract — the modules may not import each other, directly or
through other modules (as import-linter: a chain through a third module of the contract is that
module's business, so it is not followed)."""

from __future__ import annotations

from typing import Iterator

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
from importguard.rules.contracts.routes import layer_chains

HINT = "independent modules share code through a module outside them all, never by importing each other"


def check_independence(project: Project) -> Iterator[Finding]:
    for contract in project.contracts.of_type("independence"):
        if applies(project, contract):
            yield from _check(project, contract)


def _check(project: Project, contract: Contract) -> Iterator[Finding]:
    view = contract_view(project, contract)
    modules = sorted({m for e in contract.modules for m in matching(e, view.internal)})
    everything = with_descendants(modules, view.internal)
    for importer in modules:
        for imported in modules:
            if importer == imported:
                continue
            sources, targets = with_descendants([importer], view.internal), with_descendants([imported], view.internal)
            for chain in layer_chains(view.graph, sources, targets, everything - sources - targets):
                yield chain_finding(INDEPENDENCE, view, contract, chain,
                                    f"`{chain[0]}` imports `{chain[-1]}`{describe_via(chain)}: `{importer}` and `{imported}` "
                                    "must be independent", HINT)


INDEPENDENCE = Rule(
    code="IG403", name="contract-independence", default=True,
    summary="an import that breaks a declared `independence` contract (independent modules importing each other)",
    rationale=(
        "Plugins, apps or bounded contexts that are meant to be independent can be removed, replaced "
        "or released alone only while none of them imports another; one import, direct or through a "
        "helper, couples them for good. Declared as import-linter's `independence` contract, each "
        "import that joins two of the modules is reported with its chain at file and line."
    ),
    bad={
        "pyproject.toml": (
            "[tool.importguard]\n\n[[tool.importguard.contracts]]\nname = \"Plugins are independent\"\n"
            "type = \"independence\"\nmodules = [\"plugins.mail\", \"plugins.sms\"]\n"
        ),
        "plugins/__init__.py": "",
        "plugins/mail.py": "def send(text):\n    return text\n",
        "plugins/sms.py": "from plugins.mail import send\n\n\ndef notify(text):\n    return send(text[:160])\n",
    },
    bad_findings=(("plugins/sms.py", 1),),
    good={
        "pyproject.toml": (
            "[tool.importguard]\n\n[[tool.importguard.contracts]]\nname = \"Plugins are independent\"\n"
            "type = \"independence\"\nmodules = [\"plugins.mail\", \"plugins.sms\"]\n"
        ),
        "plugins/__init__.py": "",
        "plugins/text.py": "def shorten(text, size):\n    return text[:size]\n",
        "plugins/mail.py": "def send(text):\n    return text\n",
        "plugins/sms.py": "from plugins.text import shorten\n\n\ndef notify(text):\n    return shorten(text, 160)\n",
    },
    check=check_independence,
    options=OPTIONS,
)

RULES = [INDEPENDENCE]
