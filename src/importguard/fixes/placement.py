"""Where a new module-level import goes, as isort and ruff would put it.

After the module docstring and the `from __future__` imports (PEP 236: they must come first), in
its group (standard library, third party, first party, relative) next to the imports of that
group, sorted among them when they are sorted; a file without imports gets one block. A name the
module already imports with the same statement is not imported twice.
"""

from __future__ import annotations

from typing import Callable, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst

from importguard.rules.fixes.model import ImportSpec

Classify = Callable[[str, int], int]  # (module, level) -> group


def statement_import(statement: cst.BaseStatement) -> Optional[cst.BaseSmallStatement]:
    """The first import of a line made only of imports, else None."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    if all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body):
        return statement.body[0]
    return None


def module_of(node: cst.BaseSmallStatement) -> Tuple[str, int, bool]:
    """(module, level, is a `from` import) of an import node."""
    if isinstance(node, cst.ImportFrom):
        name = cst.helpers.get_full_name_for_node(node.module) if node.module else ""
        return name or "", len(node.relative), True
    assert isinstance(node, cst.Import)
    return cst.helpers.get_full_name_for_node_or_raise(node.names[0].name), 0, False


def is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def header_end(body: Sequence[cst.BaseStatement]) -> int:
    """Index of the first statement after the docstring and the `from __future__` imports."""
    index = 1 if body and is_docstring(body[0]) else 0
    while index < len(body):
        node = statement_import(body[index])
        if node is None or module_of(node)[:2] != ("__future__", 0):
            break
        index += 1
    return index


def present(body: Sequence[cst.BaseStatement], spec: ImportSpec) -> Set[Tuple[str, Optional[str]]]:
    """The aliases of `spec` some module-level statement already imports the same way."""
    found: Set[Tuple[str, Optional[str]]] = set()
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for node in statement.body:
            if not isinstance(node, (cst.Import, cst.ImportFrom)) or isinstance(node.names, cst.ImportStar):
                continue
            module, level, is_from = module_of(node)
            if is_from != (spec.kind == "from") or (is_from and (module, level) != (spec.module, spec.level)):
                continue
            for alias in node.names:
                asname = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else None
                found.add((cst.helpers.get_full_name_for_node_or_raise(alias.name), asname))
    return found & set(spec.aliases)


# What a module's body holds (libcst types `BaseStatement` more loosely, without leading lines).
Statement = Union[cst.SimpleStatementLine, cst.BaseCompoundStatement]


def blank_lines(count: int) -> List[cst.EmptyLine]:
    return [cst.EmptyLine() for _ in range(count)]


def with_blank_lines(statement: Statement, wanted: int) -> Statement:
    """At least `wanted` blank lines above `statement` (two above a `def` or `class`, PEP 8)."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        wanted = max(wanted, 2)
    lines = list(statement.leading_lines)
    blanks = next((i for i, e in enumerate(lines) if e.comment), len(lines))
    return statement.with_changes(leading_lines=blank_lines(max(0, wanted - blanks)) + lines)


def insert_below(body: List[Statement], peer: int, new: Statement, blanks: int) -> None:
    """Insert `new` below `body[peer]`, after the indented comment lines that continue the
    peer's own end-of-line comment (`import threading  # it must come first,` / `# because ...`)."""
    continued: List[cst.EmptyLine] = []
    if peer + 1 < len(body):
        lines = list(body[peer + 1].leading_lines)
        count = next((i for i, e in enumerate(lines) if not (e.comment and e.whitespace.value)), len(lines))
        continued = lines[:count]
        body[peer + 1] = body[peer + 1].with_changes(leading_lines=lines[count:])
    body.insert(peer + 1, new.with_changes(leading_lines=continued + blank_lines(blanks)))


def add_import(module: cst.Module, spec: ImportSpec, group: int, classify: Classify) -> cst.Module:
    body = list(module.body)
    missing = tuple(a for a in spec.aliases if a not in present(body, spec))
    if not missing:
        return module
    spec = ImportSpec(spec.kind, spec.module, spec.level, missing)
    new: Statement = cst.parse_statement(spec.text + "\n")
    start = header_end(body)
    peers: List[Tuple[int, int, Tuple[bool, str]]] = []  # (index, group, sort key) of the top imports
    for index in range(start, len(body)):  # the imports above the first compound statement
        node = statement_import(body[index])
        if node is None:
            if isinstance(body[index], cst.SimpleStatementLine):  # `__all__ = [...]` above the imports
                continue
            break
        name, level, is_from = module_of(node)
        peers.append((index, classify(name, level), (is_from, name.lower())))
    key = (spec.kind == "from", (spec.module if spec.kind == "from" else spec.aliases[0][0]).lower())
    same = [p for p in peers if p[1] == group]
    if same:
        after = [p for p in same if p[2] <= key]
        if after:
            insert_below(body, after[-1][0], new, 0)
        else:
            first = same[0][0]
            new = new.with_changes(leading_lines=body[first].leading_lines)
            body[first] = body[first].with_changes(leading_lines=[])
            body.insert(first, new)
    elif any(p[1] < group for p in peers):
        insert_below(body, [p for p in peers if p[1] < group][-1][0], new, 1)
    elif peers:
        first = peers[0][0]
        new = new.with_changes(leading_lines=body[first].leading_lines)
        body[first] = with_blank_lines(body[first].with_changes(leading_lines=[]), 1)
        body.insert(first, new)
    else:
        body.insert(start, new.with_changes(leading_lines=blank_lines(1 if start else 0)))
        if start + 1 < len(body):
            body[start + 1] = with_blank_lines(body[start + 1], 1)
    return module.with_changes(body=body)
