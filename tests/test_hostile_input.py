"""Hostile input never ends, hangs or crashes the run: every file is analysed or gets its own
IG001/IG002, and the exit code is 0 or 1 (never 2 from file content, never a signal). Every case
runs the real CLI in a subprocess with a timeout."""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from importguard.run.cache import FORMAT
from importguard.facts.extract import extract_facts
from importguard.facts.parse_options import ParseOptions

from conftest import write_tree

BUG = {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/bug.py": "def f():\n    return time.time()\n"}


def check(root: Path, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "importguard", "check", ".", "--format", "json", "--no-cache", *args],
        cwd=root, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-500:])
    assert "Traceback" not in proc.stderr
    return {(f["path"], f["code"]): f for f in json.loads(proc.stdout)["findings"]}


@pytest.mark.parametrize("expression, message", [
    ("'(' * 5000 + '1' + ')' * 5000", "syntax error: too many nested parentheses"),
    ("'[' * 2000 + ']' * 2000", "syntax error: too many nested parentheses"),
    ("'x' + '.a' * 100000", "syntax error: Python cannot compile it: RecursionError"),
    ("'-' * 20000 + '1'", "syntax error: Python cannot compile it"),
    ("'lambda: ' * 20000 + '1'", "syntax error: Python cannot compile it"),
    ("'x' + ' . a' * 100000", "syntax error: Python cannot compile it"),
    ("'not ' * 50000 + 'x'", "syntax error: Python cannot compile it"),
    ("'a if b else ' * 20000 + 'c'", "syntax error: Python cannot compile it"),
])
def test_deep_nesting_is_a_syntax_error_not_a_crash(tmp_path, expression, message):
    write_tree(tmp_path, {**BUG, "pkg/deep.py": "x = " + eval(expression) + "\n"})
    found = check(tmp_path)
    assert found["pkg/deep.py", "IG001"]["message"].startswith(message)
    assert ("pkg/bug.py", "IG101") in found  # the other files are analysed
    proc = subprocess.run([sys.executable, "-c", "import ast, sys; compile(open('pkg/deep.py').read(), 'd', 'exec')"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0  # CPython rejects it too


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_fifo_named_like_a_module_is_skipped(tmp_path):
    write_tree(tmp_path, BUG)
    os.mkfifo(tmp_path / "pkg" / "pipe.py")
    found = check(tmp_path)
    assert list(found) == [("pkg/bug.py", "IG101")]


def test_an_invalid_gitignore_line_is_ignored_and_the_rest_applies(tmp_path):
    write_tree(tmp_path, {**BUG, "pkg/sub/.gitignore": "!\ngenerated.py\n", "pkg/sub/generated.py": "print(hidden)\n",
                          "pkg/sub/kept.py": "print(shown)\n"})
    found = check(tmp_path)
    assert ("pkg/sub/kept.py", "IG101") in found and ("pkg/sub/generated.py", "IG101") not in found


def test_git_info_exclude_is_honoured(tmp_path):
    write_tree(tmp_path, {**BUG, ".git/info/exclude": "scratch.py\n", "scratch.py": "print(scratch)\n"})
    assert ("scratch.py", "IG101") not in check(tmp_path)


def test_a_broken_symlink_is_reported_as_one(tmp_path):
    write_tree(tmp_path, BUG)
    (tmp_path / "pkg" / "gone.py").symlink_to(tmp_path / "nowhere.py")
    found = check(tmp_path)
    assert found["pkg/gone.py", "IG002"]["message"].startswith("broken symlink: points to")


def test_syntax_libcst_rejects_is_reported_at_the_failing_statement(tmp_path):
    # CPython accepts a parenthesised annotated target; libcst does not (stdlib test/ann_module.py).
    write_tree(tmp_path, {**BUG, "pkg/ann.py": "x = 1\n(pars): bool = True\ny = 2\n"})
    proc = subprocess.run([sys.executable, "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", "pkg/ann.py"], cwd=tmp_path)
    assert proc.returncode == 0  # valid Python
    problem = check(tmp_path)["pkg/ann.py", "IG002"]
    assert (problem["line"], problem["column"]) == (2, 9)  # `bool`, where libcst gives up
    assert "libcst rejects syntax that Python accepts" in problem["message"]


TSTRINGS = 'greeting = t"hello {name}" t"!"\n'


def test_concatenated_template_strings_are_analysed(tmp_path):
    """libcst's node validation raises CSTLogicError on two concatenated template strings (its
    `ConcatenatedString` check does not know them), which made this Python 3.14 file an IG002.
    The parse skips that validation (`facts/parsing.py`): the file is analysed."""
    write_tree(tmp_path, {**BUG, "pkg/tstrings.py": TSTRINGS})
    found = check(tmp_path)
    assert ("pkg/bug.py", "IG101") in found and ("pkg/tstrings.py", "IG002") not in found
    assert found["pkg/tstrings.py", "IG101"]["line"] == 1 and "`name`" in found["pkg/tstrings.py", "IG101"]["message"]


def test_concatenated_template_strings_raise_name_error_in_python_314(tmp_path):
    python = next(iter(sorted(glob.glob("/root/.pyenv/versions/3.14*/bin/python"))), None) or shutil.which("python3.14")
    if python is None:
        pytest.skip("no Python 3.14 on this machine")
    (tmp_path / "tstrings.py").write_text(TSTRINGS)
    proc = subprocess.run([python, "tstrings.py"], cwd=tmp_path, capture_output=True, text=True)
    assert "NameError: name 'name' is not defined" in proc.stderr


def test_a_parser_failure_is_that_file_s_finding(monkeypatch):
    """Whatever the parser raises on one file becomes that file's problem (IG002), never an abort."""
    import importguard.facts.parsing as parsing

    def broken(data: bytes):
        raise RuntimeError("the parser's own bug")

    monkeypatch.setattr(parsing, "parse_module", broken)
    facts = extract_facts(b"x = 1\n", ParseOptions())
    assert facts.problem is not None and facts.problem.kind == "analysis-failure"
    assert facts.problem.message == "cannot analyse: the parser failed with RuntimeError: the parser's own bug"


def test_files_over_the_size_limit_are_reported_not_parsed(tmp_path):
    rows = "".join(f"    ({i}, 'item-{i}'),\n" for i in range(3000))
    write_tree(tmp_path, {**BUG, "pkg/data.py": f"ROWS = [\n{rows}]\nprint(missing_in_data)\n"})
    (tmp_path / "pyproject.toml").write_text("[tool.importguard]\nmax-file-size = 0.05\n")
    found = check(tmp_path)
    assert "over the 0.05 MB `max-file-size`" in found["pkg/data.py", "IG002"]["message"]
    (tmp_path / "pyproject.toml").write_text("[tool.importguard]\nmax-file-size = 1\n")
    assert ("pkg/data.py", "IG101") in check(tmp_path)


MARKER_CODE = "import pathlib; pathlib.Path({marker!r}).write_text('executed'); raise SystemExit('executed')\n"


def test_analysed_code_is_never_imported_or_executed(tmp_path):
    marker = tmp_path / "EXECUTED"
    code = MARKER_CODE.format(marker=str(marker))
    project = write_tree(tmp_path / "proj", {
        "pyproject.toml": "[project]\nname = 'evil'\n",
        "setup.py": code, "conftest.py": code, "sitecustomize.py": code,
        "evil.pth": f"import pathlib; pathlib.Path({str(marker)!r}).write_text('pth')\n",
        "pkg/__init__.py": code,
        "pkg/a.py": code + "from pkg import b\n",
        "pkg/b.py": code + "from pkg.a import thing\n",
        "pkg/c.py": code + "def f():\n    import time\n    return time\n\n\ndef g():\n    return time.time()\n",
        "prod.log": "ERROR name 'time' is not defined\n",
    })
    for args in (("check", "."), ("check", ".", "--no-cache"), ("check", "."), ("why", "pkg.a", "pkg.b"),
                 ("check", "pkg/a.py", "--format", "sarif"), ("check", "--show-files"), ("graph", "."),
                 ("graph", ".", "--format", "html", "-o", "g.html"), ("trace", "prod.log", "."),
                 ("check", ".", "--fix", "--diff"), ("check", ".", "--fix", "--unsafe-fixes"), ("check", ".")):
        proc = subprocess.run([sys.executable, "-m", "importguard", *args], cwd=project, capture_output=True, text=True, timeout=120)
        assert proc.returncode in (0, 1), (args, proc.stderr)
        assert not marker.exists(), args
    assert "import time" in (project / "pkg/c.py").read_text().split("def f")[0]  # --fix did edit it


def test_damaged_cache_entries_are_ignored_and_rewritten(tmp_path):
    write_tree(tmp_path, BUG)
    first = check_cached(tmp_path)
    entries = [p for p in (tmp_path / ".importguard_cache").rglob("*.json") if p.name != "manifest.json"]
    assert entries
    import pickle

    entries[0].write_bytes(pickle.dumps({"x": 1}))  # a pickle payload: never unpickled
    with entries[-1].open("wb") as handle:  # 20 MB of junk: never read whole
        handle.truncate(20 * 1024 * 1024)
    (tmp_path / ".importguard_cache" / FORMAT / "manifest.json").write_text("{broken")
    assert check_cached(tmp_path) == first
    assert check_cached(tmp_path) == first


def check_cached(root: Path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "importguard", "check", ".", "--format", "json"], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_two_concurrent_runs_agree_and_leave_a_usable_cache(tmp_path):
    files = {f"pkg/m{i:03d}.py": f"import pkg.m{(i + 1) % 90:03d}\n\n\ndef f():\n    return missing_{i}\n" for i in range(90)}
    write_tree(tmp_path, {**BUG, **files})
    command = [sys.executable, "-m", "importguard", "check", ".", "--format", "json", "--jobs", "2"]
    runs = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [json.loads(run.communicate(timeout=180)[0])["findings"] for run in runs]
    assert outputs[0] == outputs[1] and len(outputs[0]) > 90
    assert check_cached(tmp_path) == outputs[0]


def test_big_data_modules_take_the_light_path_and_code_does_not(tmp_path):
    rows = "".join(f"    ({i}, 'item-{i}', -1.5, None),\n" for i in range(40000))
    assert len(rows) > 1024 * 1024
    write_tree(tmp_path, {
        **BUG,
        "pkg/data.py": f'"""Generated."""\nimport decimal\nROWS = [\n{rows}]\n__all__ = ["ROWS"]\n',
        "pkg/code.py": f"ROWS = [\n{rows}]\n\n\ndef total():\n    return sum(ROWS) + missing_in_big_code\n",
        "pkg/use.py": "from pkg.data import ROWS, NOPE\n",
    })
    found = check(tmp_path)
    assert found["pkg/use.py", "IG305"]["name"] == "NOPE"  # the light path knows what data.py binds
    assert ("pkg/code.py", "IG101") in found  # a big module with code gets the full analysis


def crash_on_boom(path: Path, options: ParseOptions):
    """A worker's work that dies on one file, as when the kernel kills it for memory."""
    import signal

    from importguard.run.sources import extract_file

    if path.name == "boom.py":
        os.kill(os.getpid(), signal.SIGKILL)
    return extract_file(path, options)


def test_a_worker_that_dies_takes_only_its_file_down(tmp_path):
    from importguard.run.workers import in_workers

    names = [f"m{i}.py" for i in range(12)] + ["boom.py"] + [f"n{i}.py" for i in range(12)]
    write_tree(tmp_path, {name: "def f():\n    return missing\n" for name in names})
    paths = [tmp_path / name for name in names]
    got = {}
    in_workers(list(range(len(paths))), 2, 4, paths, [ParseOptions()] * len(paths), lambda i, out: got.update(zip(i, out)), work=crash_on_boom)
    assert sorted(got) == list(range(len(paths)))
    boom = got[names.index("boom.py")][1]
    assert boom.problem is not None and "process died" in boom.problem.message
    assert all(got[i][1].names and got[i][1].problem is None for i in range(len(paths)) if i != names.index("boom.py"))


def test_a_small_run_still_parses_a_huge_file_in_a_worker(tmp_path, monkeypatch):
    """With --jobs 1 and a handful of files, a huge file is parsed in a worker all the same: a
    parser that kills its process on it (here, a stand-in that does) leaves the run standing."""
    import importguard.run.sources as sources
    from importguard.run.check import run_check
    from importguard.run.config import Config
    from importguard.run.settings import Settings

    parse = sources.extract_facts

    def dies_on_huge(data, options):
        if len(data) > sources.HUGE_FILE_BYTES:
            os.kill(os.getpid(), signal.SIGKILL)  # only ever in a worker, or this test dies
        return parse(data, options)

    monkeypatch.setattr(sources, "extract_facts", dies_on_huge)
    write_tree(tmp_path, {**BUG, "pkg/huge.py": "VALUE = 1\n" * 30000})
    result = run_check([tmp_path], Settings(Config(root=tmp_path), use_cache=False), cwd=tmp_path)
    got = [(f.code, f.path, f.message) for f in result.findings]
    assert ("IG002", "pkg/huge.py", "cannot analyse: the parser's process died on this file (a native crash or out of memory)") in got
    assert ("IG101", "pkg/bug.py") in [(code, path) for code, path, _ in got]


def test_a_folder_symlink_leading_outside_the_project_is_not_followed(tmp_path):
    outside = write_tree(tmp_path / "outside", {"auth.py": "print(outside_bug)\n"})
    project = write_tree(tmp_path / "proj", {**BUG, "pkg/inner/mod.py": "x = 1\n"})
    (project / "linked_out").symlink_to(outside, target_is_directory=True)
    (project / "linked_in").symlink_to(project / "pkg" / "inner", target_is_directory=True)
    found = check(project)
    assert not any(path.startswith("linked_out") for path, _ in found)
    assert ("pkg/bug.py", "IG101") in found


def test_a_run_killed_mid_way_leaves_a_cache_the_next_run_uses(tmp_path):
    import signal
    import time

    files = {f"pkg/m{i:03d}.py": f"def f():\n    return missing_{i}\n" for i in range(150)}
    write_tree(tmp_path, {**BUG, **files})
    run = subprocess.Popen([sys.executable, "-m", "importguard", "check", ".", "--jobs", "2"], cwd=tmp_path,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1.5)
    os.killpg(run.pid, signal.SIGKILL)  # the run and its workers, mid-way
    run.wait(timeout=30)
    after_kill = check_cached(tmp_path)
    assert len(after_kill) == 151 and after_kill == check_cached(tmp_path)
    fresh = subprocess.run([sys.executable, "-m", "importguard", "check", ".", "--format", "json", "--no-cache"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert json.loads(fresh.stdout)["findings"] == after_kill  # the cache left behind is correct


def test_no_warnings_from_python_s_parser_on_stderr(tmp_path):
    write_tree(tmp_path, {**BUG, "pkg/odd.py": "x = 1()\ny = (\n"})  # a SyntaxWarning, then a SyntaxError
    proc = subprocess.run([sys.executable, "-m", "importguard", "check", ".", "--no-cache"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "IG001" in proc.stdout and proc.stderr == ""
