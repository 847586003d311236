"""`importguard server` end to end: a real server process over stdio, driven by pytest-lsp with
the capabilities VS Code and Neovim announce (VS Code 1.65 gets pushed diagnostics, Neovim
0.11 pulls them), on a copy of the bundled example."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "chat_service"
SERVER = [sys.executable, "-m", "importguard", "server"]
PRESETS = ["visual-studio-code", "neovim"]
TIMEOUT = 30


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "chat_service"
    shutil.copytree(EXAMPLE, root)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=PRESETS)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest, project: Path):
    accept_registrations(lsp_client)
    params = types.InitializeParams(
        capabilities=client_capabilities(request.param),
        root_uri=project.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="chat_service")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def accept_registrations(client: LanguageClient) -> None:
    """Answer `client/registerCapability` as an editor does (and keep what was registered)."""
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]


def pulls(client: LanguageClient) -> bool:
    document = client.capabilities.text_document if client.capabilities else None
    return document is not None and document.diagnostic is not None


async def diagnostics_of(client: LanguageClient, uri: str, after: Optional[int] = None) -> List[types.Diagnostic]:
    """The file's diagnostics: pulled, or the next ones pushed (`after`: the version they must be for)."""
    if pulls(client):
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri)))
        return list(report.items)
    while True:
        await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), TIMEOUT)
        if uri in client.diagnostics:
            return list(client.diagnostics[uri])


async def published(client: LanguageClient, uri: str, predicate) -> List[types.Diagnostic]:  # type: ignore[no-untyped-def]
    """Push: wait until the file's latest diagnostics satisfy `predicate`; pull: pull them."""
    if pulls(client):
        found = await diagnostics_of(client, uri)
        assert predicate(found), [(d.code, d.range.start.line) for d in found]
        return found
    async def wait() -> List[types.Diagnostic]:
        while not (uri in client.diagnostics and predicate(client.diagnostics[uri])):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri])
    try:
        return await asyncio.wait_for(wait(), TIMEOUT)
    except asyncio.TimeoutError:
        raise AssertionError(f"{uri}: {[(d.code, d.range.start.line + 1) for d in client.diagnostics.get(uri, [])]}") from None


def open_file(client: LanguageClient, path: Path) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="python", version=1, text=path.read_text()),
    ))
    return uri


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        [types.TextDocumentContentChangeWholeDocument(text=text)],
    ))


def apply(text: str, edits: List[types.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(position: types.Position) -> int:
        return offsets[min(position.line, len(lines))] + position.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


def edits_of(action: types.CodeAction) -> List[types.TextEdit]:
    assert action.edit is not None and action.edit.document_changes
    return [e for change in action.edit.document_changes for e in change.edits]  # type: ignore[union-attr]


def codes(found: List[types.Diagnostic]) -> Dict[str, List[int]]:
    by_code: Dict[str, List[int]] = {}
    for d in found:
        by_code.setdefault(str(d.code), []).append(d.range.start.line + 1)
    return by_code


@pytest.mark.asyncio
async def test_undefined_name_has_related_information_and_quick_fix_clears_it(client: LanguageClient, project: Path) -> None:
    auth = project / "chat" / "auth.py"
    uri = open_file(client, auth)
    found = await published(client, uri, lambda ds: any(d.code == "IG101" for d in ds))
    assert codes(found) == {"IG101": [47, 55]}
    first = next(d for d in found if d.range.start.line == 46)
    assert first.severity == types.DiagnosticSeverity.Error
    assert first.message.startswith("name `time` is not defined in `verify_token()`")
    assert "imported only inside `issue_token()`" in first.message  # the hint
    assert first.code_description is not None and first.code_description.href.endswith("/docs/rules/IG101.md")
    assert first.related_information is not None
    assert [(r.location.uri, r.location.range.start.line + 1) for r in first.related_information] == [(uri, 29)]
    assert (first.range.start.character, first.range.end.character) == (26, 30)  # `time`

    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), first.range, types.CodeActionContext(diagnostics=[first]),
    ))
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, types.CodeAction)]
    assert "importguard: Disable IG101 for this line" in titles
    fix = next(a for a in actions if isinstance(a, types.CodeAction) and a.is_preferred)
    assert fix.title == "importguard: Import `time` at module level"
    fixed = apply(auth.read_text(), edits_of(fix))
    assert "\nimport time\n" in fixed.split("def ")[0]
    change(client, uri, 2, fixed)
    cleared = await published(client, uri, lambda ds: not any(d.code == "IG101" for d in ds))
    assert codes(cleared) == {}


