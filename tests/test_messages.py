"""Messages users read: they name the import, the handler and where it runs."""

from __future__ import annotations

from conftest import check_tree


def test_import_in_except_messages(tmp_path):
    findings = check_tree(tmp_path, {
        "app.py": (
            "try:\n    pass\nexcept:\n    import a\n"
            "def f():\n    try:\n        pass\n    except (KeyError, ValueError):\n        from . import b\n"
        ),
    }, select=["IG201"])
    assert [f.message for f in findings] == [
        "`import a` runs inside a bare `except:` handler (line 3) at module level",
        "`from . import b` runs inside an `except (KeyError, ValueError)` handler (line 8) in `f()`",
    ]
    assert all(f.hint and "module level" in f.hint for f in findings)


def test_unresolved_import_message_names_the_missing_module(tmp_path):
    (finding,) = check_tree(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "from pkg.sessions import Session\n"}, select=["IG304"])
    assert finding.message == "`from pkg.sessions import Session`: no module `pkg.sessions` in this project"
    assert (finding.path, finding.line, finding.column, finding.name) == ("pkg/a.py", 1, 1, "pkg.sessions")
