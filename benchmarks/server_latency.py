"""Latency and memory of `importguard server`, driven as an editor drives it: a real client over
stdio (pygls' `LanguageClient`) with the capabilities of VS Code (pushed diagnostics) or Neovim
(pulled diagnostics).

    python benchmarks/server_latency.py [--corpus DIR] [--file REL] [--edits 40] [--saves 20]
                                        [--synthetic 3500] [--compare] [--json OUT]

On a copy of the corpus (default: Django 5.1.4's sdist, whose facts cache is warmed first with
`importguard check`), it measures:

- `didChange` -> diagnostics of a 1,000-line file: pulled right after the change (the file rules
  on the buffer, no debounce) and pushed (after the server's 300 ms debounce);
- `didSave` -> the saved file's diagnostics after an edit that moves lines (no project run), and
  after an edit that changes an import (the project analysed again from the cache);
- the server's resident memory once the project is loaded (and on a synthetic project);
- with `--compare`, that the server's diagnostics of every file (workspace mode) are the findings
  of `importguard check` on the same tree.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pytest_lsp import client_capabilities

from importguard.facts.extract import extract_facts
from importguard.facts.parse_options import ParseOptions

DJANGO = Path("/work/corpora/Django-5.1.4")
SERVER = [sys.executable, "-m", "importguard", "server"]


class Client:
    """A pygls client that records when each file's diagnostics arrive."""

    def __init__(self, preset: str, mode: str = "openFiles") -> None:
        self.lsp = LanguageClient("server-latency", "1")
        self.preset, self.mode = preset, mode
        self.pushed: Dict[str, List[Tuple[float, Optional[int], List[types.Diagnostic]]]] = {}
        self.arrived = asyncio.Event()

        @self.lsp.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: types.PublishDiagnosticsParams) -> None:
            self.pushed.setdefault(params.uri, []).append((time.perf_counter(), params.version, list(params.diagnostics)))
            self.arrived.set()

        @self.lsp.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            return None

        @self.lsp.feature(types.WORKSPACE_CONFIGURATION)
        def configuration(params: types.ConfigurationParams) -> List[Any]:
            return [{"diagnosticMode": self.mode} for _ in params.items]

        @self.lsp.feature(types.WINDOW_LOG_MESSAGE)
        def log(params: types.LogMessageParams) -> None:
            if params.type == types.MessageType.Error:
                print(params.message, file=sys.stderr)

        @self.lsp.feature(types.WINDOW_SHOW_MESSAGE)
        def show(params: types.ShowMessageParams) -> None:
            print(params.message, file=sys.stderr)

    async def start(self, root: Path) -> None:
        await self.lsp.start_io(*SERVER)
        capabilities = client_capabilities(self.preset)
        await self.lsp.initialize_async(types.InitializeParams(
            capabilities=capabilities, root_uri=root.as_uri(), process_id=os.getpid(),
            workspace_folders=[types.WorkspaceFolder(root.as_uri(), root.name)],
            initialization_options={"diagnosticMode": self.mode},
        ))
        self.lsp.initialized(types.InitializedParams())

    @property
    def pid(self) -> int:
        return self.lsp._server.pid  # type: ignore[union-attr]

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    async def stop(self) -> None:
        await self.lsp.shutdown_async(None)
        self.lsp.exit(None)
        await self.lsp.stop()

    async def wait_push(self, uri: str, since: float, timeout: float = 600) -> float:
        """Seconds from `since` to the first diagnostics of `uri` published after it."""
        deadline = time.perf_counter() + timeout
        while True:
            for at, _, _ in self.pushed.get(uri, []):
                if at >= since:
                    return at - since
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), max(deadline - time.perf_counter(), 0.01))

    async def pull(self, uri: str, timeout: float = 600) -> List[types.Diagnostic]:
        asked = self.lsp.text_document_diagnostic_async(types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri)))
        report = await asyncio.wait_for(asked, timeout)
        return list(getattr(report, "items", []) or [])

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.lsp.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        self.lsp.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version), [types.TextDocumentContentChangeWholeDocument(text)],
        ))

    def save(self, uri: str, text: str) -> None:
        self.lsp.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri), text))


