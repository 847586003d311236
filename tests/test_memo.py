"""The whole-project memo: an unchanged project's findings come back without building the project
model (networkx is not even imported), and any change that could alter them is seen."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli, write_tree
from importguard.run.cache import CACHE_FOLDER
from importguard.run.memo import FORMAT

TREE = {
    "pyproject.toml": "",
    "chat/__init__.py": "",
    "chat/routes.py": "from chat.state import connections\n\n\ndef route():\n    return time.time()\n",
    "chat/state.py": "connections = []\n\nimport chat.routes\n",
    "chat/util.py": "def helper():\n    return 1\n",
}


def check(tmp_path: Path, *options: str) -> tuple:
    """(findings as JSON, the phases `-v` reports) of one CLI run."""
    result = run_cli("check", ".", "--format", "json", "--exit-zero", "-v", *options, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    phases = result.stderr.rsplit("; ", 1)[-1]
    return json.loads(result.stdout)["findings"], phases


def codes(findings: list) -> list:
    return sorted((f["code"], f["path"], f["line"]) for f in findings)


def memo_files(tmp_path: Path) -> list:
    return sorted((tmp_path / CACHE_FOLDER / FORMAT).glob("*.json"))


def test_an_unchanged_project_is_answered_from_the_memo(tmp_path):
    write_tree(tmp_path, TREE)
    cold, cold_phases = check(tmp_path)
    warm, warm_phases = check(tmp_path)
    assert "project" in cold_phases and "rules" in cold_phases
    assert "project" not in warm_phases and "rules" not in warm_phases and "memo" in warm_phases
    assert warm == cold
    assert codes(cold) == [("IG101", "chat/routes.py", 5), ("IG301", "chat/routes.py", 1)]
    assert len(memo_files(tmp_path)) == 1
    uncached, _ = check(tmp_path, "--no-cache")
    assert uncached == cold


def test_a_memo_hit_never_imports_networkx_or_builds_the_project(tmp_path):
    write_tree(tmp_path, TREE)
    check(tmp_path)
    probe = (
        "import sys\nfrom importguard.cli import main\n"
        "try:\n    main(['check', '.', '-q'])\nexcept SystemExit as exit:\n    code = exit.code\n"
        "print('networkx' in sys.modules, code, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.stderr.strip().splitlines()[-1] == "False 1"
    assert "IG101" in result.stdout


@pytest.mark.parametrize("change", ["edit", "fix", "delete", "new file", "gitignore", "config", "option"])
def test_every_change_that_can_alter_findings_is_a_miss(tmp_path, change):
    write_tree(tmp_path, TREE)
    check(tmp_path)
    routes = tmp_path / "chat/routes.py"
    options: tuple = ()
    if change == "edit":  # same size, same mtime second: the facts key still differs
        text = routes.read_text().replace("time.time()", "time.tame()")
        routes.write_text(text)
        expected = [("IG101", "chat/routes.py", 5), ("IG301", "chat/routes.py", 1)]
    elif change == "fix":
        routes.write_text("import time\n" + routes.read_text())
        expected = [("IG301", "chat/routes.py", 2)]
    elif change == "delete":
        (tmp_path / "chat/state.py").unlink()
        expected = [("IG101", "chat/routes.py", 5), ("IG304", "chat/routes.py", 1)]
    elif change == "new file":
        (tmp_path / "chat/extra.py").write_text("print(undefined_here)\n")
        expected = [("IG101", "chat/extra.py", 1), ("IG101", "chat/routes.py", 5), ("IG301", "chat/routes.py", 1)]
    elif change == "gitignore":
        (tmp_path / ".gitignore").write_text("chat/routes.py\n")  # its cycle still touches state.py
        expected = [("IG301", "chat/routes.py", 1)]
    elif change == "config":
        (tmp_path / "pyproject.toml").write_text("[tool.importguard]\nignore = ['IG301']\n")
        expected = [("IG101", "chat/routes.py", 5)]
    else:
        options = ("--select", "IG301")
        expected = [("IG301", "chat/routes.py", 1)]
    found, phases = check(tmp_path, *options)
    assert codes(found) == expected
    assert "rules" in phases
    again, phases = check(tmp_path, *options)
    assert again == found and "rules" not in phases


@pytest.mark.parametrize("damage", ["garbage", "truncated", "pickle", "foreign key", "huge"])
def test_a_damaged_memo_is_a_miss_and_is_rewritten(tmp_path, damage):
    write_tree(tmp_path, TREE)
    expected, _ = check(tmp_path)
    [memo] = memo_files(tmp_path)
    text = memo.read_bytes()
    if damage == "garbage":
        memo.write_bytes(b"\x00\xff not json")
    elif damage == "truncated":
        memo.write_bytes(text[: len(text) // 2])
    elif damage == "pickle":  # a memo is JSON only: a pickle payload is never unpickled
        memo.write_bytes(b"\x80\x04\x95cos\nsystem\n(S'touch PWNED'\ntR.")
    elif damage == "foreign key":
        document = json.loads(text)
        document["key"] = "0" * 64
        document["findings"] = []
        memo.write_text(json.dumps(document))
    else:
        with memo.open("wb") as handle:  # sparse: 100 MB that must not be read whole
            handle.truncate(100 * 1024 * 1024)
    found, phases = check(tmp_path)
    assert found == expected and "rules" in phases
    assert not (tmp_path / "PWNED").exists()
    assert memo.stat().st_size < 1024 * 1024
    assert "rules" not in check(tmp_path)[1]  # rewritten: the next run is a hit



def test_an_edit_inside_a_function_body_reruns_the_file_rules_on_that_file_only(tmp_path):
    write_tree(tmp_path, TREE)
    check(tmp_path)
    util = tmp_path / "chat/util.py"
    util.write_text(util.read_text().replace("return 1", "return undefined_helper_value"))
    found, phases = check(tmp_path)
    assert "file rules on 1 changed" in phases and "project" not in phases
    assert ("IG101", "chat/util.py", 2) in codes(found)
    assert found == check(tmp_path, "--no-cache")[0]
    util.write_text(util.read_text().replace("undefined_helper_value", "1"))
    found, phases = check(tmp_path)
    assert "file rules on 1 changed" in phases
    assert codes(found) == [("IG101", "chat/routes.py", 5), ("IG301", "chat/routes.py", 1)]


@pytest.mark.parametrize("edit", ["moves lines", "new import", "new call", "noqa"])
def test_an_edit_that_changes_project_level_facts_is_a_full_run(tmp_path, edit):
    write_tree(tmp_path, TREE)
    check(tmp_path)
    util = tmp_path / "chat/util.py"
    new = {
        "moves lines": "\ndef helper():\n    return 1\n",
        "new import": "def helper():\n    import chat.state\n",
        "new call": "def helper():\n    return helper()\n",
        "noqa": "def helper():  # noqa: IG101\n    return 1\n",
    }[edit]
    util.write_text(new)
    found, phases = check(tmp_path)
    assert "rules" in phases and "changed" not in phases
    assert found == check(tmp_path, "--no-cache")[0]


LOOSE_TREE = {key: value for key, value in TREE.items() if key != "pyproject.toml"}


def test_a_loose_folder_is_memoised_in_the_user_cache(tmp_path):
    """A folder outside any project (an unpacked sdist) gets warm runs too, with the memo kept in
    the user cache, never in the folder."""
    folder, xdg = tmp_path / "unpacked", tmp_path / "xdg"
    write_tree(folder, LOOSE_TREE)

    def loose() -> tuple:
        result = run_cli("check", ".", "--format", "json", "--exit-zero", "-v", cwd=folder, env={"XDG_CACHE_HOME": str(xdg)})
        assert result.returncode == 0 and "(loose;" in result.stderr, result.stderr
        return json.loads(result.stdout)["findings"], result.stderr.rsplit("; ", 1)[-1]

    cold, phases = loose()
    assert "rules" in phases
    warm, phases = loose()
    assert warm == cold and "rules" not in phases and "memo" in phases
    assert list(xdg.rglob(f"{FORMAT}/*.json")) and not list(folder.rglob(".importguard*"))
    routes = folder / "chat/routes.py"
    routes.write_text("import time\n" + routes.read_text())
    fixed, phases = loose()
    assert codes(fixed) == [("IG301", "chat/routes.py", 2)] and "rules" in phases


def test_a_loose_script_is_never_answered_from_a_memo(tmp_path):
    """A script given outside any project is also checked against the modules it imports from
    beside it, which no memo key covers: an edit there must show."""
    write_tree(tmp_path, {"app.py": "from helper import thing\n\nprint(thing)\n", "helper.py": "thing = 1\n"})
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}

    def script() -> list:
        result = run_cli("check", "app.py", "--format", "json", "--exit-zero", cwd=tmp_path, env=env)
        return codes(json.loads(result.stdout)["findings"])

    assert script() == []
    assert script() == []
    (tmp_path / "helper.py").write_text("other = 1\n")
    assert script() == [("IG305", "app.py", 1)]


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "chat_service"
EXAMPLE_FILES = sorted(str(p.relative_to(EXAMPLE)) for p in EXAMPLE.rglob("*.py"))


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_partial_reruns_agree_with_full_runs_on_the_example(tmp_path, name):
    """Every `return` inside a function of the example, in turn, made to read an unbound name
    (no line moves): the partial re-run gives exactly the findings of a run without a cache."""
    shutil.copytree(EXAMPLE, tmp_path / "ex")
    root = tmp_path / "ex"
    check(root)
    target = root / name
    original = target.read_text()
    lines = original.splitlines(keepends=True)
    returns = [i for i, line in enumerate(lines) if line.startswith("        return ") or line.startswith("    return ")]
    if not returns:
        pytest.skip(f"{name} has no function `return` to edit")
    for index in returns:
        edited = lines[:index] + [lines[index].replace("return ", "return undefined_in_edit or ", 1)] + lines[index + 1:]
        target.write_text("".join(edited))
        found, phases = check(root)
        assert found == check(root, "--no-cache")[0], (name, index + 1)
        assert "file rules on 1 changed" in phases, (name, index + 1)  # the partial path was taken
        assert ("IG101", name, index + 1) in codes(found)
    target.write_text(original)
