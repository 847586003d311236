"""A real `pre-commit` run in a temporary git repository, using this repository as the hook source."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_tree

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is required")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def commit_all(project: Path) -> None:
    """A git repository whose first commit holds every file of `project`."""
    git("init", "-q", cwd=project)
    git("add", ".", cwd=project)
    git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qm", "init", cwd=project)


def try_repo(project: Path, home: Path, *files: str, hook: str = "importguard") -> subprocess.CompletedProcess:
    """`pre-commit try-repo` of this repository's `hook` (on `files`, or as the hook decides)."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    chosen = ["--files", *files] if files else []
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, *chosen],
        cwd=project, capture_output=True, text=True, env=env,
    )


def test_hook_fails_on_a_cycle_and_passes_on_a_clean_file(tmp_path, pre_commit_home):
    write_tree(tmp_path, {
        "pyproject.toml": "[project]\nname = 'demo'\n",
        "pkg/__init__.py": "",
        "pkg/routes.py": "from pkg.state import connections\n",
        "pkg/state.py": "from pkg.routes import handler\n\nconnections = []\n",
        "pkg/clean.py": "import json\n",
    })
    commit_all(tmp_path)

    failing = try_repo(tmp_path, pre_commit_home, "pkg/routes.py")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "pkg/routes.py:1:1: IG301 import cycle: `pkg.routes` -> `pkg.state` -> `pkg.routes`" in failing.stdout

    passing = try_repo(tmp_path, pre_commit_home, "pkg/clean.py")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout


def test_hook_honours_a_baseline_configured_in_pyproject(tmp_path, pre_commit_home):
    write_tree(tmp_path, {
        "pyproject.toml": "[project]\nname = 'demo'\n\n[tool.importguard]\nbaseline = '.importguard-baseline.json'\n",
        "pkg/__init__.py": "",
        "pkg/old.py": "def f():\n    return legacy_undefined\n",
    })
    subprocess.run([sys.executable, "-m", "importguard", "check", "--write-baseline", "--no-cache"], cwd=tmp_path, check=True, capture_output=True)
    commit_all(tmp_path)

    old = tmp_path / "pkg" / "old.py"
    old.write_text("# touched\n" + old.read_text())
    passing = try_repo(tmp_path, pre_commit_home, "pkg/old.py")
    assert passing.returncode == 0, passing.stdout + passing.stderr

    old.write_text(old.read_text() + "\n\ndef g():\n    return brand_new_undefined\n")
    failing = try_repo(tmp_path, pre_commit_home, "pkg/old.py")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "brand_new_undefined" in failing.stdout and "legacy_undefined" not in failing.stdout


def test_whole_project_hook_catches_a_commit_that_only_deletes_a_module(tmp_path, pre_commit_home):
    write_tree(tmp_path, {
        "pyproject.toml": "[project]\nname = 'demo'\n",
        "pkg/__init__.py": "",
        "pkg/helpers.py": "def helper():\n    return 1\n",
        "pkg/app.py": "from pkg.helpers import helper\n",
    })
    commit_all(tmp_path)
    git("rm", "-q", "pkg/helpers.py", cwd=tmp_path)
    proc = try_repo(tmp_path, pre_commit_home, hook="importguard-project")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "pkg/app.py:1:1: IG304 `from pkg.helpers import helper`: no module `pkg.helpers` in this project" in proc.stdout


def test_fix_hook_applies_the_safe_fix_and_fails_the_commit(tmp_path, pre_commit_home):
    write_tree(tmp_path, {
        "pyproject.toml": "[project]\nname = 'demo'\n",
        "pkg/__init__.py": "",
        "pkg/auth.py": "def issue():\n    import time\n    return time.time()\n\n\ndef expired(at):\n    return at < time.time()\n",
    })
    commit_all(tmp_path)
    proc = try_repo(tmp_path, pre_commit_home, "pkg/auth.py", hook="importguard-fix")
    assert proc.returncode == 1, proc.stdout + proc.stderr  # files were modified by this hook
    assert "Fixed 1 finding." in proc.stdout
    assert (tmp_path / "pkg" / "auth.py").read_text().startswith("import time\n\n\ndef issue():\n")
