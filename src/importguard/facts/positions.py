"""Exact line/column of a few nodes, computed lazily.

libcst's `PositionProvider` regenerates the whole module and records a range for every node,
which costs about twice the parse. importguard needs positions for a handful of nodes per file
(imports and reported names), and it already knows the line where each statement starts (the
walker counts newlines). So it regenerates only the statement that holds a wanted node, starting
from that statement's known line and indentation, and stops as soon as every wanted node has been
seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState

Position = Tuple[int, int]  # 1-based line, 1-based column


@dataclass(frozen=True)
class Anchor:
    """A statement or clause whose first line (before its leading blank lines) is known."""

    node: cst.CSTNode
    line: int
    indent: Tuple[str, ...]
    is_elif: bool = False


class _AllFound(Exception):
    """Raised inside code generation once every wanted node has been positioned."""


class _LocatingState(CodegenState):
    """A code generator that tracks line and column and records where wanted nodes start."""

    def __init__(self, module: cst.Module, anchor: Anchor, wanted: List[cst.CSTNode]) -> None:
        super().__init__(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            indent_tokens=list(anchor.indent),
        )
        self.line = anchor.line
        self.column = 0
        # A parenthesised name starts after its last `(`, as Python reports it.
        self.starts: Dict[int, cst.CSTNode] = {}
        self.ends: Dict[int, cst.CSTNode] = {}
        for node in wanted:
            if isinstance(node, cst.BaseExpression) and node.lpar:
                self.ends[id(node.lpar[-1])] = node
            else:
                self.starts[id(node)] = node
        self.found: Dict[int, Position] = {}
        self.remaining = len(wanted)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        newlines = value.count("\n") + value.count("\r") - value.count("\r\n")
        if newlines:
            self.line += newlines
            self.column = len(value) - max(value.rfind("\n"), value.rfind("\r")) - 1
        else:
            self.column += len(value)

    def _record(self, node: cst.CSTNode) -> None:
        self.found[id(node)] = (self.line, self.column + 1)
        self.remaining -= 1
        if self.remaining == 0:
            raise _AllFound

    def before_codegen(self, node: cst.CSTNode) -> None:
        wanted = self.starts.get(id(node))
        if wanted is not None:
            self._record(wanted)

    def after_codegen(self, node: cst.CSTNode) -> None:
        wanted = self.ends.get(id(node))
        if wanted is not None:
            self._record(wanted)


@dataclass
class PositionRequests:
    """Nodes whose positions are wanted, grouped by the statement that holds them."""

    by_anchor: Dict[int, Tuple[Anchor, List[cst.CSTNode]]] = field(default_factory=dict)

    def want(self, anchor: Anchor, node: cst.CSTNode) -> None:
        entry = self.by_anchor.setdefault(id(anchor.node), (anchor, []))
        entry[1].append(node)

    def resolve(self, module: cst.Module) -> Dict[int, Position]:
        """Map `id(node)` to its position; a node that cannot be located gets its anchor's line."""
        positions: Dict[int, Position] = {}
        for anchor, nodes in self.by_anchor.values():
            state = _LocatingState(module, anchor, nodes)
            try:
                if anchor.is_elif:
                    anchor.node._codegen(state, is_elif=True)
                else:
                    anchor.node._codegen(state)
            except _AllFound:
                pass
            except RecursionError:
                pass  # pathologically nested code: fall back to the statement's line
            positions.update(state.found)
            for node in nodes:
                positions.setdefault(id(node), (anchor.line, 1))
        return positions