@pytest.mark.asyncio
@pytest.mark.parametrize("client", ["neovim"], indirect=True)  # one client is enough here
async def test_disable_for_line_adds_a_noqa_that_silences_the_finding(client: LanguageClient, project: Path) -> None:
    auth = project / "chat" / "auth.py"
    uri = open_file(client, auth)
    found = await published(client, uri, lambda ds: any(d.code == "IG101" for d in ds))
    second = next(d for d in found if d.range.start.line == 54)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), second.range, types.CodeActionContext(diagnostics=[second]),
    ))
    disable = next(a for a in actions or [] if isinstance(a, types.CodeAction) and a.title.startswith("importguard: Disable"))
    text = apply(auth.read_text(), edits_of(disable))
    assert text.splitlines()[54].endswith("  # noqa: IG101")
    change(client, uri, 2, text)
    left = await published(client, uri, lambda ds: [d.range.start.line + 1 for d in ds if d.code == "IG101"] == [47])
    assert codes(left) == {"IG101": [47]}


@pytest.mark.asyncio
async def test_a_cycle_made_and_saved_in_one_file_shows_on_both_files(client: LanguageClient, project: Path) -> None:
    auth_uri = open_file(client, project / "chat" / "auth.py")
    await published(client, auth_uri, lambda ds: "IG101" in codes(ds))
    config = project / "chat" / "config.py"
    config_uri = open_file(client, config)
    await published(client, config_uri, lambda ds: True) if pulls(client) else None
    text = config.read_text().replace("import os\n", "import os\n\nfrom chat import auth\n", 1)
    change(client, config_uri, 2, text)
    config.write_text(text)
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(config_uri), text))
    on_config = await published(client, config_uri, lambda ds: "IG301" in codes(ds))
    on_auth = await published(client, auth_uri, lambda ds: "IG301" in codes(ds))
    cycle = next(d for d in on_config + on_auth if d.code == "IG301" and not (d.data or {}).get("echo"))
    assert "`chat.auth`" in cycle.message and "`chat.config`" in cycle.message
    assert codes(on_config)["IG301"] == [5]  # `from chat import auth`
    assert codes(on_auth)["IG301"] == [13]  # `from chat.config import settings`
    hops = {(r.location.uri, r.location.range.start.line + 1) for r in cycle.related_information or []}
    assert {(config_uri, 5), (auth_uri, 13)} <= hops


@pytest.mark.asyncio
async def test_changing_pyproject_applies_the_new_selection(client: LanguageClient, project: Path) -> None:
    uri = open_file(client, project / "chat" / "auth.py")
    await published(client, uri, lambda ds: "IG101" in codes(ds))
    watched = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]  # type: ignore[attr-defined]
    dynamic = client.capabilities.workspace.did_change_watched_files.dynamic_registration  # type: ignore[union-attr]
    assert len(watched) == (1 if dynamic else 0)  # VS Code is asked to watch; Neovim 0.11 cannot be
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + '\n[tool.importguard]\nignore = ["IG101"]\n')
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(pyproject.as_uri(), types.FileChangeType.Changed)],
    ))
    if pulls(client):
        await asyncio.sleep(0.5)  # the notification is handled before the next pull either way
    found = await published(client, uri, lambda ds: "IG101" not in codes(ds))
    assert codes(found) == {}


