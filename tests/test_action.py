"""The GitHub Action: action.yml's inputs and steps, and its script run with the environment a
runner sets (GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, INPUT_*) on a fixture project."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict

import jsonschema
import yaml

from conftest import run_python, write_tree
from importguard import __version__
from importguard.run.cache import CACHE_FOLDER

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "action_run.sh"
SCHEMA = REPO.parent / "shared" / "data" / "sarif-schema-2.1.0.json"

ONE_BUG = {
    "pyproject.toml": "[project]\nname = 'demo'\n",
    "pkg/__init__.py": "",
    "pkg/mod.py": "def f():\n    return undefined_name\n",
}


def action() -> dict:
    return yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def run_step(step: str, workspace: Path, tmp_path: Path, **inputs: str) -> subprocess.CompletedProcess:
    """Run one step of the action as the runner does, with this interpreter's importguard on PATH
    (IMPORTGUARD_SKIP_INSTALL: no pip install in a test)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "importguard"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m importguard "$@"\n')
    shim.chmod(0o755)
    env: Dict[str, str] = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(REPO),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_PATH": str(tmp_path / "path"),
        "RUNNER_TEMP": str(tmp_path / "runner-temp"),
        "IMPORTGUARD_SKIP_INSTALL": "1",
        "PYTHONIOENCODING": "utf-8",
        **{f"INPUT_{name.upper()}": value for name, value in inputs.items()},
    }
    return subprocess.run(["bash", str(SCRIPT), step], cwd=tmp_path, env=env, capture_output=True, text=True)


def test_action_yml_declares_the_inputs_with_their_defaults():
    inputs = action()["inputs"]
    assert {name: spec["default"] for name, spec in inputs.items()} == {"version": "", "args": "check", "src": ".", "sarif-file": ""}
    assert not any(spec["required"] for spec in inputs.values())
    assert all(spec["description"] for spec in inputs.values())


def test_action_yml_installs_restores_the_cache_runs_the_script_and_saves_the_cache():
    runs = action()["runs"]
    assert runs["using"] == "composite"
    install, restore, check, save = runs["steps"]
    for step in (install, check):
        assert step["shell"] == "bash" and '"$GITHUB_ACTION_PATH/scripts/action_run.sh"' in step["run"]
    assert install["run"].endswith(" install") and install["env"] == {"INPUT_VERSION": "${{ inputs.version }}"}
    assert check["run"].endswith(" check")
    assert {name: check["env"][name] for name in ("INPUT_ARGS", "INPUT_SRC", "INPUT_SARIF_FILE")} == {
        "INPUT_ARGS": "${{ inputs.args }}", "INPUT_SRC": "${{ inputs.src }}", "INPUT_SARIF_FILE": "${{ inputs.sarif-file }}",
    }
    # The cache: keyed on the installed version and the config, saved even when findings fail the step.
    assert restore["uses"].startswith("actions/cache/restore@") and save["uses"].startswith("actions/cache/save@")
    assert restore["with"]["path"] == save["with"]["path"] == f"**/{CACHE_FOLDER}"
    key = restore["with"]["key"]
    assert "${{ steps.install.outputs.version }}" in key and "hashFiles('**/pyproject.toml')" in key
    assert key.startswith(restore["with"]["restore-keys"])
    assert save["with"]["key"] == "${{ steps.cache.outputs.cache-primary-key }}"
    assert save["if"].startswith("always()") and "steps.cache.outputs.cache-hit != 'true'" in save["if"]


def test_readme_workflow_passes_only_declared_inputs_and_uploads_the_sarif_it_asks_for():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("### GitHub Action\n", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    steps = yaml.safe_load(block)["jobs"]["importguard"]["steps"]
    [ours] = [step for step in steps if step.get("uses", "").startswith("importguard/importguard@")]
    assert set(ours["with"]) <= set(action()["inputs"])
    [upload] = [step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]


def test_install_step_reports_the_version_for_the_cache_key(tmp_path):
    proc = run_step("install", tmp_path, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "output").read_text() == f"version={__version__}\n"
    assert not (tmp_path / "path").exists()  # nothing installed, PATH left alone


def test_check_step_annotates_summarises_and_writes_sarif_for_one_undefined_name(tmp_path):
    workspace = write_tree(tmp_path / "workspace", ONE_BUG)
    runtime = run_python("from pkg.mod import f; f()", cwd=workspace)
    assert "NameError: name 'undefined_name' is not defined" in runtime.stderr
    proc = run_step("check", workspace, tmp_path, sarif_file="reports/importguard.sarif")
    assert proc.returncode == 1, proc.stderr
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1
    assert annotations[0].startswith("::error file=pkg/mod.py,line=2,col=12,") and "title=IG101 undefined-name::" in annotations[0]
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## importguard\n")
    assert "pkg/mod.py:2:12: IG101 name `undefined_name` is not defined in `f()`" in summary
    assert "Found 1 finding (IG101: 1)" in summary
    sarif = json.loads((workspace / "reports" / "importguard.sarif").read_text(encoding="utf-8"))
    [result] = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert (result["ruleId"], location["artifactLocation"]["uri"], location["region"]["startLine"]) == ("IG101", "pkg/mod.py", 2)
    if SCHEMA.exists():
        jsonschema.validate(sarif, json.loads(SCHEMA.read_text(encoding="utf-8")))
    # What actions/cache saves is there.
    assert (workspace / CACHE_FOLDER).is_dir()


def test_check_step_on_a_clean_tree_passes_with_args_and_src_split_on_whitespace(tmp_path):
    workspace = write_tree(tmp_path / "workspace", {**ONE_BUG, "pkg/mod.py": "def f():\n    return 1\n", "other/__init__.py": ""})
    proc = run_step("check", workspace, tmp_path, args="check --select IG1", src="pkg other")
    assert proc.returncode == 0, proc.stderr
    assert "::" not in proc.stdout
    assert "No findings; 3 files checked." in (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert not (workspace / "reports").exists()


def test_check_step_fails_with_the_tools_usage_error(tmp_path):
    workspace = write_tree(tmp_path / "workspace", ONE_BUG)
    proc = run_step("check", workspace, tmp_path, args="check --select NOPE", sarif_file="out.sarif")
    assert proc.returncode == 2
    assert "unknown rule code or prefix `NOPE`" in proc.stderr
    assert "unknown rule code or prefix `NOPE`" in (tmp_path / "summary.md").read_text(encoding="utf-8")
