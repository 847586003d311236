"""IG304/IG305 stay quiet on an import a test expects to fail (`with pytest.raises(ImportError):`,
`self.assertRaises(ImportError)`, `suppress(ImportError)`), and still report the same imports
outside such a block. Real Python (and real pytest) proves which imports raise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import check_tree, run_python, summary, write_tree

TEST_FILE = "tests/test_optional.py"
PROJECT = {
    "graphlib_x/__init__.py": "",
    "graphlib_x/core.py": "def build():\n    return {}\n",
    TEST_FILE: (
        "import unittest\n"
        "from contextlib import suppress\n"
        "\n"
        "import pytest\n"
        "from pytest import raises\n"
        "\n"
        "with suppress(ImportError):\n"
        "    from graphlib_x.core import accelerated\n"  # 8
        "\n"
        "\n"
        "def test_missing_backend():\n"
        "    with pytest.raises(ImportError):\n"
        "        import graphlib_x.backend_missing\n"  # 13
        "\n"
        "\n"
        "def test_missing_name():\n"
        "    with raises((AttributeError, ImportError), match='missing_name'):\n"
        "        from graphlib_x.core import missing_name\n"  # 18
        "\n"
        "\n"
        "def test_missing_module_by_keyword():\n"
        "    with pytest.raises(expected_exception=ModuleNotFoundError):\n"
        "        import graphlib_x.plotting_missing\n"  # 23
        "\n"
        "\n"
        "def test_anything_raised():\n"
        "    with pytest.raises(Exception):\n"
        "        from graphlib_x.core import layout_missing\n"  # 28
        "\n"
        "\n"
        "class OptionalTest(unittest.TestCase):\n"
        "    def test_missing_name(self):\n"
        "        with self.assertRaises(ImportError):\n"
        "            from graphlib_x.core import drawing_missing\n"  # 34
        "\n"
        "\n"
        "def test_outside_the_block():\n"
        "    with pytest.raises(ImportError):\n"
        "        raise ImportError('expected')\n"
        "    import graphlib_x.backend_missing\n"  # 40
        "\n"
        "\n"
        "def test_raises_something_else():\n"
        "    with pytest.raises(ValueError):\n"
        "        from graphlib_x.core import other_missing\n"  # 45
        "\n"
        "\n"
        "def test_missing_name_is_not_a_missing_module():\n"
        "    with pytest.raises(ModuleNotFoundError):\n"
        "        from graphlib_x.core import renderer_missing\n"  # 50
    ),
}
INSIDE = {
    8: "from graphlib_x.core import accelerated",
    13: "import graphlib_x.backend_missing",
    18: "from graphlib_x.core import missing_name",
    23: "import graphlib_x.plotting_missing",
    28: "from graphlib_x.core import layout_missing",
    34: "from graphlib_x.core import drawing_missing",
}


def test_imports_expected_to_fail_are_not_reported_but_the_same_imports_elsewhere_are(tmp_path: Path):
    findings = check_tree(tmp_path, PROJECT, select=["IG304", "IG305"])
    assert summary(findings) == [("IG304", TEST_FILE, 40), ("IG305", TEST_FILE, 45), ("IG305", TEST_FILE, 50)]
    assert [f.name for f in findings] == ["graphlib_x.backend_missing", "other_missing", "renderer_missing"]


@pytest.mark.parametrize("line", sorted(INSIDE))
def test_each_import_in_the_block_really_raises_import_error(tmp_path: Path, line: int):
    root = write_tree(tmp_path, PROJECT)
    source = (root / TEST_FILE).read_text(encoding="utf-8").splitlines()
    assert source[line - 1].strip() == INSIDE[line]
    ran = run_python(INSIDE[line], cwd=root)
    last = ran.stderr.strip().splitlines()[-1]
    assert last.startswith(("ImportError:", "ModuleNotFoundError:")), ran.stderr


def test_pytest_passes_the_blocks_and_fails_the_reported_imports(tmp_path: Path):
    """The suite really runs: every expected failure is caught by its block, and exactly the three
    reported imports fail their tests with an import error (a missing name raises a plain
    `ImportError`, which `pytest.raises(ModuleNotFoundError)` does not catch)."""
    root = write_tree(tmp_path, PROJECT)
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider", TEST_FILE],
        cwd=root, capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "1000"},
    )
    failed = sorted(line for line in ran.stdout.splitlines() if line.startswith("FAILED"))
    assert len(failed) == 3 and "5 passed" in ran.stdout, ran.stdout
    assert "test_missing_name_is_not_a_missing_module - ImportError: cannot import name 'renderer_missing'" in failed[0]
    assert "test_outside_the_block - ModuleNotFoundError" in failed[1]
    assert "test_raises_something_else - ImportError: cannot import name 'other_missing'" in failed[2]


@pytest.mark.parametrize("caught, code, crashes", [("ModuleNotFoundError", "IG306", True), ("ImportError", "IG307", False)])
def test_partial_import_escapes_a_block_that_catches_only_missing_modules(tmp_path: Path, caught: str, code: str, crashes: bool):
    """`from a import X` while `a` is partially initialised raises a plain `ImportError`:
    `suppress(ModuleNotFoundError)` lets it crash the import (IG306), `suppress(ImportError)`
    swallows it (IG307)."""
    files = {
        "a.py": "import b\n\nX = 1\n",
        "b.py": f"from contextlib import suppress\n\nwith suppress({caught}):\n    from a import X\n",
    }
    findings = check_tree(tmp_path, files, select=["IG306", "IG307"])
    assert summary(findings) == [(code, "b.py", 4)]
    ran = run_python("import a", cwd=tmp_path)
    assert (ran.returncode != 0) == crashes, ran.stderr
    if crashes:
        assert "ImportError: cannot import name 'X' from partially initialized module 'a'" in ran.stderr
