"""`--output-format full`: the reported source line with carets under the finding's range, as
ruff's default output shows it, so a reader sees the code without opening the file."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Optional

from importguard.findings import Finding

MAX_BYTES = 8 * 1024 * 1024  # a file this large (IG002 material) is not read again for one line
TAB = 4


class SourceLines:
    """Lines of the files findings point at (paths relative to `base`), each file read once."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._files: Dict[str, List[str]] = {}

    def line(self, path: str, number: int) -> Optional[str]:
        lines = self._files.get(path)
        if lines is None:
            lines = self._files[path] = self._read(self.base / path)
        return lines[number - 1] if 0 < number <= len(lines) else None

    @staticmethod
    def _read(path: Path) -> List[str]:
        try:
            if path.stat().st_size > MAX_BYTES:
                return []
            return path.read_bytes().decode("utf-8", "replace").splitlines()
        except OSError:
            return []


def caret_span(text: str, finding: Finding) -> tuple:
    """(start, width) of the carets in the tab-expanded line: the finding's columns (1-based,
    end exclusive), to the end of the line when the range continues below, at least one."""
    start = len(text[: finding.column - 1].expandtabs(TAB))
    if finding.end_line is not None and finding.end_line > finding.line:
        end = len(text.rstrip().expandtabs(TAB))
    elif finding.end_column is not None and finding.end_column > finding.column:
        end = len(text[: finding.end_column - 1].expandtabs(TAB))
    else:
        end = start + 1
    return start, max(end - start, 1)


def snippet(finding: Finding, lines: SourceLines) -> Optional[List[tuple]]:
    """The gutter and text of each row below the finding's header (rows: `(gutter, text,
    is_caret)`), or None when the line cannot be read (a deleted file, standard input)."""
    text = lines.line(finding.path, finding.line)
    if text is None or not text.strip():
        return None
    number = str(finding.line)
    blank = " " * len(number)
    start, width = caret_span(text, finding)
    return [
        (f"{blank} |", "", False),
        (f"{number} |", " " + text.rstrip().expandtabs(TAB), False),
        (f"{blank} |", " " + " " * start + "^" * width, True),
        (f"{blank} |", "", False),
    ]
