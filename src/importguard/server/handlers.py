"""The LSP features of `importguard server`, registered on the one `server` instance.

Each handler catches its own failures (`ImportguardServer.report`): a crash while analysing one
file is shown to the user and the server goes on answering.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Awaitable, Callable, List, Optional, Sequence, Set, Tuple

from lsprotocol import types

from importguard.errors import ImportguardError
from importguard.findings import Finding
from importguard.server import actions
from importguard.server.app import CONFIG_NAMES, DEBOUNCE_SECONDS, server
from importguard.server.documents import path_of
from importguard.server.engine import ProjectEngine, noqa_edit
from importguard.server.settings import WORKSPACE, parse_settings

SECTION = "importguard"


Handler = Callable[..., Awaitable[Any]]


def _guarded(what: str) -> Callable[[Handler], Handler]:
    """Run an async handler; a failure is reported, never raised into the event loop."""

    def wrap(handler: Handler) -> Handler:
        async def run(*args: Any) -> Any:
            try:
                return await handler(*args)
            except asyncio.CancelledError:
                raise
            except ImportguardError as error:  # a configuration error: the message says what to fix
                server.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"importguard: {error}"))
            except Exception as error:  # noqa: BLE001 - one failing request never ends the server
                server.report(error, what)
            return None

        run.__name__ = handler.__name__
        return run

    return wrap


# ------------------------------------------------------------------ lifecycle and settings
@server.feature(types.INITIALIZE)
def initialize(params: types.InitializeParams) -> None:
    options = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get("settings"), dict):
        options = options["settings"]
    _apply_settings(options)
    folders = params.workspace_folders or []
    server.folders = [p for f in folders if (p := path_of(f.uri)) is not None]
    if not server.folders and params.root_uri and (root := path_of(params.root_uri)) is not None:
        server.folders = [root]


async def _configured() -> None:
    """Wait (a little) for the settings the client gives after `initialized`: a request that
    arrives first must not be answered with the defaults."""
    try:
        await asyncio.wait_for(server.configured.wait(), 10)
    except asyncio.TimeoutError:
        server.configured.set()


def _apply_settings(raw: Any) -> bool:
    """Take new settings; True when they change what is analysed."""
    settings, problems = parse_settings(raw)
    for problem in problems:
        server.window_show_message(types.ShowMessageParams(types.MessageType.Warning, problem))
    changed = settings.choice != server.settings.choice
    server.settings = settings
    return changed


@server.feature(types.INITIALIZED)
@_guarded("starting")
async def initialized(params: types.InitializedParams) -> None:
    try:
        await _pull_configuration()
    finally:
        server.configured.set()
    await _watch_files()
    if server.settings.diagnostic_mode == WORKSPACE:
        await _analyse_workspace()


async def _pull_configuration() -> bool:
    workspace = server.client_capabilities.workspace
    if not (workspace and workspace.configuration):
        return False
    answer = await server.workspace_configuration_async(types.ConfigurationParams([types.ConfigurationItem(section=SECTION)]))
    if answer and answer[0]:
        return _apply_settings(answer[0])
    return False


async def _watch_files() -> None:
    """Ask the client to tell us about configuration and source files changing on disk."""
    workspace = server.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        return
    globs = [f"**/{name}" for name in CONFIG_NAMES] + ["**/*.py", "**/*.pyi"]
    options = types.DidChangeWatchedFilesRegistrationOptions([types.FileSystemWatcher(glob_pattern=g) for g in globs])
    registration = types.Registration("importguard-watched-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)
    try:
        await server.client_register_capability_async(types.RegistrationParams([registration]))
    except Exception as error:  # noqa: BLE001 - a client that refuses it sends no file events: nothing else changes
        server.window_log_message(types.LogMessageParams(types.MessageType.Info, f"importguard: files are not watched: {error}"))


async def _analyse_workspace() -> None:
    for root in server.workspace_roots():
        engines = await server.run(server.project_engines, root)
        await server.docs.refresh([(e, d) for e in engines for d in e.findings])


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
@_guarded("reading the settings")
async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
    before = server.settings
    changed = await _pull_configuration()
    if not changed and params.settings:
        changed = _apply_settings(params.settings)
    if changed:
        await _reload(lambda engine: True, reconfigure=True)
    if server.settings.diagnostic_mode == WORKSPACE and before.diagnostic_mode != WORKSPACE:
        await _analyse_workspace()


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
@_guarded("changing workspace folders")
async def did_change_folders(params: types.DidChangeWorkspaceFoldersParams) -> None:
    removed = {p for f in params.event.removed if (p := path_of(f.uri)) is not None}
    added = [p for f in params.event.added if (p := path_of(f.uri)) is not None]
    server.folders = [f for f in server.folders if f not in removed] + added
    for key in [k for k, e in server.engines.items() if any(r == e.root or r in e.root.parents for r in removed)]:
        engine = server.engines.pop(key)
        for display in engine.findings:
            server.docs.push(engine.absolute(display).as_uri(), [])
    if server.settings.diagnostic_mode == WORKSPACE:
        await _analyse_workspace()


async def _reload(chosen: Any, reconfigure: bool) -> None:
    """Analyse the chosen projects again (after reading their configuration, if asked) and send
    what changed."""
    changed: List[Tuple[ProjectEngine, str]] = []
    for engine in [e for e in list(server.engines.values()) if chosen(e)]:
        def work(engine: ProjectEngine = engine) -> Set[str]:
            if reconfigure:
                engine.choice = server.settings.choice
                engine.configure()
            return engine.load(server.docs.buffers())

        try:
            displays = await server.run(work)
        except ImportguardError as error:
            server.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"importguard: {error}"))
            continue
        changed += [(engine, d) for d in displays]
    for uri in list(server.docs.open_paths()):
        await server.docs.publish(uri)
    await server.docs.refresh(changed)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@_guarded("reading changed files")
async def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
    open_paths = set(server.docs.open_paths().values())
    configs: List[Path] = []
    sources: List[Path] = []
    for event in params.changes:
        path = path_of(event.uri)
        if path is None:
            continue
        if path.name in CONFIG_NAMES or any(e.config is not None and e.config.baseline == path for e in server.engines.values()):
            configs.append(path)
        elif path.suffix in (".py", ".pyi") and (path not in open_paths or event.type == types.FileChangeType.Deleted):
            sources.append(path)
    if configs:
        def touched(engine: ProjectEngine) -> bool:
            return any(c.parent == engine.root or c.parent in engine.root.parents or engine.root in c.parents for c in configs)

        await _reload(touched, reconfigure=True)
    elif sources:
        await _reload(lambda e: any(e.root in s.parents for s in sources), reconfigure=False)


# ------------------------------------------------------------------ documents
@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@_guarded("opening a file")
async def did_open(params: types.DidOpenTextDocumentParams) -> None:
    await _configured()
    await server.docs.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@_guarded("analysing an edit")
async def did_change(params: types.DidChangeTextDocumentParams) -> None:
    if server.pull:  # the client asks when it wants them
        return
    uri = params.text_document.uri
    previous = server.pending.pop(uri, None)
    if previous is not None:
        previous.cancel()
    server.pending[uri] = asyncio.ensure_future(_debounced(uri))


@_guarded("analysing an edit")
async def _debounced(uri: str) -> None:
    await asyncio.sleep(DEBOUNCE_SECONDS)
    await server.docs.publish(uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@_guarded("analysing a saved file")
async def did_save(params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = path_of(uri)
    if path is None:
        return
    previous = server.pending.pop(uri, None)
    if previous is not None:
        previous.cancel()
    if path.name in CONFIG_NAMES:  # a configuration edited in the editor itself
        await _reload(lambda e: path.parent == e.root or path.parent in e.root.parents, reconfigure=True)
        return

    def work() -> Tuple[ProjectEngine, Set[str]]:
        engine = server.engine(path)
        return engine, engine.save(path, server.docs.text(uri), server.docs.buffers())

    engine, changed = await server.run(work)
    await server.docs.publish(uri)
    await server.docs.refresh([(engine, d) for d in changed if engine.absolute(d) != path])


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@_guarded("closing a file")
async def did_close(params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    previous = server.pending.pop(uri, None)
    if previous is not None:
        previous.cancel()
    path = path_of(uri)
    if path is None or server.pull:
        return
    if server.settings.diagnostic_mode == WORKSPACE:
        engine = await server.run(server.engine, path)
        await server.docs.refresh([(engine, engine.display(path))])
    else:
        server.docs.push(uri, [])


# ------------------------------------------------------------------ pull diagnostics
@server.feature(
    types.TEXT_DOCUMENT_DIAGNOSTIC,
    types.DiagnosticOptions(identifier="importguard", inter_file_dependencies=True, workspace_diagnostics=True),
)
async def document_diagnostic(params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
    await _configured()
    uri = params.text_document.uri
    path = path_of(uri)
    if path is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    try:
        found = await server.run(server.docs.diagnostics, uri, path)
    except ImportguardError as error:  # a bad configuration: shown to the user, and the file shows nothing
        server.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"importguard: {error}"))
        found = []
    return server.docs.report(uri, found, params.previous_result_id)


@server.feature(types.WORKSPACE_DIAGNOSTIC)
async def workspace_diagnostic(params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
    """Every file's diagnostics in `workspace` mode (open files answer from their buffers)."""
    await _configured()
    if server.settings.diagnostic_mode != WORKSPACE:
        return types.WorkspaceDiagnosticReport(items=[])
    previous = {p.uri: p.value for p in params.previous_result_ids}
    items: List[Any] = []
    open_paths = {path: uri for uri, path in server.docs.open_paths().items()}
    for root in server.workspace_roots():
        for engine in await server.run(server.project_engines, root):
            for display in sorted(engine.findings):
                path = engine.absolute(display)
                if path in open_paths:
                    uri, found = open_paths[path], await server.run(server.docs.diagnostics, open_paths[path], path)
                else:
                    uri, found = await server.run(server.docs.stored_diagnostics, engine, display)
                report = server.docs.report(uri, found, previous.get(uri))
                if isinstance(report, types.RelatedUnchangedDocumentDiagnosticReport):
                    items.append(types.WorkspaceUnchangedDocumentDiagnosticReport(uri=uri, result_id=report.result_id, version=None))
                else:
                    items.append(types.WorkspaceFullDocumentDiagnosticReport(uri=uri, items=found, result_id=report.result_id, version=None))
    return types.WorkspaceDiagnosticReport(items=items)