def summary(seconds: List[float]) -> Dict[str, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"n": len(ordered), "median_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def body_lines(text: str) -> List[int]:
    """0-based lines inside function bodies (indented, not blank): where a comment moves lines below it."""
    lines = text.splitlines()
    return [i for i, line in enumerate(lines) if line.startswith("        ") and line.strip() and not line.strip().startswith(("#", '"', "'"))]


def insert_comment(text: str, at: int) -> str:
    lines = text.splitlines(keepends=True)
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    return "".join(lines[:at] + [f"{indent}# edited\n"] + lines[at:])


async def latencies(root: Path, relative: str, edits: int, saves: int) -> Dict[str, Any]:
    path = root / relative
    original = path.read_text()
    results: Dict[str, Any] = {"file": relative, "lines": len(original.splitlines())}
    rng = random.Random(23)

    pull = Client("neovim")
    await pull.start(root)
    started = time.perf_counter()
    uri = pull.open(path, original)
    first = await pull.pull(uri)
    results["first_diagnostics_s"] = round(time.perf_counter() - started, 2)
    results["findings_in_file"] = len(first)
    results["rss_mb_django"] = round(pull.rss_mb(), 1)
    text, version, timings, floor = original, 1, [], []
    for _ in range(edits):
        text = insert_comment(text, rng.choice(body_lines(text)))
        version += 1
        began = time.perf_counter()
        pull.change(uri, version, text)
        await pull.pull(uri)
        timings.append(time.perf_counter() - began)
        began = time.perf_counter()  # the floor, at the same moment: parsing the buffer and walking it once
        extract_facts(text.encode(), ParseOptions())
        floor.append(time.perf_counter() - began)
    results["pull_change_to_diagnostics"] = summary(timings)
    results["extract_facts_alone_same_moments"] = summary(floor)
    await pull.stop()

    push = Client("visual-studio-code")
    await push.start(root)
    uri = push.open(path, original)
    await push.wait_push(uri, 0.0)
    text, version = original, 1
    change_timings, save_timings, import_timings = [], [], []
    for _ in range(edits // 2):
        text = insert_comment(text, rng.choice(body_lines(text)))
        version += 1
        began = time.perf_counter()
        push.change(uri, version, text)
        change_timings.append(await push.wait_push(uri, began))
    for _ in range(saves):
        text = insert_comment(text, rng.choice(body_lines(text)))
        version += 1
        push.change(uri, version, text)
        path.write_text(text)
        await asyncio.sleep(0.05)
        began = time.perf_counter()
        push.save(uri, text)
        save_timings.append(await push.wait_push(uri, began))
    for number in range(max(saves // 4, 3)):
        text = f"import json as _bench_{number}\n" + text  # a new import: the project is analysed again
        version += 1
        push.change(uri, version, text)
        path.write_text(text)
        await asyncio.sleep(0.05)
        began = time.perf_counter()
        push.save(uri, text)
        import_timings.append(await push.wait_push(uri, began))
    results["push_change_to_diagnostics_with_debounce"] = summary(change_timings)
    results["save_after_moving_lines"] = summary(save_timings)
    results["save_after_new_import"] = summary(import_timings)
    await push.stop()
    path.write_text(original)
    return results


async def resident(root: Path, relative: str) -> float:
    client = Client("neovim")
    await client.start(root)
    uri = client.open(root / relative, (root / relative).read_text())
    await client.pull(uri)
    rss = client.rss_mb()
    await client.stop()
    return round(rss, 1)


async def compare(root: Path) -> Dict[str, Any]:
    """Workspace mode, push: every file's diagnostics, once settled, against `importguard check`."""
    check = subprocess.run([*SERVER[:-1], "check", ".", "--output-format", "json", "--exit-zero", "-q"],
                           cwd=root, capture_output=True, text=True, check=True)
    expected = Counter((f["path"], f["line"], f["column"], f["code"]) for f in json.loads(check.stdout)["findings"])
    client = Client("visual-studio-code", mode="workspace")
    await client.start(root)
    await asyncio.wait_for(client.arrived.wait(), 600)  # the project is loaded: diagnostics begin
    while True:  # settled: nothing more for 5 s
        client.arrived.clear()
        try:
            await asyncio.wait_for(client.arrived.wait(), 5)
        except asyncio.TimeoutError:
            break
    found: Counter = Counter()
    for uri, sent in client.pushed.items():
        relative = Path(uri[len("file://"):]).relative_to(root).as_posix()
        for d in sent[-1][2]:
            if not (d.data or {}).get("echo"):
                found[(relative, d.range.start.line + 1, d.range.start.character + 1, str(d.code))] += 1
    await client.stop()
    return {"check_findings": sum(expected.values()), "server_findings": sum(found.values()),
            "files": len({k[0] for k in expected}), "identical": found == expected,
            "only_check": sorted(expected - found)[:10], "only_server": sorted(found - expected)[:10]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DJANGO)
    parser.add_argument("--file", default="django/db/models/options.py", help="the ~1,000-line file edited")
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--synthetic", type=int, default=3500, help="modules of the synthetic project (0: skip)")
    parser.add_argument("--compare", action="store_true", help="also compare every file's diagnostics with `check`")
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    results: Dict[str, Any] = {"load_average": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="server-latency-") as scratch:
        root = Path(scratch) / options.corpus.name
        shutil.copytree(options.corpus, root, symlinks=True)
        began = time.perf_counter()
        subprocess.run([*SERVER[:-1], "check", ".", "--exit-zero", "-q", "--jobs", str(os.cpu_count() or 1)],
                       cwd=root, check=True, stdout=subprocess.DEVNULL)
        results["cold_check_s"] = round(time.perf_counter() - began, 1)
        if options.edits:
            results.update(asyncio.run(latencies(root, options.file, options.edits, options.saves)))
            print(json.dumps(results, default=str), flush=True)
        if options.compare:
            results["compare"] = asyncio.run(compare(root))
            print(json.dumps(results["compare"], default=str), flush=True)
        if options.synthetic:
            synthetic = Path(scratch) / "synthetic"
            subprocess.run([sys.executable, str(Path(__file__).with_name("synthetic.py")), str(synthetic),
                            "--modules", str(options.synthetic), "--cycle", "100"], check=True, stdout=subprocess.DEVNULL)
            subprocess.run([*SERVER[:-1], "check", ".", "--exit-zero", "-q"], cwd=synthetic, check=True, stdout=subprocess.DEVNULL)
            some = next(p for p in sorted(synthetic.rglob("*.py")) if p.name != "__init__.py")
            results["synthetic_files"] = sum(1 for _ in synthetic.rglob("*.py"))
            results["rss_mb_synthetic"] = asyncio.run(resident(synthetic, some.relative_to(synthetic).as_posix()))
    results["load_average_after"] = os.getloadavg()
    text = json.dumps(results, indent=2, default=str)
    print(text)
    if options.json:
        options.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
