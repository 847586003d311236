"""ruff's command-line habits (issue 22, item 3): `--output-file`, `-V`, `-q`/`-qq`/`--silent`,
`--output-format concise|full`, `--statistics` in the chosen format, `rules` with severities,
`explain` and the configuration on peers' codes (`F821`)."""

from __future__ import annotations

import json

import pytest

from importguard import __version__
from conftest import run_cli, run_python, write_tree

PLAIN = {"NO_COLOR": "1"}
# `time` is imported in `connect()` only (IG101, fixable); `ñame_missing` is bound nowhere; the
# reported line is indented with a tab, so the carets must follow the expanded tab.
AUTH = {
    "pyproject.toml": "[project]\nname = 'demo'\n",
    "app/__init__.py": "",
    "app/auth.py": "def connect():\n    import time\n    return time.time()\n\n\n"
                   "def expired(token):\n\treturn token < time.time() or ñame_missing\n",
}
TIME = "app/auth.py:7:17: IG101 [*] name `time` is not defined in `expired()`"
MISSING = "app/auth.py:7:32: IG101 name `ñame_missing` is not defined in `expired()`"
SUMMARY = "Found 2 findings (IG101: 2); 2 files checked.\n[*] 1 fixable with `--fix`.\n"


def test_the_fixture_fails_at_run_time_as_reported(tmp_path):
    write_tree(tmp_path, AUTH)
    ran = run_python("from app.auth import expired\nexpired(0)\n", cwd=tmp_path)
    assert ran.returncode == 1 and "NameError: name 'time' is not defined" in ran.stderr


