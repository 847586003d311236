"""Recognisers for the syntactic shapes the walker treats specially.

Pure functions of libcst nodes: dotted names, handler types, literal strings, `__main__` tests,
typing calls whose arguments are annotations, and module-level code that rebuilds the module at
run time.
"""

from __future__ import annotations

import re
import unicodedata
from typing import List, Optional, Tuple

import libcst as cst

from importguard.facts.model import ModuleRebuild

# A module-level call that receives `__name__` and is named like one of these rebuilds the module
# (celery's `recreate_module`, enum's `_convert_`, lazy loaders' `attach`), unlike
# `logging.getLogger(__name__)`.
REBUILDERS = re.compile(r"module|convert|attach|lazy|export|install|inject|populate|namespace", re.IGNORECASE)


def dotted_name(node: cst.CSTNode) -> Optional[str]:
    """`a.b.c` for a Name/Attribute chain, else None. (Exact classes: libcst's are ABCs, on which
    `isinstance` is slow, and neither has subclasses.)"""
    parts: List[str] = []
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is cst.Name:
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def caught_names(handler_type: Optional[cst.BaseExpression]) -> List[str]:
    if handler_type is None:
        return []
    elements = (
        [e.value for e in handler_type.elements]
        if isinstance(handler_type, (cst.Tuple, cst.List))
        else [handler_type]
    )
    return [dotted_name(e) or "?" for e in elements]


def identifier(name: str) -> str:
    """Python compares identifiers after NFKC normalisation: `ｗｉｄｔｈ` is `width`."""
    return name if name.isascii() else unicodedata.normalize("NFKC", name)


def last_part(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def literal_strings(node: cst.CSTNode) -> Optional[List[Tuple[str, cst.CSTNode]]]:
    """The strings of a literal list/tuple (or a single string), None if anything else is in it."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return [(value, node)] if isinstance(value, str) else None
    if not isinstance(node, (cst.List, cst.Tuple)):
        return None
    found: List[Tuple[str, cst.CSTNode]] = []
    for element in node.elements:
        if not isinstance(element, cst.Element):
            return None
        strings = literal_strings(element.value)
        if strings is None or isinstance(element.value, (cst.List, cst.Tuple)):
            return None
        found.extend(strings)
    return found


def own_package_argument(call: cst.Call) -> bool:
    """`import_module(".x", __package__)` (or `package=__package__`)."""
    for position, arg in enumerate(call.args):
        is_package = (arg.keyword is None and position == 1) or (arg.keyword is not None and arg.keyword.value == "package")
        if is_package:
            return isinstance(arg.value, cst.Name) and arg.value.value == "__package__"
    return False


def literal_key(node: cst.Subscript) -> Optional[str]:
    """`"name"` in `globals()["name"]`, else None."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    key = node.slice[0].slice.value
    value = key.evaluated_value if isinstance(key, cst.SimpleString) else None
    return value if isinstance(value, str) and value.isidentifier() else None


def is_irrefutable(pattern: cst.MatchPattern) -> bool:
    if isinstance(pattern, cst.MatchAs):
        return pattern.pattern is None
    if isinstance(pattern, cst.MatchOr):
        return any(is_irrefutable(element.pattern) for element in pattern.patterns)
    return False


def is_main_test(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"` (either way round)."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    if not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = {dotted_name(test.left), dotted_name(test.comparisons[0].comparator)}
    strings = [s for s in (test.left, test.comparisons[0].comparator) if isinstance(s, cst.SimpleString)]
    return "__name__" in sides and any(s.evaluated_value == "__main__" for s in strings)


TYPING_FACTORIES = frozenset({
    "TypeVar", "TypeVarTuple", "ParamSpec", "NewType", "namedtuple", "NamedTuple", "TypedDict", "TypeAliasType",
})


TYPING_CASTS = frozenset({"typing.cast", "t.cast", "typing_extensions.cast"})


def typing_call_kind(call: cst.Call) -> Optional[str]:
    """"cast" for `cast(...)`, the factory's name for `TypeVar(...)` and friends, else None."""
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    if name in TYPING_FACTORIES:
        return name
    if name == "cast" and (isinstance(func, cst.Name) or dotted_name(func) in TYPING_CASTS):
        return name  # not `memoryview(b).cast("B")`
    return None


def trailing_call(block: cst.BaseSuite) -> str:
    """The callee of a block's last statement when it is a plain call (`handle_error(exc)`)."""
    statements = block.body
    last = statements[-1] if statements else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    if isinstance(last, cst.Expr) and isinstance(last.value, cst.Call):
        return dotted_name(last.value.func) or ""
    return ""


def is_own_module_slot(target: cst.BaseExpression) -> bool:
    """`sys.modules[__name__]` (or `modules[__name__]`)."""
    if not isinstance(target, cst.Subscript) or dotted_name(target.value) not in ("sys.modules", "modules"):
        return False
    if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
        return False
    key = target.slice[0].slice.value
    return isinstance(key, cst.Name) and key.value == "__name__"


def rebuild_by_call(callee: str, call: cst.Call, line: int) -> ModuleRebuild:
    """The names a rebuilding call advertises: the strings of its literal arguments and its
    keyword names. A positional argument that is not a literal (a filter function) can make any name."""
    advertised: List[str] = []
    open_ended = False
    for arg in call.args:
        value = arg.value
        if arg.keyword is not None:
            advertised.append(arg.keyword.value)
        if isinstance(value, cst.Name) and value.value == "__name__":
            continue
        strings = literal_names(value)
        if strings is None:
            open_ended = open_ended or arg.keyword is None
        else:
            advertised.extend(strings)
    return ModuleRebuild(line=line, how=f"`{callee}(__name__, …)`", advertised=advertised, open_ended=open_ended)


def literal_names(node: cst.CSTNode) -> Optional[List[str]]:
    """Identifier strings of a literal made of strings, lists, tuples, sets and dicts (keys and
    values), or None when anything else is in it."""
    found: List[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.SimpleString, cst.ConcatenatedString)):
            value = current.evaluated_value
            if isinstance(value, str):
                found.extend(part for part in value.replace(",", " ").split() if part.isidentifier())
        elif isinstance(current, (cst.List, cst.Tuple, cst.Set)):
            stack.extend(e.value for e in current.elements)
        elif isinstance(current, cst.Dict):
            for element in current.elements:
                if not isinstance(element, cst.DictElement):
                    return None
                stack += [element.key, element.value]
        elif not isinstance(current, (cst.Integer, cst.Float, cst.Name)) or (
            isinstance(current, cst.Name) and current.value not in ("None", "True", "False")
        ):
            return None
    return found


def is_true(test: cst.BaseExpression) -> bool:
    return (isinstance(test, cst.Name) and test.value == "True") or (
        isinstance(test, cst.Integer) and test.evaluated_value != 0
    )
