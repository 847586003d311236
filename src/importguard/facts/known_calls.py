"""Well-known stdlib and third-party callables whose run-time behaviour the walk relies on.

Callees are resolved through the file's own imports first (`from sys import exit`, `import sys as
_sys`, `from flask import abort`), so a name that merely looks alike (`from mylib import exit`, a
local `def fail()`) is not taken for the library function.

- Calls that never return (they raise or end the process, typeshed's `NoReturn`): nothing after
  them in the block runs, and an `except` handler ending in one does not fall through.
- Context managers that catch an `ImportError` raised in their body (`pytest.raises(ImportError)`,
  `self.assertRaises(ImportError)`, `contextlib.suppress(ImportError)`): an import there is meant
  to fail, like one in a `try` whose handler catches `ImportError`.
"""

from __future__ import annotations

import re
from typing import Callable, List, Optional, Sequence

import libcst as cst

from importguard.facts.model import ImportFact
from importguard.facts.raises import catches
from importguard.facts.shapes import caught_names, dotted_name, last_part

# A name -> what it refers to where the call is: the dotted target of the import that bound it,
# the name itself when no enclosing scope binds it (a builtin), None for any other binding.
Origin = Callable[[str], Optional[str]]

NO_RETURN = frozenset({
    "sys.exit", "os._exit", "os.abort", "exit", "quit",
    "pytest.fail", "pytest.skip", "pytest.exit", "pytest.xfail",
    "flask.abort", "werkzeug.exceptions.abort",
    "typing.assert_never", "typing_extensions.assert_never",
})
RERAISE = re.compile(r"^_?(re)?raise(_|$)")  # `reraise(...)`, `six.reraise(...)`, `raise_from(...)`
# unittest's `TestCase.fail`/`skipTest` (click's `ParamType.fail` raises too)
SELF_NO_RETURN = frozenset({"fail", "skipTest"})
# `click.Context.fail/abort/exit` raise `UsageError`/`Abort`/`Exit`; the context is nearly always a
# variable named `ctx`, taken as click's only in a file that imports click or a library built on it.
CONTEXT_NO_RETURN = frozenset({"fail", "abort", "exit"})
CLICK_LIBRARIES = frozenset({"click", "typer", "rich_click", "cloup", "asyncclick"})
CURRENT_CONTEXT = frozenset({f"{library}.get_current_context" for library in ("click", "asyncclick", "rich_click")})

CATCHING_CONTEXTS = frozenset({"pytest.raises", "contextlib.suppress"})
ASSERT_RAISES = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp"})


def resolved(callee: str, origin: Origin) -> Optional[str]:
    """`callee` with its first name replaced by what it refers to (`_sys.exit` -> `sys.exit`)."""
    head, dot, rest = callee.partition(".")
    target = origin(head)
    return None if target is None else target + dot + rest


def never_returns(call: cst.Call, origin: Origin, imports: Sequence[ImportFact]) -> bool:
    """Does `call` always raise or end the process? (`imports`: the file's imports so far)"""
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):
        inner = dotted_name(func.value.func)  # `click.get_current_context().fail(...)`
        return (
            func.attr.value in CONTEXT_NO_RETURN and inner is not None
            and resolved(inner, origin) in CURRENT_CONTEXT
        )
    callee = dotted_name(func)
    if callee is None:
        return False
    if RERAISE.match(last_part(callee)):
        return True
    head, _, method = callee.partition(".")
    if head == "self" and method in SELF_NO_RETURN:
        return True
    if head == "ctx" and method in CONTEXT_NO_RETURN:
        return any(fact.level == 0 and fact.module.split(".")[0] in CLICK_LIBRARIES for fact in imports)
    return resolved(callee, origin) in NO_RETURN


def import_error_caught(item: cst.BaseExpression, origin: Origin) -> Optional[str]:
    """What a `with` item catches of a failing import in its body: "ImportError" for
    `pytest.raises(ImportError)`, `self.assertRaises((ImportError, OSError))`, `suppress(Exception)`;
    "ModuleNotFoundError" when it catches only that (a missing name, a plain `ImportError`,
    escapes it); None for anything else."""
    if not isinstance(item, cst.Call):
        return None
    callee = dotted_name(item.func)
    if callee is None:
        return None
    head, _, method = callee.partition(".")
    if head == "self" and method in ASSERT_RAISES:
        types = expected_types(item, every=False)
    elif resolved(callee, origin) in CATCHING_CONTEXTS:
        types = expected_types(item, every=last_part(callee) == "suppress")
    else:
        return None
    caught = [name for expression in types for name in caught_names(expression)]
    for raised in ("ImportError", "ModuleNotFoundError"):
        if catches(caught, raised):
            return raised
    return None


def expected_types(call: cst.Call, every: bool) -> List[cst.BaseExpression]:
    """The exception-type arguments: the first positional one (or `expected_exception=`), or every
    positional one for `suppress(*exceptions)`."""
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    keyword = [arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "expected_exception"]
    return positional if every else (positional[:1] or keyword)
