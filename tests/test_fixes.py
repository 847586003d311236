"""`check --fix`, `--diff` and `--unsafe-fixes`: what they change on disk, what they print, and
real Python proving that the fixed code runs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Dict

import pytest

from conftest import run_cli, run_python, write_tree

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "chat_service"

VERIFY_AUTH = "from chat import auth\nprint(auth.verify_token(auth.issue_token('alice')).user_id)"
HANDLE_MESSAGE = (
    "from chat import handlers, models\n"
    "print(handlers.handle_message(models.Session('alice', 0.0, 1e12), '{\"room\": \"r\", \"text\": \"hi\"}').text)"
)
REPORT_FAILURE = (
    "from chat import diagnostics\n"
    "class Peer:\n    remote_address = 'peer'\n"
    "diagnostics.report_failure(Peer(), RuntimeError('boom'))\nprint('reported')"
)


def example_copy(tmp_path: Path, name: str = "chat_service") -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / name))


def snapshot(root: Path) -> Dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def codes_left(root: Path, *options: str) -> list:
    result = run_cli("check", ".", "--format", "json", "--no-cache", *options, cwd=root)
    return sorted((f["code"], f["path"], f["line"]) for f in json.loads(result.stdout)["findings"])


def test_fix_makes_the_incident_code_paths_run(tmp_path):
    root = example_copy(tmp_path)
    assert run_python(VERIFY_AUTH, cwd=root).stderr.strip().endswith("NameError: name 'time' is not defined")
    result = run_cli("check", ".", "--fix", "--no-cache", cwd=root)
    assert result.returncode == 1, result.stderr  # the unsafe and cycle findings are left
    assert "Fixed 3 findings (2 more with `--unsafe-fixes`)." in result.stdout
    for code in (VERIFY_AUTH, HANDLE_MESSAGE):
        ran = run_python(code, cwd=root)
        assert ran.returncode == 0, ran.stderr
    assert run_python(VERIFY_AUTH, cwd=root).stdout == "alice\n"
    assert run_python(HANDLE_MESSAGE, cwd=root).stdout == "hi\n"
    assert codes_left(root) == [
        ("IG201", "chat/routes.py", 31), ("IG202", "chat/routes.py", 33), ("IG301", "chat/connections.py", 55),
    ]
    auth = (root / "chat/auth.py").read_text()
    assert "import logging\nimport time\n\nfrom chat.config import settings\n" in auth
    assert "    import time\n" in auth  # the import inside issue_token() stays: removing it is not needed
    handlers = (root / "chat/handlers.py").read_text()
    assert "    # Added while chasing slow rooms: log frames that take long to handle.\n    elapsed = time.time()" in handlers
    assert handlers.count("import time") == 1


def test_unsafe_fixes_hoist_handler_imports_and_the_code_still_imports(tmp_path):
    root = example_copy(tmp_path)
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", "--format", "json", "--no-cache", cwd=root)
    assert result.returncode == 1, result.stderr
    assert codes_left(root) == [("IG301", "chat/connections.py", 55)]
    assert "from chat.metrics import failures\n" in (root / "chat/diagnostics.py").read_text()
    assert "from chat.diagnostics import report_failure\n" in (root / "chat/routes.py").read_text()
    for code in (VERIFY_AUTH, HANDLE_MESSAGE, REPORT_FAILURE, "import chat.routes", "import chat.connections", "import chat.diagnostics"):
        ran = run_python(code, cwd=root)
        assert ran.returncode == 0, (code, ran.stderr)


def test_a_fix_that_would_close_a_cycle_with_another_fix_is_refused(tmp_path):
    """Hoisting both handler imports would give `routes` -> `diagnostics` -> `state` -> `routes` at
    import time: the second fix is refused and says why."""
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\n",
        "app/__init__.py": "",
        "app/routes.py": (
            "def endpoint(job):\n    try:\n        job()\n    except Exception as exc:\n"
            "        from app.diagnostics import report\n\n        report(exc)\n"
        ),
        "app/diagnostics.py": "def report(exc):\n    from app.state import failures\n\n    failures.append(exc)\n",
        "app/state.py": "from app import routes\n\nfailures = []\n",
    })
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", "--format", "json", "--no-cache", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert codes_left(tmp_path) == [("IG201", "app/routes.py", 5)]
    refused = json.loads(result.stdout)["findings"][0]
    assert refused["fix"] is None
    assert "not fixed: it would create the import-time cycle `app.routes` -> `app.diagnostics` -> `app.state` -> `app.routes`" in refused["hint"]
    assert (tmp_path / "app/diagnostics.py").read_text().startswith("from app.state import failures\n")
    ran = run_python("import app.routes\napp.routes.endpoint(lambda: 1 / 0)\nimport app.state\nprint(len(app.state.failures))", cwd=tmp_path)
    assert ran.stdout == "1\n", ran.stderr


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_diff_writes_nothing_and_applies_with_git_apply_to_the_tree_fix_writes(tmp_path, unsafe):
    options = ["--unsafe-fixes"] if unsafe else []
    diffed, fixed = example_copy(tmp_path, "diffed"), example_copy(tmp_path, "fixed")
    untouched = snapshot(diffed)
    result = subprocess.run(
        [*run_cli_argv(), "check", ".", "--diff", "--no-cache", *options], cwd=diffed, capture_output=True,
    )
    assert result.returncode == 1, result.stderr
    assert snapshot(diffed) == untouched
    assert result.stdout.startswith(b"diff --git a/chat/auth.py b/chat/auth.py\n--- a/chat/auth.py\n+++ b/chat/auth.py\n")
    assert b"Would fix" in result.stderr
    subprocess.run(["git", "apply", "-"], input=result.stdout, cwd=diffed, check=True, capture_output=True)
    run_cli("check", ".", "--fix", "--no-cache", *options, cwd=fixed)
    assert snapshot(diffed) == snapshot(fixed) != untouched


def run_cli_argv() -> list:
    import sys

    return [sys.executable, "-m", "importguard"]


def test_unsafe_fix_run_says_how_many_it_fixed(tmp_path):
    root = example_copy(tmp_path)
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", "--no-cache", cwd=root)
    assert result.stdout.splitlines()[-1] == "Fixed 5 findings."


def test_platform_only_module_is_an_unsafe_fix(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\n",
        "keys.py": "def read():\n    import msvcrt\n    return msvcrt.getch()\n\n\ndef ready():\n    return msvcrt.kbhit()\n",
    })
    (finding,) = json.loads(run_cli("check", ".", "--format", "json", "--no-cache", cwd=tmp_path).stdout)["findings"]
    assert finding["fix"] == {"applicability": "unsafe", "message": "import `msvcrt` at module level"}


def test_fix_twice_changes_nothing_the_second_time(tmp_path):
    root = example_copy(tmp_path)
    run_cli("check", ".", "--fix", "--unsafe-fixes", "--no-cache", cwd=root)
    once = snapshot(root)
    second = run_cli("check", ".", "--fix", "--unsafe-fixes", "--no-cache", cwd=root)
    assert "Fixed 0 findings." in second.stdout
    assert snapshot(root) == once
    diff = run_cli("check", ".", "--diff", "--unsafe-fixes", "--no-cache", cwd=root)
    assert (diff.returncode, diff.stdout) == (0, "")


def test_text_output_marks_fixable_findings_and_counts_unsafe_ones():
    result = run_cli("check", ".", "--no-cache", cwd=EXAMPLE)
    lines = result.stdout.splitlines()
    assert "chat/auth.py:47:27: IG101 [*] name `time` is not defined in `verify_token()`" in lines
    assert "chat/handlers.py:21:19: IG102 [*] local variable `time` is used before it is bound in `handle_message()`" in lines
    assert any(line.startswith("chat/routes.py:31:9: IG201 `from chat.diagnostics") for line in lines)  # unsafe: no marker
    assert lines[-1] == "[*] 3 fixable with `--fix` (2 more with `--unsafe-fixes`)."
    unsafe = run_cli("check", ".", "--no-cache", "--unsafe-fixes", cwd=EXAMPLE).stdout.splitlines()
    assert unsafe[-1] == "[*] 5 fixable with `--fix`."


def test_json_output_describes_each_fix():
    findings = json.loads(run_cli("check", ".", "--format", "json", "--no-cache", cwd=EXAMPLE).stdout)["findings"]
    fixes = {(f["code"], f["line"]): f["fix"] for f in findings}
    assert fixes[("IG101", 47)] == {"applicability": "safe", "message": "import `time` at module level"}
    assert fixes[("IG102", 21)] == {"applicability": "safe", "message": "remove the local `import time`: the module already imports it"}
    assert fixes[("IG202", 33)]["applicability"] == "unsafe"
    assert fixes[("IG301", 55)] is None


CRLF_LATIN1 = (
    b"# -*- coding: latin-1 -*-\r\n"
    b'"""Caf\xe9 helpers."""\r\n'
    b"\r\n"
    b"\r\n"
    b"def stamp():\r\n"
    b"    import time\r\n"
    b"    return time.time()\r\n"
    b"\r\n"
    b"\r\n"
    b"def label():\r\n"
    b"    return 'caf\xe9 %d' % time.time()\r\n"
)


def test_fix_keeps_crlf_line_endings_and_the_declared_encoding(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": "[tool.importguard]\n", "cafe.py": CRLF_LATIN1})
    result = run_cli("check", ".", "--fix", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "cafe.py").read_bytes() == CRLF_LATIN1.replace(
        b'"""Caf\xe9 helpers."""\r\n', b'"""Caf\xe9 helpers."""\r\n\r\nimport time\r\n',
    )
    assert run_python("import cafe; print(cafe.label()[:6])", cwd=tmp_path).stdout == "café 1\n"


def test_diff_of_a_crlf_latin1_file_applies_with_git_apply(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": "[tool.importguard]\n", "cafe.py": CRLF_LATIN1})
    result = subprocess.run([*run_cli_argv(), "check", ".", "--diff", "--no-cache"], cwd=tmp_path, capture_output=True)
    assert result.returncode == 1
    subprocess.run(["git", "apply", "-"], input=result.stdout, cwd=tmp_path, check=True, capture_output=True)
    assert b"\r\n\r\nimport time\r\n" in (tmp_path / "cafe.py").read_bytes()


CYCLE_IF_HOISTED = {
    "pyproject.toml": "[tool.importguard]\n",
    "pkg/__init__.py": "",
    "pkg/app.py": (
        "from pkg import work\n"
        "\n"
        "\n"
        "def run():\n"
        "    try:\n"
        "        work.step()\n"
        "    except Exception:\n"
        "        from pkg.alerts import alert\n"
        "        alert()\n"
    ),
    "pkg/alerts.py": "from pkg import app\n\n\ndef alert():\n    return app\n",
    "pkg/work.py": "def step():\n    raise RuntimeError\n",
}


def test_hoist_that_would_create_an_import_cycle_is_refused_with_a_note(tmp_path):
    write_tree(tmp_path, CYCLE_IF_HOISTED)
    before = snapshot(tmp_path)
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", "--format", "json", "--no-cache", cwd=tmp_path)
    assert snapshot(tmp_path) == before
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["path"], finding["line"], finding["fix"]) == ("IG201", "pkg/app.py", 8, None)
    assert finding["hint"].endswith(
        "not fixed: importing `pkg.alerts` at module level would create the import-time cycle "
        "`pkg.app` -> `pkg.alerts` -> `pkg.app`"
    )


def test_guarded_import_is_never_hoisted(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\n",
        "mod.py": (
            "def load():\n"
            "    try:\n"
            "        import yaml\n"
            "    except ImportError:\n"
            "        return None\n"
            "    return yaml\n"
            "\n"
            "\n"
            "def dump(data):\n"
            "    return yaml.dump(data)\n"
        ),
    })
    before = snapshot(tmp_path)
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", "--no-cache", cwd=tmp_path)
    assert "mod.py:10:12: IG101 name `yaml` is not defined in `dump()`" in result.stdout
    assert snapshot(tmp_path) == before


def test_undefined_name_gets_the_import_other_modules_use_as_an_unsafe_fix(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\n",
        "shop/__init__.py": "",
        "shop/models.py": "class Order:\n    pass\n",
        "shop/views.py": "from .models import Order\n\n\ndef show():\n    return Order()\n",
        "shop/admin.py": "from shop.models import Order\n\nADMIN = [Order]\n",
        "shop/api.py": "\"\"\"API.\"\"\"\n\nimport json\n\n\ndef create():\n    return json.dumps(Order())\n",
    })
    safe = run_cli("check", ".", "--fix", "--no-cache", cwd=tmp_path)
    assert "Fixed 0 findings (1 more with `--unsafe-fixes`)." in safe.stdout
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert (tmp_path / "shop/api.py").read_text() == (
        "\"\"\"API.\"\"\"\n\nimport json\n\nfrom shop.models import Order\n\n\ndef create():\n    return json.dumps(Order())\n"
    )


def test_undefined_name_imported_by_a_single_module_gets_no_fix(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\n",
        "shop/__init__.py": "",
        "shop/models.py": "class Order:\n    pass\n",
        "shop/views.py": "from .models import Order\n\n\ndef show():\n    return Order()\n",
        "shop/api.py": "def create():\n    return Order()\n",
    })
    (finding,) = json.loads(run_cli("check", ".", "--format", "json", "--no-cache", cwd=tmp_path).stdout)["findings"]
    assert (finding["code"], finding["fix"]) == ("IG101", None)


TOKENS = (
    "\"\"\"Tokens.\"\"\"\n"
    "\n"
    "import hmac\n"
    "\n"
    "\n"
    "def issue(user):\n"
    "    started = time.time()\n"
    "    return f\"{user}:{int(time.time())}\", started\n"
    "\n"
    "\n"
    "def fresh(stamp, now=None):\n"
    "    now = time.time() if now is None else now\n"
    "    return hmac.compare_digest(b'', b'') and time.time() - stamp < 60\n"
)
IMPORTS_TIME_TWICE = {  # the production shape: one module of many imports `time` two ways
    "pyproject.toml": "[tool.importguard]\n",
    "app/__init__.py": "",
    "app/jobs.py": "import time\n\nSTARTED = time.time()\n",
    "app/cache.py": "import time\n\n\ndef expired(stamp):\n    return time.time() > stamp\n",
    "app/metrics.py": "import time\n\n\ndef now():\n    return time.monotonic()\n",
    "app/legacy.py": (
        "import time\n"
        "import time as _t\n"
        "from time import time\n"
        "\n"
        "\n"
        "def elapsed(since):\n"
        "    _t.sleep(0)\n"
        "    return time() - since\n"
    ),
    "app/tokens.py": TOKENS,
}
ISSUE_TOKEN = "from app import tokens\nprint(tokens.issue('alice')[0].split(':')[0], tokens.fresh(0.0))"


def test_module_importing_a_name_two_ways_does_not_stop_the_fix_most_modules_agree_on(tmp_path):
    write_tree(tmp_path, IMPORTS_TIME_TWICE)
    assert run_python(ISSUE_TOKEN, cwd=tmp_path).stderr.strip().endswith("NameError: name 'time' is not defined")
    findings = json.loads(run_cli("check", ".", "--format", "json", "--no-cache", "--unsafe-fixes", cwd=tmp_path).stdout)["findings"]
    assert [(f["code"], f["path"], f["line"], f["fix"]) for f in findings] == [
        ("IG101", "app/tokens.py", line, {"applicability": "unsafe", "message": "add `import time` as other modules of the project do"})
        for line in (7, 8, 12, 13)
    ]
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Fixed 4 findings." in result.stdout
    assert (tmp_path / "app/tokens.py").read_text() == TOKENS.replace("import hmac\n", "import hmac\nimport time\n")
    assert codes_left(tmp_path) == []
    ran = run_python(ISSUE_TOKEN, cwd=tmp_path)
    assert (ran.returncode, ran.stdout) == (0, "alice False\n"), ran.stderr


@pytest.mark.parametrize("peers, use, added", [
    ({"a.py": "from time import time\n\nT = time()\n", "b.py": "import time\n\nT = time.time()\n"}, "time.time()", "import time"),
    ({"a.py": "from time import time\n\nT = time()\n", "b.py": "import time\n\nT = time.time()\n",
      "c.py": "from time import time\n\nT = time()\n"}, "time()", "from time import time"),
    ({"a.py": "from time import time\n\nT = time()\n", "b.py": "import time\n\nT = time.time()\n",
      "c.py": "import time\n\nT = time.time()\n"}, "time.time()", "import time"),
], ids=["tie-goes-to-plain-import", "majority-from-import", "majority-import"])
def test_undefined_name_gets_the_import_most_modules_use(tmp_path, peers, use, added):
    write_tree(tmp_path, {"pyproject.toml": "[tool.importguard]\n", **peers, "use.py": f"def stamp():\n    return {use}\n"})
    call = "import use\nprint(type(use.stamp()).__name__)"
    assert run_python(call, cwd=tmp_path).stderr.strip().endswith("NameError: name 'time' is not defined")
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "use.py").read_text() == f"{added}\n\n\ndef stamp():\n    return {use}\n"
    assert run_python(call, cwd=tmp_path).stdout == "float\n"


def test_stdlib_name_no_module_imports_gets_no_fix(tmp_path):
    """Being a standard-library module name is no evidence of how the project imports it."""
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\n",
        "paths.py": "import os\n\nHOME = os.sep\n",
        "clock.py": "def stamp():\n    return time.time()\n",
    })
    before = snapshot(tmp_path)
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", "--format", "json", "--no-cache", cwd=tmp_path)
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["path"], finding["line"], finding["fix"]) == ("IG101", "clock.py", 2, None)
    assert snapshot(tmp_path) == before
    assert run_python("import clock\nclock.stamp()", cwd=tmp_path).stderr.strip().endswith("NameError: name 'time' is not defined")


def test_new_import_joins_the_imports_below_dunder_all(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\n",
        "svc.py": (
            "\"\"\"Service.\"\"\"\n"
            "\n"
            "__all__ = ['run']\n"
            "\n"
            "import os\n"
            "import sys\n"
            "\n"
            "\n"
            "def boot():\n"
            "    import json\n"
            "    return json, os, sys\n"
            "\n"
            "\n"
            "def run():\n"
            "    return json.dumps({})\n"
        ),
    })
    run_cli("check", ".", "--fix", "--no-cache", cwd=tmp_path)
    assert "__all__ = ['run']\n\nimport json\nimport os\nimport sys\n\n\ndef boot():" in (tmp_path / "svc.py").read_text()


def test_late_local_import_without_a_module_level_one_is_hoisted_as_an_unsafe_fix(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\n",
        "job.py": (
            "from __future__ import annotations\n"
            "\n"
            "import requests\n"
            "\n"
            "\n"
            "def run():\n"
            "    started = os.getpid()\n"
            "    import os  # late\n"
            "    return started, requests\n"
        ),
    })
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert (tmp_path / "job.py").read_text() == (
        "from __future__ import annotations\n"
        "\n"
        "import os\n"
        "\n"
        "import requests\n"
        "\n"
        "\n"
        "def run():\n"
        "    started = os.getpid()\n"
        "    return started, requests\n"
    )


def test_diff_refuses_standard_input(tmp_path):
    result = run_cli("check", "-", "--diff", cwd=tmp_path)
    assert result.returncode == 2
    assert "--diff works on files, not on standard input (--fix prints the fixed source)" in result.stderr


def test_file_libcst_cannot_print_back_unchanged_is_not_edited(tmp_path):
    """libcst 1.x drops the space in `except (A, B) :`: fixing the file would change that line too."""
    source = (
        "def load():\n"
        "    try:\n"
        "        return open('x')\n"
        "    except (OSError, ValueError) :\n"
        "        import yaml\n"
        "        return yaml\n"
    )
    write_tree(tmp_path, {"pyproject.toml": "[tool.importguard]\n", "mod.py": source})
    result = run_cli("check", ".", "--fix", "--unsafe-fixes", "--format", "json", "--no-cache", cwd=tmp_path)
    assert (tmp_path / "mod.py").read_text() == source
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["code"] == "IG201"
    assert finding["hint"].endswith("not fixed: libcst cannot rewrite this file without changing other lines")


def test_new_import_keeps_a_peer_and_its_continued_comment_together(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": "[tool.importguard]\n",
        "util.py": (
            "import atexit\n"
            "import threading        # threading first: it installs its\n"
            "                        # cleanup function before we do\n"
            "from subprocess import run\n"
            "\n"
            "\n"
            "def first():\n"
            "    import traceback\n"
            "    return traceback, atexit, threading, run\n"
            "\n"
            "\n"
            "def second():\n"
            "    return traceback.format_exc()\n"
        ),
    })
    run_cli("check", ".", "--fix", "--no-cache", cwd=tmp_path)
    assert (tmp_path / "util.py").read_text().startswith(
        "import atexit\n"
        "import threading        # threading first: it installs its\n"
        "                        # cleanup function before we do\n"
        "import traceback\n"
        "from subprocess import run\n"
    )


@pytest.mark.parametrize("code, fix", [("IG101", "safe"), ("IG102", "safe"), ("IG201", "unsafe"), ("IG202", "unsafe"), ("IG301", "none")])
def test_explain_says_which_fix_a_rule_has(code, fix, tmp_path):
    result = run_cli("explain", code, cwd=tmp_path)
    assert result.stdout.splitlines()[1] == f"fix: {fix}"
    assert ("Fixed by --fix:" in result.stdout) == (fix != "none")


def test_warm_run_from_the_memo_marks_the_same_fixes_and_fix_still_works(tmp_path):
    root = example_copy(tmp_path)
    cold = run_cli("check", ".", cwd=root)
    warm = run_cli("check", ".", "--format", "json", cwd=root)
    assert run_cli("check", ".", cwd=root).stdout == cold.stdout
    assert "[*] 3 fixable with `--fix`" in cold.stdout
    assert {f["line"]: f["fix"] for f in json.loads(warm.stdout)["findings"]}[47]["applicability"] == "safe"
    fixed = run_cli("check", ".", "--fix", cwd=root)  # the first analysis comes from the memo
    assert "Fixed 3 findings" in fixed.stdout
    assert run_python(VERIFY_AUTH, cwd=root).returncode == 0


def test_many_removals_in_one_file_remove_only_the_import_lines(tmp_path):
    """Each function's late `import os` goes and nothing else: docstrings and comments stay."""
    function = (
        "def f{n}():\n"
        "    \"\"\"Docstring {n}.\"\"\"\n"
        "    path = os.getcwd()\n"
        "    # comment {n}\n"
        "    import os\n"
        "    return path, os\n"
    )
    source = "import os\n\n\n" + "\n\n".join(function.format(n=n) for n in range(40))
    write_tree(tmp_path, {"pyproject.toml": "[tool.importguard]\n", "many.py": source})
    result = run_cli("check", ".", "--fix", "--no-cache", cwd=tmp_path)
    assert "Fixed 40 findings." in result.stdout
    assert (tmp_path / "many.py").read_text() == source.replace("    import os\n", "")


def test_partial_rerun_after_an_edit_still_marks_fixes(tmp_path):
    root = example_copy(tmp_path)
    run_cli("check", ".", cwd=root)
    auth = root / "chat/auth.py"
    auth.write_text(auth.read_text().replace('"invalid token signature"', '"bad token signature"'))
    result = run_cli("check", ".", "-v", cwd=root)
    assert "file rules on 1 changed" in result.stderr
    assert "chat/auth.py:47:27: IG101 [*] name `time` is not defined in `verify_token()`" in result.stdout
    assert result.stdout.splitlines()[-1] == "[*] 3 fixable with `--fix` (2 more with `--unsafe-fixes`)."