# ------------------------------------------------------------------ code actions
@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL]),
)
async def code_action(params: types.CodeActionParams) -> Optional[List[types.CodeAction]]:
    await _configured()
    uri = params.text_document.uri
    path = path_of(uri)
    if path is None:
        return None
    wanted = params.context.only
    version = server.docs.version(uri)

    def work() -> List[types.CodeAction]:
        engine, found, text = server.docs.findings(uri, path)
        return _actions(engine, path, uri, version, text, found, params.range, wanted)

    return await server.run(work)


def _actions(engine: ProjectEngine, path: Path, uri: str, version: Optional[int], text: str, found: List[Finding],
             span: types.Range, wanted: Optional[Sequence[str]]) -> List[types.CodeAction]:
    def asked(kind: str) -> bool:
        return wanted is None or any(kind == w or kind.startswith(f"{w}.") for w in wanted)

    made: List[types.CodeAction] = []
    lines = text.splitlines()
    if asked(types.CodeActionKind.QuickFix):
        for finding in found:
            if not (span.start.line <= finding.line - 1 <= span.end.line):
                continue
            diagnostic = server.docs.convert(engine, [finding], text)[0]
            if finding.fix is not None:
                fixed = engine.quick_fixes(path, text, finding)
                if fixed is not None:
                    made.append(actions.quick_fix(uri, version, text, fixed.new_text, fixed.title, fixed.safe, diagnostic))
            new_line = noqa_edit(text, finding.line, finding.code) if finding.line <= len(lines) else None
            if new_line is not None:
                made.append(actions.disable_for_line(uri, version, text, finding, new_line, diagnostic))
    if server.settings.fix_all and wanted is not None and asked(actions.FIX_ALL):
        new_text = engine.fix_all(path, text, [f for f in found if f.fix and f.fix[0] == "safe"])
        if new_text is not None:
            made.append(actions.fix_all(uri, version, text, new_text))
    return made


def serve() -> None:
    """Run over standard input and output until the client says `exit`."""
    server.start_io()
