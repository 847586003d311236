"""Fixes as plain data (no libcst here: a warm run that only reports fix availability never
imports the parser)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import FrozenSet, Optional, Tuple

from importguard.facts.model import ImportFact

# Placement groups of a module-level import, in file order (isort's sections).
STDLIB, THIRD_PARTY, FIRST_PARTY, RELATIVE = range(4)

SAFE, UNSAFE = "safe", "unsafe"

# One name an import statement binds, as written: ("import", "a.b", "c") for `import a.b as c`,
# ("from", "y", None) for the `y` of `from x import y`.
AliasKey = Tuple[str, str, Optional[str]]


@dataclass(frozen=True)
class ImportSpec:
    """A module-level import statement to add."""

    kind: str  # "import" | "from"
    module: str  # the `from` module, without its leading dots
    level: int
    aliases: Tuple[Tuple[str, Optional[str]], ...]  # (name, asname); dotted module names for `import`

    @property
    def text(self) -> str:
        names = ", ".join(name if asname is None else f"{name} as {asname}" for name, asname in self.aliases)
        if self.kind == "import":
            return f"import {names}"
        return f"from {'.' * self.level}{self.module} import {names}"


@dataclass(frozen=True)
class Fix:
    """What repairs one finding: an import to add at module level, a function-local import to
    remove (its line and the names to drop from it), or both (a hoist)."""

    path: str  # display path of the file to edit
    applicability: str  # SAFE | UNSAFE
    title: str  # what it does, for the report
    adds: Tuple[Tuple[ImportSpec, int], ...] = ()  # statements and their placement groups (STDLIB ... RELATIVE)
    removals: Tuple[Tuple[int, FrozenSet[AliasKey]], ...] = ()  # (line, names) of function-local imports
    edges: Tuple[Tuple[str, str], ...] = ()  # first-party import-time edges it adds (importer, imported)


def alias_keys(fact: ImportFact, only: Optional[str] = None) -> FrozenSet[AliasKey]:
    """The names `fact` binds, as alias keys; `only` keeps the one binding that name."""
    if fact.kind == "import":
        keys = {("import", fact.module, fact.alias)}
        bound = fact.alias or fact.module.split(".")[0]
        return frozenset(keys if only in (None, bound) else ())
    return frozenset(("from", n, a) for n, a in fact.names if n and only in (None, a or n))


def spec_of(fact: ImportFact, only: Optional[str] = None) -> ImportSpec:
    """The statement of `fact` (or of its name `only`) as written in the file."""
    keys = sorted(alias_keys(fact, only), key=lambda k: (k[1], k[2] or ""))
    if fact.kind == "import":
        return ImportSpec("import", "", 0, tuple((k[1], k[2]) for k in keys))
    ordered = [(n, a) for n, a in fact.names if ("from", n, a) in keys]
    return ImportSpec("from", fact.module, fact.level, tuple((n, a) for n, a in ordered if n))
