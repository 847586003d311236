"""Shared helpers: fixture trees on disk, in-process checks and real CLI subprocess runs."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Union

import pytest

from importguard.run.config import Config, load_config
from importguard.findings import Finding
from importguard.run.check import run_check
from importguard.run.settings import Settings

Tree = Dict[str, Union[str, bytes]]


def write_tree(root: Path, files: Tree) -> Path:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def check_tree(root: Path, files: Tree, select: Iterable[str] = ("ALL",), paths: Optional[List[Path]] = None) -> List[Finding]:
    """Write `files` under `root` and run every selected rule in-process (with the tree's own
    `pyproject.toml` settings when it has one: contracts, say)."""
    write_tree(root, files)
    config = load_config(root, None) if "pyproject.toml" in files else Config(root=root)
    config = replace(config, select=list(select))
    return run_check(paths or [root], Settings(config), cwd=root).findings


def fix_tree(root: Path, files: Tree, select: Iterable[str] = ("ALL",), unsafe: bool = False) -> List[Finding]:
    """Write `files` under `root`, apply the fixes in-process as `check --fix` does and return the
    findings left."""
    from importguard.fixes.engine import Target, run_fixes
    from importguard.fixes.output import write_fixes

    write_tree(root, files)
    config = Config(root=root, select=list(select))
    run, _ = run_fixes(run_check([root], Settings(config), cwd=root), Target([root], Settings(config), cwd=root), unsafe)
    write_fixes([run])
    return run.result.findings


def summary(findings: Iterable[Finding]) -> List[tuple]:
    return [(f.code, f.path, f.line) for f in findings]


def run_cli(*args: str, cwd: Path, check: bool = False, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    """Run the real `importguard` command line in a subprocess (`env` adds variables)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "importguard", *args], cwd=cwd, capture_output=True, text=True, env=env, check=check,
    )


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run real Python on a fixture tree (used to prove that a finding is a real runtime failure)."""
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def tree(tmp_path: Path):
    def make(files: Tree) -> Path:
        return write_tree(tmp_path, files)

    return make
