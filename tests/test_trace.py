"""`importguard trace`: real Python raises the example's errors in subprocesses (every interpreter
installed, 3.9 to 3.13), the tracebacks are buried in noisy logs and JSON log lines with
deployment paths, and the real CLI must name the exact finding behind each one."""

from __future__ import annotations

import functools
import glob
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from conftest import run_cli, write_tree

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "chat_service"

# Added to a copy of the example: an import cycle that fails whichever module is imported first,
# a plugin runner whose exec'd code raises a NameError no static analysis can see, and a worker
# whose `except` handler imports into that cycle.
EXTRA = {
    "billing/__init__.py": "",
    "billing/orders.py": "from billing.invoices import render\n\nTAX = 0.2\n",
    "billing/invoices.py": "from billing.orders import TAX\n\n\ndef render(amount):\n    return amount * (1 + TAX)\n",
    "chat/plugins.py": '"""Operator hooks, compiled at run time."""\n\n\ndef run_hook(source):\n    exec(source, {})\n',
    "ledger.py": "import audit\n\nBALANCE = 1\n",
    "audit.py": "import ledger\n\nOPENING = ledger.BALANCE + 1\n",
    "jobs/__init__.py": "",
    "jobs/worker.py": (
        "def run(task):\n"
        "    try:\n"
        "        task()\n"
        "    except Exception:\n"
        "        from billing.invoices import render\n"
        "        render(0)\n"
    ),
}

NAME_ERROR = "from chat import auth\nauth.verify_token(auth.issue_token('alice'))\n"
UNBOUND_LOCAL = "from chat import handlers, models\nhandlers.handle_message(models.Session('alice', 0.0, 1e12), '{}')\n"
PARTIAL_IMPORT = "import billing.orders\n"
PARTIAL_ATTRIBUTE = "import ledger\n"
EXEC_NAME_ERROR = "from chat import plugins\nplugins.run_hook('undefined_hook()')\n"
HANDLER_IMPORT = "from chat import auth\nfrom jobs import worker\nworker.run(lambda: auth.verify_token(auth.issue_token('a')))\n"

# What trace must name for each: (error, code, path, line) of the first cause.
EXPECTED = {
    NAME_ERROR: ("NameError", "IG101", "chat/auth.py", 47),
    UNBOUND_LOCAL: ("UnboundLocalError", "IG102", "chat/handlers.py", 21),
    PARTIAL_IMPORT: ("ImportError", "IG306", "billing/invoices.py", 1),
    PARTIAL_ATTRIBUTE: ("AttributeError", "IG306", "audit.py", 3),
}


@functools.lru_cache(maxsize=None)
def interpreters() -> List[Tuple[str, str]]:
    """(version, executable) of every Python from 3.9 installed here, the current one included."""
    found: Dict[str, str] = {"%d.%d" % sys.version_info[:2]: sys.executable}
    for candidate in sorted(glob.glob("/root/.pyenv/versions/3.*/bin/python3")) + [shutil.which("python3") or ""]:
        try:
            proc = subprocess.run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                  capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        version = proc.stdout.strip()
        if proc.returncode == 0 and re.fullmatch(r"3\.\d+", version) and int(version.split(".")[1]) >= 9:
            found.setdefault(version, candidate)
    return sorted(found.items(), key=lambda item: int(item[0].split(".")[1]))


@pytest.fixture
def service(tmp_path: Path) -> Path:
    root = tmp_path / "service"
    shutil.copytree(EXAMPLE, root)
    return write_tree(root, EXTRA)


