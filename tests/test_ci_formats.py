"""CI adoption: baselines that survive edits, SARIF validated against the 2.1.0 schema, GitHub
annotations, GitLab Code Quality and JUnit with tricky characters, statistics, severities."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import run_cli, write_tree
from importguard.report.ci import escape_data, escape_property
from importguard.rules import ALL_RULES

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sarif-schema-2.1.0.json"

LEGACY = {
    "pyproject.toml": "[project]\nname = 'legacy'\n",
    "app/__init__.py": "",
    "app/auth.py": "def connect():\n    import time\n    return time.time()\n\n\ndef expired(token):\n    return token < time.time()\n",
    "app/routes.py": "from app.state import connections\n\n\ndef helper():\n    return 1\n",
    "app/state.py": "from app.routes import handler\n\nconnections = []\n",
}


def findings(proc) -> list:
    assert proc.returncode in (0, 1), proc.stderr
    return [(f["code"], f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"]]


def test_baseline_survives_edits_elsewhere_and_catches_one_new_bug(tmp_path):
    write_tree(tmp_path, LEGACY)
    before = findings(run_cli("check", "--format", "json", "--no-cache", cwd=tmp_path))
    assert len(before) >= 3
    wrote = run_cli("check", "--write-baseline", "--no-cache", cwd=tmp_path)
    assert wrote.returncode == 0 and "wrote" in wrote.stderr
    baseline = json.loads((tmp_path / ".importguard-baseline.json").read_text())
    assert baseline["schema_version"] == 1 and len(baseline["findings"]) == len(before)
    # Ten lines above everything, and an unrelated function renamed.
    for path in tmp_path.joinpath("app").glob("*.py"):
        path.write_text("# header\n" * 10 + path.read_text())
    routes = tmp_path / "app" / "routes.py"
    routes.write_text(routes.read_text().replace("def helper", "def renamed_helper"))
    configured = tmp_path / "pyproject.toml"
    configured.write_text(configured.read_text() + "\n[tool.importguard]\nbaseline = '.importguard-baseline.json'\n")
    quiet = run_cli("check", "--format", "json", "--no-cache", cwd=tmp_path)
    assert findings(quiet) == [] and quiet.returncode == 0
    assert f"the baseline hid {len(before)} finding(s); 0 baseline entries no longer match" in quiet.stderr
    # One new bug: exactly one finding.
    auth = tmp_path / "app" / "auth.py"
    auth.write_text(auth.read_text() + "\n\ndef later():\n    return undefined_new_name\n")
    new = run_cli("check", "--format", "json", "--no-cache", cwd=tmp_path)
    assert findings(new) == [("IG101", "app/auth.py", 21)] and new.returncode == 1
    assert findings(run_cli("check", "--format", "json", "--no-cache", "--no-baseline", cwd=tmp_path)) != findings(new)


def test_fixed_bugs_are_counted_and_a_rewrite_shrinks_the_baseline(tmp_path):
    write_tree(tmp_path, LEGACY)
    run_cli("check", "--write-baseline", "base.json", "--no-cache", cwd=tmp_path)
    recorded = len(json.loads((tmp_path / "base.json").read_text())["findings"])
    auth = tmp_path / "app" / "auth.py"
    auth.write_text("import time\n\n\n" + auth.read_text())
    proc = run_cli("check", "--baseline", "base.json", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0 and "1 baseline entry no longer match" in proc.stderr
    run_cli("check", "--write-baseline", "base.json", "--no-cache", cwd=tmp_path)
    assert len(json.loads((tmp_path / "base.json").read_text())["findings"]) == recorded - 1


@pytest.mark.parametrize("content", ["{not json", "[]", '{"tool": "ruff", "findings": []}', '{"tool": "importguard", "schema_version": 9, "findings": []}'])
def test_a_damaged_or_foreign_baseline_is_an_error(tmp_path, content):
    write_tree(tmp_path, {**LEGACY, "base.json": content})
    proc = run_cli("check", "--baseline", "base.json", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 2 and "base.json" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(not SCHEMA.exists(), reason="the SARIF schema is read from ../shared/data, absent here")
@pytest.mark.parametrize("rule", [None, *ALL_RULES], ids=lambda r: r.code if r else "example")
def test_sarif_validates_against_the_2_1_0_schema(tmp_path, rule):
    jsonschema = pytest.importorskip("jsonschema")
    if rule is None:
        root = Path(__file__).resolve().parents[1] / "examples" / "chat_service"
        proc = run_cli("check", ".", "--output-format", "sarif", "--no-cache", cwd=root)
    else:  # every rule firing: its own bad example, with every rule selected
        root = write_tree(tmp_path, {"pyproject.toml": "", **rule.bad})
        proc = run_cli("check", ".", "--format", "sarif", "--select", "ALL", "--exit-non-zero-on", "info", "--no-cache", cwd=root)
    assert proc.returncode == 1, proc.stderr
    document = json.loads(proc.stdout)
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["invocations"][0]["exitCode"] == 1
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["endLine"] >= region["startLine"] and result["partialFingerprints"]["importguard/v1"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("/")
    if rule is not None:
        assert {r["id"] for r in rules} == {r.code for r in ALL_RULES}
        assert rule.code in {r["ruleId"] for r in run["results"]}
        if rule.code in ("IG301", "IG202", "IG306"):
            assert any("codeFlows" in r for r in run["results"] if r["ruleId"] == rule.code)


TRICKY = {
    "pyproject.toml": "[project]\nname = 'tricky'\n",
    "we,ird:dir/mod%1.py": "x = 1\nprint(undefined_x)\n",
}


def test_github_annotations_escape_data_and_properties(tmp_path):
    write_tree(tmp_path, TRICKY)
    proc = run_cli("check", ".", "--format", "github", "--no-cache", cwd=tmp_path)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 1 and len(lines) == 1
    line = lines[0]
    assert line.startswith("::error file=we%2Cird%3Adir/mod%251.py,")
    assert ",line=2,col=7,endLine=2,endColumn=18,title=IG101 undefined-name::" in line
    assert "name `undefined_x` is not defined at module level%0Ahint: " in line


def test_github_escaping_rules():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_gitlab_code_quality_and_junit(tmp_path):
    write_tree(tmp_path, TRICKY)
    gitlab = json.loads(run_cli("check", ".", "--format", "gitlab", "--no-cache", cwd=tmp_path).stdout)
    (issue,) = gitlab
    assert issue["check_name"] == "IG101 undefined-name" and issue["severity"] == "major"
    assert issue["location"] == {"path": "we,ird:dir/mod%1.py", "lines": {"begin": 2, "end": 2}}
    assert len(issue["fingerprint"]) == 32 and issue["description"].startswith("IG101 name `undefined_x`")
    junit = ET.fromstring(run_cli("check", ".", "--format", "junit", "--no-cache", cwd=tmp_path).stdout)
    (case,) = junit.iter("testcase")
    assert case.get("classname") == "we,ird:dir/mod%1.py"
    assert case.find("failure").get("type") == "IG101"
    clean = write_tree(tmp_path / "clean", {"pyproject.toml": "", "ok.py": "x = 1\n"})
    passing = ET.fromstring(run_cli("check", ".", "--format", "junit", cwd=clean).stdout)
    assert [c.find("failure") for c in passing.iter("testcase")] == [None]


def test_statistics_in_text_and_json(tmp_path):
    write_tree(tmp_path, LEGACY)
    text = run_cli("check", "--statistics", "--no-cache", cwd=tmp_path)
    assert text.returncode == 1
    counted = findings(run_cli("check", "--format", "json", "--no-cache", cwd=tmp_path))
    assert text.stdout.splitlines()[0].split("\t") == ["1", "IG101", "[*] undefined-name"]
    rows = json.loads(run_cli("check", "--statistics", "--format", "json", "--no-cache", cwd=tmp_path).stdout)
    assert sum(r["count"] for r in rows) == len(counted) and {"code": "IG101", "name": "undefined-name", "count": 1, "fixable": True} in rows


def test_inventory_findings_do_not_fail_the_build_unless_asked(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": "", "util.py": "def now():\n    import time\n    return time.time()\n"})
    inventory = run_cli("check", "--select", "IG203", "--no-cache", cwd=tmp_path)
    assert inventory.returncode == 0 and "IG203" in inventory.stdout
    strict = run_cli("check", "--select", "IG203", "--exit-non-zero-on", "info", "--no-cache", cwd=tmp_path)
    assert strict.returncode == 1
