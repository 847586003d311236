"""Contracts that cannot be checked as written, reported at their line of the configuration file:
`ignore_imports` entries that match no import (IG405) and modules a contract names that the
project does not have (IG406).

import-linter stops with an error for both. Here they are findings, so that every other contract
is still checked and baselines and `--statistics` see them. A contract inherited from a project
above (a nested tree without its own `[tool.importguard]`, such as a vendored corpus or an
example) is about that project: when its modules are missing here it is skipped without a word.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from importguard.findings import Finding, Related
from importguard.project.model import Project
from importguard.rules.base import Rule
from importguard.rules.contracts.common import OPTIONS, applies, config_path, contract_view, missing_modules

CONFIG_TREE = (
    "[tool.importguard]\n\n[[tool.importguard.contracts]]\nname = \"Core is independent\"\ntype = \"forbidden\"\n"
    "source_modules = [\"core\"]\nforbidden_modules = [\"cli\"]\n"
)


def check_unmatched_ignores(project: Project) -> Iterator[Finding]:
    path = config_path(project)
    for contract in project.contracts.contracts:
        if contract.alerting == "none" or not contract.ignore_imports or not applies(project, contract):
            continue
        unmatched = contract_view(project, contract).unmatched
        if not unmatched:
            continue
        listed = ", ".join(f"`{entry.expression}`" for entry in unmatched)
        entries = "entry matches" if len(unmatched) == 1 else f"{len(unmatched)} entries match"
        finding = UNMATCHED_IGNORE.finding(
            path=path, line=unmatched[0].line, column=1, message=f"contract `{contract.name}`: `ignore_imports` {entries} no import: {listed}",
            hint="remove the entries (the imports they ignored are gone) or fix their module names",
            related=[Related(path, entry.line, f"`{entry.expression}` matches no import") for entry in unmatched],
        )
        yield finding if contract.alerting == "error" else replace(finding, severity="warning")


def check_missing_modules(project: Project) -> Iterator[Finding]:
    if project.contracts.inherited:
        return
    path = config_path(project)
    for contract in project.contracts.contracts:
        missing = missing_modules(project, contract)
        if missing:
            listed = ", ".join(f"`{m}`" for m in missing)
            yield MISSING_MODULE.finding(
                path=path, line=contract.line, column=1,
                message=f"contract `{contract.name}` names no module of this project: {listed}",
                hint="fix the module name, mark an optional layer as `(name)`, or remove the contract; it is not checked until then",
            )


UNMATCHED_IGNORE = Rule(
    code="IG405", name="contract-unmatched-ignore", default=True,
    summary="an `ignore_imports` entry of a contract that matches no import",
    rationale=(
        "An ignored import is a known exception to a contract. Once the import is gone (or the entry "
        "was mistyped), the entry silently allows the next import of that shape, so it should go. "
        "All the entries of a contract that match nothing are reported at once, at their lines of "
        "the configuration file; `unmatched_ignore_imports_alerting` (`error`, `warn`, `none`, as "
        "import-linter) sets the severity or turns the alert off."
    ),
    bad={
        "pyproject.toml": CONFIG_TREE + "ignore_imports = [\"core.setup -> cli\"]\n",
        "core/__init__.py": "",
        "core/setup.py": "def configure():\n    return {}\n",
        "cli.py": "from core.setup import configure\n\nconfigure()\n",
    },
    bad_findings=(("pyproject.toml", 8),),
    good={
        "pyproject.toml": CONFIG_TREE,
        "core/__init__.py": "",
        "core/setup.py": "def configure():\n    return {}\n",
        "cli.py": "from core.setup import configure\n\nconfigure()\n",
    },
    check=check_unmatched_ignores,
    options=OPTIONS,
)

MISSING_MODULE = Rule(
    code="IG406", name="contract-missing-module", default=True,
    summary="a contract names a module the project does not have",
    rationale=(
        "A contract about a module that does not exist checks nothing: usually a typo or a module "
        "that was renamed, and the architecture it protected is now unguarded. As import-linter (which "
        "stops with an error), every module a contract requires must exist; optional layers are "
        "written `(name)`. A contract inherited from the configuration of an enclosing project is "
        "skipped where its modules are missing instead."
    ),
    bad={
        "pyproject.toml": CONFIG_TREE.replace("[\"core\"]", "[\"kore\"]"),
        "core/__init__.py": "",
        "cli.py": "import core\n",
    },
    bad_findings=(("pyproject.toml", 3),),
    good={
        "pyproject.toml": CONFIG_TREE,
        "core/__init__.py": "",
        "cli.py": "import core\n",
    },
    check=check_missing_modules,
    options=OPTIONS,
)

RULES = [UNMATCHED_IGNORE, MISSING_MODULE]
