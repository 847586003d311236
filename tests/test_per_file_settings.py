"""`per-file-target-version` (ruff's setting: a file's own Python version, which decides whether
its annotations run) and `[tool.importguard.severity]` (a rule's severity in every format and in
the exit code's threshold)."""

from __future__ import annotations

import glob
import json
import shutil
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional

import pytest

from conftest import run_cli, write_tree
from importguard.run.config import Config
from importguard.rules import BY_CODE
from importguard.run.sources import compute_facts

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sarif-schema-2.1.0.json"

# Annotations of a nested `def` and of a class body in a function name a class the function
# defines later. Before 3.14 they are evaluated when the `def`/`class` statement runs: the later
# class is a local of `build`/`make_model` that is not bound yet. On 3.14 they are not evaluated
# until something reads `__annotations__` (PEP 649, PEP 749), so both functions run.
LAZY_SHAPES = textwrap.dedent("""\
    def build():
        def handle(node: Node) -> None:
            return None

        class Node:
            pass

        return handle


    def make_model():
        class Model:
            parent: Tree

        class Tree:
            pass

        return Model
""")


def python_314() -> Optional[str]:
    """A Python 3.14 interpreter on this machine, if there is one."""
    return shutil.which("python3.14") or next(iter(sorted(glob.glob("/root/.pyenv/versions/3.14*/bin/python"))), None)