def test_output_file_is_an_alias_of_o(tmp_path):
    write_tree(tmp_path, AUTH)
    result = run_cli("check", "--output-file", "out/report.json", "--output-format", "json", "--no-cache", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [(f["code"], f["line"], f["column"]) for f in report["findings"]] == [("IG101", 7, 17), ("IG101", 7, 32)]


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_flags(tmp_path, flag):
    result = run_cli(flag, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"importguard, version {__version__}\n", "")


def test_quiet_prints_the_findings_without_the_summary(tmp_path):
    write_tree(tmp_path, AUTH)
    result = run_cli("check", "-q", "--output-format", "concise", "--no-cache", cwd=tmp_path, env=PLAIN)
    assert (result.returncode, result.stdout, result.stderr) == (1, f"{TIME}\n{MISSING}\n", "")


@pytest.mark.parametrize("flag", ["-qq", "--silent"])
def test_silent_prints_nothing_and_keeps_the_exit_code(tmp_path, flag):
    write_tree(tmp_path, AUTH)
    failing = run_cli("check", flag, "--no-cache", cwd=tmp_path)
    assert (failing.returncode, failing.stdout, failing.stderr) == (1, "", "")
    statistics = run_cli("check", flag, "--statistics", "--no-cache", cwd=tmp_path)
    assert (statistics.returncode, statistics.stdout, statistics.stderr) == (1, "", "")
    # A report file is not standard output: it is still written.
    to_file = run_cli("check", flag, "-o", "report.json", "--output-format", "json", "--no-cache", cwd=tmp_path)
    assert (to_file.returncode, to_file.stdout) == (1, "")
    assert len(json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["findings"]) == 2
    write_tree(tmp_path, {"app/auth.py": "def expired(token):\n    return token < 0\n", "empty/README": ""})
    clean = run_cli("check", flag, "--no-cache", cwd=tmp_path)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    # Warnings go, errors stay.
    nothing = run_cli("check", "empty", flag, "--no-cache", cwd=tmp_path)
    assert (nothing.returncode, nothing.stdout, nothing.stderr) == (0, "", "")
    missing = run_cli("check", "nowhere", flag, cwd=tmp_path)
    assert (missing.returncode, missing.stdout, missing.stderr) == (2, "", "importguard: error: path not found: nowhere\n")


def test_concise_is_one_line_per_finding(tmp_path):
    write_tree(tmp_path, AUTH)
    result = run_cli("check", "--output-format", "concise", "--no-cache", cwd=tmp_path, env=PLAIN)
    assert (result.returncode, result.stdout) == (1, f"{TIME}\n{MISSING}\n{SUMMARY}")


def test_full_shows_the_source_line_with_carets_under_the_range(tmp_path):
    write_tree(tmp_path, AUTH)
    result = run_cli("check", "--output-format", "full", "--no-cache", cwd=tmp_path, env=PLAIN)
    assert result.returncode == 1
    assert result.stdout == (
        f"{TIME}\n"
        "  |\n"
        "7 |     return token < time.time() or ñame_missing\n"
        "  |                    ^^^^\n"
        "  |\n"
        "    hint: `time` is imported only inside `connect()` (line 2); import it at module level\n"
        "    app/auth.py:2: `import time` binds `time` here inside `connect()`\n"
        "\n"
        f"{MISSING}\n"
        "  |\n"
        "7 |     return token < time.time() or ñame_missing\n"
        "  |                                   ^^^^^^^^^^^^\n"
        "  |\n"
        "    hint: no enclosing scope, import or builtin binds `ñame_missing`\n"
        "\n"
        f"{SUMMARY}"
    )


def test_text_stays_the_default_and_format_is_still_accepted(tmp_path):
    write_tree(tmp_path, AUTH)
    default = run_cli("check", "--no-cache", cwd=tmp_path, env=PLAIN)
    assert default.stdout == run_cli("check", "--format", "text", "--no-cache", cwd=tmp_path, env=PLAIN).stdout
    assert default.stdout.startswith(f"{TIME}\n    hint: ") and default.stdout.endswith(SUMMARY)


def test_statistics_follow_the_output_format(tmp_path):
    write_tree(tmp_path, AUTH)
    text = run_cli("check", "--statistics", "--output-format", "concise", "--no-cache", cwd=tmp_path)
    assert (text.returncode, text.stdout) == (1, "2\tIG101\t[*] undefined-name\n")
    as_json = run_cli("check", "--statistics", "--output-format", "json", "--no-cache", cwd=tmp_path)
    assert (as_json.returncode, json.loads(as_json.stdout)) == (
        1, [{"code": "IG101", "name": "undefined-name", "count": 2, "fixable": True}],
    )
    sarif = run_cli("check", "--statistics", "--output-format", "sarif", "--no-cache", cwd=tmp_path)
    assert (sarif.returncode, sarif.stdout, sarif.stderr) == (
        2, "", "importguard: error: --statistics prints text or json, not `sarif`\n",
    )


def test_statistics_with_fix_still_say_what_was_fixed(tmp_path):
    write_tree(tmp_path, AUTH)
    text = run_cli("check", "--statistics", "--fix", "--no-cache", cwd=tmp_path)
    assert (text.returncode, text.stdout) == (1, "1\tIG101\tundefined-name\nFixed 1 finding.\n")
    assert "import time" in (tmp_path / "app" / "auth.py").read_text(encoding="utf-8").splitlines()[0]
    write_tree(tmp_path, AUTH)
    as_json = run_cli("check", "--statistics", "--fix", "--output-format", "json", "--no-cache", cwd=tmp_path)
    assert json.loads(as_json.stdout) == [{"code": "IG101", "name": "undefined-name", "count": 1, "fixable": False}]
    assert (as_json.returncode, as_json.stderr) == (1, "Fixed 1 finding.\n")


def test_rules_lists_severity_and_default(tmp_path):
    result = run_cli("rules", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and lines[0].split() == ["code", "name", "severity", "default", "summary"]
    rows = {line.split()[0]: line.split()[1:4] for line in lines[1:]}
    assert rows["IG301"] == ["import-cycle", "error", "on"]
    assert rows["IG203"] == ["function-local-import", "info", "off"]
    assert rows["IG106"] == ["undefined-annotation-name", "warning", "on"]


def test_explain_a_peer_code_names_the_rules_it_silences(tmp_path):
    result = run_cli("explain", "f821", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "F821 is pyflakes' and ruff's `undefined-name`, not an importguard rule; `# noqa: F821` also silences:\n"
        "  IG101  undefined-name             a name is used where no enclosing scope, the module or builtins binds it\n"
        "  IG106  undefined-annotation-name  a name used only in an unevaluated annotation is not defined\n"
        "In configuration name importguard's codes (`ignore = [\"IG101\", \"IG106\"]`); "
        "`importguard explain IG101` tells more.\n"
    )
    unknown = run_cli("explain", "F401", cwd=tmp_path)
    assert (unknown.returncode, unknown.stderr) == (2, "importguard: error: unknown rule `F401` (see `importguard rules`)\n")


PEER_IN_CONFIG = "is a pyflakes/ruff code: importguard accepts it in `# noqa` comments but not in configuration"


@pytest.mark.parametrize(("setting", "message"), [
    ('ignore = ["F821"]', f"`ignore`: `F821` {PEER_IN_CONFIG} (use `IG101`, `IG106`)"),
    ('extend-select = ["f823"]', f"`extend-select`: `F823` {PEER_IN_CONFIG} (use `IG102`)"),
    ('per-file-ignores = { "tests/*" = ["F822"] }', f"`per-file-ignores`: `tests/*`: `F822` {PEER_IN_CONFIG} (use `IG104`)"),
])
def test_peer_codes_in_configuration_are_explained(tmp_path, setting, message):
    write_tree(tmp_path, {**AUTH, "pyproject.toml": f"[project]\nname = 'demo'\n\n[tool.importguard]\n{setting}\n"})
    result = run_cli("check", "--no-cache", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"importguard: error: {tmp_path / 'pyproject.toml'}: [tool.importguard]: {message}\n"


def test_peer_code_on_the_command_line_is_explained(tmp_path):
    write_tree(tmp_path, AUTH)
    result = run_cli("check", "--ignore", "F821", "--no-cache", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, f"importguard: error: `F821` {PEER_IN_CONFIG} (use `IG101`, `IG106`)\n")


def test_stdin_with_fix_prints_the_fixed_source_and_leaves_the_file_alone(tmp_path):
    """As editor integrations need: the fixed source on stdout, the report on stderr."""
    import subprocess
    import sys

    source = "import json\n\n\ndef a():\n    import time\n    return time.time()\n\n\ndef b():\n    return time.time()\n"
    write_tree(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n", "pkg/__init__.py": "", "pkg/mod.py": source})
    proc = subprocess.run(
        [sys.executable, "-m", "importguard", "check", "-", "--stdin-filename", "pkg/mod.py", "--fix", "--no-cache"],
        input=source, cwd=tmp_path, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == source.replace("import json\n", "import json\nimport time\n", 1)
    assert "Fixed 1 finding." in proc.stderr and "No findings" in proc.stderr
    assert (tmp_path / "pkg/mod.py").read_text() == source
    fixed = tmp_path / "fixed.py"
    fixed.write_text(proc.stdout)
    assert run_python("import fixed; fixed.b()", cwd=tmp_path).returncode == 0
    assert "NameError" in run_python("from pkg import mod; mod.b()", cwd=tmp_path).stderr