@pytest.mark.asyncio
@pytest.mark.parametrize("client", ["visual-studio-code"], indirect=True)  # one client is enough here
async def test_a_line_moving_edit_reanchors_project_findings_without_a_project_run(client: LanguageClient, project: Path) -> None:
    connections = project / "chat" / "connections.py"
    uri = open_file(client, connections)
    await published(client, uri, lambda ds: codes(ds).get("IG301") == [55])
    text = "# moved\n# twice\n" + connections.read_text()
    change(client, uri, 2, text)
    moved = await published(client, uri, lambda ds: codes(ds).get("IG301") == [57])
    assert codes(moved) == {"IG301": [57]}


@pytest.mark.asyncio
@pytest.mark.parametrize("client", ["neovim"], indirect=True)  # one client is enough here
async def test_a_file_that_does_not_parse_shows_one_syntax_error(client: LanguageClient, project: Path) -> None:
    auth = project / "chat" / "auth.py"
    uri = open_file(client, auth)
    await published(client, uri, lambda ds: "IG101" in codes(ds))
    change(client, uri, 2, auth.read_text().replace("def verify_token(", "def verify_token((", 1))
    broken = await published(client, uri, lambda ds: "IG001" in codes(ds))
    assert [d.code for d in broken] == ["IG001"]
    change(client, uri, 3, auth.read_text())
    await published(client, uri, lambda ds: codes(ds) == {"IG101": [47, 55]})


@pytest.mark.asyncio
@pytest.mark.parametrize("client", ["visual-studio-code"], indirect=True)  # one client is enough here
async def test_a_bad_request_is_answered_and_the_server_goes_on(client: LanguageClient, project: Path) -> None:
    folder = (project / "chat").as_uri()  # a folder: reading it as a document fails in the server
    everywhere = types.Range(types.Position(0, 0), types.Position(1, 0))
    try:
        answer = await client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(folder), everywhere, types.CodeActionContext(diagnostics=[]),
        ))
    except Exception as error:  # noqa: BLE001 - an error response is an answer too
        answer = error  # type: ignore[assignment]
    assert not answer or "Is a directory" in str(answer)
    uri = open_file(client, project / "chat" / "auth.py")
    assert "IG101" in codes(await published(client, uri, lambda ds: "IG101" in codes(ds)))


def test_server_without_the_extra_says_what_to_install(tmp_path: Path) -> None:
    blocker = tmp_path / "pygls"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('no pygls here', name='pygls')\n")
    run = subprocess.run([*SERVER], capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)}, timeout=60)
    assert run.returncode == 2
    assert "install importguard[server]" in run.stderr
    assert "Traceback" not in run.stderr


