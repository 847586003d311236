"""Patterns of released packages that must not give false findings, and the findings they must
still give: self-replacing modules (celery, `collections.abc`, `ssl`), stubs, peers' suppression
codes, computed `__all__`, and Python 3.14's lazy annotations. Runtime claims run real Python."""

from __future__ import annotations

import json
import textwrap

from conftest import check_tree, run_cli, run_python


def found(findings):
    return sorted((f.code, f.path, f.line, f.name) for f in findings)


CELERY_LIKE = {
    "pkg/__init__.py": textwrap.dedent("""\
        from typing import TYPE_CHECKING

        from . import local

        __all__ = ("Celery", "shared_task")
        VERSION = (5, 7)

        if TYPE_CHECKING:
            from pkg.app import Celery, shared_task

        old_module, new_module = local.recreate_module(
            __name__,
            by_module={"pkg.app": ["Celery", "shared_task", "current_app"]},
            __path__=__path__, VERSION=VERSION,
        )
    """),
    "pkg/local.py": textwrap.dedent("""\
        import importlib
        import sys
        import types


        def recreate_module(name, by_module, **attrs):
            old = sys.modules[name]

            class LazyModule(types.ModuleType):
                def __getattr__(self, item):
                    for module, names in by_module.items():
                        if item in names:
                            return getattr(importlib.import_module(module), item)
                    raise AttributeError(item)

            new = LazyModule(name)
            new.__dict__.update(attrs)
            sys.modules[name] = new
            return old, new
    """),
    "pkg/app.py": "class Celery:\n    pass\n\n\ndef shared_task():\n    pass\n\n\ncurrent_app = None\n",
    "pkg/use.py": "from pkg import Celery, VERSION, current_app\n",
    "pkg/wrong.py": "from pkg import Celery, Signature\n",
}


def test_self_replacing_package_provides_what_it_advertises(tmp_path):
    findings = check_tree(tmp_path, CELERY_LIKE, select=["IG104", "IG305"])
    # `Signature` is in no mapping, `__all__`, TYPE_CHECKING import or binding: still reported.
    assert found(findings) == [("IG305", "pkg/wrong.py", 1, "Signature")]
    assert run_python("import pkg.use", cwd=tmp_path).returncode == 0
    assert "cannot import name 'Signature' from 'pkg'" in run_python("import pkg.wrong", cwd=tmp_path).stderr


def test_module_replaced_by_a_first_party_module_provides_its_names(tmp_path):
    findings = check_tree(tmp_path, {
        "_abc_impl.py": "class Mapping:\n    pass\n",
        "compat.py": "import sys\n\nimport _abc_impl\n\nsys.modules[__name__] = _abc_impl\n",
        "use.py": "from compat import Mapping\n",
        "wrong.py": "from compat import Sequence\n",
    }, select=["IG305"])
    assert found(findings) == [("IG305", "wrong.py", 1, "Sequence")]
    assert run_python("import use", cwd=tmp_path).returncode == 0
    assert "cannot import name 'Sequence'" in run_python("import wrong", cwd=tmp_path).stderr


def test_star_import_of_a_replaced_module_provides_the_replacement_s_names(tmp_path):
    # CPython 3.13's `collections/abc.py` is only `sys.modules[__name__] = _collections_abc`.
    findings = check_tree(tmp_path, {
        "_abc_impl.py": "__all__ = ['Mapping']\n\n\nclass Mapping:\n    pass\n",
        "compat.py": "import sys\n\nimport _abc_impl\n\nsys.modules[__name__] = _abc_impl\n",
        "use.py": "from compat import *\n\nprint(Mapping, Sequence)\n",
    }, select=["IG101"])
    assert found(findings) == [("IG101", "use.py", 3, "Sequence")]
    assert "name 'Sequence' is not defined" in run_python("import use", cwd=tmp_path).stderr


def test_module_replaced_by_something_unreadable_reports_nothing_missing(tmp_path):
    findings = check_tree(tmp_path, {
        "lazy.py": "import sys\nimport types\n\nsys.modules[__name__] = types.SimpleNamespace(anything=1)\n",
        "use.py": "from lazy import anything\n",
    }, select=["IG305"])
    assert found(findings) == []


def test_call_that_writes_names_into_the_module_silences_undefined_names(tmp_path):
    source = textwrap.dedent("""\
        import enum
        import types

        source = types.SimpleNamespace(C_RED=1, C_BLUE=2)
        enum.IntEnum._convert_("Color", __name__, lambda name: name.startswith("C_"), source=source)
        FAVOURITE = (Color.C_RED, C_BLUE)
    """)
    findings = check_tree(tmp_path, {"colors.py": source, "other.py": "print(Missing)\n"}, select=["IG101"])
    assert found(findings) == [("IG101", "other.py", 1, "Missing")]
    assert run_python("import colors; print(colors.FAVOURITE)", cwd=tmp_path).returncode == 0


def test_logger_named_after_the_module_is_not_a_rebuild(tmp_path):
    findings = check_tree(tmp_path, {
        "svc.py": "import logging\n\nlog = logging.getLogger(__name__)\nprint(Missing)\n",
    }, select=["IG101"])
    assert found(findings) == [("IG101", "svc.py", 4, "Missing")]


