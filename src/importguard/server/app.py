"""`importguard server`: the language server (pygls 2, stdio).

Protocol wiring only: every analysis goes through `importguard.server.engine`, on one worker
thread so that the event loop keeps reading messages (cancellation, new edits) while a project
is analysed, and no two analyses ever touch a project at the same time.
"""

from __future__ import annotations

import asyncio
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from importguard import __version__
from importguard.server.documents import Documents
from importguard.server.engine import ProjectEngine, engine_for, folder_project
from importguard.server.settings import ServerSettings

DEBOUNCE_SECONDS = 0.3  # file rules run on a buffer this long after the last keystroke (push clients)
CONFIG_NAMES = ("pyproject.toml", ".gitignore", ".importguard-baseline.json")
T = TypeVar("T")


class ImportguardServer(LanguageServer):
    """The server's state: settings, one engine per project, what each client was sent."""

    def __init__(self) -> None:
        super().__init__("importguard", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = ServerSettings()
        self.engines: Dict[Tuple[Path, bool, Tuple[Path, ...]], ProjectEngine] = {}
        self.worker = ThreadPoolExecutor(1, thread_name_prefix="importguard-analysis")
        self.pending: Dict[str, asyncio.Task[None]] = {}
        self.docs = Documents(self)
        self.folders: List[Path] = []
        self.configured = asyncio.Event()  # set once the client's settings have been asked for

    # ------------------------------------------------------------ plumbing
    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)` on the analysis thread."""
        return await asyncio.get_running_loop().run_in_executor(self.worker, work, *args)

    def report(self, error: BaseException, what: str) -> None:
        """A failure in one request or notification: logged and shown, and the server goes on."""
        self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"importguard: {what}: {''.join(traceback.format_exception(type(error), error, error.__traceback__))}"))
        self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"importguard: {what}: {error}"))

    @property
    def pull(self) -> bool:
        """Does the client ask for diagnostics (`textDocument/diagnostic`) rather than wait for them?"""
        document = self.client_capabilities.text_document
        return document is not None and document.diagnostic is not None

    @property
    def related_support(self) -> bool:
        document = self.client_capabilities.text_document
        publish = document.publish_diagnostics if document else None
        return bool(publish and publish.related_information) or self.pull

    @property
    def refresh_support(self) -> bool:
        workspace = self.client_capabilities.workspace
        return bool(workspace and workspace.diagnostics and workspace.diagnostics.refresh_support)

    # ------------------------------------------------------------ engines (called on the analysis thread)
    def engine(self, path: Path) -> ProjectEngine:
        fresh = engine_for(path, self.settings.choice)
        key = (fresh.root, fresh.marked, tuple(fresh.paths) if not fresh.marked else ())
        if key not in self.engines:
            self.engines[key] = fresh
        engine = self.engines[key]
        if engine.project is None:
            engine.load(self.docs.buffers())
        elif not engine.owns(path) and path.is_file() and path not in engine.tried:
            engine.tried.add(path)  # a file created since the last run: analyse the project again
            engine.load(self.docs.buffers())
        return engine

    def project_engines(self, root: Path) -> List[ProjectEngine]:
        """The engine of the project at `root` and of the projects nested below it (a monorepo)."""
        found: List[ProjectEngine] = []
        pending = [root]
        while pending:
            folder = pending.pop()
            engine = self.engine(folder)
            found.append(engine)
            pending += [n for n in engine.nested if n not in {e.root for e in found}]
        return found

    def workspace_roots(self) -> List[Path]:
        """The projects of the workspace folders; a folder without a marker is never indexed."""
        return list(dict.fromkeys(root for folder in self.folders if (root := folder_project(folder)) is not None))


server = ImportguardServer()  # the features are registered on it by `importguard.server.handlers`
