"""Adding a rule touches one file: a record appended to a family module of a copy of importguard
shows up in `rules`, `explain`, the rules' docs, peer `# noqa` handling, masking, fixes and
`trace`, with no other edit (the checklist is "Adding a rule" in CONTRIBUTING.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_cli, write_tree

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "importguard"

# The whole edit: one record (and its check and planner) at the end of rules/modules.py.
GHOST_RULE = '''

from importguard.rules.base import Peer
from importguard.rules.fixes.model import SAFE, Fix, alias_keys


def check_ghost_import(project):
    for source in project.files:
        for fact in source.facts.imports:
            if fact.kind == "import" and fact.module == "ghost":
                yield GHOST_IMPORT.finding(
                    path=source.display, line=fact.line, column=fact.column, name="ghost",
                    module=source.module.name if source.module else None,
                    message="`import ghost` imports a module nothing provides", hint="remove it",
                    import_time=fact.edge_kind == "import-time",
                )


def plan_ghost_import(finding, source, context):
    fact = next(f for f in source.facts.imports if f.line == finding.line and f.module == "ghost")
    return Fix(source.display, SAFE, "remove `import ghost`", removals=((fact.line, alias_keys(fact)),))


GHOST_IMPORT = Rule(
    code="IG999", name="ghost-import", default=True,
    summary="an import of `ghost`, a module nothing provides",
    rationale="Nothing provides `ghost`, so importing it raises `ModuleNotFoundError`; this rule exists in a test only.",
    bad={"app.py": "import ghost\\n"}, bad_findings=(("app.py", 1),), good={"app.py": "import json\\n"},
    check=check_ghost_import, fix="safe", planner=plan_ghost_import, fixed={"app.py": "pass\\n"},
    scope="file", peers=(Peer("X999", "ghost-module"),), stops_module=True,
    causes=(Cause(runtime_errors.NO_MODULE, 0),),
)
RULES.append(GHOST_IMPORT)
'''

PROJECT = {
    "pyproject.toml": "[tool.importguard]\n",
    "app/__init__.py": "",
    "app/main.py": "import ghost\n\nprint(missing)\n",
    "app/quiet.py": "import ghost  # noqa: X999\n",
}


@pytest.fixture(scope="module")
def with_ghost_rule(tmp_path_factory) -> dict:
    """Environment variables that run a copy of importguard whose only change is the new record."""
    copy = tmp_path_factory.mktemp("copy") / "importguard"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "rules" / "modules.py").open("a", encoding="utf-8") as family:
        family.write(GHOST_RULE)
    return {"PYTHONPATH": str(copy.parent)}


def test_the_new_rule_is_listed_explained_and_documented(with_ghost_rule, tmp_path):
    listed = run_cli("rules", cwd=tmp_path, env=with_ghost_rule)
    assert "IG999" in listed.stdout and "ghost-import" in listed.stdout, listed.stderr
    explained = run_cli("explain", "IG999", cwd=tmp_path, env=with_ghost_rule)
    assert explained.returncode == 0
    assert "What it does: an import of `ghost`, a module nothing provides" in explained.stdout
    assert "fix: safe" in explained.stdout
    peer = run_cli("explain", "X999", cwd=tmp_path, env=with_ghost_rule)
    assert "X999 is pyflakes' and ruff's `ghost-module`" in peer.stdout and "IG999" in peer.stdout
    markdown = run_cli("rules", "--format", "markdown", cwd=tmp_path, env=with_ghost_rule).stdout
    assert "## IG999 ghost-import" in markdown and "`# noqa: X999` for pyflakes/ruff counts too" in markdown


def test_the_new_rule_reports_masks_honours_its_peer_code_and_offers_its_fix(with_ghost_rule, tmp_path):
    write_tree(tmp_path, PROJECT)
    result = run_cli("check", "app", "--format", "json", cwd=tmp_path, env=with_ghost_rule)
    assert result.returncode == 1, result.stderr
    findings = {(f["code"], f["path"], f["line"]): f for f in json.loads(result.stdout)["findings"]}
    assert sorted(findings) == [("IG101", "app/main.py", 3), ("IG999", "app/main.py", 1)]  # quiet.py: `# noqa: X999`
    assert findings[("IG999", "app/main.py", 1)]["fix"] == {"applicability": "safe", "message": "remove `import ghost`"}
    masked = "masked for now: importing this module already fails at line 1 (IG999)"
    assert masked in findings[("IG101", "app/main.py", 3)]["hint"]
    refused = run_cli("check", "app", "--select", "X999", cwd=tmp_path, env=with_ghost_rule)
    assert refused.returncode == 2 and "(use `IG999`)" in refused.stderr


def test_the_new_rule_is_fixed_and_traced(with_ghost_rule, tmp_path):
    write_tree(tmp_path, PROJECT)
    (tmp_path / "service.log").write_text("ModuleNotFoundError: No module named 'ghost'\n", encoding="utf-8")
    traced = run_cli("trace", "service.log", "app", cwd=tmp_path, env=with_ghost_rule)
    assert "app/main.py:1:1: IG999 `import ghost` imports a module nothing provides" in traced.stdout, traced.stderr
    fixed = run_cli("check", "app", "--select", "IG999", "--fix", cwd=tmp_path, env=with_ghost_rule)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (tmp_path / "app" / "main.py").read_text(encoding="utf-8") == "pass\n\nprint(missing)\n"
    assert (tmp_path / "app" / "quiet.py").read_text(encoding="utf-8") == PROJECT["app/quiet.py"]
