"""IG101/IG305 for names a first-party module assigns into another (`codecs_mod.registry = registry`,
`setattr(types_mod, "NULL", NULL)`): silent when the assignment has certainly run before the use,
explained when it may not have (every claim proven with real Python)."""

from __future__ import annotations

import json
from typing import Dict

from conftest import check_tree, run_cli, run_python, write_tree

CODECS = (
    "from typing import TYPE_CHECKING\n"
    "\n"
    "if TYPE_CHECKING:\n"
    "    from .registry_mod import registry\n"
    "\n"
    "\n"
    "def use():\n"
    "    return registry['utf8']\n"
)
TYPES = (
    "from typing import TYPE_CHECKING\n"
    "\n"
    "if TYPE_CHECKING:\n"
    "    from .consts import NULL\n"
    "\n"
    "\n"
    "def is_null(value):\n"
    "    return value is NULL\n"
)
# The released library's shape: `pkg/__init__.py` imports the submodules, then assigns into them.
LIBRARY: Dict[str, str] = {
    "pkg/__init__.py": (
        "from . import codecs_mod\n"
        "import pkg.types_mod as types_mod\n"
        "from .consts import NULL\n"
        "from .registry_mod import registry\n"
        "\n"
        "codecs_mod.registry = registry\n"
        "setattr(types_mod, 'NULL', NULL)\n"
        "from . import user\n"
    ),
    "pkg/codecs_mod.py": CODECS,
    "pkg/types_mod.py": TYPES,
    "pkg/consts.py": "NULL = object()\n",
    "pkg/registry_mod.py": "registry = {'utf8': 'codec'}\n",
    "pkg/user.py": "from .types_mod import NULL\n\n\ndef later():\n    from .types_mod import NULL\n    return NULL\n",
}
CODECS_ONLY = {"pkg/codecs_mod.py": CODECS, "pkg/registry_mod.py": LIBRARY["pkg/registry_mod.py"]}


def test_names_the_package_assigns_into_its_submodules_are_bound_when_used(tmp_path):
    assert check_tree(tmp_path, LIBRARY, select=["IG101", "IG305"]) == []
    real = run_python(
        "import pkg\n"
        "assert pkg.codecs_mod.use() == 'codec' and pkg.types_mod.is_null(pkg.NULL)\n"
        "assert pkg.user.later() is pkg.NULL\n",
        cwd=tmp_path,
    )
    assert real.returncode == 0, real.stderr
    # importing a submodule directly runs the package first, so the assignment has run too
    direct = run_python("from pkg.codecs_mod import use\nprint(use())\nimport pkg.user", cwd=tmp_path)
    assert (direct.returncode, direct.stdout) == (0, "codec\n"), direct.stderr


def test_without_the_assignment_the_name_is_undefined(tmp_path):
    tree = {**CODECS_ONLY, "pkg/__init__.py": "from . import codecs_mod\n"}
    (finding,) = check_tree(tmp_path, tree, select=["IG101", "IG305"])
    assert (finding.code, finding.path, finding.line, finding.name) == ("IG101", "pkg/codecs_mod.py", 8, "registry")
    assert finding.message == "name `registry` is not defined at run time in `use()`"
    real = run_python("import pkg\npkg.codecs_mod.use()", cwd=tmp_path)
    assert real.stderr.strip().endswith("NameError: name 'registry' is not defined")


def test_an_assignment_only_some_other_import_runs_is_explained(tmp_path):
    tree = {
        **CODECS_ONLY,
        "pkg/__init__.py": "",
        "pkg/setup.py": (
            "from . import codecs_mod\nfrom .registry_mod import registry\n\ncodecs_mod.registry = registry\n"
        ),
    }
    (finding,) = check_tree(tmp_path, tree, select=["IG101"])
    assert (finding.path, finding.line, finding.name) == ("pkg/codecs_mod.py", 8, "registry")
    assert finding.message == "name `registry` is not bound in `pkg.codecs_mod` itself in `use()`"
    assert finding.hint == (
        "`pkg/setup.py:4` assigns `codecs_mod.registry` at import time, which runs before this only if "
        "`pkg.setup` has been imported first; bind `registry` in `pkg.codecs_mod` itself"
    )
    assert ("pkg/setup.py", 4) in [(r.path, r.line) for r in finding.related]
    alone = run_python("import pkg.codecs_mod\npkg.codecs_mod.use()", cwd=tmp_path)
    assert alone.stderr.strip().endswith("NameError: name 'registry' is not defined")
    first = run_python("import pkg.setup, pkg.codecs_mod\nprint(pkg.codecs_mod.use())", cwd=tmp_path)
    assert (first.returncode, first.stdout) == (0, "codec\n"), first.stderr


