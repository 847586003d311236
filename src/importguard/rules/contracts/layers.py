"""IG401: a `layers` contract — higher layers may import lower ones, never the other way round.

As import-linter: layers are listed from the highest; `a | b` are independent siblings (neither
may import the other), `a : b` siblings that may; `(a)` is an optional layer; with `containers`
the layers are named relative to each container and checked inside each. A chain through another
layer is that layer's business, not this pair's, so it is not followed.
"""

from __future__ import annotations

from typing import Iterator, List, Set, Tuple

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

HINT = "depend downwards only: move what the lower layer needs into it (or below it), or pass it in from above"
SIBLING_HINT = "independent siblings share code through a lower layer, never by importing each other"

Level = Tuple[List[str], bool]  # (the modules of one layer, independent)


def forbidden_pairs(levels: List[Level]) -> Iterator[Tuple[str, str, bool]]:
    """(importer side, imported side, between siblings) for every pair a chain may not join."""
    for index, (modules, independent) in enumerate(levels):
        for module in modules:
            for lower, _ in levels[index + 1:]:
                for low in lower:
                    yield low, module, False
            if independent:
                for sibling in modules:
                    if sibling != module:
                        yield module, sibling, True


def check_layers(project: Project) -> Iterator[Finding]:
    for contract in project.contracts.of_type("layers"):
        if applies(project, contract):
            yield from _check(project, contract)


def _check(project: Project, contract: Contract) -> Iterator[Finding]:
    view = contract_view(project, contract)
    containers = sorted({c for e in contract.containers for c in matching(e, view.internal)}) if contract.containers else [""]
    for container in containers:
        levels: List[Level] = []
        for layer in contract.layers:
            names = [f"{container}.{m.name}" if container else m.name for m in layer.modules]
            levels.append(([n for n in names if with_descendants([n], view.internal)], layer.independent))
        everything: Set[str] = with_descendants([m for modules, _ in levels for m in modules], view.internal)
        for lower, higher, siblings in forbidden_pairs(levels):
            sources, targets = with_descendants([lower], view.internal), with_descendants([higher], view.internal)
            for chain in layer_chains(view.graph, sources, targets, everything - sources - targets):
                why = (f"`{lower}` and `{higher}` are independent siblings" if siblings
                       else f"layer `{lower}` is below layer `{higher}`")
                yield chain_finding(LAYERS, view, contract, chain, f"`{chain[0]}` imports `{chain[-1]}`{describe_via(chain)}: {why}",
                                    SIBLING_HINT if siblings else HINT)


LAYERS = Rule(
    code="IG401", name="contract-layers", default=True,
    summary="an import that breaks a declared `layers` contract (a lower layer importing a higher one)",
    rationale=(
        "A layered architecture lets each layer change without breaking those below it, and lets a "
        "lower layer be used, tested or split out alone — as long as no import points upwards. One "
        "upward import, even an indirect one through a helper module, ties the layers together again. "
        "Declared as import-linter's `layers` contract (`[[tool.importguard.contracts]]`, on as soon as "
        "one is declared); each finding is at the importing line, with every import of the chain "
        "(file, line and whether it runs at import time, deferred or only for the type checker)."
    ),
    bad={
        "pyproject.toml": (
            "[tool.importguard]\n\n[[tool.importguard.contracts]]\nname = \"Shop layers\"\ntype = \"layers\"\n"
            "layers = [\"shop.views\", \"shop.services\", \"shop.models\"]\n"
        ),
        "shop/__init__.py": "",
        "shop/views.py": "from shop.services import checkout\n\n\ndef page():\n    return checkout()\n",
        "shop/services.py": "from shop.models import Order\n\n\ndef checkout():\n    return Order()\n",
        "shop/models.py": "from shop.views import page\n\n\nclass Order:\n    links = [page]\n",
    },
    bad_findings=(("shop/models.py", 1),),
    good={
        "pyproject.toml": (
            "[tool.importguard]\n\n[[tool.importguard.contracts]]\nname = \"Shop layers\"\ntype = \"layers\"\n"
            "layers = [\"shop.views\", \"shop.services\", \"shop.models\"]\n"
        ),
        "shop/__init__.py": "",
        "shop/views.py": "from shop.services import checkout\n\n\ndef page():\n    return checkout()\n",
        "shop/services.py": "from shop.models import Order\n\n\ndef checkout():\n    return Order()\n",
        "shop/models.py": "class Order:\n    links = []\n",
    },
    check=check_layers,
    options=OPTIONS,
)

RULES = [LAYERS]