def test_stubs_may_use_names_before_binding_them(tmp_path):
    stub = textwrap.dedent("""\
        def make() -> Widget: ...

        class Widget:
            parent: Widget | None
            def child(self) -> Child: ...

        class Child(Widget): ...

        def broken() -> Nowhere: ...
    """)
    findings = check_tree(tmp_path, {"ui.pyi": stub}, select=["IG1"])
    assert found(findings) == [("IG101", "ui.pyi", 9, "Nowhere")]


def test_peer_suppression_codes_silence_the_same_bug(tmp_path):
    findings = check_tree(tmp_path, {
        "m.py": textwrap.dedent("""\
            __all__ = ["gone"]  # noqa: F822
            print(missing)  # noqa: F821
            print(other)  # noqa: F401


            def f():
                print(value)  # noqa: F823
                value = 1
        """),
        "n.py": "def f(x: 'Missing'):  # noqa: F821\n    return x\n",
    }, select=["ALL"])
    assert found(findings) == [("IG101", "m.py", 3, "other")]


def test_literal_parts_of_a_computed_all_are_checked(tmp_path):
    findings = check_tree(tmp_path, {
        "base.py": "__all__ = ['a']\na = 1\n",
        "m.py": "import base\nfrom base import *\n__all__ = base.__all__ + ['b', 'c']\n__all__ += ['d']\nb = 1\n",
        "n.py": "__all__ = ['x'] + ['y']\nx = 1\n",
    }, select=["IG104"])
    assert found(findings) == [("IG104", "m.py", 3, "c"), ("IG104", "m.py", 4, "d"), ("IG104", "n.py", 1, "y")]


ANNOTATED = "def f(x: Missing) -> Other:\n    return x\n\n\nclass C:\n    a: Nope\n"


def test_python_314_target_makes_annotations_lazy(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\nrequires-python = ">=3.14"\n')
    (tmp_path / "m.py").write_text(ANNOTATED)
    proc = run_cli("check", ".", "--select", "IG101,IG106", "--format", "json", cwd=tmp_path)
    assert [f["code"] for f in json.loads(proc.stdout)["findings"]] == ["IG106"] * 3
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\nrequires-python = ">=3.9"\n')
    proc = run_cli("check", ".", "--select", "IG101,IG106", "--format", "json", cwd=tmp_path)
    # evaluated annotations before 3.14: NameError at import
    assert [f["code"] for f in json.loads(proc.stdout)["findings"]] == ["IG101"] * 3
    assert "NameError: name 'Missing' is not defined" in run_python("import m", cwd=tmp_path).stderr


def test_target_version_setting(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.importguard]\ntarget-version = "py314"\n')
    (tmp_path / "m.py").write_text(ANNOTATED)
    proc = run_cli("check", ".", "--select", "IG101", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.importguard]\ntarget-version = "3.14"\n')
    proc = run_cli("check", ".", cwd=tmp_path)
    assert proc.returncode == 2 and "`target-version` must be a Python version" in proc.stderr


def test_string_annotation_finding_says_when_it_fails(tmp_path):
    (finding,) = check_tree(tmp_path, {"api.py": "def handle(d: 'ToolDispatcher') -> None:\n    pass\n"}, select=["ALL"])
    assert (finding.code, finding.rule) == ("IG106", "undefined-annotation-name")
    assert finding.message == "name `ToolDispatcher` in an annotation is not defined"
    assert "typing.get_type_hints" in finding.hint
    proof = "import typing, api\ntry:\n    typing.get_type_hints(api.handle)\nexcept NameError as e:\n    print(e)"
    assert "name 'ToolDispatcher' is not defined" in run_python(proof, cwd=tmp_path).stdout


def test_star_import_inside_a_function_does_not_hide_module_findings(tmp_path):
    # Python 3 rejects it when compiling ("import * only allowed at module level"); it provides nothing.
    findings = check_tree(tmp_path, {"m.py": "print(A)\nA = 1\n\n\ndef f():\n    from os.path import *\n"}, select=["IG101"])
    assert found(findings) == [("IG101", "m.py", 1, "A")]


def test_function_declared_noreturn_ends_a_handler(tmp_path):
    findings = check_tree(tmp_path, {
        # only the annotation says it: the body ends in a call importguard cannot follow
        "errors.py": "from typing import NoReturn\n\nfrom vendor import abort\n\n\ndef fail(exc) -> NoReturn:\n    abort(exc)\n",
        "job.py": textwrap.dedent("""\
            from errors import fail


            def run(task):
                try:
                    result = task()
                except ValueError as exc:
                    fail(exc)
                return result
        """),
    }, select=["IG105"])
    assert found(findings) == []


def test_handler_ending_in_an_inherited_method_that_always_raises(tmp_path):
    # twisted's profilers: `except ImportError: self._reportImportError(...)` from a base class.
    findings = check_tree(tmp_path, {
        "base.py": "class Base:\n    def _fail(self, error):\n        raise SystemExit(str(error))\n",
        "runner.py": textwrap.dedent("""\
            from base import Base


            class Runner(Base):
                def run(self):
                    try:
                        import profile_is_not_installed_here as profile
                    except ImportError as error:
                        self._fail(error)
                    return profile
        """),
    }, select=["IG105"])
    assert found(findings) == []
    proc = run_python("import runner; runner.Runner().run()", cwd=tmp_path)
    assert "No module named" in proc.stderr and "UnboundLocalError" not in proc.stderr
