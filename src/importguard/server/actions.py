"""Code actions: each fix `--fix` would make as a quick fix, "Disable IGxxx for this line", and
`source.fixAll.importguard` for the safe fixes of the whole file (as ruff's `source.fixAll.ruff`).

Edits are whole lines: the difference between the buffer and the fixed text, line by line, so
that no column has to be converted between characters and the client's code units.
"""

from __future__ import annotations

import difflib
from typing import List, Optional

from lsprotocol import types

from importguard.findings import Finding

FIX_ALL = "source.fixAll.importguard"


def line_edits(old: str, new: str) -> List[types.TextEdit]:
    """The smallest whole-line edits that turn `old` into `new`."""
    before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    edits = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        span = types.Range(types.Position(i1, 0), types.Position(i2, 0))
        edits.append(types.TextEdit(span, "".join(after[j1:j2])))
    return edits


def document_edit(uri: str, version: Optional[int], old: str, new: str) -> types.WorkspaceEdit:
    edits: List[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = list(line_edits(old, new))
    document = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(document, edits)])


def quick_fix(uri: str, version: Optional[int], old: str, new: str, title: str, safe: bool,
              diagnostic: Optional[types.Diagnostic]) -> types.CodeAction:
    return types.CodeAction(
        title=f"importguard: {title[0].upper()}{title[1:]}" + ("" if safe else " (unsafe)"),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic] if diagnostic else None,
        is_preferred=safe,
        edit=document_edit(uri, version, old, new),
    )


def disable_for_line(uri: str, version: Optional[int], text: str, finding: Finding, new_line: str,
                     diagnostic: Optional[types.Diagnostic]) -> types.CodeAction:
    """Replace the finding's line by `new_line` (its suppression comment added or extended)."""
    lines = text.splitlines(keepends=True)
    old_line = lines[finding.line - 1]
    ending = old_line[len(old_line.rstrip("\r\n")):]
    new = "".join(lines[: finding.line - 1] + [new_line + ending] + lines[finding.line:])
    return types.CodeAction(
        title=f"importguard: Disable {finding.code} for this line",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic] if diagnostic else None,
        edit=document_edit(uri, version, text, new),
    )


def fix_all(uri: str, version: Optional[int], old: str, new: str) -> types.CodeAction:
    return types.CodeAction(
        title="importguard: Fix all safe fixes",
        kind=FIX_ALL,
        edit=document_edit(uri, version, old, new),
    )
