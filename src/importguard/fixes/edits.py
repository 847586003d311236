"""The libcst transformer that applies fixes to one file."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Sequence, Set, Union

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from importguard.fixes.placement import add_import
from importguard.rules.fixes.model import AliasKey, Fix


class NotRoundTrip(Exception):
    """libcst does not print this file back byte for byte (it drops the space in `except E :`,
    for one): editing it would change lines no fix meant to touch."""


def apply_edits(data: bytes, fixes: Sequence[Fix], classify: Callable[[str, int], int]) -> bytes:
    """The file's bytes with every fix applied (encoding and line endings kept by libcst)."""
    module = cst.parse_module(data)
    if module.bytes != data:
        raise NotRoundTrip()
    removals: Dict[int, Set[AliasKey]] = {}
    for fix in fixes:
        for line, keys in fix.removals:
            removals.setdefault(line, set()).update(keys)
    if removals:
        module = MetadataWrapper(module, unsafe_skip_copy=True).visit(_Remover(removals))  # parsed here: no copy needed
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
        # The `pass` lines standing in for emptied statements, kept alive so that no other node
        # can be allocated at one's address: they are told apart by identity.
        self.emptied: List[cst.SimpleStatementLine] = []

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
        self.emptied.append(stand_in)
        return stand_in

    def leave_SimpleStatementSuite(self, original: cst.SimpleStatementSuite, updated: cst.SimpleStatementSuite) -> cst.SimpleStatementSuite:
        return updated.with_changes(body=self._smalls(original.body, updated.body) or [cst.Pass()])

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        kept: List[cst.BaseStatement] = []
        carried: List[cst.EmptyLine] = []
        for statement in updated.body:
            assert isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement))  # every statement is one
            if any(statement is e for e in self.emptied):
                carried += statement.leading_lines
                continue
            if carried:
                statement = statement.with_changes(leading_lines=[*carried, *statement.leading_lines])
                carried = []
            kept.append(statement)
        if not kept:
            kept.append(cst.SimpleStatementLine([cst.Pass()], leading_lines=carried))
        return updated.with_changes(body=kept)
