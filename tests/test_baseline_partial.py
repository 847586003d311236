"""Baselines and runs on some files (pre-commit passes the changed ones): nothing is lost, only
what was checked counts, the file is written like any other the team commits (issue 22, item 1)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from conftest import run_cli, write_tree

PROJECT = {
    "pyproject.toml": "[project]\nname = 'demo'\n\n[tool.importguard]\nbaseline = '.importguard-baseline.json'\n",
    "pkg/__init__.py": "",
    "pkg/_utils.py": "def now():\n    return time.time()\n",
    "pkg/views.py": "def render():\n    return undefined_template\n",
}
BASELINE = ".importguard-baseline.json"


def entries(root: Path) -> list:
    return sorted((e["path"], e["code"], e["name"]) for e in json.loads((root / BASELINE).read_text())["findings"])


def test_a_run_on_one_file_never_drops_the_entries_of_the_others(tmp_path):
    write_tree(tmp_path, PROJECT)
    whole = run_cli("check", "--write-baseline", "--no-cache", cwd=tmp_path)
    assert whole.returncode == 0, whole.stderr
    both = [("pkg/_utils.py", "IG101", "time"), ("pkg/views.py", "IG101", "undefined_template")]
    assert entries(tmp_path) == both
    partial = run_cli("check", "pkg/_utils.py", "--write-baseline", "--no-cache", cwd=tmp_path)
    assert partial.returncode == 0, partial.stderr
    assert entries(tmp_path) == both
    assert "wrote 1 finding(s) to the baseline" in partial.stderr and "kept 1 of files this run did not check" in partial.stderr
    # A fixed bug in the file given leaves; the other file's entry stays.
    (tmp_path / "pkg/_utils.py").write_text("import time\n\n\ndef now():\n    return time.time()\n")
    run_cli("check", "pkg/_utils.py", "--write-baseline", "--no-cache", cwd=tmp_path)
    assert entries(tmp_path) == [("pkg/views.py", "IG101", "undefined_template")]
    # A whole-project run rewrites it: what is fixed everywhere leaves.
    (tmp_path / "pkg/views.py").write_text("def render():\n    return 'ok'\n")
    run_cli("check", "--write-baseline", "--no-cache", cwd=tmp_path)
    assert entries(tmp_path) == []


def test_stale_entries_are_counted_only_for_the_files_checked(tmp_path):
    write_tree(tmp_path, PROJECT)
    run_cli("check", "--write-baseline", "--no-cache", cwd=tmp_path)
    other = run_cli("check", "pkg/views.py", "--no-cache", cwd=tmp_path)
    assert other.returncode == 0, other.stderr
    assert "the baseline hid 1 finding(s); 0 baseline entries no longer match anything" in other.stderr
    (tmp_path / "pkg/_utils.py").write_text("import time\n\n\ndef now():\n    return time.time()\n")
    fixed = run_cli("check", "pkg/_utils.py", "--no-cache", cwd=tmp_path)
    assert "the baseline hid 0 finding(s); 1 baseline entry no longer match anything" in fixed.stderr
    assert "0 baseline entries no longer match" in run_cli("check", "pkg/views.py", "--no-cache", cwd=tmp_path).stderr


def test_the_baseline_is_written_with_the_umask_like_any_committed_file(tmp_path):
    write_tree(tmp_path, PROJECT)
    for umask, mode in ((0o022, 0o644), (0o002, 0o664)):
        subprocess.run(
            ["sh", "-c", f"umask {umask:03o} && exec \"$0\" -m importguard check --write-baseline --no-cache", sys.executable],
            cwd=tmp_path, capture_output=True, text=True, check=True,
        )
        assert stat.S_IMODE(os.stat(tmp_path / BASELINE).st_mode) == mode


def test_writing_a_baseline_says_what_it_recorded_and_honours_statistics(tmp_path):
    write_tree(tmp_path, PROJECT)
    text = run_cli("check", "--write-baseline", "--no-cache", cwd=tmp_path)
    assert text.returncode == 0
    assert text.stdout.strip().splitlines()[-1] == "Recorded 2 findings in the baseline; 3 files checked."
    stats = run_cli("check", "--write-baseline", "--statistics", "--no-cache", cwd=tmp_path)
    assert stats.stdout.splitlines() == ["2\tIG101\tundefined-name"]
    as_json = run_cli("check", "--write-baseline", "--statistics", "--format", "json", "--no-cache", cwd=tmp_path)
    assert json.loads(as_json.stdout) == [{"code": "IG101", "name": "undefined-name", "count": 2, "fixable": False}]
