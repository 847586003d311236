"""The README is followable as written (issue 22, item 4): its sample output is what the command
prints, the examples page too, its install and pre-commit lines name the version the tool reports,
and a fresh virtualenv installed from the checkout runs its first command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

from importguard import __version__

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
COMMAND = ["check", "examples/chat_service", "--no-cache"]


def block_after(text: str, marker: str) -> str:
    """The first ```text block after `marker`."""
    start = text.index("```text\n", text.index(marker)) + len("```text\n")
    return text[start:text.index("```", start)]


def run(python: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([python, "-m", "importguard", *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)


def test_the_readme_and_examples_page_show_what_check_prints():
    printed = run(sys.executable, *COMMAND)
    assert printed.returncode == 1, printed.stderr
    assert block_after(README, "Sample output:") == printed.stdout
    assert block_after(EXAMPLES, "Output (exit code 1):") == printed.stdout


def test_install_lines_pre_commit_rev_and_changelog_name_the_version_the_tool_reports():
    assert run(sys.executable, "--version").stdout.strip() == f"importguard, version {__version__}"
    assert re.findall(r"rev: (v[\d.]+)", README) == [f"v{__version__}"]
    assert set(re.findall(r"importguard@(v[\d.]+)", README)) == {f"v{__version__}"}
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (\S+)", changelog, flags=re.M)[0] == __version__  # no unreleased section


def test_a_fresh_virtualenv_installed_from_the_checkout_runs_the_readme_command(tmp_path):
    venv.EnvBuilder(with_pip=True).create(tmp_path / "venv")
    python = str(tmp_path / "venv" / "bin" / "python")
    install = subprocess.run([python, "-m", "pip", "install", "--quiet", str(ROOT)], capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-2000:]
    printed = run(python, *COMMAND)
    assert printed.returncode == 1, printed.stderr
    assert printed.stdout == block_after(README, "Sample output:")
    assert run(python, "--version").stdout.strip() == f"importguard, version {__version__}"