def check_findings(root: Path) -> Counter:
    """`importguard check`'s findings of the tree, as (path, line, column, code)."""
    run = subprocess.run([sys.executable, "-m", "importguard", "check", ".", "--output-format", "json"],
                         cwd=root, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    return Counter((f["path"], f["line"], f["column"], f["code"]) for f in json.loads(run.stdout)["findings"])


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=PRESETS)
async def workspace_client(lsp_client: LanguageClient, request: pytest.FixtureRequest, project: Path):
    accept_registrations(lsp_client)
    lsp_client.set_configuration({"diagnosticMode": "workspace"}, section="importguard")
    params = types.InitializeParams(
        capabilities=client_capabilities(request.param),
        workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="chat_service")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_workspace_mode_shows_what_check_reports_for_every_file(workspace_client: LanguageClient, project: Path) -> None:
    expected = check_findings(project)
    found: Counter = Counter()
    if pulls(workspace_client):
        report = await workspace_client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
        reports = {item.uri: item.items for item in report.items}
    else:
        files = {f"{(project / path).as_uri()}" for path, _, _, _ in expected}
        async def settled() -> None:
            while not files <= set(workspace_client.diagnostics):
                await workspace_client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        await asyncio.wait_for(settled(), TIMEOUT)
        reports = dict(workspace_client.diagnostics)
    for uri, items in reports.items():
        relative = Path(uri[len("file://"):]).relative_to(project).as_posix()
        for d in items:
            if not (d.data or {}).get("echo"):
                found[(relative, d.range.start.line + 1, d.range.start.character + 1, str(d.code))] += 1
    assert len(expected) == 6
    assert found == expected
    echoes = {(Path(uri).name, d.range.start.line + 1) for uri, items in reports.items() for d in items if (d.data or {}).get("echo")}
    assert echoes == {("routes.py", 7)}  # the cycle reported in connections.py, shown where routes.py closes it


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=PRESETS)
async def selecting_client(lsp_client: LanguageClient, request: pytest.FixtureRequest, project: Path):
    accept_registrations(lsp_client)
    params = types.InitializeParams(
        capabilities=client_capabilities(request.param),
        root_uri=project.as_uri(),
        initialization_options={"select": ["IG301"], "bogus": 1},
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
@pytest.mark.parametrize("selecting_client", ["neovim"], indirect=True)  # one client is enough here
async def test_settings_choose_the_rules_and_are_read_again_when_changed(selecting_client: LanguageClient, project: Path) -> None:
    client = selecting_client
    uri = open_file(client, project / "chat" / "connections.py")
    assert codes(await published(client, uri, lambda ds: "IG301" in codes(ds))) == {"IG301": [55]}
    assert any("unknown importguard setting `bogus`" in m.message for m in client.messages)
    auth = open_file(client, project / "chat" / "auth.py")
    if pulls(client):
        assert codes(await diagnostics_of(client, auth)) == {}
    client.set_configuration({"select": ["IG1"]}, section="importguard")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    if pulls(client):
        await asyncio.sleep(0.5)
    assert codes(await published(client, auth, lambda ds: "IG101" in codes(ds))) == {"IG101": [47, 55]}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=["visual-studio-code"])
async def loose_client(lsp_client: LanguageClient, request: pytest.FixtureRequest, tmp_path: Path):
    accept_registrations(lsp_client)
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "script.py").write_text("def handler():\n    return time.time()\n")
    (folder / "other.py").write_text("def other():\n    return json.dumps({})\n")
    lsp_client.set_configuration({"diagnosticMode": "workspace"}, section="importguard")
    params = types.InitializeParams(
        capabilities=client_capabilities(request.param),
        workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="home")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_a_folder_without_a_project_marker_is_not_indexed(loose_client: LanguageClient, tmp_path: Path) -> None:
    folder = tmp_path / "home"
    assert all(not (p / m).exists() for p in (folder, *folder.parents) for m in ("pyproject.toml", ".git"))
    uri = open_file(loose_client, folder / "script.py")
    assert codes(await published(loose_client, uri, lambda ds: "IG101" in codes(ds))) == {"IG101": [2]}
    await asyncio.sleep(1)
    assert (folder / "other.py").as_uri() not in loose_client.diagnostics  # never analysed: not opened
    assert not (folder / ".importguard_cache").exists()


@pytest.mark.asyncio
@pytest.mark.parametrize("client", ["neovim"], indirect=True)  # one client is enough here
async def test_fix_all_applies_the_safe_fixes_of_the_file(client: LanguageClient, project: Path) -> None:
    handlers = project / "chat" / "handlers.py"
    uri = open_file(client, handlers)
    await published(client, uri, lambda ds: "IG102" in codes(ds))
    whole = types.Range(types.Position(0, 0), types.Position(len(handlers.read_text().splitlines()), 0))
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), whole, types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
    ))
    assert [a.kind for a in actions or [] if isinstance(a, types.CodeAction)] == ["source.fixAll.importguard"]
    fixed = apply(handlers.read_text(), edits_of(actions[0]))  # type: ignore[index, arg-type]
    assert handlers.read_text().count("import time") == 2 and fixed.count("import time") == 1
    change(client, uri, 2, fixed)
    assert codes(await published(client, uri, lambda ds: "IG102" not in codes(ds))) == {}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=PRESETS)
