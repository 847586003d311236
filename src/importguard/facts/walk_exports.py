"""The exports part of the walker: a module's `__all__`.

`__all__ = [...]`, `__all__ += [...]`, `__all__.extend([...])`/`.append(...)` at module level
give the exported names; any other shape (a comprehension, another module's list) makes the
exports computed, while the literal parts are still checked.
"""

from __future__ import annotations

from typing import List, Tuple

import libcst as cst

from importguard.facts.model import Export
from importguard.facts.shapes import literal_strings
from importguard.facts.walk_expressions import ExpressionScanner


class ExportRecorder(ExpressionScanner):
    """Collects `__all__` while the module is walked, and checks it once every binding is known."""

    def note_exports(self, value: cst.CSTNode, replace_all: bool) -> None:
        if self.names.scope is not self.names.module:
            return
        parts = [value]
        strings: List[Tuple[str, cst.CSTNode]] = []
        while parts:  # `["a"] + other.__all__ + ["b"]`: the literal parts are checked
            part = parts.pop()
            if isinstance(part, cst.BinaryOperation) and isinstance(part.operator, cst.Add):
                parts += [part.right, part.left]
                continue
            found = literal_strings(part)
            if found is None:
                self.exports_computed = True
            else:
                strings += found
        listed = [(name, node, self.anchor) for name, node in strings]
        self.exports = listed if replace_all or self.exports is None else self.exports + listed

    def note_all_method(self, call: cst.Call, method: str) -> None:
        """`__all__.method(...)` at module level: `extend`/`append` add names, `remove`/`sort`
        change none that matter, anything else makes the exports computed."""
        if method in ("extend", "append") and len(call.args) == 1:
            self.note_exports(call.args[0].value, replace_all=False)
        elif method not in ("remove", "sort"):
            self.exports_computed = True

    def finish_exports(self) -> None:
        """`__all__` is known when every part of it is a literal; its literal entries are
        checked either way (`__all__ = other.__all__ + ["extra"]` checks `extra`)."""
        self.facts.exports_computed = self.exports_computed
        if self.exports is None:
            return
        module = self.names.module
        if not self.exports_computed:
            self.facts.exports = [name for name, _, _ in self.exports]
        for name, node, anchor in self.exports:
            if name not in module.bindings and name not in self.names.global_writes:
                export = Export(name=name, line=0, column=0)
                self.facts.unbound_exports.append(export)
                self.place_at(anchor, node, export)
