"""What the walker needs to know about libcst's node classes: which fields hold child nodes.

The walk never uses libcst's visitor machinery: it reads each node class's dataclass fields once,
keeps those that can hold nodes, and caches them, in field order and reversed (for a stack).
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, List, Set, Tuple, Type

import libcst as cst
from libcst import MaybeSentinel


def newlines_in(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def continuations_in(whitespace: cst.SimpleWhitespace) -> int:
    """The newlines of a `SimpleWhitespace`: only backslash continuations have any."""
    text = whitespace.value
    return newlines_in(text) if "\\" in text else 0


def line_end_newlines(node: Any) -> int:
    """The newlines of a `TrailingWhitespace` or an `EmptyLine`: its own and any continuation
    before it (a comment holds none). Counted here, not visited: a third of the nodes below
    statements are line ends and the whitespace around brackets."""
    return 1 + continuations_in(node.whitespace)


def parenthesized_newlines(node: cst.ParenthesizedWhitespace) -> int:
    return line_end_newlines(node.first_line) + sum(map(line_end_newlines, node.empty_lines)) + continuations_in(node.last_line)


# Leaves that hold text: their newlines are counted where they are, never visited.
TEXT_NODES: Tuple[Type[cst.CSTNode], ...] = (
    cst.SimpleWhitespace,
    cst.SimpleString,
    cst.FormattedStringText,
)
if hasattr(cst, "TemplatedStringText"):  # libcst >= 1.8 (PEP 750 t-strings)
    TEXT_NODES += (cst.TemplatedStringText,)

_CHILD_FIELDS: Dict[type, Tuple[str, ...]] = {}
# Fields that hold a `Name` which is not a load: attribute names, keywords, names being defined
# or bound (the statement handlers bind those themselves).
_NOT_LOADS: Dict[str, FrozenSet[str]] = {
    "Attribute": frozenset({"attr"}), "Arg": frozenset({"keyword"}),
    "ImportAlias": frozenset({"name", "asname"}), "ImportFrom": frozenset({"module"}),
    "AsName": frozenset({"name"}), "Param": frozenset({"name"}), "FunctionDef": frozenset({"name"}),
    "ClassDef": frozenset({"name"}), "NameItem": frozenset({"name"}),
    "MatchKeywordElement": frozenset({"key"}), "MatchAs": frozenset({"name"}),
    "MatchStar": frozenset({"name"}), "MatchMapping": frozenset({"rest"}),
    "TypeVar": frozenset({"name"}), "TypeVarTuple": frozenset({"name"}),
    "ParamSpec": frozenset({"name"}), "TypeAlias": frozenset({"name"}),
}
# The same fields, last first: pushed on a stack, they pop in source (evaluation) order, which
# matters when a walrus binds a name that the rest of the expression uses.
STACK_FIELDS: Dict[type, Tuple[str, ...]] = {}
_FIELDS_EXCEPT: Dict[Tuple[type, Tuple[str, ...]], Tuple[str, ...]] = {}
# Fields of compound statements that are not part of the header, or that `enter_clause` counts.
NOT_HEADER_FIELDS = (
    "body", "orelse", "handlers", "finalbody", "cases", "leading_lines", "decorators",
    "lines_after_decorators", "footer",
)


def child_fields(cls: type) -> Tuple[str, ...]:
    """Names of the fields of `cls` that can hold nodes (not plain strings or flags).

    Fields holding names that are not loads (see `_NOT_LOADS`) are left out: they contain no
    newlines, and the generic scan treats every `Name` it meets as a use.
    """
    names = _CHILD_FIELDS.get(cls)
    if names is None:
        skipped = _NOT_LOADS.get(cls.__name__, frozenset())
        names = tuple(
            name
            for name, spec in getattr(cls, "__dataclass_fields__").items()
            if not name.startswith("__") and name not in skipped
            and ("libcst._nodes" in str(spec.type) or "ForwardRef(" in str(spec.type))
        )
        _CHILD_FIELDS[cls] = names
        STACK_FIELDS[cls] = names[::-1]
    return names


def names_read(expression: cst.CSTNode) -> FrozenSet[str]:
    """Every plain name an expression reads (attribute names, keywords and parameters aside)."""
    found: Set[str] = set()
    stack: List[Any] = [expression]  # nodes, classified by exact class below
    while stack:
        node = stack.pop()
        if node.__class__ is cst.Name:
            found.add(node.value)
            continue
        for name in child_fields(node.__class__):
            value = getattr(node, name)
            if value.__class__ is tuple or value.__class__ is list:
                stack.extend(value)
            elif value is not None and value.__class__ is not MaybeSentinel:
                stack.append(value)
    return frozenset(found)


def fields_except(cls: type, handled: Tuple[str, ...]) -> Tuple[str, ...]:
    key = (cls, handled)
    found = _FIELDS_EXCEPT.get(key)
    if found is None:
        found = _FIELDS_EXCEPT[key] = tuple(f for f in child_fields(cls) if f not in handled)
    return found


def children(node: cst.CSTNode) -> List[cst.CSTNode]:
    """The direct child nodes of `node`, in field order (not source order)."""
    found: List[cst.CSTNode] = []
    for name in child_fields(type(node)):
        value = getattr(node, name)
        if value.__class__ is tuple or value.__class__ is list:
            found.extend(value)
        elif value is not None and value.__class__ is not MaybeSentinel:
            found.append(value)
    return found
