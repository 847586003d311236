"""IG305: `from first_party import X` where the module does not define X (proven with real Python)."""

from __future__ import annotations

from conftest import check_tree, run_python

TREE = {
    "store/__init__.py": "from .models import Customer\nfrom .helpers import *\n",
    "store/models.py": (
        "import sys\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from decimal import Decimal\n"
        "if sys.version_info >= (3,):\n    def fmt(x):\n        return str(x)\nelse:\n    fmt = repr\n"
        "class Customer:\n    pass\n"
    ),
    "store/helpers.py": "__all__ = ['slugify']\n\ndef slugify(s):\n    return s\n",
    "store/lazy.py": "def __getattr__(name):\n    return name\n",
    "store/sub/__init__.py": "",
    "store/sub/deep.py": "VALUE = 1\n",
    "store/views.py": (
        "from store.models import Costumer\n"          # 1: typo -> IG305
        "from store.models import Customer, fmt\n"     # 2: fine (conditional definition)
        "from store import Customer as Again, models\n"  # 3: re-export and submodule
        "from store import slugify\n"                  # 4: provided by a first-party star import
        "from store.lazy import anything\n"            # 5: module __getattr__
        "from store.sub import deep\n"                 # 6: submodule of a package
        "from store.models import Decimal\n"           # 7: TYPE_CHECKING only -> IG305
        "try:\n    from store.models import fast\nexcept ImportError:\n    fast = None\n"  # 9: guarded
        "def later():\n    from store.models import Gone\n"  # 13: runs later, still fails
    ),
}


def test_missing_names_are_reported_and_fail_in_real_python(tmp_path):
    findings = check_tree(tmp_path, TREE, select=["IG305"])
    assert sorted((f.path, f.line, f.name) for f in findings) == [
        ("store/views.py", 1, "Costumer"), ("store/views.py", 7, "Decimal"), ("store/views.py", 13, "Gone"),
    ]
    by_name = {f.name: f for f in findings}
    assert by_name["Costumer"].message == "`from store.models import Costumer`: `store.models` does not define `Costumer`"
    assert by_name["Costumer"].hint.endswith("did you mean `Customer`?")
    assert "only under `if TYPE_CHECKING:`" in by_name["Decimal"].hint
    real = run_python("import store.views", cwd=tmp_path)
    assert "ImportError: cannot import name 'Costumer' from 'store.models'" in real.stderr


def test_every_other_import_of_the_tree_works_in_real_python(tmp_path):
    check_tree(tmp_path, TREE, select=["IG305"])
    lines = TREE["store/views.py"].splitlines()
    fine = "\n".join(lines[1:6] + lines[7:11])  # without the three reported imports
    assert run_python(fine, cwd=tmp_path).returncode == 0


def test_data_folders_and_exec_generated_names_are_not_missing(tmp_path):
    findings = check_tree(tmp_path, {
        "kit/__init__.py": "",
        "kit/data/readme.txt": "a namespace package without Python files\n",
        "kit/shapes.py": "def _make(names):\n    for n in names:\n        exec(f'def {n}(): pass', globals())\n\n_make(['circle'])\n",
        "kit/use.py": "from kit import data\nfrom kit.shapes import circle\n",
    }, select=["IG305"])
    assert findings == []
    assert run_python("import kit.use", cwd=tmp_path).returncode == 0


BELOW = {
    "pkg/__init__.py": "",
    "pkg/plainmod.py": "VALUE = 1\n",
    "pkg/ns/present.py": "X = 1\n",  # `pkg/ns/` has no `__init__.py`: a namespace package inside `pkg`
    "pkg/ospath_like.py": "import sys\nfrom pkg import plainmod as flavour\nsys.modules[__name__ + '.flavour'] = flavour\n",
    "pkg/ext/__init__.py": "from pkgutil import extend_path\n__path__ = extend_path(__path__, __name__)\n",
    "toplevel_ns/present.py": "",  # a top-level namespace package: portions may live elsewhere
    "app.py": (
        "import pkg.plainmod.sub\n"                      # 1: below a plain module -> IG304
        "from pkg.ns.missing import x\n"                  # 2: below a namespace package inside `pkg` -> IG304
        "from pkg.ns import nothere\n"                    # 3: not in the namespace package -> IG305
        "from pkg.ns import present\n"                    # 4: fine
        "import pkg.ospath_like.flavour\n"                # 5: registered in sys.modules -> fine
        "import pkg.ext.elsewhere\n"                      # 6: `__path__` extended -> unknown
        "import toplevel_ns.elsewhere\n"                  # 7: another portion may provide it -> unknown
    ),
}


def test_imports_below_a_plain_module_or_a_nested_namespace_package_fail(tmp_path):
    findings = check_tree(tmp_path, BELOW, select=["IG304", "IG305"])
    assert sorted((f.code, f.line, f.name) for f in findings) == [
        ("IG304", 1, "pkg.plainmod.sub"), ("IG304", 2, "pkg.ns.missing"), ("IG305", 3, "nothere"),
    ]
    by_line = {f.line: f for f in findings}
    assert "(`pkg.plainmod` is a module, not a package)" in by_line[1].hint
    assert "`pkg.ns` is a folder without `__init__.py` and has no submodule `nothere`" in by_line[3].hint
    lines = BELOW["app.py"].splitlines()
    expected = {
        1: "No module named 'pkg.plainmod.sub'; 'pkg.plainmod' is not a package",
        2: "No module named 'pkg.ns.missing'",
        3: "cannot import name 'nothere' from 'pkg.ns'",
    }
    for line, error in expected.items():
        assert error in run_python(lines[line - 1], cwd=tmp_path).stderr, line
    for line in (4, 5):
        assert run_python(lines[line - 1], cwd=tmp_path).returncode == 0, line
