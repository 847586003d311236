"""Fixes as data, and the libcst transformer that applies them to one file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from importguard.facts.model import ImportFact
from importguard.fixes.placement import add_import

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
    adds: Tuple[Tuple[ImportSpec, int], ...] = ()  # statements and their placement groups (placement.GROUPS)
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


def apply_edits(data: bytes, fixes: Sequence[Fix], classify: Callable[[str, int], int]) -> bytes:
    """The file's bytes with every fix applied (encoding and line endings kept by libcst)."""
    module = cst.parse_module(data)
    removals: Dict[int, Set[AliasKey]] = {}
    for fix in fixes:
        for line, keys in fix.removals:
            removals.setdefault(line, set()).update(keys)
    if removals:
        module = MetadataWrapper(module).visit(_Remover(removals))
    for fix in fixes:
        for spec, group in fix.adds:
            module = add_import(module, spec, group, classify)
    return module.bytes


def _key(alias: cst.ImportAlias, kind: str) -> AliasKey:
    asname = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else None
    return (kind, cst.helpers.get_full_name_for_node_or_raise(alias.name), asname)


class _Remover(cst.CSTTransformer):
    """Drops the listed names from the imports on the listed lines; an emptied statement goes,
    its comments move to the next statement, and an emptied block gets `pass`."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, removals: Dict[int, Set[AliasKey]]) -> None:
        super().__init__()
        self.removals = removals
        self.emptied: Set[int] = set()  # ids of the `pass` lines standing in for emptied statements

    def _filter(self, original: cst.CSTNode, updated: Union[cst.Import, cst.ImportFrom], kind: str) -> Any:
        wanted = self.removals.get(self.get_metadata(PositionProvider, original).start.line)
        if not wanted or isinstance(updated.names, cst.ImportStar):
            return updated
        kept = [a for a in updated.names if _key(a, kind) not in wanted]
        if not kept:
            return cst.RemoveFromParent()
        if len(kept) < len(updated.names) and kept[-1] is not updated.names[-1]:
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(names=kept)

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> Any:
        return self._filter(original, updated, "import")

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> Any:
        return self._filter(original, updated, "from")

    @staticmethod
    def _smalls(original: Sequence[cst.BaseSmallStatement], updated: Sequence[cst.BaseSmallStatement]) -> List[cst.BaseSmallStatement]:
        kept = list(updated)
        if kept and len(kept) < len(original):
            kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return kept

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
        smalls = self._smalls(original.body, updated.body)
        if smalls:
            return updated.with_changes(body=smalls)
        stand_in = updated.with_changes(body=[cst.Pass()])
        self.emptied.add(id(stand_in))
        return stand_in

    def leave_SimpleStatementSuite(self, original: cst.SimpleStatementSuite, updated: cst.SimpleStatementSuite) -> cst.SimpleStatementSuite:
        return updated.with_changes(body=self._smalls(original.body, updated.body) or [cst.Pass()])

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        kept: List[cst.BaseStatement] = []
        carried: List[cst.EmptyLine] = []
        for statement in updated.body:
            if id(statement) in self.emptied:
                carried += statement.leading_lines
                continue
            if carried:
                statement = statement.with_changes(leading_lines=[*carried, *statement.leading_lines])
                carried = []
            kept.append(statement)
        if not kept:
            kept.append(cst.SimpleStatementLine([cst.Pass()], leading_lines=carried))
        return updated.with_changes(body=kept)
