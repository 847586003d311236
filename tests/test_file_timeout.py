"""A gate never hangs: a file whose parse runs over the `file-timeout` budget is that file's
IG002 with the figure, its worker is killed and replaced, and the run goes on. The parser never
loops on any known input, so a stand-in that loops on one file plays the part."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_cli, write_tree
from importguard.facts.parse_options import ParseOptions

BUG = {"pkg/__init__.py": "", "pkg/bug.py": "def f():\n    return time.time()\n", "pkg/ok.py": "import os\n"}
OVER = "not analysed: parsing took longer than the 1 s `file-timeout` (raise it in [tool.importguard] to analyse it)"


def loop_on_stuck(path: Path, options: ParseOptions):
    """A worker's work that never returns on one file, as a parser stuck in a loop would."""
    from importguard.run.sources import extract_file

    while path.name == "stuck.py":
        pass
    return extract_file(path, options)


def test_a_file_over_the_budget_is_ig002_and_every_other_file_is_analysed(tmp_path):
    from importguard.run.workers import in_workers

    names = [f"m{i}.py" for i in range(10)] + ["stuck.py"] + [f"n{i}.py" for i in range(10)]
    write_tree(tmp_path, {name: "def f():\n    return missing\n" for name in names})
    paths = [tmp_path / name for name in names]
    got = {}
    began = time.monotonic()
    in_workers(list(range(len(paths))), 2, 4, paths, [ParseOptions()] * len(paths), lambda i, out: got.update(zip(i, out)),
               work=loop_on_stuck, budget=1)
    assert time.monotonic() - began < 15  # the loop never ends: the budget did
    assert sorted(got) == list(range(len(paths)))
    stuck = got[names.index("stuck.py")][1]
    assert stuck.problem is not None and stuck.problem.message == OVER
    assert all(got[i][1].names and got[i][1].problem is None for i in range(len(paths)) if i != names.index("stuck.py"))
    assert multiprocessing.active_children() == []  # the stuck worker was killed, the others ended


LOOPING_CLI = """
import sys
import importguard.run.sources as sources

parse = sources.extract_facts

def loops_on_stuck(data, options):
    while b"STUCK" in data:
        pass
    return parse(data, options)

sources.extract_facts = loops_on_stuck  # workers are forked from this process: they loop too
sys.argv = ["importguard", *sys.argv[1:]]
from importguard.cli import main
main()
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_cli_reports_a_looping_file_and_finishes_within_the_budget(tmp_path, jobs):
    """With --jobs 1 and a handful of files the parse still happens in a worker: in this process
    a loop could never be stopped."""
    write_tree(tmp_path, {**BUG, "pyproject.toml": "[tool.importguard]\nfile-timeout = 1\n", "pkg/stuck.py": "STUCK = 1\n"})
    began = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", LOOPING_CLI, "check", ".", "--format", "json", "--no-cache", "--jobs", jobs],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert time.monotonic() - began < 30  # the loop never ends: the budget did
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-500:]
    found = [(f["code"], f["path"], f["message"]) for f in json.loads(proc.stdout)["findings"]]
    assert ("IG002", "pkg/stuck.py", OVER) in found
    assert [(code, path) for code, path, _ in found if code != "IG002"] == [("IG101", "pkg/bug.py")]


def test_a_run_with_a_file_over_the_budget_is_not_remembered(tmp_path, monkeypatch):
    """How long a parse takes is a figure of the machine's load, not of the file: the next run
    parses it again instead of replaying the IG002 from the run memo."""
    import importguard.run.sources as sources
    from importguard.run.check import run_check
    from importguard.run.config import Config
    from importguard.run.settings import Settings

    parse = sources.extract_facts

    def loops_on_stuck(data, options):
        while b"STUCK" in data:
            pass
        return parse(data, options)

    write_tree(tmp_path, {**BUG, "pyproject.toml": "", "pkg/stuck.py": "STUCK = 1\nprint(undefined)\n"})
    config = Config(root=tmp_path, cache_dir=tmp_path / "cache", file_timeout=1)
    monkeypatch.setattr(sources, "extract_facts", loops_on_stuck)
    first = run_check([tmp_path], Settings(config, use_memo=True), cwd=tmp_path)
    assert [(f.code, f.path, f.message) for f in first.findings if f.path == "pkg/stuck.py"] == [("IG002", "pkg/stuck.py", OVER)]
    monkeypatch.setattr(sources, "extract_facts", parse)
    second = run_check([tmp_path], Settings(config, use_memo=True), cwd=tmp_path)
    assert [(f.code, f.path) for f in second.findings if f.path == "pkg/stuck.py"] == [("IG101", "pkg/stuck.py")]


@pytest.mark.parametrize("value", ["0", "-1", '"60"', "true", "inf", "nan"])
def test_a_bad_file_timeout_is_a_config_error_naming_the_key(tmp_path, value):
    write_tree(tmp_path, {**BUG, "pyproject.toml": f"[tool.importguard]\nfile-timeout = {value}\n"})
    proc = run_cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "pyproject.toml" in proc.stderr and "`file-timeout` must be a number of seconds, such as 60 or 2.5" in proc.stderr


def test_a_good_file_timeout_is_accepted(tmp_path):
    write_tree(tmp_path, {**BUG, "pyproject.toml": "[tool.importguard]\nfile-timeout = 2.5\n"})
    proc = run_cli("check", ".", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1 and "pkg/bug.py" in proc.stdout and "IG002" not in proc.stdout
