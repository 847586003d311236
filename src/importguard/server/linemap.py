"""Where each line of the last analysed text of a file is now, so that findings computed on it
can be shown on the edited buffer without a project run.

Every keystroke that adds or removes a line moves the lines below it. The project rules'
findings (cycles, partial imports, module names) do not change when an edit only moves the lines
they point at; re-anchoring them by this map costs a diff of two texts instead of a project run.
A line that was edited has no old counterpart: it maps to None.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Sequence

from importguard.findings import Finding, Hop, Related


@dataclass(frozen=True)
class LineMap:
    """Old line number (1-based) -> new line number, for the lines the edit left alone."""

    moved: Dict[int, int]
    identity: bool  # no line changed at all: every line maps to itself
    new_count: int

    def line(self, old: int) -> Optional[int]:
        """The new line of an unchanged old line, None for an edited or deleted one."""
        if self.identity:
            return old
        return self.moved.get(old)

    def nearest(self, old: int) -> int:
        """The new line of `old`, or of the closest unchanged line above it (a finding on an
        edited line stays near where it was until the next analysis replaces it)."""
        if self.identity:
            return old
        for candidate in range(old, 0, -1):
            found = self.moved.get(candidate)
            if found is not None:
                return min(found + (old - candidate), max(self.new_count, 1))
        return min(old, max(self.new_count, 1))


def line_map(old: Sequence[str], new: Sequence[str]) -> LineMap:
    """The map from `old` lines to `new` lines (both without line endings). An edit touches a
    few lines: the common head and tail are matched directly, only the middle is diffed."""
    if list(old) == list(new):
        return LineMap({}, True, len(new))
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    moved: Dict[int, int] = {line: line for line in range(1, head + 1)}
    moved.update({len(old) - k: len(new) - k for k in range(tail)})
    matcher = difflib.SequenceMatcher(None, old[head:len(old) - tail], new[head:len(new) - tail], autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            moved[head + block.a + offset + 1] = head + block.b + offset + 1
    return LineMap(moved, False, len(new))


def text_lines(text: str) -> List[str]:
    return text.splitlines()


def reanchor(finding: Finding, display: str, lines: LineMap) -> Finding:
    """The finding with every position in file `display` moved by `lines`."""
    if lines.identity:
        return finding
    changed = finding
    if finding.path == display:
        start = lines.nearest(finding.line)
        end = None if finding.end_line is None else start + (finding.end_line - finding.line)
        changed = replace(changed, line=start, end_line=end)
    if any(r.path == display for r in finding.related):
        changed = replace(changed, related=[
            Related(r.path, lines.nearest(r.line), r.message) if r.path == display else r for r in finding.related
        ])
    if finding.cycle and any(h.path == display for h in finding.cycle):
        changed = replace(changed, cycle=[
            Hop(h.module, h.path, lines.nearest(h.line), h.statement, h.kind) if h.path == display and h.line else h
            for h in finding.cycle
        ])
    return changed
