"""IG306: importguard replays the import order from every module of a cycle; real Python imports
each entry in a fresh subprocess and must fail (or work) exactly as predicted."""

from __future__ import annotations


import pytest

from conftest import check_tree, run_python
from importguard.run.config import Config
from importguard.project.graph import IMPORT_TIME
from importguard.project.simulate import first_failure
from importguard.rules.partial_import import SWALLOWED_PARTIAL_IMPORT
from importguard.run.check import run_check
from importguard.run.settings import Settings

CASES = {
    "two_modules_both_orders_fail": (
        {
            "shop/__init__.py": "",
            "shop/orders.py": "from shop.billing import charge\n\nTAX = 0.2\n",
            "shop/billing.py": "from shop.orders import TAX\n\n\ndef charge(amount):\n    return amount * (1 + TAX)\n",
        },
        [("IG306", "shop/billing.py", 1, "TAX"), ("IG306", "shop/orders.py", 1, "charge")],
    ),
    "three_modules_only_one_entry_fails": (
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "import pkg.b\n\nA = 1\n",
            "pkg/b.py": "import pkg.c\n\nB = 2\n",
            "pkg/c.py": "from pkg.a import A\n",
        },
        [("IG306", "pkg/c.py", 1, "A")],
    ),
    "from_dot_import_sibling": (
        {
            "app/__init__.py": "",
            "app/models.py": "from . import views\n\n\nclass Model:\n    pass\n",
            "app/views.py": "from .models import Model\n\n\ndef show():\n    return Model\n",
        },
        [("IG306", "app/views.py", 1, "Model")],
    ),
    "package_init_reexport_order": (
        {
            "engine/__init__.py": "from .plugins import load\nfrom .core import Engine\n",
            "engine/core.py": "class Engine:\n    pass\n",
            "engine/plugins.py": "from engine import Engine\n\n\ndef load():\n    return Engine\n",
        },
        [("IG306", "engine/plugins.py", 1, "Engine")],
    ),
    "module_attribute_read_during_cycle": (
        {
            "first.py": "import second\n\nX = 1\n",
            "second.py": "import first\n\nY = first.X + 1\n",
        },
        [("IG306", "second.py", 3, "X")],
    ),
    "benign_cycle_binds_before_importing": (
        {
            "chat/__init__.py": "",
            "chat/state.py": "registry = {}\n\nfrom chat import routes\n",
            "chat/routes.py": "from chat.state import registry\n\nROUTES = ['/ws']\n",
        },
        [],
    ),
}


def cycle_members(root):
    result = run_check([root], Settings(Config(root=root, select=["IG306"])), cwd=root)
    return result.project, sorted(m for _v, ms in result.project.graph.components(frozenset({IMPORT_TIME})) for m in ms)


@pytest.mark.parametrize("name", sorted(CASES))
def test_findings(name, tmp_path):
    tree, expected = CASES[name]
    findings = check_tree(tmp_path, tree, select=["IG306"])
    assert sorted((f.code, f.path, f.line, f.name) for f in findings) == sorted(expected)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_entry_fails_or_works_exactly_as_predicted_by_real_python(name, tmp_path):
    tree, _ = CASES[name]
    check_tree(tmp_path, tree, select=["IG306"])
    project, members = cycle_members(tmp_path)
    assert members, "each case is an import-time cycle"
    for entry in members:
        predicted = first_failure(project, entry)
        real = run_python(f"import {entry}", cwd=tmp_path)
        if predicted is None:
            assert real.returncode == 0, (entry, real.stderr)
            continue
        last = real.stderr.strip().splitlines()[-1]
        if predicted.error == "ImportError":
            expected = f"ImportError: cannot import name '{predicted.name}' from partially initialized module '{predicted.target}'"
        else:
            expected = f"AttributeError: partially initialized module '{predicted.target}' has no attribute '{predicted.name}'"
        assert last.startswith(expected), (entry, last)


def test_message_names_the_entries_the_chain_and_the_late_binding(tmp_path):
    (finding,) = check_tree(tmp_path, CASES["three_modules_only_one_entry_fails"][0], select=["IG306"])
    assert finding.message == (
        "`from pkg.a import A` fails with ImportError when `pkg.a` is imported first: "
        "`pkg.a` is only partially initialised and binds `A` at line 3"
    )
    assert "importing `pkg.b` or `pkg.c` first works" in finding.hint
    assert [(r.path, r.line) for r in finding.related] == [("pkg/a.py", 1), ("pkg/b.py", 1), ("pkg/a.py", 3)]


def test_script_only_imports_are_not_import_time(tmp_path):
    """`if __name__ == "__main__":` never runs on import: no cycle edge, no partial import."""
    findings = check_tree(tmp_path, {
        "tool.py": "import helper\n\nVALUE = 1\n",
        "helper.py": "import tool\n\nif __name__ == '__main__':\n    print(tool.VALUE)\n",
        "other.py": "X = 1\nif __name__ == '__main__':\n    import tool\n",
    }, select=["IG301", "IG306"])
    assert [(f.code, f.path) for f in findings] == [("IG301", "helper.py")]
    assert run_python("import helper", cwd=tmp_path).returncode == 0


def test_partial_import_swallowed_by_an_import_error_guard(tmp_path):
    # The rule's own documented example, plus a module that uses the fallback flag.
    tree = {**SWALLOWED_PARTIAL_IMPORT.bad, "app/other.py": "from app.config import FEATURES\n"}
    findings = check_tree(tmp_path, tree, select=["IG306", "IG307"])
    assert [(f.code, f.path, f.line) for f in findings] == [("IG307", "app/config.py", 2)]
    (finding,) = findings
    assert "fails silently when `app.config` or `app.features` is imported first" in finding.message
    assert "`from app.config import DEFAULTS` (app/features.py:1) raises ImportError" in finding.message
    # Real Python: no error at all, and the feature is silently off.
    proc = run_python("import app.config; print(app.config.FEATURES)", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == "False\n"
    # Without the cycle (features imported after DEFAULTS is bound) the real import works.
    proc = run_python("import app.config, app.features, importlib; print(importlib.reload(app.config).FEATURES)", cwd=tmp_path)
    assert proc.stdout == "True\n"


def test_module_level_calls_run_the_imports_of_the_functions_they_call(tmp_path):
    tree = {
        "app/__init__.py": "",
        "app/log.py": "def get_logger(name):\n    from app.config import LEVEL\n    return (name, LEVEL)\n",
        "app/config.py": "from app.models import Model\n\nLEVEL = 1\n",
        "app/models.py": "from app.log import get_logger\n\nlogger = get_logger(__name__)\n\n\nclass Model:\n    pass\n",
    }
    findings = check_tree(tmp_path, tree, select=["IG301", "IG306"])
    by_site = {(f.code, f.path, f.line): f for f in findings}
    assert sorted(by_site) == [("IG301", "app/config.py", 1), ("IG306", "app/config.py", 1), ("IG306", "app/models.py", 3)]
    assert "when `app.models` is imported first" in by_site["IG306", "app/config.py", 1].message
    assert "`get_logger() runs `from app.config import LEVEL``" in by_site["IG306", "app/models.py", 3].message
    assert "when `app.config` is imported first" in by_site["IG306", "app/models.py", 3].message
    # Real Python fails exactly there, in both orders.
    first_models = run_python("import app.models", cwd=tmp_path).stderr
    assert "cannot import name 'Model' from partially initialized module 'app.models'" in first_models
    first_config = run_python("import app.config", cwd=tmp_path).stderr
    assert "cannot import name 'LEVEL' from partially initialized module 'app.config'" in first_config