def traceback_of(python: str, code: str, root: Path) -> str:
    proc = subprocess.run([python, "-B", "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback (most recent call last):" in proc.stderr, proc.stderr
    return proc.stderr


def deployed(text: str, root: Path, prefix: str) -> str:
    """The traceback as production logged it: the checkout's paths replaced by a deployment's."""
    return text.replace(str(root), prefix)


def trace(root: Path, log: str, *args: str) -> Tuple[int, dict]:
    (root.parent / "incident.log").write_text(log, encoding="utf-8")
    result = run_cli("trace", str(root.parent / "incident.log"), "--format", "json", *args, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def first_cause(error: dict) -> Tuple[str, str, int]:
    cause = error["causes"][0]
    return cause["code"], cause["path"], cause["line"]


def by_error(report: dict, name: str) -> dict:
    found = [e for e in report["errors"] if e["error"] == name]
    assert len(found) == 1, report["errors"]
    return found[0]


@pytest.mark.parametrize("version, python", interpreters(), ids=[v for v, _ in interpreters()])
def test_real_tracebacks_in_a_noisy_log_name_their_findings(service: Path, version: str, python: str):
    prefixes = ["/app", "/workspace/src", f"/usr/local/lib/python{version}/site-packages", "C:\\srv\\chat"]
    log = ["2026-12-04 09:12:01,002 INFO uvicorn: Application startup complete."]
    for (code, _), prefix in zip(EXPECTED.items(), prefixes):
        for attempt in range(2):
            log.append(f"2026-12-04 09:12:0{attempt + 2},118 INFO chat.routes: 10.0.0.{attempt} connected")
            log.append("2026-12-04 09:12:03,551 ERROR chat.websocket: request failed")
            log.append(deployed(traceback_of(python, code, service), service, prefix).rstrip("\n"))
    log.append("2026-12-04 09:12:09,900 INFO uvicorn: Shutting down")
    status, report = trace(service, "\n".join(log) + "\n")
    assert status == 1
    assert report["summary"]["errors"] == 4 and report["summary"]["with_static_cause"] == 4
    for error, code, path, line in EXPECTED.values():
        found = by_error(report, error)
        assert found["status"] == "cause" and found["count"] == 2
        assert first_cause(found) == (code, path, line)


def test_json_log_lines_with_deployment_paths(service: Path):
    python = sys.executable
    name_error = deployed(traceback_of(python, NAME_ERROR, service), service, "/app")
    unbound = deployed(traceback_of(python, UNBOUND_LOCAL, service), service, "/workspace/src")
    partial = deployed(traceback_of(python, PARTIAL_IMPORT, service), service, "/opt/venv/lib/python3.11/site-packages")
    lines = [
        json.dumps({"level": "info", "message": "GET /health 200"}),
        # Python's logging JSON formatter: the message and the formatted exception
        json.dumps({"levelname": "ERROR", "message": "WebSocket error: name 'time' is not defined", "exc_info": name_error}),
        # Google Cloud Logging: structured payload, and a plain text payload
        json.dumps({"severity": "ERROR", "jsonPayload": {"message": unbound}}),
        json.dumps({"severity": "ERROR", "textPayload": partial}),
    ]
    # Docker's json-file driver: one record per line of output, behind a Kubernetes-style prefix
    lines += ["2026-12-04T09:12:03.551Z stderr F " + json.dumps({"log": part + "\n", "stream": "stderr"})
              for part in name_error.rstrip("\n").split("\n")]
    status, report = trace(service, "\n".join(lines) + "\n")
    assert status == 1
    for error, code, path, line in (EXPECTED[NAME_ERROR], EXPECTED[UNBOUND_LOCAL], EXPECTED[PARTIAL_IMPORT]):
        assert first_cause(by_error(report, error)) == (code, path, line)
    name = by_error(report, "NameError")
    assert name["count"] == 2  # the formatter's message line is the same occurrence as its exc_info
    assert name["frames"][-1] == {"path": "/app/chat/auth.py", "line": 47, "function": "verify_token",
                                  "project_path": "chat/auth.py"}


def test_bare_websocket_error_ranks_both_auth_uses_first(service: Path):
    log = "\n".join([
        "Dec 04 09:12:01 chat-7f9c api[1]: INFO accepted connection from 10.1.2.3",
        "Dec 04 09:12:01 chat-7f9c api[1]: ERROR WebSocket error: name 'time' is not defined",
        "Dec 04 09:12:02 chat-7f9c api[1]: ERROR WebSocket error: name 'time' is not defined",
        "Dec 04 09:12:07 chat-7f9c api[1]: INFO gc: collected 1204 objects",
        "Dec 04 09:12:09 chat-7f9c api[1]: ERROR WebSocket error: name 'time' is not defined",
    ]) + "\n"
    status, report = trace(service, log)
    assert status == 1
    [error] = report["errors"]
    assert (error["error"], error["count"], error["log_lines"], error["status"]) == ("NameError", 3, [2, 3, 5], "candidates")
    assert [first_cause({"causes": [c]}) for c in error["causes"][:2]] == [
        ("IG101", "chat/auth.py", 47), ("IG101", "chat/auth.py", 55),
    ]
    text = run_cli("trace", str(service.parent / "incident.log"), cwd=service)
    assert text.returncode == 1
    assert "seen 3 times (log lines 2, 3, 5), as a message without a traceback" in text.stdout
    assert "2 places in this project raise exactly this error (most likely first):" in text.stdout
    assert text.stdout.index("1. chat/auth.py:47:27: IG101") < text.stdout.index("2. chat/auth.py:55:42: IG101")


def test_the_incident_itself_logged_by_the_real_endpoint(service: Path):
    """The seed incident end to end: the real WebSocket endpoint catches the NameError and its
    handler logs only `WebSocket error: ...`; trace names the bug from that line."""
    script = (
        "import asyncio, logging\n"
        "logging.basicConfig(format='%(asctime)s %(levelname)s %(name)s %(message)s', level=logging.INFO)\n"
        "from chat import auth, routes\n"
        "class Socket:\n"
        "    request_headers = {'Authorization': 'Bearer ' + auth.issue_token('alice')}\n"
        "    async def close(self, code=None, reason=None): pass\n"
        "for _ in range(4):\n"
        "    asyncio.run(routes.websocket_endpoint(Socket()))\n"
    )
    proc = subprocess.run([sys.executable, "-B", "-c", script], cwd=service, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr.count("WebSocket error: name 'time' is not defined") == 4, proc.stderr
    status, report = trace(service, proc.stderr)
    assert status == 1
    [error] = report["errors"]
    assert error["count"] == 4
    assert [(c["path"], c["line"]) for c in error["causes"][:2]] == [("chat/auth.py", 47), ("chat/auth.py", 55)]


def test_name_error_from_exec_gets_the_honest_answer(service: Path):
    log = deployed(traceback_of(sys.executable, EXEC_NAME_ERROR, service), service, "/app")
    status, report = trace(service, log)
    assert status == 0
    [error] = report["errors"]
    assert (error["status"], error["causes"]) == ("no-static-cause", [])
    assert error["frames"][-1]["path"] == "<string>" and error["frames"][-2]["project_path"] == "chat/plugins.py"
    text = run_cli("trace", str(service.parent / "incident.log"), cwd=service)
    assert text.returncode == 0
    assert "no static cause found: it was raised in `<string>`" in text.stdout
    assert "no use of `undefined_hook` in this project is unbound" in text.stdout
    assert "1 error traced (1 occurrence): 0 with a static cause, 1 without." in text.stdout


def test_bare_message_without_static_cause_says_what_is_ruled_out(service: Path):
    status, report = trace(service, "worker crashed: NameError: name 'celery_app' is not defined\n")
    assert status == 0
    [error] = report["errors"]
    assert error["status"] == "no-static-cause"
    assert error["note"].startswith("no use of `celery_app` in this project is unbound")


def test_chained_traceback_names_the_cause_and_the_handler_import(service: Path):
    """The NameError is caught by a handler whose import then fails on the cycle: both are
    explained, and the second names the `except` handler it was raised in (IG201)."""
    log = deployed(traceback_of(sys.executable, HANDLER_IMPORT, service), service, "/app")
    assert "During handling of the above exception, another exception occurred:" in log
    status, report = trace(service, log)
    assert status == 1
    assert first_cause(by_error(report, "NameError")) == ("IG101", "chat/auth.py", 47)
    failed = by_error(report, "ImportError")
    assert first_cause(failed) == ("IG306", "billing/orders.py", 1)
    assert failed["context"] == "raised while handling `NameError: name 'time' is not defined`"
    assert [(h["code"], h["path"], h["line"]) for h in failed["handlers"]] == [("IG201", "jobs/worker.py", 5)]


@pytest.mark.skipif(sys.platform == "win32", reason="`msvcrt` exists on Windows")
def test_a_failing_standard_library_import_in_a_handler_is_named_on_the_traceback(service: Path):
    """A platform-only standard module imported in a handler fails there (IG205, off in `check`
    but run by `trace`): the traceback passes through its line, so trace names it as it names
    IG201/IG202."""
    write_tree(service, {"jobs/console.py": (
        "def run(task):\n"
        "    try:\n"
        "        task()\n"
        "    except Exception:\n"
        "        import msvcrt\n"
        "        msvcrt.getch()\n"
    )})
    log = traceback_of(sys.executable, "from jobs import console\nconsole.run(lambda: 1 / 0)\n", service)
    assert "ModuleNotFoundError: No module named 'msvcrt'" in log
    status, report = trace(service, log)
    failed = by_error(report, "ModuleNotFoundError")
    assert [(h["code"], h["path"], h["line"]) for h in failed["handlers"]] == [("IG205", "jobs/console.py", 5)]


def test_direct_cause_chain_keeps_the_unexplained_wrapper_apart(service: Path):
    code = "try:\n    import billing.orders\nexcept ImportError as error:\n    raise RuntimeError('boot failed') from error\n"
    status, report = trace(service, traceback_of(sys.executable, code, service))
    assert status == 1
    assert first_cause(by_error(report, "ImportError")) == ("IG306", "billing/invoices.py", 1)
    wrapper = by_error(report, "RuntimeError")
    assert wrapper["status"] == "not-traced" and wrapper["context"].startswith("raised from `ImportError:")


@pytest.mark.parametrize("version, python", [i for i in interpreters() if int(i[0].split(".")[1]) >= 11],
                         ids=[v for v, _ in interpreters() if int(v.split(".")[1]) >= 11])
def test_exception_group_members_are_explained(service: Path, version: str, python: str):
    code = (
        "from chat import auth, handlers, models\n"
        "errors = []\n"
        "for call in (lambda: auth.verify_token(auth.issue_token('a')),\n"
        "             lambda: handlers.handle_message(models.Session('a', 0.0, 1e12), '{}')):\n"
        "    try:\n"
        "        call()\n"
        "    except Exception as error:\n"
        "        errors.append(error)\n"
        "raise ExceptionGroup('tasks failed', errors)\n"
    )
    log = "web_1  | " + deployed(traceback_of(python, code, service), service, "/app").rstrip("\n").replace("\n", "\nweb_1  | ")
    status, report = trace(service, log + "\n")
    assert status == 1
    assert first_cause(by_error(report, "NameError")) == ("IG101", "chat/auth.py", 47)
    assert first_cause(by_error(report, "UnboundLocalError")) == ("IG102", "chat/handlers.py", 21)
    assert by_error(report, "NameError")["context"] == "part of `ExceptionGroup: tasks failed (2 sub-exceptions)`"


@pytest.mark.parametrize("message, kind", [
    ("ImportError: cannot import name 'TAX' from partially initialized module 'billing.orders' "
     "(most likely due to a circular import) (/srv/billing/orders.py)", ("IG306", "billing/invoices.py", 1)),
    ("AttributeError: partially initialized module 'billing.orders' has no attribute 'TAX'", None),
    ("AttributeError: partially initialized module 'ledger' has no attribute 'BALANCE'", ("IG306", "audit.py", 3)),
    ("local variable 'time' referenced before assignment", ("IG102", "chat/handlers.py", 21)),
    ("cannot access local variable 'time' where it is not associated with a value", ("IG102", "chat/handlers.py", 21)),
])
def test_bare_import_and_unbound_messages(service: Path, message: str, kind):
    status, report = trace(service, f"ERROR worker: {message}\n")
    [error] = report["errors"]
    if kind is None:  # no `billing.orders.TAX` attribute read happens at import time
        assert (status, error["status"]) == (0, "no-static-cause")
    else:
        assert (status, first_cause(error)) == (1, kind)


def test_odd_input_never_crashes(service: Path):
    for data in (b"", b"\x00\xff\xfe" * 10000 + b"\n\x89PNG\r\n", b"x" * 5_000_000 + b" name 'time' is not defined\n",
                 b"Traceback (most recent call last):\n", b'{"message": 3}\n[1, 2]\n{"msg": "\\ud800"}\n'):
        result = subprocess.run([sys.executable, "-m", "importguard", "trace", "-"], input=data, cwd=service,
                                capture_output=True, timeout=120)
        assert result.returncode == 0, result.stderr[-500:]
        assert b"Traceback" not in result.stderr
        assert b"No NameError, UnboundLocalError or import failure found in the log" in result.stdout
    surrogate = subprocess.run([sys.executable, "-m", "importguard", "trace", "-"], cwd=service, capture_output=True,
                               input=b'{"msg": "name \'zz\' is not defined \\ud800"}\n', timeout=120)
    assert surrogate.returncode == 0 and b"name 'zz' is not defined ?" in surrogate.stdout, surrogate.stderr


def test_unreadable_log_and_missing_project_are_usage_errors(service: Path):
    missing = run_cli("trace", "no-such.log", cwd=service)
    assert (missing.returncode, missing.stderr) == (2, "importguard: error: cannot read log no-such.log: no such file or directory\n")
    folder = run_cli("trace", "chat", cwd=service)
    assert folder.returncode == 2 and folder.stderr.startswith("importguard: error: cannot read log chat:")
    (service / "empty.log").write_text("", encoding="utf-8")
    project = run_cli("trace", "empty.log", "no-such-dir", cwd=service)
    assert (project.returncode, project.stderr) == (2, "importguard: error: path not found: no-such-dir\n")


RANKING = {
    "pyproject.toml": "",
    "app/__init__.py": "",
    "app/api.py": (
        "from app import jobs\n\n\n"
        "def handle(request):\n"
        "    try:\n"
        "        return request.run()\n"
        "    except Exception:\n"
        "        return jobs.retry(request)\n"
    ),
    "app/cache.py": "def warm():\n    return time.time()\n",
    "app/jobs.py": "def retry(request):\n    return time.monotonic()\n",
    "app/zz.py": "def pause():\n    time.sleep(1)\n",
}


def test_candidates_reached_from_a_handler_or_seen_in_the_log_come_first(tmp_path: Path):
    root = write_tree(tmp_path / "ranked", RANKING)
    status, report = trace(root, "ERROR name 'time' is not defined\n")
    assert status == 1
    causes = report["errors"][0]["causes"]
    assert [c["path"] for c in causes] == ["app/jobs.py", "app/cache.py", "app/zz.py"]
    assert causes[0]["ranked_up_by"] == ["`retry()` is called from an `except` handler"]
    other = 'Traceback (most recent call last):\n  File "/srv/app/zz.py", line 9, in pause\nKeyError: 3\n'
    status, report = trace(root, "ERROR name 'time' is not defined\n" + other)
    causes = by_error(report, "NameError")["causes"]
    assert [c["path"] for c in causes] == ["app/zz.py", "app/jobs.py", "app/cache.py"]
    assert causes[0]["ranked_up_by"] == ["`app.zz` is in a traceback of this log"]
    assert by_error(report, "KeyError")["status"] == "not-traced"


@pytest.mark.parametrize("message, note", [
    ("ModuleNotFoundError: No module named 'redis'", "no import of this project names a missing first-party module `redis`"),
    ("ModuleNotFoundError: No module named 'chat.auth'", "`chat.auth` is a module of this checkout: the deployed copy may lack the file"),
    ("ImportError: cannot import name 'verify_token' from 'chat.auth' (/app/chat/auth.py)",
     "every first-party `from chat.auth import verify_token` finds `verify_token` in this checkout"),
])
def test_import_failures_without_static_cause_say_what_is_ruled_out(service: Path, message: str, note: str):
    status, report = trace(service, f"boot failed: {message}\n")
    [error] = report["errors"]
    assert (status, error["status"]) == (0, "no-static-cause")
    assert error["note"].startswith(note)


def test_missing_first_party_module_and_name_are_traced(service: Path):
    write_tree(service, {"chat/billing_hooks.py": "from chat.auth import refresh_token\nimport chat.webhooks\n"})
    log = (
        "ImportError: cannot import name 'refresh_token' from 'chat.auth' (/app/chat/auth.py)\n"
        "ModuleNotFoundError: No module named 'chat.webhooks'\n"
    )
    status, report = trace(service, log)
    assert status == 1
    assert first_cause(by_error(report, "ImportError")) == ("IG305", "chat/billing_hooks.py", 1)
    assert first_cause(by_error(report, "ModuleNotFoundError")) == ("IG304", "chat/billing_hooks.py", 2)


README = EXAMPLE.parent.parent / "README.md"
INCIDENT_LOG = """\
2026-12-04 09:12:01,118 ERROR chat.websocket WebSocket error: name 'time' is not defined
2026-12-04 09:12:02,118 ERROR chat.websocket WebSocket error: name 'time' is not defined
2026-12-04 09:12:03,118 ERROR chat.websocket WebSocket error: name 'time' is not defined
2026-12-04 09:12:05,220 ERROR chat.routes message failed
Traceback (most recent call last):
  File "<string>", line 3, in <module>
  File "/app/chat/handlers.py", line 21, in handle_message
    received_at = time.time()
                  ^^^^
UnboundLocalError: cannot access local variable 'time' where it is not associated with a value
"""


def test_readme_trace_output_is_real():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## From a production error to its cause: `importguard trace`"):]
    expected = section[section.index("```text\n") + len("```text\n"):section.index("```\n", section.index("```text\n") + 8)]
    result = subprocess.run([sys.executable, "-m", "importguard", "trace", "-", "examples/chat_service", "--no-cache"],
                            input=INCIDENT_LOG, cwd=README.parent, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout) == (1, expected)


def test_excluded_files_are_traced_and_suppressed_lines_are_named(tmp_path: Path):
    root = write_tree(tmp_path / "excluded", {
        "pyproject.toml": '[tool.importguard]\nextend-exclude = ["scripts/"]\nper-file-ignores = { "app/*.py" = ["IG101"] }\n',
        "app/__init__.py": "",
        "app/clock.py": "def now():\n    return time.time()\n",
        "app/quiet.py": "def later():\n    return time.time()  # noqa: F821\n",
        "scripts/__init__.py": "",
        "scripts/nightly.py": "def run():\n    return time.time()\n",
    })
    log = "".join(
        f'Traceback (most recent call last):\n  File "/srv/{path}", line 2, in f\nNameError: name \'time\' is not defined\n'
        for path in ("app/clock.py", "app/quiet.py", "scripts/nightly.py")
    )
    status, report = trace(root, log)
    assert status == 1
    clock, quiet, nightly = report["errors"]
    assert first_cause(clock) == ("IG101", "app/clock.py", 2)
    assert first_cause(nightly) == ("IG101", "scripts/nightly.py", 2)
    assert quiet["status"] == "no-static-cause"
    assert quiet["note"].startswith(
        "importguard has no finding at app/quiet.py:2, the line that raised it (a suppression comment on that line silences importguard there)"
    )


def test_one_failure_logged_by_two_deployments_is_one_error(service: Path):
    raw = traceback_of(sys.executable, PARTIAL_IMPORT, service)
    log = deployed(raw, service, "/app") + "INFO pod 2\n" + deployed(raw, service, "/srv/chat/releases/42")
    status, report = trace(service, log)
    [error] = report["errors"]
    assert (status, error["count"], first_cause(error)) == (1, 2, ("IG306", "billing/invoices.py", 1))