def run_on(python: str, code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([python, "-c", code], cwd=cwd, capture_output=True, text=True)


def codes(proc) -> list:
    assert proc.returncode in (0, 1), proc.stderr
    return [(f["code"], f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"]]


def project(tmp_path: Path, table: str) -> Path:
    return write_tree(tmp_path, {
        "pyproject.toml": f"[project]\nname = 'p'\nrequires-python = '>=3.9'\n\n[tool.importguard]\n{table}\n",
        "pkg/__init__.py": "",
        "pkg/modern.py": LAZY_SHAPES,
        "pkg/legacy.py": LAZY_SHAPES,
    })


def test_per_file_target_version_silences_lazy_annotations_in_that_file_only(tmp_path):
    """The shapes raise before 3.14 (proven here with this interpreter, and with 3.13 when pyenv
    has it) and are fine on 3.14 (PEP 649/749; proven when a 3.14 interpreter exists). The file
    marked `py314` has no finding; the other, under the project's floor of 3.9, keeps both."""
    project(tmp_path, "per-file-target-version = { 'pkg/modern.py' = 'py314' }")
    proc = run_cli("check", "--select", "IG1", "--format", "json", cwd=tmp_path)
    assert codes(proc) == [("IG102", "pkg/legacy.py", 2), ("IG102", "pkg/legacy.py", 13)]
    assert sys.version_info < (3, 14)
    for python in [sys.executable] + glob.glob("/root/.pyenv/versions/3.13*/bin/python"):
        built = run_on(python, "from pkg import modern; modern.build()", tmp_path).stderr
        assert "UnboundLocalError: cannot access local variable 'Node'" in built
        made = run_on(python, "from pkg import modern; modern.make_model()", tmp_path).stderr
        assert "NameError: cannot access free variable 'Tree'" in made
    modern = python_314()
    if modern is not None:
        ran = run_on(modern, "from pkg import modern; modern.build(); modern.make_model()", tmp_path)
        assert ran.returncode == 0, ran.stderr
    # The cached facts follow each file's version: without the table, the file is reported again.
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\nrequires-python = '>=3.9'\n")
    again = codes(run_cli("check", "--select", "IG1", "--format", "json", cwd=tmp_path))
    assert [(c, p) for c, p, _ in again] == [("IG102", "pkg/legacy.py")] * 2 + [("IG102", "pkg/modern.py")] * 2


def test_patterns_are_gitignore_style_and_the_last_match_wins(tmp_path):
    project(tmp_path, "per-file-target-version = { 'pkg/*.py' = 'py314', 'legacy.py' = 'py39' }")
    proc = run_cli("check", "--select", "IG1", "--format", "json", "--no-cache", cwd=tmp_path)
    assert [(c, p) for c, p, _ in codes(proc)] == [("IG102", "pkg/legacy.py")] * 2
    # The reverse: a project on 3.14 with one file that still supports 3.9.
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'p'\nrequires-python = '>=3.14'\n\n[tool.importguard.per-file-target-version]\n'pkg/legacy.py' = 'py39'\n"
    )
    proc = run_cli("check", "--select", "IG1", "--format", "json", "--no-cache", cwd=tmp_path)
    assert [(c, p) for c, p, _ in codes(proc)] == [("IG102", "pkg/legacy.py")] * 2


def test_each_file_gets_its_own_options_on_an_executor(tmp_path):
    """Batches sent to an executor share one options set; a file with its own version travels in its own."""
    write_tree(tmp_path, {"a.py": LAZY_SHAPES, "b.py": LAZY_SHAPES})
    config = Config(root=tmp_path, target_version=(3, 9), per_file_target_version={"b.py": (3, 14)})
    sent = []

    class Recording(ThreadPoolExecutor):
        def submit(self, work, *args, **kwargs):  # type: ignore[override]
            sent.append(args[1])
            return super().submit(work, *args, **kwargs)

    with Recording(max_workers=1) as pool:
        a, b = compute_facts([tmp_path / "a.py", tmp_path / "b.py"], config.file_options(), 1, None, pool)
    assert [i.kind for i in a.names] == ["unbound-local", "unbound-local"] and b.names == []
    assert sorted(options.lazy_annotations for options in sent) == [False, True]


@pytest.mark.parametrize("table, expected", [
    ("per-file-target-version = 'py314'", "`per-file-target-version` must be a table mapping glob patterns to Python versions"),
    ("per-file-target-version = { 'new/*.py' = '3.14' }", "`per-file-target-version`: `new/*.py` = `3.14` is not a Python version such as \"py314\""),
    ("per-file-target-version = { 'new/*.py' = 314 }", "`per-file-target-version`: `new/*.py` = `314` is not a Python version"),
    ("per-file-target-version = { '\\' = 'py314' }", "`per-file-target-version`: `\\` is not a valid gitignore-style pattern"),
    ("severity = 'warning'", "`severity` must be a table mapping rule codes to \"error\", \"warning\" or \"info\""),
    ("severity = { IG999 = 'warning' }", "`severity`: unknown rule code `IG999`"),
    ("severity = { IG3 = 'warning' }", "`severity`: unknown rule code `IG3` (a full code such as `IG301`"),
    ("severity = { IG301 = 'fatal' }", "`severity`: `IG301` = `fatal` is not \"error\", \"warning\" or \"info\""),
])
def test_bad_values_are_config_errors_naming_the_key(tmp_path, table, expected):
    write_tree(tmp_path, {"pyproject.toml": f"[tool.importguard]\n{table}\n", "app.py": ""})
    proc = run_cli("check", cwd=tmp_path)
    assert proc.returncode == 2 and expected in proc.stderr and "pyproject.toml" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_every_bad_entry_is_named_at_once(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\nper-file-target-version = { 'a.py' = 'py3.14' }\nseverity = { IG999 = 'warning', IG101 = 'loud' }\n",
        "app.py": "",
    })
    proc = run_cli("check", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    for part in ("`a.py` = `py3.14`", "`IG999`", "`IG101` = `loud`"):
        assert part in proc.stderr


CYCLE = {"pyproject.toml": "[project]\nname = 'chat'\n", **BY_CODE["IG301"].bad}


def configure(root: Path, table: str) -> None:
    (root / "pyproject.toml").write_text(f"[project]\nname = 'chat'\n\n[tool.importguard.severity]\n{table}\n")


def test_a_configured_severity_reaches_every_format(tmp_path):
    write_tree(tmp_path, CYCLE)
    configure(tmp_path, "IG301 = 'warning'")
    (finding,) = json.loads(run_cli("check", "--select", "IG301", "--format", "json", cwd=tmp_path).stdout)["findings"]
    assert (finding["code"], finding["path"], finding["line"], finding["severity"]) == ("IG301", "chat/routes.py", 1, "warning")
    sarif = json.loads(run_cli("check", "--select", "IG301", "--format", "sarif", cwd=tmp_path).stdout)
    run = sarif["runs"][0]
    assert [r["level"] for r in run["results"]] == ["warning"]
    descriptor = run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]
    assert descriptor["id"] == "IG301" and descriptor["defaultConfiguration"]["level"] == "error"  # the rule's own
    assert run["invocations"][0]["ruleConfigurationOverrides"] == [
        {"descriptor": {"id": "IG301", "index": run["results"][0]["ruleIndex"]}, "configuration": {"level": "warning"}},
    ]
    if SCHEMA.exists():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(sarif, json.loads(SCHEMA.read_text()))
    assert run_cli("check", "--select", "IG301", "--format", "github", cwd=tmp_path).stdout.startswith("::warning file=chat/routes.py,line=1,")
    assert [i["severity"] for i in json.loads(run_cli("check", "--select", "IG301", "--format", "gitlab", cwd=tmp_path).stdout)] == ["minor"]
    configure(tmp_path, "IG301 = 'info'")  # the remembered run is not reused: the settings changed
    assert run_cli("check", "--select", "IG301", "--format", "github", cwd=tmp_path).stdout.startswith("::notice file=chat/routes.py,line=1,")
    (finding,) = json.loads(run_cli("check", "--select", "IG301", "--format", "json", cwd=tmp_path).stdout)["findings"]
    assert finding["severity"] == "info"


@pytest.mark.parametrize("threshold", [None, "error", "warning", "info"])
def test_configured_severities_set_the_exit_code_as_built_in_ones_do(tmp_path, threshold):
    """IG301 (an error) configured as a warning exits as IG106 (a warning) does; as info, as IG203 (info)."""
    flags = ["--exit-non-zero-on", threshold] if threshold else []
    expected = {None: (1, 0), "error": (0, 0), "warning": (1, 0), "info": (1, 1)}[threshold]
    built_in = []
    for rule in ("IG106", "IG203"):
        root = write_tree(tmp_path / rule, {"pyproject.toml": "[project]\nname = 'p'\n", **BY_CODE[rule].bad})
        built_in.append(run_cli("check", "--select", rule, *flags, cwd=root).returncode)
    configured = []
    for level in ("warning", "info"):
        root = write_tree(tmp_path / level, CYCLE)
        configure(root, f"IG301 = '{level}'")
        configured.append(run_cli("check", "--select", "IG301", *flags, cwd=root).returncode)
    assert tuple(built_in) == tuple(configured) == expected
    root = write_tree(tmp_path / "default", CYCLE)  # unconfigured, IG301 fails at every threshold
    assert run_cli("check", "--select", "IG301", *flags, cwd=root).returncode == 1


def test_show_settings_lists_severities_and_per_file_versions(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": (
            "[tool.importguard]\ntarget-version = 'py39'\n\n[tool.importguard.per-file-target-version]\n'scripts/*.py' = 'py314'\n\n"
            "[tool.importguard.severity]\nig301 = 'warning'\n"
        ),
        "app.py": "",
    })
    proc = run_cli("check", "--show-settings", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "target-version: py39" in lines and "per-file-target-version: scripts/*.py = py314" in lines
    (severity,) = [line for line in lines if line.startswith("severity: ")]
    assert "IG301 = warning (configured)" in severity and "IG101 = error," in severity and "IG106 = warning," in severity
    write_tree(tmp_path, {"pyproject.toml": "[project]\nname = 'p'\n"})
    plain = run_cli("check", "--show-settings", cwd=tmp_path).stdout.splitlines()
    assert "per-file-target-version: none" in plain and "(configured)" not in "\n".join(plain)
