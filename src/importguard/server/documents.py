"""What each file's diagnostics are and how the client gets them: pushed
(`textDocument/publishDiagnostics`) or pulled (`textDocument/diagnostic`, with result ids).

An open file shows its buffer: the stored findings when the buffer is the text they came from,
else the file rules run on the buffer (`ProjectEngine.edit`). In `workspace` mode, files that
are not open show their stored findings too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Set, Tuple
from urllib.parse import unquote, urlparse

from lsprotocol import types

from importguard.findings import Finding
from importguard.server import diagnostics as diag
from importguard.server.engine import ProjectEngine
from importguard.server.settings import WORKSPACE

if TYPE_CHECKING:
    from importguard.server.app import ImportguardServer


def path_of(uri: str) -> Optional[Path]:
    """The file a `file:` URI names; None for any other scheme (untitled buffers, git views)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


class Documents:
    def __init__(self, server: "ImportguardServer") -> None:
        self.server = server
        self.result_ids: Dict[str, str] = {}
        self.published: Set[str] = set()  # URIs last sent a non-empty list (push)

    # ------------------------------------------------------------ buffers
    def open_paths(self) -> Dict[str, Path]:
        found = {}
        for uri in list(self.server.workspace.text_documents):
            path = path_of(uri)
            if path is not None:
                found[uri] = path
        return found

    def buffers(self) -> Dict[Path, str]:
        documents = self.server.workspace.text_documents
        return {path: documents[uri].source for uri, path in self.open_paths().items() if uri in documents}

    def text(self, uri: str) -> str:
        return self.server.workspace.get_text_document(uri).source

    def version(self, uri: str) -> Optional[int]:
        return self.server.workspace.get_text_document(uri).version

    # ------------------------------------------------------------ analysis thread
    def findings(self, uri: str, path: Path) -> Tuple[ProjectEngine, List[Finding], str]:
        """The findings shown for an open file, from its buffer."""
        engine = self.server.engine(path)
        text = self.text(uri)
        if not engine.owns(path):
            return engine, [], text
        found = engine.stored(path) if text == engine.text_of(path) else engine.edit(path, text)
        return engine, engine.shown(path, found, text), text

    def diagnostics(self, uri: str, path: Path) -> List[types.Diagnostic]:
        engine, found, text = self.findings(uri, path)
        echoes = engine.echoes(path, text) if engine.owns(path) else []
        return self.convert(engine, found, text) + self.convert(engine, echoes, text, echo=True)

    def convert(self, engine: ProjectEngine, found: List[Finding], text: str, echo: bool = False) -> List[types.Diagnostic]:
        """Diagnostics with their ranges in the client's units (UTF-16 unless it chose another)."""
        lines = text.splitlines()
        uri_of = diag.uri_maker(engine.root, lambda p: p.as_uri())
        made = [diag.to_diagnostic(f, lines, uri_of, self.server.related_support, echo) for f in found]
        codec = self.server.workspace.position_codec
        for diagnostic in made:
            diagnostic.range = codec.range_to_client_units(lines, diagnostic.range)
        return made

    def stored_diagnostics(self, engine: ProjectEngine, display: str) -> Tuple[str, List[types.Diagnostic]]:
        """(URI, diagnostics) of a file that is not open (workspace mode): its text on disk."""
        path = engine.absolute(display)
        text = engine.text_of(path)
        found = self.convert(engine, engine.shown(path, engine.findings.get(display, []), text), text)
        return path.as_uri(), found + self.convert(engine, engine.echoes(path), text, echo=True)

    # ------------------------------------------------------------ sending
    def push(self, uri: str, diagnostics: List[types.Diagnostic], version: Optional[int] = None, always: bool = False) -> None:
        """Publish; an empty list only to a file that had diagnostics, or an open one (`always`)."""
        if not diagnostics and uri not in self.published and not always:
            return
        self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, diagnostics, version))
        if diagnostics:
            self.published.add(uri)
        else:
            self.published.discard(uri)

    def report(self, uri: str, diagnostics: List[types.Diagnostic], previous: Optional[str]) -> types.DocumentDiagnosticReport:
        """A pull answer: `unchanged` when the client already has these diagnostics."""
        result_id = diag.result_id(diagnostics, self.server.protocol._converter.unstructure)
        self.result_ids[uri] = result_id
        if previous is not None and previous == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=diagnostics, result_id=result_id)

    async def publish(self, uri: str) -> None:
        """Send an open file's diagnostics (push clients)."""
        path = path_of(uri)
        if path is None or self.server.pull:
            return
        version = self.version(uri)
        found = await self.server.run(self.diagnostics, uri, path)
        self.push(uri, found, version, always=True)

    async def refresh(self, changed: Iterable[Tuple[ProjectEngine, str]]) -> None:
        """Tell the client about files whose stored findings changed: open files from their
        buffers, others (workspace mode) from disk; pull clients are asked to pull again."""
        if self.server.pull:
            if self.server.refresh_support:
                self.server.workspace_diagnostic_refresh(None)
            return
        open_paths = {path: uri for uri, path in self.open_paths().items()}
        for engine, display in changed:
            path = engine.absolute(display)
            if path in open_paths:
                await self.publish(open_paths[path])
            elif self.server.settings.diagnostic_mode == WORKSPACE:
                uri, found = await self.server.run(self.stored_diagnostics, engine, display)
                self.push(uri, found)
            else:
                self.push(path.as_uri(), [])
