"""IG202: calls from `except` handlers followed to functions that import at run time."""

from __future__ import annotations

from conftest import check_tree

TREE = {
    "svc/__init__.py": "",
    "svc/report.py": (
        "import svc.deep as deep\n"
        "\n"
        "\n"
        "def level1():\n"
        "    return deep.level2()\n"
        "\n"
        "\n"
        "def too_deep():\n"
        "    return deep.far1()\n"
    ),
    "svc/deep.py": (
        "def level2():\n"
        "    return level3()\n"
        "\n"
        "\n"
        "def level3():\n"
        "    import ujson\n"
        "    return ujson\n"
        "\n"
        "\n"
        "def far1():\n"
        "    return far2()\n"
        "\n"
        "\n"
        "def far2():\n"
        "    return level2()\n"
    ),
    "svc/api.py": (
        "from svc import report\n"
        "from svc.report import level1, too_deep\n"
        "\n"
        "\n"
        "class Handler:\n"
        "    def run(self):\n"
        "        try:\n"
        "            pass\n"
        "        except ValueError:\n"
        "            self.recover()\n"
        "        except KeyError:\n"
        "            report.level1()\n"
        "        except ImportError:\n"
        "            level1()\n"
        "        except OSError:\n"
        "            too_deep()\n"
        "\n"
        "    def recover(self):\n"
        "        import importlib\n"
        "        return importlib.import_module('svc.plugins')\n"
    ),
}


def test_chains_through_self_module_attributes_and_from_imports(tmp_path):
    findings = check_tree(tmp_path, TREE, select=["IG202"])
    assert sorted((f.path, f.line) for f in findings) == [("svc/api.py", 10), ("svc/api.py", 12)]
    by_line = {f.line: f for f in findings}
    assert by_line[10].message == (
        "an `except ValueError` handler (line 9) in `Handler.run()` calls `Handler.recover()`, "
        "which runs `import importlib` (svc/api.py:19)"
    )
    assert "calls `level1()` -> `level2()` -> `level3()`, which runs `import ujson` (svc/deep.py:6)" in by_line[12].message
    assert [(r.path, r.line) for r in by_line[12].related] == [
        ("svc/report.py", 4), ("svc/deep.py", 1), ("svc/deep.py", 5), ("svc/deep.py", 6),
    ]
    # `except ImportError:` is a fallback, not a failure path; `too_deep()` needs four calls.


def test_a_function_rebound_later_is_not_followed(tmp_path):
    """`def warn` replaced by `from _warnings import warn` (as in warnings.py) is not what runs."""
    findings = check_tree(tmp_path, {
        "lib/__init__.py": "",
        "lib/warn.py": "def warn(m):\n    import linecache\n\ntry:\n    from _warnings import warn\nexcept ImportError:\n    pass\n",
        "lib/use.py": "from lib.warn import warn\n\ndef f():\n    try:\n        pass\n    except OSError:\n        warn('x')\n",
    }, select=["IG202"])
    assert findings == []


def test_standard_library_targets_have_their_own_opt_in_code(tmp_path):
    tree = {
        "app/__init__.py": "",
        "app/util.py": "def dump():\n    import traceback\n    return traceback.format_exc()\n\n\ndef alert():\n    import app.alerts\n",
        "app/alerts.py": "",
        "app/main.py": (
            "from app.util import alert, dump\n\n\ndef run(job):\n    try:\n        job()\n"
            "    except Exception:\n        import traceback\n        dump()\n        alert()\n"
        ),
    }
    default = check_tree(tmp_path, tree, select=["IG201", "IG202"])
    assert sorted((f.code, f.line) for f in default) == [("IG202", 10)]  # `import app.alerts` only
    opt_in = check_tree(tmp_path, tree, select=["IG205"])
    assert sorted((f.code, f.line) for f in opt_in) == [("IG205", 8), ("IG205", 9)]
