"""Tests that tell the flow analysis more than "either branch may run".

Branch-correlated code is what makes possibly-unbound checks noisy (mypy keeps its check off by
default for that reason). These shapes are recognised:

- `if 'x' in locals():` (also `vars()`, `dir()`, `globals()`): `x` is bound in the body
  (`not in`: in the `else`), and so in `'x' in locals() and x`, `x if 'x' in globals() else y`
  and `'x' not in locals() or x`;
- a test that reads a flag bound together with other names (`try: import x; HAS_X = True`
  / `except ImportError: HAS_X = False` ... `if HAS_X: x.f()`);
- the same simple test twice (`if verbose: t = now()` ... `if verbose: print(now() - t)`);
- `for` over a non-empty literal or `range(k)` with constant `k > 0` runs its body at least once.
"""

from __future__ import annotations

from typing import FrozenSet, Optional, Tuple

import libcst as cst

NAMESPACE_CALLS = frozenset({"locals", "vars", "dir", "globals"})


class TestKey:
    """The key under which two `if` tests are the same test: their source text, whitespace aside.
    Two equal tests over names not rebound in between take the same branch (as pylint assumes,
    even for calls: `if not datetime.date.today():` twice).

    It hashes by the names the test reads, and the text is generated only to compare two tests
    that read the same names: most tests are never compared, and code generation is slow."""

    __slots__ = ("node", "module", "read", "_text")

    def __init__(self, test: cst.BaseExpression, module: cst.Module, read: FrozenSet[str]) -> None:
        self.node, self.module, self.read = test, module, read
        self._text = _simple_key(test)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self.module.code_for_node(self.node).split())
        return self._text

    def __hash__(self) -> int:
        return hash(self.read)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TestKey) and self.read == other.read and self.text == other.text


def _simple_key(node: cst.BaseExpression) -> Optional[str]:
    """The key of `x`, `x.y` and `not x.y` without generating code (most tests have this shape)."""
    if getattr(node, "lpar", None):
        return None
    if type(node) is cst.Name:  # exact classes: libcst's are ABCs, where `isinstance` is slow
        return node.value
    if type(node) is cst.Attribute:
        base = _simple_key(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    if type(node) is cst.UnaryOperation and node.operator.__class__ is cst.Not:
        inner = _simple_key(node.expression)
        return None if inner is None else f"not{inner}"
    return None


class Proven:
    """Names an existence test proved bound where its answer holds: `local` ones in the scope of
    the test (`'x' in locals()`, `vars()`, `dir()`; `globals()` at module level), `global` ones in
    the module namespace (`'x' in globals()` in a function: a local `x` is still unproven)."""

    __slots__ = ("local", "global_")

    def __init__(self, local: FrozenSet[str] = frozenset(), global_: FrozenSet[str] = frozenset()) -> None:
        self.local, self.global_ = local, global_

    def __or__(self, other: "Proven") -> "Proven":
        return Proven(self.local | other.local, self.global_ | other.global_)

    def __bool__(self) -> bool:
        return bool(self.local or self.global_)


NOTHING = Proven()
MAX_TEST_DEPTH = 32  # `and`/`or`/`not` nesting looked into; deeper tests prove nothing


def _namespace_probe(test: cst.CSTNode, at_module: bool) -> Optional[Tuple[Proven, bool]]:
    """`'x' in locals()` -> (x proven, True); `'x' not in globals()` -> (x proven, False)."""
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return None
    target = test.comparisons[0]
    left = test.left
    call = target.comparator
    if type(left) is not cst.SimpleString or type(call) is not cst.Call:
        return None
    if call.args or not isinstance(call.func, cst.Name) or call.func.value not in NAMESPACE_CALLS:
        return None
    name = left.evaluated_value
    if not isinstance(name, str) or not name.isidentifier():
        return None
    names = frozenset([name])
    proven = Proven(global_=names) if call.func.value == "globals" and not at_module else Proven(local=names)
    if isinstance(target.operator, cst.In):
        return proven, True
    if isinstance(target.operator, cst.NotIn):
        return proven, False
    return None


def existence_tests(test: cst.CSTNode, at_module: bool = False, depth: int = 0) -> Tuple[Proven, Proven]:
    """What a test proves bound where it is true and where it is false: `a and b` true proves
    both sides' names, `a or b` false proves both sides' `else` names, `not` swaps."""
    if depth > MAX_TEST_DEPTH:
        return NOTHING, NOTHING
    if type(test) is cst.BooleanOperation:
        left = existence_tests(test.left, at_module, depth + 1)
        right = existence_tests(test.right, at_module, depth + 1)
        if test.operator.__class__ is cst.And:
            return left[0] | right[0], NOTHING
        return NOTHING, left[1] | right[1]
    if type(test) is cst.UnaryOperation and test.operator.__class__ is cst.Not:
        body, orelse = existence_tests(test.expression, at_module, depth + 1)
        return orelse, body
    probe = _namespace_probe(test, at_module)
    if probe is None:
        return NOTHING, NOTHING
    return (probe[0], NOTHING) if probe[1] else (NOTHING, probe[0])


def runs_at_least_once(iterable: cst.BaseExpression) -> bool:
    """`for` over `[1, 2]`, `"ab"`, `range(3)`, `range(1, 4)`: the body runs at least once."""
    if isinstance(iterable, (cst.List, cst.Tuple, cst.Set)):
        return bool(iterable.elements) and not any(isinstance(e, cst.StarredElement) for e in iterable.elements)
    if isinstance(iterable, cst.SimpleString):
        value = iterable.evaluated_value
        return bool(value)
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) and iterable.func.value == "range":
        found = [_integer(arg.value) for arg in iterable.args if arg.keyword is None and not arg.star]
        numbers = [number for number in found if number is not None]
        if len(numbers) != len(found) or not numbers or len(numbers) != len(iterable.args):
            return False
        if len(numbers) == 1:
            return numbers[0] > 0
        if len(numbers) == 2:
            return numbers[1] > numbers[0]
        step = numbers[2]
        return bool(step) and (numbers[1] > numbers[0] if step > 0 else numbers[1] < numbers[0])
    return False


def _integer(node: cst.BaseExpression) -> Optional[int]:
    if isinstance(node, cst.Integer):
        value = node.evaluated_value
        return value if isinstance(value, int) else None
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = _integer(node.expression)
        return -inner if inner is not None else None
    return None
