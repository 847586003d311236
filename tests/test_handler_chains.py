"""IG202: calls from `except` handlers followed to functions that import at run time."""

from __future__ import annotations

from conftest import check_tree, run_python

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


# Handler imports that cannot fail (issue 20, item 6). Each fixture records, as the handler
# starts, whether the module its import names is already in `sys.modules`; real Python prints it.
LOADED = {
    "tracker.py": "def capture(exc):\n    return exc\n",
    "metrics.py": "def count(exc):\n    return exc\n",
    "app/__init__.py": "import sys\nDEBUG = False\nseen = {}\n",
    "app/util.py": "import metrics\n\n\ndef fmt(exc):\n    return str(exc)\n",
    "app/helpers.py": (
        "import sys\n"
        "\n"
        "\n"
        "def note(exc):\n"
        "    import app\n"
        "    app.seen['metrics'] = 'metrics' in sys.modules\n"
        "    import metrics\n"                          # loaded by app.util, which app.main imports
        "    from app import DEBUG\n"                   # the package of a called module: loaded
        "    return metrics.count(exc), DEBUG\n"
        "\n"
        "\n"
        "def page(exc):\n"
        "    import app\n"
        "    app.seen['pager'] = 'pager' in sys.modules\n"
        "    import pager\n"                            # nothing loaded it: IG202
        "    return pager\n"
    ),
    "pager.py": "",
    "app/main.py": (
        "import sys\n"
        "\n"
        "import tracker\n"
        "from app import util\n"
        "from app.helpers import note, page\n"
        "\n"
        "\n"
        "def run(job):\n"
        "    try:\n"
        "        job()\n"
        "    except Exception as exc:\n"
        "        sys.modules['app'].seen['tracker'] = 'tracker' in sys.modules\n"
        "        from tracker import capture\n"         # 13: imported at line 3: a lookup
        "        try:\n"
        "            import ujson as json\n"            # 15: an optional import with its own fallback
        "        except ImportError:\n"
        "            import json\n"
        "        note(exc)\n"                           # 18: `metrics` is loaded: not IG202
        "        page(exc)\n"                           # 19: IG202
        "        return capture(exc), json\n"
    ),
    "app/boot.py": (
        "import sys\n"
        "\n"
        "import app\n"
        "\n"
        "try:\n"
        "    raise OSError('no config')\n"
        "except OSError:\n"
        "    app.seen['late'] = 'late' in sys.modules\n"
        "    import late\n"                             # 9: imported only below: IG201
        "\n"
        "import late\n"
    ),
    "late.py": "",
}


def test_imports_of_modules_already_loaded_are_lookups_not_findings(tmp_path):
    findings = check_tree(tmp_path, LOADED, select=["IG201", "IG202"])
    assert sorted((f.code, f.path, f.line) for f in findings) == [
        ("IG201", "app/boot.py", 9), ("IG202", "app/main.py", 19),
    ]
    page = next(f for f in findings if f.code == "IG202")
    assert "calls `page()`, which runs `import pager` (app/helpers.py:15)" in page.message
    proof = run_python(
        "import app, app.main, app.boot\n"
        "def fail():\n    raise ValueError('boom')\n"
        "app.main.run(fail)\n"
        "print(sorted(app.seen.items()))\n",
        cwd=tmp_path,
    )
    assert proof.returncode == 0, proof.stderr
    # Reported: `late` and `pager` are imported for the first time in the handler. Not reported:
    # `tracker` and `metrics` are already in sys.modules when the handler starts.
    assert proof.stdout.strip() == "[('late', False), ('metrics', True), ('pager', False), ('tracker', True)]"


def test_a_handler_import_of_a_module_the_files_imports_loaded_is_a_lookup(tmp_path):
    """IG201 follows the file's module-level imports transitively, as IG202 does."""
    findings = check_tree(tmp_path, {
        "metrics.py": "",
        "pager.py": "",
        "svc/__init__.py": "",
        "svc/util.py": "import metrics\n",
        "svc/main.py": (
            "import sys\n\nfrom svc import util\n\n\ndef run(job):\n    try:\n        job()\n    except Exception:\n"
            "        print('metrics' in sys.modules, 'pager' in sys.modules)\n"
            "        import metrics\n"  # 11: loaded through `svc.util`
            "        import pager\n"    # 12: IG201
        ),
    }, select=["IG201"])
    assert [(f.code, f.line) for f in findings] == [("IG201", 12)]
    ran = run_python("import svc.main\nsvc.main.run(lambda: 1 / 0)", cwd=tmp_path)
    assert ran.stdout == "True False\n", ran.stderr


def test_imports_that_cannot_fail_or_already_ran_on_the_way_to_the_handler(tmp_path):
    """A called function's import with its own `except ImportError` cannot fail; an import the
    handler's function ran on its first line is loaded; another library's `import_module` is
    not an import (sympy's returns None)."""
    findings = check_tree(tmp_path, {
        "plugins.py": "",
        "extras.py": "",
        "lib/__init__.py": "",
        "lib/external.py": "def import_module(name):\n    return None\n",
        "lib/helpers.py": (
            "from lib.external import import_module\n"
            "\n"
            "\n"
            "def optional():\n"
            "    try:\n"
            "        import idna\n"
            "    except ImportError:\n"
            "        idna = None\n"
            "    return idna\n"
            "\n"
            "\n"
            "def numpy():\n"
            "    return import_module('numpy')\n"
            "\n"
            "\n"
            "def plugins():\n"
            "    import plugins\n"
            "    return plugins\n"
            "\n"
            "\n"
            "def extras():\n"
            "    import extras\n"
            "    return extras\n"
        ),
        "lib/main.py": (
            "import sys\n"
            "\n"
            "from lib.helpers import extras, numpy, optional, plugins\n"
            "\n"
            "\n"
            "def run(job):\n"
            "    import plugins as first\n"
            "    try:\n"
            "        job()\n"
            "    except Exception:\n"
            "        print('plugins' in sys.modules, 'extras' in sys.modules)\n"
            "        optional()\n"                     # 12: guarded: cannot fail
            "        numpy()\n"                        # 13: not an import
            "        plugins()\n"                      # 14: ran on the function's first line
            "        extras()\n"                       # 15: IG202
            "    return first\n"
        ),
    }, select=["IG201", "IG202"])
    assert [(f.code, f.line) for f in findings] == [("IG202", 15)]
    ran = run_python("import lib.main\nlib.main.run(lambda: 1 / 0)", cwd=tmp_path)
    assert ran.stdout == "True False\n", ran.stderr
