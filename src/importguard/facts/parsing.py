"""libcst's parse without its per-node validation.

libcst validates every node as it is built (`CSTNode.__post_init__` calls `_validate`): checks
meant for trees built by hand, such as a `--fix` edit, which a tree its own parser produced
already meets. They are a fifth of a parse (Django: 6.7 s of parse, 1.3 s of it validation), and
libcst's own code notes the same idea ("avoid validating the tree when parsing a file"). So
validation is switched off for the parse only and switched back on after it: nodes built
anywhere else are still validated (the switch is process-wide: importguard parses and builds
nodes on one thread per process, so no other thread builds nodes during a parse). Facts are byte-identical with and without it on the stdlib,
Django and sympy (benchmarks/README.md).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import libcst as cst


def _validation_hook() -> Optional[Callable[[Any], None]]:
    """The hook to switch off, or None when this libcst builds nodes some other way."""
    try:
        from libcst._nodes.base import CSTNode
    except ImportError:
        return None
    hook = CSTNode.__dict__.get("__post_init__")
    return hook if callable(hook) else None


_VALIDATE = _validation_hook()


def _unchecked(node: Any) -> None:
    return None


def parse_module(data: bytes) -> cst.Module:
    """`libcst.parse_module(data)`, its nodes unvalidated; raises what libcst raises."""
    if _VALIDATE is None:
        return cst.parse_module(data)
    from libcst._nodes.base import CSTNode

    setattr(CSTNode, "__post_init__", _unchecked)
    try:
        return cst.parse_module(data)
    finally:
        setattr(CSTNode, "__post_init__", _VALIDATE)
