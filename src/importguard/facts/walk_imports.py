"""The imports part of the walker: `import` and `from … import` statements.

Each becomes an `ImportFact` in the current context (scope, guards, handlers, `TYPE_CHECKING`)
and binds its names; `from __future__ import annotations` makes later annotations lazy.
"""

from __future__ import annotations

import libcst as cst

from importguard.facts.shapes import dotted_name
from importguard.facts.walk_expressions import ExpressionScanner


class ImportRecorder(ExpressionScanner):
    """Records import statements as facts and bindings."""

    def small_import(self, statement: cst.Import) -> int:
        for alias in statement.names:
            target = dotted_name(alias.name) or ""
            asname = dotted_name(alias.asname.name) if alias.asname is not None else None
            self.place(statement, self.import_fact("import", target, 0, [], asname))
            bound = asname or target.split(".")[0]
            text = f"`import {target}" + (f" as {asname}`" if asname else "`")
            self.bind(bound, "import", text, target if asname else bound)
        return self.scan(statement)

    def small_import_from(self, statement: cst.ImportFrom) -> int:
        module = (dotted_name(statement.module) if statement.module else "") or ""
        source = "." * len(statement.relative) + module
        if isinstance(statement.names, cst.ImportStar):
            names: list = [["*", None]]
        else:
            names = [[dotted_name(a.name), a.asname and dotted_name(a.asname.name)] for a in statement.names]
            for name, asname in names:
                self.bind(asname or name, "import", f"`from {source} import {name}`", f"{source}.{name}")
            if module == "__future__" and any(name == "annotations" for name, _ in names):
                self.future_annotations = True
        self.place(statement, self.import_fact("from", module, len(statement.relative), names, None))
        return self.scan(statement)
