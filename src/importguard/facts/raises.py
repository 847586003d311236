"""What the statements of a `try` body can raise, and whether a handler can catch it.

A name bound in a `try` body is unbound in a handler only if the exception the handler catches
can be raised before the binding. `try: import redis; url = CONFIG["redis"]; conn = await
connect(url)` / `except asyncio.TimeoutError:` — nothing before `url` can raise a TimeoutError
(an import raises ImportError, a lookup KeyError), so the handler sees `url` bound.
Anything that runs arbitrary code (a call, `await`, a comprehension) can raise anything.
"""

from __future__ import annotations

import builtins
from typing import Dict, FrozenSet, List, Optional, Set

import libcst as cst

Raises = Optional[FrozenSet[str]]  # None: anything
NOTHING: FrozenSet[str] = frozenset()

# Every builtin exception class -> the names of its classes (itself and its bases).
_CATCHABLE_AS: Dict[str, FrozenSet[str]] = {
    name: frozenset(c.__name__ for c in value.__mro__)
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}
_IMPORT = frozenset({"ImportError", "ModuleNotFoundError"})
_LOOKUP = frozenset({"KeyError", "IndexError", "TypeError"})
_OPERATOR = frozenset({"TypeError", "ValueError", "ArithmeticError", "ZeroDivisionError", "OverflowError"})
_BY_NODE: Dict[type, FrozenSet[str]] = {
    cst.Subscript: _LOOKUP,
    cst.Attribute: frozenset({"AttributeError"}),
    cst.Name: frozenset({"NameError", "UnboundLocalError"}),
    cst.BinaryOperation: _OPERATOR,
    cst.UnaryOperation: _OPERATOR,
    cst.Comparison: _OPERATOR,
}
# Nodes that run code importguard cannot see (calls, awaits, iteration, formatting).
_RUNS_CODE = (
    cst.Call, cst.Await, cst.Yield, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp,
    cst.FormattedString, cst.StarredElement, cst.StarredDictElement,
)


def expression_raises(node: cst.CSTNode) -> Raises:
    found: Set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, _RUNS_CODE):
            return None
        found |= _BY_NODE.get(type(current), NOTHING)
        stack.extend(current.children)
    return frozenset(found)


def statement_raises(statement: cst.CSTNode) -> Raises:
    """What one small statement can raise before (and while) it binds its targets."""
    if isinstance(statement, (cst.Import, cst.ImportFrom)):
        return _IMPORT
    if isinstance(statement, (cst.Pass, cst.Global, cst.Nonlocal)):
        return NOTHING
    if isinstance(statement, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Expr)):
        return expression_raises(statement)
    return None


def header_raises(statement: cst.CSTNode) -> Raises:
    """What a compound statement can raise before its first nested statement runs: the test of
    an `if`/`while`. The nested statements then add their own. Anything else (a `for`, whose
    iteration runs the iterator's code, `with`, `try`, a definition with decorators, `match`) is
    taken to raise anything."""
    if isinstance(statement, (cst.If, cst.While)):
        return expression_raises(statement.test)
    return None


def union(first: Raises, second: Raises) -> Raises:
    return None if first is None or second is None else first | second


BROAD = frozenset({"Exception", "BaseException"})


def catches(caught: List[str], raised: str) -> bool:
    """Does a handler for `caught` catch the builtin exception `raised` (or its subclasses)?"""
    ancestors = _CATCHABLE_AS.get(raised, frozenset({raised, "Exception", "BaseException"}))
    return any(name.rsplit(".", 1)[-1] in ancestors for name in caught)


def can_catch(caught: List[str], raised: Raises) -> bool:
    """Can a handler for `caught` (dotted names; empty for a bare `except:`, which `finally`
    uses too) see `raised`?

    A broad handler (`except Exception:`, bare) is written for the calls in its `try` body: a
    binding preceded only by lookups (`ctx = exc.__context__`, `old = self._state`) is taken as
    bound there; an operator (`res = 1 / 0`) can fail. A specific handler (`except KeyError:`)
    may well be about the lookup."""
    if raised is None:
        return True
    if not caught or any(name.rsplit(".", 1)[-1] in BROAD for name in caught):
        return bool(raised - _LOOKUP - _BY_NODE[cst.Attribute] - _BY_NODE[cst.Name])
    for name in caught:
        last = name.rsplit(".", 1)[-1]
        if last == "?" or any(last in _CATCHABLE_AS.get(r, frozenset({r, "Exception", "BaseException"})) for r in raised):
            return True
    return False