def test_an_assignment_under_a_condition_is_not_certain(tmp_path):
    init = "import os\nfrom . import codecs_mod\nfrom .registry_mod import registry\n\nif os.environ.get('PKG_REGISTRY'):\n    codecs_mod.registry = registry\n"
    (finding,) = check_tree(tmp_path, {**CODECS_ONLY, "pkg/__init__.py": init}, select=["IG101"])
    assert finding.name == "registry"
    assert finding.hint.startswith("`pkg/__init__.py:6` assigns `codecs_mod.registry` under a condition, which runs before this only if")
    real = run_python("import pkg\npkg.codecs_mod.use()", cwd=tmp_path)
    assert real.stderr.strip().endswith("NameError: name 'registry' is not defined")


def test_code_that_runs_while_the_module_is_imported_comes_before_the_assignment(tmp_path):
    tree = {**LIBRARY, "pkg/codecs_mod.py": CODECS + "\n\nDEFAULT = use()\n", "pkg/types_mod.py": TYPES + "\nprint(NULL)\n"}
    findings = check_tree(tmp_path, tree, select=["IG101"])
    assert sorted((f.path, f.line, f.name) for f in findings) == [
        ("pkg/codecs_mod.py", 8, "registry"), ("pkg/types_mod.py", 10, "NULL"),
    ]
    module_level = next(f for f in findings if f.name == "NULL")
    assert module_level.message == "name `NULL` is not bound in `pkg.types_mod` itself at module level"
    assert module_level.hint == (
        "`pkg/__init__.py:7` assigns `types_mod.NULL` at import time, after it has imported `pkg.types_mod`, "
        "which runs this module-level code first; bind `NULL` in `pkg.types_mod` itself"
    )
    for module, name in (("pkg.codecs_mod", "registry"), ("pkg.types_mod", "NULL")):
        tmp_path.joinpath("pkg/__init__.py").write_text(f"import {module}\n")  # one failure at a time
        real = run_python(f"import {module}", cwd=tmp_path)
        assert real.stderr.strip().endswith(f"NameError: name '{name}' is not defined"), real.stderr


def test_a_from_import_that_runs_before_the_package_assigns_the_name_fails(tmp_path):
    init = LIBRARY["pkg/__init__.py"].replace("from . import user\n", "")
    tree = {**LIBRARY, "pkg/__init__.py": "from . import user\n" + init}
    (finding,) = check_tree(tmp_path, tree, select=["IG305"])
    assert (finding.path, finding.line, finding.name) == ("pkg/user.py", 1, "NULL")
    assert finding.message == "`from .types_mod import NULL`: `pkg.types_mod` does not define `NULL` itself"
    assert finding.hint == (
        "Python raises `ImportError: cannot import name 'NULL' from 'pkg.types_mod'`; `pkg/__init__.py:8` "
        "assigns `types_mod.NULL` at import time, which runs before this only if nothing `pkg` runs above "
        "line 8 imports `pkg.user`"
    )
    real = run_python("import pkg", cwd=tmp_path)
    assert "ImportError: cannot import name 'NULL' from 'pkg.types_mod'" in real.stderr


def test_a_partial_rerun_still_sees_the_assignment_in_an_unchanged_file(tmp_path):
    """An edit inside `use()` re-runs IG101 on that file only; the package's assignment, in a file
    that did not change, still counts."""
    write_tree(tmp_path, {**LIBRARY, "pyproject.toml": ""})

    def check() -> tuple:
        result = run_cli("check", ".", "--format", "json", "--exit-zero", "-v", cwd=tmp_path)
        return json.loads(result.stdout)["findings"], result.stderr.rsplit("; ", 1)[-1]

    assert check()[0] == []
    codecs = tmp_path / "pkg/codecs_mod.py"
    codecs.write_text(codecs.read_text().replace("registry['utf8']", "registry['utf' + '8']"))
    found, phases = check()
    assert "file rules on 1 changed" in phases and found == []
    assert run_python("import pkg\nprint(pkg.codecs_mod.use())", cwd=tmp_path).stdout == "codec\n"


def test_a_call_the_package_makes_before_assigning_runs_without_the_name(tmp_path):
    init = LIBRARY["pkg/__init__.py"].replace("codecs_mod.registry = registry\n", "codecs_mod.use()\ncodecs_mod.registry = registry\n")
    (finding,) = check_tree(tmp_path, {**LIBRARY, "pkg/__init__.py": init}, select=["IG101"])
    assert (finding.path, finding.line, finding.name) == ("pkg/codecs_mod.py", 8, "registry")
    real = run_python("import pkg", cwd=tmp_path)
    assert real.stderr.strip().endswith("NameError: name 'registry' is not defined")
