"""The one thing rules produce and reporters format."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional, Tuple


@dataclass(frozen=True)
class Related:
    path: str
    line: int
    message: str


@dataclass(frozen=True)
class Hop:
    """One step of an import cycle or chain: `module` imports the next hop at path:line."""

    module: str
    path: Optional[str]
    line: Optional[int]
    statement: Optional[str]
    kind: Optional[str] = None

    def to_json(self) -> Dict[str, Any]:
        return {"module": self.module, "path": self.path, "line": self.line, "import": self.statement, "kind": self.kind}


@dataclass(frozen=True)
class Finding:
    code: str
    rule: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    module: Optional[str] = None
    name: Optional[str] = None
    hint: Optional[str] = None
    end_line: Optional[int] = None
    end_column: Optional[int] = None
    related: List[Related] = field(default_factory=list)
    cycle: Optional[List[Hop]] = None
    import_time: bool = False  # the reported code runs when the module is imported (not serialised)
    fix: Optional[Tuple[str, str]] = None  # (applicability "safe"/"unsafe", what the fix does), when one exists

    @property
    def paths(self) -> List[str]:
        """Every file the finding touches (for pre-commit filtering)."""
        touched = [self.path] + [r.path for r in self.related]
        return touched + [h.path for h in self.cycle or [] if h.path]

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_json(self) -> Dict[str, Any]:
        return {
            "code": self.code, "rule": self.rule, "severity": self.severity,
            "path": self.path, "line": self.line, "column": self.column,
            "end_line": self.end_line if self.end_line is not None else self.line,
            "end_column": self.end_column if self.end_column is not None else self.column,
            "module": self.module, "name": self.name, "message": self.message, "hint": self.hint,
            "related": [asdict(r) for r in self.related],
            "cycle": [h.to_json() for h in self.cycle] if self.cycle is not None else None,
            "fix": {"applicability": self.fix[0], "message": self.fix[1]} if self.fix else None,
        }
