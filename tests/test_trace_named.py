"""`importguard trace` on a bare message ranks the findings of the module or package its log line
names (the logger, a path) first: several modules of the fixture raise the same
`NameError: name 'time' is not defined`, and real Python proves that the top-ranked function
raises it and that the real `logging` formats produce the lines read."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import List

import pytest

from conftest import run_cli, run_python, write_tree

# module: its function that reads `time`, which no scope binds (IG101)
READERS = {
    "billing": "charge",
    "netra_backend.analytics": "flush",
    "netra_backend.app.agents.clock": "elapsed",
    "netra_backend.app.monitoring": "sample",
    "netra_backend.app.websocket_core.auth": "verify",
    "netra_backend.app.websocket_core.manager": "heartbeat",
}
PATHS = {module: module.replace(".", "/") + ".py" for module in READERS}
BILLING, ANALYTICS, CLOCK, MONITORING, AUTH, MANAGER = PATHS.values()
TODAY = [BILLING, ANALYTICS, CLOCK, MONITORING, AUTH, MANAGER]  # no module named: by path

PROJECT = {
    "pyproject.toml": "",
    "netra_backend/__init__.py": "",
    "netra_backend/app/__init__.py": "",
    "netra_backend/app/agents/__init__.py": "",
    # The production shape: the package's endpoint catches the error and logs only its message.
    "netra_backend/app/websocket_core/__init__.py": (
        "import logging\n\n"
        "from netra_backend.app.websocket_core import auth\n\n"
        "logger = logging.getLogger(__name__)\n\n\n"
        "def serve():\n"
        "    try:\n"
        "        auth.verify()\n"
        "    except Exception as exc:\n"
        "        logger.error('WebSocket error: %s', exc)\n"
    ),
    **{PATHS[module]: f"def {function}():\n    return time.time() + 1\n" for module, function in READERS.items()},
}
MESSAGE = "name 'time' is not defined"
CANDIDATE = re.compile(r"^  \d+\. (?P<path>\S+?):\d+:\d+: IG101 ", re.MULTILINE)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "service", PROJECT)


def trace_text(root: Path, log: str) -> str:
    (root.parent / "incident.log").write_text(log, encoding="utf-8")
    result = run_cli("trace", str(root.parent / "incident.log"), cwd=root)
    assert result.returncode == 1, result.stderr
    return result.stdout


def ranked(output: str) -> List[str]:
    return CANDIDATE.findall(output)


def raises_the_logged_error(root: Path, path: str) -> str:
    """Run the function of `path` that reads `time` in real Python; the last line it printed."""
    module = path[:-3].replace("/", ".")
    proc = run_python(f"import {module}\n{module}.{READERS[module]}()\n", root)
    assert proc.returncode == 1, proc.stderr
    return proc.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("line, order, reason", [
    pytest.param(
        f"2026-11-30 12:00:01 ERROR [netra_backend.app.websocket_core] WebSocket error: {MESSAGE}",
        [AUTH, MANAGER, CLOCK, MONITORING, ANALYTICS, BILLING],
        "in `netra_backend.app.websocket_core`, which the log line names", id="package-logger-in-brackets"),
    pytest.param(
        f"netra_backend.app.websocket_core.manager - ERROR - heartbeat failed: {MESSAGE}",
        [MANAGER, AUTH, CLOCK, MONITORING, ANALYTICS, BILLING],
        "the log line names `netra_backend.app.websocket_core.manager`", id="dotted-logger-prefix"),
    pytest.param(
        f"2026-11-30 12:00:01 ERROR netra_backend.app.websocket_core.router WebSocket error: {MESSAGE}",
        [AUTH, MANAGER, CLOCK, MONITORING, ANALYTICS, BILLING],
        "in `netra_backend.app.websocket_core`, which the log line names (`netra_backend.app.websocket_core.router`)",
        id="logger-below-a-package"),
    pytest.param(
        f"ERROR:netra_backend.app.monitoring:{MESSAGE}",
        [MONITORING, CLOCK, AUTH, MANAGER, ANALYTICS, BILLING],
        "the log line names `netra_backend.app.monitoring`", id="logging-default-format"),
    pytest.param(
        f"2026-11-30 12:00:01 ERROR /srv/app/netra_backend/app/agents/clock.py:2 elapsed failed: {MESSAGE}",
        [CLOCK, MONITORING, AUTH, MANAGER, ANALYTICS, BILLING],
        "the log line names `netra_backend.app.agents.clock` (`/srv/app/netra_backend/app/agents/clock.py`)",
        id="deployment-path"),
    pytest.param(
        json.dumps({"levelname": "ERROR", "name": "netra_backend.analytics", "message": f"flush failed: {MESSAGE}"}),
        [ANALYTICS, CLOCK, MONITORING, AUTH, MANAGER, BILLING],
        "the log line names `netra_backend.analytics`", id="json-logger-field"),
])
def test_the_module_a_log_line_names_ranks_first(project: Path, line: str, order: List[str], reason: str):
    output = trace_text(project, line + "\n")
    assert "6 places in this project raise exactly this error (most likely first):" in output
    assert ranked(output) == order
    first = output[output.index(f"1. {order[0]}"):output.index(f"2. {order[1]}")]
    assert f"    ranked up: {reason}\n" in first
    assert "ranked up" not in output[output.index(f"6. {order[5]}"):]  # it shares no package with the named module
    assert raises_the_logged_error(project, order[0]).startswith(f"NameError: {MESSAGE}")


@pytest.mark.parametrize("line", [
    f"2026-11-30 12:00:01 ERROR WebSocket error: {MESSAGE}",
    f"2026-11-30 12:00:01 ERROR [uvicorn.error] WebSocket error: {MESSAGE}",  # no module of this project
])
def test_a_line_naming_no_module_keeps_todays_order(project: Path, line: str):
    output = trace_text(project, line + "\n")
    assert ranked(output) == TODAY
    assert "ranked up" not in output


@pytest.mark.parametrize("log_format", [
    "%(asctime)s %(levelname)s [%(name)s] %(message)s",
    "%(asctime)s - %(name)s - %(levelname)s - %(message)s",
    "%(asctime)s %(levelname)s %(pathname)s:%(lineno)d %(message)s",
])
def test_lines_logged_by_the_real_endpoint_rank_the_function_that_raised_first(project: Path, log_format: str):
    """The incident end to end: real Python runs the endpoint four times and its handler logs only
    the message, through `logging` itself; the top candidate is the function that raised it."""
    script = (
        "import logging\n"
        f"logging.basicConfig(format={log_format!r})\n"
        "from netra_backend.app import websocket_core\n"
        "for _ in range(4):\n"
        "    websocket_core.serve()\n"
    )
    proc = run_python(script, project)
    assert proc.returncode == 0 and proc.stderr.count(f"WebSocket error: {MESSAGE}") == 4, proc.stderr
    output = trace_text(project, proc.stderr)
    assert "seen 4 times (log lines 1, 2, 3, 4), as a message without a traceback" in output
    assert ranked(output)[:2] == [AUTH, MANAGER]
    assert f"1. {AUTH}:2:12: IG101 name `time` is not defined in `verify()`" in output
    assert raises_the_logged_error(project, AUTH).startswith(f"NameError: {MESSAGE}")


def test_lines_of_one_error_from_two_loggers_rank_both_loggers_modules_up(project: Path):
    log = (
        f"ERROR [netra_backend.app.agents.clock] tick failed: {MESSAGE}\n"
        f"ERROR [netra_backend.app.websocket_core.auth] WebSocket error: {MESSAGE}\n"
    )
    (project.parent / "incident.log").write_text(log, encoding="utf-8")
    result = run_cli("trace", str(project.parent / "incident.log"), "--format", "json", cwd=project)
    assert result.returncode == 1, result.stderr
    [error] = json.loads(result.stdout)["errors"]
    assert [c["path"] for c in error["causes"]] == [CLOCK, AUTH, MANAGER, MONITORING, ANALYTICS, BILLING]
    assert [c["ranked_up_by"] for c in error["causes"][:2]] == [
        ["the log line names `netra_backend.app.agents.clock`"], ["the log line names `netra_backend.app.websocket_core.auth`"],
    ]
    assert error["causes"][-1]["ranked_up_by"] == []
