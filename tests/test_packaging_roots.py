"""Source roots from the packaging configuration: a project whose packages live under `lib/` names
them as the installed package does (`pkg.mod`, not `lib.pkg.mod`) and resolves `import pkg.x` in
`lib/`. Every test runs the real command line; the import claims are proven by real Python with
`lib` on the path, as the installed package sees it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli, write_tree

LIB = {
    "lib/pkg/__init__.py": "",
    "lib/pkg/util.py": "def helper():\n    return 1\n",
    "lib/pkg/good.py": "from pkg.util import helper\n\nVALUE = helper()\n",
    "lib/pkg/mod.py": "from pkg.util import helper, missing\n",
    "lib/pkg/other.py": "import pkg.nothere\n",
    "tests/test_good.py": "from pkg.good import VALUE\n",
    "helpers.py": "NAME = 1\n",
    "tasks.py": "from helpers import NAME, NOPE\n",  # the project root is still a source root
}

LAYOUTS = {
    "setuptools-find": {"pyproject.toml": "[project]\nname = 'pkg'\n\n[tool.setuptools.packages.find]\nwhere = ['lib']\n"},
    "setuptools-package-dir": {"pyproject.toml": "[tool.setuptools]\npackage-dir = {'' = 'lib'}\n"},
    "setuptools-package-dir-named": {"pyproject.toml": "[tool.setuptools.package-dir]\npkg = 'lib/pkg'\n"},
    "setup-cfg-package-dir": {"pyproject.toml": "", "setup.cfg": "[options]\npackages = find:\npackage_dir =\n    =lib\n"},
    "setup-cfg-find": {"pyproject.toml": "", "setup.cfg": "[options]\npackages = find:\n\n[options.packages.find]\nwhere = lib\n"},
    "hatch-packages": {"pyproject.toml": "[tool.hatch.build.targets.wheel]\npackages = ['lib/pkg']\n"},
    "hatch-sources": {"pyproject.toml": "[tool.hatch.build.targets.wheel.sources]\n'lib/pkg' = 'pkg'\n"},
    "hatch-toml": {"pyproject.toml": "", "hatch.toml": "[build]\nsources = ['lib']\n"},
    "poetry": {"pyproject.toml": "[tool.poetry]\nname = 'pkg'\npackages = [{include = 'pkg', from = 'lib'}]\n"},
    "pdm": {"pyproject.toml": "[tool.pdm.build]\npackage-dir = 'lib'\n"},
    "maturin": {"pyproject.toml": "[tool.maturin]\npython-source = 'lib'\n"},
}

# What the installed package does on import, checked in one interpreter per fixture.
PROBE = """
import importlib
for name in ("pkg.good", "pkg.mod", "pkg.other", "tasks"):
    try:
        importlib.import_module(name)
        print(name, "ok")
    except ImportError as error:
        print(name, type(error).__name__, error)
"""


def installed_imports(root: Path) -> list:
    """Import the fixture's modules with `lib` on the path, as an installed `pkg` is imported."""
    env = {**os.environ, "PYTHONPATH": str(root / "lib")}
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=root, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def findings_of(proc) -> list:
    assert proc.returncode in (0, 1), proc.stderr
    return [(f["code"], f["path"], f["line"], f["module"], f["message"]) for f in json.loads(proc.stdout)["findings"]]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_packages_under_lib_are_named_and_resolved_as_installed(tmp_path, layout):
    write_tree(tmp_path, {**LIB, **LAYOUTS[layout]})
    found = findings_of(run_cli("check", ".", "--format", "json", "--no-cache", cwd=tmp_path))
    assert found == [
        ("IG305", "lib/pkg/mod.py", 1, "pkg.mod", "`from pkg.util import helper, missing`: `pkg.util` does not define `missing`"),
        ("IG304", "lib/pkg/other.py", 1, "pkg.other", "`import pkg.nothere`: no module `pkg.nothere` in this project"),
        ("IG305", "tasks.py", 1, "tasks", "`from helpers import NAME, NOPE`: `helpers` does not define `NOPE`"),
    ]
    assert installed_imports(tmp_path) == [
        "pkg.good ok",
        "pkg.mod ImportError cannot import name 'missing' from 'pkg.util' (" + str(tmp_path / "lib" / "pkg" / "util.py") + ")",
        "pkg.other ModuleNotFoundError No module named 'pkg.nothere'",
        "tasks ImportError cannot import name 'NOPE' from 'helpers' (" + str(tmp_path / "helpers.py") + ")",
    ]
    settings = run_cli("check", ".", "--show-settings", cwd=tmp_path)
    assert f"source roots: {tmp_path}, {tmp_path / 'lib'}\n" in settings.stdout, settings.stderr


