"""The HTML page in a real headless Chromium, opened from `file://`: the modules render, a click on
a cycle member lists its imports and importers with file:line and kind, search and the kind
toggles work, the page requests nothing but itself, and at 3,000 modules it opens grouped into
packages and still finds and draws every module.

Needs the `playwright` package (test extra; it drives the system browser, no download) and a
Chromium (`apt-get install chromium`; or IMPORTGUARD_CHROMIUM=/path). Without them the test skips
loudly, except under `.ci/run`, which installs both and sets IMPORTGUARD_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from typing import Iterator, List

import pytest

from conftest import run_cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "chat_service"
MODULES = {"chat", "chat.auth", "chat.config", "chat.connections", "chat.diagnostics", "chat.handlers", "chat.metrics", "chat.models", "chat.routes"}


def _chromium() -> str:
    found = os.environ.get("IMPORTGUARD_CHROMIUM") or next(
        (shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome") if shutil.which(name)), None)
    if importlib.util.find_spec("playwright") is None:
        found = None
    if found is None:
        reason = "NO BROWSER TEST: needs `pip install playwright` and a Chromium (apt-get install chromium)"
        if os.environ.get("IMPORTGUARD_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


def open_page(browser, tmp_path: Path, *args: str):
    project = tmp_path / "chat_service"
    shutil.copytree(EXAMPLE, project)
    result = run_cli("graph", "--format", "html", "-o", "graph.html", *args, cwd=project)
    assert result.returncode == 0, result.stderr
    url = (project / "graph.html").as_uri()
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: List[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    return page, url, requests, errors


def node_names(page, selector: str = ".node") -> set:
    return set(page.eval_on_selector_all(selector, "nodes => nodes.map(n => n.dataset.name)"))


def listed(page, which: str) -> List[tuple]:
    return page.eval_on_selector_all(
        f"#panel ul.{which} li",
        "items => items.map(i => [i.dataset.module, i.dataset.kind, i.querySelector('.where').textContent.trim()])",
    )


def test_page_renders_the_graph_and_lists_imports_of_a_clicked_module_offline(browser, tmp_path):
    page, url, requests, errors = open_page(browser, tmp_path)
    assert node_names(page) == MODULES
    assert node_names(page, ".node.cycle") == {"chat.connections", "chat.routes"}
    assert page.locator("#edges path.edge").count() == 11

    page.click('.node[data-name="chat.connections"]')
    assert page.text_content("#panel h2") == "chat.connections"
    assert listed(page, "imports") == [["chat.routes", "import-time", "chat/connections.py:55"]]
    assert listed(page, "importers") == [
        ["chat.diagnostics", "deferred", "chat/diagnostics.py:13"],
        ["chat.diagnostics", "deferred", "chat/diagnostics.py:20"],
        ["chat.routes", "import-time", "chat/routes.py:7"],
    ]

    page.uncheck('input[data-kind="deferred"]')  # deferred imports leave the picture and the lists
    assert page.locator("#edges path.edge.hidden").count() == 3
    assert [row[0] for row in listed(page, "importers")] == ["chat.routes"]

    page.fill("#search", "diagnost")
    page.press("#search", "Enter")
    assert page.text_content("#panel h2") == "chat.diagnostics"
    assert node_names(page, ".node.found") == {"chat.diagnostics"}

    assert errors == []
    assert [r for r in requests if r != url and not r.startswith(("data:", "blob:"))] == []
    page.close()


def test_collapsed_page_lists_a_package_s_modules_and_opens_one(browser, tmp_path):
    page, url, requests, errors = open_page(browser, tmp_path, "--collapse", "1")
    assert node_names(page) == {"chat"}
    page.click('.node[data-name="chat"]')
    assert set(page.eval_on_selector_all("#panel ul.members button", "b => b.map(x => x.textContent)")) == MODULES
    page.click('#panel ul.members button:text-is("chat.routes")')
    assert page.text_content("#panel h2") == "chat.routes"
    assert ["chat.connections", "import-time", "chat/routes.py:7"] in listed(page, "imports")
    assert errors == [] and requests == [url]
    page.close()


def test_collapsed_page_draws_every_module_on_demand(browser, tmp_path):
    page, url, requests, errors = open_page(browser, tmp_path, "--collapse", "1")
    page.click('.node[data-name="chat"]')
    page.click("#panel button.expand")
    assert node_names(page) == MODULES
    assert node_names(page, ".node.found") == MODULES
    assert node_names(page, ".node.cycle") == {"chat.connections", "chat.routes"}
    assert page.locator("#edges path.edge.cycle").count() == 2
    page.click('.node[data-name="chat.routes"]')
    assert ["chat.connections", "import-time", "chat/routes.py:7"] in listed(page, "imports")
    page.click("#view-switch")
    assert node_names(page) == {"chat"}
    assert errors == [] and requests == [url]
    page.close()


def test_a_3000_module_page_opens_grouped_and_still_finds_and_draws_every_module(browser, tmp_path):
    """At 3,000 modules the page opens grouped into packages; search still reaches any module,
    and every module can still be drawn on demand."""
    project = tmp_path / "big"
    files = {"pyproject.toml": "", "big/__init__.py": ""}
    for p in range(30):
        files[f"big/p{p:02}/__init__.py"] = ""
        for m in range(100):
            n = p * 100 + m
            target = f"big.p{(p + 1) % 30:02}.m{m:03}"  # the packages import each other in a ring
            files[f"big/p{p:02}/m{m:03}.py"] = f"import {target}\n\nVALUE_{n} = {n}\n"
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    result = run_cli("graph", "--format", "html", "-o", "graph.html", cwd=project)
    assert result.returncode == 0, result.stderr
    url = (project / "graph.html").as_uri()
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: List[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    assert node_names(page) == {"big", *(f"big.p{p:02}" for p in range(30))}
    assert node_names(page, ".node.cycle") == {f"big.p{p:02}" for p in range(30)}

    page.fill("#search", "big.p17.m042")
    page.press("#search", "Enter")
    assert page.text_content("#panel h2") == "big.p17.m042"
    assert listed(page, "imports") == [  # `import big.p18.m042` runs the package's `__init__` first
        ["big.p18", "import-time", "big/p17/m042.py:1"], ["big.p18.m042", "import-time", "big/p17/m042.py:1"],
    ]
    assert listed(page, "importers") == [["big.p16.m042", "import-time", "big/p16/m042.py:1"]]

    page.click('.node[data-name="big.p03"]')
    page.click("#panel button.expand")
    assert len(node_names(page)) == 3031  # every module and package `__init__`
    assert requests == [url]
    page.close()
