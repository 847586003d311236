"""IG101–IG104 behaviours that need the whole project or the configuration: star imports,
writes to the module namespace, packages, `__all__`, extra builtins, and the messages."""

from __future__ import annotations

from conftest import check_tree, run_cli, run_python, write_tree


def names(findings):
    return sorted((f.code, f.path, f.line, f.name) for f in findings)


def test_first_party_star_import_provides_public_names_or_all(tmp_path):
    findings = check_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/consts.py": "__all__ = ['A']\nA = 1\nB = 2\n",
        "pkg/helpers.py": "def run():\n    pass\n_private = 1\n",
        "pkg/use.py": "from pkg.consts import *\nfrom pkg.helpers import *\nprint(A, run)\nprint(B)\nprint(_private)\n",
    }, select=["IG101"])
    assert names(findings) == [("IG101", "pkg/use.py", 4, "B"), ("IG101", "pkg/use.py", 5, "_private")]
    # Real Python agrees: `B` is not exported by `__all__`.
    assert "NameError: name 'B' is not defined" in run_python("import pkg.use", cwd=tmp_path).stderr


def test_unresolved_star_import_silences_undefined_names_and_says_so(tmp_path):
    findings = check_tree(tmp_path, {
        "app.py": "from tkinter import *\nButton()\n\ndef f():\n    import json\n\ndef g():\n    return json\n",
    }, select=["IG101"])
    assert names(findings) == []  # `json` could come from the star import too
    findings = check_tree(tmp_path, {
        "app.py": "from tkinter import *\nx = 1\ndel x\nprint(x)\n",
    }, select=["IG105"])
    (finding,) = findings  # nothing brings `x` back after `del`, star import or not
    assert finding.message == "name `x` is used after `del x` (line 3) at module level"
    assert finding.hint.startswith("this use raises NameError")


def test_module_namespace_writes(tmp_path):
    findings = check_tree(tmp_path, {
        "literal.py": "def setup():\n    globals()['handler'] = print\n\ndef use():\n    return handler, missing\n",
        "computed.py": "for n in ('a', 'b'):\n    globals()[n] = 1\nprint(a, b, c)\n",
    }, select=["IG101"])
    # A literal key binds that name; a computed key could bind anything.
    assert names(findings) == [("IG101", "literal.py", 5, "missing")]


def test_package_names_path_and_submodules(tmp_path):
    findings = check_tree(tmp_path, {
        "pkg/__init__.py": "from .sub import *\n__all__ = sub.__all__ + ['extra']\nprint(__path__)\n",
        "pkg/sub.py": "__all__ = ['thing']\nthing = 1\nprint(__path__)\n",
    }, select=["IG101"])
    assert names(findings) == [("IG101", "pkg/sub.py", 3, "__path__")]


def test_undefined_export(tmp_path):
    findings = check_tree(tmp_path, {
        "pkg/__init__.py": "__all__ = ['sub', 'api', 'gone']\n__all__ += ['also_gone']\nfrom . import api\n",
        "pkg/sub.py": "",
        "pkg/api.py": "__all__ = ['connect']\n__all__.append('close')\n\ndef connect():\n    pass\n",
        "lazy.py": "__all__ = ['anything']\n\ndef __getattr__(name):\n    return name\n",
    }, select=["IG104"])
    assert names(findings) == [
        ("IG104", "pkg/__init__.py", 1, "gone"), ("IG104", "pkg/__init__.py", 2, "also_gone"),
        ("IG104", "pkg/api.py", 2, "close"),
    ]
    assert findings[0].message == "`__all__` lists `gone`, which the module does not define"
    assert "AttributeError" in run_python("from pkg.api import *", cwd=tmp_path).stderr


def test_type_checking_only_import_used_at_run_time(tmp_path):
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from decimal import Decimal\n"
        "\n"
        "def total(x: 'Decimal') -> 'Decimal':\n"
        "    return Decimal(x)\n"
    )
    (finding,) = check_tree(tmp_path, {"money.py": source}, select=["IG101"])
    assert (finding.line, finding.column, finding.name) == (6, 12, "Decimal")
    assert finding.message == "name `Decimal` is not defined at run time in `total()`"
    assert finding.hint.startswith("`Decimal` is imported only under `if TYPE_CHECKING:` (line 3)")
    assert "NameError: name 'Decimal' is not defined" in run_python("import money; money.total(1)", cwd=tmp_path).stderr


def test_class_scope_hint(tmp_path):
    source = "class Config:\n    retries = 3\n\n    def attempts(self):\n        return list(range(retries))\n"
    (finding,) = check_tree(tmp_path, {"config.py": source}, select=["IG101"])
    assert finding.hint.startswith("`retries` is bound in the body of class `Config` (line 2)")
    assert "self.retries" in finding.hint


def test_configured_builtins_and_cli_output(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\nbuiltins = ['_']\n",
        "app.py": "print(_('hello'))\nprint(gettext_missing)\n",
    })
    result = run_cli("check", ".", "--select", "IG1", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "app.py:2:7: IG101 name `gettext_missing` is not defined at module level"
    assert "_" not in [line.split()[-1] for line in result.stdout.splitlines() if "IG101" in line]


def test_inline_suppression_of_a_name_finding(tmp_path):
    findings = check_tree(tmp_path, {"app.py": "print(undefined_a)  # noqa: IG101\nprint(undefined_b)\n"}, select=["IG1"])
    assert names(findings) == [("IG101", "app.py", 2, "undefined_b")]


def test_alias_of_globals_counts_as_a_namespace_write(tmp_path):
    findings = check_tree(tmp_path, {
        "flags.py": "__all__ = ['CO_A']\nns = globals()\nfor n in ('A',):\n    ns['CO_' + n] = 1\nprint(CO_A)\n",
    }, select=["IG1"])
    assert findings == []
    assert run_python("from flags import *; print(CO_A)", cwd=tmp_path).returncode == 0
