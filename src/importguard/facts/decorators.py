"""Decorators as facts: what each `def` is decorated with, and which functions of the file are
decorators whose result calls the function they are given.

Calling a decorated name calls whatever the decorator returned, so the body runs only if that
object calls the original function. The project layer decides per call (`project.calls`); the
file can only say what its own decorators do.
"""

from __future__ import annotations

from typing import Callable, Dict, Iterable, List, Mapping, Set

import libcst as cst

from importguard.facts.shapes import dotted_name, last_part


def decorator_name(expression: cst.BaseExpression) -> str:
    """`a.b` for `@a.b`, `a.b()` for `@a.b(...)`, "?" for anything else (`@x[0]`, `@lambda f: f`)."""
    name = dotted_name(expression)
    if name is not None:
        return name
    if isinstance(expression, cst.Call):
        called = dotted_name(expression.func)
        if called is not None:
            return called + "()"
    return "?"


def first_parameter(params: cst.Parameters) -> str:
    """The name the first positional argument is bound to ("" when there is none)."""
    positional = list(params.posonly_params) + list(params.params)
    return positional[0].name.value if positional else ""


def find_wrappers(functions: Iterable[str], parameters: Mapping[str, str], returns: Mapping[str, List[str]],
                  calls: Mapping[str, List[List[object]]], decorators: Mapping[str, List[str]],
                  lazy: Set[str]) -> Dict[str, str]:
    """The decorators (`def deco(f)` whose every `return` gives `f` itself or a nested `def` that
    calls `f`) and decorator factories (whose every `return` gives a nested decorator).

    `returns` holds what each `return` of a function gives: a name, or "" for anything else.
    Calls are those the walk recorded, before unresolvable callees are left out: the parameter
    `f` is a local name. A wrapper that is a generator or coroutine, or has a decorator other than
    `functools.wraps(f)`, does not run `f` when called, as far as a file can tell.
    """
    names = list(functions)
    defined = set(names)
    found: Dict[str, str] = {}

    def gives_only(function: str, good: Callable[[str], bool]) -> bool:
        given = returns.get(function)
        return given is not None and bool(given) and function not in lazy and all(good(name) for name in given)

    def calls_parameter(nested: str, parameter: str) -> bool:
        return (
            nested in defined and nested not in lazy
            and all(d.endswith("()") and last_part(d[:-2]) == "wraps" for d in decorators.get(nested, []))
            and any(callee == parameter for callee, *_ in calls.get(nested, []))
        )

    for function in names:
        parameter = parameters.get(function, "")
        if parameter and gives_only(function, lambda name: name == parameter or calls_parameter(
            f"{function}.<locals>.{name}", parameter,
        )):
            found[function] = "decorator"
    for function in names:
        if function not in found and gives_only(function, lambda name: found.get(f"{function}.<locals>.{name}") == "decorator"):
            found[function] = "factory"
    return found
