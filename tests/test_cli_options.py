"""The options users type, as ruff spells them; every test runs the real CLI in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli, write_tree

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
BUGGY = {"pyproject.toml": "", "app.py": "print(missing)\n"}


def codes(proc) -> list:
    assert proc.returncode in (0, 1), proc.stderr
    return [(f["code"], f["path"]) for f in json.loads(proc.stdout)["findings"]]


def test_committed_rule_docs_are_current(tmp_path):
    proc = run_cli("rules", "--format", "markdown", cwd=tmp_path)
    assert proc.returncode == 0
    assert DOCS.read_text(encoding="utf-8") == proc.stdout, "run `importguard rules --format markdown > docs/rules.md`"


def test_rules_as_json_and_rule_as_ruff_spells_it(tmp_path):
    rules = json.loads(run_cli("rules", "--format", "json", cwd=tmp_path).stdout)
    assert {"code": "IG203", "name": "function-local-import", "default": False, "severity": "info"}.items() <= rules[
        [r["code"] for r in rules].index("IG203")].items()
    assert run_cli("rule", "IG101", cwd=tmp_path).stdout == run_cli("explain", "IG101", cwd=tmp_path).stdout


@pytest.mark.parametrize("env, flag, coloured", [
    ({"NO_COLOR": "1"}, None, False),
    ({"FORCE_COLOR": "1"}, None, True),
    ({"NO_COLOR": "1"}, "always", True),
    ({"FORCE_COLOR": "1"}, "never", False),
])
def test_colour_options_and_environment(tmp_path, env, flag, coloured):
    write_tree(tmp_path, BUGGY)
    args = ["check", "--no-cache"] + (["--color", flag] if flag else [])
    proc = run_cli(*args, cwd=tmp_path, env={"NO_COLOR": "", "FORCE_COLOR": "", **env})
    assert ("\x1b[" in proc.stdout) is coloured


@pytest.mark.parametrize("table, expected", [
    ("selec = ['IG1']", "unknown key `selec` (did you mean `select`?)"),
    ("select = ['IG999']", "`select`: unknown rule code or prefix `IG999`"),
    ("src = ['nowhere']", "`src`: folder `nowhere` does not exist"),
    ("target-version = 'py3.14'", "`target-version` must be a Python version"),
])
def test_config_errors_name_the_file_and_key(tmp_path, table, expected):
    write_tree(tmp_path, {"pyproject.toml": f"[tool.importguard]\n{table}\n", "app.py": ""})
    proc = run_cli("check", cwd=tmp_path)
    assert proc.returncode == 2 and expected in proc.stderr and "pyproject.toml" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_usage_errors(tmp_path):
    write_tree(tmp_path, {**BUGGY, "other.toml": "[tool.ruff]\nline-length = 90\n", "pyproject2/pyproject.toml": "[project]\nname = 'x'\n"})
    empty = run_cli("check", "--select", "", cwd=tmp_path)
    assert empty.returncode == 2 and "--select needs at least one rule" in empty.stderr
    no_table = run_cli("check", "--config", "pyproject2/pyproject.toml", cwd=tmp_path)
    assert no_table.returncode == 2 and "no [tool.importguard] table" in no_table.stderr
    report = tmp_path / "reports" / "deep" / "out.json"
    written = run_cli("check", "--format", "json", "-o", str(report), "--no-cache", cwd=tmp_path)
    assert written.returncode == 1 and json.loads(report.read_text())["summary"]["findings"] == 1


def test_exclusion_options_and_explicit_files(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\nextend-exclude = ['legacy/']\n",
        ".gitignore": "generated.py\n",
        "legacy/old.py": "print(missing_old)\n",
        "generated.py": "print(missing_generated)\n",
        "app.py": "print(missing_app)\n",
    })
    assert codes(run_cli("check", "--format", "json", "--no-cache", cwd=tmp_path)) == [("IG101", "app.py")]
    # A file named explicitly is checked even when excluded, unless --force-exclude (pre-commit).
    assert codes(run_cli("check", "legacy/old.py", "--format", "json", "--no-cache", cwd=tmp_path)) == [("IG101", "legacy/old.py")]
    assert codes(run_cli("check", "legacy/old.py", "--force-exclude", "--format", "json", "--no-cache", cwd=tmp_path)) == []
    assert codes(run_cli("check", "--exclude", "app.py", "--format", "json", "--no-cache", cwd=tmp_path)) == [
        ("IG101", "legacy/old.py")]
    assert codes(run_cli("check", "--no-respect-gitignore", "--format", "json", "--no-cache", cwd=tmp_path)) == [
        ("IG101", "app.py"), ("IG101", "generated.py")]
    run_cli("check", "--cache-dir", str(tmp_path / "elsewhere"), cwd=tmp_path)
    assert (tmp_path / "elsewhere" / "CACHEDIR.TAG").exists() and not (tmp_path / ".importguard_cache").exists()


def test_standard_input_is_analysed_as_the_named_file_of_its_project(tmp_path):
    import subprocess
    import sys

    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\nignore = ['IG106']\n",
        "pkg/__init__.py": "",
        "pkg/models.py": "class User:\n    pass\n",
        "pkg/views.py": "x = 1\n",  # what is on disk does not matter: stdin is analysed
    })
    edited = b"from pkg.models import User, Group\n\n\ndef view(u: 'Nope'):\n    return missing_in_buffer\n"
    proc = subprocess.run(
        [sys.executable, "-m", "importguard", "check", "-", "--stdin-filename", "pkg/views.py", "--format", "json", "--no-cache"],
        input=edited, cwd=tmp_path, capture_output=True,
    )
    found = [(f["code"], f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"]]
    assert found == [("IG305", "pkg/views.py", 1), ("IG101", "pkg/views.py", 5)]  # IG106 ignored by the project config


def test_files_named_explicitly_are_python_whatever_their_name(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": "", "manage": "#!/usr/bin/env python\nprint(undefined_in_script)\n", "empty/README": "x"})
    assert codes(run_cli("check", "manage", "--format", "json", "--no-cache", cwd=tmp_path)) == [("IG101", "manage")]
    nothing = run_cli("check", "empty", cwd=tmp_path)
    assert nothing.returncode == 0 and "No Python files found" in nothing.stderr


@pytest.mark.parametrize("marked", [True, False])
def test_files_named_explicitly_that_are_not_python_are_skipped_with_a_warning(tmp_path, marked):
    """`importguard check *` or a pre-commit hook without `types: [python]` passes TOML and
    Markdown too: they are not parsed as Python (no IG101 on `[tool.importguard]`), but a script
    with a Python shebang is checked whatever its suffix."""
    write_tree(tmp_path, {
        **({"pyproject.toml": "[tool.importguard]\n"} if marked else {}),
        "README.md": "hello world\n", "notes.txt": "see also\n",
        "tool.cmd": "#!/usr/bin/env python3\nprint(undefined_in_tool)\n",
    })
    named = ["README.md", "notes.txt", "tool.cmd"] + (["pyproject.toml"] if marked else [])
    proc = run_cli("check", *named, "--format", "json", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1 and codes(proc) == [("IG101", "tool.cmd")]
    skipped = [line for line in proc.stderr.splitlines() if "not a Python file" in line]
    assert skipped == [f"importguard: warning: {name}: not a Python file, not checked" for name in sorted(named[:2] + named[3:])]
    alone = run_cli("check", "README.md", cwd=tmp_path)
    assert alone.returncode == 0 and "IG101" not in alone.stdout and "README.md: not a Python file" in alone.stderr


def test_every_finding_has_a_real_range(tmp_path):
    root = Path(__file__).resolve().parents[1] / "examples" / "chat_service"
    proc = run_cli("check", ".", "--format", "json", "--no-cache", cwd=root)
    lines = {}
    for finding in json.loads(proc.stdout)["findings"]:
        assert (finding["end_line"], finding["end_column"]) > (finding["line"], finding["column"]), finding
        lines[finding["code"]] = finding
    call = lines["IG202"]
    source = (root / call["path"]).read_text().splitlines()[call["line"] - 1]
    assert source[call["column"] - 1:call["end_column"] - 1] == "report_failure"  # the call itself
    assert all(hop["kind"] in ("import-time", None) for hop in lines["IG301"]["cycle"])


def test_long_lists_of_entries_are_capped():
    from importguard.rules.partial_import import listing

    assert listing(["a", "b"]) == "`a` or `b`"
    assert listing([f"m{i}" for i in range(40)]) == "`m0`, `m1`, `m2`, `m3`, `m4` or one of 35 more modules"


def test_suppressions_are_real_comments_and_unused_ones_are_reported(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "",
        "app.py": (
            "text = 'see # noqa'; print(missing_one)\n"
            "print(missing_two)  # noqa: IG101\n"
            "import time  # noqa: IG101\n"
            "print(missing_three)  # importguard: ignore[IG999]\n"
            "x = 1  # noqa: E501\n"
        ),
    })
    default = run_cli("check", "--format", "json", "--no-cache", cwd=tmp_path)
    assert [(f["code"], f["line"]) for f in json.loads(default.stdout)["findings"]] == [("IG101", 1), ("IG101", 4)]
    assert "app.py:4: unknown rule code `IG999` in a suppression" in default.stderr
    unused = run_cli("check", "--select", "IG003", "--format", "json", "--no-cache", cwd=tmp_path)
    assert [(f["code"], f["line"], f["name"]) for f in json.loads(unused.stdout)["findings"]] == [("IG003", 3, "IG101")]


def test_verbose_says_which_project_and_how_long(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": "[tool.importguard]\nignore = ['IG101']\n", **{k: v for k, v in BUGGY.items() if k != "pyproject.toml"}})
    proc = run_cli("check", "-v", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0
    assert f"importguard: {tmp_path} (project; config: {tmp_path / 'pyproject.toml'}): 1 files" in proc.stderr
    assert "facts" in proc.stderr and " s" in proc.stderr