def test_without_packaging_configuration_lib_is_an_ordinary_folder(tmp_path):
    write_tree(tmp_path, {**LIB, "pyproject.toml": "[project]\nname = 'pkg'\n"})
    proc = run_cli("check", ".", "--show-settings", cwd=tmp_path)
    assert f"source roots: {tmp_path}\n" in proc.stdout, proc.stderr


def test_importguard_src_setting_replaces_the_packaging_roots(tmp_path):
    write_tree(tmp_path, {
        **LIB,
        "pyproject.toml": "[tool.setuptools.packages.find]\nwhere = ['lib']\n\n[tool.importguard]\nsrc = ['tests']\n",
    })
    proc = run_cli("check", ".", "--show-settings", cwd=tmp_path)
    roots = next(line for line in proc.stdout.splitlines() if line.startswith("source roots: "))
    assert str(tmp_path / "tests") in roots.split(": ", 1)[1].split(", ")
    assert str(tmp_path / "lib") not in roots.split(": ", 1)[1].split(", ")


ODD = {
    "malformed-setup-cfg": {"pyproject.toml": "", "setup.cfg": "package_dir = =lib\n[options\nwhere = lib\n"},
    "duplicate-setup-cfg-section": {"pyproject.toml": "", "setup.cfg": "[options]\na = 1\n[options]\na = 2\n"},
    "where-not-a-list": {"pyproject.toml": "[tool.setuptools.packages.find]\nwhere = 'lib'\n"},
    "package-dir-not-a-table": {"pyproject.toml": "[tool.setuptools]\npackage-dir = ['lib']\npackages = 'pkg'\n"},
    "renamed-package-folder": {"pyproject.toml": "[tool.setuptools.package-dir]\nother = 'lib/pkg'\n"},
    "folder-outside-or-missing": {"pyproject.toml": "[tool.setuptools.packages.find]\nwhere = ['..', '/', 'nowhere', 3]\n"},
    "hatch-odd-values": {"pyproject.toml": "[tool.hatch.build]\npackages = {lib = 1}\nsources = 7\ntargets = 'wheel'\n"},
    "poetry-odd-values": {"pyproject.toml": "[tool.poetry]\npackages = [{include = 'pkg', from = 3}, 'lib', {from = ['lib']}]\n"},
    "tool-not-a-table": {"pyproject.toml": "tool = 1\n", "hatch.toml": "[build\n"},
    "binary-setup-cfg": {"pyproject.toml": "", "setup.cfg": b"[options]\npackage_dir = =lib\xff\xfe\n"},
}


@pytest.mark.parametrize("case", sorted(ODD))
def test_odd_packaging_configuration_is_ignored(tmp_path, case):
    write_tree(tmp_path, {**LIB, **ODD[case]})
    proc = run_cli("check", ".", "--show-settings", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"source roots: {tmp_path}\n" in proc.stdout
    assert run_cli("check", ".", "--format", "json", "--no-cache", cwd=tmp_path).returncode in (0, 1)


def test_editing_the_packaging_configuration_is_not_answered_from_the_last_run(tmp_path):
    write_tree(tmp_path, {**LIB, "pyproject.toml": "[project]\nname = 'pkg'\n"})
    before = findings_of(run_cli("check", ".", "--format", "json", cwd=tmp_path))
    assert [f[:4] for f in before] == [("IG305", "tasks.py", 1, "tasks")]  # `lib.pkg.util` is not `pkg.util`
    write_tree(tmp_path, LAYOUTS["setuptools-find"])
    after = findings_of(run_cli("check", ".", "--format", "json", cwd=tmp_path))
    assert [f[:4] for f in after] == [
        ("IG305", "lib/pkg/mod.py", 1, "pkg.mod"), ("IG304", "lib/pkg/other.py", 1, "pkg.other"), ("IG305", "tasks.py", 1, "tasks"),
    ]