async def baselined_client(lsp_client: LanguageClient, request: pytest.FixtureRequest, project: Path):
    accept_registrations(lsp_client)
    (project / "pyproject.toml").write_text((project / "pyproject.toml").read_text()
                                            + '\n[tool.importguard]\nbaseline = ".importguard-baseline.json"\n')
    subprocess.run([sys.executable, "-m", "importguard", "check", ".", "--write-baseline"], cwd=project, capture_output=True, timeout=120)
    assert (project / ".importguard-baseline.json").exists()
    params = types.InitializeParams(capabilities=client_capabilities(request.param), root_uri=project.as_uri())
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
@pytest.mark.parametrize("baselined_client", ["visual-studio-code"], indirect=True)  # one client is enough here
async def test_baselined_findings_are_not_shown_but_new_ones_are(baselined_client: LanguageClient, project: Path) -> None:
    client = baselined_client
    auth = project / "chat" / "auth.py"
    uri = open_file(client, auth)
    assert codes(await published(client, uri, lambda ds: True)) == {}
    text = auth.read_text().replace("    return max(0.0, session.expires_at - time.time())", "    return max(0.0, session.expires_at - clock())", 1)
    assert text != auth.read_text()
    change(client, uri, 2, text)
    new = await published(client, uri, lambda ds: "IG101" in codes(ds))
    assert [d.message.split("\n")[0] for d in new] == ["name `clock` is not defined in `seconds_until_expiry()`"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=["visual-studio-code"])
async def monorepo_client(lsp_client: LanguageClient, request: pytest.FixtureRequest, tmp_path: Path):
    accept_registrations(lsp_client)
    (tmp_path / "mono" / "services").mkdir(parents=True)
    (tmp_path / "mono" / "pyproject.toml").write_text("[tool.importguard]\n")
    for name in ("a", "b"):
        shutil.copytree(EXAMPLE, tmp_path / "mono" / "services" / name)
    lsp_client.set_configuration({"diagnosticMode": "workspace"}, section="importguard")
    params = types.InitializeParams(
        capabilities=client_capabilities(request.param),
        workspace_folders=[types.WorkspaceFolder(uri=(tmp_path / "mono").as_uri(), name="mono")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_each_file_of_a_monorepo_is_checked_in_its_nearest_project(monorepo_client: LanguageClient, tmp_path: Path) -> None:
    services = tmp_path / "mono" / "services"
    cycles = {(services / name / "chat" / "connections.py").as_uri() for name in ("a", "b")}

    async def settled() -> None:
        while not cycles <= set(monorepo_client.diagnostics):
            await monorepo_client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    await asyncio.wait_for(settled(), TIMEOUT)
    for uri in cycles:
        [cycle] = [d for d in monorepo_client.diagnostics[uri] if d.code == "IG301"]
        assert cycle.message.startswith("import cycle: `chat.connections` -> `chat.routes`")  # rooted at the service
        assert all(r.location.uri.startswith(uri.rsplit("/chat/", 1)[0]) for r in cycle.related_information or [])


@pytest.mark.asyncio
@pytest.mark.parametrize("client", ["neovim", "visual-studio-code"], indirect=True)
async def test_a_bad_configuration_is_named_to_the_user_and_fixing_it_recovers(client: LanguageClient, project: Path) -> None:
    pyproject = project / "pyproject.toml"
    good = pyproject.read_text()
    pyproject.write_text(good + '\n[tool.importguard]\nselect = ["IG999"]\n')
    uri = open_file(client, project / "chat" / "auth.py")
    async def told() -> None:
        while not any("IG999" in m.message for m in client.messages):
            await client.wait_for_notification(types.WINDOW_SHOW_MESSAGE)
    if pulls(client):
        assert await diagnostics_of(client, uri) == []
    await asyncio.wait_for(told(), TIMEOUT)
    pyproject.write_text(good)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(pyproject.as_uri(), types.FileChangeType.Changed)],
    ))
    if pulls(client):
        await asyncio.sleep(0.5)
    assert "IG101" in codes(await published(client, uri, lambda ds: "IG101" in codes(ds)))
