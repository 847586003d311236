"""The standard decorators known to call the function they decorate.

A module-level call of a decorated function runs its body only when the decorator's result calls
it. These do (or return the function itself); everything else is unknown unless it is a
first-party decorator (`project.calls.decorators_call`). `contextlib.contextmanager` is not
here: calling the result creates a context manager, and the body runs only on `with`; neither
are `property`, `functools.singledispatch` (whose dispatch depends on the argument) or any
third-party decorator (`st.composite`, `app.route`, `pytest.fixture`, `click.command`).
"""

from __future__ import annotations

from typing import Optional

from importguard.project.model import SourceFile

# Qualified names; "()" marks the decorator-factory spelling (`@functools.lru_cache(maxsize=64)`).
CALLS_THE_FUNCTION = frozenset({
    "staticmethod", "classmethod",
    "functools.lru_cache", "functools.lru_cache()", "functools.cache", "functools.wraps()",
    "abc.abstractmethod", "typing.final", "typing.override", "typing.no_type_check",
    "typing_extensions.final", "typing_extensions.override",
})
BUILTIN_DECORATORS = frozenset({"staticmethod", "classmethod"})


def qualified(source: SourceFile, decorator: str) -> Optional[str]:
    """`decorator` with its first name replaced by what a module-level import binds to it
    (`lru_cache` after `from functools import lru_cache` is `functools.lru_cache`); a builtin
    the module does not rebind as is; None when the module binds the name some other way."""
    head, dot, rest = decorator.partition(".")
    for fact in source.facts.imports:
        if fact.scope != "module" or fact.type_checking or fact.level:
            continue
        if fact.kind == "import" and fact.alias == head:
            return fact.module + dot + rest
        if fact.kind == "import" and fact.alias is None and fact.module.split(".")[0] == head:
            return decorator
        if fact.kind == "from":
            for name, alias in fact.names:
                if (alias or name) == head:
                    return f"{fact.module}.{name}" + dot + rest
    bound = head in source.facts.module_bindings
    return decorator if head in BUILTIN_DECORATORS and not bound else None


def calls_the_function(source: SourceFile, decorator: str) -> bool:
    """`decorator` (as written in `source`) is a standard one that calls the decorated function."""
    return qualified(source, decorator) in CALLS_THE_FUNCTION
