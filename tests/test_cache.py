"""The facts cache: JSON entries keyed by content, atomic, self-healing, and invisible in results."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import run_cli, write_tree
from importguard.run.cache import CACHE_FOLDER, FORMAT
from importguard.run.memo import FORMAT as MEMO_FORMAT

TREE = {
    "pyproject.toml": "",
    "chat/__init__.py": "",
    "chat/routes.py": "from chat.state import connections\n\n\ndef route():\n    return time.time()\n",
    "chat/state.py": "import chat.routes\n\nconnections = []\n",
    **{f"chat/mod{i}.py": f"import json\n\n\ndef f{i}():\n    return json.dumps({i})\n" for i in range(70)},
}
# Over HUGE_FILE_BYTES: parsed by one worker after the others, in order all the same.
HUGE = {"chat/huge.py": "VALUE = 1\n" * 22000 + "print(undefined_in_huge)\n"}


def findings(tmp_path: Path, *options: str) -> list:
    result = run_cli("check", ".", "--format", "json", "--exit-zero", *options, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["findings"]


def entries(tmp_path: Path) -> list:
    return sorted((tmp_path / CACHE_FOLDER / FORMAT).glob("*/*.json"))


def test_cold_warm_and_jobs_give_identical_findings(tmp_path):
    write_tree(tmp_path, {**TREE, **HUGE})
    cold_one = findings(tmp_path, "--jobs", "1", "--no-cache")
    assert not (tmp_path / CACHE_FOLDER).exists()
    cold_two = findings(tmp_path, "--jobs", "2")
    warm_one = findings(tmp_path, "--jobs", "1")
    warm_two = findings(tmp_path, "--jobs", "2")
    assert cold_one == cold_two == warm_one == warm_two
    assert {f["code"] for f in cold_one} >= {"IG101", "IG301", "IG306"}
    assert ("chat/huge.py", 22001) in {(f["path"], f["line"]) for f in cold_one}
    assert len(entries(tmp_path)) == 74


def test_cache_folder_is_ignored_by_git_and_tagged(tmp_path):
    write_tree(tmp_path, TREE)
    findings(tmp_path)
    folder = tmp_path / CACHE_FOLDER
    assert (folder / ".gitignore").read_text() == "*\n"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=tmp_path, capture_output=True, text=True)
    assert CACHE_FOLDER not in status.stdout


def test_corrupt_foreign_and_tampered_entries_are_ignored_and_rewritten(tmp_path):
    write_tree(tmp_path, TREE)
    expected = findings(tmp_path)
    first, second, third = entries(tmp_path)[:3]
    (tmp_path / CACHE_FOLDER / FORMAT / "manifest.json").write_text("[1, 2")
    first.write_text("{not json")
    document = json.loads(second.read_text())
    second.write_text(json.dumps({**document, "importguard": "0.0.0"}))
    third.write_bytes(b"\x80\x04\x95pickle?")
    shutil.rmtree(tmp_path / CACHE_FOLDER / MEMO_FORMAT)  # else the unchanged project is a memo hit
    assert findings(tmp_path) == expected
    for path in (first, second, third):
        assert json.loads(path.read_text())["key"] == path.parent.name + path.stem


def test_warm_run_does_not_import_the_parser(tmp_path):
    write_tree(tmp_path, TREE)
    findings(tmp_path)
    probe = (
        "import sys\nfrom importguard.cli import main\n"
        "try:\n    main(['check', '.', '--exit-zero', '-q'])\nexcept SystemExit:\n    pass\n"
        "print('libcst' in sys.modules, file=sys.stderr)\n"
    )
    warm = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True)
    assert warm.stderr.strip().splitlines()[-1] == "False"
    (tmp_path / "chat" / "mod1.py").write_text("import json\n")
    changed = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True)
    assert changed.stderr.strip().splitlines()[-1] == "True"


def test_clean_removes_only_an_importguard_cache(tmp_path):
    write_tree(tmp_path, TREE)
    findings(tmp_path)
    result = run_cli("clean", ".", cwd=tmp_path)
    assert result.returncode == 0 and not (tmp_path / CACHE_FOLDER).exists()
    assert run_cli("clean", ".", cwd=tmp_path).stdout.startswith("no cache at")
    write_tree(tmp_path, {"pyproject.toml": "[tool.importguard]\ncache-dir = 'src'\n", "src/keep.py": ""})
    refused = run_cli("clean", ".", cwd=tmp_path)
    assert refused.returncode == 2 and "not an importguard cache folder" in refused.stderr
    assert (tmp_path / "src" / "keep.py").exists()


def test_unwritable_cache_folder_does_not_stop_the_run(tmp_path):
    write_tree(tmp_path, {**TREE, "pyproject.toml": "[tool.importguard]\ncache-dir = 'blocked/cache'\n"})
    (tmp_path / "blocked").write_text("a file where the cache folder's parent should be")
    result = run_cli("check", ".", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 0 and "Found" in result.stdout


def test_no_progress_output_when_stderr_is_not_a_terminal(tmp_path):
    write_tree(tmp_path, TREE)
    result = run_cli("check", ".", "--no-cache", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == ""


def test_a_changed_file_is_read_again_even_with_the_same_size(tmp_path):
    """The manifest (size, mtime) only spares reading unchanged files; an edit changes mtime."""
    write_tree(tmp_path, TREE)
    assert not [f for f in findings(tmp_path) if f["path"] == "chat/mod1.py"]
    path = tmp_path / "chat" / "mod1.py"
    text = path.read_text()
    path.write_text(text.replace("json.dumps(1)", "jsom.dumps(1)"))  # same size, new content
    assert [(f["code"], f["name"]) for f in findings(tmp_path) if f["path"] == "chat/mod1.py"] == [("IG101", "jsom")]
