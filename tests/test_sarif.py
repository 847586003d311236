"""SARIF as a consumer (GitHub code scanning) reads it: every `[text](id)` link in a result's
message resolves to a related location, levels follow the severities JSON reports, every
`ruleIndex` names the result's own rule even across projects with different `select`, and
baselined findings are carried as `unchanged`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List

import pytest

from conftest import run_cli, write_tree

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sarif-schema-2.1.0.json"
LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\\\]])*)\]\((\d+)\)")
LEVEL = {"error": "error", "warning": "warning", "info": "note"}

APP = {
    "pyproject.toml": (
        "[project]\nname = 'app'\n\n[tool.importguard]\nselect = ['ALL']\n\n"
        "[tool.importguard.severity]\nIG301 = 'info'\nIG102 = 'warning'\n"
    ),
    "app/__init__.py": "",
    "app/handlers.py": (
        "import time\n\n\ndef handle(message):\n    started = time.time()\n"
        "    if message == 'stats':\n        import time\n    return started\n"
    ),
    "app/routes.py": "from app.state import connections\n\n\ndef route():\n    return connections\n",
    "app/state.py": "from app.routes import route\n\nconnections = []\n",
    "app/diagnostics.py": "def report(exc):\n    import sentry_sdk\n    return sentry_sdk.capture_exception(exc)\n",
    "app/endpoint.py": (
        "from app.diagnostics import report\n\n\ndef endpoint(handle):\n"
        "    try:\n        handle()\n    except Exception as exc:\n        report(exc)\n"
    ),
}


def sarif(root: Path, *args: str) -> Dict[str, Any]:
    proc = run_cli("check", *args, "--format", "sarif", "--no-cache", cwd=root)
    assert proc.returncode in (0, 1), proc.stderr
    document = json.loads(proc.stdout)
    if SCHEMA.exists():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    return document


def json_findings(root: Path, *args: str) -> List[Dict[str, Any]]:
    proc = run_cli("check", *args, "--format", "json", "--no-cache", cwd=root)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def key(result: Dict[str, Any]) -> tuple:
    physical = result["locations"][0]["physicalLocation"]
    return (result["ruleId"], physical["artifactLocation"]["uri"], physical["region"]["startLine"], physical["region"]["startColumn"])


def assert_rule_indexes_name_their_rule(run: Dict[str, Any]) -> None:
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_every_message_link_resolves_to_a_related_location_and_every_related_location_is_linked(tmp_path):
    write_tree(tmp_path, APP)
    (run,) = sarif(tmp_path, ".")["runs"]
    expected = {(f["code"], f["path"], f["line"], f["column"]): f for f in json_findings(tmp_path, ".")}
    assert sorted(key(r) for r in run["results"]) == sorted(expected)
    linked = 0
    for result in run["results"]:
        finding = expected[key(result)]
        related = {r["id"]: r for r in result.get("relatedLocations", [])}
        links = LINK.findall(result["message"]["text"])
        for text, target in links:
            location = related[int(target)]  # the link resolves
            assert location["message"]["text"] == text
            assert "startColumn" not in location["physicalLocation"]["region"]  # unknown, not a made-up 1
        assert sorted(int(target) for _, target in links) == sorted(related)  # every related location is linked
        assert "[" not in LINK.sub("", result["message"]["text"]).replace("\\[", "")  # no stray link syntax
        hops = [(h["path"], h["line"]) for h in finding["cycle"] or [] if h["path"] and h["line"]]
        places = [(r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"]["startLine"])
                  for r in related.values()]
        assert places == [(r["path"], r["line"]) for r in finding["related"]] + hops
        linked += len(links)
    by_code = {r["ruleId"]: r for r in run["results"]}
    assert "[`import time` binds `time` here](1)" in by_code["IG102"]["message"]["text"]
    assert LINK.findall(by_code["IG301"]["message"]["text"]) == [
        ("`app.routes` runs `from app.state import connections`", "1"), ("`app.state` runs `from app.routes import route`", "2"),
    ]
    assert [t for t, _ in LINK.findall(by_code["IG202"]["message"]["text"])] == [
        "`report()` is defined here", "`import sentry_sdk` runs when `report()` is called",
    ]
    assert linked >= 8


def test_levels_follow_the_severity_json_reports_and_rule_indexes_name_the_rule(tmp_path):
    write_tree(tmp_path, APP)
    (run,) = sarif(tmp_path, ".")["runs"]
    severity = {(f["code"], f["path"], f["line"], f["column"]): f["severity"] for f in json_findings(tmp_path, ".")}
    levels = {key(r): r["level"] for r in run["results"]}
    assert levels == {k: LEVEL[s] for k, s in severity.items()}
    assert {"error", "warning", "note"} <= set(levels.values())
    assert {r["ruleId"]: r["level"] for r in run["results"] if r["ruleId"] in ("IG301", "IG102")} == {"IG301": "note", "IG102": "warning"}
    assert_rule_indexes_name_their_rule(run)
    assert "baselineState" not in json.dumps(run["results"])  # no baseline in use


def test_two_projects_with_different_selects_list_every_rule_that_ran(tmp_path):
    write_tree(tmp_path / "web", {
        "pyproject.toml": "[project]\nname = 'web'\n\n[tool.importguard]\nselect = ['IG101']\n\n[tool.importguard.severity]\nIG101 = 'warning'\n",
        "web/__init__.py": "", "web/views.py": "def view():\n    return undefined_view\n",
    })
    write_tree(tmp_path / "chat", {
        "pyproject.toml": "[project]\nname = 'chat'\n\n[tool.importguard]\nselect = ['IG301', 'IG101']\n",
        "chat/__init__.py": "",
        "chat/routes.py": "from chat.state import connections\n\n\ndef route():\n    return undefined_route\n",
        "chat/state.py": "from chat.routes import route\n\nconnections = []\n",
    })
    (run,) = sarif(tmp_path, "web", "chat")["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["IG101", "IG301"]
    assert_rule_indexes_name_their_rule(run)
    severity = {(f["code"], f["path"], f["line"], f["column"]): f["severity"] for f in json_findings(tmp_path, "web", "chat")}
    assert {key(r): r["level"] for r in run["results"]} == {k: LEVEL[s] for k, s in severity.items()}
    assert sorted((r["ruleId"], r["level"]) for r in run["results"]) == [
        ("IG101", "error"), ("IG101", "warning"), ("IG301", "error"),
    ]
    assert "ruleConfigurationOverrides" not in run["invocations"][0]  # the projects disagree on IG101


def test_baselined_findings_are_carried_as_unchanged_and_new_ones_as_new(tmp_path):
    write_tree(tmp_path, APP)
    recorded = run_cli("check", "--write-baseline", "base.json", "--no-cache", cwd=tmp_path)
    assert recorded.returncode == 0, recorded.stderr
    before = sorted(key(r) for r in sarif(tmp_path, ".", "--no-baseline")["runs"][0]["results"])
    quiet = run_cli("check", ".", "--baseline", "base.json", "--format", "sarif", "--no-cache", cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    (run,) = json.loads(quiet.stdout)["runs"]
    assert sorted(key(r) for r in run["results"]) == before
    assert {r["baselineState"] for r in run["results"]} == {"unchanged"} and run["invocations"][0]["exitCode"] == 0
    handlers = tmp_path / "app" / "handlers.py"
    handlers.write_text(handlers.read_text() + "\n\ndef later():\n    return undefined_new_name\n")
    (run,) = sarif(tmp_path, ".", "--baseline", "base.json")["runs"]
    states = {key(r): r["baselineState"] for r in run["results"]}
    assert [k for k, state in states.items() if state == "new"] == [("IG101", "app/handlers.py", 12, 12)]
    assert sorted(k for k, state in states.items() if state == "unchanged") == before
    assert_rule_indexes_name_their_rule(run)
    assert run["invocations"][0]["exitCode"] == 1
    assert json_findings(tmp_path, ".", "--baseline", "base.json") == [  # other formats still show only new findings
        f for f in json_findings(tmp_path, ".", "--no-baseline") if f["code"] == "IG101"
    ]


def test_help_uris_and_explain_point_at_each_rules_page_in_the_repository(tmp_path):
    from importguard import __version__

    write_tree(tmp_path, {"pyproject.toml": "[tool.importguard]\n", "m.py": "print(undefined)\n"})
    sarif = json.loads(run_cli("check", "--format", "sarif", "--no-cache", cwd=tmp_path).stdout)
    repository = Path(__file__).resolve().parents[1]
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["helpUri"] == f"https://github.com/importguard/importguard/blob/v{__version__}/docs/rules/{rule['id']}.md"
        assert (repository / "docs" / "rules" / f"{rule['id']}.md").is_file()
    explained = run_cli("explain", "IG101", cwd=tmp_path)
    assert explained.stdout.splitlines()[-1] == f"Docs: docs/rules/IG101.md (https://github.com/importguard/importguard/blob/v{__version__}/docs/rules/IG101.md)"
