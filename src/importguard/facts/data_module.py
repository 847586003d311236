"""A lighter path for big generated data modules (`ROWS = [(1, "a"), ...]` over megabytes).

A libcst tree takes about 600 bytes per byte of source: a 3.4 MB data module costs 19 s and
2.2 GB. Such a module has nothing the name rules could report: its statements bind names to
literals and import. Files over `DATA_MODULE_BYTES` are parsed by CPython's own parser (never
executed) first; when every statement is a docstring, an import or an assignment of a literal,
its facts (imports, module-level bindings, `__all__`) come from that tree.
"""

from __future__ import annotations

import ast
from typing import List, Optional

from importguard.facts.model import FileFacts, ImportFact

DATA_MODULE_BYTES = 1024 * 1024


def quiet_parse(data: bytes) -> ast.Module:
    """CPython's parser (never runs the code), without the SyntaxWarnings it prints to stderr."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(data)
LITERALS = (ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.UnaryOp)


def is_literal(node: ast.AST) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name) and current.id in ("True", "False", "None"):
            continue
        if isinstance(current, (ast.expr_context, ast.unaryop)):  # `Load`, the `-` of `-1`
            continue
        if not isinstance(current, LITERALS):
            return False
        stack.extend(ast.iter_child_nodes(current))
    return True


def data_module_facts(data: bytes) -> Optional[FileFacts]:
    """The facts of a data-only module, or None when the module has code (use the full walk)."""
    try:
        tree = quiet_parse(data)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    facts = FileFacts()
    exports: Optional[List[str]] = None
    for statement in tree.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                facts.imports.append(import_fact("import", alias.name, 0, [], alias.asname, statement))
                facts.module_bindings.setdefault(alias.asname or alias.name.split(".")[0], statement.lineno)
        elif isinstance(statement, ast.ImportFrom) and not any(a.name == "*" for a in statement.names):
            names = [[a.name, a.asname] for a in statement.names]
            facts.imports.append(import_fact("from", statement.module or "", statement.level, names, None, statement))
            for alias in statement.names:
                facts.module_bindings.setdefault(alias.asname or alias.name, statement.lineno)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None and is_literal(statement.value):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            named = [target for target in targets if isinstance(target, ast.Name)]
            if len(named) != len(targets):
                return None
            for target in named:
                facts.module_bindings.setdefault(target.id, statement.lineno)
                if target.id == "__all__":
                    exports = [e.value for e in getattr(statement.value, "elts", []) if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        else:
            return None
    facts.exports = exports
    return facts


def import_fact(kind: str, module: str, level: int, names: list, alias: Optional[str], node: ast.stmt) -> ImportFact:
    return ImportFact(
        kind=kind, module=module, level=level, names=names, alias=alias, line=node.lineno, column=node.col_offset + 1,
        scope="module", function=None, type_checking=False, guarded=False, handler=None, in_finally=False,
        conditional=False,
    )
