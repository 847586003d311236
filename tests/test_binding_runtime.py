"""Runtime proof for the name-binding corpus in binding_cases.py (does not use importguard).

Every case's module is imported by a real interpreter in a subprocess and its trigger is run: a
case predicted to fail must die with exactly the predicted exception (and name one of the names
importguard must report), a case predicted to be fine must exit 0.
"""

from __future__ import annotations

import functools
import glob
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional, Tuple

import pytest

from binding_cases import CASES, Case

RUNTIMES = ("NameError", "UnboundLocalError", "ok")
CODES = ("IG101", "IG102", "IG103", "IG105", "IG106")


@functools.lru_cache(maxsize=None)
def _version_of(executable: str) -> Optional[Tuple[int, int]]:
    """The (major, minor) of a candidate interpreter, or None if it does not run (e.g. a pyenv shim)."""
    try:
        proc = subprocess.run(
            [executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.fullmatch(r"(\d+)\.(\d+)", proc.stdout.strip())
    if proc.returncode != 0 or not match:
        return None
    return int(match.group(1)), int(match.group(2))


@functools.lru_cache(maxsize=None)
def interpreter_for(min_version: Tuple[int, int]) -> Optional[str]:
    if sys.version_info[:2] >= min_version:
        return sys.executable
    candidates = []
    for minor in range(min_version[1], 20):
        found = shutil.which(f"python{min_version[0]}.{minor}")
        if found:
            candidates.append(found)

    def pyenv_key(path: str):
        numbers = re.findall(r"\d+", Path(path).parent.parent.name)
        return tuple(int(n) for n in numbers)

    candidates += sorted(glob.glob("/root/.pyenv/versions/3.1[0-9]*/bin/python"), key=pyenv_key)
    for candidate in candidates:
        version = _version_of(candidate)
        if version is not None and version >= min_version:
            return candidate
    return None


# Prints every NameError raised in a frame of m.py, caught there or not: sys.settrace sees the
# 'exception' event when the exception is raised, before any handler runs.
WATCH_CAUGHT = """\
import os, sys
def _watch(frame, event, arg):
    if event == "exception" and os.path.basename(frame.f_code.co_filename) == "m.py" and issubclass(arg[0], NameError):
        print("raised %s: %s" % (arg[0].__name__, arg[1]), file=sys.stderr)
    return _watch
sys.settrace(_watch)
"""


def run_case(case: Case, tmp_path: Path) -> subprocess.CompletedProcess:
    python = interpreter_for(case.min_version)
    if python is None:
        pytest.skip(f"no Python >= {case.min_version[0]}.{case.min_version[1]} available")
    (tmp_path / "m.py").write_text(case.source, encoding="utf-8")
    code = (WATCH_CAUGHT if case.caught else "") + "import m\n" + case.trigger
    return subprocess.run(
        [python, "-B", "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_runtime_behaviour(case: Case, tmp_path: Path):
    proc = run_case(case, tmp_path)
    if case.caught:
        # The handler swallows the error, so the run succeeds, yet the name lookup really failed.
        assert proc.returncode == 0, proc.stderr
        raised = [line for line in proc.stderr.splitlines() if line.startswith("raised ")]
        assert raised and raised[0].startswith(f"raised {case.runtime}:"), proc.stderr
        assert any(f"'{name}'" in raised[0] for _, _, name in case.expected), raised[0]
        return
    if case.runtime == "ok":
        assert proc.returncode == 0, proc.stderr
        return
    assert proc.returncode != 0, f"expected {case.runtime}, but the module ran cleanly"
    lines = proc.stderr.strip().splitlines()
    last = lines[-1] if lines else ""
    assert last.startswith(case.runtime + ":"), proc.stderr
    # The failure is about a name importguard is expected to report (not some unrelated error).
    assert any(f"'{name}'" in last for _, _, name in case.expected), last


def test_case_ids_are_unique():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_is_well_formed(case: Case):
    assert case.runtime in RUNTIMES
    assert case.source.endswith("\n") and not case.source.startswith(("\n", " "))
    lines = case.source.splitlines()
    for code, line, name in case.expected:
        assert code in CODES
        assert 1 <= line <= len(lines), (code, line, name)
        # Every expected line really mentions the name (guards against off-by-one line numbers).
        assert re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", lines[line - 1]), (code, line, name, lines[line - 1])
    # IG102/IG103 are reported once per name (per function): no duplicates of (code, name) per line.
    assert len(set(case.expected)) == len(case.expected)
    # A predicted runtime failure must be explained by at least one expected finding.
    if case.runtime != "ok":
        assert case.expected


def test_corpus_is_balanced():
    reporting = sum(1 for case in CASES if case.expected)
    clean = len(CASES) - reporting
    assert len(CASES) >= 50
    assert abs(reporting - clean) <= len(CASES) // 4
