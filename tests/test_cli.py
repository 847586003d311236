"""The command line as users run it: real subprocesses, exit codes, output formats, bad input."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest

from conftest import run_cli, write_tree

CYCLE = {
    "pyproject.toml": "[project]\nname = 'demo'\n",
    "chat/__init__.py": "",
    "chat/routes.py": "from chat.state import connections\n\n\ndef route():\n    return connections\n",
    "chat/state.py": "import chat.routes\n\nconnections = []\n",
    "chat/clean.py": "import json\n",
}

FINDING_SCHEMA = {
    "type": "object",
    "required": ["code", "rule", "severity", "path", "line", "column", "end_line", "end_column",
                 "module", "name", "message", "hint", "related", "cycle"],
    "properties": {
        "code": {"type": "string", "pattern": "^IG[0-9]{3}$"},
        "rule": {"type": "string"}, "severity": {"enum": ["error", "warning"]},
        "path": {"type": "string"}, "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1}, "end_line": {"type": "integer"},
        "end_column": {"type": "integer"}, "module": {"type": ["string", "null"]},
        "name": {"type": ["string", "null"]}, "message": {"type": "string"},
        "hint": {"type": ["string", "null"]},
        "related": {"type": "array", "items": {"type": "object", "required": ["path", "line", "message"]}},
        "cycle": {"type": ["array", "null"], "items": {
            "type": "object", "required": ["module", "path", "line", "import"],
            "properties": {"module": {"type": "string"}, "line": {"type": ["integer", "null"]},
                           "path": {"type": ["string", "null"]}, "import": {"type": ["string", "null"]}}}},
    },
}
DOCUMENT_SCHEMA = {
    "type": "object",
    "required": ["tool", "version", "schema_version", "findings", "summary"],
    "properties": {
        "tool": {"const": "importguard"}, "version": {"type": "string"}, "schema_version": {"const": 1},
        "findings": {"type": "array", "items": FINDING_SCHEMA},
        "summary": {"type": "object", "required": ["files", "modules", "findings", "by_code"],
                    "properties": {"files": {"type": "integer"}, "modules": {"type": "integer"},
                                   "findings": {"type": "integer"}, "by_code": {"type": "object"}}},
    },
}


def test_cycle_is_reported_with_every_hop_and_exit_code_1(tmp_path):
    write_tree(tmp_path, CYCLE)
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "chat/routes.py:1:1: IG301 import cycle: `chat.routes` -> `chat.state` -> `chat.routes`"
    assert "chat.routes  chat/routes.py:1  from chat.state import connections  [import-time]" in result.stdout
    assert "chat.state  chat/state.py:1  import chat.routes  [import-time]" in result.stdout
    # Entered from `chat.state`, the cycle really fails (IG306, see test_partial_import.py).
    assert lines[-1] == "Found 2 findings (IG301: 1, IG306: 1); 4 files checked."
    assert "\x1b[" not in result.stdout  # no colour when not on a terminal


def test_json_output_matches_schema_version_1(tmp_path):
    write_tree(tmp_path, CYCLE)
    result = run_cli("check", "--format", "json", cwd=tmp_path)
    document = json.loads(result.stdout)
    jsonschema.validate(document, DOCUMENT_SCHEMA)
    finding, partial = document["findings"]
    assert (finding["code"], finding["path"], finding["line"], finding["name"]) == ("IG301", "chat/routes.py", 1, None)
    assert (partial["code"], partial["path"], partial["line"], partial["name"]) == ("IG306", "chat/routes.py", 1, "connections")
    assert [h["module"] for h in finding["cycle"]] == ["chat.routes", "chat.state", "chat.routes"]
    assert finding["cycle"][1] == {
        "module": "chat.state", "path": "chat/state.py", "line": 1, "import": "import chat.routes", "kind": "import-time",
    }
    assert document["summary"] == {"files": 4, "modules": 4, "findings": 2, "by_code": {"IG301": 1, "IG306": 1}}


def test_clean_project_exits_0(tmp_path):
    write_tree(tmp_path, {"app.py": "import json\n"})
    result = run_cli("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "No findings; 1 file checked.")


def test_exit_zero_output_file_select_and_ignore(tmp_path):
    write_tree(tmp_path, CYCLE)
    assert run_cli("check", "--exit-zero", cwd=tmp_path).returncode == 0
    assert run_cli("check", "--ignore", "IG3", cwd=tmp_path).returncode == 0
    assert run_cli("check", "--select", "IG2", cwd=tmp_path).returncode == 0
    result = run_cli("check", "--select", "IG301", "-o", "report.json", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["findings"] == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "missing_dir"], "path not found: missing_dir"),
        (["check", "--select", "XX9"], "unknown rule code or prefix `XX9`"),
        (["explain", "IG999"], "unknown rule `IG999`"),
    ],
)
def test_usage_errors_exit_2_without_traceback(tmp_path, args, message):
    write_tree(tmp_path, {"app.py": "import json\n"})
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_bad_config_names_every_bad_key_and_exits_2(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\nselect = 'IG1'\ncolour = true\nsrc = ['src']\n",
        "app.py": "import json\n",
    })
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "pyproject.toml" in result.stderr and "unknown key `colour`" in result.stderr and "`select` must be" in result.stderr


def test_broken_files_are_findings_and_the_run_goes_on(tmp_path):
    write_tree(tmp_path, {
        **CYCLE,
        "chat/broken.py": "def handler(:\n    pass\n",
        "chat/nul.py": b"x = 1\x00\n",
        "chat/latin.py": b"name = 'caf\xe9'\n",
    })
    result = run_cli("check", "--format", "json", cwd=tmp_path)
    found = {(f["code"], f["path"], f["line"]) for f in json.loads(result.stdout)["findings"]}
    assert found == {
        ("IG001", "chat/broken.py", 1), ("IG002", "chat/nul.py", 1), ("IG002", "chat/latin.py", 1),
        ("IG301", "chat/routes.py", 1), ("IG306", "chat/routes.py", 1),
    }
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_syntax_error_message_and_position_are_python_s(tmp_path):
    write_tree(tmp_path, {"app.py": "x = (\n"})
    with pytest.raises(SyntaxError) as python:
        compile("x = (\n", "app.py", "exec")  # the running Python's own words (they vary by version)
    result = run_cli("check", ".", cwd=tmp_path)
    expected = f"app.py:{python.value.lineno}:{python.value.offset}: IG001 syntax error: {python.value.msg}"
    assert expected in result.stdout


def test_inline_suppressions_skip_file_and_per_file_ignores(tmp_path):
    handler = "try:\n    pass\nexcept Exception:\n    import ujson{comment}\n"
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\nper-file-ignores = {'legacy/*.py' = ['IG201']}\n",
        "a.py": handler.format(comment="  # importguard: ignore[IG201]"),
        "b.py": handler.format(comment="  # noqa: IG201"),
        "c.py": "# importguard: skip-file\n" + handler.format(comment=""),
        "legacy/d.py": handler.format(comment=""),
        "e.py": handler.format(comment="  # importguard: ignore[IG301]"),
    })
    result = run_cli("check", "--format", "json", cwd=tmp_path)
    assert [(f["code"], f["path"]) for f in json.loads(result.stdout)["findings"]] == [("IG201", "e.py")]


def test_files_inside_a_project_report_only_findings_touching_them(tmp_path):
    write_tree(tmp_path, CYCLE)
    touching = run_cli("check", "chat/state.py", cwd=tmp_path)
    assert touching.returncode == 1 and "IG301" in touching.stdout
    untouched = run_cli("check", "chat/clean.py", cwd=tmp_path)
    assert untouched.returncode == 0, untouched.stdout


def test_rules_and_explain(tmp_path):
    listing = run_cli("rules", cwd=tmp_path).stdout
    assert "IG301  import-cycle" in listing and "IG203  function-local-import" in listing
    explained = run_cli("explain", "ig201", cwd=tmp_path)
    assert explained.returncode == 0 and "except ImportError:" in explained.stdout and "Why:" in explained.stdout


def test_symlink_loop_terminates_and_files_are_checked_once(tmp_path):
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "import json\n"})
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "loop")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 0 and "2 files checked" in result.stdout


def test_gitignored_and_virtualenv_folders_are_skipped(tmp_path):
    cyclic = {"a.py": "import b\n", "b.py": "import a\n"}
    write_tree(tmp_path, {
        ".gitignore": "generated/\n",
        **{f"generated/{k}": v for k, v in cyclic.items()},
        **{f"env/lib/{k}": v for k, v in cyclic.items()},
        "env/pyvenv.cfg": "home = /usr\n",
        **{f"build/{k}": v for k, v in cyclic.items()},
        "app.py": "import json\n",
    })
    result = run_cli("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "No findings; 1 file checked.")


def test_nested_gitignores_and_virtualenvs_deep_in_the_tree_are_honoured(tmp_path):
    """The walk learns which folders hold ignore files from their listing: a `.gitignore` or a
    virtualenv several folders down still counts, and a virtualenv named explicitly is checked."""
    cyclic = {"a.py": "import b\n", "b.py": "import a\n"}
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\n",
        "src/pkg/__init__.py": "", "src/pkg/app.py": "import json\n",
        "src/pkg/deep/.gitignore": "scratch/\n",
        **{f"src/pkg/deep/scratch/{k}": v for k, v in cyclic.items()},
        "src/pkg/tools/venv/pyvenv.cfg": "home = /usr\n",
        **{f"src/pkg/tools/venv/lib/{k}": v for k, v in cyclic.items()},
    })
    result = run_cli("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "No findings; 2 files checked.")
    named = run_cli("check", "src/pkg/tools/venv", cwd=tmp_path)
    assert (named.returncode, named.stdout.strip()) == (0, "No findings; 2 files checked.")


def test_a_folder_named_explicitly_is_checked_even_when_excluded(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\nextend-exclude = ['examples/']\n",
        ".gitignore": "vendored/\n",
        "examples/demo/a.py": "import b\n", "examples/demo/b.py": "import a\n",
        "vendored/c.py": "import json\n",
    })
    assert "0 files checked" in run_cli("check", ".", cwd=tmp_path).stdout
    result = run_cli("check", "examples/demo", cwd=tmp_path)
    assert result.returncode == 1 and "IG301 import cycle: `a` -> `b` -> `a`" in result.stdout
    assert "1 file checked" in run_cli("check", "vendored", cwd=tmp_path).stdout


def test_findings_are_identical_with_one_and_two_worker_processes(tmp_path):
    files = {f"pkg/m{i:03d}.py": f"import pkg.m{(i + 1) % 80:03d}\n" for i in range(80)}
    files["pkg/__init__.py"] = ""
    files["pkg/handler.py"] = "try:\n    pass\nexcept Exception:\n    import ujson\n"
    write_tree(tmp_path, files)
    one = run_cli("check", "--format", "json", "--jobs", "1", cwd=tmp_path)
    two = run_cli("check", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert one.returncode == two.returncode == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert json.loads(one.stdout)["summary"]["by_code"] == {"IG201": 1, "IG301": 1}
