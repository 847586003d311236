"""The bundled example reproduces the seed incident: importguard names each planted bug, and real
Python proves each one fails the way the finding says."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli, run_python

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "chat_service"


def test_example_findings_and_hints():
    result = run_cli("check", ".", "--format", "json", cwd=EXAMPLE)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert sorted((f["code"], f["path"], f["line"]) for f in findings) == [
        ("IG101", "chat/auth.py", 47), ("IG101", "chat/auth.py", 55),
        ("IG102", "chat/handlers.py", 21),
        ("IG201", "chat/routes.py", 31), ("IG202", "chat/routes.py", 33),
        ("IG301", "chat/connections.py", 55),
    ]
    by_line = {(f["path"], f["line"]): f for f in findings}
    seed = by_line[("chat/auth.py", 47)]
    assert seed["message"] == "name `time` is not defined in `verify_token()`"
    assert seed["hint"] == "`time` is imported only inside `issue_token()` (line 29); import it at module level"
    assert seed["related"] == [{"path": "chat/auth.py", "line": 29, "message": "`import time` binds `time` here inside `issue_token()`"}]
    chain = by_line[("chat/routes.py", 33)]
    assert chain["message"] == (
        "an `except Exception` handler (line 30) in `websocket_endpoint()` calls `report_failure()` -> "
        "`count_failure()`, which runs `from chat.metrics import failures` (chat/diagnostics.py:29)"
    )
    shadow = by_line[("chat/handlers.py", 21)]
    assert shadow["message"] == "local variable `time` is used before it is bound in `handle_message()`"
    assert "`import time` at line 30" in shadow["hint"] and "module-level binding at line 5" in shadow["hint"]


def test_example_bugs_fail_in_real_python():
    auth = run_python("from chat import auth\nauth.verify_token(auth.issue_token('alice'))", cwd=EXAMPLE)
    assert auth.stderr.strip().splitlines()[-1] == "NameError: name 'time' is not defined"
    handlers = run_python(
        "from chat import handlers, models\n"
        "handlers.handle_message(models.Session('alice', 0.0, 1e12), '{}')",
        cwd=EXAMPLE,
    )
    assert handlers.stderr.strip().splitlines()[-1].startswith("UnboundLocalError:")
    assert "'time'" in handlers.stderr.strip().splitlines()[-1]


def test_example_cycle_is_benign_from_both_entries():
    """No IG306: `connections.py` binds everything `routes.py` takes before importing it."""
    for entry in ("chat.routes", "chat.connections"):
        assert run_python(f"import {entry}", cwd=EXAMPLE).returncode == 0
    result = run_cli("check", ".", "--select", "IG306", cwd=EXAMPLE)
    assert (result.returncode, result.stdout.strip()) == (0, "No findings; 9 files checked.")
